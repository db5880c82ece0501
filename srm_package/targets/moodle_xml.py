"""``moodle-xml``: every quiz question in Moodle XML, for the question bank.

Written for ``question/format/xml`` (lms-targets 1.2): UTF-8 with the declaration on
line 1; text as HTML (``format="html"``), escaped once by lxml; one category per
lesson (``$course$/top/<lesson>``, ignored unless "Get category from file" is on);
``multichoice`` with ``single`` true and fractions 100/0, or ``single`` false with the
correct answers sharing 100 and every wrong answer at -100 (so choosing all options
scores 0, as close to the source's all-or-nothing rule as Moodle's own type gets);
``truefalse`` with answers ``true``/``false``.
"""

from __future__ import annotations

from typing import NamedTuple

from lxml import etree

from srm_package.markup import inline_html
from srm_package.model import Course, Lesson, Question, QuestionKind, Quiz
from srm_package.package import Artifact
from srm_package.targets.canvas_qti import quiz_summary
from srm_package.targets.element_template import TemplateCache
from srm_package.targets.identifiers import question_name

#: Moodle's default penalty per wrong try (interactive behaviour): 1/3 for multichoice
PENALTY = {
    QuestionKind.SINGLE: "0.3333333",
    QuestionKind.MULTIPLE: "0.3333333",
    QuestionKind.TRUE_FALSE: "1",
}


def build_artifact(course: Course) -> Artifact:
    return Artifact(
        filename=f"{course.id}-moodle.xml",
        kind="file",
        entries={f"{course.id}-moodle.xml": document(course)},
        summary=quiz_summary(course),
    )


def document(course: Course, *, categories: bool = True) -> bytes:
    """The Moodle XML file; ``categories=False`` leaves out the category questions."""
    root = etree.Element("quiz")
    for lesson in course.lessons:
        if lesson.quiz is None:
            continue
        if categories:
            _category(root, course, lesson, lesson.quiz)
        for question in lesson.quiz.questions:
            _question(root, lesson.quiz, question)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def category_path(lesson: Lesson) -> str:
    # "/" separates levels in Moodle's category paths; "//" is a literal slash
    return f"$course$/top/{lesson.label.replace('/', '//')}"


# ------------------------------------------------------------------ categories
def _category(root: etree._Element, course: Course, lesson: Lesson, quiz: Quiz) -> None:
    question = _sub(root, "question", type="category")
    _sub(_sub(question, "category"), "text", category_path(lesson))
    _html(question, "info", inline_html(quiz.instructions))
    _sub(question, "idnumber", f"{course.id}/{lesson.id}")


# ------------------------------------------------------------------- questions
class QuestionShape(NamedTuple):
    """What decides which elements a question has; questions of one shape differ only in strings."""

    kind: QuestionKind
    choices: int


class QuestionValues(NamedTuple):
    """Every string of a question, Markdown already rendered to HTML."""

    name: str
    stem: str
    explanation: str
    points: str
    idnumber: str
    shuffle: str
    correct_feedback: str
    incorrect_feedback: str
    #: per answer: its fraction, its text, its feedback
    fractions: tuple[str, ...]
    answers: tuple[str, ...]
    answer_feedback: tuple[str, ...]


def _question(root: etree._Element, quiz: Quiz, question: Question) -> None:
    """Append one question: a filled-in copy of the first of its shape (see element_template)."""
    shape = QuestionShape(question.kind, len(question.choices))
    root.append(_QUESTIONS.fill(shape, question_values(quiz, question)))


def question_values(quiz: Quiz, question: Question) -> QuestionValues:
    if question.kind is QuestionKind.TRUE_FALSE:
        fractions = tuple("100" if choice.correct else "0" for choice in question.choices)
        # Moodle matches the answers by their text, which must be exactly "true" and "false"
        answers = tuple(choice.id for choice in question.choices)
    else:
        # all-or-nothing in the source: the correct answers share 100, a wrong one
        # cancels them in a multiple-answer question
        right = _percent(100 / len(question.correct_choices))
        wrong = "0" if question.kind is QuestionKind.SINGLE else "-100"
        fractions = tuple(right if choice.correct else wrong for choice in question.choices)
        answers = tuple(inline_html(choice.text) for choice in question.choices)
    return QuestionValues(
        name=question_name(question),
        stem=inline_html(question.stem),
        explanation=inline_html(question.explanation),
        points=str(question.points),
        idnumber=question.id,
        shuffle="true" if quiz.shuffle.choices else "false",
        correct_feedback=inline_html(question.feedback.correct),
        incorrect_feedback=inline_html(question.feedback.incorrect),
        fractions=fractions,
        answers=answers,
        answer_feedback=tuple(inline_html(choice.feedback) for choice in question.choices),
    )


def layout_question(shape: QuestionShape, values: QuestionValues, parent: etree._Element | None = None
                    ) -> etree._Element:
    """The ``question`` element, built directly from its shape and strings (under ``parent``)."""
    true_false = shape.kind is QuestionKind.TRUE_FALSE
    question = _sub(etree.Element("quiz") if parent is None else parent, "question",
                    type="truefalse" if true_false else "multichoice")
    _sub(_sub(question, "name"), "text", values.name)
    _html(question, "questiontext", values.stem)
    _html(question, "generalfeedback", values.explanation)
    _sub(question, "defaultgrade", values.points)
    _sub(question, "penalty", PENALTY[shape.kind])
    _sub(question, "hidden", "0")
    # unique within the lesson's category; Moodle never updates on re-import
    _sub(question, "idnumber", values.idnumber)
    if not true_false:
        _sub(question, "single", "true" if shape.kind is QuestionKind.SINGLE else "false")
        _sub(question, "shuffleanswers", values.shuffle)
        _sub(question, "answernumbering", "abc")
        _sub(question, "showstandardinstruction", "0")
        _html(question, "correctfeedback", values.correct_feedback)
        _html(question, "partiallycorrectfeedback", values.incorrect_feedback)
        _html(question, "incorrectfeedback", values.incorrect_feedback)
    text_format = "moodle_auto_format" if true_false else "html"
    for fraction, text, feedback in zip(values.fractions, values.answers, values.answer_feedback, strict=True):
        answer = _sub(question, "answer", fraction=fraction, format=text_format)
        _sub(answer, "text", text)
        _html(answer, "feedback", feedback)
    return question


_QUESTIONS: TemplateCache[QuestionShape, QuestionValues] = TemplateCache(layout_question)


def _percent(value: float) -> str:
    """Moodle's grade list writes e.g. 33.33333 and 50: five decimals, no trailing zeros."""
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _html(parent: etree._Element, tag: str, html: str) -> None:
    _sub(_sub(parent, tag, format="html"), "text", html)


# Elements are added with etree.SubElement: an ElementMaker costs ~4x more for the
# ~40 small elements of a question (benchmarks/results.md, Profile).
def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    """Append ``tag`` to ``parent``, with its text and attributes."""
    element = etree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element
