"""The course model: plain, frozen data that every writer reads.

Sources are parsed once (see ``loader``) into these classes. Nothing here does
I/O or knows about HTML or XML. Text that an instructor wrote is kept as its
Markdown source (``Markdown``): each writer renders it the way its format needs.
Every object that an LMS will see carries a stable id taken from the sources, so
that re-importing a package updates what the LMS already has.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Protocol

#: Markdown source of one inline run of text (a paragraph, a table cell, a
#: question stem...). Writers render it; the model never does.
Markdown = str


# --------------------------------------------------------------------- blocks
@dataclass(frozen=True)
class Paragraph:
    text: Markdown


@dataclass(frozen=True)
class Heading:
    """A heading below the section level (``###`` and deeper)."""

    level: int
    text: Markdown
    id: str


@dataclass(frozen=True)
class ListBlock:
    """A bullet or numbered list; each item is a sequence of blocks."""

    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    start: int = 1


@dataclass(frozen=True)
class Table:
    header: tuple[Markdown, ...]
    rows: tuple[tuple[Markdown, ...], ...]
    #: per column: "left", "center", "right" or "" (unspecified)
    align: tuple[str, ...] = ()
    caption: Markdown = ""


@dataclass(frozen=True)
class CodeBlock:
    code: str
    #: the fence's language (``python``); highlighted when Pygments knows it
    language: str = ""


@dataclass(frozen=True)
class Figure:
    """An image alone in its paragraph, with a title: shown with the title as its caption."""

    src: str  # as written, relative to the lesson file
    alt: str  # "" for a decorative image
    caption: str


@dataclass(frozen=True)
class MathBlock:
    """A display formula (``$$ ... $$`` on lines of its own), in LaTeX."""

    tex: str


@dataclass(frozen=True)
class Quote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Rule:
    """A thematic break (``---``)."""


#: call-out kinds and the title each gets when the source gives none
CALLOUT_TITLES = {
    "key-principle": "Key principle",
    "exam-tip": "Exam tip",
    "note": "Note",
    "warning": "Warning",
}


@dataclass(frozen=True)
class Callout:
    """A named box of one of the ``CALLOUT_TITLES`` kinds."""

    kind: str
    title: Markdown
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ComparisonColumn:
    heading: Markdown
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Comparison:
    """Side-by-side columns, e.g. "AWS is responsible for / customer is responsible for"."""

    columns: tuple[ComparisonColumn, ...]
    title: Markdown = ""


Block = (Paragraph | Heading | ListBlock | Table | CodeBlock | Figure | MathBlock | Quote | Rule | Callout
         | Comparison)


# --------------------------------------------------------------------- media
@dataclass(frozen=True)
class ImageRef:
    """An image a lesson or quiz file refers to: the path as written there, and the digest
    (SHA-256) of the file it resolved to, which names the file in ``Course.media``."""

    src: str
    digest: str


@dataclass(frozen=True)
class MediaFile:
    """One image file of the course, stored once however many texts show it."""

    digest: str
    #: its file name in every package (``diagram-3f2a9c01de4b.png``): safe characters only
    name: str
    media_type: str
    size: int
    #: pixel size when the file states it (``None``: an SVG without width and height)
    width: int | None
    height: int | None
    #: where the loader found it; read again only when a package is written
    path: str
    #: SHA-1 of the content: Moodle's file pool (and so its backups) names a file by it
    sha1: str


# ------------------------------------------------------------------- lessons
@dataclass(frozen=True)
class Section:
    """A ``##`` section of a lesson; ``id`` is stable and unique in its lesson."""

    id: str
    title: Markdown
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Lesson:
    id: str
    number: int
    title: str
    subtitle: Markdown
    #: blocks before the first ``##`` heading; this and ``sections`` are empty when the
    #: course was loaded without lesson bodies (``load_course(..., lesson_bodies=False)``)
    intro: tuple[Block, ...]
    sections: tuple[Section, ...]
    quiz: Quiz | None = None
    #: the images the lesson body shows (``src`` as written in the lesson file)
    images: tuple[ImageRef, ...] = ()
    #: where this lesson's content comes from, shown with the lesson (the course's is in its footer)
    citation: Citation | None = None
    #: credits for this lesson alone, shown with it
    credits: tuple[Markdown, ...] = ()
    #: its name in navigation, page titles and LMSs, in the course's language
    #: (``Lesson 13: Shared Responsibility Model``; the loader words it from the catalog).
    #: "" words it in English from number and title: ``replace(lesson, title=t, label="")``
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", f"Lesson {self.number}: {self.title}")

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)


# --------------------------------------------------------------------- quizzes
class Response(Protocol):
    """The answer part of a question: what the learner must give, and what is right.

    Each question type (``srm_package.questions``) defines its own frozen class (choices,
    pairs to match, blanks...); the model only knows that it names its type, so that a
    new type needs no change here.
    """

    @property
    def kind(self) -> str:
        """The question's ``type:`` in the sources (``single``, ``matching``...)."""
        ...


@dataclass(frozen=True)
class SourceLocation:
    """Where something was written: a place in a source file, for messages about it.

    Like a Sphinx node's ``source``/``line``: a writer that has to leave something out
    can name the place the author wrote it. Never part of equality (``compare=False``
    where it is used): the same question written elsewhere is the same question.
    """

    file: str
    line: int
    column: int
    #: the dotted field path, e.g. ``questions[2]``
    field: str


@dataclass(frozen=True)
class QuestionFeedback:
    """Question-level feedback: on a right answer, on a wrong (or partly right) one."""

    correct: Markdown = ""
    incorrect: Markdown = ""


