"""Choice questions: ``single`` (one right answer), ``multiple`` (every right one, no other)
and ``true_false`` (choices ``true`` and ``false``): one family, one set of choices.

Scoring. ``single`` and ``true_false``: the right choice earns the points. ``multiple``:
all or nothing by default; with ``partial_credit: true`` an answer earns
``max(0, right picks - wrong picks) / right choices`` of the points, which is exactly
how Canvas grades a multiple-answers question and how Moodle grades a multichoice
whose right answers share 100% and whose wrong ones take away one share each.

The QTI items are copies of one template per item shape (``element_template``): a
course's items differ mostly in their strings, and copying is ~10x cheaper than
building (benchmarks/results.md, Profile).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from srm_package import i18n
from srm_package.model import Markdown, Question, Quiz
from srm_package.questions.base import (
    AS_WRITTEN,
    Carried,
    Carry,
    Form,
    QuestionType,
    backup_writer,
    moodle_writer,
    qti_writer,
    read_flag,
)
from srm_package.questions.scorm import identifier_2004, letter_12, too_many_for_12
from srm_package.targets.identifiers import answer_numbers

if TYPE_CHECKING:
    from lxml import etree

    from srm_package.model import Course, Lesson
    from srm_package.rich_text import TextRenderer
    from srm_package.sources.quiz_file import TextReader
    from srm_package.sources.yamlfields import Located, YamlMapping
    from srm_package.targets.element_template import TemplateCache
    from srm_package.targets.moodle_backup_files import BackupFiles, FileArea, QuestionAreas
    from srm_package.targets.moodle_backup_ids import BackupIds
    from srm_package.targets.moodle_xml import Texts
    from srm_package.targets.qti import Profile

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
_CHOICE_FIELDS = ("id", "text", "correct", "feedback")
#: a true/false choice may leave its text out: the course words it in its language
#: (``i18n.true_false_text``, filled in by the course reader); "" stands for that default
TRUE_FALSE_IDS = ("true", "false")


# ------------------------------------------------------------------- the model
@dataclass(frozen=True)
class Choice:
    id: str
    text: Markdown
    correct: bool
    feedback: Markdown


@dataclass(frozen=True)
class Choices:
    """The answer part of a choice question."""

    #: ``single``, ``multiple`` or ``true_false``
    kind: str
    choices: tuple[Choice, ...]
    #: ``multiple`` only: a partly right answer earns its share (see the module docstring)
    partial_credit: bool = False

    @property
    def correct_choices(self) -> tuple[Choice, ...]:
        return tuple(c for c in self.choices if c.correct)


# ------------------------------------------------------------------ the type
class ChoiceType(QuestionType):
    kinds = (SINGLE, MULTIPLE, TRUE_FALSE)
    family = "choice"
    scorm_interaction = "choice"

    def fields(self, kind: str) -> tuple[str, ...]:
        return ("choices", "partial_credit") if kind == MULTIPLE else ("choices",)

    def read(self, kind: str, fields: YamlMapping, stem: Markdown | None, text: TextReader) -> Choices | None:
        partial = read_flag(fields, "partial_credit") if kind == MULTIPLE else False
        choices = _read_choices(fields.require("choices"), kind, text)
        if choices is None or partial is None:
            return None
        return Choices(kind, choices, bool(partial))

    def carry(self, question: Question, form: Form) -> Carry:
        response: Choices = question.response
        if response.kind != MULTIPLE or form in (Form.PAGE, Form.QTI_BANK):
            return AS_WRITTEN
        if form is Form.QTI_CANVAS:
            return AS_WRITTEN if response.partial_credit else Carried((
                "Canvas gives partial credit (each right choice earns its share, each wrong one takes "
                "one away); the source asks for all or nothing",))
        if form is Form.QTI_CC:
            return Carried(("Moodle's cartridge import gives partial credit and no penalty for wrong "
                            "choices, so ticking every choice scores full marks",))
        # Moodle XML and the Moodle backup: right choices share 100%, each wrong one is -100% / -share
        return AS_WRITTEN if response.partial_credit else Carried((
            "Moodle gives partial credit for some right choices and none wrong; the source asks for "
            "all or nothing",))

    # ----------------------------------------------------------------- page
    def page_data(self, question: Question, page: Any) -> dict[str, object]:
        return {
            "choices": [
                {
                    "id": choice.id,
                    "correct": choice.correct,
                    "response12": letter_12(position) if position < 26 else "",
                    "response2004": identifier_2004(choice.id),
                }
                for position, choice in enumerate(question.response.choices)
            ],
        }

    def element_ids(self, question: Question, page: Any) -> Iterator[str]:
        for choice in question.response.choices:
            yield page.part_anchor(question, choice.id)

    def longest_saved_answer(self, question: Question) -> int:
        """The chosen positions, one base-36 digit each: one, or every choice of a ``multiple``."""
        return len(question.response.choices) if question.kind == "multiple" else 1

    def arranged_parts(self, question: Question) -> int:
        return len(question.response.choices)

    def structure(self, question: Question) -> object:
        return [c.id for c in question.response.choices]

    def page_problem(self, question: Question, runtime: str) -> str | None:
        choices = question.response.choices
        if len({identifier_2004(choice.id) for choice in choices}) != len(choices):
            return (f"question {question.id!r}: choice ids differ only by '-' and '_', which SCORM "
                    "2004 cannot tell apart")
        return too_many_for_12(question.id, len(choices), "choices") if runtime == "scorm12" else None

    # ------------------------------------------------------------------ QTI
    def qti_item(self, parent: etree._Element, quiz: Quiz, question: Question, *, profile: Profile,
                 scope: str, text: TextRenderer) -> etree._Element:
        item = _qti_items().fill(item_shape(quiz, question, profile),
                                 item_values(quiz, question, profile, scope, text))
        parent.append(item)
        return item

    # --------------------------------------------------------------- Moodle
    def moodle_question(self, root: etree._Element, quiz: Quiz, question: Question, text: Texts
                        ) -> etree._Element:
        values, files = moodle_values(quiz, question, text)
        shape = MoodleShape(question.kind, len(question.response.choices), files)
        element = _moodle_questions().fill(shape, values)
        root.append(element)
        return element

    def moodle_backup_entry(self, entries: etree._Element, course: Course, lesson: Lesson, quiz: Quiz,
                            question: Question, ids: BackupIds, time: int, files: BackupFiles,
                            text: TextRenderer) -> etree._Element:
        """A filled-in copy of the first entry of its shape (see element_template), its images
        in their areas (``add_question_files``)."""
        shape = EntryShape(question.kind, len(question.response.choices))
        values = entry_values(course, lesson, quiz, question, ids, time, text)
        entry = _backup_entries().fill(shape, values)
        entries.append(entry)
        add_question_files(files, text, quiz, question, backup_writer().question_areas(lesson, question, ids),
                           tuple(map(int, values.answer_ids)))
        return entry


TYPE = ChoiceType()


# ---------------------------------------------------------------- reading
def _read_choices(found: Located | None, kind: str, read_text: TextReader) -> tuple[Choice, ...] | None:
    if found is None:
        return None
    items = found.as_sequence()
    if items is None:
        return None
    choices: list[Choice] = []
    seen: dict[str, int] = {}
    complete = True
    for item in items:
        fields = item.as_mapping(_CHOICE_FIELDS)
        if fields is None:
            complete = False
            continue
        choice_id = fields.read("id", lambda v: v.identifier(max_length=32), required=True)
        # true/false choices may leave their text out ("": the course's language words it)
        may_default = kind == TRUE_FALSE and choice_id in TRUE_FALSE_IDS
        text = fields.read("text", read_text, required=not may_default) or ("" if may_default else None)
        found_correct = fields.get("correct")
        correct = found_correct.boolean() if found_correct else False
        feedback = fields.read("feedback", read_text) or ""
        if choice_id is None or text is None or correct is None:
            complete = False
            continue
        if choice_id in seen:
            item.error(f"duplicate choice id {choice_id!r} (first at line {seen[choice_id]})",
                       field=f"{item.field}.id")
            complete = False
            continue
        seen[choice_id] = item.line
        choices.append(Choice(choice_id, text, bool(correct), feedback))
    if not complete or not _check_choice_rules(found, kind, choices):
        return None
    return tuple(choices)


def _check_choice_rules(found: Located, kind: str, choices: list[Choice]) -> bool:
    correct = sum(1 for c in choices if c.correct)
    if len(choices) < 2:
        found.error(f"a question needs at least two choices; found {len(choices)}")
        return False
    if kind == SINGLE and correct != 1:
        found.error(f"a single-answer question needs exactly one correct choice; found {correct} "
                    "(use type: multiple for several)")
        return False
    if kind == MULTIPLE and correct < 1:
        found.error("a multiple-answer question needs at least one correct choice; found 0")
        return False
    if kind == TRUE_FALSE:
        if sorted(c.id for c in choices) != ["false", "true"]:
            found.error("a true_false question has exactly two choices with ids 'true' and 'false'")
            return False
        if correct != 1:
            found.error(f"a true_false question needs exactly one correct choice; found {correct}")
            return False
    return True


# ------------------------------------------------------------------ QTI items
#: per profile, the item's type metadata
CANVAS_QUESTION_TYPES = {
    SINGLE: "multiple_choice_question",
    MULTIPLE: "multiple_answers_question",
    TRUE_FALSE: "true_false_question",
}
CC_PROFILES = {
    SINGLE: "cc.multiple_choice.v0p1",
    MULTIPLE: "cc.multiple_response.v0p1",
    TRUE_FALSE: "cc.true_false.v0p1",
}


def choice_labels(question: Question, profile: Profile, scope: str = "") -> dict[str, str]:
    """``response_label`` ident per choice id.

    Numbers everywhere (Canvas keeps numeric answer ids, and a number can never
    contain "correct", "wrong" or "general_", which Canvas would read as
    question-level feedback); ``true``/``false`` for a CC true/false item, as
    Moodle's cartridge importer requires.
    """
    choices = question.response.choices
    if profile is qti_writer().Profile.CC and question.kind == TRUE_FALSE:
        return {choice.id: choice.id for choice in choices}
    numbers = answer_numbers(scope, question.id, [choice.id for choice in choices])
    return {cid: str(n) for cid, n in numbers.items()}


class ItemShape(NamedTuple):
    """What decides which elements an item has. Items of one shape differ only in strings."""

    profile: Profile
    kind: str
    shuffle: bool
    #: per choice: is it correct, has it feedback
    choices: tuple[tuple[bool, bool], ...]
    explanation: bool
    correct_feedback: bool
    incorrect_feedback: bool


class ItemValues(NamedTuple):
    """Every string of an item that its shape does not fix; Markdown already rendered to HTML."""

    ident: str
    title: str
    #: the ``fieldentry`` of each of the profile's ``ITEM_FIELDS``
    metadata: tuple[str, ...]
    stem: str
    #: per choice: its ``response_label`` ident, its text, its feedback
    labels: tuple[str, ...]
    choices: tuple[str, ...]
    choice_feedback: tuple[str, ...]
    explanation: str
    correct_feedback: str
    incorrect_feedback: str


def item_shape(quiz: Quiz, question: Question, profile: Profile) -> ItemShape:
    return ItemShape(
        profile=profile,
        kind=question.kind,
        shuffle=quiz.shuffle.choices,
        choices=tuple((choice.correct, bool(choice.feedback)) for choice in question.response.choices),
        explanation=bool(question.explanation),
        correct_feedback=bool(question.feedback.correct),
        incorrect_feedback=bool(question.feedback.incorrect),
    )


def item_values(quiz: Quiz, question: Question, profile: Profile, scope: str,
                text: TextRenderer | None = None) -> ItemValues:
    """The item's strings; ``text`` renders its texts (default: the profile's style, no image files)."""
    qti = qti_writer()

    renderer = text or qti.TextRenderer(qti.TEXT_STYLES[profile])

    def html(markdown: str) -> str:
        return renderer.inline(markdown, quiz.images)

    choices = question.response.choices
    labels = choice_labels(question, profile, scope)
    return ItemValues(
        ident=qti.item_ident(quiz, question, scope),
        title=qti.item_title(question),
        metadata=qti.item_metadata(quiz, question, profile, scope,
                                   canvas_type=CANVAS_QUESTION_TYPES[question.kind],
                                   cc_profile=CC_PROFILES[question.kind],
                                   answer_ids=[labels[c.id] for c in choices]),
        stem=html(question.stem),
        labels=tuple(labels[c.id] for c in choices),
        choices=tuple(html(c.text) for c in choices),
        choice_feedback=tuple(html(c.feedback) for c in choices),
        explanation=html(question.explanation),
        correct_feedback=html(question.feedback.correct),
        incorrect_feedback=html(question.feedback.incorrect),
    )


# These functions lay an item out from its shape and strings alone: they run once per
# shape, with markers for strings (see element_template), so they branch on ``shape``
# only and place strings as they are.
def layout_item(shape: ItemShape, values: ItemValues, parent: etree._Element | None = None) -> etree._Element:
    """The ``item`` element, built directly (under ``parent``, or standalone)."""
    qti = qti_writer()

    item = qti.item_element(parent, shape.profile, values.ident, values.title, values.metadata)
    presentation = qti.presentation(item, values.stem)
    cardinality = "Multiple" if shape.kind == MULTIPLE else "Single"
    response = qti.sub(presentation, "response_lid",
                       attrib={"ident": qti.RESPONSE_IDENT, "rcardinality": cardinality})
    render_choice = qti.sub(response, "render_choice", attrib={"shuffle": "Yes" if shape.shuffle else "No"})
    for label, text in zip(values.labels, values.choices, strict=True):
        qti.material(qti.sub(render_choice, "response_label", attrib={"ident": label}), text)
    resprocessing = qti.resprocessing(item, explanation=shape.explanation)
    if shape.profile is qti.Profile.CANVAS:
        _canvas_conditions(resprocessing, shape, values)
    else:
        _cc_conditions(resprocessing, shape, values)
    qti.question_feedback(item, shape.profile, values.explanation if shape.explanation else None,
                          values.correct_feedback if shape.correct_feedback else None,
                          values.incorrect_feedback if shape.incorrect_feedback else None)
    for label, html, (_, has_feedback) in zip(values.labels, values.choice_feedback, shape.choices, strict=True):
        if has_feedback:
            qti.feedback(item, qti.feedback_ident(label), html)
    return item


@cache
def _qti_items() -> TemplateCache[ItemShape, ItemValues]:
    from srm_package.targets.element_template import TemplateCache

    return TemplateCache(layout_item)


def _canvas_conditions(resprocessing: etree._Element, shape: ItemShape, values: ItemValues) -> None:
    """Canvas export order: answer feedback (continue), then the one scoring condition."""
    qti = qti_writer()

    for label, (_, has_feedback) in zip(values.labels, shape.choices, strict=True):
        if has_feedback:
            qti.varequal(qti.condition(resprocessing, "Yes", feedback=qti.feedback_ident(label)), label)
    scoring = qti.condition(resprocessing, "No", score=True,
                            feedback=qti.CORRECT_FEEDBACK if shape.correct_feedback else None)
    _correct_response(scoring, shape, values)
    if shape.incorrect_feedback:
        # reached only when the scoring condition above did not stop processing
        qti.sub(qti.condition(resprocessing, "Yes", feedback=qti.INCORRECT_FEEDBACK), "other")


def _cc_conditions(resprocessing: etree._Element, shape: ItemShape, values: ItemValues) -> None:
    """Moodle-safe order: each answer's score and feedback in one condition."""
    qti = qti_writer()

    multiple = shape.kind == MULTIPLE
    if multiple:
        # scoring first and continuing, so that the answer feedback below is still shown
        _correct_response(qti.condition(resprocessing, "Yes", score=True), shape, values, case=True)
    for label, (correct, has_feedback) in zip(values.labels, shape.choices, strict=True):
        score = correct and not multiple
        if score or has_feedback:
            feedback = qti.feedback_ident(label) if has_feedback else None
            qti.varequal(qti.condition(resprocessing, "No", score=score, feedback=feedback), label, case=True)


