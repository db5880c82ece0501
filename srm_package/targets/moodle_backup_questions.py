"""``questions.xml`` of the Moodle backup: the course's question bank, in Moodle 4's layout.

``question_categories/question_category`` (the course context's ``top``, one category per
lesson below it, and one per question group below its lesson's, which the quiz's random slots
draw from) → ``question_bank_entries/question_bank_entry`` (its ``idnumber`` is the
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

Each question type writes its own entry (``QuestionType.moodle_backup_entry``, in
``srm_package.questions``) from the parts below: the entry, its version and the question
record are the same for every type, which adds its ``plugin_qtype_<type>_question`` part
and puts the images of its texts in their file areas (``question_areas``, files.xml);
``question_entry`` writes the common part for the types built directly. Texts, fractions and
options are the Moodle XML form's, so that the two Moodle formats agree. A question the
backup cannot carry is left out of the bank and of the quiz (``pools.carried``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from lxml import etree

from srm_package.model import Course, Lesson, Question, QuestionGroup, Quiz
from srm_package.questions import carries, question_type
from srm_package.questions.base import Form
from srm_package.rich_text import TextRenderer, renderer_for
from srm_package.targets.identifiers import question_name, stable_id
from srm_package.targets.moodle_backup_files import BackupFiles, FileArea, QuestionAreas
from srm_package.targets.moodle_backup_ids import BackupIds
from srm_package.targets.moodle_backup_xml import NULL, decimal, element, record, streamed_document
from srm_package.targets.moodle_xml import TEXT_STYLE

__all__ = ["decimal"]  # for the question types' entries, with the parts below


CONTEXT_COURSE = 50
#: the author of every question: a user id the backup does not hold, so the restore puts the
#: restoring user there, the backup's site never being the restoring one
#: (restore_create_categories_and_questions::process_question). Not NULL:
#: Moodle's question identity hash drops ``createdby``/``modifiedby`` only when set, so NULL
#: made every re-restore into the same course add the questions again.
NO_USER = 0
HTML = 1  # FORMAT_HTML
PLAIN = 0  # FORMAT_MOODLE, what Moodle's true/false answers use


class BankEntry(NamedTuple):
    """What the quiz needs of a question in the bank: the entry its slot references."""

    entry_id: int
    points: int


def category_ids(course: Course, ids: BackupIds) -> list[int]:
    """The course context's ``top`` category, then one per lesson with a quiz, each followed
    by one per question group of its quiz."""
    found = [ids("question_categories", "")]
    for lesson in course.lessons:
        if lesson.quiz is not None:
            found.append(ids("question_categories", lesson.id))
            found += [group_category_id(lesson, group, ids) for group in lesson.quiz.groups]
    return found


def category_id(lesson: Lesson, question: Question, ids: BackupIds) -> int:
    """The bank category of ``question``: its group's (below the lesson's), else the lesson's."""
    group = lesson.quiz.group_of(question) if lesson.quiz else None
    return group_category_id(lesson, group, ids) if group else ids("question_categories", lesson.id)


def group_category_id(lesson: Lesson, group: QuestionGroup, ids: BackupIds) -> int:
    """The category a group's questions are in, which its random slots draw from."""
    return ids("question_categories", lesson.id, group.id)


def questions_document(course: Course, ids: BackupIds, files: BackupFiles, time: int) -> bytes:
    """``questions.xml``; the images its texts show go into ``files``, in their questions' areas."""
    return streamed_document("question_categories", _categories(course, ids, files, time))


def _categories(course: Course, ids: BackupIds, files: BackupFiles, time: int) -> Iterator[etree._Element]:
    """The top category, then each lesson's with its questions, one at a time."""
    text = renderer_for(course, TEXT_STYLE)
    top = ids("question_categories", "")
    yield _category(None, course, ids, top, name="top", parent=0, info="", sortorder=0, idnumber=None,
                    stamp=stamp(course, "top"))
    for lesson in course.lessons:
        if lesson.quiz is None:
            continue
        quiz = lesson.quiz
        category = _category(
            None, course, ids, ids("question_categories", lesson.id), name=lesson.label, parent=top,
            info=text.inline(quiz.instructions), sortorder=999, idnumber=f"{course.id}/{lesson.id}",
            stamp=stamp(course, "category", lesson.id))
        _entries(category, course, lesson, quiz.always_asked, ids, time, files, text)
        yield category
        for group in quiz.groups:
            category = _category(
                None, course, ids, group_category_id(lesson, group, ids), name=group.id,
                parent=ids("question_categories", lesson.id), info="", sortorder=999,
                idnumber=f"{course.id}/{lesson.id}/{group.id}", stamp=stamp(course, "category", lesson.id, group.id))
            _entries(category, course, lesson, quiz.group_questions(group), ids, time, files, text)
            yield category


def _entries(category: etree._Element, course: Course, lesson: Lesson, questions: tuple[Question, ...],
             ids: BackupIds, time: int, files: BackupFiles, text: TextRenderer) -> None:
    entries = element(category, "question_bank_entries")
    for question in questions:
        if carries(question, Form.MOODLE_BACKUP):
            question_type(question).moodle_backup_entry(entries, course, lesson, lesson.quiz, question, ids, time,
                                                        files, text)


def question_areas(lesson: Lesson, question: Question, ids: BackupIds) -> QuestionAreas:
    """The file areas of ``question``'s texts: in its category's context, the course's."""
    return QuestionAreas(ids("context", "course"), ids("question", lesson.id, question.id))


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
        "infoformat": HTML,
        "stamp": stamp,
        "parent": parent,
        "sortorder": sortorder,
        "idnumber": idnumber,
    }, id=category_id)


