"""What every question type provides, and how it says that a format cannot carry it.

A question type is one object (``QuestionType``) that owns everything about its
family of questions, as a Sphinx extension registers one node with a visitor per
builder: its source fields and rules, its answer part of the model, whether partial
credit applies, its page widget (``templates/questions/<family>.html.j2``) and page
behaviour (``templates/static/questions/<family>.js``), and its form in every format
that carries questions (``Form``). Writers ask the type; they never branch on kinds.

Before writing a question in a format, a writer asks ``carry(question, form)``: an
``Unsupported`` leaves the question out, a ``Carried`` lists the ways the form differs
from the source (say, partial credit that the LMS always gives). That one answer is
also what ``build`` and ``check`` report per target (``srm_package.questions.parity``),
so the report cannot disagree with what was written.

The type modules import no XML library when they are loaded (the loader and
``check`` need none): the functions that write QTI or Moodle XML reach the writers'
helpers through ``qti_writer()`` and ``moodle_writer()``, which import them on first use
(an import statement in a function that runs per question costs microseconds each time).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lxml import etree

    from srm_package.model import Course, Lesson, Question, Quiz, Response
    from srm_package.rich_text import TextRenderer
    from srm_package.sources.quiz_file import TextReader
    from srm_package.sources.yamlfields import Located, YamlMapping
    from srm_package.targets.moodle_backup_files import BackupFiles
    from srm_package.targets.moodle_backup_ids import BackupIds
    from srm_package.targets.moodle_xml import Texts
    from srm_package.targets.qti import Profile


class Form(str, Enum):
    """A place where questions are written. Each target writes one or more of them
    (``targets.QUESTION_FORMS``); each type answers for every one."""

    #: the student page (SCORM packages and the html site): every type, as written
    PAGE = "page"
    #: the QTI 1.2 question bank inside the SCORM packages (Canvas's flavour); not graded there
    QTI_BANK = "qti-bank"
    #: Canvas's QTI flavour: ``canvas-qti``, and the cartridge's part that Canvas reads
    QTI_CANVAS = "qti-canvas"
    #: the Common Cartridge 1.1 QTI profile: the cartridge's quiz as Moodle reads it
    QTI_CC = "qti-cc"
    #: a Moodle XML question
    MOODLE_XML = "moodle-xml"
    #: a question of the Moodle course backup's question bank (and its quiz)
    MOODLE_BACKUP = "moodle-backup"

    @property
    def part(self) -> str:
        """The form named as a part of a package, for reports of targets that write several."""
        return _PARTS[self]


_PARTS = {
    Form.PAGE: "the page",
    Form.QTI_BANK: "the QTI question bank",
    Form.QTI_CANVAS: "the Canvas part",
    Form.QTI_CC: "the cartridge quiz (read by Moodle)",
    Form.MOODLE_XML: "the Moodle XML file",
    Form.MOODLE_BACKUP: "the Moodle backup",
}


@dataclass(frozen=True)
class Unsupported:
    """The form cannot carry the question; ``reason`` says why, as a sentence without a full stop."""

    reason: str


@dataclass(frozen=True)
class Carried:
    """The form carries the question; each of ``changes`` is a way it differs from the source."""

    changes: tuple[str, ...] = ()


@cache
def backup_writer() -> ModuleType:
    """``srm_package.targets.moodle_backup_questions`` (the parts of a backup's bank entry),
    imported when the first entry is written: the loader needs no XML writer."""
    from srm_package.targets import moodle_backup_questions

    return moodle_backup_questions


#: carried exactly as written
AS_WRITTEN = Carried()
Carry = Carried | Unsupported


class QuestionType(ABC):
    """One family of question types (``single``/``multiple``/``true_false`` share one).

    Subclasses set the class attributes and implement every abstract method; the
    completeness test (``tests/questions/test_registry.py``) checks every type against
    every form.
    """

    #: the ``type:`` values it reads, the first one being its default
    kinds: tuple[str, ...]
    #: its name: ``templates/questions/<family>.html.j2``, ``static/questions/<family>.js``
    family: str
    #: the SCORM interaction type it is recorded as (a word of SCORM's vocabulary)
    scorm_interaction: str

    # ------------------------------------------------------------ sources
    @abstractmethod
    def fields(self, kind: str) -> tuple[str, ...]:
        """The keys a question of ``kind`` may have besides the common ones."""

    @abstractmethod
    def read(self, kind: str, fields: YamlMapping, stem: str | None, text: TextReader) -> Response | None:
        """The answer part from the question's fields (the stem is read already: None when it is
        in error); ``None`` when a problem was reported. ``text`` reads a question text: Markdown
        that may show images and formulas, checked where it stands."""

    # ---------------------------------------------------------- answering
    def partial_credit(self, question: Question) -> bool:
        """Whether a partly right answer earns its share of the points (see docs/source-format.md):
        the answer part's ``partial_credit`` flag, for the types that have one."""
        return bool(getattr(question.response, "partial_credit", False))

    # ------------------------------------------------------------ formats
    @abstractmethod
    def carry(self, question: Question, form: Form) -> Carry:
        """Whether ``form`` carries ``question``, and how it differs from the source."""

    # --------------------------------------------------------------- page
    @abstractmethod
    def page_data(self, question: Question, page: Any) -> dict[str, object]:
        """The type's part of the question's JSON for its page script (no HTML)."""

    @abstractmethod
    def element_ids(self, question: Question, page: Any) -> Iterator[str]:
        """The ids of the elements its template gives the question, in document order."""

    @abstractmethod
    def structure(self, question: Question) -> object:
        """What saved answers depend on (JSON data): a change makes the page drop saved state."""

    def page_problem(self, question: Question, runtime: str) -> str | None:
        """Why the page for ``runtime`` cannot record ``question``; None when it can."""
        return None

    # --------------------------------------------------------- saved state
    @abstractmethod
    def longest_saved_answer(self, question: Question) -> int:
        """The most characters the page's script can save for an answer to ``question`` (its
        ``encode`` in ``static/questions/<family>.js``, for any answer a learner can give): what
        the saved-state budget (``srm_package.saved_state``) counts, so keep it in step."""

    def arranged_parts(self, question: Question) -> int:
        """How many parts an attempt puts in an order of its own when the quiz shuffles choices
        (the script's ``arrangementSize``; one saved character each); 0 for a type with none."""
        return 0

    # --------------------------------------------------------- QTI, Moodle
    @abstractmethod
    def qti_item(self, parent: etree._Element, quiz: Quiz, question: Question, *, profile: Profile,
                 scope: str, text: TextRenderer) -> etree._Element:
        """Append the question's QTI 1.2 ``item`` to ``parent`` (only for a form it carries);
        every text goes through ``text`` (``text.inline(markdown, quiz.images)``)."""

    @abstractmethod
    def moodle_question(self, root: etree._Element, quiz: Quiz, question: Question, text: Texts
                        ) -> etree._Element:
        """Append the question's Moodle XML ``question`` to ``root``; every text goes through
        ``text``, which also names the images to embed beside it."""

    @abstractmethod
    def moodle_backup_entry(self, entries: etree._Element, course: Course, lesson: Lesson, quiz: Quiz,
                            question: Question, ids: BackupIds, time: int, files: BackupFiles,
                            text: TextRenderer) -> etree._Element:
        """Append the question's bank entry to a Moodle backup's ``question_bank_entries``; every
        text goes through ``text`` (the Moodle XML style, knowing the course's images), and the
        images each shows go into ``files``, in the file areas Moodle keeps that text's in.

        Only called when ``carry(question, Form.MOODLE_BACKUP)`` carries it: a question the
        type cannot write there gets an ``Unsupported`` with its reason."""


