"""Numeric questions: the learner types a number; right within an absolute tolerance.

Source::

    type: numeric
    answer: 11
    tolerance: 0          # optional, default 0: right when |answer given - answer| <= tolerance

Numbers are written plainly (``11``, ``-0.25``, ``3.5``; no exponents, at most 15
digits) and kept as ``Decimal``, so that the bounds ``answer ± tolerance`` are exact
in every format. There is no partial credit. On the page the learner may use ``.`` or
``,`` as the decimal separator (``3,5`` and ``3.5`` are the same answer); anything
else that is not a number is refused with a hint, not graded.

SCORM records a ``numeric`` interaction: the number in 1.2; in 2004 the number and
the range ``low[:]high``, each only when it fits Moodle's 2004 decimal (at most 5
digits before the point), since Moodle refuses the call otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from srm_package import i18n
from srm_package.model import Markdown, Question, Quiz
from srm_package.questions.base import (
    AS_WRITTEN,
    Carry,
    Form,
    QuestionType,
    Unsupported,
    backup_writer,
    moodle_writer,
    qti_writer,
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

_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\Z")
#: what a double holds exactly, so the page compares what the author wrote
_MAX_DIGITS = 15


# ------------------------------------------------------------------- the model
@dataclass(frozen=True)
class Numeric:
    """The answer part of a numeric question."""

    kind: ClassVar[str] = "numeric"
    answer: Decimal
    tolerance: Decimal = Decimal(0)

    @property
    def low(self) -> Decimal:
        return self.answer - self.tolerance

    @property
    def high(self) -> Decimal:
        return self.answer + self.tolerance


def number_text(value: Decimal) -> str:
    """A number as written for people and formats: ``11``, ``3.5``, ``-0.25`` (never ``1E+1``)."""
    text = format(value, "f")
    return "0" if text in ("-0", "+0") else text


# ------------------------------------------------------------------ the type
class NumericType(QuestionType):
    kinds = ("numeric",)
    family = "numeric"
    scorm_interaction = "numeric"
    #: the most characters a learner can type into the box (its ``maxlength``; the saved-state
    #: budget counts it)
    typed_length = 40

    def fields(self, kind: str) -> tuple[str, ...]:
        return ("answer", "tolerance")

    def read(self, kind: str, fields: YamlMapping, stem: Markdown | None, text: TextReader) -> Numeric | None:
        answer = fields.read("answer", _number, required=True)
        found_tolerance = fields.get("tolerance")
        tolerance = _number(found_tolerance) if found_tolerance is not None else Decimal(0)
        if tolerance is not None and tolerance < 0:
            found_tolerance.error(f"must be 0 or more; found {number_text(tolerance)}")
            tolerance = None
        if answer is None or tolerance is None:
            return None
        return Numeric(answer, tolerance)

    def carry(self, question: Question, form: Form) -> Carry:
        if form is Form.QTI_CC:
            return Unsupported("Common Cartridge 1.1 has no numeric type")
        return AS_WRITTEN

    # ----------------------------------------------------------------- page
    def correct_text(self, question: Question, strings: i18n.CourseStrings = i18n.ENGLISH) -> str:
        """The right answer as the page states it, its numbers written in the course's language."""
        response: Numeric = question.response
        if not response.tolerance:
            return strings.number(response.answer)
        return i18n.numeric_range(strings, strings.number(response.answer), strings.number(response.low),
                                  strings.number(response.high))

    def page_data(self, question: Question, page: Any) -> dict[str, object]:
        response: Numeric = question.response
        return {
            "answer": number_text(response.answer),
            "low": number_text(response.low),
            "high": number_text(response.high),
        }

    def element_ids(self, question: Question, page: Any) -> Iterator[str]:
        yield page.part_anchor(question, "number")

    def longest_saved_answer(self, question: Question) -> int:
        """The typed number (``typed_length``) as plain decimal text,
        which can be one longer than typed: ``-.5`` is saved as ``-0.5``."""
        return self.typed_length + 1

    def structure(self, question: Question) -> object:
        return []

    # ------------------------------------------------------------------ QTI
    def qti_item(self, parent: etree._Element, quiz: Quiz, question: Question, *, profile: Profile,
                 scope: str, text: TextRenderer) -> etree._Element:
        """Canvas's ``numerical_question``, "exact answer with margin" as Canvas exports it: the
        answer, or anything from low to high (``vargte``/``varlte``, not Canvas's precision form)."""
        qti = qti_writer()

        response: Numeric = question.response
        (number,) = answer_numbers(scope, question.id, ["answer"]).values()
        item, presentation = qti.open_item(parent, quiz, question, profile, scope, text,
                                           canvas_type="numerical_question", answer_ids=[str(number)])
        fib = qti.sub(qti.sub(presentation, "response_str", attrib={"ident": qti.RESPONSE_IDENT,
                                                                     "rcardinality": "Single"}),
                      "render_fib", attrib={"fibtype": "Decimal"})
        qti.sub(fib, "response_label", attrib={"ident": "answer1"})
        resprocessing = qti.resprocessing(item, explanation=bool(question.explanation))

        def exact_or_within(test: etree._Element) -> None:
            either = qti.sub(test, "or")
            qti.varequal(either, number_text(response.answer))
            within = qti.sub(either, "and")
            qti.sub(within, "vargte", number_text(response.low), {"respident": qti.RESPONSE_IDENT})
            qti.sub(within, "varlte", number_text(response.high), {"respident": qti.RESPONSE_IDENT})

        qti.scoring(resprocessing, question, profile, exact_or_within)
        return qti.close_item(item, quiz, question, profile, text)

    # --------------------------------------------------------------- Moodle
    def moodle_question(self, root: etree._Element, quiz: Quiz, question: Question, text: Texts
                        ) -> etree._Element:
        """Moodle's ``numerical``: one answer at 100% with its absolute tolerance, no units
        (``moodle_answers``)."""
        moodle_xml = moodle_writer()

        element = moodle_xml.open_question(root, "numerical", quiz, question, text)
        for number, fraction, tolerance, feedback in moodle_answers(question):
            shown = text.rendered(feedback, quiz)
            answer = moodle_xml.answer(element, str(round(fraction * 100)), number, shown.html,
                                       text_format="moodle_auto_format", feedback_files=moodle_xml.file_names(shown))
            moodle_xml.sub(answer, "tolerance", tolerance)
        moodle_xml.sub(element, "unitgradingtype", "0")
        moodle_xml.sub(element, "unitpenalty", "0.1000000")
        moodle_xml.sub(element, "showunits", "3")  # no units
        moodle_xml.sub(element, "unitsleft", "0")
        return element

    def moodle_backup_entry(self, entries: etree._Element, course: Course, lesson: Lesson, quiz: Quiz,
                            question: Question, ids: BackupIds, time: int, files: BackupFiles,
                            text: TextRenderer) -> etree._Element:
        """``numerical``: the answer at 100%, its tolerance (``numerical_records``), no units."""
        from lxml import etree

        from srm_package.targets.moodle_backup_xml import element, record

        backup = backup_writer()
        texts = backup.entry_texts(files, text, lesson, quiz, question, ids)
        answers = moodle_answers(question)
        numbers = [ids("question_answers", question.id, number) for number, *_ in answers]
        answer_ids = tuple(map(str, numbers))
        plugin = etree.Element("plugin_qtype_numerical_question")
        backup.answer_rows(plugin, answer_ids, tuple(number for number, *_ in answers),
                           tuple(backup.decimal(fraction, 7) for _, fraction, *_ in answers),
                           tuple(texts.answer(feedback, "answerfeedback", number)
                                 for number, (*_, feedback) in zip(numbers, answers, strict=True)), backup.PLAIN)
        element(plugin, "numerical_units")
        record(element(plugin, "numerical_options"), "numerical_option", {
            "showunits": 3, "unitsleft": 0, "unitgradingtype": 0, "unitpenalty": backup.decimal(0.1, 7),
        }, id=ids("question_options", question.id))
        records = element(plugin, "numerical_records")
        for answer_id, (number, _, tolerance, _) in zip(answer_ids, answers, strict=True):
            record(records, "numerical_record", {"answer": answer_id, "tolerance": tolerance},
                   id=ids("question_numerical", question.id, number))
        return backup.question_entry(entries, course, lesson, quiz, question, ids, time, qtype="numerical",
                                     plugin=plugin, text=texts.question(question.stem, "questiontext"),
                                     explanation=texts.question(question.explanation, "generalfeedback"))


TYPE = NumericType()


def moodle_answers(question: Question) -> list[tuple[str, float, str, Markdown]]:
    """The answers of Moodle's numerical question: (number, fraction, tolerance, feedback).

    The right number carries the question's right-answer feedback; wrong-answer feedback goes
    on a ``*`` answer at 0% (Moodle's catch-all), as a Moodle author would write it."""
    response: Numeric = question.response
    answers = [(number_text(response.answer), 1.0, number_text(response.tolerance), question.feedback.correct)]
    if question.feedback.incorrect:
        answers.append(("*", 0.0, "0", question.feedback.incorrect))
    return answers


def _number(found: Located) -> Decimal | None:
    """A number written plainly: a YAML integer or decimal (or the same in quotes)."""
    from yaml.nodes import ScalarNode

    node = found.node
    text = node.value.strip() if isinstance(node, ScalarNode) and isinstance(node.value, str) else ""
    if not _NUMBER.match(text):
        found.error(f"expected a number written plainly, such as 11, -2 or 3.5; found {text or 'no number'!r}")
        return None
    value = Decimal(text)
    if len(value.as_tuple().digits) > _MAX_DIGITS:
        found.error(f"at most {_MAX_DIGITS} digits; found {text!r}")
        return None
    return value
