"""``moodle-xml``: every quiz question in Moodle XML, for the question bank.

Written for ``question/format/xml`` (lms-targets 1.2): UTF-8 with the declaration on
line 1; text as HTML (``format="html"``), escaped once by lxml; one category per
lesson (``$course$/top/<lesson>``, ignored unless "Get category from file" is on);
``multichoice`` with ``single`` true and fractions 100/0, or ``single`` false with the
correct answers sharing 100 and every wrong answer at -100 (so choosing all options
scores 0, as close to the source's all-or-nothing rule as Moodle's own type gets);
``truefalse`` with answers ``true``/``false``.

Images travel inside the file: each text element that shows one holds it as
``<file name="..." path="/" encoding="base64">`` beside its ``<text>``, which refers to
it as ``@@PLUGINFILE@@/name``. The tree is built with those elements empty and the
base64 is spliced into the serialised file as it is written (``package_files.Joined``),
so a course's images are never all in memory; Moodle's importer reads the files of the question text,
the general and combined feedback, each answer and each answer's feedback. Formulas
are written as LaTeX between ``\\( \\)`` / ``\\[ \\]`` for Moodle's MathJax filter.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from lxml import etree

from srm_package.model import Course, Lesson, Question, QuestionKind, Quiz
from srm_package.package import Artifact
from srm_package.package_files import Base64Of, FileSource, Joined, read_entry
from srm_package.rich_text import Rendered, TextRenderer, TextStyle
from srm_package.targets.canvas_qti import quiz_summary
from srm_package.targets.element_template import TemplateCache
from srm_package.targets.identifiers import question_name

#: images as files embedded beside the text, formulas for the MathJax filter
TEXT_STYLE = TextStyle(image_prefix="@@PLUGINFILE@@/", math="tex")

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
        entries={f"{course.id}-moodle.xml": document_parts(course)},
        summary=quiz_summary(course),
    )


def document(course: Course, *, categories: bool = True) -> bytes:
    """The Moodle XML file; ``categories=False`` leaves out the category questions."""
    return read_entry(document_parts(course, categories=categories))


#: an embedded file as serialised while empty. Author text never holds a raw '<' (lxml
#: escapes it), so this can only be one of the file elements written here
_EMPTY_FILE = re.compile(rb'<file name="([a-z0-9._-]+)" path="/" encoding="base64"/>')


def document_parts(course: Course, *, categories: bool = True) -> Joined:
    """The Moodle XML file as pieces: the serialised questions, and each embedded image's base64."""
    files = {media.name: media for media in course.media}
    serialised = _serialised(course, categories)
    parts: list[bytes | Base64Of] = []
    position = 0
    for match in _EMPTY_FILE.finditer(serialised):
        media = files[match.group(1).decode("ascii")]
        parts += [serialised[position:match.start()] + match.group(0)[:-2] + b">",
                  Base64Of(FileSource(media.path, media.size)), b"</file>"]
        position = match.end()
    parts.append(serialised[position:])
    return Joined(tuple(parts))


def _serialised(course: Course, categories: bool) -> bytes:
    root = etree.Element("quiz")
    text = _Texts(TextRenderer(TEXT_STYLE, course.media))
    for lesson in course.lessons:
        if lesson.quiz is None:
            continue
        if categories:
            _category(root, course, lesson, lesson.quiz, text)
        for question in lesson.quiz.questions:
            _question(root, lesson.quiz, question, text)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def category_path(lesson: Lesson) -> str:
    # "/" separates levels in Moodle's category paths; "//" is a literal slash
    return f"$course$/top/{lesson.label.replace('/', '//')}"


# ------------------------------------------------------------------ categories
def _category(root: etree._Element, course: Course, lesson: Lesson, quiz: Quiz, text: _Texts) -> None:
    question = _sub(root, "question", type="category")
    _sub(_sub(question, "category"), "text", category_path(lesson))
    _html(question, "info", text.html(quiz.instructions))
    _sub(question, "idnumber", f"{course.id}/{lesson.id}")


class _Texts:
    """The question texts of one file: their HTML and the images each embeds."""

    def __init__(self, renderer: TextRenderer) -> None:
        self.renderer = renderer

    def html(self, markdown: str, quiz: Quiz | None = None) -> str:
        return self.renderer.inline(markdown, quiz.images if quiz else ())

    def rendered(self, markdown: str, quiz: Quiz) -> Rendered:
        return self.renderer.rendered(markdown, quiz.images)


# ------------------------------------------------------------------- questions
class QuestionShape(NamedTuple):
    """What decides which elements a question has; questions of one shape differ only in strings."""

    kind: QuestionKind
    choices: int
    #: how many images each text embeds, in the order of ``_TEXTS`` then per answer
    #: (its text, its feedback)
    files: tuple[int, ...] = ()


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
    #: the embedded images' names, in the order of ``QuestionShape.files`` (their content is
    #: spliced in when the file is written, see ``document_parts``)
    file_names: tuple[str, ...] = ()


