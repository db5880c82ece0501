"""Reading one lesson: YAML front matter plus a CommonMark body, into model blocks.

markdown-it-py does the parsing (CommonMark, tables, front matter, ``:::``
containers, definition lists); this module only walks its syntax tree and maps
each node to a model block, reporting what the format does not allow.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from srm_package import model
from srm_package.highlight import knows
from srm_package.limits import MAX_TEXT_LENGTH
from srm_package.markup import link_targets, walk_inline
from srm_package.rich_text import PARSER as TEXT_PARSER
from srm_package.rich_text import image_alt, is_decorative, use_rich_syntax
from srm_package.sources.attribution import read_citation, read_credits
from srm_package.sources.media import ImageFinder
from srm_package.sources.rich_check import TextChecker, check_formula
from srm_package.sources.text_rules import (
    character_problem,
    file_link_problem,
    forbidden_character,
    length_problem,
    raw_html_warning,
)
from srm_package.sources.yamlfields import Located, Problems, compose, did_you_mean, invalid_id

CALLOUT_TITLES = model.CALLOUT_TITLES
COMPARISON = "comparison"

_FRONT_MATTER_FIELDS = ("id", "number", "title", "subtitle", "citation", "credits")


def _lesson_parser() -> MarkdownIt:
    # html enabled only so raw HTML is *seen* and reported; it is stored as text and
    # every renderer escapes it.
    return use_rich_syntax(
        MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .use(front_matter_plugin)
        .use(deflist_plugin)
        .use(container_plugin, "callout", validate=lambda params, *args: True)
    )


_PARSER = _lesson_parser()
# The model keeps inline Markdown as its source text, so a lesson body is parsed into
# blocks only: the inline rules (a third of the parse, and most of the syntax tree) run
# just on the few runs that could hold what ``check`` reports, raw HTML or an image.
_BLOCKS_ONLY = _lesson_parser().disable("inline")
# A lesson read for its front matter alone: every other block rule off, so the body
# passes as plain paragraphs, about eight times faster than parsing its blocks.
_FRONT_MATTER_ONLY = _lesson_parser().disable("inline")
_FRONT_MATTER_ONLY.disable([rule for rule in _FRONT_MATTER_ONLY.get_active_rules()["block"]
                            if rule not in ("front_matter", "paragraph")])


@dataclass(frozen=True)
class LessonSource:
    """A lesson as read from its file, before its quiz is attached."""

    lesson: model.Lesson
    #: section id -> line of its heading, for messages about references; ``None`` when
    #: the body was not read
    section_lines: dict[str, int] | None


class _Node:
    """One node of a lesson's block tree: the parts of markdown-it's tokens the walker reads.

    markdown-it's own ``SyntaxTreeNode`` gives the same tree, but each node also
    links to its parent (a cycle for the garbage collector) and computes every field
    on access; building this one is about three times faster.
    """

    __slots__ = ("type", "tag", "map", "info", "attrs", "content", "children")

    def __init__(self, kind: str, token: Token):
        self.type = kind
        self.tag = token.tag
        self.map = token.map
        self.info = token.info
        self.attrs = token.attrs
        self.content = token.content
        self.children: list[_Node] = []


def _tree(tokens: list[Token]) -> list[_Node]:
    """The top-level nodes of the block tokens, each opening/closing pair made one node."""
    top: list[_Node] = []
    open_lists = [top]
    for token in tokens:
        if token.nesting == -1:
            open_lists.pop()
            continue
        kind = token.type.removesuffix("_open") if token.nesting == 1 else token.type
        node = _Node(kind, token)
        open_lists[-1].append(node)
        if token.nesting == 1:
            open_lists.append(node.children)
    return top


def read_lesson(text: str, file: str, problems: Problems, *, body: bool = True,
                images: ImageFinder | None = None) -> LessonSource | None:
    """Parse one lesson file; ``None`` (with problems recorded) if it cannot become a lesson.

    ``body=False`` reads the front matter only: the lesson has no intro and no sections,
    and nothing in its body is checked. ``images`` finds the files its images show
    (without it, an image is an error).
    """
    env: dict = {}  # collects link reference definitions, which inline images may use
    nodes = _tree(_BLOCKS_ONLY.parse(text, env)) if body else _front_matter_nodes(text)
    if not nodes or nodes[0].type != "front_matter":
        problems.error(file, 1, 1, "front matter",
                       "a lesson must start with front matter between two '---' lines "
                       "(id, number, title, subtitle)")
        return None
    meta = _read_front_matter(nodes[0], file, problems)
    if not body:
        return LessonSource(meta.lesson((), ()), None) if meta is not None else None
    body_line = nodes[0].map[1] if nodes[0].map else 0
    _check_characters(text, body_line, file, problems)
    # the lines as markdown-it counts them, for the ':::' lines that close boxes
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    walker = _BodyWalker(file, problems, env, TextChecker(file, images), lines)
    intro, sections = walker.sections(nodes[1:])
    if meta is None:
        return None
    if not sections:
        problems.error(file, nodes[0].map[1] + 1 if nodes[0].map else 1, 1, "body",
                       "the lesson has no '##' section")
    return LessonSource(meta.lesson(intro, tuple(sections), walker.texts.refs), walker.section_lines)


def _front_matter_nodes(text: str) -> list[_Node]:
    """The nodes of a lesson read for its front matter alone: the front matter first.

    The front matter rule reads no further than the line that closes it, so the text up to
    the first line that could (``---`` or ``...``, with spaces around) gives the same front
    matter, and the body, most of the file, is not read at all. When that line did not
    close it after all (``---`` is too short after ``-----``), the whole text is read.
    """
    first_line_end = text.find("\n")
    closing = _MAY_CLOSE_FRONT_MATTER.search(text, first_line_end + 1) if first_line_end >= 0 else None
    if closing is not None:
        nodes = _tree(_FRONT_MATTER_ONLY.parse(text[: closing.end()]))
        if nodes and nodes[0].type == "front_matter":
            return nodes
    return _tree(_FRONT_MATTER_ONLY.parse(text))


#: a line that may close front matter: a superset of what the front matter rule takes
_MAY_CLOSE_FRONT_MATTER = re.compile(r"^[ \t]*(?:-{3,}|\.\.\.)[ \t\r]*$", re.MULTILINE)


def _check_characters(text: str, first_line: int, file: str, problems: Problems) -> None:
    """The body (from line ``first_line``, 0-based) holds no character a package cannot carry.
    The front matter needs no look: the YAML reader refuses such characters itself."""
    start = 0
    for _ in range(first_line):
        start = text.find("\n", start) + 1
        if not start:
            return
    found = forbidden_character(text, start)
    if found:
        line_start = text.rfind("\n", 0, found.start()) + 1
        problems.error(file, text.count("\n", 0, found.start()) + 1, found.start() - line_start + 1, "text",
                       character_problem(found.group()))


@dataclass(frozen=True)
class _FrontMatter:
    id: str
    number: int
    title: str
    subtitle: str
    citation: model.Citation | None
    credits: tuple[str, ...]

    def lesson(self, intro: tuple[model.Block, ...], sections: tuple[model.Section, ...],
               images: tuple[model.ImageRef, ...] = ()) -> model.Lesson:
        return model.Lesson(self.id, self.number, self.title, self.subtitle, intro, sections,
                            images=images, citation=self.citation, credits=self.credits)


def _read_front_matter(node: _Node, file: str, problems: Problems) -> _FrontMatter | None:
    # the front matter's text starts on the line after the opening '---'
    root = compose(node.content, file, problems, line_offset=1, what="the front matter")
    if root is None:
        return None
    fields = Located(root, file, "", problems, line_offset=1).as_mapping(_FRONT_MATTER_FIELDS)
    if fields is None:
        return None
    lesson_id = fields.read("id", Located.identifier, required=True)
    number = fields.read("number", lambda v: v.integer(minimum=1), required=True)
    title = fields.read("title", Located.text, required=True)
    subtitle = fields.read("subtitle", Located.markdown) if fields.get("subtitle") else ""
    citation = read_citation(fields.get("citation"))
    credits = read_credits(fields.get("credits"))
    if lesson_id is None or number is None or title is None or subtitle is None or credits is None:
        return None
    if fields.get("citation") is not None and citation is None:
        return None
    return _FrontMatter(lesson_id, number, title, subtitle, citation, credits)


def slugify(text: str) -> str:
    """An id from heading text: ASCII lowercase words joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c.lower() if c.isalnum() else " " for c in ascii_text).split()
    slug = "-".join(words)[:64].strip("-")
    if not slug or not slug[0].isalpha():
        slug = f"section-{slug}" if slug else "section"
    return slug


