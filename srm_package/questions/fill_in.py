"""Fill-in-the-blank questions: the learner types words into blanks inside the stem.

Source::

    type: fill_in
    stem: AWS is responsible for security [b1] the cloud; the customer for security [b2] the cloud.
    blanks:                       # every [id] in the stem has an entry, each used once
      b1: [of]
      b2: [in, inside]            # accepted answers (one may be given without a list)
    case_sensitive: false         # optional
    partial_credit: false         # optional

A blank's answer is right when it equals an accepted answer after both are trimmed and
put in Unicode normal form C (and, unless ``case_sensitive``, lower-cased); spaces
inside count. All blanks right earns the points; with ``partial_credit`` each right
blank earns its share (right blanks / blanks). Accepted answers are plain text, one
line, at most ``MAX_TYPED`` characters: what a learner can type.

The stem stays Markdown (images and formulas allowed, as in any stem): each ``[id]`` is
swapped for a private-use placeholder that the renderer keeps as text, so that the one
rendering of the stem, by the format's own ``rich_text.TextRenderer``, can be cut where
the blanks go (an input on the page, ``[id]`` for Canvas, a cloze code for Moodle).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

from markupsafe import Markup

from srm_package.model import Markdown, Question, Quiz
from srm_package.questions.base import (
    AS_WRITTEN,
    MAX_TYPED,
    Carried,
    Carry,
    Form,
    QuestionType,
    Unsupported,
    backup_writer,
    moodle_writer,
    plain_text,
    qti_writer,
    read_flag,
)
from srm_package.targets.identifiers import answer_numbers

if TYPE_CHECKING:
    from lxml import etree

    from srm_package.model import Course, Lesson
    from srm_package.rich_text import TextRenderer
    from srm_package.sources.quiz_file import TextReader
    from srm_package.sources.yamlfields import Located, YamlMapping
    from srm_package.targets.moodle_backup_files import BackupFiles
    from srm_package.targets.moodle_backup_ids import BackupIds
    from srm_package.targets.moodle_xml import Texts
    from srm_package.targets.qti import Profile

#: a blank in the stem: ``[id]``, not escaped, not an image, not a link's text
BLANK_MARK = re.compile(r"(?<![\\!])\[([a-z][a-z0-9_]*)\](?![(\[:])")
_BLANK_ID = re.compile(r"[a-z][a-z0-9_]{0,31}\Z")
#: what stands for blank n while the stem is rendered (private-use characters: Markdown
#: leaves them alone, and no author types them)
_SLOT = "\ue020{}\ue021"
_SLOTS = re.compile("\ue020([0-9]+)\ue021")
#: a blank in a stem that has one answer box below it (Canvas short answer, Moodle short answer)
LINE = "________"


# ------------------------------------------------------------------- the model
@dataclass(frozen=True)
class Blank:
    id: str
    #: accepted answers, plain text, as written
    answers: tuple[str, ...]


@dataclass(frozen=True)
class FillIn:
    """The answer part of a fill-in-the-blank question; ``blanks`` in the order of the stem."""

    kind: ClassVar[str] = "fill_in"
    blanks: tuple[Blank, ...]
    case_sensitive: bool = False
    partial_credit: bool = False


def normalized(text: str, case_sensitive: bool) -> str:
    """What is compared: trimmed, NFC, lower-cased unless case matters (see the module docstring)."""
    text = unicodedata.normalize("NFC", text.strip())
    return text if case_sensitive else text.lower()


# ------------------------------------------------------------------ the type
class FillInType(QuestionType):
    kinds = ("fill_in",)
    family = "fill_in"
    scorm_interaction = "fill-in"
    #: the most characters a learner can type into a box (its ``maxlength``): what an accepted
    #: answer may hold, and what the saved-state budget counts
    typed_length = MAX_TYPED

    def fields(self, kind: str) -> tuple[str, ...]:
        return ("blanks", "case_sensitive", "partial_credit")

    def read(self, kind: str, fields: YamlMapping, stem: Markdown | None, text: TextReader) -> FillIn | None:
        partial = read_flag(fields, "partial_credit")
        case_sensitive = read_flag(fields, "case_sensitive")
        found = fields.require("blanks")
        if case_sensitive is None or found is None:
            return None
        blanks = _read_blanks(found, case_sensitive)
        if blanks is None or partial is None or stem is None:
            return None
        ordered = _in_stem_order(stem, fields.get("stem"), blanks)
        return FillIn(ordered, case_sensitive, partial) if ordered is not None else None

    def carry(self, question: Question, form: Form) -> Carry:
        response: FillIn = question.response
        several = len(response.blanks) > 1
        if form in (Form.PAGE, Form.QTI_BANK):
            return AS_WRITTEN
        if form is Form.MOODLE_BACKUP and several:
            return Unsupported("the Moodle backup does not write Moodle's cloze type (multianswer), whose "
                               "blanks are questions of their own in the bank; the Moodle XML file carries it")
        if form is Form.QTI_CC:
            if several:
                return Unsupported("Common Cartridge 1.1 has fill-in-the-blank with one blank only")
            return Carried(_ignores_case("Moodle's cartridge import", response))
        if form is Form.QTI_CANVAS:
            changes = _ignores_case("Canvas", response)
            if several and not response.partial_credit:
                changes += ("Canvas gives partial credit for each right blank; the source asks for all or nothing",)
            return Carried(changes)
        if not several:
            return AS_WRITTEN
        changes = ()
        if not response.partial_credit:
            changes += ("Moodle's cloze type gives partial credit for each right blank; the source asks for all "
                        "or nothing",)
        if question.points % len(response.blanks):
            changes += (f"Moodle's cloze type gives each blank the same whole number of marks, so the question "
                        f"is worth {len(response.blanks)} marks instead of {question.points} (set its mark in the "
                        "quiz)",)
        if question.feedback.correct or question.feedback.incorrect:
            changes += ("Moodle's cloze type has no feedback for a right or wrong answer: it is left out",)
        return Carried(changes)

    # ----------------------------------------------------------------- page
    def pieces(self, question: Question, quiz: Quiz, page: Any) -> list[tuple[Markup, int | None]]:
        """The stem as the page renders it, cut at its blanks: (HTML, number of the blank after
        it, or None)."""
        html = str(page.md(stem_source(question), quiz))
        parts = _SLOTS.split(html)  # text, number, text, number, ..., text
        return [(Markup(parts[n]), int(parts[n + 1]) if n + 1 < len(parts) else None)
                for n in range(0, len(parts), 2)]

    def page_data(self, question: Question, page: Any) -> dict[str, object]:
        response: FillIn = question.response
        return {
            "blanks": [list(blank.answers) for blank in response.blanks],
            "caseSensitive": response.case_sensitive,
        }

    def element_ids(self, question: Question, page: Any) -> Iterator[str]:
        yield page.part_anchor(question, "sentence")
        for blank in question.response.blanks:
            yield page.part_anchor(question, blank.id)

    def longest_saved_answer(self, question: Question) -> int:
        """Every box full (``typed_length``) of characters the script escapes
        as ``%XX`` (``%``, ``|``, ``,``, ``+``), the texts joined by ``+``."""
        blanks = len(question.response.blanks)
        return blanks * self.typed_length * len("%XX") + blanks - 1

    def structure(self, question: Question) -> object:
        return [blank.id for blank in question.response.blanks]

    # ------------------------------------------------------------------ QTI
    def qti_item(self, parent: etree._Element, quiz: Quiz, question: Question, *, profile: Profile,
                 scope: str, text: TextRenderer) -> etree._Element:
        """One blank: Canvas's ``short_answer_question`` / CC's ``cc.fib.v0p1`` (one ``response_str``,
        one scoring condition listing every accepted answer, as both importers read it). Several:
        Canvas's ``fill_in_multiple_blanks_question`` (a ``response_lid`` per blank listing its answers)."""
        qti = qti_writer()

        response: FillIn = question.response
        several = len(response.blanks) > 1
        keys = [f"{blank.id}-{n + 1}" for blank in response.blanks for n in range(len(blank.answers))]
        numbers = {key: str(value) for key, value in answer_numbers(scope, question.id, keys).items()}
        canvas_type = "fill_in_multiple_blanks_question" if several else "short_answer_question"
        # the stem, with each blank as Canvas writes it ([b1]), or a line above the one answer box
        marks = [f"[{blank.id}]" for blank in response.blanks] if several else [LINE]
        stem_html = fill_blanks(text.inline(stem_source(question), quiz.images), marks)
        item, presentation = qti.open_item(parent, quiz, question, profile, scope, text, canvas_type=canvas_type,
                                           cc_profile="cc.fib.v0p1", answer_ids=[numbers[k] for k in keys],
                                           stem_html=stem_html)
        if several:
            for blank in response.blanks:
                lid = qti.sub(presentation, "response_lid", attrib={"ident": f"response_{blank.id}"})
                qti.plain_material(lid, blank.id)
                render_choice = qti.sub(lid, "render_choice")
                for n, accepted in enumerate(blank.answers):
                    label = qti.sub(render_choice, "response_label", attrib={"ident": numbers[f"{blank.id}-{n + 1}"]})
                    qti.plain_material(label, accepted)
        else:
            fib = qti.sub(qti.sub(presentation, "response_str",
                                  attrib={"ident": qti.RESPONSE_IDENT, "rcardinality": "Single"}), "render_fib")
            qti.sub(fib, "response_label", attrib={"ident": "answer1", "rshuffle": "No"})
        resprocessing = qti.resprocessing(item, explanation=bool(question.explanation))
        if several:
            # one condition per accepted answer, each adding the blank's share: a blank holds one
            # answer, so at most one of them applies
            share = f"{100 / len(response.blanks):.2f}"
            for blank in response.blanks:
                for n in range(len(blank.answers)):
                    test = qti.condition(resprocessing, "Yes", add=share)
                    qti.varequal(test, numbers[f"{blank.id}-{n + 1}"], respident=f"response_{blank.id}")
        else:
            (blank,) = response.blanks
            case = response.case_sensitive and profile is qti.Profile.CC

            def any_answer(test: etree._Element) -> None:
                # every accepted answer straight in the condition: how Canvas exports it, and
                # all that Moodle's cartridge import reads (conditionvar/varequal)
                for accepted in blank.answers:
                    qti.varequal(test, accepted, case=case)

            qti.scoring(resprocessing, question, profile, any_answer)
        return qti.close_item(item, quiz, question, profile, text)

    # --------------------------------------------------------------- Moodle
    def moodle_question(self, root: etree._Element, quiz: Quiz, question: Question, text: Texts
                        ) -> etree._Element:
        """One blank: ``shortanswer``; several: ``multianswer`` (cloze), a SHORTANSWER code per blank."""
        moodle_xml = moodle_writer()

        response: FillIn = question.response
        stem = text.rendered(stem_source(question), quiz)
        if len(response.blanks) == 1:
            element = moodle_xml.open_question(root, "shortanswer", quiz, question, text,
                                               stem=replace(stem, html=fill_blanks(stem.html, [LINE])))
            moodle_xml.sub(element, "usecase", "1" if response.case_sensitive else "0")
            for accepted, fraction, feedback in short_answers(question):
                shown = text.rendered(feedback, quiz)
                moodle_xml.answer(element, str(round(fraction * 100)), accepted, shown.html,
                                  text_format="moodle_auto_format", feedback_files=moodle_xml.file_names(shown))
            return element
        # Moodle's cloze type: the codes are the marks (norm) of each blank; no defaultgrade is read
        weight = question.points // len(response.blanks) if question.points % len(response.blanks) == 0 else 1
        codes = [_cloze_code(blank, weight, response.case_sensitive) for blank in response.blanks]
        explanation = text.rendered(question.explanation, quiz)
        element = moodle_xml.sub(root, "question", type="multianswer")
        moodle_xml.sub(moodle_xml.sub(element, "name"), "text", moodle_xml.question_name(question))
        moodle_xml.html(element, "questiontext", fill_blanks(stem.html, codes, escape_braces=True),
                        moodle_xml.file_names(stem))
        moodle_xml.html(element, "generalfeedback", explanation.html, moodle_xml.file_names(explanation))
        moodle_xml.sub(element, "penalty", "0.3333333")
        moodle_xml.sub(element, "hidden", "0")
        moodle_xml.sub(element, "idnumber", question.id)
        return element

    def moodle_backup_entry(self, entries: etree._Element, course: Course, lesson: Lesson, quiz: Quiz,
                            question: Question, ids: BackupIds, time: int, files: BackupFiles,
                            text: TextRenderer) -> etree._Element:
        """One blank (``carry`` leaves out several): ``shortanswer``, every accepted answer at 100%,
        as in Moodle XML."""
        from lxml import etree

        from srm_package.targets.moodle_backup_xml import record

        backup = backup_writer()
        texts = backup.entry_texts(files, text, lesson, quiz, question, ids)
        response: FillIn = question.response
        answers = short_answers(question)
        numbers = [ids("question_answers", question.id, str(n)) for n in range(len(answers))]
        plugin = etree.Element("plugin_qtype_shortanswer_question")
        backup.answer_rows(plugin, tuple(map(str, numbers)), tuple(accepted for accepted, *_ in answers),
                           tuple(backup.decimal(fraction, 7) for _, fraction, _ in answers),
                           tuple(texts.answer(feedback, "answerfeedback", number)
                                 for number, (*_, feedback) in zip(numbers, answers, strict=True)), backup.PLAIN)
        record(plugin, "shortanswer", {"usecase": int(response.case_sensitive)}, id=ids("question_options", question.id))
        stem = fill_blanks(texts.question(stem_source(question), "questiontext"), [LINE])
        return backup.question_entry(entries, course, lesson, quiz, question, ids, time, qtype="shortanswer",
                                     plugin=plugin, text=stem,
                                     explanation=texts.question(question.explanation, "generalfeedback"))