def _question(root: etree._Element, quiz: Quiz, question: Question, text: _Texts) -> None:
    """Append one question: a filled-in copy of the first of its shape (see element_template)."""
    values, files = question_values(quiz, question, text.renderer)
    root.append(_QUESTIONS.fill(QuestionShape(question.kind, len(question.choices), files), values))


def question_values(quiz: Quiz, question: Question, renderer: TextRenderer | None = None,
                    ) -> tuple[QuestionValues, tuple[int, ...]]:
    """The strings of ``question``, and how many images each of its texts embeds
    (``renderer``: of the course's texts in ``TEXT_STYLE``, knowing its images)."""
    text = _Texts(renderer or TextRenderer(TEXT_STYLE))
    true_false = question.kind is QuestionKind.TRUE_FALSE
    # the texts in layout order: stem, explanation, correct / incorrect feedback, then
    # per answer its text (a true/false answer is the word itself) and its feedback
    sources = [question.stem, question.explanation, question.feedback.correct, question.feedback.incorrect]
    for choice in question.choices:
        sources += ["" if true_false else choice.text, choice.feedback]
    rendered = [text.rendered(source, quiz) for source in sources]
    names = tuple(media.name for one in rendered for media in one.files)
    stem, explanation, correct, incorrect = (one.html for one in rendered[:4])
    answer_texts = tuple(one.html for one in rendered[4::2])
    answer_feedback = tuple(one.html for one in rendered[5::2])
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
        answers = answer_texts
    values = QuestionValues(
        name=question_name(question),
        stem=stem,
        explanation=explanation,
        points=str(question.points),
        idnumber=question.id,
        shuffle="true" if quiz.shuffle.choices else "false",
        correct_feedback=correct,
        incorrect_feedback=incorrect,
        fractions=fractions,
        answers=answers,
        answer_feedback=answer_feedback,
        file_names=names,
    )
    return values, tuple(len(one.files) for one in rendered)


def layout_question(shape: QuestionShape, values: QuestionValues, parent: etree._Element | None = None
                    ) -> etree._Element:
    """The ``question`` element, built directly from its shape and strings (under ``parent``)."""
    true_false = shape.kind is QuestionKind.TRUE_FALSE
    files = _FileSlots(shape, values)
    question = _sub(etree.Element("quiz") if parent is None else parent, "question",
                    type="truefalse" if true_false else "multichoice")
    _sub(_sub(question, "name"), "text", values.name)
    files.add(_html(question, "questiontext", values.stem), 0)
    files.add(_html(question, "generalfeedback", values.explanation), 1)
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
        files.add(_html(question, "correctfeedback", values.correct_feedback), 2)
        # each text element holds its own copies: Moodle keeps a file area per field
        files.add(_html(question, "partiallycorrectfeedback", values.incorrect_feedback), 3)
        files.add(_html(question, "incorrectfeedback", values.incorrect_feedback), 3)
    text_format = "moodle_auto_format" if true_false else "html"
    for number, (fraction, text, feedback) in enumerate(
            zip(values.fractions, values.answers, values.answer_feedback, strict=True)):
        answer = _sub(question, "answer", fraction=fraction, format=text_format)
        _sub(answer, "text", text)
        files.add(answer, 4 + 2 * number)
        files.add(_html(answer, "feedback", feedback), 5 + 2 * number)
    return question


class _FileSlots:
    """Places each text's embedded images (``QuestionShape.files``) after its ``<text>``."""

    def __init__(self, shape: QuestionShape, values: QuestionValues) -> None:
        self.counts = shape.files
        self.values = values
        self.starts = [sum(self.counts[:index]) for index in range(len(self.counts))]

    def add(self, element: etree._Element, text_index: int) -> None:
        if text_index >= len(self.counts):
            return
        start = self.starts[text_index]
        for offset in range(self.counts[text_index]):
            _sub(element, "file", name=self.values.file_names[start + offset], path="/", encoding="base64")


_QUESTIONS: TemplateCache[QuestionShape, QuestionValues] = TemplateCache(layout_question)


def _percent(value: float) -> str:
    """Moodle's grade list writes e.g. 33.33333 and 50: five decimals, no trailing zeros."""
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _html(parent: etree._Element, tag: str, html: str) -> etree._Element:
    element = _sub(parent, tag, format="html")
    _sub(element, "text", html)
    return element


# Elements are added with etree.SubElement: an ElementMaker costs ~4x more for the
# ~40 small elements of a question (benchmarks/results.md, Profile).
def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    """Append ``tag`` to ``parent``, with its text and attributes."""
    element = etree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element
