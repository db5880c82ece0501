"""The student pages: the course model rendered to HTML with Jinja2 (autoescaped).

A SCORM SCO keeps one run-time session per launch page, and leaving that page ends
the session (Moodle 4.5 even reuses the terminated API, lms-targets §6). So the site
is one ``index.html`` holding every lesson followed by its quiz, with in-page
navigation, plus static assets. Page structure, CSS and JavaScript live in
``templates/`` as real files; this module only prepares data for them.

Every page carries a strict Content-Security-Policy: no inline script, no inline
style, no event-handler attributes. The quiz reads its data from a
``<script type="application/json">`` block and shows feedback that was rendered
here (hidden until answered), so the JavaScript never builds HTML from strings.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from srm_package import i18n, pools
from srm_package.errors import BuildError
from srm_package.highlight import highlighted
from srm_package.markup import inline_text
from srm_package.model import (
    Block,
    Callout,
    CodeBlock,
    Comparison,
    Course,
    Figure,
    Heading,
    ImageRef,
    Lesson,
    ListBlock,
    Question,
    Quiz,
    Quote,
    Section,
    Table,
)
from srm_package.package_files import Entry, FileSource
from srm_package.questions import QUESTION_TYPES, question_type
from srm_package.questions.base import QuestionType
from srm_package.rich_text import TextRenderer, TextStyle, renderer_for
from srm_package.rounds import KeptFromLastRound
from srm_package.saved_state import check_budget
from srm_package.template_cache import bytecode_cache


def _templates_dir() -> Path:
    """``templates/`` beside the package in a checkout, inside it in an installed wheel."""
    package = Path(__file__).resolve().parent
    checkout = package.parent / "templates"
    return checkout if (checkout / "static").is_dir() else package / "templates"


TEMPLATES_DIR = _templates_dir()
STATIC_DIR = TEMPLATES_DIR / "static"

RUNTIMES = ("scorm12", "scorm2004", "none")

#: what the page may load: its own files only, no inline code, images also as data: URIs
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)

STYLESHEET = "assets/site.css"
QUIZ_SCRIPT = "assets/quiz.js"
RUNTIME_SCRIPT = "assets/scorm-runtime.js"
#: each question family's page script (``templates/static/questions/<family>.js``)
QUESTION_SCRIPTS = {family: f"assets/questions/{family}.js" for family in QUESTION_TYPES}
#: numbers shown and read in the course's language; loaded before the scripts that use it
LOCALE_SCRIPT = "assets/locale.js"
#: one lesson at a time, the outline and lesson_location: only in courses of several lessons
COURSE_SCRIPT = "assets/course.js"
_ASSET_SOURCES = {
    STYLESHEET: "site.css",
    LOCALE_SCRIPT: "locale.js",
    QUIZ_SCRIPT: "quiz.js",
    RUNTIME_SCRIPT: "scorm-runtime.js",
    COURSE_SCRIPT: "course.js",
    **{path: path.removeprefix("assets/") for path in QUESTION_SCRIPTS.values()},
}

#: Moodle drops some characters from unzipped file names; these survive everywhere
_SAFE_PATH = re.compile(r"[a-z0-9._-]+(?:/[a-z0-9._-]+)*")
#: SCORM 2004 interaction descriptions are localized strings of at most 250 characters
_DESCRIPTION_LIMIT = 250

#: the folder of the course's images in a site, beside index.html
MEDIA_FOLDER = "media"
#: the student pages: images beside the page, formulas as MathML made here
SITE_TEXT = TextStyle(image_prefix=f"{MEDIA_FOLDER}/", math="mathml")
#: a Common Cartridge page (``wiki_content/``) read by Moodle and Canvas: images in
#: ``web_resources/media/``; formulas as LaTeX for the LMS's MathJax, because Moodle's
#: HTML cleaning removes MathML from an imported page (docs/targets.md)
CARTRIDGE_PAGE_TEXT = TextStyle(image_prefix=f"../web_resources/{MEDIA_FOLDER}/", math="tex")


# ------------------------------------------------------------------ public API
def render_site(course: Course, runtime: str, *, article_cache: ArticleCache | None = None,
                ) -> dict[str, Entry]:
    """The whole course as a site: ``index.html``, its assets and its images, path → content.

    ``runtime`` is ``"scorm12"``, ``"scorm2004"`` (the page reports to that LMS API)
    or ``"none"`` (a plain site that records nothing). ``article_cache`` (the preview's)
    keeps each lesson's rendered article, so that only changed lessons are rendered again.
    """
    if runtime not in RUNTIMES:
        raise ValueError(f"unknown runtime {runtime!r}; expected one of {', '.join(RUNTIMES)}")
    _check_interaction_ids(course, runtime)
    check_budget(course, runtime)
    lms = runtime != "none"
    # without questions the quiz script still reports completion to an LMS
    with_data = lms or bool(course.questions)
    # deferred scripts run in this order: course.js is there when quiz.js starts
    scripts = [RUNTIME_SCRIPT] if lms else []
    if len(course.lessons) > 1:
        scripts.append(COURSE_SCRIPT)
    if scripts or with_data:
        # numbers and filled-in texts in the course's language, for every script after it
        scripts.insert(0, LOCALE_SCRIPT)
    if with_data:
        # the engine, then the scripts of the question types the course uses (classic
        # deferred scripts run in this order, before the engine starts on DOMContentLoaded)
        used = {question_type(question).family for question in course.questions}
        scripts += [QUIZ_SCRIPT, *(path for family, path in QUESTION_SCRIPTS.items() if family in used)]
    shared = _shared(course)
    page = shared.site_page
    with i18n.activated(page.strings):
        index = _site_index(course, runtime, shared, scripts, lms, with_data, article_cache)
    site: dict[str, Entry] = {"index.html": index}
    for path in (STYLESHEET, *scripts):
        site[path] = _asset(_ASSET_SOURCES[path])
    site.update(media_entries(course, MEDIA_FOLDER))
    for path in site:
        if not _SAFE_PATH.fullmatch(path):
            raise BuildError(f"rendered file name {path!r} is not made of [a-z0-9._/-]")
    return dict(sorted(site.items()))


def _site_index(course: Course, runtime: str, shared: _SharedRendering, scripts: list[str], lms: bool,
                with_data: bool, article_cache: ArticleCache | None) -> bytes:
    """``index.html``: the frame rendered around the lessons' articles, which are shared."""
    page = shared.site_page
    _check_unique_ids(_site_ids(page, lms=lms, with_data=with_data, with_scripts=bool(scripts)))
    # the page around the lessons, with a slot where the shared articles go in as bytes
    frame = _render_page(
        "site.html.j2",
        page,
        stylesheet_href=STYLESHEET,
        scripts=scripts,
        page_title=_site_title(course),
        lms=lms,
        articles=Markup(_ARTICLES_SLOT),
        quiz_data=quiz_data(course, runtime, page) if with_data else None,
    )
    head, tail = _split_at_slot(frame)
    articles = shared.articles(lms=lms) if article_cache is None else shared.cached_articles(lms, article_cache)
    return b"".join((head.encode("utf-8"), articles, tail.encode("utf-8")))


def media_entries(course: Course, folder: str) -> dict[str, Entry]:
    """Every image of the course as a package entry in ``folder``, copied from disk when written."""
    return {f"{folder}/{media.name}": FileSource(media.path, media.size) for media in course.media}


def render_lesson_page(course: Course, lesson: Lesson, *, stylesheet_href: str,
                       style: TextStyle = CARTRIDGE_PAGE_TEXT) -> str:
    """One lesson's content page, without its quiz (the Common Cartridge page; the Moodle
    backup's Page in its own ``style``)."""
    page = _shared(course).lesson_page(style)
    _check_unique_ids(_lesson_page_ids(page, lesson))
    with i18n.activated(page.strings):
        return _render_page(
            "lesson_page.html.j2",
            page,
            stylesheet_href=stylesheet_href,
            scripts=[],
            page_title=f"{lesson.label} — {course.title}",
            lesson=lesson,
        )


def stylesheet() -> bytes:
    """The CSS every page links."""
    return _asset("site.css")


# ---------------------------------------------------------------- identifiers
def interaction_id(lesson: Lesson, question: Question) -> str:
    """The SCORM interaction id: ``[A-Za-z0-9_]`` only, stable, from lesson and question ids."""
    return f"{_underscored(lesson.id)}__{_underscored(question.id)}"


def _underscored(identifier: str) -> str:
    return identifier.replace("-", "_")


def _check_interaction_ids(course: Course, runtime: str) -> None:
    """Ids that collapse onto each other (``a-b`` vs ``a_b``) would merge in the LMS's report."""
    seen: dict[str, str] = {}
    for lesson in course.lessons:
        if lesson.quiz is None:
            continue
        for question in lesson.quiz.questions:
            key = interaction_id(lesson, question)
            if key in seen:
                raise BuildError(
                    f"questions {seen[key]!r} and {question.id!r} give the same SCORM interaction id "
                    f"{key!r}; rename one of them"
                )
            seen[key] = question.id
            problem = question_type(question).page_problem(question, runtime)
            if problem:
                raise BuildError(problem)


# ------------------------------------------------------------------ quiz data
def quiz_data(course: Course, runtime: str, page: _Page | None = None) -> dict[str, object]:
    """What the quiz script needs, as JSON: ids, correct choices, points, pass mark.

    No HTML travels here: feedback and messages are in the page, hidden until shown.
    """
    page = page or _shared(course).site_page
    quizzes = []
    for lesson in course.lessons:
        quiz = lesson.quiz
        if quiz is None:
            continue
        quizzes.append({
            "id": quiz.id,
            "element": page.quiz_anchor(quiz),
            "shuffleQuestions": quiz.shuffle.questions,
            "shuffleChoices": quiz.shuffle.choices,
            "showCorrectAnswers": quiz.show_correct_answers,
            # each attempt asks `pick` of each group's questions (pools.page_data); the rest always
            "groups": pools.page_data(quiz),
            "bands": [band.min_percent for band in quiz.recommendation.bands],
            "questions": [_question_data(lesson, question, page) for question in quiz.questions],
        })
    return {
        "runtime": runtime,
        "fingerprint": fingerprint(course),
        "passingScore": course.passing_score,
        "quizzes": quizzes,
    }


def _question_data(lesson: Lesson, question: Question, page: _Page) -> dict[str, object]:
    handler = question_type(question)
    return {
        "id": question.id,
        "element": page.question_anchor(question),
        "kind": question.kind,
        "points": question.points,
        "section": page.anchor(lesson, question.section_id),
        "interaction": interaction_id(lesson, question),
        "description": inline_text(question.stem)[:_DESCRIPTION_LIMIT],
        **({"partialCredit": True} if handler.partial_credit(question) else {}),
        **handler.page_data(question, page),
    }


def fingerprint(course: Course) -> str:
    """A short hash of the quiz structure; saved state from another version is not restored.

    Each type adds what its saved answers depend on (``QuestionType.structure``): choice
    ids, the number of prompts and matches, blank ids, items. A quiz with groups adds them:
    a saved draw from other pools must not come back (a quiz without keeps its fingerprint,
    so learners' saved attempts survive a rebuild that only adds pools elsewhere)."""
    shape = [
        [lesson.id, [[q.id, question_type(q).structure(q)] for q in lesson.quiz.questions],
         *([pools.page_data(lesson.quiz)] if lesson.quiz.groups else [])]
        for lesson in course.lessons
        if lesson.quiz is not None
    ]
    return hashlib.sha256(json.dumps(shape).encode("utf-8")).hexdigest()[:8]


# ------------------------------------------------------------- page context
@dataclass
class _Page:
    """Helpers the templates call: anchors, heading levels, labels, formatted dates."""

    course: Course
    single_lesson: bool
    #: how images and formulas are written on this page
    style: TextStyle = SITE_TEXT
    #: ``id(table)`` → id of the heading that names it (tables without a caption)
    _table_labels: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for lesson in self.course.lessons:
            for section in lesson.sections:
                self._label_tables(lesson, section.blocks, self.anchor(lesson, section.id))
            self._label_tables(lesson, lesson.intro, self.lesson_anchor(lesson) + "--title")

    # anchors: with several lessons in one page, section ids are namespaced by lesson
    def anchor(self, lesson: Lesson, local_id: str) -> str:
        return local_id if self.single_lesson else f"{lesson.id}--{local_id}"

    def lesson_anchor(self, lesson: Lesson) -> str:
        return f"lesson-{lesson.id}"

    def quiz_anchor(self, quiz: Quiz) -> str:
        return f"quiz-{quiz.id}"

    def question_anchor(self, question: Question) -> str:
        return f"q-{question.id}"

    def part_anchor(self, question: Question, part: str) -> str:
        """The id of a part of a question: a choice, a prompt's list, a blank..."""
        return f"q-{question.id}--{part}"

    # headings: one h1 per page; with several lessons the course title is the h1
    @property
    def lesson_level(self) -> int:
        return 1 if self.single_lesson else 2

    def level(self, markdown_level: int) -> int:
        """An ``###`` heading (level 3) sits one below its section's heading."""
        return min(6, markdown_level + self.lesson_level - 1)

    def column_aligns(self, table: Table) -> tuple[str, ...]:
        """Each column's alignment, "" where none is given: one entry for every column."""
        width = max(len(row) for row in (table.header, *table.rows))
        return tuple(table.align[column] if column < len(table.align) else "" for column in range(width))

    def table_label(self, table: Table) -> str:
        return self._table_labels.get(id(table), "")

    def _label_tables(self, lesson: Lesson, blocks: Iterable[Block], label: str) -> str:
        for block in blocks:
            if isinstance(block, Heading):
                label = self.anchor(lesson, block.id)
            elif isinstance(block, Table):
                self._table_labels[id(block)] = label
            else:
                for children in _child_block_lists(block):
                    self._label_tables(lesson, children, label)
        return label

    # author text: every run goes through the one text renderer (rich_text)
    @cached_property
    def text(self) -> TextRenderer:
        return renderer_for(self.course, self.style)

    def md(self, markdown: str, owner: Lesson | Quiz | None = None, *, names: bool = False) -> Markup:
        """Inline Markdown of ``owner``'s file (whose images it may show) as HTML;
        ``names``: it is a form control's label (see ``TextRenderer.inline``)."""
        images: tuple[ImageRef, ...] = owner.images if owner is not None else ()
        return Markup(self.text.inline(markdown, images, names=names))

    def figure_image(self, figure: Figure, lesson: Lesson) -> Markup:
        return Markup(self.text.image(figure.src, figure.alt, lesson.images)[0])

    def display_math(self, tex: str) -> Markup:
        return Markup(self.text.formula(tex, display=True))

    def code(self, block: CodeBlock) -> Markup:
        return highlighted(block.code, block.language)

    def code_label(self, block: CodeBlock) -> str:
        """The name a code block is announced by when focused: "Code", or "Code: python"."""
        return i18n.code_label(self.strings, block.language)

    # quiz helpers
    def review_sections(self, lesson: Lesson, quiz: Quiz) -> list[Section]:
        """The sections quiz questions point at, in lesson order."""
        wanted = {question.section_id for question in quiz.questions}
        return [section for section in lesson.sections if section.id in wanted]

    def review_message(self, lesson: Lesson, quiz: Quiz, section: Section) -> Markup:
        """The review line with ``{section}`` replaced by a link to that section."""
        message = str(self.md(quiz.recommendation.review))
        link = Markup('<a href="#{}">{}</a>').format(
            self.anchor(lesson, section.id), inline_text(section.title)
        )
        if "{section}" in message:
            return Markup(message.replace("{section}", str(link)))
        return Markup(message) + Markup(" ") + link

    @property
    def single_quiz(self) -> bool:
        return len(self.course.quizzes) == 1

    # the course's language: its strings (i18n), direction, dates and numbers
    @cached_property
    def strings(self) -> i18n.CourseStrings:
        return i18n.strings_for(self.course)

    @property
    def direction(self) -> str:
        return self.strings.direction

    def number(self, value: float) -> str:
        return self.strings.number(value)

    def percent(self, value: float) -> str:
        return self.strings.percent(value)

    def fill_in(self, template: Markup, **values: object) -> Markup:
        """A ``data-template`` text as the page shows it before the script runs (numbers
        written as the script writes them: ``percent`` and ``pass`` given already formatted)."""
        text = str(template)
        for name, value in values.items():
            shown = self.number(value) if isinstance(value, (int, float)) else str(value)
            text = text.replace("{" + name + "}", str(escape(shown)))
        return Markup(text)

    @property
    def number_format(self) -> dict[str, str]:
        return self.strings.number_format()

    @property
    def last_updated(self) -> Markup:
        """``<time datetime="2026-06">Juni 2026</time>``: the month (and day) in the course's language."""
        updated = self.course.last_updated
        stamp = f"{updated.year:04d}-{updated.month:02d}" + (f"-{updated.day:02d}" if updated.day else "")
        shown = self.strings.month(updated.year, updated.month, updated.day)
        return Markup('<time datetime="{}">{}</time>').format(stamp, shown)

    def callout_title(self, callout: Callout, lesson: Lesson) -> Markup:
        if callout.title:
            return self.md(callout.title, lesson)
        return escape(i18n.callout_title(self.strings, callout.kind))

    def kind(self, block: Block) -> str:
        """The template branch for ``block``: its class name in lower case."""
        return type(block).__name__.lower()

    # question types: each has its template, ``templates/questions/<family>.html.j2``
    def question_type(self, question: Question) -> QuestionType:
        return question_type(question)

    def widget(self, question: Question):
        """The macros of ``question``'s type: ``form`` and ``feedback``."""
        return _widgets(question_type(question).family)

    def partial_credit(self, question: Question) -> bool:
        return question_type(question).partial_credit(question)


# ------------------------------------------------------- shared per course
class _SharedRendering:
    """What the pages of one course have in common, worked out once per course object.

    The SCORM 1.2, SCORM 2004 and plain sites differ only in their scripts, a few LMS
    notes and the quiz data; the lessons and quizzes between them (nearly all of the
    page) are rendered once here. The Common Cartridge pages share one ``_Page``.
    """

    def __init__(self, course: Course) -> None:
        #: kept, so that ``id(course)`` cannot name another course while this is cached
        self.course = course
        self._articles: dict[bool | None, bytes] = {}
        self._lesson_pages: dict[TextStyle, _Page] = {}

    @cached_property
    def site_page(self) -> _Page:
        return _Page(self.course, single_lesson=len(self.course.lessons) == 1)

    def lesson_page(self, style: TextStyle) -> _Page:
        """The page context of one lesson shown alone (anchors not namespaced), its texts in ``style``."""
        if style not in self._lesson_pages:
            self._lesson_pages[style] = _Page(self.course, single_lesson=True, style=style)
        return self._lesson_pages[style]

    def articles(self, *, lms: bool) -> bytes:
        """Every lesson and its quiz (``_articles.html.j2``), UTF-8 encoded.

        Kept as bytes: half the memory of the text, and the sites are written as bytes.

        ``lms`` changes them only when the course has one quiz: its section then holds
        the course verdict, with a note for the LMS result.
        """
        variant = lms if self.site_page.single_quiz else None
        if variant not in self._articles:
            template = _environment().get_template("_articles.html.j2")
            with i18n.activated(self.site_page.strings):
                self._articles[variant] = template.render(
                    lessons=self.course.lessons, page=self.site_page, lms=bool(variant)).encode("utf-8")
        return self._articles[variant]

    def cached_articles(self, lms: bool, cache: ArticleCache) -> bytes:
        """``articles``, each lesson's taken from ``cache`` when its content was rendered before.

        An article depends on its lesson and on three facts about the course (one lesson or
        several, one quiz or several, its language and wording), part of the key with the variant.
        """
        page = self.site_page
        variant = bool(lms and page.single_quiz)
        template = _environment().get_template("_articles.html.j2")
        with i18n.activated(page.strings):
            return b"".join(
                cache.get((lesson, page.single_lesson, page.single_quiz, page.strings, variant),
                          lambda lesson=lesson: template.render(lessons=(lesson,), page=page, lms=variant)
                          .encode("utf-8"))
                for lesson in self.course.lessons
            )


class ArticleCache(KeptFromLastRound[bytes]):
    """Rendered lesson articles by lesson content (``new_round()`` before each rebuild)."""


#: a build renders one course; tests render many, so only the last few are kept
_SHARED_LIMIT = 2
_shared_renderings: OrderedDict[int, _SharedRendering] = OrderedDict()


def _shared(course: Course) -> _SharedRendering:
    """The shared rendering of ``course``, keyed by identity: hashing a frozen course
    walks all of it on every lookup (4.5 ms for 100 lessons, more than a ``_Page``)."""
    key = id(course)
    shared = _shared_renderings.pop(key, None) or _SharedRendering(course)
    _shared_renderings[key] = shared  # now the most recently used
    while len(_shared_renderings) > _SHARED_LIMIT:
        _shared_renderings.popitem(last=False)
    return shared


def _child_block_lists(block: Block) -> list[tuple[Block, ...]]:
    if isinstance(block, ListBlock):
        return list(block.items)
    if isinstance(block, (Callout, Quote)):
        return [block.blocks]
    if isinstance(block, Comparison):
        return [column.blocks for column in block.columns]
    return []


def _site_title(course: Course) -> str:
    if len(course.lessons) == 1:
        lesson = course.lessons[0]
        return f"{lesson.label} — {course.title}"
    return course.title


#: where the shared articles go in the site frame. Autoescaping and ``markup.py`` turn
#: every ``<`` an author writes into ``&lt;`` (and ``tojson`` into ``\u003c``), so
#: only the template's ``{{ articles }}`` can put this text into the frame.
_ARTICLES_SLOT = "<srm-articles/>"


def _split_at_slot(frame: str) -> tuple[str, str]:
    head, slot, tail = frame.partition(_ARTICLES_SLOT)
    if not slot or _ARTICLES_SLOT in tail:
        raise AssertionError(f"site.html.j2 must hold the articles slot exactly once: {_ARTICLES_SLOT}")
    return head, tail


# ---------------------------------------------------------------- element ids
# Every ``id`` a page carries, in document order, listed from the model instead of
# parsing the rendered page (a 10 MB page cost ~0.8 s CPU and ~86 MiB to parse). The
# ids are fixed names plus the anchors of ``_Page``; each function below follows one
# template, and tests/test_render.py compares them with the ids of rendered pages.
def _site_ids(page: _Page, *, lms: bool, with_data: bool, with_scripts: bool) -> Iterator[str]:
    """``site.html.j2``: the table of contents, every lesson and quiz, the course result."""
    course = page.course
    yield from ("srm-toc-title", "srm-main")
    if lms:
        yield from ("srm-lms-status", "srm-resume")
    for lesson in course.lessons:
        yield from _lesson_ids(page, lesson)
        if lesson.quiz is not None:
            yield from _quiz_ids(page, lesson.quiz, lms=lms)
    if course.questions and not page.single_quiz:
        yield from ("srm-course-result", "srm-course-result-title")
        yield from _verdict_ids(lms=lms)
    if with_data:
        yield "srm-quiz-data"
    if with_scripts:
        yield "srm-locale"
    yield from _footer_ids(course)


def _lesson_page_ids(page: _Page, lesson: Lesson) -> Iterator[str]:
    """``lesson_page.html.j2``: one lesson without its quiz."""
    yield from ("srm-toc-title", "srm-main")
    yield from _lesson_ids(page, lesson)
    yield from _footer_ids(page.course)


def _lesson_ids(page: _Page, lesson: Lesson) -> Iterator[str]:
    """``_lesson.html.j2``: the article, its title, the sections and headings."""
    article = page.lesson_anchor(lesson)
    yield from (article, f"{article}--title")
    yield from _heading_ids(page, lesson, lesson.intro)
    for section in lesson.sections:
        yield page.anchor(lesson, section.id)
        yield from _heading_ids(page, lesson, section.blocks)
    if lesson.credits:
        yield f"{article}--credits-title"


def _heading_ids(page: _Page, lesson: Lesson, blocks: Iterable[Block]) -> Iterator[str]:
    """``_blocks.html.j2``: headings, also inside lists, quotes, call-outs and comparisons."""
    for block in blocks:
        if isinstance(block, Heading):
            yield page.anchor(lesson, block.id)
        else:
            for children in _child_block_lists(block):
                yield from _heading_ids(page, lesson, children)


def _quiz_ids(page: _Page, quiz: Quiz, *, lms: bool) -> Iterator[str]:
    """``_quiz.html.j2``: the quiz, each question and choice, progress and result."""
    anchor = page.quiz_anchor(quiz)
    yield from (anchor, f"{anchor}--title")
    for question in quiz.questions:
        question_anchor = page.question_anchor(question)
        yield question_anchor
        yield from question_type(question).element_ids(question, page)
        yield f"{question_anchor}--feedback"
    yield from (f"{anchor}--progress", f"{anchor}--result", f"{anchor}--result-title")
    if page.single_quiz:
        yield from _verdict_ids(lms=lms)


def _verdict_ids(*, lms: bool) -> Iterator[str]:
    yield "srm-course-verdict"
    if lms:
        yield "srm-lms-result"


def _footer_ids(course: Course) -> Iterator[str]:
    if course.credits:
        yield "srm-credits-title"


# ------------------------------------------------------------------ templates
#: how the templates are read; these shape the compiled code, so they key its cache too
_TEMPLATE_OPTIONS: dict[str, object] = {
    # {% trans "key" %}: the page's strings from the catalogs (srm_package/i18n)
    "extensions": ("jinja2.ext.i18n",),
    "autoescape": True,
    "undefined": StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # compiled templates are kept between runs: compiling them costs ~35 ms per process
    return _make_environment(TEMPLATES_DIR, _TEMPLATE_OPTIONS, cache_dir=None)


def _make_environment(templates: Path, options: dict[str, object], *, cache_dir: Path | None) -> Environment:
    """An environment reading ``templates``; ``cache_dir`` None means the user's cache folder."""
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        bytecode_cache=bytecode_cache(options, cache_dir),
        **options,  # type: ignore[arg-type]
    )
    env.filters["plain"] = inline_text
    i18n.install(env)
    return env


def _render_page(template: str, page: _Page, *, stylesheet_href: str, scripts: list[str],
                 page_title: str, **context: object) -> str:
    """One page through ``layout.html.j2``: every page gets the CSP and the same frame."""
    return _environment().get_template(template).render(
        course=page.course,
        page=page,
        csp=CONTENT_SECURITY_POLICY,
        stylesheet_href=stylesheet_href,
        scripts=scripts,
        page_title=page_title,
        **context,
    )


@cache
def _widgets(family: str):
    """The exported macros of ``questions/<family>.html.j2``, loaded once."""
    return _environment().get_template(f"questions/{family}.html.j2").module


@cache
def _asset(name: str) -> bytes:
    return (STATIC_DIR / name).read_bytes()


def _check_unique_ids(identifiers: Iterable[str]) -> None:
    """Section ids come from authors; a clash with another element id would break links."""
    seen: set[str] = set()
    for identifier in identifiers:
        if identifier in seen:
            raise BuildError(f"the rendered page has two elements with id {identifier!r}; "
                             "rename the section or heading that uses it")
        seen.add(identifier)
