"""HTML pages and stylesheets: they parse, their local links resolve, and they load nothing remote.

A package must work offline inside the LMS's iframe, so a script, stylesheet, image
or font fetched from the network is an error; a plain ``<a href="https://...">`` is
only a link and is allowed. CSS (files, ``<style>`` and ``style=``) is read with
tinycss2 for ``url()`` and ``@import``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import tinycss2
from lxml import etree, html

from srm_package.validate.context import PackageCheck
from srm_package.validate.links import Target, folder_of, resolve

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
CSS_SUFFIX = ".css"
_CHECKS = ("html.encoding", "html.parse", "html.network-url", "html.link-outside", "html.broken-link",
           "html.lms-token")
#: (tag, attribute) that load something into the page
_ASSET_ATTRIBUTES = (
    ("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
    ("video", "src"), ("video", "poster"), ("audio", "src"), ("track", "src"), ("embed", "src"),
    ("object", "data"), ("iframe", "src"), ("input", "src"), ("image", "href"),
)
#: link relations that load something (others, like "canonical", only point)
_LOADING_RELS = frozenset({"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest",
                           "apple-touch-icon", "mask-icon"})
_NAVIGATION_ATTRIBUTES = (("a", "href"), ("area", "href"))
#: every tag the checks read, found in one walk of a page
_TAGS = tuple(dict.fromkeys(tag for tag, _ in _ASSET_ATTRIBUTES + _NAVIGATION_ATTRIBUTES)) + ("link", "style")
#: every style attribute, in document order (each knows its element); twice as fast as //*[@style]
_STYLE_ATTRIBUTES = etree.XPath("//@style")
_BOM = b"\xef\xbb\xbf"
#: CSS up to this many characters has its references remembered (style attributes repeat on every page)
_REMEMBERED_CSS = 2048


def is_page(member: str) -> bool:
    return member.lower().endswith(HTML_SUFFIXES)


def check_pages(ctx: PackageCheck) -> None:
    """Every page and stylesheet of the package, one at a time."""
    members = [m for m in ctx.names if is_page(m) or m.lower().endswith(CSS_SUFFIX)]
    if not members:
        return
    ctx.ran(*_CHECKS)
    for member in members:
        if is_page(member):
            _check_page(ctx, member)
            continue
        data = ctx.read(member)
        if data is not None:
            _check_css(ctx, member, _decode(ctx, member, data), 1, folder_of(member))


def _decode(ctx: PackageCheck, member: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        ctx.report("html.encoding", f"not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})",
                   member, line)
        return data.decode("utf-8", "replace")


def _page_bytes(ctx: PackageCheck, member: str, data: bytes) -> bytes | None:
    """The page as UTF-8 without a byte-order mark, for the parser; ``None`` if it is blank."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decode(ctx, member, data)  # reports it
        return text.encode("utf-8") if text.strip() else None
    if not text.strip():
        return None
    # valid UTF-8 encodes back to the same bytes: no second copy of a large page
    return data[len(_BOM):] if data.startswith(_BOM) else data


def _check_page(ctx: PackageCheck, member: str) -> None:
    data = ctx.read(member)
    if data is None:
        return
    page = _page_bytes(ctx, member, data)
    del data  # only ``page`` (often the same bytes) is held while the tree is built
    if page is None:
        ctx.report("html.parse", "the page is empty", member)
        return
    try:
        # bytes with the encoding fixed: lxml refuses a str holding an XML declaration (XHTML pages);
        # no id index: nothing here looks elements up by id, and it costs memory and time
        document = html.document_fromstring(page, parser=html.HTMLParser(no_network=True, encoding="utf-8",
                                                                          collect_ids=False))
    except etree.ParserError as error:
        ctx.report("html.parse", f"does not parse as HTML: {error}", member)
        return
    del page  # the tree is all that is needed now
    base = folder_of(member)
    found = _elements_by_tag(document)
    for element, attribute_name, reference in _references(found, _ASSET_ATTRIBUTES, loading_links=True):
        _check_reference(ctx, member, element.sourceline, f"<{element.tag} {attribute_name}>", reference, base,
                         network_allowed=False)
    for element, attribute_name, reference in _references(found, _NAVIGATION_ATTRIBUTES):
        _check_reference(ctx, member, element.sourceline, f"<{element.tag} {attribute_name}>", reference, base,
                         network_allowed=True)
    for style in found["style"]:
        _check_css(ctx, member, style.text or "", style.sourceline or 1, base)
    for element in (style.getparent() for style in _STYLE_ATTRIBUTES(document)):
        _check_css(ctx, member, element.get("style", ""), element.sourceline or 1, base, declarations=True)


