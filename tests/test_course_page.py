"""A course of several lessons in Chromium (tests/roots/three-lessons): one lesson shown at a time,
the outline and the address hash, previous/next, course progress, resuming at the last lesson in an
LMS, the page without JavaScript and from file://, the phone layout at 390 px, browse mode, and
axe-core and the Nu HTML Checker in every view. The first lesson's quiz ends with an ordering
question, so that the progress, the outline's marks and the score count every question type."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from srm_package.loader import load_course
from srm_package.model import Course, Question
from tests.conftest import ROOT
from tests.questions.drivers import answer as drive
from tests.quiz_pages import Root, answer, open_lesson, question_box, right_choices, write_sites
from tests.support.axe import format_violations, run_axe
from tests.support.browser import OfflinePage, page_from_disk
from tests.support.fixtures import LmsOpener
from tests.support.lms import LmsSession
from tests.support.paths import AXE_SCRIPT, require_files
from tests.support.vnu import run_vnu

COURSE_DIR = ROOT / "tests" / "roots" / "three-lessons"
VERSIONS = [pytest.param("1.2", id="scorm12"), pytest.param("2004", id="scorm2004")]
RUNTIME = {"1.2": "scorm12", "2004": "scorm2004"}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(COURSE_DIR).course


@pytest.fixture(scope="module")
def sites(tmp_path_factory, course) -> dict[str, Path]:
    return write_sites(course, tmp_path_factory.mktemp("course-sites"))


def answer_all(root: Root, questions: tuple[Question, ...], right: list[bool]) -> None:
    """Answer each question, of whatever type, right or wrong."""
    for question, is_right in zip(questions, right, strict=True):
        drive(root, question, "right" if is_right else "wrong")


def open_course(offline_page: OfflinePage, site: Path, path: str = "index.html") -> Page:
    offline_page.open(site, path)
    page = offline_page.page
    expect(page.locator("html.course-ready.quiz-ready")).to_have_count(1)
    return page


def shown_lessons(page) -> list[str]:
    return page.locator("article.lesson:visible").evaluate_all("els => els.map(e => e.id)")


def current_in_outline(page) -> list[str]:
    # text content: a folded outline (a phone) renders no text
    return [" ".join(text.split()) for text in page.locator('.outline-link[aria-current="page"]').all_text_contents()]


def progress_texts(page) -> str:
    """The course progress line, its parts joined as a phone shows them."""
    return " · ".join(page.locator("[data-course-progress] > span").all_text_contents())


def check_shown(page, course: Course, index: int) -> None:
    """Lesson ``index`` alone, marked in the outline, with its sections listed and its pager."""
    lesson = course.lessons[index]
    expect(page.locator(f"#lesson-{lesson.id}")).to_be_visible()  # after the hashchange event
    assert shown_lessons(page) == [f"lesson-{lesson.id}"]
    (current,) = current_in_outline(page)
    assert current.startswith(lesson.label)
    # its sections alone are listed in the outline (which a phone may have folded away)
    listed = page.locator("[data-outline-sections]").evaluate_all(
        "els => els.filter(e => !e.hidden).map(e => e.closest('[data-outline-lesson]').dataset.outlineLesson)")
    assert listed == [f"lesson-{lesson.id}"]
    pager = page.locator(".lesson-pager:visible")
    expect(pager).to_have_count(1)
    wanted = []
    if index > 0:
        wanted.append(f"Previous lesson {course.lessons[index - 1].label}")
    if index < len(course.lessons) - 1:
        wanted.append(f"Next lesson {course.lessons[index + 1].label}")
    assert [" ".join(text.split()) for text in pager.get_by_role("link").all_text_contents()] == wanted
    assert page.title() == f"{lesson.label} — {course.title}"


# ------------------------------------------------------------------ one lesson at a time
def test_one_lesson_is_shown_at_a_time(offline_page, sites, course):
    page = open_course(offline_page, sites["none"])
    check_shown(page, course, 0)
    # the other lessons' content is not on screen, nor in the accessibility tree
    for lesson in course.lessons[1:]:
        expect(page.locator(f"#lesson-{lesson.id}")).to_be_hidden()
        expect(page.get_by_role("heading", name=lesson.title)).to_have_count(0)
    assert page.evaluate("location.hash") == ""


def test_outline_pager_and_the_back_button(offline_page, sites, course):
    page = open_course(offline_page, sites["none"])
    first, second, third = course.lessons
    page.get_by_role("navigation", name="Course outline").get_by_role("link", name=second.label).click()
    assert page.evaluate("location.hash") == f"#lesson-{second.id}"
    check_shown(page, course, 1)
    # the new lesson starts at its top and keyboard focus moves to its title
    expect(page.locator(f"#lesson-{second.id}--title")).to_be_focused()
    assert page.locator(f"#lesson-{second.id}").evaluate("el => Math.abs(el.getBoundingClientRect().top)") < 40

    page.get_by_role("link", name=f"Next lesson {third.label}").click()
    assert page.evaluate("location.hash") == f"#lesson-{third.id}"
    check_shown(page, course, 2)

    page.go_back()
    expect(page.locator(f"#lesson-{second.id}")).to_be_visible()
    check_shown(page, course, 1)
    page.go_back()  # the address the page was opened with: no hash, the first lesson
    expect(page.locator(f"#lesson-{first.id}")).to_be_visible()
    check_shown(page, course, 0)
    page.go_forward()
    expect(page.locator(f"#lesson-{second.id}")).to_be_visible()
    check_shown(page, course, 1)
    page.get_by_role("link", name=f"Previous lesson {first.label}").click()
    check_shown(page, course, 0)
    assert offline_page.page_errors == [] and offline_page.console_errors == []


@pytest.mark.parametrize("fragment", ["security--in-the-cloud", "q-security-data", "lesson-summary"])
def test_a_deep_link_opens_its_lesson_at_its_place(offline_page, sites, course, fragment):
    page = open_course(offline_page, sites["none"], f"index.html#{fragment}")
    lesson = next(i for i, each in enumerate(course.lessons) if fragment.startswith(("lesson-" + each.id,
                                                                                   each.id + "--",
                                                                                   "q-" + each.id)))
    check_shown(page, course, lesson)
    # at the top of the window, or as near as the end of the page lets it come
    top, at_end = page.locator(f"#{fragment}").evaluate(
        "el => [el.getBoundingClientRect().top, "
        "scrollY + innerHeight >= document.documentElement.scrollHeight - 1]")
    assert 0 <= top < 60 or (top >= 0 and at_end), top


def test_links_inside_a_lesson_and_to_another_lesson(offline_page, sites, course):
    page = open_course(offline_page, sites["none"])
    first, second, _ = course.lessons
    # a section of the lesson shown, from the outline
    outline = page.get_by_role("navigation", name="Course outline")
    outline.get_by_role("link", name="Choosing a Model").click()
    assert page.evaluate("location.hash") == f"#{first.id}--choosing"
    check_shown(page, course, 0)
    # a missed question's review link leads to its section
    answer_all(page, first.quiz.questions, [False, False, False])
    page.locator(f"#quiz-{first.quiz.id} [data-review-section]:visible a").first.click()
    expect(page.locator(f"#{first.id}--models")).to_be_in_viewport()
    # a section of another lesson, from the outline, once that lesson is shown
    open_lesson(page, second.id)
    outline.get_by_role("link", name="In the Cloud").click()
    check_shown(page, course, 1)
    expect(page.locator(f"#{second.id}--in-the-cloud")).to_be_in_viewport()


def tab_to(page, target, limit: int = 40) -> None:
    """Press Tab until ``target`` has the keyboard focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def test_the_keyboard_alone_moves_between_lessons(offline_page, sites, course):
    offline_page.page.set_viewport_size(PHONE)
    page = open_course(offline_page, sites["none"])
    first, second, third = course.lessons
    details = page.locator("[data-outline-details]")
    # the folded outline opens from its summary with Enter
    tab_to(page, details.locator("summary"))
    page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")
    tab_to(page, page.locator(f'[data-outline-lesson="lesson-{second.id}"] > a'))
    page.keyboard.press("Enter")
    check_shown(page, course, 1)
    expect(page.locator(f"#lesson-{second.id}--title")).to_be_focused()
    expect(details).not_to_have_attribute("open", "")
    # on from the lesson's title to its pager, without passing through the hidden lessons
    tab_to(page, page.get_by_role("link", name=f"Next lesson {third.label}"))
    page.keyboard.press("Enter")
    check_shown(page, course, 2)
    expect(page.locator(f"#lesson-{third.id}--title")).to_be_focused()


