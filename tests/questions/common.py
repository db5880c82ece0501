"""Helpers the question-type tests share: a one-question course written to disk (to read the
loader's messages), the all-types course, its packages read back as each LMS reads them."""

from __future__ import annotations

import io
import textwrap
import zipfile
from functools import cache
from pathlib import Path

import pytest

from srm_package.errors import SourceError
from srm_package.loader import load_course
from srm_package.model import Course, Question
from srm_package.package_files import read_entry
from srm_package.targets import builder
from tests.importers import (
    CanvasAssessment,
    ReadQuestion,
    read_canvas_bank,
    read_canvas_qti,
    read_cc_quiz_as_moodle,
    read_moodle_xml,
)

ALL_TYPES = Path(__file__).resolve().parent.parent / "roots" / "all-types"
QUIZ_FILE = "lessons/shared-responsibility.quiz.yaml"

_QUIZ_HEAD = """\
title: A quiz
recommendation:
  bands:
    - min: 0
      message: Done.
  review: Review "{section}".
questions:
"""


def one_question_course(root: Path, question_yaml: str) -> Path:
    """The all-types course with a quiz of just ``question_yaml`` (a YAML list item, indented as
    written under ``questions:`` with two spaces). The question starts on line 8 of the quiz."""
    for source in ALL_TYPES.rglob("*"):
        if source.is_file():
            target = root / source.relative_to(ALL_TYPES)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    (root / QUIZ_FILE).write_text(_QUIZ_HEAD + textwrap.indent(textwrap.dedent(question_yaml), "  "),
                                  encoding="utf-8")
    return root


def problems(root: Path, question_yaml: str) -> list[tuple[int, str, str]]:
    """(line, field, message) of every problem the loader reports for the one question."""
    with pytest.raises(SourceError) as caught:
        load_course(one_question_course(root, question_yaml))
    assert all(p.file.endswith(QUIZ_FILE) for p in caught.value.problems), caught.value.problems
    return [(p.line, p.field, p.message) for p in caught.value.problems]


def loaded(root: Path, question_yaml: str) -> Question:
    (question,) = load_course(one_question_course(root, question_yaml)).course.questions
    return question


@cache
def all_types() -> Course:
    return load_course(ALL_TYPES).course


def question(question_id: str) -> Question:
    return next(q for q in all_types().questions if q.id == question_id)


@cache
def entries(target: str) -> dict[str, bytes]:
    """The files of the all-types course's package of ``target``."""
    return {name: read_entry(content) for name, content in builder(target)(all_types()).entries.items()}


def canvas_assessment() -> CanvasAssessment:
    files = entries("canvas-qti")
    (name,) = [n for n in files if n.endswith(".xml") and n.count("/") == 1 and "assessment_meta" not in n]
    return read_canvas_qti(files[name])


def canvas_question(question_id: str) -> ReadQuestion:
    """The question as Canvas imports it from the canvas-qti zip (matched by its item title)."""
    return _by_title(canvas_assessment().questions, question(question_id))


def cc_canvas_question(question_id: str) -> ReadQuestion:
    """The question as Canvas imports it from the cartridge's Canvas part."""
    files = entries("cc")
    (name,) = [n for n in files if n.startswith("non_cc_assessments/")]
    return _by_title(read_canvas_qti(files[name]).questions, question(question_id))


def cc_moodle_questions() -> list[ReadQuestion]:
    """The cartridge quiz as Moodle's converter reads it."""
    files = entries("cc")
    (name,) = [n for n in files if n.endswith("/assessment_qti.xml")]
    return read_cc_quiz_as_moodle(files[name]).questions


def bank_question(question_id: str, target: str = "scorm12") -> ReadQuestion:
    files = entries(target)
    (name,) = [n for n in files if n.startswith("qti/")]
    return _by_title(read_canvas_bank(files[name]), question(question_id))


def moodle_question(question_id: str) -> ReadQuestion:
    (document,) = entries("moodle-xml").values()
    return next(q for _, q in read_moodle_xml(document).questions if q.ident == question_id)


def moodle_document() -> bytes:
    (document,) = entries("moodle-xml").values()
    return document


def _by_title(read: list[ReadQuestion], source: Question) -> ReadQuestion:
    from srm_package.targets.identifiers import question_name

    (found,) = [q for q in read if q.name == question_name(source)]
    return found


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
