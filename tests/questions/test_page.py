"""The page of every question type as a whole: accessible (axe, Nu HTML Checker) before and after
answering, no script errors, opened straight from disk, and a keyboard-only run through the quiz."""

from __future__ import annotations

import lxml.html
import pytest
from playwright.sync_api import Browser, expect

from srm_package.render import CONTENT_SECURITY_POLICY
from tests.questions.common import all_types
from tests.questions.drivers import answer
from tests.questions.pages import all_types_site, open_all_types
from tests.quiz_pages import progress_text
from tests.support.axe import format_violations, run_axe
from tests.support.browser import page_from_disk
from tests.support.paths import AXE_SCRIPT, require_files
from tests.support.vnu import run_vnu


@pytest.mark.parametrize("runtime", ["none", "scorm2004"])
def test_axe_finds_nothing_before_and_after_every_answer(offline_page, runtime):
    require_files(AXE_SCRIPT)
    offline_page.page.add_init_script(path=str(AXE_SCRIPT))
    page = open_all_types(offline_page, runtime)
    before = run_axe(page)
    assert not before, format_violations(before)
    # partly right where a type has parts, so every kind of mark and verdict is on show
    for n, question in enumerate(all_types().questions):
        answer(page, question, "partial" if n % 3 == 0 else "wrong" if n % 3 == 1 else "right")
    expect(page.locator("[data-result]")).to_be_visible()
    after = run_axe(page)
    assert not after, format_violations(after)
    assert offline_page.page_errors == [] and offline_page.console_errors == []


def test_vnu_finds_no_error():
    pages = [all_types_site(runtime) / "index.html" for runtime in ("none", "scorm12", "scorm2004")]
    errors = run_vnu(pages)
    assert not errors, "\n".join(map(str, errors))


def test_the_plain_site_works_from_disk(chromium: Browser):
    """file:// pages: classic deferred scripts only (no modules, which browsers refuse there)."""
    site = all_types_site("none")
    html = (site / "index.html").read_text(encoding="utf-8")
    assert 'type="module"' not in html and "<script>" not in html
    document = lxml.html.fromstring(html)
    assert document.xpath("//meta[@http-equiv='Content-Security-Policy']/@content") == [CONTENT_SECURITY_POLICY]
    assert all(script.get("defer") is not None for script in document.xpath("//script[@src]"))
    with page_from_disk(chromium, site / "index.html") as (page, errors):
        expect(page.locator("html.quiz-ready")).to_have_count(1)
        for question in all_types().questions:
            answer(page, question, "right")
        total = len(all_types().questions)
        assert progress_text(page).startswith(f"Progress: {total}/{total} correct (100%).")
        assert errors == []


def test_try_again_resets_every_type(offline_page):
    page = open_all_types(offline_page)
    for question in all_types().questions:
        answer(page, question, "wrong")
    page.get_by_role("button", name="Try again").click()
    expect(page.locator("[data-verdict]:visible")).to_have_count(0)
    expect(page.locator("select:disabled, input[readonly], input:disabled")).to_have_count(0)
    expect(page.locator("[data-correct-part]:visible, .choice-mark:visible")).to_have_count(0)
    expect(page.locator(".is-right, .is-wrong")).to_have_count(0)
    for question in all_types().questions:  # and every type can be answered again
        answer(page, question, "right")
    expect(page.locator("[data-score-percent]")).to_have_text("100%")


def test_tab_order_reaches_every_control_in_reading_order(offline_page):
    """Keyboard only: Tab walks the quiz's controls in document order, none skipped or trapped."""
    page = open_all_types(offline_page)
    controls = page.locator("#quiz-all-types-quiz").evaluate(
        """quiz => [...quiz.querySelectorAll('input, select, button')]
            .filter(e => !e.disabled && e.offsetParent !== null)
            .filter(e => e.type !== 'radio' || e === quiz.querySelector(`input[name="${e.name}"]`))
            .map(e => e.id || e.dataset.move + ':' + e.closest('li').dataset.item || e.textContent)""")
    page.locator("#quiz-all-types-quiz input, #quiz-all-types-quiz select").first.focus()
    seen = []
    for _ in range(len(controls)):
        seen.append(page.evaluate("""() => { const e = document.activeElement;
            return e.id || e.dataset.move + ':' + e.closest('li').dataset.item || e.textContent; }"""))
        page.keyboard.press("Tab")
    assert seen == controls
