"""The student pages in headless Chromium, used as a learner would: by role and label, with a mouse
and with the keyboard only; plus axe-core and the Nu HTML Checker on every kind of page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from srm_package.loader import load_course
from srm_package.markup import inline_text
from srm_package.model import Course
from srm_package.targets.portable_page import course_overview_document, lesson_document
from tests.conftest import ROOT
from tests.quiz_courses import hostile_course, kinds_course, multi_lesson_course
from tests.quiz_pages import (
    answer,
    answer_all,
    open_lesson,
    progress_line,
    progress_text,
    question_box,
    right_choices,
    write_site,
    wrong_choices,
)
from tests.support.axe import format_violations, run_axe
from tests.support.browser import OfflinePage, page_from_disk
from tests.support.paths import AXE_SCRIPT, require_files
from tests.support.vnu import run_vnu


@pytest.fixture(scope="module")
def sites(tmp_path_factory, seed_course) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("sites")
    return {
        "none": write_site(seed_course, "none", root / "seed-none"),
        "scorm12": write_site(seed_course, "scorm12", root / "seed-scorm12"),
        "scorm2004": write_site(seed_course, "scorm2004", root / "seed-scorm2004"),
        "kinds": write_site(kinds_course(), "none", root / "kinds"),
        "shuffled": write_site(kinds_course(shuffle=True), "none", root / "shuffled"),
        "multi": write_site(multi_lesson_course(), "none", root / "multi"),
        "hostile": write_site(hostile_course(), "none", root / "hostile"),
    }


def open_site(offline_page: OfflinePage, directory: Path) -> Page:
    offline_page.open(directory)
    page = offline_page.page
    expect(page.locator("html.quiz-ready")).to_have_count(1)
    return page


def assert_no_script_errors(offline_page: OfflinePage) -> None:
    assert offline_page.page_errors == []
    # a CSP violation is reported on the console as an error
    assert offline_page.console_errors == []


def feedback_of(page: Page, question) -> str:
    return question_box(page, question).locator("[data-feedback]").inner_text()


def percent_text(correct: int, total: int) -> str:
    """A percentage as the page shows it: a whole number, rounded down."""
    return str(correct * 100 // total)


def expected_review(course: Course, missed_section_ids: set[str]) -> list[str]:
    lesson = course.lessons[0]
    return [
        f'Review the section "{inline_text(s.title)}".'
        for s in lesson.sections
        if s.id in missed_section_ids
    ]


def visible_texts(page: Page, selector: str) -> list[str]:
    return [text.strip() for text in page.locator(f"{selector}:visible").all_inner_texts()]


# ------------------------------------------------------------------ answering with the mouse
@pytest.mark.parametrize(
    "pattern",
    [
        pytest.param([True] * 5, id="all-right"),
        pytest.param([False] * 5, id="all-wrong"),
        pytest.param([True, False, True, True, False], id="mixed"),
    ],
)
def test_seed_quiz(offline_page: OfflinePage, sites, seed_course, pattern):
    page = open_site(offline_page, sites["none"])
    quiz = seed_course.lessons[0].quiz
    total = len(quiz.questions)
    assert progress_text(page) == progress_line(0, total, "0", done=False)
    expect(page.locator("[data-result]")).to_be_hidden()
    correct = 0
    for number, (question, is_right) in enumerate(zip(quiz.questions, pattern, strict=True), 1):
        chosen = right_choices(question) if is_right else wrong_choices(question)
        answer(page, question, chosen)
        correct += is_right
        box = question_box(page, question)
        text = feedback_of(page, question)
        assert text.startswith("Correct" if is_right else "Incorrect")
        assert inline_text(chosen[0].feedback) in " ".join(text.split())
        assert "Explanation: " + inline_text(question.explanation) in " ".join(text.split())
        for other in question.response.choices:
            if other not in chosen:
                # another choice's feedback stays hidden, and the question is locked
                if other.feedback:
                    assert inline_text(other.feedback) not in text
                expect(box.locator(f"input[value='{other.id}']")).to_be_disabled()
        if not is_right:
            expect(box.locator(".mark-missed:visible")).to_have_text("Correct answer")
        expect(box.locator(".mark-chosen-correct:visible, .mark-chosen-incorrect:visible")).to_have_text(
            "Your answer, correct" if is_right else "Your answer, incorrect"
        )
        done = number == total
        assert progress_text(page) == progress_line(correct, total, percent_text(correct, total), done)
        if not done:
            expect(page.locator("[data-result]")).to_be_hidden()

    result = page.locator("[data-result]")
    expect(result).to_be_visible()
    expect(result).to_be_focused()
    percent = percent_text(correct, total)
    assert result.locator("[data-score-percent]").inner_text() == f"{percent}%"
    assert result.locator("[data-score-points]").inner_text() == f"{correct} of {total} points"
    assert result.locator("[data-score-meter]").evaluate("m => m.value") == round(correct * 100 / total, 2)
    band = quiz.recommendation.band_for(correct * 100 / total)
    assert visible_texts(page, "[data-band-min]") == [inline_text(band.message)]
    missed = {q.section_id for q, ok in zip(quiz.questions, pattern, strict=True) if not ok}
    assert visible_texts(page, "[data-review-section]") == expected_review(seed_course, missed)
    expect(result.locator("[data-review]")).to_be_visible() if missed else expect(
        result.locator("[data-review]")
    ).to_be_hidden()
    passed = correct * 100 / total >= seed_course.passing_score
    verdict = page.locator("[data-course-verdict]")
    expect(verdict).to_have_text(
        "Passed: you reached the pass mark of 80%." if passed else "Not passed yet: the pass mark is 80%."
    )
    expect(page.get_by_role("button", name="Try again")).to_be_visible()
    assert_no_script_errors(offline_page)


def test_review_links_jump_to_their_sections(offline_page, sites, seed_course):
    page = open_site(offline_page, sites["none"])
    quiz = seed_course.lessons[0].quiz
    answer_all(page, quiz.questions, [False] * len(quiz.questions))
    first_link = page.locator("[data-review-section]:visible a").first
    target = first_link.get_attribute("href")
    first_link.click()
    assert page.evaluate("location.hash") == target
    assert page.locator(target).is_visible()


def test_an_answered_question_cannot_be_changed(offline_page, sites, seed_course):
    page = open_site(offline_page, sites["none"])
    question = seed_course.lessons[0].quiz.questions[0]
    wrong, right = wrong_choices(question)[0], right_choices(question)[0]
    answer(page, question, [wrong])
    box = question_box(page, question)
    # once answered, the labels carry "Correct answer" / "Your answer" marks: find inputs by value
    right_radio = box.locator(f"input[value='{right.id}']")
    expect(right_radio).to_be_disabled()
    right_radio.click(force=True)
    expect(right_radio).not_to_be_checked()
    expect(box.locator(f"input[value='{wrong.id}']")).to_be_checked()
    assert progress_text(page).startswith("Progress: 0/5 correct (0%).")


def test_try_again_resets_the_quiz(offline_page, sites, seed_course):
    page = open_site(offline_page, sites["none"])
    quiz = seed_course.lessons[0].quiz
    answer_all(page, quiz.questions, [True] * len(quiz.questions))
    page.get_by_role("button", name="Try again").click()
    assert progress_text(page) == progress_line(0, 5, "0", done=False)
    expect(page.locator("[data-result]")).to_be_hidden()
    expect(page.locator("[data-verdict]:visible")).to_have_count(0)
    expect(page.get_by_role("radio", checked=True)).to_have_count(0)
    answer(page, quiz.questions[0], right_choices(quiz.questions[0]))
    assert progress_text(page).startswith("Progress: 1/5 correct (20%).")


# ------------------------------------------------------------------ question kinds
def test_multiple_answer_and_true_false(offline_page, sites):
    course = kinds_course()
    page = open_site(offline_page, sites["kinds"])
    pick_one, pick_many, true_false = course.lessons[0].quiz.questions
    box = question_box(page, pick_many)
    box.get_by_role("button", name="Check answer").click()
    expect(box.locator("[data-need-choice]")).to_be_visible()
    assert progress_text(page).startswith("Progress: 0/3 correct (0%).")
    answer(page, pick_many, right_choices(pick_many))
    expect(box.locator("[data-need-choice]")).to_be_hidden()
    assert feedback_of(page, pick_many).startswith("Correct\n\nBoth found.")
    assert pick_many.feedback.incorrect not in feedback_of(page, pick_many)
    expect(box.locator("[data-feedback]")).to_be_focused()
    expect(box.get_by_role("checkbox")).to_have_count(3)
    for checkbox in box.get_by_role("checkbox").all():
        expect(checkbox).to_be_disabled()
    expect(box.get_by_role("button", name="Check answer")).to_have_count(0)
    # 2 of 4 points so far, but the progress line counts questions (the seed's form): 1 of 3
    # right is 33%, rounded down; points are for the result
    assert progress_text(page).startswith("Progress: 1/3 correct (33%).")
    answer(page, true_false, wrong_choices(true_false))
    assert feedback_of(page, true_false).startswith("Incorrect")
    answer(page, pick_one, right_choices(pick_one))
    assert progress_text(page) == progress_line(2, 3, "66", done=True)
    assert page.locator("[data-score-points]").inner_text() == "3 of 4 points"
    assert page.locator("[data-score-percent]").inner_text() == "75%"


def test_multiple_answer_with_a_wrong_extra_choice_is_wrong(offline_page, sites):
    page = open_site(offline_page, sites["kinds"])
    pick_many = kinds_course().lessons[0].quiz.questions[1]
    answer(page, pick_many, wrong_choices(pick_many))
    text = feedback_of(page, pick_many)
    assert text.startswith("Incorrect\n\nPick both right ones & no other.")
    assert pick_many.feedback.correct not in text
    # the feedback of every chosen choice is shown
    for choice in wrong_choices(pick_many):
        assert choice.feedback in text


def test_shuffle_follows_the_policy(offline_page, sites):
    # Math.random() = 0 makes the shuffle predictable: each step swaps item i with item 0
    offline_page.page.add_init_script("Math.random = () => 0;")
    page = open_site(offline_page, sites["shuffled"])
    quiz = kinds_course(shuffle=True).lessons[0].quiz

    def predicted(items: list) -> list:
        items = list(items)
        for i in range(len(items) - 1, 0, -1):
            items[i], items[0] = items[0], items[i]
        return items

    order = page.locator("li[data-question]").evaluate_all("els => els.map(e => e.dataset.question)")
    assert order == predicted([q.id for q in quiz.questions])
    numbers = page.locator("[data-question-number]").all_text_contents()
    assert numbers == [f"Question {n} of 3" for n in range(1, 4)]
    for question in quiz.questions:
        choices = question_box(page, question).locator("input[data-choice]").evaluate_all(
            "els => els.map(e => e.value)"
        )
        assert choices == predicted([c.id for c in question.response.choices])


def test_no_shuffle_keeps_the_source_order(offline_page, sites, seed_course):
    offline_page.page.add_init_script("Math.random = () => 0;")
    page = open_site(offline_page, sites["none"])
    order = page.locator("li[data-question]").evaluate_all("els => els.map(e => e.dataset.question)")
    assert order == [q.id for q in seed_course.lessons[0].quiz.questions]


# ------------------------------------------------------------------ keyboard only
def focused(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const question = el.closest('[data-question]');
            return {
                tag: el.tagName.toLowerCase(), type: el.type || '', value: el.value || '',
                id: el.id, text: el.textContent.trim().slice(0, 40),
                question: question ? question.dataset.question : null,
                outline: getComputedStyle(el).outlineStyle,
            };
        }"""
    )


