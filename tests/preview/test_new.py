"""``srm-package new``: a course folder that checks, builds and validates at once, and shows
every part of the source format."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from srm_package import model
from srm_package.cli import main
from srm_package.loader import load_course
from srm_package.questions import KINDS
from srm_package.questions.choice import TYPE as CHOICE
from srm_package.targets import TARGETS
from tests.conftest import ROOT


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env_python = [sys.executable, "-m", "srm_package", *args]
    return subprocess.run(env_python, capture_output=True, text=True, cwd=cwd,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_new_course_checks_builds_and_every_target_validates(tmp_path: Path, schemas: Path) -> None:
    folder = tmp_path / "Cloud Basics"
    made = run("new", str(folder), "--title", 'Cloud: "the" basics', "--language", "en-GB")
    assert made.returncode == 0, made.stderr
    checked = run("check", str(folder))
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == ""  # not even a warning
    assert 'Cloud: "the" basics (cloud-basics)' in checked.stdout
    built = run("build", str(folder), "-o", str(tmp_path / "dist"))
    assert built.returncode == 0, built.stderr
    assert built.stdout.count("wrote ") == len(TARGETS)
    validated = run("validate", str(tmp_path / "dist"), "--strict", "--schemas", str(schemas))
    assert validated.returncode == 0, validated.stdout
    assert f"{len(TARGETS)} packages: all passed; 0 errors, 0 warnings" in validated.stdout


def test_new_writes_gitignore_readme_and_ci_workflow(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    result = CliRunner().invoke(main, ["new", str(folder), "--id", "cloud-101", "--title", "Cloud 101"])
    assert result.exit_code == 0, result.output
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "dist/"
    readme = (folder / "README.md").read_text()
    assert readme.startswith("# Cloud 101\n")
    for step in ("srm-package preview .", "srm-package check .", "srm-package build . -o dist",
                 "srm-package validate dist", "cloud-101-scorm12.zip", "cloud-101.mbz"):
        assert step in readme
    workflow_text = (folder / ".github" / "workflows" / "course-packages.yml").read_text()
    workflow = yaml.safe_load(workflow_text)
    commands = [step.get("run", "") for step in workflow["jobs"]["packages"]["steps"]]
    assert "srm-package check ." in commands
    assert "srm-package build . -o dist" in commands
    assert "source" not in " ".join(commands)  # the course is at the top of the repository
    assert load_course(folder).course.id == "cloud-101"


def test_new_refuses_a_non_empty_folder_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    result = CliRunner().invoke(main, ["new", str(folder)])
    assert result.exit_code == 2
    assert "not an empty folder" in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_new_fills_an_empty_folder(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    result = CliRunner().invoke(main, ["new", str(folder)])
    assert result.exit_code == 0, result.output
    assert load_course(folder).course.id == "empty"
    assert folder.stat().st_mode & 0o055  # readable by others, as a plain mkdir makes it


@pytest.mark.parametrize(("option", "value", "words"), [
    ("--id", "9-lives", "id: invalid id '9-lives'"),
    ("--language", "english please", "language: expected a language tag"),
    ("--title", " ", "title"),
])
def test_new_rejects_options_that_make_an_invalid_course(tmp_path: Path, option: str, value: str,
                                                          words: str) -> None:
    result = CliRunner().invoke(main, ["new", str(tmp_path / "c"), option, value])
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert list(tmp_path.iterdir()) == []  # nothing written, no staging folder left


def test_starter_course_shows_every_part_of_the_format(tmp_path: Path) -> None:
    """When a feature lands (a block, a call-out kind, a question type), the starter shows it."""
    CliRunner().invoke(main, ["new", str(tmp_path / "c")])
    loaded = load_course(tmp_path / "c")
    assert loaded.warnings == ()
    course = loaded.course
    blocks = list(_walk(block for lesson in course.lessons for section in lesson.sections
                        for block in section.blocks))
    block_types = {type(block) for block in blocks}
    assert block_types >= set(model.Block.__args__)  # every kind of block, a figure too
    assert course.media and all(media.media_type == "image/svg+xml" for media in course.media)
    kinds = {block.kind for block in blocks if isinstance(block, model.Callout)}
    assert kinds >= set(model.CALLOUT_TITLES)
    assert any(isinstance(b, model.Callout) and b.title for b in blocks)  # a call-out with its own title
    questions = course.questions
    assert {question.kind for question in questions} == set(KINDS)  # every question type
    assert any(choice.feedback for question in questions if question.kind in CHOICE.kinds
               for choice in question.response.choices)
    assert any(question.explanation for question in questions)
    assert any(question.feedback.incorrect for question in questions)
    quiz = course.lessons[0].quiz
    assert quiz.shuffle.choices and len(quiz.recommendation.bands) >= 2
    assert quiz.groups and quiz.asked < len(quiz.questions)  # a pool


def _walk(blocks):
    for block in blocks:
        yield block
        if isinstance(block, model.ListBlock):
            for item in block.items:
                yield from _walk(item)
        elif isinstance(block, (model.Callout, model.Quote)):
            yield from _walk(block.blocks)
        elif isinstance(block, model.Comparison):
            for column in block.columns:
                yield from _walk(column.blocks)