def _elements_by_tag(document: html.HtmlElement) -> dict[str, list[etree._Element]]:
    """The elements of every tag the checks look at, each list in document order (one walk of the tree)."""
    found: dict[str, list[etree._Element]] = {tag: [] for tag in _TAGS}
    for element in document.iter(*_TAGS):
        found[element.tag].append(element)
    return found


def _references(found: dict[str, list[etree._Element]], pairs: tuple[tuple[str, str], ...],
                loading_links: bool = False) -> Iterator[tuple[etree._Element, str, str]]:
    for tag, attribute_name in pairs:
        for element in found[tag]:
            value = element.get(attribute_name)
            if value is None:
                continue
            if attribute_name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        yield element, attribute_name, candidate.split()[0]
            else:
                yield element, attribute_name, value
    if loading_links:
        for element in found["link"]:
            rels = set((element.get("rel") or "").lower().split())
            if rels & _LOADING_RELS and element.get("href") is not None:
                yield element, "href", element.get("href")


def _check_reference(ctx: PackageCheck, member: str, line: int | None, where: str, reference: str, base: str,
                     *, network_allowed: bool) -> None:
    if reference.strip().startswith("$"):
        _check_lms_token(ctx, member, line, where, reference.strip())
        return
    resolved = resolve(reference, base)
    if resolved.target is Target.NETWORK and not network_allowed:
        ctx.report("html.network-url", f"{where} loads {reference!r} from the network; the package must "
                                       "work offline: ship the file inside it", member, line)
    elif resolved.target is Target.OUTSIDE:
        ctx.report("html.link-outside", f"{where} {reference!r} points outside the package", member, line)
    elif resolved.target is Target.LOCAL and not ctx.has(resolved.member):
        ctx.report("html.broken-link", f"{where} {reference!r}: {resolved.member} is not in the package",
                   member, line)


def _check_lms_token(ctx: PackageCheck, member: str, line: int | None, where: str, reference: str) -> None:
    """``$IMS-CC-FILEBASE$/x`` (a cartridge's web resources) and Canvas's ``$WIKI_REFERENCE$``-style links.

    The file base is resolved like Canvas does (``web_resources/``, else the root); other
    tokens are links the LMS rewrites and are not checked.
    """
    token, _, rest = reference[1:].partition("$")
    if token.replace("-", "_").upper() != "IMS_CC_FILEBASE":
        return
    ctx.report("html.lms-token", f"{where} {reference!r} uses $IMS-CC-FILEBASE$, which older Moodle versions "
                                 "do not resolve; use a relative path", member, line)
    candidates = [resolve(rest.lstrip("/"), folder) for folder in ("web_resources", "")]
    if not any(c.target is Target.LOCAL and ctx.has(c.member) for c in candidates):
        ctx.report("html.broken-link", f"{where} {reference!r}: no such file in web_resources/ or the package",
                   member, line)


def _check_css(ctx: PackageCheck, member: str, css: str, first_line: int, base: str,
               declarations: bool = False) -> None:
    found = _remembered_css_references if len(css) <= _REMEMBERED_CSS else _css_references
    for line, url in found(css, declarations):
        _check_reference(ctx, member, first_line + line - 1, "CSS url()", url, base, network_allowed=False)


def _css_references(css: str, declarations: bool) -> tuple[tuple[int, str], ...]:
    """(line, url) of every reference in ``css`` (a style attribute's declarations, or a stylesheet).

    CSS without a backslash names a URL only by the letters 'url' or 'import' (an escape can
    spell them otherwise); CSS without those is not tokenized at all, which is most style
    attributes of a portable page.
    """
    lowered = css.lower()
    if "\\" not in css and "url" not in lowered and "import" not in lowered:
        return ()
    if declarations:
        values = tinycss2.parse_blocks_contents(css, skip_comments=True, skip_whitespace=True)
    else:
        values = tinycss2.parse_component_value_list(css, skip_comments=True)
    return tuple(_css_urls(values))


#: the same short CSS (a table cell's style=, a call-out's) comes back thousands of times in a course
_remembered_css_references = functools.lru_cache(maxsize=1024)(_css_references)


def _css_urls(values: list) -> Iterator[tuple[int, str]]:
    """(line, url) of every ``url(...)`` and ``@import "..."`` in a token tree."""
    importing = False
    for value in values:
        kind = getattr(value, "type", "")
        if kind == "url":
            yield value.source_line, value.value
        elif kind == "function" and value.lower_name == "url":
            strings = [a for a in value.arguments if a.type == "string"]
            if strings:
                yield value.source_line, strings[0].value
        elif kind == "string" and importing:
            yield value.source_line, value.value
        if kind == "at-keyword":
            importing = value.lower_value == "import"
        elif kind not in ("whitespace", "comment"):
            importing = False
        for nested in ("content", "arguments", "prelude", "value"):
            inner = getattr(value, nested, None)
            if isinstance(inner, list):
                yield from _css_urls(inner)
