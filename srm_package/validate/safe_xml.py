"""Parsing untrusted XML: no entity expansion, no DTD loading, no network, bounded trees.

The parser never resolves an entity, so an XXE or an entity-expansion ("billion
laughs") document is only *read*; the document is then refused because it declares
entities at all: no package the project cares about needs them.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

#: a fresh parser per document: lxml parsers keep state and are not thread-safe
_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": False,
}
_UTF8_NAMES = frozenset({"utf-8", "utf8"})


@dataclass(frozen=True)
class XmlProblem:
    check: str
    line: int | None
    message: str


@dataclass(frozen=True)
class ParsedXml:
    """A parsed document, or the reasons it was refused (``tree`` is then ``None``)."""

    tree: etree._ElementTree | None
    problems: tuple[XmlProblem, ...]


def make_parser() -> etree.XMLParser:
    return etree.XMLParser(**_PARSER_OPTIONS)


def parse_xml(data: bytes) -> ParsedXml:
    """Parse ``data`` safely; encoding, well-formedness and entity declarations are checked."""
    problems: list[XmlProblem] = []
    encoding_problem = _utf8_problem(data)
    if encoding_problem:
        problems.append(encoding_problem)
    try:
        root = etree.fromstring(data, make_parser())
    except etree.XMLSyntaxError as error:
        if b"<!ENTITY" in data:
            # libxml2 refuses some entity bombs outright (amplification limit); name the real cause
            problems.append(XmlProblem("xml.entity-expansion", error.lineno or None,
                                       f"declares entities and the parser refused it ({error.msg}): "
                                       "an entity-expansion bomb; refused"))
        elif not encoding_problem:  # an undecodable byte is already reported, with its line
            line = error.lineno or None
            problems.append(XmlProblem("xml.malformed", line, f"not well-formed XML: {error.msg}"))
        return ParsedXml(None, tuple(problems))
    tree = root.getroottree()
    entity_problems = _entity_problems(tree)
    if entity_problems:
        return ParsedXml(None, tuple(problems + entity_problems))
    declared = (tree.docinfo.encoding or "UTF-8").lower()
    if not encoding_problem and declared not in _UTF8_NAMES:
        problems.append(XmlProblem("xml.encoding", 1, f"declares encoding {tree.docinfo.encoding}; "
                                                      "LMS importers expect UTF-8"))
    return ParsedXml(tree, tuple(problems))


def _utf8_problem(data: bytes) -> XmlProblem | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return XmlProblem("xml.encoding", line,
                          f"byte 0x{data[error.start]:02x} at offset {error.start} is not UTF-8; "
                          "LMS importers expect UTF-8")
    return None


def _entity_problems(tree: etree._ElementTree) -> list[XmlProblem]:
    dtd = tree.docinfo.internalDTD
    if dtd is None:
        return []
    problems = []
    for entity in dtd.iterentities():
        if entity.system_url:
            problems.append(XmlProblem(
                "xml.xxe", 1, f"declares the external entity {entity.name!r} ({entity.system_url}): "
                              "an XXE attack on whoever parses it; refused"))
        else:
            problems.append(XmlProblem(
                "xml.entity-expansion", 1, f"declares the entity {entity.name!r}; entity declarations "
                                           "can expand without bound (billion laughs); refused"))
    return problems


def local_name(element: etree._Element) -> str:
    """The element's name without its namespace ('' for comments and processing instructions)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace_of(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    return tag[1:].partition("}")[0]


def _any_namespace(name: str) -> str:
    """lxml's tag filter for local name ``name`` in any namespace or none (matched in C)."""
    return f"{{*}}{name}"


def children(element: etree._Element, name: str) -> list[etree._Element]:
    """Child elements called ``name`` in any namespace (importers match local names)."""
    return list(element.iterchildren(_any_namespace(name)))


def descendants(element: etree._Element, name: str) -> list[etree._Element]:
    """``element`` itself if it is called ``name``, then every element below it called so."""
    return list(element.iter(_any_namespace(name)))


def child(element: etree._Element, name: str) -> etree._Element | None:
    return next(element.iterchildren(_any_namespace(name)), None)


def children_by_name(element: etree._Element, *names: str) -> dict[str, list[etree._Element]]:
    """The child elements called each of ``names`` (any namespace), in document order: one pass."""
    found: dict[str, list[etree._Element]] = {name: [] for name in names}
    for node in element:
        if isinstance(node.tag, str) and (same := found.get(node.tag.rpartition("}")[2])) is not None:
            same.append(node)
    return found


def ancestor(element: etree._Element, name: str) -> etree._Element | None:
    """The nearest element above ``element`` called ``name`` (any namespace), if any."""
    return next(element.iterancestors(_any_namespace(name)), None)


def text_of(element: etree._Element | None) -> str:
    if element is None:
        return ""
    if not len(element):  # no child nodes: the text is all there is (the usual case, and quicker)
        return (element.text or "").strip()
    return "".join(element.itertext()).strip()


def attribute(element: etree._Element, name: str) -> str | None:
    """An attribute by local name, whatever its namespace (``adlcp:scormtype``, ``scormType``...)."""
    for key, value in element.attrib.items():
        if key.rpartition("}")[2].lower() == name.lower():
            return value
    return None
