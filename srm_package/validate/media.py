"""Images that QTI items and Moodle XML texts show must be in the package (pages: ``html_pages``).

* **QTI** (``mattext`` HTML and ``matimage``): a reference resolves relative to the QTI
  file, or as Canvas resolves it: ``$IMS-CC-FILEBASE$/<path>`` (also URL-encoded, as
  text2qti writes it) and plain paths match a package file whose path is the same or
  ends with it (Canvas's importer, lms-targets 2.1; docs/targets.md).
* **Moodle XML**: ``@@PLUGINFILE@@/<name>`` must be one of the ``<file name=...>`` that
  the same text element carries; any other local path reaches nothing once imported.

Pictures loaded from the network are not this check's business (offline pages are
``html_pages``'s); ``data:`` URIs carry their image inside.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from urllib.parse import unquote

from lxml import etree, html

from srm_package.validate.context import PackageCheck
from srm_package.validate.findings import CHECKS, E
from srm_package.validate.links import Target, folder_of, resolve
from srm_package.validate.safe_xml import child, children, descendants, local_name, text_of

CHECKS.update({
    "media.qti-image": (E, "every image a QTI item shows is a file in the package"),
    "media.moodle-image": (E, "every image a Moodle XML text shows is embedded beside it as <file>"),
})

_FILEBASE = re.compile(r"^(?:\$|%24)IMS[-_]CC[-_]FILEBASE(?:\$|%24)/?", re.IGNORECASE)
_PLUGINFILE = "@@PLUGINFILE@@/"
_QTI_SUFFIXES = (".xml", ".qti")


def check_package_images(ctx: PackageCheck) -> None:
    """Every QTI document of a package: its items' images are package files.

    The kind's checks have parsed most QTI documents already and noted their images
    (``note_qti_images``): those are not parsed again, nor is any document whose root
    was seen not to be ``questestinterop``.
    """
    for member in ctx.names:
        if not member.lower().endswith(_QTI_SUFFIXES):
            continue
        references = ctx.qti_images.pop(member, None)
        if references is None and ctx.root_name(member) in (None, "questestinterop"):
            tree = ctx.xml(member)
            if tree is not None and local_name(tree.getroot()) == "questestinterop":
                references = list(_qti_references(tree.getroot()))
        if references is not None:
            _check_qti_images(ctx, member, references)


def note_qti_images(ctx: PackageCheck, member: str | None, tree: etree._ElementTree) -> None:
    """Keep the images a QTI document shows while its tree is at hand, for ``check_package_images``."""
    if member is not None:
        ctx.qti_images[member] = list(_qti_references(tree.getroot()))


def _check_qti_images(ctx: PackageCheck, member: str, references: list[tuple[int | None, str]]) -> None:
    ctx.ran("media.qti-image")
    folder = folder_of(member)
    for line, reference in references:
        if not _qti_resolves(ctx, reference, folder):
            ctx.report("media.qti-image", f"an item shows the image {reference!r}, which is not a file in the "
                                          "package; Canvas and Moodle show a broken image", member, line)


def check_moodle_images(ctx: PackageCheck, member: str | None, tree: etree._ElementTree) -> None:
    """Every text element of a Moodle XML file: its ``@@PLUGINFILE@@`` images travel with it."""
    ctx.ran("media.moodle-image")
    for holder in tree.getroot().iter():
        if not isinstance(holder.tag, str):
            continue
        text = child(holder, "text")
        if text is None or "<" not in text_of(text):
            continue
        embedded = {file.get("name", "") for file in children(holder, "file")}
        for reference in _html_images(text_of(text)):
            problem = _moodle_problem(reference, embedded)
            if problem:
                ctx.report("media.moodle-image", f"<{local_name(holder)}> shows {reference!r}: {problem}", member,
                           text.sourceline)


def _moodle_problem(reference: str, embedded: set[str]) -> str | None:
    if reference.startswith(_PLUGINFILE):
        name = unquote(reference[len(_PLUGINFILE):]).split("?")[0]
        return None if name in embedded else f"no <file name={name!r}> in that element"
    target = resolve(reference, "").target
    if target in (Target.NETWORK, Target.NONE):
        return None
    return "Moodle finds no file there; embed it as <file> and refer to @@PLUGINFILE@@/name"


def _qti_references(root: etree._Element) -> Iterator[tuple[int | None, str]]:
    for mattext in descendants(root, "mattext"):
        content = text_of(mattext)
        if "<" in content:
            for reference in _html_images(content):
                yield mattext.sourceline, reference
    for image in descendants(root, "matimage"):
        if image.get("uri"):
            yield image.sourceline, image.get("uri", "")


def _html_images(content: str) -> Iterator[str]:
    try:
        fragments = html.fragments_fromstring(content, parser=html.HTMLParser(no_network=True))
    except (etree.ParserError, ValueError):
        return
    for fragment in fragments:
        if not isinstance(fragment, etree._Element):
            continue
        for image in fragment.iter("img"):
            if image.get("src"):
                yield image.get("src", "").strip()


def _qti_resolves(ctx: PackageCheck, reference: str, folder: str) -> bool:
    token = _FILEBASE.match(reference)
    if token:
        rest = unquote(reference[token.end():])
        return any(_has(ctx, candidate) for candidate in (f"web_resources/{rest}", posixpath.join(folder, rest), rest)) \
            or _ends_with(ctx, rest)
    resolved = resolve(reference, folder)
    if resolved.target is not Target.LOCAL:
        return True  # network, data: or nothing: not a package file to look for
    return _has(ctx, resolved.member) or _has(ctx, unquote(reference)) or _ends_with(ctx, unquote(reference))


def _has(ctx: PackageCheck, name: str) -> bool:
    return ctx.has(posixpath.normpath(name))


def _ends_with(ctx: PackageCheck, path: str) -> bool:
    """Canvas's last resort: a package file whose path ends with ``path``."""
    path = path.lstrip("./")
    return bool(path) and any(name == path or name.endswith("/" + path) for name in ctx.names)