# ------------------------------------------------------------------ course progress
def test_progress_counts_lessons_and_quizzes(offline_page, sites, course):
    page = open_course(offline_page, sites["none"])
    first, second, third = course.lessons
    assert progress_texts(page) == "0 of 3 lessons completed · 0 of 2 quizzes passed"
    marks = page.locator(".outline-mark:visible")
    expect(marks).to_have_count(0)

    # the ordering question counts like the choice questions
    answer_all(page, first.quiz.questions, [True, True, False])
    assert progress_texts(page) == "1 of 3 lessons completed · 1 of 2 quizzes passed"
    first_mark = page.locator(f'[data-outline-lesson="lesson-{first.id}"] .outline-mark')
    expect(first_mark).to_have_text("Quiz 66%")
    page.locator(f"#quiz-{first.quiz.id}").get_by_role("button", name="Try again").click()
    assert progress_texts(page) == "0 of 3 lessons completed · 0 of 2 quizzes passed"
    answer_all(page, first.quiz.questions[:2], [True, True])
    assert progress_texts(page) == "0 of 3 lessons completed · 0 of 2 quizzes passed"  # one open
    answer_all(page, first.quiz.questions[2:], [True])
    assert progress_texts(page) == "1 of 3 lessons completed · 1 of 2 quizzes passed"
    expect(first_mark).to_have_text("Quiz 100%")
    expect(first_mark).to_have_class("outline-mark is-passed")

    # a lesson without a quiz is done once opened
    open_lesson(page, third.id)
    assert progress_texts(page) == "2 of 3 lessons completed · 1 of 2 quizzes passed"
    expect(page.locator(f'[data-outline-lesson="lesson-{third.id}"] .outline-mark')).to_have_text("Done")

    # 1 of 4 points: 25%, under the 60% pass mark: done, not passed
    open_lesson(page, second.id)
    answer_all(page, second.quiz.questions, [True, False, False])
    assert progress_texts(page) == "3 of 3 lessons completed · 1 of 2 quizzes passed"
    second_mark = page.locator(f'[data-outline-lesson="lesson-{second.id}"] .outline-mark')
    expect(second_mark).to_have_text("Quiz 25%")
    expect(second_mark).to_have_class("outline-mark is-failed")
    # the course result as before: 4 of 7 points
    expect(page.locator("[data-course-score]")).to_have_text("Course score: 57% (4 of 7 points).")
    expect(page.locator("#srm-course-result")).to_be_visible()

    # "Try again" (no LMS) takes the lesson back to not done
    page.locator(f"#quiz-{second.quiz.id}").get_by_role("button", name="Try again").click()
    assert progress_texts(page) == "2 of 3 lessons completed · 1 of 2 quizzes passed"
    expect(second_mark).to_be_hidden()


