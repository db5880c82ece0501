"""``questions.xml`` of the Moodle backup: the course's question bank, in Moodle 4's layout.

``question_categories/question_category`` (the course context's ``top`` and one category per
lesson below it) → ``question_bank_entries/question_bank_entry`` (its ``idnumber`` is the
question's source id) → ``question_version/question_versions`` (version 1, ready) →
``questions/question`` with its type's ``plugin_qtype_<type>_question`` part
(``backup/moodle2/backup_stepslib.php``, ``question/type/*/backup/moodle2``).

Restoring again into the same course reuses what the first restore made
(restore_dbops::prechek_precheck_qbanks_by_level): a category matches by ``stamp`` (from the
source ids), then a question in it by an identity hash of its fields' values, the backup's
against the copy in Moodle's database. The hash leaves out ids and the author
(``createdby``, ``modifiedby``, which the restore replaces), but only fields that are set
(``isset``): a NULL there would stay in the hash as "" and never match (measured on Moodle
4.5, see ``NO_USER``). Times and stamps are in the hash: they come from the build
timestamp and the source ids, so the same ``.mbz`` or a rebuild with the same timestamp
matches, question by question.

Each question kind's form lives in its own small function (``QUESTION_FORMS``); the scoring
(fractions) and texts are the Moodle XML target's, so the two Moodle formats agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

from lxml import etree

from srm_package.model import Course, Lesson, Question, QuestionKind, Quiz
from srm_package.rich_text import TextRenderer, renderer_for
from srm_package.targets.element_template import TemplateCache
from srm_package.targets.identifiers import stable_id
from srm_package.targets.moodle_backup_files import BackupFiles, FileArea, QuestionAreas
from srm_package.targets.moodle_backup_ids import BackupIds
from srm_package.targets.moodle_backup_xml import NULL, decimal, element, record, streamed_document
from srm_package.targets.moodle_xml import PENALTY, TEXT_STYLE, question_values

CONTEXT_COURSE = 50
#: the author of every question: a user id the backup does not hold, so the restore puts the
#: restoring user there, the backup's site never being the restoring one
#: (restore_create_categories_and_questions::process_question). Not NULL:
#: Moodle's question identity hash drops ``createdby``/``modifiedby`` only when set, so NULL
#: made every re-restore into the same course add the questions again.
NO_USER = 0
_HTML = 1  # FORMAT_HTML
_PLAIN = 0  # FORMAT_MOODLE, what Moodle's true/false answers use


class BankEntry(NamedTuple):
    """What the quiz needs of a question in the bank: the entry its slot references."""

    entry_id: int
    points: int


def category_ids(course: Course, ids: BackupIds) -> list[int]:
    """The course context's ``top`` category, then one per lesson with a quiz."""
    return [ids("question_categories", "")] + [
        ids("question_categories", lesson.id) for lesson in course.lessons if lesson.quiz is not None
    ]


def questions_document(course: Course, ids: BackupIds, files: BackupFiles, time: int) -> bytes:
    """``questions.xml``; the images its texts show go into ``files``, in their questions' areas."""
    return streamed_document("question_categories", _categories(course, ids, files, time))


def _categories(course: Course, ids: BackupIds, files: BackupFiles, time: int) -> Iterator[etree._Element]:
    """The top category, then each lesson's with its questions, one at a time."""
    text = renderer_for(course, TEXT_STYLE)
    top = ids("question_categories", "")
    yield _category(None, course, ids, top, name="top", parent=0, info="", sortorder=0, idnumber=None,
                    stamp=_stamp(course, "top"))
    for lesson in course.lessons:
        if lesson.quiz is None:
            continue
        category = _category(
            None, course, ids, ids("question_categories", lesson.id), name=lesson.label, parent=top,
            info=text.inline(lesson.quiz.instructions), sortorder=999, idnumber=f"{course.id}/{lesson.id}",
            stamp=_stamp(course, "category", lesson.id))
        entries = element(category, "question_bank_entries")
        for question in lesson.quiz.questions:
            values = entry_values(course, lesson, lesson.quiz, question, ids, time)
            entries.append(_ENTRIES.fill(EntryShape(question.kind, len(question.choices)), values))
            add_question_files(files, text, lesson.quiz, question, _areas(ids, values),
                               tuple(map(int, values.answer_ids)))
        yield category


def bank_entry(lesson: Lesson, question: Question, ids: BackupIds) -> BankEntry:
    return BankEntry(ids("question_bank_entries", lesson.id, question.id), question.points)


