"""Matching questions: each prompt gets one match from a shared list (plus distractors).

Source::

    type: matching
    pairs:                          # at least two; prompts differ
      - {prompt: Amazon EC2, match: The customer}
    distractors: [The OS vendor]    # optional wrong matches
    partial_credit: false           # optional

Two prompts may share a match: it is offered once. Prompts are question texts (images
and formulas allowed, as in a stem). Matches and distractors are shown as plain text
everywhere (a drop-down list, and Canvas's and Moodle's own lists, cannot show
formatting, images or formulas), so two that read the same are an error, and an image
or a formula in one is refused.

Scoring: all pairs right earns the points; with ``partial_credit`` each right pair
earns its share (right pairs / prompts). Canvas and Moodle always give that share.

On the page each prompt is a ``<label>`` with a ``<select>`` of every match in
alphabetical order (the order of the pairs would give the answers away; with
``shuffle.choices`` the page shuffles them per attempt instead). SCORM records a
``matching`` interaction: ``a.b,b.a`` in 1.2 (prompt and match letters),
``p1[.]m2[,]p2[.]m1`` in 2004.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from srm_package.markup import inline_text
from srm_package.model import Markdown, Question, Quiz
from srm_package.questions.base import (
    AS_WRITTEN,
    Carried,
    Carry,
    Form,
    QuestionType,
    Unsupported,
    backup_writer,
    moodle_writer,
    qti_writer,
    read_flag,
    read_texts,
)
from srm_package.questions.scorm import letter_12, too_many_for_12
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

_PAIR_FIELDS = ("prompt", "match")


# ------------------------------------------------------------------- the model
@dataclass(frozen=True)
class Pair:
    prompt: Markdown
    match: Markdown


@dataclass(frozen=True)
class Matching:
    """The answer part of a matching question."""

    kind: ClassVar[str] = "matching"
    pairs: tuple[Pair, ...]
    distractors: tuple[Markdown, ...] = ()
    partial_credit: bool = False

    @property
    def matches(self) -> tuple[Markdown, ...]:
        """Every match offered, each once: those of the pairs in pair order, then the distractors."""
        return (*dict.fromkeys(pair.match for pair in self.pairs), *self.distractors)

    @property
    def answers(self) -> tuple[int, ...]:
        """Per prompt, the index of its match in ``matches``."""
        matches = self.matches
        return tuple(matches.index(pair.match) for pair in self.pairs)


# ------------------------------------------------------------------ the type
class MatchingType(QuestionType):
    kinds = ("matching",)
    family = "matching"
    scorm_interaction = "matching"

    def fields(self, kind: str) -> tuple[str, ...]:
        return ("pairs", "distractors", "partial_credit")

    def read(self, kind: str, fields: YamlMapping, stem: Markdown | None, text: TextReader) -> Matching | None:
        partial = read_flag(fields, "partial_credit")
        pairs = _read_pairs(fields.require("pairs"), text)
        distractors = read_texts(fields.get("distractors"), "distractors", minimum=0, read=_plain_match)
        if pairs is None or distractors is None or partial is None:
            return None
        matches = {inline_text(pair.match) for pair in pairs}
        clashes = [(where, text) for where, text in distractors if inline_text(text) in matches]
        for where, text in clashes:
            where.error(f"distractor {inline_text(text)!r} is also the match of a pair")
        if clashes:
            return None
        return Matching(tuple(pairs), tuple(text for _, text in distractors), partial)

    def carry(self, question: Question, form: Form) -> Carry:
        response: Matching = question.response
        if form in (Form.PAGE, Form.QTI_BANK):
            return AS_WRITTEN
        if form is Form.QTI_CC:
            return Unsupported("Common Cartridge 1.1 has no matching type")
        if response.partial_credit:
            return AS_WRITTEN
        lms = "Canvas" if form is Form.QTI_CANVAS else "Moodle"  # Moodle XML and the backup
        return Carried((f"{lms} gives partial credit for each right pair; the source asks for all or nothing",))

    # ----------------------------------------------------------------- page
    def options(self, question: Question) -> list[tuple[int, str]]:
        """(index in ``matches``, plain text) of every match, in the order the page lists them."""
        matches = [(index, inline_text(match)) for index, match in enumerate(question.response.matches)]
        return sorted(matches, key=lambda item: (item[1].casefold(), item[1], item[0]))

    def correct_match(self, question: Question, position: int) -> str:
        """The plain text of the match of the prompt at ``position``."""
        return inline_text(question.response.pairs[position].match)

    def page_data(self, question: Question, page: Any) -> dict[str, object]:
        response: Matching = question.response
        count = len(response.matches)
        return {
            "answers": list(response.answers),
            "matches": count,
            "prompts12": [letter_12(n) for n in range(min(len(response.pairs), 26))],
            "matches12": [letter_12(n) for n in range(min(count, 26))],
            "prompts2004": [f"p{n + 1}" for n in range(len(response.pairs))],
            "matches2004": [f"m{n + 1}" for n in range(count)],
        }

    def element_ids(self, question: Question, page: Any) -> Iterator[str]:
        for position in range(len(question.response.pairs)):
            yield page.part_anchor(question, f"p{position + 1}")

    def longest_saved_answer(self, question: Question) -> int:
        """The chosen match of every prompt, one base-36 digit each."""
        return len(question.response.pairs)

    def arranged_parts(self, question: Question) -> int:
        """The matches in each drop-down list (one order for all of them)."""
        return len(question.response.matches)

    def structure(self, question: Question) -> object:
        return [len(question.response.pairs), len(question.response.matches)]

    def page_problem(self, question: Question, runtime: str) -> str | None:
        if runtime != "scorm12":
            return None
        response: Matching = question.response
        return (too_many_for_12(question.id, len(response.pairs), "prompts")
                or too_many_for_12(question.id, len(response.matches), "matches"))

    # ------------------------------------------------------------------ QTI
    def qti_item(self, parent: etree._Element, quiz: Quiz, question: Question, *, profile: Profile,
                 scope: str, text: TextRenderer) -> etree._Element:
        """Canvas's ``matching_question``: one ``response_lid`` per prompt listing every match,
        and per prompt one condition adding its share for its match (Canvas export layout)."""
        qti = qti_writer()

        response: Matching = question.response
        prompts = [f"prompt-{n + 1}" for n in range(len(response.pairs))]
        matches = [f"match-{n + 1}" for n in range(len(response.matches))]
        numbers = {key: str(value) for key, value in answer_numbers(scope, question.id, prompts + matches).items()}
        item, presentation = qti.open_item(parent, quiz, question, profile, scope, text,
                                           canvas_type="matching_question", answer_ids=[numbers[p] for p in prompts])
        for prompt, pair in zip(prompts, response.pairs, strict=True):
            lid = qti.sub(presentation, "response_lid", attrib={"ident": f"response_{numbers[prompt]}"})
            qti.material(lid, text.inline(pair.prompt, quiz.images))
            render_choice = qti.sub(lid, "render_choice")
            for key, match in zip(matches, response.matches, strict=True):
                qti.plain_material(qti.sub(render_choice, "response_label", attrib={"ident": numbers[key]}),
                                   inline_text(match))
        resprocessing = qti.resprocessing(item, explanation=bool(question.explanation))
        share = f"{100 / len(prompts):.2f}"
        for prompt, answer in zip(prompts, response.answers, strict=True):
            test = qti.condition(resprocessing, "Yes", add=share)
            qti.varequal(test, numbers[matches[answer]], respident=f"response_{numbers[prompt]}")
        return qti.close_item(item, quiz, question, profile, text)

    # --------------------------------------------------------------- Moodle
    def moodle_question(self, root: etree._Element, quiz: Quiz, question: Question, text: Texts
                        ) -> etree._Element:
        """Moodle's ``matching``: a subquestion per prompt (with its images), distractors as
        subquestions without text."""
        moodle_xml = moodle_writer()

        response: Matching = question.response
        element = moodle_xml.open_question(root, "matching", quiz, question, text)
        moodle_xml.sub(element, "shuffleanswers", "true" if quiz.shuffle.choices else "false")
        moodle_xml.question_feedback(element, quiz, question, text)
        subquestions = [(text.rendered(pair.prompt, quiz), pair.match) for pair in response.pairs]
        subquestions += [(None, distractor) for distractor in response.distractors]
        for prompt, match in subquestions:
            subquestion = moodle_xml.sub(element, "subquestion", format="html")
            moodle_xml.sub(subquestion, "text", prompt.html if prompt else "")
            if prompt:
                moodle_xml.files(subquestion, moodle_xml.file_names(prompt))
            moodle_xml.sub(moodle_xml.sub(subquestion, "answer"), "text", inline_text(match))
        return element

    def moodle_backup_entry(self, entries: etree._Element, course: Course, lesson: Lesson, quiz: Quiz,
                            question: Question, ids: BackupIds, time: int, files: BackupFiles,
                            text: TextRenderer) -> etree._Element:
        """``match``: its options and a ``qtype_match_subquestions`` row per prompt (its images in
        the ``qtype_match`` component's ``subquestion`` area), then one without text per
        distractor, as in Moodle XML (``restore_qtype_match_plugin``)."""
        from lxml import etree

        from srm_package.targets.moodle_backup_files import FileArea
        from srm_package.targets.moodle_backup_xml import element, record

        backup = backup_writer()
        texts = backup.entry_texts(files, text, lesson, quiz, question, ids)
        response: Matching = question.response
        plugin = etree.Element("plugin_qtype_match_question")
        record(plugin, "matchoptions", {
            "shuffleanswers": int(quiz.shuffle.choices),
            **backup.combined_feedback(texts, question),
            "shownumcorrect": 1,
        }, id=ids("question_options", question.id))
        matches = element(plugin, "matches")
        rows = [*((pair.prompt, pair.match) for pair in response.pairs),
                *(("", distractor) for distractor in response.distractors)]
        for number, (prompt, match) in enumerate(rows):
            row_id = ids("qtype_match_subquestions", question.id, str(number))
            area = FileArea(texts.areas.context_id, "qtype_match", "subquestion", row_id)
            record(matches, "match", {"questiontext": texts.html(prompt, area), "questiontextformat": backup.HTML,
                                      "answertext": inline_text(match)}, id=row_id)
        return backup.question_entry(entries, course, lesson, quiz, question, ids, time, qtype="match",
                                     plugin=plugin, text=texts.question(question.stem, "questiontext"),
                                     explanation=texts.question(question.explanation, "generalfeedback"))


TYPE = MatchingType()


def _plain_match(found: Located) -> str | None:
    """A match or distractor: shown as plain text, so neither an image (refused by
    ``Located.markdown``) nor a formula."""
    from srm_package.rich_text import has_formula

    value = found.markdown()
    if value is not None and has_formula(value):
        found.error("a match is shown as plain text in a drop-down list and cannot show a formula; "
                    "write it in words, or put the formula in the prompt")
        return None
    return value


def _read_pairs(found: Located | None, read_text: TextReader) -> list[Pair] | None:
    if found is None:
        return None
    items = found.as_sequence()
    if items is None:
        return None
    pairs: list[Pair] = []
    prompts: dict[str, int] = {}
    matches: dict[str, str] = {}
    complete = True
    for item in items:
        fields = item.as_mapping(_PAIR_FIELDS)
        if fields is None:
            complete = False
            continue
        prompt = fields.read("prompt", read_text, required=True)
        match = fields.read("match", _plain_match, required=True)
        if prompt is None or match is None:
            complete = False
            continue
        shown = inline_text(prompt)
        if shown in prompts:
            item.error(f"prompt {shown!r} is given twice (first at line {prompts[shown]})", field=f"{item.field}.prompt")
            complete = False
            continue
        plain_match = inline_text(match)
        if matches.get(plain_match, match) != match:
            fields.get("match").error(f"match {plain_match!r} is written in two ways ({matches[plain_match]!r} and "
                                      f"{match!r}); matches are shown as plain text, so write it the same way")
            complete = False
            continue
        prompts[shown] = item.line
        matches[plain_match] = match
        pairs.append(Pair(prompt, match))
    if complete and len(pairs) < 2:
        found.error(f"a matching question needs at least two pairs; found {len(pairs)}")
        return None
    return pairs if complete else None
