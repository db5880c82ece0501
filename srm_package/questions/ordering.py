"""Ordering questions: the learner puts items into their right order.

Source::

    type: ordering
    items: [Amazon S3, Amazon RDS, Amazon EC2]   # in the right order; at least two, all different
    partial_credit: false                         # optional

Scoring: the whole order right earns the points; with ``partial_credit`` each item in
its right place earns its share (items in place / items). That is Moodle's "absolute
position" grading, and what Canvas gives for the matching question it makes of an
ordering one.

The page lists the items in an order that is never the right one (a fixed shuffle
seeded by the question id, so pages are byte-identical; per attempt with
``shuffle.choices``), each with Move up / Move down buttons, and checks on request.
SCORM records a ``sequencing`` interaction: item letters ``b,a,c`` in 1.2, item ids
``i2[,]i1[,]i3`` in 2004.

Canvas Classic Quizzes have no ordering type. Canvas's own QTI import turns an
ordering item into a matching question (``Qti::OrderInteraction``: positions "1",
"2"... each matched with its item), so that is what the Canvas forms write.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from srm_package.markup import has_image, inline_text
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
from srm_package.rich_text import has_formula
from srm_package.targets.identifiers import answer_numbers

if TYPE_CHECKING:
    from lxml import etree

    from srm_package.model import Course, Lesson
    from srm_package.rich_text import TextRenderer
    from srm_package.sources.quiz_file import TextReader
    from srm_package.sources.yamlfields import YamlMapping
    from srm_package.targets.moodle_backup_files import BackupFiles
    from srm_package.targets.moodle_backup_ids import BackupIds
    from srm_package.targets.moodle_xml import Texts
    from srm_package.targets.qti import Profile

_AS_MATCHING = ("Canvas has no ordering type: it is written as a matching question that pairs each "
                "position (1, 2, ...) with its item, as Canvas's own QTI import converts ordering")


# ------------------------------------------------------------------- the model
@dataclass(frozen=True)
class Ordering:
    """The answer part of an ordering question: ``items`` in their right order."""

    kind: ClassVar[str] = "ordering"
    items: tuple[Markdown, ...]
    partial_credit: bool = False


# ------------------------------------------------------------------ the type
class OrderingType(QuestionType):
    kinds = ("ordering",)
    family = "ordering"
    scorm_interaction = "sequencing"

    def fields(self, kind: str) -> tuple[str, ...]:
        return ("items", "partial_credit")

    def read(self, kind: str, fields: YamlMapping, stem: Markdown | None, text: TextReader) -> Ordering | None:
        partial = read_flag(fields, "partial_credit")
        items = read_texts(fields.require("items"), "items", minimum=2, read=text)
        if items is None or partial is None:
            return None
        return Ordering(tuple(text for _, text in items), partial)

    def carry(self, question: Question, form: Form) -> Carry:
        if form in (Form.PAGE, Form.MOODLE_XML, Form.MOODLE_BACKUP):
            return AS_WRITTEN
        if form is Form.QTI_CC:
            return Unsupported("Common Cartridge 1.1 has no ordering type")
        changes = [_AS_MATCHING]
        if any(has_image(item) or has_formula(item) for item in question.response.items):
            changes.append("a matching question's list shows plain text: an item's images and formulas are "
                           "shown as their text")
        if form is Form.QTI_CANVAS and not question.response.partial_credit:
            changes.append("Canvas gives partial credit for each item in its place; the source asks for all "
                           "or nothing")
        return Carried(tuple(changes))

    # ----------------------------------------------------------------- page
    def start_order(self, question: Question) -> list[int]:
        """The order the page first lists the items in (positions in the right order): shuffled
        by a generator seeded with the question id, and never the right order itself."""
        count = len(question.response.items)
        order = list(range(count))
        random.Random(f"srm-package ordering {question.id}").shuffle(order)
        if order == sorted(order):
            order = order[1:] + order[:1]
        return order

    def page_data(self, question: Question, page: Any) -> dict[str, object]:
        count = len(question.response.items)
        return {
            "items": count,
            "start": self.start_order(question),
            "items12": [letter_12(n) for n in range(min(count, 26))],
            "items2004": [f"i{n + 1}" for n in range(count)],
        }

    def element_ids(self, question: Question, page: Any) -> Iterator[str]:
        for position in self.start_order(question):
            yield page.part_anchor(question, f"i{position + 1}")
        yield page.part_anchor(question, "status")

    def longest_saved_answer(self, question: Question) -> int:
        """The learner's order of the items, one base-36 digit each."""
        return len(question.response.items)

    def arranged_parts(self, question: Question) -> int:
        return len(question.response.items)

    def structure(self, question: Question) -> object:
        return len(question.response.items)

    def page_problem(self, question: Question, runtime: str) -> str | None:
        count = len(question.response.items)
        return too_many_for_12(question.id, count, "items") if runtime == "scorm12" else None

    # ------------------------------------------------------------------ QTI
    def qti_item(self, parent: etree._Element, quiz: Quiz, question: Question, *, profile: Profile,
                 scope: str, text: TextRenderer) -> etree._Element:
        """A Canvas ``matching_question``: position n (a prompt) matched with item n."""
        qti = qti_writer()

        items = question.response.items
        prompts = [f"position-{n + 1}" for n in range(len(items))]
        keys = [f"item-{n + 1}" for n in range(len(items))]
        numbers = {key: str(value) for key, value in answer_numbers(scope, question.id, prompts + keys).items()}
        item, presentation = qti.open_item(parent, quiz, question, profile, scope, text,
                                           canvas_type="matching_question", answer_ids=[numbers[p] for p in prompts])
        for position, prompt in enumerate(prompts, 1):
            lid = qti.sub(presentation, "response_lid", attrib={"ident": f"response_{numbers[prompt]}"})
            qti.material(lid, str(position))
            render_choice = qti.sub(lid, "render_choice")
            for key, shown in zip(keys, items, strict=True):
                qti.plain_material(qti.sub(render_choice, "response_label", attrib={"ident": numbers[key]}),
                                   inline_text(shown))
        resprocessing = qti.resprocessing(item, explanation=bool(question.explanation))
        share = f"{100 / len(items):.2f}"
        for prompt, key in zip(prompts, keys, strict=True):
            qti.varequal(qti.condition(resprocessing, "Yes", add=share), numbers[key],
                         respident=f"response_{numbers[prompt]}")
        return qti.close_item(item, quiz, question, profile, text)

    # --------------------------------------------------------------- Moodle
    def moodle_question(self, root: etree._Element, quiz: Quiz, question: Question, text: Texts
                        ) -> etree._Element:
        """Moodle's ``ordering`` (core from Moodle 4.4): every item shown, graded by absolute
        position (partial credit) or all or nothing; answers in the right order."""
        moodle_xml = moodle_writer()

        element = moodle_xml.open_question(root, "ordering", quiz, question, text)
        for tag, value in (
            ("layouttype", "VERTICAL"),
            ("selecttype", "ALL"),
            ("selectcount", "0"),
            ("gradingtype", "ABSOLUTE_POSITION" if question.response.partial_credit else "ALL_OR_NOTHING"),
            ("showgrading", "SHOW"),
            ("numberingstyle", "none"),
        ):
            moodle_xml.sub(element, tag, value)
        moodle_xml.question_feedback(element, quiz, question, text)
        moodle_xml.sub(element, "shownumcorrect", "1")
        for position, item in enumerate(question.response.items, 1):
            # Moodle's export writes each answer's place as its "fraction"; the import ignores it
            shown = text.rendered(item, quiz)
            moodle_xml.answer(element, str(position), shown.html, "", text_files=moodle_xml.file_names(shown))
        return element

    def moodle_backup_entry(self, entries: etree._Element, course: Course, lesson: Lesson, quiz: Quiz,
                            question: Question, ids: BackupIds, time: int, files: BackupFiles,
                            text: TextRenderer) -> etree._Element:
        """``ordering``: the items as answers whose fraction is their place (how Moodle stores the
        right order), and its options as in Moodle XML (``qtype_ordering_options``)."""
        from lxml import etree

        from srm_package.targets.moodle_backup_xml import record

        backup = backup_writer()
        texts = backup.entry_texts(files, text, lesson, quiz, question, ids)
        items = question.response.items
        numbers = [ids("question_answers", question.id, str(n)) for n in range(len(items))]
        plugin = etree.Element("plugin_qtype_ordering_question")
        backup.answer_rows(plugin, tuple(map(str, numbers)),
                           tuple(texts.answer(item, "answer", number) for number, item in zip(numbers, items, strict=True)),
                           tuple(backup.decimal(n, 7) for n in range(1, len(items) + 1)), ("",) * len(items),
                           backup.HTML)
        record(plugin, "ordering", {
            "layouttype": 0,  # vertical
            "selecttype": 0,  # every item
            "selectcount": 0,
            "gradingtype": 0 if question.response.partial_credit else -1,  # absolute position / all or nothing
            "showgrading": 1,
            "numberingstyle": "none",
            **backup.combined_feedback(texts, question),
            "shownumcorrect": 1,
        }, id=ids("question_options", question.id))
        return backup.question_entry(entries, course, lesson, quiz, question, ids, time, qtype="ordering",
                                     plugin=plugin, text=texts.question(question.stem, "questiontext"),
                                     explanation=texts.question(question.explanation, "generalfeedback"))


TYPE = OrderingType()