def split_heading_id(content: str) -> tuple[str, str | None]:
    """``'Title {#some-id}'`` -> ``('Title', 'some-id')``; other headings keep no id."""
    stripped = content.rstrip()
    start = stripped.rfind("{#")
    if start < 0 or not stripped.endswith("}"):
        return stripped, None
    return stripped[:start].rstrip(), stripped[start + 2 : -1].strip()


class _BodyWalker:
    """Turns the body's syntax tree into blocks and sections, reporting as it goes."""

    def __init__(self, file: str, problems: Problems, env: dict, texts: TextChecker, lines: list[str]):
        self.file = file
        self.problems = problems
        self.env = env
        self.texts = texts
        self.lines = lines
        self.section_lines: dict[str, int] = {}
        self.heading_ids: set[str] = set()
        #: derived id -> the counter to try next for it, so that thousands of equal headings
        #: do not each count up from 2 again
        self.next_counter: dict[str, int] = {}

    def error(self, node: _Node, field: str, message: str) -> None:
        self.problems.error(self.file, _line(node), 1, field, message)

    def warning(self, node: _Node, field: str, message: str) -> None:
        self.problems.warning(self.file, _line(node), 1, field, message)

    # ------------------------------------------------------------ sections
    def sections(self, nodes: list[_Node]) -> tuple[tuple[model.Block, ...], list[model.Section]]:
        intro: list[model.Block] = []
        sections: list[model.Section] = []
        current: tuple[str, str, list[model.Block]] | None = None
        for node in self._unboxed(nodes):
            if node.type == "heading" and node.tag == "h2":
                if current:
                    sections.append(model.Section(current[0], current[1], tuple(current[2])))
                title, section_id = self._heading(node)
                current = (section_id, title, [])
                self.section_lines[section_id] = _line(node)
                continue
            block = self.block(node)
            if block is not None:
                (current[2] if current else intro).append(block)
        if current:
            sections.append(model.Section(current[0], current[1], tuple(current[2])))
        return tuple(intro), sections

    def _heading(self, node: _Node) -> tuple[str, str]:
        content = _inline(node)
        title, explicit = split_heading_id(content)
        self._check_inline(node)
        if explicit is not None and (problem := invalid_id(explicit)):
            self.error(node, "heading id", problem)
            explicit = None
        heading_id = explicit or slugify(title)
        if heading_id in self.heading_ids:
            if explicit:
                self.error(node, "heading id", f"duplicate id {heading_id!r} in this lesson")
            else:  # derived ids of repeated headings get a counter, like most site generators
                n = self.next_counter.get(heading_id, 2)  # every lower one is taken
                while f"{heading_id}-{n}" in self.heading_ids:
                    n += 1
                self.next_counter[heading_id] = n + 1
                heading_id = f"{heading_id}-{n}"
        self.heading_ids.add(heading_id)
        if not title:
            self.error(node, "heading", "the heading has no text")
        return title, heading_id

    # -------------------------------------------------------------- blocks
    def blocks(self, nodes: list[_Node]) -> tuple[model.Block, ...]:
        return tuple(b for b in (self.block(n) for n in self._unboxed(nodes)) if b is not None)

    # ------------------------------------------------------- unclosed boxes
    def _unboxed(self, nodes: list[_Node]) -> Iterator[_Node]:
        """``nodes``, with every ':::' box that was never closed reported at the line that
        opened it and read as if closed before its first '##' heading.

        markdown-it closes such a box at the end of the document (or of the list or quote
        around it), or at the next ':::' line of its own, which belonged to a later box: the
        box swallows the sections after it, and each of its '##' headings would be reported
        instead, with advice that does not fit. Reading the sections after it in place keeps
        them, so the quiz's references to them still resolve, and names the one mistake.
        """
        for node in nodes:
            if node.type != "container_callout" or self._closed(node):
                yield node
                continue
            split = next((i for i, child in enumerate(node.children) if child.type == "heading" and child.tag == "h2"),
                         len(node.children))
            before = f" before the '##' heading at line {_line(node.children[split])}" if split < len(node.children) else ""
            self.error(node, "call-out", f"this ':::' box is not closed: end it with a ':::' line{before}")
            box = copy.copy(node)  # read as closed where the author surely meant it to be
            box.children = node.children[:split]
            yield box
            yield from self._unboxed(node.children[split:])

    def _closed(self, box: _Node) -> bool:
        """Whether ``box`` ends at a ':::' line of its own."""
        if not box.map:  # markdown-it maps every box: nothing to tell otherwise
            return True
        end = box.map[1]
        opening = self.lines[box.map[0]].strip()
        if end >= len(self.lines) or not _is_closing_fence(self.lines[end], len(opening) - len(opening.lstrip(":"))):
            return False
        # a box inside that ends on the same line lost its closing line to this one
        return not any(inner.map and inner.map[1] == end for inner in _boxes_within(box))

    def block(self, node: _Node) -> model.Block | None:
        kind = node.type
        if kind == "paragraph":
            self._check_inline(node)
            return _figure(_inline(node)) or model.Paragraph(_inline(node))
        if kind == "math_block":
            tex = node.content.strip()
            check_formula(tex, lambda severity, field, message: self.error(node, field, message), display=True)
            return model.MathBlock(tex)
        if kind == "heading":
            if node.tag == "h1":
                self.error(node, "heading", "'#' headings are not allowed in the body: the lesson "
                           "title comes from the front matter; use '##' for sections")
                return None
            if node.tag == "h2":  # not at the top level, where ``sections`` takes them
                self.error(node, "heading", "a '##' heading starts a section, so it cannot stand inside "
                           "a list, quote or ':::' block; use '###'")
                return None
            title, heading_id = self._heading(node)
            return model.Heading(int(node.tag[1]), title, heading_id)
        if kind in ("bullet_list", "ordered_list"):
            items = tuple(self.blocks(item.children) for item in node.children)
            start = int(node.attrs.get("start", 1)) if kind == "ordered_list" else 1
            return model.ListBlock(kind == "ordered_list", items, start)
        if kind == "table":
            return self._table(node)
        if kind in ("fence", "code_block"):
            language = (node.info or "").strip().split(" ")[0]
            if language and not knows(language):
                self.warning(node, "code", f"unknown code language {language!r}: the code is shown without "
                             "highlighting (see Pygments' list of languages, e.g. python, javascript, yaml)")
            return model.CodeBlock(node.content, language)
        if kind == "blockquote":
            return model.Quote(self.blocks(node.children))
        if kind == "hr":
            return model.Rule()
        if kind == "container_callout":
            return self._callout(node)
        if kind == "html_block":
            if problem := length_problem(node.content.strip()):
                self.error(node, "text", problem)
                return None
            self.warning(node, "html", "raw HTML is not interpreted; it is shown as text")
            return model.Paragraph(_escape_markdown(node.content.strip()))
        if kind == "dl":
            self.error(node, "definition list", "definition lists are only allowed inside a "
                       "'::: comparison' block")
            return None
        self.error(node, kind, f"unsupported Markdown element {kind!r}")
        return None

    def _table(self, node: _Node) -> model.Table:
        header: tuple[str, ...] = ()
        rows: list[tuple[str, ...]] = []
        align: tuple[str, ...] = ()
        for part in node.children:
            for row in part.children:
                cells = tuple(_inline(cell) for cell in row.children)
                for cell in row.children:
                    self._check_inline(cell, fallback=row)
                if part.type == "thead":
                    header = cells
                    align = tuple(_alignment(cell) for cell in row.children)
                else:
                    rows.append(cells)
        return model.Table(header, tuple(rows), align)

    def _callout(self, node: _Node) -> model.Block | None:
        info = (node.info or "").strip()
        kind, _, title = info.partition(" ")
        title = title.strip()
        if kind == COMPARISON:
            return self._comparison(node, title)
        if kind not in CALLOUT_TITLES:
            known = ", ".join([*CALLOUT_TITLES, COMPARISON])
            hint = did_you_mean(kind, [*CALLOUT_TITLES, COMPARISON])
            what = f"unknown call-out kind {kind!r}" if kind else "a ':::' block needs a kind"
            self.error(node, "call-out", f"{what}{hint}; known kinds: {known}")
            return None
        self._check_text(node, title)
        # no title: the page names the kind in the course's language (i18n.callout_title)
        return model.Callout(kind, title, self.blocks(node.children))

    def _comparison(self, node: _Node, title: str) -> model.Comparison | None:
        lists = [child for child in node.children if child.type == "dl"]
        others = [child for child in node.children if child.type != "dl"]
        if len(lists) != 1 or others:
            self.error(node, "comparison", "a comparison holds one definition list: each term "
                       "('AWS is responsible for') on its own line, its text on the next line "
                       "after ': '")
            return None
        columns: list[model.ComparisonColumn] = []
        for child in lists[0].children:
            if child.type == "dt":
                self._check_text(child if child.map else node, _inline(child))
                columns.append(model.ComparisonColumn(_inline(child), ()))
            elif columns:
                last = columns[-1]
                columns[-1] = model.ComparisonColumn(last.heading, last.blocks + self.blocks(child.children))
        if len(columns) < 2:
            self.error(node, "comparison", f"a comparison needs at least two columns; found {len(columns)}")
            return None
        self._check_text(node, title)
        return model.Comparison(tuple(columns), title)

    def _check_text(self, node: _Node, text: str) -> bool:
        """One text of the body (a paragraph, heading, table cell, term or box title), checked
        as a quiz's texts are: its length, images, formulas, links to files; ``False`` when it
        is too long to be read any further."""
        if len(text) > MAX_TEXT_LENGTH:
            self.error(node, "text", length_problem(text))
            return False  # not parsed: that is the work the limit bounds

        def report(severity: str, field: str, message: str) -> None:
            (self.error if severity == "error" else self.warning)(node, field, message)

        self.texts.check(text, report)
        if "](" not in text:  # an inline link needs it
            return True
        links = link_targets(text)
        problems = [file_link_problem(href) for href in links]
        if any(problems):
            for problem, offset in zip(problems, _link_line_offsets(text, links), strict=True):
                if problem:
                    self.problems.error(self.file, _line(node) + offset, 1, "link", problem)
        return True

    def _check_inline(self, node: _Node, fallback: _Node | None = None) -> None:
        where = node if node.map else (fallback or node)
        content = _inline(node)
        if not self._check_text(where, content):
            return
        if "<" not in content and not ("![" in content and self.env.get("references")):
            return  # raw HTML starts with '<'; a reference image needs a reference: nothing to report
        for child in walk_inline(_PARSER.parseInline(content, self.env)):
            if child.type == "html_inline":
                self.warning(where, "html", raw_html_warning(child.content))
            elif child.type == "image" and not any(t.type == "image" for t in walk_inline(
                    TEXT_PARSER.parseInline(content))):
                # texts are rendered on their own, where the reference definitions are unknown
                self.error(where, "image", "reference-style images ![alt][name] are not supported; "
                           "write ![alt](path)")