def tab_to_question(page: Page, question_id: str, limit: int = 80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["question"] == question_id:
            return now
    raise AssertionError(f"Tab never reached question {question_id}")


def shown_choices(page: Page, question) -> list[str]:
    """The ids of the question's choices in the order this attempt shows them (the seed shuffles)."""
    return question_box(page, question).locator("input[data-choice]").evaluate_all("els => els.map(e => e.value)")


def verdict_of(question, choice_id: str) -> str:
    return "Correct" if next(c for c in question.response.choices if c.id == choice_id).correct else "Incorrect"


def test_keyboard_only(offline_page, sites, seed_course):
    page = open_site(offline_page, sites["none"])
    questions = seed_course.lessons[0].quiz.questions
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "srm-main"
    chosen: list[str] = []

    first = questions[0]
    shown = shown_choices(page, first)
    now = tab_to_question(page, first.id)
    assert (now["tag"], now["type"], now["value"]) == ("input", "radio", shown[0])
    assert now["outline"] != "none", "the focused choice must show a focus ring"
    # arrow keys move the selection without answering...
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == shown[2]
    expect(question_box(page, first).locator("[data-verdict]:visible")).to_have_count(0)
    assert progress_text(page).startswith("Progress: 0/5")
    # ...and Space answers with the selected choice
    page.keyboard.press("Space")
    assert feedback_of(page, first).startswith(verdict_of(first, shown[2]))
    assert question_box(page, first).locator("input:checked").get_attribute("value") == shown[2]
    chosen.append(shown[2])

    # Tab leaves the answered question for the next one; Space answers with its first shown choice
    second = questions[1]
    shown = shown_choices(page, second)
    now = tab_to_question(page, second.id, limit=3)
    assert now["value"] == shown[0]
    page.keyboard.press("Space")
    assert feedback_of(page, second).startswith(verdict_of(second, shown[0]))
    chosen.append(shown[0])

    # Enter answers too, after moving down and back up
    third = questions[2]
    shown = shown_choices(page, third)
    tab_to_question(page, third.id, limit=3)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert focused(page)["value"] == shown[0]
    page.keyboard.press("Enter")
    assert feedback_of(page, third).startswith(verdict_of(third, shown[0]))
    chosen.append(shown[0])

    for question in questions[3:]:
        chosen.append(shown_choices(page, question)[0])
        tab_to_question(page, question.id, limit=3)
        page.keyboard.press("Space")
        assert feedback_of(page, question).startswith(verdict_of(question, chosen[-1]))
    right = sum(verdict_of(q, c) == "Correct" for q, c in zip(questions, chosen, strict=True))
    assert progress_text(page) == progress_line(right, 5, percent_text(right, 5), done=True)
    expect(page.locator("[data-result]")).to_be_focused()
    assert_no_script_errors(offline_page)


def test_keyboard_only_multiple_answer(offline_page, sites):
    page = open_site(offline_page, sites["kinds"])
    pick_many = kinds_course().lessons[0].quiz.questions[1]
    assert pick_many.kind == "multiple"
    tab_to_question(page, pick_many.id)
    for choice in pick_many.response.choices:
        assert focused(page)["value"] == choice.id
        if choice.correct:
            page.keyboard.press("Space")
        page.keyboard.press("Tab")
    assert focused(page)["text"] == "Check answer"
    page.keyboard.press("Enter")
    assert feedback_of(page, pick_many).startswith("Correct")
    assert focused(page)["id"] == f"q-{pick_many.id}--feedback"


# ------------------------------------------------------------------ outside an LMS
@pytest.mark.parametrize("runtime", ["scorm12", "scorm2004"])
def test_scorm_page_without_an_lms_still_works(offline_page, sites, seed_course, runtime):
    page = open_site(offline_page, sites[runtime])
    expect(page.get_by_role("status").filter(has_text="Not connected")).to_have_text(
        "Not connected to an LMS — results are not recorded."
    )
    quiz = seed_course.lessons[0].quiz
    answer_all(page, quiz.questions, [True] * len(quiz.questions))
    assert progress_text(page) == progress_line(5, 5, "100", done=True)
    expect(page.locator("[data-lms-result]")).to_be_hidden()
    assert offline_page.page_errors == []


def test_plain_site_shows_no_lms_note(offline_page, sites):
    page = open_site(offline_page, sites["none"])
    expect(page.get_by_text("Not connected")).to_have_count(0)


def test_site_opens_straight_from_disk(chromium: Browser, sites, seed_course):
    with page_from_disk(chromium, sites["none"] / "index.html") as (page, errors):
        expect(page.locator("html.quiz-ready")).to_have_count(1)
        question = seed_course.lessons[0].quiz.questions[0]
        answer(page, question, right_choices(question))
        assert progress_text(page).startswith("Progress: 1/5 correct (20%).")
        assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
        assert errors == []


def test_hostile_text_is_shown_as_text(offline_page, sites):
    page = open_site(offline_page, sites["hostile"])
    assert page.evaluate("window.alertCalled === undefined")
    question = hostile_course().lessons[0].quiz.questions[0]
    stem = question_box(page, question).locator(".question-stem")
    assert stem.inner_text() == inline_text(question.stem)
    answer(page, question, wrong_choices(question))
    assert "<img src=x onerror=alert(1)>" in page.locator("[data-review-section]").inner_text()
    expect(page.locator("img")).to_have_count(0)
    assert_no_script_errors(offline_page)


# ------------------------------------------------------------------ layout
def test_narrow_screen_has_no_page_wide_scrolling(offline_page, sites, seed_course):
    offline_page.page.set_viewport_size({"width": 360, "height": 740})
    page = open_site(offline_page, sites["none"])
    quiz = seed_course.lessons[0].quiz
    answer_all(page, quiz.questions, [True, False, True, False, True])
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # wide tables scroll inside their own focusable region instead
    region = page.locator(".table-wrap").last
    assert region.get_attribute("tabindex") == "0"


def test_print_hides_navigation(offline_page, sites):
    page = open_site(offline_page, sites["none"])
    page.emulate_media(media="print")
    assert page.locator(".toc").evaluate("el => getComputedStyle(el).display") == "none"
    assert page.locator(".skip-link").evaluate("el => getComputedStyle(el).display") == "none"
    assert page.locator("[data-progress]").evaluate("el => getComputedStyle(el).position") == "static"


# ------------------------------------------------------------------ axe and vnu
def allow_axe(offline_page: OfflinePage) -> None:
    """Load axe-core before the page: the page's CSP forbids the inline script run_axe would add
    (init scripts come from the browser, not the page, so the policy does not apply to them)."""
    require_files(AXE_SCRIPT)
    offline_page.page.add_init_script(path=str(AXE_SCRIPT))


@pytest.mark.parametrize("site", ["none", "scorm12", "kinds", "multi", "hostile"])
def test_axe_finds_no_wcag_violation(offline_page, sites, site):
    allow_axe(offline_page)
    page = open_site(offline_page, sites[site])
    before = run_axe(page)
    assert not before, format_violations(before)
    # and once every question shows its feedback and the result is out (in a course of several
    # lessons, each lesson shown in turn)
    for box in page.locator("li[data-question]").all():
        lesson = box.evaluate("el => el.closest('article.lesson').id").removeprefix("lesson-")
        open_lesson(page, lesson)
        if box.locator("[data-check]").count():
            box.locator("input[data-choice]").first.check()
            box.locator("[data-check]").click()
        else:
            box.locator("input[data-choice]").last.check()
    expect(page.locator("[data-result]:visible").first).to_be_visible()  # of the lesson shown
    after = run_axe(page)
    assert not after, format_violations(after)


def portable_pages(folder: Path, seed_course) -> list[Path]:
    """The LMS-native pages (cartridge pages, Moodle backup Pages) of the seed and every-kind courses."""
    every_kind = load_course(ROOT / "tests" / "roots" / "every-kind").course
    documents = {"overview.html": course_overview_document(every_kind),
                 "seed.html": lesson_document(seed_course, seed_course.lessons[0])}
    documents |= {f"{lesson.id}.html": lesson_document(every_kind, lesson) for lesson in every_kind.lessons}
    for name, text in documents.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in documents]


