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

from lxml import etree
from lxml.builder import E

from srm_package.markup import inline_html
from srm_package.model import Course, Lesson, Question, QuestionKind, Quiz
from srm_package.package import Artifact
from srm_package.targets.canvas_qti import quiz_summary
from srm_package.targets.identifiers import question_name

#: Moodle's default penalty per wrong try (interactive behaviour): 1/3 for multichoice
_PENALTY = {
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
    root = E.quiz()
    for lesson in course.lessons:
        if lesson.quiz is None:
            continue
        if categories:
            root.append(_category(course, lesson, lesson.quiz))
        for question in lesson.quiz.questions:
            root.append(_question(lesson.quiz, question))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def category_path(lesson: Lesson) -> str:
    # "/" separates levels in Moodle's category paths; "//" is a literal slash
    name = f"Lesson {lesson.number}: {lesson.title}".replace("/", "//")
    return f"$course$/top/{name}"


def _category(course: Course, lesson: Lesson, quiz: Quiz) -> etree._Element:
    return E.question(
        E.category(E.text(category_path(lesson))),
        _html("info", quiz.instructions),
        E.idnumber(f"{course.id}/{lesson.id}"),
        type="category",
    )


def _question(quiz: Quiz, question: Question) -> etree._Element:
    common = [
        E.name(E.text(question_name(question))),
        _html("questiontext", question.stem),
        _html("generalfeedback", question.explanation),
        E.defaultgrade(str(question.points)),
        E.penalty(_PENALTY[question.kind]),
        E.hidden("0"),
        # unique within the lesson's category; Moodle never updates on re-import
        E.idnumber(question.id),
    ]
    if question.kind is QuestionKind.TRUE_FALSE:
        return E.question(*common, *_true_false_answers(question), type="truefalse")
    return E.question(*common, *_multichoice_options(quiz, question), type="multichoice")


def _multichoice_options(quiz: Quiz, question: Question) -> list[etree._Element]:
    single = question.kind is QuestionKind.SINGLE
    right = _percent(100 / len(question.correct_choices))
    wrong = "0" if single else "-100"
    return [
        E.single("true" if single else "false"),
        E.shuffleanswers("true" if quiz.shuffle.choices else "false"),
        E.answernumbering("abc"),
        E.showstandardinstruction("0"),
        _html("correctfeedback", question.feedback.correct),
        # all-or-nothing in the source: a partly right answer is a wrong one
        _html("partiallycorrectfeedback", question.feedback.incorrect),
        _html("incorrectfeedback", question.feedback.incorrect),
        *(
            E.answer(
                E.text(inline_html(choice.text)),
                _html("feedback", choice.feedback),
                fraction=right if choice.correct else wrong,
                format="html",
            )
            for choice in question.choices
        ),
    ]


def _true_false_answers(question: Question) -> list[etree._Element]:
    # Moodle matches the answers by their text, which must be exactly "true" and "false"
    return [
        E.answer(
            E.text(choice.id),
            _html("feedback", choice.feedback),
            fraction="100" if choice.correct else "0",
            format="moodle_auto_format",
        )
        for choice in question.choices
    ]


def _percent(value: float) -> str:
    """Moodle's grade list writes e.g. 33.33333 and 50: five decimals, no trailing zeros."""
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _html(tag: str, markdown: str) -> etree._Element:
    return E(tag, E.text(inline_html(markdown) if markdown else ""), format="html")