# ------------------------------------------------------------- the writers
@cache
def qti_writer() -> ModuleType:
    """``srm_package.targets.qti``, imported when the first QTI item is written."""
    from srm_package.targets import qti

    return qti


@cache
def moodle_writer() -> ModuleType:
    """``srm_package.targets.moodle_xml``, imported when the first Moodle question is written."""
    from srm_package.targets import moodle_xml

    return moodle_xml


# ------------------------------------------------------------- reading helpers
def read_flag(fields: YamlMapping, key: str) -> bool | None:
    """An optional true/false field: False when left out, None when in error (reported)."""
    found = fields.get(key)
    return False if found is None else found.boolean()


def read_texts(found: Located | None, what: str, *, minimum: int, read: TextReader | None = None,
               ) -> list[tuple[Located, str]] | None:
    """A list of texts, each read by ``read`` (a Markdown reader) or as plain text (``None``),
    at least ``minimum``, none repeated (compared as the reader sees them); None when a
    problem was reported."""
    from srm_package.markup import inline_text

    if found is None:
        return None if minimum else []
    items = found.as_sequence()
    if items is None:
        return None
    texts: list[tuple[Located, str]] = []
    seen: dict[str, int] = {}
    complete = True
    for item in items:
        value = read(item) if read else plain_text(item)
        if value is None:
            complete = False
            continue
        shown = inline_text(value) if read else value
        if shown in seen:
            item.error(f"{shown!r} is given twice (first at line {seen[shown]})")
            complete = False
            continue
        seen[shown] = item.line
        texts.append((item, value))
    if complete and len(texts) < minimum:
        found.error(f"needs at least {minimum} {what}; found {len(texts)}")
        return None
    return texts if complete else None


#: the longest text a learner types into one box (and a blank's accepted answer)
MAX_TYPED = 100


def plain_text(found: Located) -> str | None:
    """One line of text as a learner would type it (not Markdown), at most ``MAX_TYPED`` characters."""
    value = found.text()
    if value is None:
        return None
    if "\n" in value or "\r" in value:
        found.error("must be one line")
        return None
    if len(value) > MAX_TYPED:
        found.error(f"must be at most {MAX_TYPED} characters; found {len(value)}")
        return None
    return value
