"""``moodle-xml``: every quiz question in Moodle XML, for the question bank.

Written for ``question/format/xml`` (lms-targets 1.2): UTF-8 with the declaration on
line 1; text as HTML (``format="html"``), escaped once by lxml; one category per
lesson (``$course$/top/<lesson>``, ignored unless "Get category from file" is on), and
one under it per question group (``.../<group id>``), so that a teacher can draw from it
with "random question" slots.
Each question type writes its own ``question`` element (``srm_package.questions``)
from the parts below; the elements every question has come first, in the order
Moodle's own export writes them.

Images travel inside the file: each text element that shows one holds it as
``<file name="..." path="/" encoding="base64">`` beside its ``<text>``, which refers to
it as ``@@PLUGINFILE@@/name``. The tree is built with those elements empty and the
base64 is spliced into the serialised file as it is written (``package_files.Joined``),
so a course's images are never all in memory; Moodle's importer reads the files of the
question text, the general and combined feedback, each answer and each answer's
feedback (and of a matching question's prompts). Formulas are written as LaTeX
between ``\\( \\)`` / ``\\[ \\]`` for Moodle's MathJax filter. Every text goes
through ``Texts`` (one ``rich_text.TextRenderer`` per file).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree

from srm_package.model import Course, Lesson, Question, QuestionGroup, Quiz
from srm_package.package import Artifact
from srm_package.package_files import Base64Of, FileSource, Joined, read_entry
from srm_package.questions import carries, question_type
from srm_package.questions.base import Form
from srm_package.rich_text import Rendered, TextRenderer, TextStyle
from srm_package.targets.canvas_qti import quiz_summary
from srm_package.targets.identifiers import question_name

__all__ = ["Texts", "build_artifact", "category_path", "document", "document_parts", "question_name"]

#: images as files embedded beside the text, formulas for the MathJax filter
TEXT_STYLE = TextStyle(image_prefix="@@PLUGINFILE@@/", math="tex")


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
    text = Texts(TextRenderer(TEXT_STYLE, course.media))
    for lesson in course.lessons:
        if lesson.quiz is None:
            continue
        quiz = lesson.quiz
        if categories:
            _category(root, category_path(lesson), text.html(quiz.instructions), f"{course.id}/{lesson.id}")
        _questions(root, quiz, quiz.always_asked, text)
        for group in quiz.groups:
            # a pool: its own category under the lesson's, for "random question" slots
            if categories:
                _category(root, category_path(lesson, group), "", f"{course.id}/{lesson.id}/{group.id}")
            _questions(root, quiz, quiz.group_questions(group), text)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _questions(root: etree._Element, quiz: Quiz, questions: Sequence[Question], text: Texts) -> None:
    for question in questions:
        if carries(question, Form.MOODLE_XML):
            question_type(question).moodle_question(root, quiz, question, text)


def category_path(lesson: Lesson, group: QuestionGroup | None = None) -> str:
    """``$course$/top/<lesson>``, and ``.../<group id>`` for a group's questions."""
    # "/" separates levels in Moodle's category paths; "//" is a literal slash
    path = f"$course$/top/{lesson.label.replace('/', '//')}"
    return f"{path}/{group.id}" if group else path


# ------------------------------------------------------------------ categories
def _category(root: etree._Element, path: str, info_html: str, idnumber: str) -> None:
    question = sub(root, "question", type="category")
    sub(sub(question, "category"), "text", path)
    html(question, "info", info_html)
    sub(question, "idnumber", idnumber)


class Texts:
    """The texts of one file: their HTML and the images each embeds (the one renderer,
    ``rich_text.TextRenderer``, in ``TEXT_STYLE``)."""

    def __init__(self, renderer: TextRenderer | None = None) -> None:
        self.renderer = renderer or TextRenderer(TEXT_STYLE)

    def html(self, markdown: str, quiz: Quiz | None = None) -> str:
        return self.renderer.inline(markdown, quiz.images if quiz else ())

    def rendered(self, markdown: str, quiz: Quiz) -> Rendered:
        return self.renderer.rendered(markdown, quiz.images)


def file_names(rendered: Rendered) -> tuple[str, ...]:
    """The names of the images a rendered text embeds."""
    return tuple(media.name for media in rendered.files)