def _correct_response(test: etree._Element, shape: ItemShape, values: ItemValues, *, case: bool = False) -> None:
    qti = qti_writer()

    if shape.kind != MULTIPLE:
        (correct,) = (label for label, (right, _) in zip(values.labels, shape.choices, strict=True) if right)
        qti.varequal(test, correct, case=case)
        return
    # all correct choices selected and no other: the 'and' is needed to be valid CC QTI
    every = qti.sub(test, "and")
    for label, (correct, _) in zip(values.labels, shape.choices, strict=True):
        qti.varequal(every if correct else qti.sub(every, "not"), label, case=case)


# ------------------------------------------------------------- Moodle XML
#: Moodle's default penalty per wrong try (interactive behaviour): 1/3 for multichoice
_PENALTY = {SINGLE: "0.3333333", MULTIPLE: "0.3333333", TRUE_FALSE: "1"}


class MoodleShape(NamedTuple):
    """What decides which elements a question has; questions of one shape differ only in strings."""

    kind: str
    choices: int
    #: how many images each text embeds: stem, explanation, right and wrong feedback, then
    #: per answer its text and its feedback (``moodle_xml.FileSlots``)
    files: tuple[int, ...] = ()


class MoodleValues(NamedTuple):
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
    #: the embedded images' names, in the order of ``MoodleShape.files``
    file_names: tuple[str, ...] = ()


