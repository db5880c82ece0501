"""``canvas-qti``: the zip layout Canvas's QTI import reads, read back the way Canvas does."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from srm_package.markup import inline_html
from srm_package.model import Course
from srm_package.targets import TARGETS, builder, canvas_qti, qti
from tests.importers import identify_canvas_package, read_canvas_qti_zip
from tests.quiz_courses import native_course, zipped
from tests.test_qti import QTI_CC, QTI_FULL, assert_valid

CP12 = "imscp12/imscp_v1p2.xsd"
SAFE_PATH = re.compile(r"[a-z0-9._-]+(?:/[a-z0-9._-]+)*")


@pytest.fixture(params=["seed", "native"])
def course(request, seed_course) -> Course:
    return seed_course if request.param == "seed" else native_course()


def test_registered_and_named_after_the_course(course):
    assert TARGETS["canvas-qti"] == "srm_package.targets.canvas_qti"
    artifact = builder("canvas-qti")(course)
    assert artifact.filename == f"{course.id}-canvas-qti.zip"
    assert artifact.kind == "zip"


def test_summary_counts_questions_and_points(seed_course):
    assert canvas_qti.build_artifact(seed_course).summary == "5 questions, 5 points"
    assert canvas_qti.build_artifact(native_course()).summary == "4 questions, 7 points"


def test_every_document_validates(schemas, course):
    entries = canvas_qti.build_artifact(course).entries
    assert_valid(schemas, CP12, entries["imsmanifest.xml"])
    qti_files = [name for name in entries if name.endswith(".xml") and not name.endswith("assessment_meta.xml")]
    qti_files.remove("imsmanifest.xml")
    assert len(qti_files) == len(course.quizzes)
    for name in qti_files:
        assert_valid(schemas, QTI_FULL, entries[name])
        assert_valid(schemas, QTI_CC, entries[name])


def test_layout_is_what_canvas_imports(course):
    entries = canvas_qti.build_artifact(course).entries
    assert "imsmanifest.xml" in entries  # at the root of the zip
    assert all(SAFE_PATH.fullmatch(name) for name in entries)
    # "IMS Content", not a cartridge: Canvas must take the QTI path
    assert identify_canvas_package(entries["imsmanifest.xml"]) == "qti"
    read = read_canvas_qti_zip(dict(entries))
    for quiz in course.quizzes:
        ident = qti.assessment_ident(quiz, course.id)
        assert f"{ident}/{ident}.xml" in entries
        assert ident in read.quiz_meta, "assessment_meta.xml was not applied (folder != ident?)"


def test_canvas_reads_questions_and_settings_back(course):
    read = read_canvas_qti_zip(dict(canvas_qti.build_artifact(course).entries))
    assert len(read.quizzes) == len(course.quizzes)
    for quiz in course.quizzes:
        ident = qti.assessment_ident(quiz, course.id)
        assessment, meta = read.quizzes[ident], read.quiz_meta[ident]
        assert [q.stem for q in assessment.questions] == [inline_html(q.stem) for q in quiz.questions]
        for got, question in zip(assessment.questions, quiz.questions, strict=True):
            assert [c.correct for c in got.choices] == [c.correct for c in question.response.choices]
            assert [c.feedback for c in got.choices] == [inline_html(c.feedback) for c in question.response.choices]
            assert got.general_feedback == inline_html(question.explanation)
            assert got.points == question.points
        assert meta["title"] == quiz.title
        assert meta["description"] == inline_html(quiz.instructions)
        assert float(meta["points_possible"]) == quiz.points == sum(q.points for q in assessment.questions)
        assert float(meta["assignment_points"]) == quiz.points
        expected_attempts = -1 if quiz.max_attempts is None else quiz.max_attempts
        assert int(meta["allowed_attempts"]) == expected_attempts
        assert meta["shuffle_answers"] == str(quiz.shuffle.choices).lower()
        assert meta["show_correct_answers"] == str(quiz.show_correct_answers).lower()
        assert meta["quiz_type"] == "assignment"


def test_native_course_settings_reach_canvas():
    course = native_course(max_attempts=3, shuffle_choices=False)
    read = read_canvas_qti_zip(dict(canvas_qti.build_artifact(course).entries))
    (meta,) = read.quiz_meta.values()
    assert meta["allowed_attempts"] == "3"
    assert meta["shuffle_answers"] == "false"
    assert meta["show_correct_answers"] == "false"
    kinds = [q.kind for q in next(iter(read.quizzes.values())).questions]
    assert kinds == ["single", "multiple", "true_false", "single"]


def test_two_builds_are_byte_identical(course):
    first = zipped(canvas_qti.build_artifact(course).entries)
    assert first == zipped(canvas_qti.build_artifact(course).entries)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.testzip() is None


def test_a_large_course_builds_its_quizzes_in_workers_with_the_same_bytes(tmp_path, monkeypatch):
    from benchmarks import make_course
    from srm_package import parallel
    from srm_package.loader import load_course

    make_course.generate(4, 40, tmp_path)
    course = load_course(tmp_path / "source").course
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    serial = canvas_qti.build_artifact(course).entries
    qti.assessment_document.cache_clear()  # the workers must build, not find
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    monkeypatch.setattr(parallel, "_other_threads_running", lambda: False)
    monkeypatch.setattr(qti, "_PARALLEL_QUESTIONS", 10)
    workers = []
    real_submit = parallel._Pool.submit_all
    monkeypatch.setattr(parallel._Pool, "submit_all", lambda pool, tasks: workers.append(1) or real_submit(pool, tasks))
    assert canvas_qti.build_artifact(course).entries == serial
    assert workers, "no worker was started"
