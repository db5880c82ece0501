"""Inline Markdown to HTML or plain text, shared by the page renderer and the quiz writers.

Raw HTML is never passed through: markdown-it escapes it, so a stem such as
``Is <script> safe?`` reaches every format as text. Results are cached because the
same fragment (a choice text, a feedback line) is rendered for several targets.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

_INLINE = MarkdownIt("commonmark", {"html": False, "typographer": False})
#: the same rules with raw HTML recognised, only to find what ``_INLINE`` shows as text
_SEES_HTML = MarkdownIt("commonmark", {"html": True, "typographer": False})

#: every character that starts an inline rule of the CommonMark preset (escape, code,
#: emphasis, link, image, autolink, entity, line break) or that normalizing rewrites.
#: Most stems, choices and feedback hold none: they are plain text, rendered without
#: running the parser (the result is the same, see tests/test_markup.py).
_MARKDOWN_CHARACTERS = frozenset("\\`*_[]!<&\n\r\0")
_ESCAPES = str.maketrans({">": "&gt;", '"': "&quot;"})


def _is_plain(markdown: str) -> bool:
    return _MARKDOWN_CHARACTERS.isdisjoint(markdown)


@cache
def inline_html(markdown: str) -> str:
    """Render one inline Markdown run (no surrounding ``<p>``) to safe HTML."""
    if _is_plain(markdown):
        return markdown.translate(_ESCAPES)  # '&' and '<' cannot occur here
    return _INLINE.renderInline(markdown)


@cache
def inline_text(markdown: str) -> str:
    """The text a reader sees in ``markdown``, without markup (for titles and names)."""
    if _is_plain(markdown):
        return markdown.strip()
    tokens = _INLINE.parseInline(markdown)
    return "".join(_plain(t) for t in tokens).strip()


def has_image(markdown: str) -> bool:
    """Whether ``markdown`` shows an image (which no package carries: the format has none yet)."""
    # an image is "![...](...)": rendering has no reference definitions for "![...][ref]"
    return ("![" in markdown and "](" in markdown
            and any(t.type == "image" for t in walk_inline(_INLINE.parseInline(markdown))))


def link_targets(markdown: str) -> list[str]:
    """The address of every link in ``markdown``, as rendering writes it into the page."""
    if "](" not in markdown:  # an inline link needs it; autolinks always name a scheme
        return []
    return [t.attrs["href"] for t in walk_inline(_INLINE.parseInline(markdown)) if t.type == "link_open"]


def raw_html(markdown: str) -> list[str]:
    """Each piece of raw HTML in ``markdown``: rendering shows it as text, ``check`` warns."""
    if "<" not in markdown:
        return []
    return [t.content for t in walk_inline(_SEES_HTML.parseInline(markdown)) if t.type == "html_inline"]


def walk_inline(tokens: list[Token]) -> Iterator[Token]:
    """Every inline token, depth first (an image's alt text holds tokens of its own)."""
    for token in tokens:
        yield token
        if token.children:
            yield from walk_inline(token.children)


def _plain(token: Token) -> str:
    if token.children:
        return "".join(_plain(child) for child in token.children)
    if token.type in ("text", "code_inline", "html_inline"):
        return token.content
    if token.type in ("softbreak", "hardbreak"):
        return " "
    return ""
