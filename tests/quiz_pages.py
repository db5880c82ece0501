"""Driving the rendered quiz as a learner would (by role and label), for the browser and runtime tests."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import FrameLocator, Locator, Page

from srm_package.markup import inline_text
from srm_package.model import Course, Question
from srm_package.package_files import write_file
from srm_package.questions.choice import Choice
from srm_package.render import render_site

Root = Page | FrameLocator


def write_site(course: Course, runtime: str, directory: Path) -> Path:
    """The rendered site as files in ``directory``; returns the directory."""
    for name, content in render_site(course, runtime).items():
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file(target, content)  # bytes, or an image copied from the course folder
    return directory


def write_sites(course: Course, root: Path, runtimes: tuple[str, ...] = ("none", "scorm12", "scorm2004"),
                ) -> dict[str, Path]:
    """The site of each runtime, each in a folder of that name under ``root``."""
    return {runtime: write_site(course, runtime, root / runtime) for runtime in runtimes}


def label(choice: Choice) -> str:
    return inline_text(choice.text)


def right_choices(question: Question) -> list[Choice]:
    return [choice for choice in question.response.choices if choice.correct]


def wrong_choices(question: Question) -> list[Choice]:
    """A wrong answer: the first wrong choice (single), or one wrong choice added (multiple)."""
    first_wrong = next(choice for choice in question.response.choices if not choice.correct)
    if question.kind == "multiple":
        return [*right_choices(question), first_wrong]
    return [first_wrong]


def question_box(root: Root, question: Question) -> Locator:
    return root.locator(f"#q-{question.id}")


def answer(root: Root, question: Question, choices: list[Choice], *, check: str = "Check answer") -> None:
    """Pick ``choices`` by their labels; multiple-answer questions are then checked with the button
    (named ``check`` in the course's language)."""
    box = question_box(root, question)
    if question.kind == "multiple":
        for choice in choices:
            box.get_by_role("checkbox", name=label(choice), exact=True).check()
        box.get_by_role("button", name=check).click()
    else:
        (choice,) = choices
        box.get_by_role("radio", name=label(choice), exact=True).check()


def answer_all(root: Root, questions: tuple[Question, ...], right: list[bool], *, check: str = "Check answer",
               ) -> None:
    for question, is_right in zip(questions, right, strict=True):
        answer(root, question, right_choices(question) if is_right else wrong_choices(question), check=check)


def progress_text(root: Root) -> str:
    return root.locator("[data-progress]").first.inner_text()


def progress_line(correct: int, total: int, percent: str, done: bool) -> str:
    ending = "All questions answered." if done else (
        "Answer all questions to see the final recommendation."
    )
    return f"Progress: {correct}/{total} correct ({percent}%). {ending}"


def open_lesson(root: Root, lesson_id: str) -> None:
    """Show lesson ``lesson_id`` through the outline, as a learner would (a page of one lesson
    has no outline: nothing to do). A folded outline (a narrow screen) is opened first."""
    item = root.locator(f'[data-outline-lesson="lesson-{lesson_id}"]')
    if not item.count():
        return
    summary = root.locator("[data-outline-details] > summary")
    if not root.locator("[data-outline-details][open]").count():
        summary.click()
    item.locator("a.outline-link").click()
    root.locator(f"#lesson-{lesson_id}:visible").wait_for()
