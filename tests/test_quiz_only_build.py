"""Builds of quiz-only targets (canvas-qti, moodle-xml) read lessons as far as their front
matter: the same packages as a full build, and still every front-matter and quiz mistake."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks import make_course
from srm_package.cli import main
from srm_package.errors import SourceError
from srm_package.loader import load_course
from srm_package.targets import QUIZ_ONLY, TARGETS, needs_lesson_bodies
from tests.conftest import SOURCE
from tests.test_loader import LESSON_FILE, QUIZ_FILE, _lesson, _quiz, write_course

QUIZ_TARGETS = sorted(QUIZ_ONLY)


def build(source: Path, out: Path, *targets: str):
    args = ["build", str(source), "-o", str(out)]
    for target in targets:
        args += ["-t", target]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    make_course.generate(3, 24, tmp_path / "generated")
    return tmp_path / "generated" / "source"


def test_only_page_free_targets_skip_the_bodies() -> None:
    assert set(QUIZ_TARGETS) < set(TARGETS)
    assert not needs_lesson_bodies(["canvas-qti"]) and not needs_lesson_bodies(QUIZ_TARGETS)
    for name in set(TARGETS) - QUIZ_ONLY:
        assert needs_lesson_bodies([name]) and needs_lesson_bodies(["canvas-qti", name])


@pytest.mark.parametrize("course", ["seed", "generated"])
def test_quiz_only_packages_are_those_of_a_full_build(tmp_path: Path, monkeypatch, generated, course) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    source = SOURCE if course == "seed" else generated
    assert build(source, tmp_path / "full").exit_code == 0
    assert build(source, tmp_path / "quizzes", *QUIZ_TARGETS).exit_code == 0
    full, quizzes = files(tmp_path / "full"), files(tmp_path / "quizzes")
    assert len(quizzes) == 2
    assert quizzes == {name: full[name] for name in quizzes}


def test_without_bodies_a_lesson_keeps_its_front_matter_and_quiz(generated: Path) -> None:
    full = load_course(generated).course
    bare = load_course(generated, lesson_bodies=False).course
    assert all(lesson.sections for lesson in full.lessons)
    assert all(lesson.intro == () and lesson.sections == () for lesson in bare.lessons)
    assert bare.lessons == tuple(dataclasses.replace(lesson, intro=(), sections=()) for lesson in full.lessons)
    assert dataclasses.replace(full, lessons=bare.lessons) == bare


BODY_MISTAKE = {LESSON_FILE: _lesson("::: key-principle", "::: key-principal")}


def test_a_body_mistake_fails_check_and_page_builds_but_not_quiz_only_builds(tmp_path: Path) -> None:
    source = write_course(tmp_path / "course", BODY_MISTAKE)
    with pytest.raises(SourceError, match="unknown call-out kind 'key-principal'"):
        load_course(source)
    checked = CliRunner().invoke(main, ["check", str(source)])
    assert checked.exit_code == 1 and "key-principal" in checked.output
    mixed = build(source, tmp_path / "mixed", "canvas-qti", "html")
    assert mixed.exit_code == 1 and "key-principal" in mixed.output
    assert not (tmp_path / "mixed").exists()
    quizzes = build(source, tmp_path / "quizzes", *QUIZ_TARGETS)
    assert quizzes.exit_code == 0, quizzes.output
    assert len([p for p in (tmp_path / "quizzes").iterdir() if not p.name.startswith(".")]) == 2


def test_a_section_reference_is_checked_only_with_the_bodies(tmp_path: Path) -> None:
    source = write_course(tmp_path / "course", {QUIZ_FILE: _quiz("    section: basics", "    section: basic")})
    with pytest.raises(SourceError, match="no section 'basic' in lesson 'lesson-one'"):
        load_course(source)
    quiz = load_course(source, lesson_bodies=False).course.lessons[0].quiz
    assert quiz.questions[0].section_id == "basic"


@pytest.mark.parametrize(("changed", "where", "message"), [
    ({LESSON_FILE: _lesson("title: Lesson One\n", "")}, f"{LESSON_FILE}:2", "missing required field 'title'"),
    ({LESSON_FILE: _lesson("number: 1", "number: first")}, f"{LESSON_FILE}:3", "expected a whole number"),
    ({LESSON_FILE: "Intro without front matter.\n\n## Basics\n"}, f"{LESSON_FILE}:1",
     "a lesson must start with front matter"),
    ({QUIZ_FILE: _quiz("    type: true_false", "    type: essay")}, f"{QUIZ_FILE}:22", "essay"),
    ({QUIZ_FILE: None}, "course.yaml:10", "file not found"),
])
def test_quiz_only_builds_still_report_front_matter_and_quiz_mistakes(tmp_path: Path, changed, where, message):
    source = write_course(tmp_path / "course", changed)
    result = build(source, tmp_path / "dist", *QUIZ_TARGETS)
    assert result.exit_code == 1
    assert where in result.output and message in result.output
    assert not (tmp_path / "dist").exists()


# Reading front matter alone parses the text only up to the first line that may close it
# (lesson_file._front_matter_nodes); the front matter must be what a parse of the whole text
# finds, whatever the lines around it.
_LINES = ["---", "----", "-----", "...", "  ---", " ...", "--- ", "---\t", "    ---", "\t---", "--", "---x",
          "- a", "id: a", "title: x", "", "# Heading", "text", "```", ":::"]


@settings(max_examples=400, deadline=None)
@given(first=st.sampled_from(["---", "----", "-----", "text"]),
       lines=st.lists(st.sampled_from(_LINES), max_size=10),
       newline=st.sampled_from(["\n", "\r\n"]), last=st.sampled_from(["", "\n"]))
def test_front_matter_alone_is_the_front_matter_of_the_whole_text(first, lines, newline, last) -> None:
    from srm_package.sources import lesson_file

    text = newline.join([first, *lines]) + last

    def front(nodes):
        return [(n.type, n.map, n.content) for n in nodes[:1]]

    whole = lesson_file._tree(lesson_file._FRONT_MATTER_ONLY.parse(text))
    assert front(lesson_file._front_matter_nodes(text)) == front(whole)
