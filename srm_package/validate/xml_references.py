"""What an XML document points at outside itself: an external DTD, XIncludes, schema locations.

The validator follows none of them (its parser loads no DTD, processes no XInclude
and reads schemas only from ``--schemas``). Other parsers may: one that loads
external DTDs reads the DTD, and every entity it declares, when importing (the
classic XXE); one that processes XInclude pulls the named file into the document;
a validator that follows schema hints fetches ``xsi:schemaLocation``. No LMS package
needs a DTD or an XInclude, so both are errors. Schema locations are normal: IMS,
ADL and Canvas documents name their official schemas by URL (this project's packages
do too), and Moodle and Canvas never fetch them; a location on the reader's own disk
is an error, one on a host that publishes none of these standards a warning.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

from lxml import etree

from srm_package.validate.links import Target, resolve

XINCLUDE_NAMESPACES = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")
_XINCLUDES = tuple(f"{{{namespace}}}include" for namespace in XINCLUDE_NAMESPACES)
XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA_LOCATION = f"{{{XSI_NAMESPACE}}}schemaLocation"
_NO_NAMESPACE_LOCATION = f"{{{XSI_NAMESPACE}}}noNamespaceSchemaLocation"
_SCHEMA_HINTS = etree.XPath("//*[@xsi:schemaLocation or @xsi:noNamespaceSchemaLocation]",
                            namespaces={"xsi": XSI_NAMESPACE})
_ASCII_COMPATIBLE = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})
#: domains of the bodies that publish the schemas LMS packages use: IMS (1EdTech), ADL, IEEE LOM,
#: W3C and Canvas; a schema location on one of them (or a subdomain) is the standard's own
SCHEMA_PUBLISHERS = ("imsglobal.org", "1edtech.org", "adlnet.org", "adlnet.gov", "ieee.org", "w3.org",
                     "instructure.com")


class Place(str, Enum):
    """Where a reference would lead a parser that follows it."""

    PACKAGE = "package"  # a file inside the package
    DISK = "disk"  # a file on the machine that reads the package (file:, an absolute path, '..')
    NETWORK = "network"


@dataclass(frozen=True)
class Reference:
    check: str
    line: int | None
    message: str


def place_of(reference: str, base: str) -> Place:
    """Where ``reference``, written in a document in folder ``base`` of its package, leads."""
    try:
        if urlsplit(reference.strip()).scheme.lower() == "file":
            return Place.DISK
    except ValueError:  # not a URL at all: ``resolve`` calls it outside the package
        pass
    target = resolve(reference, base).target
    if target is Target.NETWORK:
        return Place.NETWORK
    return Place.DISK if target is Target.OUTSIDE else Place.PACKAGE


_WHERE = {
    Place.DISK: "a file on the machine that reads the package",
    Place.NETWORK: "a resource on the network",
    Place.PACKAGE: "a file of the package",
}


def references(tree: etree._ElementTree, data: bytes, member: str | None) -> list[Reference]:
    """Every external DTD, XInclude and reportable schema location of a parsed document."""
    base = posixpath.dirname(member or "")
    found = []
    dtd = tree.docinfo.system_url
    if dtd:
        start = data.find(b"<!DOCTYPE")
        line = data.count(b"\n", 0, start) + 1 if start >= 0 else 1
        found.append(Reference(
            "xml.external-dtd", line,
            f"declares the external DTD {dtd!r}, {_WHERE[place_of(dtd, base)]}: a parser that loads external DTDs "
            "would read it, and every entity it declares, when importing (an XXE attack); LMS packages need no "
            "DTD: remove the DOCTYPE"))
    root = tree.getroot()
    for element in root.iter(*_XINCLUDES):
        href = element.get("href", "")
        where = _WHERE[place_of(href, base)] if href.strip() else "the document itself"
        found.append(Reference(
            "xml.xinclude", element.sourceline,
            f"<xi:include href={href!r}> names {where}: a parser that processes XInclude would pull it into the "
            "document when importing; Moodle and Canvas do not, so its content would be missing: write it out"))
    for element in _hinting_elements(tree, data):
        for location in _schema_locations(element):
            found += _schema_location_problems(element, location, base)
    return found


def _hinting_elements(tree: etree._ElementTree, data: bytes) -> list[etree._Element]:
    """The elements with an ``xsi:schemaLocation`` or ``xsi:noNamespaceSchemaLocation``.

    Nearly always only the root has one. Searching every element costs a quarter of
    parsing a large document, so when the bytes name the attribute no more often than
    the root's own attributes do, nothing else can (a name is never escaped, and in an
    ASCII-compatible encoding it appears as those bytes): then only the root is looked at.
    """
    root = tree.getroot()
    on_root = sum(1 for name in (_SCHEMA_LOCATION, _NO_NAMESPACE_LOCATION) if root.get(name) is not None)
    ascii_compatible = (tree.docinfo.encoding or "").lower() in _ASCII_COMPATIBLE
    if ascii_compatible and data.count(b"chemaLocation") <= on_root:
        return [root] if on_root else []
    return _SCHEMA_HINTS(root)


def _schema_locations(element: etree._Element) -> Iterator[str]:
    pairs = element.get(_SCHEMA_LOCATION, "").split()
    yield from pairs[1::2]  # namespace, location, namespace, location...
    single = element.get(_NO_NAMESPACE_LOCATION, "").strip()
    if single:
        yield single


def _schema_location_problems(element: etree._Element, location: str, base: str) -> list[Reference]:
    place = place_of(location, base)
    if place is Place.DISK:
        return [Reference("xml.schema-location", element.sourceline,
                          f"xsi:schemaLocation names {location!r}, {_WHERE[place]}: a validator that follows "
                          "schema hints would read it when importing; name the standard's schema by its URL or "
                          "a file inside the package")]
    host = (urlsplit(location.strip()).hostname or "").lower() if place is Place.NETWORK else ""
    if place is Place.NETWORK and not any(host == d or host.endswith(f".{d}") for d in SCHEMA_PUBLISHERS):
        return [Reference("xml.schema-remote", element.sourceline,
                          f"xsi:schemaLocation names {location!r}, on {host or 'a host'} that publishes none of "
                          "the standards' schemas (IMS, ADL, IEEE, W3C, Canvas): srm-package, Moodle and Canvas "
                          "never fetch it, but a validator that follows schema hints would request it when "
                          "importing")]
    return []
