"""The saved-state budget: ``build`` refuses a SCORM version whose ``cmi.suspend_data`` limit the
course's worst-case state exceeds, naming the course and the size, and writes nothing.

That the computed worst case is exactly what the page writes is checked in Chromium under
scorm-again (``tests/questions/test_scorm_all_types.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from benchmarks import make_course
from benchmarks.run import COURSES
from srm_package.cli import main
from srm_package.loader import load_course
from srm_package.saved_state import fits, worst_case_size
from tests.conftest import SOURCE


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
    from srm_package.saved_state import check_budget
    from tests.quiz_courses import big_course

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