def _category(root: etree._Element | None, course: Course, ids: BackupIds, category_id: int, *, name: str, parent: int,
              info: str, sortorder: int, idnumber: str | None, stamp: str) -> etree._Element:
    return record(root, "question_category", {
        "name": name,
        "contextid": ids("context", "course"),
        "contextlevel": CONTEXT_COURSE,
        "contextinstanceid": ids("course", ""),
        "info": info,
        "infoformat": _HTML,
        "stamp": stamp,
        "parent": parent,
        "sortorder": sortorder,
        "idnumber": idnumber,
    }, id=category_id)


def _areas(ids: BackupIds, values: EntryValues) -> QuestionAreas:
    """A question's file areas: in its category's context, the course's."""
    return QuestionAreas(ids("context", "course"), int(values.question_id))


def add_question_files(files: BackupFiles, text: TextRenderer, quiz: Quiz, question: Question,
                       areas: QuestionAreas, answer_ids: tuple[int, ...]) -> None:
    """Put the images of each text of ``question`` in the file areas Moodle keeps that text's
    files in: the text, the explanation (general feedback), the combined feedback (the wrong-
    answer text is both the partly-correct and the incorrect feedback), each answer and its
    feedback. A true/false question has no combined feedback and its answers are the words
    True and False, so only their feedback can show images."""
    true_false = question.kind is QuestionKind.TRUE_FALSE
    texts: list[tuple[str, tuple[FileArea, ...]]] = [
        (question.stem, (areas.question("questiontext"),)),
        (question.explanation, (areas.question("generalfeedback"),)),
    ]
    if not true_false:
        texts += [(question.feedback.correct, (areas.question("correctfeedback"),)),
                  (question.feedback.incorrect, (areas.question("partiallycorrectfeedback"),
                                                 areas.question("incorrectfeedback")))]
    for choice, answer_id in zip(question.choices, answer_ids, strict=True):
        if not true_false:
            texts.append((choice.text, (areas.answer("answer", answer_id),)))
        texts.append((choice.feedback, (areas.answer("answerfeedback", answer_id),)))
    for markdown, where in texts:
        files.add_text(text.rendered(markdown, quiz.images), *where)


def _stamp(course: Course, *parts: str) -> str:
    """A category's or question's ``stamp``: Moodle's ``host+time+random`` form, from source ids."""
    return f"srm-package+{course.id[:60]}+{stable_id('', course.id, *parts, length=24)}"


class EntryShape(NamedTuple):
    """What decides which elements an entry has; entries of one shape differ only in strings."""

    kind: QuestionKind
    choices: int


class EntryValues(NamedTuple):
    """Every string of a question bank entry: ids, texts (HTML), numbers as Moodle writes them."""

    entry_id: str
    category_id: str
    idnumber: str
    version_id: str
    question_id: str
    options_id: str
    name: str
    text: str
    explanation: str
    mark: str
    penalty: str
    stamp: str
    time: str
    shuffle: str
    correct_feedback: str
    incorrect_feedback: str
    #: per answer, in choice order
    answer_ids: tuple[str, ...]
    answer_texts: tuple[str, ...]
    fractions: tuple[str, ...]
    answer_feedback: tuple[str, ...]
    #: the answer ids of "True" and "False" (true/false questions; empty otherwise)
    true_answer: str
    false_answer: str


def entry_values(course: Course, lesson: Lesson, quiz: Quiz, question: Question, ids: BackupIds,
                 time: int) -> EntryValues:
    """The strings of ``question``'s entry; texts and fractions are the Moodle XML target's
    (images as ``@@PLUGINFILE@@/<name>``, see ``add_question_files``; formulas as LaTeX for
    Moodle's MathJax filter)."""
    values, _ = question_values(quiz, question, renderer_for(course, TEXT_STYLE))
    answer_ids = {c.id: str(ids("question_answers", question.id, c.id)) for c in question.choices}
    true_false = question.kind is QuestionKind.TRUE_FALSE
    return EntryValues(
        entry_id=str(bank_entry(lesson, question, ids).entry_id),
        category_id=str(ids("question_categories", lesson.id)),
        idnumber=question.id,  # unique in the category (Moodle drops a clashing one on restore)
        version_id=str(ids("question_versions", lesson.id, question.id)),
        question_id=str(ids("question", lesson.id, question.id)),
        options_id=str(ids("question_options", question.id)),
        name=values.name,
        text=values.stem,
        explanation=values.explanation,
        mark=decimal(question.points, 7),
        penalty=decimal(float(PENALTY[question.kind]), 7),
        stamp=_stamp(course, "question", question.id),
        time=str(time),
        shuffle="1" if values.shuffle == "true" else "0",
        correct_feedback=values.correct_feedback,
        incorrect_feedback=values.incorrect_feedback,
        answer_ids=tuple(answer_ids.values()),
        # Moodle's own true/false answers read "True" and "False" (the choice ids are true/false)
        answer_texts=tuple(a.capitalize() for a in values.answers) if true_false else values.answers,
        fractions=tuple(decimal(float(fraction) / 100, 7) for fraction in values.fractions),
        answer_feedback=values.answer_feedback,
        true_answer=answer_ids.get("true", "") if true_false else "",
        false_answer=answer_ids.get("false", "") if true_false else "",
    )