# ------------------------------------------------------------------ without JavaScript, from disk
def test_without_javascript_every_lesson_is_on_the_page(chromium: Browser, sites, course):
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto((sites["none"] / "index.html").as_uri())
        assert shown_lessons(page) == [f"lesson-{lesson.id}" for lesson in course.lessons]
        # the outline is a full table of contents, open, with working links; no pager
        expect(page.locator("[data-outline-details][open]")).to_have_count(1)
        expect(page.locator("[data-outline-sections]:visible")).to_have_count(3)
        expect(page.locator(".lesson-pager:visible")).to_have_count(0)
        page.get_by_role("link", name="In the Cloud").click()
        expect(page.locator(f"#{course.lessons[1].id}--in-the-cloud")).to_be_in_viewport()
        expect(page.locator("noscript").first).to_be_attached()
    finally:
        context.close()


def test_the_html_target_works_from_file(chromium: Browser, sites, course):
    with page_from_disk(chromium, sites["none"] / "index.html") as (page, errors):
        expect(page.locator("html.course-ready.quiz-ready")).to_have_count(1)
        check_shown(page, course, 0)
        page.get_by_role("link", name=f"Next lesson {course.lessons[1].label}").click()
        check_shown(page, course, 1)
        answer(page, course.lessons[1].quiz.questions[0], right_choices(course.lessons[1].quiz.questions[0]))
        page.go_back()
        check_shown(page, course, 0)
        assert errors == []


