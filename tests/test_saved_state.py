"""The saved-state budget: ``build`` refuses a SCORM version whose ``cmi.suspend_data`` limit the
course's worst-case state exceeds, naming the course and the size, and writes nothing.

That the computed worst case is exactly what the page writes is checked in Chromium under
scorm-again (``tests/questions/test_scorm_all_types.py``)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from benchmarks import make_course
from benchmarks.run import COURSES
from srm_package.cli import main
from srm_package.loader import load_course
from srm_package.model import Course, QuestionGroup, ShufflePolicy
from srm_package.saved_state import check_budget, fits, worst_case_size
from tests.conftest import SOURCE
from tests.quiz_courses import big_course, course_of, lesson_of, single

POOLED = Path(__file__).resolve().parent / "roots" / "pooled-quiz"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def generated(tmp_path: Path, lessons: int, questions: int) -> Path:
    make_course.generate(lessons, questions, tmp_path / "course")
    return tmp_path / "course" / "source"


def test_an_over_large_course_fails_for_scorm12_with_the_course_and_size(tmp_path):
    source = generated(tmp_path, 14, 1400)
    course = load_course(source).course
    size = worst_case_size(course)
    assert size > 4096
    out = tmp_path / "dist"
    result = run("build", source, "-o", out, "-t", "scorm12")
    assert result.exit_code == 1
    message = result.stderr
    assert "synthetic-course" in message
    assert f"{size:,} characters" in message
    assert "SCORM 1.2's limit of 4,096" in message
    assert "SCORM 2004" in message and "fewer questions" in message
    assert "Traceback" not in message
    assert not out.exists() or not any(out.iterdir())
    # the same course fits SCORM 2004's 64,000
    assert fits(course, "scorm2004")


def test_scorm2004_refuses_a_course_over_its_own_limit():
    from srm_package.errors import BuildError

    course = big_course(6_000)  # shuffled: ~11 characters a question (answer, order, its place)
    size = worst_case_size(course)
    assert size > 64_000
    with pytest.raises(BuildError, match=f"reach {size:,} characters .* over SCORM 2004's limit of 64,000"):
        check_budget(course, "scorm2004")
    check_budget(big_course(4_000), "scorm2004")  # under the limit: no error


def test_the_benchmarks_ten_lesson_course_builds_for_scorm12(tmp_path):
    lessons, questions = COURSES["c200"]
    source = generated(tmp_path, lessons, questions)
    result = run("build", source, "-o", tmp_path / "dist", "-t", "scorm12")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dist" / "synthetic-course-scorm12.zip").is_file()


def test_the_seed_course_fits_scorm12():
    assert fits(load_course(SOURCE).course, "scorm12")


def test_the_html_site_has_no_limit(tmp_path):
    course = load_course(generated(tmp_path, 14, 1400)).course
    assert not fits(course, "scorm12")
    assert fits(course, "none")


# ------------------------------------------------------------------ pools
def pooled(course: Course, groups: tuple[QuestionGroup, ...]) -> Course:
    """``course`` with its one quiz drawing from ``groups``."""
    (lesson,) = course.lessons
    return replace(course, lessons=(replace(lesson, quiz=replace(lesson.quiz, groups=groups)),))


def test_only_the_questions_an_attempt_asks_count():
    """tests/roots/pooled-quiz: 7 three-choice questions, everything shuffled, 4 asked. An asked
    question saves its answer (1), its choices' order (3) and its place (1 digit): 5 each,
    with 3 "." between the places; every question keeps its "," in answers and arrangements."""
    course = load_course(POOLED).course
    (quiz,) = course.quizzes
    assert (len(quiz.questions), quiz.asked) == (7, 4)
    head, separators = len("2|12345678|"), 2 * 6 + len("||")
    assert worst_case_size(course) == head + 4 * 5 + 3 + separators
    # the same quiz asking every question: 7 places, 6 "."
    assert worst_case_size(pooled(course, ())) == head + 7 * 5 + 6 + separators


def test_a_group_counts_its_costliest_questions():
    """A group of a 2-choice and a 9-choice question asking one counts the 9-choice one (its
    arrangement is 9 characters): a draw can ask it."""
    questions = (single("two", "basics", choices=2), single("nine", "basics", choices=9), single("one", "basics"))
    lesson = lesson_of("lesson", 1, questions, shuffle=ShufflePolicy(questions=True, choices=True))
    course = course_of(lesson)
    both = worst_case_size(course)
    drawn = worst_case_size(pooled(course, (QuestionGroup("pool", 1, ("two", "nine")),)))
    # left out: the 2-choice question's answer, arrangement, place and one "."
    assert both - drawn == 1 + 2 + 1 + 1


def test_a_pool_brings_an_over_large_course_under_scorm12s_limit():
    """400 shuffled questions do not fit SCORM 1.2; asking 100 of them per attempt does."""
    course = big_course(400)
    assert not fits(course, "scorm12")
    (quiz,) = course.quizzes
    drawn = pooled(course, (QuestionGroup("all", 100, tuple(q.id for q in quiz.questions)),))
    assert fits(drawn, "scorm12")
    check_budget(drawn, "scorm12")