def moodle_values(quiz: Quiz, question: Question, text: Texts | None = None
                  ) -> tuple[MoodleValues, tuple[int, ...]]:
    """The strings of ``question``, and how many images each of its texts embeds."""
    moodle_xml = moodle_writer()

    text = text or moodle_xml.Texts()
    response: Choices = question.response
    true_false = question.kind == TRUE_FALSE
    # the texts in layout order (see MoodleShape.files); a true/false answer is the word itself
    sources = [question.stem, question.explanation, question.feedback.correct, question.feedback.incorrect]
    for choice in response.choices:
        sources += ["" if true_false else choice.text, choice.feedback]
    rendered = [text.rendered(source, quiz) for source in sources]
    stem, explanation, correct, incorrect = (one.html for one in rendered[:4])
    if true_false:
        fractions = tuple("100" if choice.correct else "0" for choice in response.choices)
        # Moodle matches the answers by their text, which must be exactly "true" and "false"
        answers = tuple(choice.id for choice in response.choices)
    else:
        # the correct answers share 100; in a multiple-answer question a wrong one takes
        # away all (all or nothing, as near as Moodle's type gets) or one share (partial credit)
        share = 100 / len(response.correct_choices)
        right = moodle_xml.percent(share)
        if question.kind == SINGLE:
            wrong = "0"
        elif response.partial_credit:
            wrong = f"-{right}"
        else:
            wrong = "-100"
        fractions = tuple(right if choice.correct else wrong for choice in response.choices)
        answers = tuple(one.html for one in rendered[4::2])
    values = MoodleValues(
        name=moodle_xml.question_name(question),
        stem=stem,
        explanation=explanation,
        points=str(question.points),
        idnumber=question.id,
        shuffle="true" if quiz.shuffle.choices else "false",
        correct_feedback=correct,
        incorrect_feedback=incorrect,
        fractions=fractions,
        answers=answers,
        answer_feedback=tuple(one.html for one in rendered[5::2]),
        file_names=tuple(name for one in rendered for name in moodle_xml.file_names(one)),
    )
    return values, tuple(len(one.files) for one in rendered)