# ------------------------------------------------------------------ in an LMS
def launch(lms: LmsOpener, sites, version: str, **kwargs: Any) -> LmsSession:
    session = lms(sites[RUNTIME[version]], version=version, **kwargs)
    expect(session.frame_locator.locator("html.course-ready.quiz-ready")).to_have_count(1)
    return session


def location_of(version: str, cmi: dict[str, Any]) -> str:
    return cmi["core"]["lesson_location"] if version == "1.2" else cmi["location"]


@pytest.mark.parametrize("version", VERSIONS)
def test_resume_returns_to_the_last_lesson(lms, sites, course, version):
    first, second, third = course.lessons
    session = launch(lms, sites, version)
    frame = session.frame_locator
    open_lesson(frame, third.id)  # opened: done, and remembered
    # moving to another lesson is saved at once, with where to come back to in it
    open_lesson(frame, second.id)
    assert location_of(version, session.stored_cmi()) == f"q-{second.quiz.questions[0].id}"
    answer(frame, second.quiz.questions[0], right_choices(second.quiz.questions[0]))
    assert location_of(version, session.stored_cmi()) == f"q-{second.quiz.questions[1].id}"
    session.unload_sco()
    session.assert_clean(left=True)

    again = launch(lms, sites, version, initial_cmi=session.next_launch_cmi())
    frame = again.frame
    assert shown_lessons(frame) == [f"lesson-{second.id}"]
    assert frame.title() == f"{second.label} — {course.title}"
    # resume-to-question still works inside the lesson
    note = again.frame_locator.locator("#srm-resume")
    expect(note).to_be_visible()
    note.get_by_role("link").click()
    expect(question_box(again.frame_locator, second.quiz.questions[1])).to_be_in_viewport()
    expect(question_box(again.frame_locator, second.quiz.questions[0]).locator("[data-verdict]:visible")
           ).to_have_text("Correct")
    assert progress_texts(frame) == "1 of 3 lessons completed · 0 of 2 quizzes passed"
    expect(again.frame_locator.locator(f'[data-outline-lesson="lesson-{third.id}"] .outline-mark')).to_have_text("Done")
    again.assert_clean()


@pytest.mark.parametrize("version", VERSIONS)
def test_the_whole_course_sends_one_score(lms, sites, course, version):
    first, second, third = course.lessons
    session = launch(lms, sites, version)
    frame = session.frame_locator
    answer_all(frame, first.quiz.questions, [True, True, True])
    open_lesson(frame, third.id)
    open_lesson(frame, second.id)
    answer_all(frame, second.quiz.questions, [True, False, True])  # 6 of 7 points
    session.wait_until_finished()
    session.assert_clean()
    # the learner reads whole numbers, rounded down: the progress line counts questions, the
    # result points; the LMS gets two decimals
    expect(frame.locator(f"#quiz-{second.quiz.id}--progress [data-progress-count]")).to_have_text(
        "Progress: 2/3 correct (66%).")
    expect(frame.locator(f"#quiz-{second.quiz.id} [data-score-percent]")).to_have_text("75%")
    expect(frame.locator("[data-course-score]")).to_have_text("Course score: 85% (6 of 7 points).")
    cmi = session.cmi()
    if version == "1.2":
        assert (cmi["core"]["lesson_status"], cmi["core"]["score"]["raw"]) == ("passed", "85.71")
    else:
        assert (cmi["success_status"], cmi["score"]["raw"]) == ("passed", "85.71")
    # the score went with the last commit alone
    raws = [commit.cmi.get("core", commit.cmi).get("score", {}).get("raw", "") for commit in session.commits()]
    assert [raw for raw in raws if raw] == ["85.71"] * len([raw for raw in raws if raw])
    assert raws[-1] == "85.71"


