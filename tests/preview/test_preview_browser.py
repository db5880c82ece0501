"""The preview in Chromium: the course in the simulated LMS, live reload, the problem overlay,
what the panel shows, relaunch and browse mode, and the panel's accessibility."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, FrameLocator, Page, expect

from srm_package.loader import load_course
from tests.preview.conftest import PreviewProcess, start_preview
from tests.quiz_pages import answer, answer_all, right_choices, wrong_choices
from tests.support.axe import format_violations, run_axe

LESSON = "lessons/13-shared-responsibility-model.md"
QUIZ = "lessons/13-shared-responsibility-model.quiz.yaml"


@pytest.fixture
def panel(chromium: Browser, preview: PreviewProcess) -> Iterator[Page]:
    yield from open_panel(chromium, preview)


def open_panel(chromium: Browser, preview: PreviewProcess, *, bypass_csp: bool = False) -> Iterator[Page]:
    """The panel at 1280 px with the course launched. ``bypass_csp`` only for axe, which is
    injected as an inline script: every other test runs under the packages' CSP."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-US",
                                   bypass_csp=bypass_csp)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(preview.url)
    launched(page, "SCORM 1.2, attempt 1, session 1: running (normal mode)")
    yield page
    context.close()
    assert errors == []


def launched(page: Page, session_line: str) -> None:
    """Wait until the course in the frame has started the session the panel describes (the
    course calls Initialize as it starts, and the panel shows it right after)."""
    expect(page.locator("#session-line")).to_contain_text(session_line)


def sco(page: Page) -> FrameLocator:
    return page.frame_locator("#sco")


def field(page: Page, name: str):
    return page.locator(f'[data-field="{name}"] dd')


def questions(preview: PreviewProcess):
    return load_course(preview.source).course.questions