TYPE = FillInType()


def short_answers(question: Question) -> list[tuple[str, float, Markdown]]:
    """The answers of Moodle's short-answer question (one blank): (text, fraction, feedback).

    Every accepted answer at 100% with the question's right-answer feedback (``*`` is Moodle's
    wildcard, so a literal one is written ``\\*``); wrong-answer feedback goes on a ``*``
    answer at 0%, Moodle's catch-all, as a Moodle author would write it."""
    (blank,) = question.response.blanks
    answers = [(accepted.replace("*", "\\*"), 1.0, question.feedback.correct) for accepted in blank.answers]
    if question.feedback.incorrect:
        answers.append(("*", 0.0, question.feedback.incorrect))
    return answers


# ------------------------------------------------------------------ the stem
def stem_source(question: Question) -> Markdown:
    """The stem with a placeholder where each blank goes (numbered from 0), to be rendered."""
    numbers = {blank.id: n for n, blank in enumerate(question.response.blanks)}
    return BLANK_MARK.sub(lambda match: _SLOT.format(numbers[match.group(1)]), question.stem)


def fill_blanks(html: str, marks: list[str], *, escape_braces: bool = False) -> str:
    """The rendered ``stem_source`` (HTML) with blank n written as ``marks[n]`` (one mark: every
    blank)."""
    if escape_braces:  # so that no text of the stem reads as a cloze code
        html = html.replace("{", "&#123;")
    return _SLOTS.sub(lambda match: marks[min(int(match.group(1)), len(marks) - 1)], html)