@pytest.mark.parametrize("version", VERSIONS)
def test_browse_mode_records_nothing(lms, sites, course, version):
    """Browse ("presented without the intent of recording", as for a teacher's preview, which
    Moodle graded 100 when a score came): the page says so and sends nothing at all."""
    first, second, _ = course.lessons
    mode = {"core": {"lesson_mode": "browse"}} if version == "1.2" else {"mode": "browse"}
    session = launch(lms, sites, version, initial_cmi=mode)
    frame = session.frame_locator
    expect(frame.locator("#srm-lms-status")).to_have_text("Browse mode: your answers are not recorded.")
    answer_all(frame, first.quiz.questions, [True, True, True])
    open_lesson(frame, second.id)
    answer_all(frame, second.quiz.questions, [True, True, True])
    expect(frame.locator("#srm-course-result")).to_be_visible()  # the learner still sees the result
    expect(frame.locator("[data-lms-result]")).to_be_hidden()
    session.unload_sco()
    assert [call.method for call in session.calls() if call.method not in ("LMSGetValue", "GetValue",
                                                                            "LMSGetLastError", "GetLastError",
                                                                            "LMSGetErrorString", "GetErrorString")
            ] == (["LMSInitialize", "LMSFinish"] if version == "1.2" else ["Initialize", "Terminate"])
    # scorm-again sent nothing to the LMS but the finish of the session, with nothing set
    commits = session.commits()
    assert all(commit.terminate for commit in commits), commits
    for commit in commits:
        cmi = commit.cmi
        values = cmi.get("core", cmi)
        assert values.get("score", {}).get("raw", "") == ""
        # (a 1.2 LMS marks a browsed SCO "browsed" itself when the session finishes)
        assert values.get("lesson_status", values.get("completion_status", "")) in (
            "", "not attempted", "unknown", "browsed")
        assert not cmi.get("interactions"), cmi["interactions"]
        assert cmi.get("suspend_data", "") == ""
    session.assert_clean(left=True)


# ------------------------------------------------------------------ phone
def layout_problems(page) -> dict[str, Any]:
    """What a phone must not show: elements sticking out of the viewport (outside a box that
    scrolls), and where the titles start compared with the body text."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const insideScroller = (el) => {
                for (let node = el.parentElement; node; node = node.parentElement) {
                    const style = getComputedStyle(node);
                    if (style.overflowX === 'auto' || style.overflowX === 'scroll') return true;
                }
                return false;
            };
            const wide = [...document.body.querySelectorAll('*')].filter((el) => {
                const box = el.getBoundingClientRect();
                return box.width > 0 && (box.right > width + 0.5 || box.left < -0.5) && !insideScroller(el);
            }).map((el) => el.tagName.toLowerCase() + '.' + el.className);
            const left = (selector) => {
                const el = [...document.querySelectorAll(selector)].find((e) => e.offsetParent !== null);
                return el ? el.getBoundingClientRect().left : null;
            };
            return {
                width, scrollWidth: document.documentElement.scrollWidth, wide,
                courseTitle: left('.course-title'), siteTitle: left('.site-title'),
                lessonText: left('article.lesson:not([hidden]) .lesson-section > :first-child'),
                bodyMargin: parseFloat(getComputedStyle(document.querySelector('.site-header-inner')).paddingLeft),
            };
        }"""
    )


def test_phone_layout(offline_page, sites, course):
    offline_page.page.set_viewport_size(PHONE)
    page = open_course(offline_page, sites["none"])
    # the outline is folded behind its labelled summary, which shows the progress
    details = page.locator("[data-outline-details]")
    expect(details).not_to_have_attribute("open", "")
    summary = details.locator("summary")
    expect(summary).to_contain_text("Course outline")
    expect(summary).to_contain_text("0 of 3 lessons completed")
    assert summary.evaluate("el => el.getBoundingClientRect().height") < 100
    expect(page.locator(".outline-link").first).to_be_hidden()
    for index, lesson in enumerate(course.lessons):
        if index:
            open_lesson(page, lesson.id)
            # choosing a lesson folds the outline again
            expect(details).not_to_have_attribute("open", "")
        found = layout_problems(page)
        assert found["scrollWidth"] <= PHONE["width"], found
        assert found["wide"] == [], found
        # the titles keep the body's side margin, the same as the lesson text
        assert found["bodyMargin"] >= 12, found
        assert found["courseTitle"] == pytest.approx(found["bodyMargin"], abs=1), found
        assert found["siteTitle"] == pytest.approx(found["bodyMargin"], abs=1), found
        assert found["lessonText"] == pytest.approx(found["bodyMargin"], abs=1), found
        if lesson.quiz is not None:
            check_progress_line_is_one_line(page, lesson.quiz.id)


