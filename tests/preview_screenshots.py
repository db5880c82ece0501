"""Screenshots of ``srm-package preview`` for docs/screenshots/: ``python -m tests.preview_screenshots``.

Starts a real preview of a copy of the seed course, answers two questions in the panel's frame
at 1280 px, and saves the panel with what the LMS stores; then breaks the quiz file and saves the
problem list over the page. Not a test: run it after changing the preview, then look.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from srm_package.loader import load_course
from tests.preview.conftest import start_preview
from tests.quiz_pages import answer, right_choices, wrong_choices
from tests.support.browser import launch_chromium
from tests.support.paths import ROOT

OUT = ROOT / "docs" / "screenshots"
QUIZ = "lessons/13-shared-responsibility-model.quiz.yaml"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(ROOT / "source", Path(folder) / "source")
        os.chdir(folder)  # the problem list then names source/..., as a user's check would
        source = Path("source")
        questions = load_course(source).course.questions
        running = start_preview(source)
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(running.url)
                expect(page.locator("#session-line")).to_contain_text("running")
                frame = page.frame_locator("#sco")
                answer(frame, questions[0], right_choices(questions[0]))
                answer(frame, questions[1], wrong_choices(questions[1]))
                expect(page.locator("#interactions tbody tr")).to_have_count(2)
                frame.locator(f"#q-{questions[1].id}").scroll_into_view_if_needed()
                page.wait_for_timeout(300)
                page.screenshot(path=str(OUT / "preview-panel.png"))
                quiz = source / QUIZ
                quiz.write_text(quiz.read_text().replace("section: customer-responsibility", "section: costs", 1)
                                .replace("points: 1", "points: 0", 1))
                expect(frame.get_by_role("alert")).to_be_visible()
                page.wait_for_timeout(300)
                page.screenshot(path=str(OUT / "preview-problems.png"))
                browser.close()
        finally:
            running.stop()


if __name__ == "__main__":
    main()