#: characters that end an answer in a cloze code, or would be read as HTML: as numeric references
_CLOZE_ESCAPES = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;", "~": "&#126;", "#": "&#35;",
    "\\": "&#92;",
})


def _cloze_code(blank: Blank, weight: int, case_sensitive: bool) -> str:
    """``{1:SHORTANSWER:=of~=inside}``: every accepted answer at 100%.

    Moodle html-decodes each answer after cutting the code at ``~``, ``#`` and ``}`` (the
    ``&`` of a numeric reference does not cut), and treats ``*`` as a wildcard unless
    written ``\\*``."""
    kind = "SHORTANSWER_C" if case_sensitive else "SHORTANSWER"
    answers = "~".join("=" + text.replace("*", "\\*").translate(_CLOZE_ESCAPES) for text in blank.answers)
    return f"{{{weight}:{kind}:{answers}}}"


# ----------------------------------------------------------------- reading
def _ignores_case(lms: str, response: FillIn) -> tuple[str, ...]:
    if not response.case_sensitive:
        return ()
    return (f"{lms} compares answers ignoring case; the source asks for matching case",)


def _read_blanks(found: Located, case_sensitive: bool) -> dict[str, tuple[Located, Blank]] | None:
    from yaml.nodes import MappingNode

    if not isinstance(found.node, MappingNode):
        found.error("expected a mapping of blank ids to accepted answers, e.g. b1: [of]")
        return None
    blanks: dict[str, tuple[Located, Blank]] = {}
    complete = True
    for key, value in _entries(found):
        if not _BLANK_ID.match(key):
            value.error(f"invalid blank id {key!r}: use lowercase letters, digits and '_', starting with a "
                        "letter, at most 32 characters", field=value.field)
            complete = False
            continue
        answers = _read_answers(value, case_sensitive)
        if answers is None:
            complete = False
            continue
        blanks[key] = (value, Blank(key, answers))
    if complete and not blanks:
        found.error("a fill_in question needs at least one blank")
        return None
    return blanks if complete else None