def check_progress_line_is_one_line(page, quiz_id: str) -> None:
    """The quiz's progress line sticks to the bottom of a phone's screen in one line; its hint
    is not shown there but still read out with it."""
    progress = page.locator(f"#quiz-{quiz_id}--progress")
    expect(progress).to_have_css("position", "sticky")
    lines = progress.evaluate("""el => {
        const style = getComputedStyle(el);
        const inner = el.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
        return inner / parseFloat(style.lineHeight);
    }""")
    assert 0.9 < lines < 1.1, lines
    assert "Answer all questions to see the final recommendation." in progress.aria_snapshot()
    hint = progress.locator("[data-progress-hint]").evaluate("el => el.getBoundingClientRect().width")
    assert hint <= 1, hint


def test_a_wide_table_scrolls_in_its_box_with_shadows_at_its_edges(offline_page, sites):
    offline_page.page.set_viewport_size(PHONE)
    page = open_course(offline_page, sites["none"])
    region = page.get_by_role("region", name="The Three Models")
    sizes = region.evaluate("el => [el.scrollWidth, el.clientWidth, el.getBoundingClientRect().right]")
    assert sizes[0] > sizes[1] + 100 and sizes[2] <= PHONE["width"], sizes
    # the affordance: a shadow drawn at each edge (fixed to the box), covered by paper that
    # scrolls with the table wherever that edge of the table is in view
    layers = region.evaluate("el => getComputedStyle(el).backgroundImage")
    assert layers.count("radial-gradient") == 2 and layers.count("linear-gradient") == 2, layers
    assert region.evaluate("el => getComputedStyle(el).backgroundAttachment") == "local, local, scroll, scroll"
    # the stripes of the rows let the shadows through
    stripe = region.locator("tbody tr").nth(1).evaluate("el => getComputedStyle(el).backgroundColor")
    assert stripe.startswith("rgba(") and not stripe.endswith(", 1)"), stripe
    # keyboard users scroll it too: the region takes focus and the arrow keys move it
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.table-wrap').scrollLeft > 0")


# ------------------------------------------------------------------ axe and vnu in every view
def allow_axe(offline_page: OfflinePage) -> None:
    require_files(AXE_SCRIPT)
    offline_page.page.add_init_script(path=str(AXE_SCRIPT))


def test_axe_and_vnu_in_every_view(offline_page, sites, course, tmp_path):
    """Each lesson shown, on a desktop and a phone (outline folded and open), before and after
    its quiz; the Nu HTML Checker reads each view's DOM as the browser holds it."""
    allow_axe(offline_page)
    page = open_course(offline_page, sites["none"])
    snapshots: list[Path] = []

    def check(view: str) -> None:
        violations = run_axe(page)
        assert not violations, f"{view}: {format_violations(violations)}"
        snapshot = tmp_path / f"{view}.html"
        snapshot.write_text("<!DOCTYPE html>\n" + page.evaluate("document.documentElement.outerHTML"),
                            encoding="utf-8")
        snapshots.append(snapshot)

    for width, name in ((1280, "desktop"), (PHONE["width"], "phone")):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(page.url.split("#")[0] + "#lesson-services")
        page.reload()
        expect(page.locator("html.course-ready")).to_have_count(1)
        for lesson in course.lessons:
            open_lesson(page, lesson.id)
            check(f"{name}-{lesson.id}")
            if lesson.quiz is not None and name == "desktop":
                answer_all(page, lesson.quiz.questions, [True] + [False] * (len(lesson.quiz.questions) - 1))
                check(f"{name}-{lesson.id}-answered")
        if name == "phone":
            page.locator("[data-outline-details] > summary").click()
            expect(page.locator("[data-outline-details][open]")).to_have_count(1)
            check("phone-outline-open")
    errors = run_vnu(snapshots)
    assert not errors, "\n".join(map(str, errors))