def stamp(course: Course, *parts: str) -> str:

    """A category's or question's ``stamp``: Moodle's ``host+time+random`` form, from source ids."""
    return f"srm-package+{course.id[:60]}+{stable_id('', course.id, *parts, length=24)}"


# --------------------------------------------------------------- entries
def entry_element(*, entry_id: str, category_id: str, idnumber: str, version_id: str, question_id: str,
                  name: str, text: str, explanation: str, mark: str, penalty: str, qtype: str, stamp: str,
                  time: str, plugin: etree._Element) -> etree._Element:
    """``question_bank_entry`` → version 1 → the question, with its type's ``plugin`` part.

    Like the layouts that call it, it places strings as given and never tests them
    (element_template replays a layout with markers for strings)."""

    entry = record(None, "question_bank_entry", {
        "questioncategoryid": category_id,
        "idnumber": idnumber,
        "ownerid": NULL,
    }, id=entry_id)
    versions = record(element(entry, "question_version"), "question_versions",
                      {"version": 1, "status": "ready"}, id=version_id)
    record(element(versions, "questions"), "question", {
        "parent": 0,
        "name": name,
        "questiontext": text,
        "questiontextformat": HTML,
        "generalfeedback": explanation,
        "generalfeedbackformat": HTML,
        "defaultmark": mark,
        "penalty": penalty,
        "qtype": qtype,
        "length": 1,
        "stamp": stamp,
        "timecreated": time,
        "timemodified": time,
        "createdby": NO_USER,
        "modifiedby": NO_USER,
    }, id=question_id).append(plugin)
    return entry


def question_entry(entries: etree._Element, course: Course, lesson: Lesson, quiz: Quiz, question: Question,
                   ids: BackupIds, time: int, *, qtype: str, plugin: etree._Element, text: str,
                   explanation: str, penalty: float = 0.3333333) -> etree._Element:
    """Append ``question``'s entry to ``entries``: ids, name, mark, stamp and times from the
    question, its texts (HTML, as the Moodle XML form writes them) and ``plugin`` as given.
    Moodle's default penalty per wrong try is a third."""
    entry = entry_element(
        entry_id=str(bank_entry(lesson, question, ids).entry_id),
        category_id=str(category_id(lesson, question, ids)),
        idnumber=question.id,  # unique in the category (Moodle drops a clashing one on restore)
        version_id=str(ids("question_versions", lesson.id, question.id)),
        question_id=str(ids("question", lesson.id, question.id)),
        name=question_name(question), text=text, explanation=explanation, mark=decimal(question.points, 7),
        penalty=decimal(penalty, 7), qtype=qtype, stamp=stamp(course, "question", question.id), time=str(time),
        plugin=plugin)
    entries.append(entry)
    return entry


class EntryTexts:
    """The texts of one question's entry, rendered as Moodle XML writes them (``text``: the
    course's renderer in its style), each one's images put in ``files`` in the file areas
    Moodle keeps that text's files in (``QuestionAreas``)."""

    def __init__(self, files: BackupFiles, text: TextRenderer, quiz: Quiz, areas: QuestionAreas) -> None:
        self.files = files
        self.text = text
        self.quiz = quiz
        self.areas = areas

    def html(self, markdown: str, *areas: FileArea) -> str:
        return self.files.add_text(self.text.rendered(markdown, self.quiz.images), *areas)

    def question(self, markdown: str, *fileareas: str) -> str:
        """A text of the question itself: ``questiontext``, ``generalfeedback``, ``correctfeedback``..."""
        return self.html(markdown, *(self.areas.question(filearea) for filearea in fileareas))

    def answer(self, markdown: str, filearea: str, answer_id: int) -> str:
        """An answer's text (``answer``) or feedback (``answerfeedback``)."""
        return self.html(markdown, self.areas.answer(filearea, answer_id))


def entry_texts(files: BackupFiles, text: TextRenderer, lesson: Lesson, quiz: Quiz, question: Question,
                ids: BackupIds) -> EntryTexts:
    return EntryTexts(files, text, quiz, question_areas(lesson, question, ids))


def combined_feedback(texts: EntryTexts, question: Question) -> dict[str, str | int]:
    """The "any correct / partially correct / incorrect response" columns: a partly right answer
    is not right, so it gets the source's ``incorrect`` feedback (as in Moodle XML)."""
    correct = texts.question(question.feedback.correct, "correctfeedback")
    incorrect = texts.question(question.feedback.incorrect, "partiallycorrectfeedback", "incorrectfeedback")
    return {
        "correctfeedback": correct, "correctfeedbackformat": HTML,
        "partiallycorrectfeedback": incorrect, "partiallycorrectfeedbackformat": HTML,
        "incorrectfeedback": incorrect, "incorrectfeedbackformat": HTML,
    }


def answer_rows(plugin: etree._Element, answer_ids: tuple[str, ...], texts: tuple[str, ...],
                fractions: tuple[str, ...], feedback: tuple[str, ...], text_format: int) -> None:
    """``answers/answer`` rows, each with its fraction (0..1) and feedback."""
    answers = element(plugin, "answers")
    for answer_id, text, fraction, answer_feedback in zip(answer_ids, texts, fractions, feedback, strict=True):
        record(answers, "answer", {
            "answertext": text,
            "answerformat": text_format,
            "fraction": fraction,
            "feedback": answer_feedback,
            "feedbackformat": HTML,
        }, id=answer_id)