def _entries(found: Located) -> Iterator[tuple[str, Located]]:
    """The key and value of each entry of the ``blanks`` mapping (duplicates reported)."""
    from yaml.nodes import ScalarNode

    seen: dict[str, int] = {}
    for key_node, value_node in found.node.value:
        value = found.child(value_node, f"{found.field}.{getattr(key_node, 'value', '?')}")
        if not isinstance(key_node, ScalarNode) or not isinstance(key_node.value, str) or not key_node.value:
            value.error("blank ids must be plain names")
            continue
        if key_node.value in seen:
            value.error(f"duplicate blank {key_node.value!r} (first at line {seen[key_node.value]})")
            continue
        seen[key_node.value] = value.line
        yield key_node.value, value


def _read_answers(found: Located, case_sensitive: bool) -> tuple[str, ...] | None:
    from yaml.nodes import ScalarNode

    items = [found] if isinstance(found.node, ScalarNode) else found.as_sequence()
    if items is None:
        return None
    answers: list[str] = []
    seen: dict[str, int] = {}
    complete = True
    for item in items:
        text = plain_text(item)
        if text is None:
            complete = False
            continue
        key = normalized(text, case_sensitive)
        if key in seen:
            item.error(f"accepted answer {text!r} is given twice (first at line {seen[key]})"
                       + ("" if case_sensitive else "; answers are compared ignoring case"))
            complete = False
            continue
        seen[key] = item.line
        answers.append(text)
    if complete and not answers:
        found.error("a blank needs at least one accepted answer")
        return None
    return tuple(answers) if complete else None


def _in_stem_order(stem: Markdown, where: Located, blanks: dict[str, tuple[Located, Blank]]
                   ) -> tuple[Blank, ...] | None:
    """The blanks in the order the stem uses them; every one used exactly once, no other."""
    used = [match.group(1) for match in BLANK_MARK.finditer(stem)]
    complete = True
    for name in dict.fromkeys(used):
        if name not in blanks:
            where.error(f"the stem has [{name}], but blanks has no entry {name!r}; write \\[{name}\\] for "
                        "the brackets themselves")
            complete = False
        elif used.count(name) > 1:
            where.error(f"blank [{name}] is in the stem {used.count(name)} times; each blank goes in once")
            complete = False
    for name, (entry, _) in blanks.items():
        if name not in used:
            entry.error(f"blank {name!r} is not in the stem; write [{name}] where the learner types it")
            complete = False
    if not complete:
        return None
    return tuple(blanks[name][1] for name in used)
