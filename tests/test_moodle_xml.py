"""``moodle-xml``: the question bank file, read back as Moodle's importer and an independent parser do."""

from __future__ import annotations

import html
from dataclasses import replace

import pytest
from moodle_xml_parser.parser import parse_bytes

from srm_package.markup import inline_html
from srm_package.model import Course
from srm_package.targets import TARGETS, builder, moodle_xml
from srm_package.targets.identifiers import question_name
from tests.importers import read_moodle_xml
from tests.quiz_courses import TRICKY, native_course


@pytest.fixture(params=["seed", "native"])
def course(request, seed_course) -> Course:
    return seed_course if request.param == "seed" else native_course()


def _fractions(question) -> list[float]:
    correct = len(question.response.correct_choices)
    if question.kind == "multiple":
        return [round(1 / correct, 7) if c.correct else -1.0 for c in question.response.choices]
    return [1.0 if c.correct else 0.0 for c in question.response.choices]


def test_registered_named_and_summarised(course):
    assert TARGETS["moodle-xml"] == "srm_package.targets.moodle_xml"
    artifact = builder("moodle-xml")(course)
    assert artifact.filename == f"{course.id}-moodle.xml"
    assert artifact.kind == "file"
    assert list(artifact.entries) == [artifact.filename]
    assert moodle_xml.build_artifact(native_course()).summary == "4 questions, 7 points"


def test_moodle_imports_every_question_as_written(course):
    document = moodle_xml.document(course)
    assert document.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<quiz>")
    read = read_moodle_xml(document)
    lessons = [lesson for lesson in course.lessons if lesson.quiz is not None]
    assert read.categories == [f"$course$/top/Lesson {ls.number}: {ls.title}" for ls in lessons]
    expected = [(lesson, q) for lesson in lessons for q in lesson.quiz.questions]
    assert len(read.questions) == len(expected)
    for (category, got), (lesson, question) in zip(read.questions, expected, strict=True):
        assert category == f"$course$/top/Lesson {lesson.number}: {lesson.title}"
        assert got.kind == question.kind
        assert got.ident == question.id  # idnumber
        assert got.name == question_name(question)
        assert got.stem == inline_html(question.stem)
        assert got.extra["questiontext_format"] == "html"
        assert got.points == question.points
        assert got.general_feedback == inline_html(question.explanation)
        assert got.correct_feedback == inline_html(question.feedback.correct)
        assert got.incorrect_feedback == inline_html(question.feedback.incorrect)
        assert [round(c.fraction, 7) for c in got.choices] == _fractions(question)
        assert [c.feedback for c in got.choices] == [inline_html(c.feedback) for c in question.response.choices]
        if question.kind == "true_false":
            assert [c.text for c in got.choices] == [c.id for c in question.response.choices]
        else:
            assert [c.text for c in got.choices] == [inline_html(c.text) for c in question.response.choices]
            assert got.extra["shuffleanswers"] == str(lesson.quiz.shuffle.choices).lower()


def test_independent_parser_reads_the_same_multichoice_questions(course):
    """moodle-xml-parser (PyPI) unescapes HTML and strips text, so compare likewise."""
    parsed = parse_bytes(moodle_xml.document(course))["multichoice"]
    questions = [q for q in course.questions if q.kind != "true_false"]
    assert len(parsed) == len(questions)

    def seen(markdown: str) -> str:
        return html.unescape(inline_html(markdown)).strip()

    for got, question in zip(parsed, questions, strict=True):
        assert got.name == question_name(question)
        assert got.text_pre_parse == seen(question.stem)
        assert got.single is (question.kind == "single")
        assert got.default_grade == question.points
        assert got.general_feedback == seen(question.explanation)
        assert [o.answer for o in got.options] == [seen(c.text) for c in question.response.choices]
        assert [o.feedback for o in got.options] == [seen(c.feedback) for c in question.response.choices]
        assert [round(o.score_fraction / 100, 7) for o in got.options] == _fractions(question)


def test_category_questions_are_optional(course):
    read = read_moodle_xml(moodle_xml.document(course, categories=False))
    assert read.categories == []
    assert len(read.questions) == len(course.questions)


def test_slash_in_a_lesson_title_stays_one_category_level():
    course = native_course()
    lesson = replace(course.lessons[0], title="Compute / Storage", label="")  # "": worded again
    assert moodle_xml.category_path(lesson) == "$course$/top/Lesson 7: Compute // Storage"


def test_tricky_text_is_escaped_exactly_once():
    document = moodle_xml.document(native_course())
    read = read_moodle_xml(document)
    assert read.questions[0][1].stem == inline_html(TRICKY)
    assert "&lt;b&gt;bold&lt;/b&gt;" in read.questions[0][1].stem  # a literal <b>, shown as text
    assert b"&amp;amp;lt;" not in document
    assert "日本語".encode() in document and b"&#" not in document


def test_two_builds_are_byte_identical(course):
    assert moodle_xml.document(course) == moodle_xml.document(course)