def layout_moodle(shape: MoodleShape, values: MoodleValues, parent: etree._Element | None = None
                  ) -> etree._Element:
    """The ``question`` element, built directly from its shape and strings (under ``parent``)."""
    moodle_xml = moodle_writer()

    true_false = shape.kind == TRUE_FALSE
    files = moodle_xml.FileSlots(shape.files, values.file_names)
    question = moodle_xml.question_element(parent, "truefalse" if true_false else "multichoice", values.name,
                                           values.stem, values.explanation, values.points,
                                           _PENALTY[shape.kind], values.idnumber, stem_files=files(0),
                                           explanation_files=files(1))
    if not true_false:
        moodle_xml.sub(question, "single", "true" if shape.kind == SINGLE else "false")
        moodle_xml.sub(question, "shuffleanswers", values.shuffle)
        moodle_xml.sub(question, "answernumbering", "abc")
        moodle_xml.sub(question, "showstandardinstruction", "0")
        moodle_xml.combined_feedback(question, values.correct_feedback, values.incorrect_feedback,
                                     correct_files=files(2), incorrect_files=files(3))
    text_format = "moodle_auto_format" if true_false else "html"
    for number, (fraction, text, feedback) in enumerate(
            zip(values.fractions, values.answers, values.answer_feedback, strict=True)):
        moodle_xml.answer(question, fraction, text, feedback, text_format=text_format,
                          text_files=files(4 + 2 * number), feedback_files=files(5 + 2 * number))
    return question