def layout_entry(shape: EntryShape, values: EntryValues) -> etree._Element:
    """``question_bank_entry`` → version 1 → the question with its type's part."""
    entry = record(None, "question_bank_entry", {
        "questioncategoryid": values.category_id,
        "idnumber": values.idnumber,
        "ownerid": NULL,
    }, id=values.entry_id)
    versions = record(element(entry, "question_version"), "question_versions",
                      {"version": 1, "status": "ready"}, id=values.version_id)
    qtype, plugin = QUESTION_FORMS[shape.kind](values)
    record(element(versions, "questions"), "question", {
        "parent": 0,
        "name": values.name,
        "questiontext": values.text,
        "questiontextformat": _HTML,
        "generalfeedback": values.explanation,
        "generalfeedbackformat": _HTML,
        "defaultmark": values.mark,
        "penalty": values.penalty,
        "qtype": qtype,
        "length": 1,
        "stamp": values.stamp,
        "timecreated": values.time,
        "timemodified": values.time,
        "createdby": NO_USER,
        "modifiedby": NO_USER,
    }, id=values.question_id).append(plugin)
    return entry


# ------------------------------------------------------------ question kinds
#: ``values -> (qtype, plugin_qtype_<qtype>_question element)``: one per question kind
QuestionForm = Callable[[EntryValues], tuple[str, etree._Element]]


def _answers(plugin: etree._Element, values: EntryValues, text_format: int) -> None:
    """``answers/answer`` rows, each with its fraction (0..1) and feedback."""
    answers = element(plugin, "answers")
    for answer_id, text, fraction, feedback in zip(values.answer_ids, values.answer_texts, values.fractions,
                                                   values.answer_feedback, strict=True):
        record(answers, "answer", {
            "answertext": text,
            "answerformat": text_format,
            "fraction": fraction,
            "feedback": feedback,
            "feedbackformat": _HTML,
        }, id=answer_id)


def _multichoice(values: EntryValues, *, single: bool) -> tuple[str, etree._Element]:
    plugin = etree.Element("plugin_qtype_multichoice_question")
    _answers(plugin, values, _HTML)
    record(plugin, "multichoice", {
        "layout": 0,
        "single": int(single),
        "shuffleanswers": values.shuffle,
        "correctfeedback": values.correct_feedback,
        "correctfeedbackformat": _HTML,
        "partiallycorrectfeedback": values.incorrect_feedback,
        "partiallycorrectfeedbackformat": _HTML,
        "incorrectfeedback": values.incorrect_feedback,
        "incorrectfeedbackformat": _HTML,
        "answernumbering": "abc",
        "shownumcorrect": 0,
        "showstandardinstruction": 0,
    }, id=values.options_id)
    return "multichoice", plugin


def single_form(values: EntryValues) -> tuple[str, etree._Element]:
    """Single answer: ``multichoice`` with ``single`` 1, the right answer at fraction 1."""
    return _multichoice(values, single=True)


def multiple_form(values: EntryValues) -> tuple[str, etree._Element]:
    """Multiple answers: ``multichoice`` with ``single`` 0; right answers share 1, a wrong one is -1."""
    return _multichoice(values, single=False)


def true_false_form(values: EntryValues) -> tuple[str, etree._Element]:
    """``truefalse``: answers "True" and "False", and which answer id is which."""
    plugin = etree.Element("plugin_qtype_truefalse_question")
    _answers(plugin, values, _PLAIN)
    record(plugin, "truefalse", {
        "trueanswer": values.true_answer,
        "falseanswer": values.false_answer,
        "showstandardinstruction": 0,
    }, id=values.options_id)
    return "truefalse", plugin


QUESTION_FORMS: dict[QuestionKind, QuestionForm] = {
    QuestionKind.SINGLE: single_form,
    QuestionKind.MULTIPLE: multiple_form,
    QuestionKind.TRUE_FALSE: true_false_form,
}

_ENTRIES: TemplateCache[EntryShape, EntryValues] = TemplateCache(layout_entry)