def _figure(content: str) -> model.Figure | None:
    """A paragraph that is one image with a title becomes a figure, the title its caption."""
    if "![" not in content:
        return None
    children = TEXT_PARSER.parseInline(content)[0].children or []
    if len(children) != 1 or children[0].type != "image" or not children[0].attrs.get("title"):
        return None
    image = children[0]
    alt = "" if is_decorative(image) else image_alt(image)
    return model.Figure(str(image.attrs["src"]), alt, str(image.attrs["title"]))


def _link_line_offsets(content: str, hrefs: list[str]) -> list[int]:
    """For each link address in ``hrefs`` (in order, as rendered), the line of ``content`` that
    writes it, counted from 0: each '](' in turn is read as the link rule reads it. 0 where it
    cannot be told (then the text's first line is the place to look)."""
    offsets = [0] * len(hrefs)
    matched = 0
    opening = content.find("](")
    while opening >= 0 and matched < len(hrefs):
        start = opening + 2
        while start < len(content) and content[start] in " \t\n":
            start += 1
        destination = parseLinkDestination(content, start, len(content))
        if destination.ok and _PARSER.normalizeLink(destination.str) == hrefs[matched]:
            offsets[matched] = content.count("\n", 0, opening)
            matched += 1
        opening = content.find("](", opening + 2)
    return offsets


def _is_closing_fence(line: str, opening_colons: int) -> bool:
    stripped = line.strip()
    return len(stripped) >= opening_colons and not stripped.strip(":")


def _boxes_within(node: _Node) -> Iterator[_Node]:
    for child in node.children:
        if child.type == "container_callout":
            yield child
        yield from _boxes_within(child)


def _inline(node: _Node) -> str:
    """The Markdown source of a node's inline content."""
    for child in node.children:
        if child.type == "inline":
            return child.content.strip()
    return ""


def _line(node: _Node) -> int:
    return node.map[0] + 1 if node.map else 0


def _alignment(cell: _Node) -> str:
    style = str(cell.attrs.get("style", ""))
    return style.removeprefix("text-align:") if style.startswith("text-align:") else ""


def _escape_markdown(text: str) -> str:
    """Raw HTML kept as literal text: backslash-escape what Markdown would interpret."""
    return "".join(f"\\{c}" if c in "\\`*_{}[]()#+-.!<>|&~" else c for c in text)