@cache
def _moodle_questions() -> TemplateCache[MoodleShape, MoodleValues]:
    from srm_package.targets.element_template import TemplateCache

    return TemplateCache(layout_moodle)


# ---------------------------------------------------------- Moodle backup
# The question bank of the course backup (``moodle-backup``): texts and fractions are the
# Moodle XML form's, so the two Moodle formats agree.
class EntryShape(NamedTuple):
    """What decides which elements an entry has; entries of one shape differ only in strings."""

    kind: str
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
                 time: int, text: TextRenderer | None = None) -> EntryValues:
    """The strings of ``question``'s entry; texts and fractions are the Moodle XML form's
    (images as ``@@PLUGINFILE@@/<name>``, see ``add_question_files``; formulas as LaTeX for
    Moodle's MathJax filter). ``text``: the course's renderer in Moodle XML's style."""
    backup = backup_writer()
    decimal = backup.decimal
    values, _ = moodle_values(quiz, question, moodle_writer().Texts(text))
    choices = question.response.choices
    answer_ids = {c.id: str(ids("question_answers", question.id, c.id)) for c in choices}
    true_false = question.kind == TRUE_FALSE
    return EntryValues(
        entry_id=str(backup.bank_entry(lesson, question, ids).entry_id),
        category_id=str(backup.category_id(lesson, question, ids)),
        idnumber=question.id,  # unique in the category (Moodle drops a clashing one on restore)
        version_id=str(ids("question_versions", lesson.id, question.id)),
        question_id=str(ids("question", lesson.id, question.id)),
        options_id=str(ids("question_options", question.id)),
        name=values.name,
        text=values.stem,
        explanation=values.explanation,
        mark=decimal(question.points, 7),
        penalty=decimal(float(_PENALTY[question.kind]), 7),
        stamp=backup.stamp(course, "question", question.id),
        time=str(time),
        shuffle="1" if values.shuffle == "true" else "0",
        correct_feedback=values.correct_feedback,
        incorrect_feedback=values.incorrect_feedback,
        answer_ids=tuple(answer_ids.values()),
        # Moodle's own true/false answers are the words "True" and "False" in the language of the
        # site that made them (the choice ids are true/false): here, the course's language
        answer_texts=tuple(i18n.true_false_text(i18n.strings_for(course), a) for a in values.answers)
        if true_false else values.answers,
        fractions=tuple(decimal(float(fraction) / 100, 7) for fraction in values.fractions),
        answer_feedback=values.answer_feedback,
        true_answer=answer_ids.get("true", "") if true_false else "",
        false_answer=answer_ids.get("false", "") if true_false else "",
    )