class FileSlots:
    """The names of the images a question's texts embed, text by text: a layout asks for
    text ``index``'s and gets the next ``counts[index]`` names (none past the counts)."""

    def __init__(self, counts: Sequence[int], names: Sequence[str]) -> None:
        self.counts = counts
        self.names = names
        self.starts = [sum(counts[:index]) for index in range(len(counts))]

    def __call__(self, index: int) -> Sequence[str]:
        if index >= len(self.counts):
            return ()
        start = self.starts[index]
        return self.names[start:start + self.counts[index]]


# ------------------------------------------------------------ question parts
# Like the layouts that use them, these place strings as given and never test them
# (element_template replays a layout with markers for strings).
def question_element(parent: etree._Element | None, qtype: str, name: str, stem: str, explanation: str,
                     points: str, penalty: str, idnumber: str, *, stem_files: Sequence[str] = (),
                     explanation_files: Sequence[str] = ()) -> etree._Element:
    """A ``question`` of ``qtype`` with the fields every type has, under ``parent`` (or a new root);
    ``*_files``: the names of the images each text embeds."""
    question = sub(etree.Element("quiz") if parent is None else parent, "question", type=qtype)
    sub(sub(question, "name"), "text", name)
    html(question, "questiontext", stem, stem_files)
    html(question, "generalfeedback", explanation, explanation_files)
    sub(question, "defaultgrade", points)
    sub(question, "penalty", penalty)
    sub(question, "hidden", "0")

    # unique within the lesson's category; Moodle never updates on re-import
    sub(question, "idnumber", idnumber)
    return question


def open_question(root: etree._Element, qtype: str, quiz: Quiz, question: Question, text: Texts, *,
                  stem: Rendered | None = None, penalty: str = "0.3333333") -> etree._Element:
    """``question_element`` for ``question``: its name, stem (``stem``, default: rendered),
    explanation, points and id. Moodle's default penalty per wrong try is a third."""
    stem = stem or text.rendered(question.stem, quiz)
    explanation = text.rendered(question.explanation, quiz)
    return question_element(root, qtype, question_name(question), stem.html, explanation.html,
                            str(question.points), penalty, question.id, stem_files=file_names(stem),
                            explanation_files=file_names(explanation))


def combined_feedback(question: etree._Element, correct: str, incorrect: str, *,
                      correct_files: Sequence[str] = (), incorrect_files: Sequence[str] = ()) -> None:
    """Moodle's "for any correct / partially correct / incorrect response" feedback.

    A partly right answer is not right, so it gets the source's ``incorrect`` feedback
    (each element holds its own copies of the images: Moodle keeps a file area per field).
    """
    html(question, "correctfeedback", correct, correct_files)
    html(question, "partiallycorrectfeedback", incorrect, incorrect_files)
    html(question, "incorrectfeedback", incorrect, incorrect_files)


def question_feedback(question: etree._Element, quiz: Quiz, source: Question, text: Texts) -> None:
    """``combined_feedback`` from the question's own feedback texts."""
    correct = text.rendered(source.feedback.correct, quiz)
    incorrect = text.rendered(source.feedback.incorrect, quiz)
    combined_feedback(question, correct.html, incorrect.html, correct_files=file_names(correct),
                      incorrect_files=file_names(incorrect))


def answer(question: etree._Element, fraction: str, text: str, feedback: str, *, text_format: str = "html",
           text_files: Sequence[str] = (), feedback_files: Sequence[str] = ()) -> etree._Element:
    """An ``answer`` with its grade (a percentage), its text and its feedback."""
    element = sub(question, "answer", fraction=fraction, format=text_format)
    sub(element, "text", text)
    files(element, text_files)
    html(element, "feedback", feedback, feedback_files)
    return element


def percent(value: float) -> str:
    """Moodle's grade list writes e.g. 33.33333 and 50: five decimals, no trailing zeros."""
    return f"{value:.5f}".rstrip("0").rstrip(".")


def html(parent: etree._Element, tag: str, text: str, names: Sequence[str] = ()) -> etree._Element:
    """``<tag format="html"><text>...</text></tag>``, and the images it embeds (``files``)."""
    element = sub(parent, tag, format="html")
    sub(element, "text", text)
    files(element, names)
    return element


def files(element: etree._Element, names: Sequence[str]) -> None:
    """An empty ``file`` per image after the ``text`` of ``element``; ``document_parts``
    splices each one's base64 in as the file is written."""
    for name in names:
        sub(element, "file", name=name, path="/", encoding="base64")


# Elements are added with etree.SubElement: an ElementMaker costs ~4x more for the
# ~40 small elements of a question (benchmarks/results.md, Profile).
def sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    """Append ``tag`` to ``parent``, with its text and attributes."""
    element = etree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element