def test_answers_show_in_the_panel_as_the_lms_stores_them(panel: Page, preview: PreviewProcess) -> None:
    qs = questions(preview)
    answer(sco(panel), qs[0], right_choices(qs[0]))
    rows = panel.locator("#interactions tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("shared_responsibility_model__ec2_os_patching")
    # SCORM 1.2 names a choice by its place in the source: the right one's letter, both times
    letter = "abcdefghijklmnopqrstuvwxyz"[[c.correct for c in qs[0].response.choices].index(True)]
    expect(rows.first.locator("td")).to_have_text(
        ["shared_responsibility_model__ec2_os_patching", "choice", letter, letter, "correct"])
    expect(field(panel, "status")).to_have_text("incomplete")
    answer_all(sco(panel), qs[1:], [True, False, True, True])
    expect(rows).to_have_count(5)
    expect(rows.nth(2).locator("td").nth(4)).to_have_text("wrong")
    expect(field(panel, "score")).to_have_text("80 (min 0, max 100)")
    expect(field(panel, "status")).to_have_text("passed")
    expect(field(panel, "exit")).to_have_text('"" (empty)')  # the quiz finished the session
    expect(panel.locator("#suspend-size")).to_contain_text(" of 4,096 characters")
    assert re.fullmatch(r"\d{4}:\d\d:\d\d\.\d\d", field(panel, "total-time").inner_text())
    expect(panel.locator("#calls .is-error")).to_have_count(0)  # nothing a strict LMS refuses


def test_relaunch_resumes_with_the_answers_and_a_new_attempt_starts_empty(panel: Page,
                                                                          preview: PreviewProcess) -> None:
    qs = questions(preview)
    answer(sco(panel), qs[0], wrong_choices(qs[0]))
    answer(sco(panel), qs[1], right_choices(qs[1]))
    panel.get_by_role("button", name="Relaunch").click()
    launched(panel, "attempt 1, session 2: running")
    expect(field(panel, "entry")).to_have_text("resume")
    expect(field(panel, "exit")).to_have_text("suspend")
    box = sco(panel).locator(f"#q-{qs[0].id}")
    expect(box).to_have_class(re.compile("is-incorrect"))
    expect(sco(panel).locator(f"#q-{qs[1].id}")).to_have_class(re.compile("is-correct"))
    expect(sco(panel).locator("#srm-resume")).to_be_visible()
    expect(panel.locator("#interactions tbody tr")).to_have_count(2)
    panel.get_by_role("button", name="New attempt").click()
    launched(panel, "attempt 2, session 1: running")
    expect(field(panel, "entry")).to_have_text("ab-initio")
    expect(panel.locator("#no-interactions")).to_be_visible()
    expect(sco(panel).locator(f"#q-{qs[0].id}")).not_to_have_class(re.compile("is-answered"))


def test_browse_mode_records_nothing(panel: Page, preview: PreviewProcess) -> None:
    qs = questions(preview)
    answer(sco(panel), qs[0], right_choices(qs[0]))
    expect(panel.locator("#interactions tbody tr")).to_have_count(1)
    panel.get_by_role("button", name="Launch in browse mode").click()
    launched(panel, "running (browse mode)")
    expect(field(panel, "mode")).to_have_text("browse, no-credit")
    expect(sco(panel).locator("#srm-lms-status")).to_have_text("Browse mode: your answers are not recorded.")
    stored_before = panel.locator("#stored").inner_text()
    suspend_before = panel.locator("#suspend-text").text_content()
    answer(sco(panel), qs[1], right_choices(qs[1]))
    expect(sco(panel).locator(f"#q-{qs[1].id}")).to_have_class(re.compile("is-answered"))
    panel.get_by_role("button", name="End session").click()
    expect(sco(panel).get_by_role("heading", name="The session has ended")).to_be_visible()
    expect(panel.locator("#interactions tbody tr")).to_have_count(1)
    calls = panel.locator("#calls li").all_inner_texts()
    last_launch = max(i for i, line in enumerate(calls) if line.startswith("LMSInitialize"))
    browse_calls = calls[last_launch:]
    assert any(line.startswith("LMSGetValue") for line in browse_calls)
    assert not [line for line in browse_calls if line.startswith(("LMSSetValue", "LMSCommit"))]
    assert panel.locator("#suspend-text").text_content() == suspend_before
    assert panel.locator("#stored").inner_text() == stored_before


def test_scorm_2004_from_the_panel(panel: Page, preview: PreviewProcess) -> None:
    qs = questions(preview)
    panel.get_by_label("Run-time").select_option("2004")
    launched(panel, "SCORM 2004, attempt 1, session 1: running")
    expect(field(panel, "entry")).to_have_text("ab-initio")
    expect(panel.locator('[data-field="status"] code')).to_have_text("cmi.completion_status")
    answer_all(sco(panel), qs, [True, True, True, True, False])
    expect(field(panel, "status")).to_have_text("completed")
    expect(field(panel, "success")).to_have_text("passed")
    expect(field(panel, "scaled")).to_have_text("0.8")
    expect(panel.locator("#interactions tbody tr").nth(4).locator("td").nth(4)).to_have_text("incorrect")
    expect(panel.locator("#suspend-size")).to_contain_text(" of 64,000 characters")
    expect(panel.locator("#calls .is-error")).to_have_count(0)
    # the attempt ended with exit "normal": a 2004 LMS starts a new one on the next launch
    panel.get_by_role("button", name="Relaunch").click()
    launched(panel, "SCORM 2004, attempt 2, session 1: running")


def test_saving_a_lesson_reloads_the_page_with_the_change_keeping_the_scroll(panel: Page,
                                                                           preview: PreviewProcess) -> None:
    qs = questions(preview)
    answer(sco(panel), qs[0], right_choices(qs[0]))
    expect(panel.locator("#interactions tbody tr")).to_have_count(1)
    frame = panel.frame(url=re.compile("/course/scorm12/"))
    frame.evaluate("window.scrollTo({top: 900, behavior: \"instant\"})")
    lesson = preview.source / LESSON
    lesson.write_text(lesson.read_text().replace("## The Shared Responsibility Model {#overview}",
                                                 "## The Shared Responsibility Model, Edited {#overview}"))
    expect(sco(panel).locator("#overview")).to_contain_text("Edited")
    frame = panel.frame(url=re.compile("/course/scorm12/"))
    panel.wait_for_function("() => document.querySelector('#sco').contentWindow.scrollY > 800")
    # the resume note now shown above may shift it by its height (the browser keeps the same
    # content in view), but the page did not go back to the top
    assert 900 <= frame.evaluate("window.scrollY") <= 900 + sco(panel).locator("#srm-resume").bounding_box()["height"] + 40
    # the reload was a relaunch: the session ended with suspend and the answer came back
    launched(panel, "attempt 1, session 2: running")
    expect(field(panel, "entry")).to_have_text("resume")
    expect(sco(panel).locator(f"#q-{qs[0].id}")).to_have_class(re.compile("is-correct"))
    expect(panel.locator("#calls .is-error")).to_have_count(0)


def test_a_broken_file_shows_every_problem_and_fixing_it_clears_them(panel: Page,
                                                                    preview: PreviewProcess) -> None:
    quiz = preview.source / QUIZ
    good = quiz.read_text()
    broken = good.replace("section: customer-responsibility", "section: no-such-section", 1)
    broken = broken.replace("points: 1", "points: 0", 1)
    quiz.write_text(broken)
    overlay = sco(panel).get_by_role("alert")
    expect(overlay).to_contain_text("2 problems in the sources")
    items = overlay.locator("li")
    expect(items).to_have_count(2)
    shown = items.all_inner_texts()
    assert all(re.match(rf"{re.escape(str(quiz))}:\d+:\d+: ", item) for item in shown), shown
    # the same lines as `srm-package check`
    from click.testing import CliRunner

    from srm_package.cli import main

    checked = CliRunner().invoke(main, ["check", str(preview.source)])
    assert shown == checked.output.splitlines()[:2]
    # the last good build stays on screen under the list
    expect(sco(panel).locator("#overview")).to_be_visible()
    quiz.write_text(good)
    expect(sco(panel).get_by_role("alert")).to_have_count(0)


def test_the_panel_passes_axe_and_works_by_keyboard(chromium: Browser, preview: PreviewProcess) -> None:
    opened = open_panel(chromium, preview, bypass_csp=True)
    panel = next(opened)
    qs = questions(preview)
    answer(sco(panel), qs[0], right_choices(qs[0]))
    expect(panel.locator("#interactions tbody tr")).to_have_count(1)
    violations = run_axe(panel)
    assert violations == [], format_violations(violations)
    panel.locator("#version").focus()
    panel.keyboard.press("Tab")
    expect(panel.get_by_role("button", name="End session")).to_be_focused()
    panel.keyboard.press("Tab")
    expect(panel.get_by_role("button", name="Relaunch")).to_be_focused()
    panel.keyboard.press("Enter")
    launched(panel, "session 2: running")
    expect(field(panel, "entry")).to_have_text("resume")
    next(opened, None)  # closes the context and checks for script errors


def test_the_problem_page_before_any_good_build(chromium: Browser, seed_copy: Path) -> None:
    (seed_copy / LESSON).write_text("no front matter\n")
    running = start_preview(seed_copy)
    try:
        page = chromium.new_page(bypass_csp=True)  # for axe, injected inline
        page.goto(running.url + "course/html/index.html")
        expect(page.get_by_role("alert")).to_contain_text(f"{seed_copy / LESSON}:1:1")
        assert run_axe(page) == []
        (seed_copy / LESSON).write_text((Path(__file__).parents[2] / "source" / LESSON).read_text())
        expect(page.locator("#overview")).to_be_visible()
        page.close()
    finally:
        running.stop()
