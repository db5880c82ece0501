"""Author text with images and formulas, written the way each target needs it.

Every text a learner reads in a quiz (stem, choice, feedback, explanation; later the
texts of other question types) and every inline run of a lesson goes through
``TextRenderer.inline``: one parser, one place that decides how an image reference and
a formula come out. What differs per target is a ``TextStyle``:

* where the image files are, as seen from the text (``media/x.png`` beside a page,
  ``@@PLUGINFILE@@/x.png`` in Moodle XML, ...), and
* how a formula is written: MathML made at build time (no script, no network), or the
  LaTeX itself between ``\\( \\)`` / ``\\[ \\]`` for an LMS whose MathJax renders it.

Text with neither an image nor a ``$`` is plain Markdown and goes to
``markup.inline_html`` unchanged, so courses without media render exactly as before.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import escape
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin

from srm_package import formulas
from srm_package.errors import BuildError
from srm_package.markup import inline_html, walk_inline
from srm_package.model import Course, ImageRef, MediaFile

#: the class that marks an image as decorative: ``![](border.png){.decorative}``
DECORATIVE = "decorative"


def use_rich_syntax(parser: MarkdownIt) -> MarkdownIt:
    """Add what the format has beyond CommonMark: ``$...$`` / ``$$...$$`` math and
    ``{.decorative}`` after an image. Dollar signs pair up only as Pandoc pairs them
    (no space inside, no digit after the closing one), so "$5 and $10" stays text."""
    return (parser
            .use(attrs_plugin, after=("image",))
            .use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True,
                 allow_labels=False))


PARSER = use_rich_syntax(MarkdownIt("commonmark", {"html": False, "typographer": False}))


def may_be_rich(markdown: str) -> bool:
    """Whether ``markdown`` could hold an image or a formula (else it is plain Markdown)."""
    return "$" in markdown or "![" in markdown


def has_formula(markdown: str) -> bool:
    """Whether ``markdown`` shows a formula (for texts shown as plain text, which cannot)."""
    return "$" in markdown and any(token.type in ("math_inline", "math_inline_double")
                                   for token in walk_inline(PARSER.parseInline(markdown)))


def image_alt(token: Token) -> str:
    """The alt text an image token's description gives, as plain text."""
    return PARSER.renderer.renderInlineAsText(token.children or [], PARSER.options, {})


def is_decorative(token: Token) -> bool:
    return DECORATIVE in str(token.attrs.get("class", "")).split()


# ---------------------------------------------------------------------- styles
@dataclass(frozen=True)
class TextStyle:
    """How one target writes images and formulas."""

    #: put before a media file's name to reach it from the text
    image_prefix: str
    math: Literal["mathml", "tex"]


@dataclass(frozen=True)
class Rendered:
    html: str
    #: the media files the text shows, each once, in order of first use
    files: tuple[MediaFile, ...] = ()


# -------------------------------------------------------------------- renderer
class TextRenderer:
    """Renders texts in one ``TextStyle``, their images being among ``media``; results are kept."""

    def __init__(self, style: TextStyle, media: Iterable[MediaFile] = ()) -> None:
        self.style = style
        self._files = {file.digest: file for file in media}
        self._rendered: dict[tuple[str, tuple[ImageRef, ...], bool], Rendered] = {}

    def inline(self, markdown: str, images: Sequence[ImageRef] = (), *, names: bool = False) -> str:
        """One inline run as HTML (no surrounding ``<p>``). ``names``: the text names a form
        control (a choice's label), so each MathML formula carries its LaTeX as
        ``aria-label``: ARIA gives the math role a name from its author only, so a label
        holding nothing but a formula would otherwise name its radio button nothing."""
        return self.rendered(markdown, images, names=names).html

    def rendered(self, markdown: str, images: Sequence[ImageRef] = (), *, names: bool = False) -> Rendered:
        """The HTML and the media files it shows (Moodle XML embeds them beside the text)."""
        if not may_be_rich(markdown):
            return Rendered(inline_html(markdown))
        key = (markdown, tuple(images), names)
        found = self._rendered.get(key)
        if found is None:
            env: dict = {"srm": _Run(self, images, names)}
            html = PARSER.renderInline(markdown, env)
            found = self._rendered[key] = Rendered(html, tuple(env["srm"].used.values()))
        return found

    def image(self, src: str, alt: str, images: Sequence[ImageRef], *, title: str = "") -> tuple[str, MediaFile]:
        """An ``<img>`` of the file ``src`` (as written) resolved to, and that file."""
        media = self.media_file(src, images)
        attributes = [f'src="{escape(self.style.image_prefix + media.name)}"', f'alt="{escape(alt)}"']
        if media.width and media.height:
            attributes += [f'width="{media.width}"', f'height="{media.height}"']
        if title:
            attributes.append(f'title="{escape(title)}"')
        return f"<img {' '.join(attributes)} />", media

    def media_file(self, src: str, images: Sequence[ImageRef]) -> MediaFile:
        for ref in images:
            if ref.src == src and ref.digest in self._files:
                return self._files[ref.digest]
        raise BuildError(f"image {src!r} was not found by the loader (rebuild from the sources)")

    def formula(self, tex: str, *, display: bool, named: bool = False) -> str:
        if self.style.math == "mathml":
            element = formulas.mathml(tex, display=display)
            return element.replace("<math ", f'<math aria-label="{escape(tex)}" ', 1) if named else element
        opening, closing = ("\\[", "\\]") if display else ("\\(", "\\)")
        return f"{opening}{escape(tex)}{closing}"


class _Run:
    """The state of rendering one text: its image references and the files used."""

    def __init__(self, renderer: TextRenderer, images: Sequence[ImageRef], names: bool = False) -> None:
        self.renderer = renderer
        self.images = images
        self.names = names
        self.used: dict[str, MediaFile] = {}


def _render_image(self, tokens: list[Token], idx: int, options, env: dict) -> str:
    token = tokens[idx]
    run: _Run = env["srm"]
    alt = "" if is_decorative(token) else image_alt(token)
    html, media = run.renderer.image(str(token.attrs.get("src", "")), alt, run.images,
                                     title=str(token.attrs.get("title", "") or ""))
    run.used.setdefault(media.digest, media)
    return html


def _render_math(display: bool):
    def rule(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        run: _Run = env["srm"]
        return run.renderer.formula(tokens[idx].content.strip(), display=display, named=run.names)

    return rule


PARSER.add_render_rule("image", _render_image)
PARSER.add_render_rule("math_inline", _render_math(False))
PARSER.add_render_rule("math_inline_double", _render_math(True))


#: a build renders one course; tests render many, so only the last few are kept
_KEPT = 16
_renderers: OrderedDict[tuple[int, TextStyle], tuple[Course, TextRenderer]] = OrderedDict()


def renderer_for(course: Course, style: TextStyle) -> TextRenderer:
    """The renderer of ``course``'s texts in ``style`` (one per course and style, kept for reuse;
    the course is kept with it, so that ``id(course)`` cannot name another course meanwhile)."""
    key = (id(course), style)
    found = _renderers.pop(key, None)
    if found is None or found[0] is not course:
        found = (course, TextRenderer(style, course.media))
    _renderers[key] = found
    while len(_renderers) > _KEPT:
        _renderers.popitem(last=False)
    return found[1]


def files_of(course: Course, images: Iterable[ImageRef]) -> tuple[MediaFile, ...]:
    """The media files behind ``images`` (a lesson's or quiz's), each once, by name."""
    digests = {ref.digest for ref in images}
    return tuple(media for media in course.media if media.digest in digests)