@dataclass(frozen=True)
class Question:
    id: str
    stem: Markdown
    #: the type-specific part: choices, pairs, blanks, a number or items to order
    response: Response
    explanation: Markdown
    points: int
    #: id of the lesson section that teaches this question
    section_id: str
    #: shown when the whole answer is right / wrong (besides the chosen choice's feedback)
    feedback: QuestionFeedback = field(default_factory=lambda: QuestionFeedback())
    #: where the question was written (None for questions built in code)
    source: SourceLocation | None = field(default=None, compare=False, repr=False)

    @property
    def kind(self) -> str:
        """The ``type:`` of the question in the sources, e.g. ``single`` or ``ordering``."""
        return self.response.kind


@dataclass(frozen=True)
class ScoreBand:
    """From ``min_percent`` (inclusive) up to the next band: show ``message``."""

    min_percent: int
    message: Markdown


@dataclass(frozen=True)
class Recommendation:
    #: highest band first
    bands: tuple[ScoreBand, ...]
    #: shown once per missed question's section; ``{section}`` is replaced by the section title
    review: Markdown

    def band_for(self, percent: float) -> ScoreBand:
        for band in self.bands:
            if percent >= band.min_percent:
                return band
        return self.bands[-1]


@dataclass(frozen=True)
class ShufflePolicy:
    questions: bool = False
    choices: bool = False


@dataclass(frozen=True)
class QuestionGroup:
    """A pool: each attempt asks ``pick`` of its questions, drawn at random. Its questions
    have equal points (the loader checks it: Canvas gives a group one value per question)."""

    id: str
    pick: int
    #: the ids of its questions, as listed in the source
    question_ids: tuple[str, ...]
    source: SourceLocation | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Quiz:
    id: str
    title: str
    instructions: Markdown
    questions: tuple[Question, ...]
    recommendation: Recommendation
    shuffle: ShufflePolicy = field(default_factory=ShufflePolicy)
    #: attempts a native LMS quiz allows; None = unlimited
    max_attempts: int | None = None
    #: whether a native LMS quiz shows the correct answers after submission
    show_correct_answers: bool = True
    #: the images its question texts show (``src`` as written in the quiz file)
    images: tuple[ImageRef, ...] = ()
    #: pools; a question in none of them is asked in every attempt
    groups: tuple[QuestionGroup, ...] = ()

    def group_of(self, question: Question) -> QuestionGroup | None:
        for group in self.groups:
            if question.id in group.question_ids:
                return group
        return None

    def group_questions(self, group: QuestionGroup) -> tuple[Question, ...]:
        """The questions of ``group``, in the quiz's order."""
        return tuple(q for q in self.questions if q.id in group.question_ids)

    def group_points(self, group: QuestionGroup) -> int:
        """The points of each question of ``group`` (equal: the loader checks it)."""
        return self.group_questions(group)[0].points

    @property
    def always_asked(self) -> tuple[Question, ...]:
        """The questions in no group."""
        grouped = {qid for group in self.groups for qid in group.question_ids}
        return tuple(q for q in self.questions if q.id not in grouped)

    @property
    def asked(self) -> int:
        """How many questions an attempt asks."""
        return len(self.always_asked) + sum(group.pick for group in self.groups)

    @property
    def points(self) -> int:
        """The points an attempt is scored over (the questions it asks)."""
        drawn = sum(group.pick * self.group_points(group) for group in self.groups)
        return sum(q.points for q in self.always_asked) + drawn

    @property
    def all_points(self) -> int:
        """The points of every question: what a target that asks them all scores over."""
        return sum(q.points for q in self.questions)


# --------------------------------------------------------------------- course
@dataclass(frozen=True)
class Citation:
    label: str
    text: Markdown


@dataclass(frozen=True)
class YearMonth:
    """A last-updated date as instructors write it: a month, optionally a day."""

    year: int
    month: int
    day: int | None = None


@dataclass(frozen=True)
class UiText:
    """An author's wording for one of the tool's page strings (``ui:`` in course.yaml).

    ``key`` names the message (``try_again``); ``text`` has ``{name}`` placeholders;
    ``plural_form`` is a CLDR plural category (``one``, ``few``...) when the author gave
    one text per count form, "" when the one text serves every count.
    """

    key: str
    text: str
    plural_form: str = ""


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    language: str
    author: str
    copyright: str
    last_updated: YearMonth
    credits: tuple[Markdown, ...]
    citation: Citation | None
    #: percent of the quiz points needed to pass (0-100)
    passing_score: int
    lessons: tuple[Lesson, ...]
    #: every image file the lessons and quizzes show, once each, sorted by name
    media: tuple[MediaFile, ...] = ()
    #: the author's wording for page strings, in place of the catalog's (``ui:``)
    ui: tuple[UiText, ...] = ()

    @property
    def quizzes(self) -> tuple[Quiz, ...]:
        return tuple(lesson.quiz for lesson in self.lessons if lesson.quiz is not None)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for quiz in self.quizzes for q in quiz.questions)

    @property
    def points(self) -> int:
        return sum(quiz.points for quiz in self.quizzes)

    def lesson_course(self, lesson: Lesson) -> Course:
        """``lesson`` alone, as a course of its own (``build --per-lesson``): its id is
        ``<course-id>-<lesson-id>``, so its package's name and identifiers are its own and
        stay the same from build to build; of the media, only the files its lesson and quiz
        show (a package carries no image it does not use); everything else is the course's."""
        shown = {ref.digest for ref in (*lesson.images, *(lesson.quiz.images if lesson.quiz else ()))}
        return replace(self, id=f"{self.id}-{lesson.id}", lessons=(lesson,),
                       media=tuple(media for media in self.media if media.digest in shown))