def layout_entry(shape: EntryShape, values: EntryValues) -> etree._Element:
    """The entry, with ``multichoice`` (``single`` 1 or 0) or ``truefalse`` as its type's part."""
    from lxml import etree

    from srm_package.targets.moodle_backup_xml import record

    backup = backup_writer()
    true_false = shape.kind == TRUE_FALSE
    qtype = "truefalse" if true_false else "multichoice"
    plugin = etree.Element(f"plugin_qtype_{qtype}_question")
    backup.answer_rows(plugin, values.answer_ids, values.answer_texts, values.fractions, values.answer_feedback,
                       backup.PLAIN if true_false else backup.HTML)
    if true_false:
        record(plugin, "truefalse", {
            "trueanswer": values.true_answer,
            "falseanswer": values.false_answer,
            "showstandardinstruction": 0,
        }, id=values.options_id)
    else:
        record(plugin, "multichoice", {
            "layout": 0,
            "single": int(shape.kind == SINGLE),
            "shuffleanswers": values.shuffle,
            "correctfeedback": values.correct_feedback,
            "correctfeedbackformat": backup.HTML,
            "partiallycorrectfeedback": values.incorrect_feedback,
            "partiallycorrectfeedbackformat": backup.HTML,
            "incorrectfeedback": values.incorrect_feedback,
            "incorrectfeedbackformat": backup.HTML,
            "answernumbering": "abc",
            "shownumcorrect": 0,
            "showstandardinstruction": 0,
        }, id=values.options_id)
    return backup.entry_element(
        entry_id=values.entry_id, category_id=values.category_id, idnumber=values.idnumber,
        version_id=values.version_id, question_id=values.question_id, name=values.name, text=values.text,
        explanation=values.explanation, mark=values.mark, penalty=values.penalty, qtype=qtype,
        stamp=values.stamp, time=values.time, plugin=plugin)