def test_axe_on_the_lms_native_pages(offline_page, tmp_path, seed_course):
    allow_axe(offline_page)
    for page in portable_pages(tmp_path, seed_course):
        offline_page.open(tmp_path, page.name)
        violations = run_axe(offline_page.page)
        assert not violations, f"{page.name}: {format_violations(violations)}"


def test_vnu_finds_no_error(sites, tmp_path, seed_course):
    pages = [directory / "index.html" for directory in sites.values()] + portable_pages(tmp_path, seed_course)
    errors = run_vnu(pages)
    assert not errors, "\n".join(map(str, errors))


def test_vnu_would_catch_an_error(tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div></span>", encoding="utf-8")
    assert run_vnu([broken])


def test_colours_meet_contrast(offline_page, sites):
    """WCAG AA 4.5:1 for the text colours the quiz adds after answering (axe checks the rest)."""
    page = open_site(offline_page, sites["none"])
    page.locator("input[data-choice]").first.check()
    ratios = page.evaluate(
        """() => {
            const lum = (rgb) => {
                const [r, g, b] = rgb.match(/\\d+/g).slice(0, 3).map(Number).map((v) => {
                    v /= 255;
                    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
                });
                return 0.2126 * r + 0.7152 * g + 0.0722 * b;
            };
            const ratio = (el) => {
                const fg = lum(getComputedStyle(el).color);
                let node = el, bg = 'rgba(0, 0, 0, 0)';
                while (node && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) {
                    bg = getComputedStyle(node).backgroundColor;
                    node = node.parentElement;
                }
                const b = lum(bg);
                return (Math.max(fg, b) + 0.05) / (Math.min(fg, b) + 0.05);
            };
            return [...document.querySelectorAll(
                '.verdict:not([hidden]), .choice-mark:not([hidden]), .choice label, .feedback p:not([hidden])'
            )].map(ratio);
        }"""
    )
    assert ratios and min(ratios) >= 4.5, ratios


def test_page_text_matches_the_sources(offline_page, sites, seed_course):
    page = open_site(offline_page, sites["none"])
    title = page.title()
    lesson = seed_course.lessons[0]
    assert title == f"Lesson {lesson.number}: {lesson.title} — {seed_course.title}"
    assert page.get_by_role("heading", level=1).inner_text() == lesson.title
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert headings == [inline_text(s.title) for s in lesson.sections] + [lesson.quiz.title]
    nav = page.get_by_role("navigation", name="On this page")
    assert nav.get_by_role("link").all_inner_texts() == headings
    assert re.search(r"Last updated: June, 2026", page.locator("footer").inner_text())
