"""Screenshots of the student pages for docs/screenshots/: ``python -m tests.screenshots``.

Renders the seed course, opens it in headless Debian Chromium at 1280 px (and 390 px for the
phone view), answers the quiz with one mistake in two, and saves PNGs; then the lesson of
tests/roots/media (a figure, formulas, highlighted code) at 1280 and 390 px; then each question
type of tests/roots/all-types answered (partly right where it can be), at 1280 and 390 px
(``question-<type>.png``, ``question-<type>-phone.png``); then the course of
tests/roots/three-lessons (one lesson at a time, the outline, a wide table on a phone); the German
and Arabic courses of tests/roots (right to left) at 1280 and 390 px; the pooled quiz of
tests/roots/pooled-quiz (a fixed draw) at 1280 and 390 px. Not a test: run it after
changing the templates, then look at the pictures.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from srm_package import i18n
from srm_package.loader import load_course
from tests.questions.drivers import answer
from tests.quiz_pages import answer_all, open_lesson, write_site
from tests.support.browser import CHROMIUM_ARGS
from tests.support.paths import CHROMIUM, ROOT

OUT = ROOT / "docs" / "screenshots"
MEDIA_COURSE = ROOT / "tests" / "roots" / "media"
THREE_LESSONS = ROOT / "tests" / "roots" / "three-lessons"
GERMAN_COURSE = ROOT / "tests" / "roots" / "german"
ARABIC_COURSE = ROOT / "tests" / "roots" / "arabic"
MIXED = [True, False, True, True, False]
ALL_TYPES = ROOT / "tests" / "roots" / "all-types"
POOLED_COURSE = ROOT / "tests" / "roots" / "pooled-quiz"
#: per widget, the question shown and how it is answered
WIDGETS = {
    "matching": ("match-layers", "partial"),
    "fill-in": ("fill-of-in", "partial"),
    "numeric": ("half-life", "wrong"),
    "ordering": ("order-stack", "partial"),
}
PHONE = {"width": 390, "height": 844}


def _shoot_at(page: Page, selector: str, path: Path, above: int = 24) -> None:
    """A viewport-sized picture whose top is just above ``selector``."""
    top = page.locator(selector).first.evaluate("el => el.getBoundingClientRect().top + window.scrollY")
    page.evaluate(f"window.scrollTo(0, {max(0, top - above)})")
    page.wait_for_timeout(150)
    page.screenshot(path=str(path))


def _shoot_course(browser: Browser, folder: Path) -> None:
    """A course of three lessons: the first lesson's quiz done, then the second lesson shown
    (desktop), the first lesson with the outline folded and open, and its wide table (phone)."""
    course = load_course(THREE_LESSONS).course
    first, second, _ = course.lessons
    site = write_site(course, "none", folder)
    desktop = browser.new_page(viewport={"width": 1280, "height": 1000})
    desktop.emulate_media(reduced_motion="reduce")
    desktop.goto((site / "index.html").as_uri())
    for question in first.quiz.questions:  # choice and ordering questions
        answer(desktop, question, "right")
    open_lesson(desktop, second.id)
    desktop.evaluate("window.scrollTo(0, 0)")
    desktop.wait_for_timeout(150)
    desktop.screenshot(path=str(OUT / "course-desktop.png"))

    phone = browser.new_page(viewport=PHONE, device_scale_factor=2)
    phone.emulate_media(reduced_motion="reduce")
    phone.goto((site / "index.html").as_uri())
    for question in first.quiz.questions:
        answer(phone, question, "right")
    phone.evaluate("window.scrollTo(0, 0)")
    phone.wait_for_timeout(150)
    phone.screenshot(path=str(OUT / "course-phone.png"))
    summary = phone.locator("[data-outline-details] > summary")
    summary.click()
    phone.wait_for_timeout(150)
    phone.screenshot(path=str(OUT / "course-phone-outline.png"))
    summary.click()
    _shoot_at(phone, f"#{first.id}--models", OUT / "phone-table.png", above=16)


def _languages(browser, tmp: Path) -> None:
    """A German and an Arabic course (tests/roots), the quiz answered with one mistake."""
    for name, root in (("german", GERMAN_COURSE), ("arabic", ARABIC_COURSE)):
        course = load_course(root).course
        questions = course.lessons[0].quiz.questions
        site = write_site(course, "none", tmp / name)
        for width, prefix in ((1280, ""), (390, "phone-")):
            view = browser.new_page(viewport={"width": width, "height": 1000 if width > 400 else 844},
                                    device_scale_factor=1 if width > 400 else 2)
            view.emulate_media(reduced_motion="reduce")
            view.goto((site / "index.html").as_uri())
            view.screenshot(path=str(OUT / f"{prefix}{name}-lesson.png"))
            check = i18n.strings_for(course).pgettext("check_answer", "Check answer")
            answer_all(view, questions, [True, False, True], check=check)
            _shoot_at(view, f"#q-{questions[-1].id}", OUT / f"{prefix}{name}-quiz.png", above=-40)


#: a fixed random source for the page (quiz.js reads window.SrmRandom): the same draw in every picture
_FIXED_DRAW = """window.SrmRandom = (function () {
  var seed = 7;
  return function () { seed = (seed * 16807) % 2147483647; return (seed - 1) / 2147483646; };
})();"""


def _pools(browser: Browser, tmp: Path) -> None:
    """The quiz of tests/roots/pooled-quiz: four of its seven questions drawn, numbered 1 to 4."""
    site = write_site(load_course(POOLED_COURSE).course, "none", tmp / "pooled")
    for width, name in ((1280, "quiz-pool.png"), (390, "phone-quiz-pool.png")):
        view = browser.new_page(viewport={"width": width, "height": 1000 if width > 400 else 844},
                                device_scale_factor=1 if width > 400 else 2)
        view.emulate_media(reduced_motion="reduce")
        view.add_init_script(_FIXED_DRAW)
        view.goto((site / "index.html").as_uri())
        view.wait_for_selector("html.quiz-ready")
        _shoot_at(view, ".quiz", OUT / name)


def main() -> int:
    course = load_course(ROOT / "source").course
    questions = course.lessons[0].quiz.questions
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        site = write_site(course, "none", Path(tmp) / "site")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.emulate_media(reduced_motion="reduce")
        page.goto((site / "index.html").as_uri())
        page.screenshot(path=str(OUT / "lesson.png"))
        _shoot_at(page, "#customer-managed-security", OUT / "lesson-tables.png")
        answer_all(page, questions, MIXED)
        _shoot_at(page, f"#q-{questions[1].id}", OUT / "quiz-feedback.png")
        _shoot_at(page, f"#q-{questions[-1].id}", OUT / "quiz-finished.png", above=-300)

        phone = browser.new_page(viewport=PHONE, device_scale_factor=2)
        phone.emulate_media(reduced_motion="reduce")
        phone.goto((site / "index.html").as_uri())
        answer_all(phone, questions[:2], MIXED[:2])  # the sticky progress line in view
        _shoot_at(phone, f"#q-{questions[1].id}", OUT / "phone-quiz.png", above=120)

        media = write_site(load_course(MEDIA_COURSE).course, "none", Path(tmp) / "media")
        for width, name in ((1280, "lesson-media.png"), (390, "phone-lesson-media.png")):
            view = browser.new_page(viewport={"width": width, "height": 1000 if width > 400 else 844},
                                    device_scale_factor=1 if width > 400 else 2)
            view.emulate_media(reduced_motion="reduce")
            view.goto((media / "index.html").as_uri())
            _shoot_at(view, "#layers", OUT / name)
            _shoot_at(view, "#sizing", OUT / name.replace(".png", "-2.png"))

        every_type = load_course(ALL_TYPES).course
        types_site = write_site(every_type, "none", Path(tmp) / "types")
        for width, scale, suffix in ((1280, 1, ""), (390, 2, "-phone")):
            page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=scale)
            page.emulate_media(reduced_motion="reduce")
            page.goto((types_site / "index.html").as_uri())
            for name, (question_id, how) in WIDGETS.items():
                question = next(q for q in every_type.questions if q.id == question_id)
                answer(page, question, how)
                box = page.locator(f"#q-{question_id}")
                box.scroll_into_view_if_needed()
                page.mouse.move(0, 0)  # no hover effects in the picture
                box.screenshot(path=str(OUT / f"question-{name}{suffix}.png"))
            page.close()

        _shoot_course(browser, Path(tmp) / "course")
        _languages(browser, Path(tmp))
        _pools(browser, Path(tmp))
        browser.close()
    for path in sorted(OUT.glob("*.png")):
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