def add_question_files(files: BackupFiles, text: TextRenderer, quiz: Quiz, question: Question,
                       areas: QuestionAreas, answer_ids: tuple[int, ...]) -> None:
    """Put the images of each text of ``question`` in the file areas Moodle keeps that text's
    files in: the text, the explanation (general feedback), the combined feedback (the wrong-
    answer text is both the partly-correct and the incorrect feedback), each answer and its
    feedback. A true/false question has no combined feedback and its answers are the words
    True and False, so only their feedback can show images."""
    true_false = question.kind == TRUE_FALSE
    texts: list[tuple[str, tuple[FileArea, ...]]] = [
        (question.stem, (areas.question("questiontext"),)),
        (question.explanation, (areas.question("generalfeedback"),)),
    ]
    if not true_false:
        texts += [(question.feedback.correct, (areas.question("correctfeedback"),)),
                  (question.feedback.incorrect, (areas.question("partiallycorrectfeedback"),
                                                 areas.question("incorrectfeedback")))]
    for choice, answer_id in zip(question.response.choices, answer_ids, strict=True):
        if not true_false:
            texts.append((choice.text, (areas.answer("answer", answer_id),)))
        texts.append((choice.feedback, (areas.answer("answerfeedback", answer_id),)))
    for markdown, where in texts:
        files.add_text(text.rendered(markdown, quiz.images), *where)


@cache
def _backup_entries() -> TemplateCache[EntryShape, EntryValues]:
    from srm_package.targets.element_template import TemplateCache

    return TemplateCache(layout_entry)
