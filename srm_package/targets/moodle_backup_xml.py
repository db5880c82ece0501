"""How a Moodle backup writes its XML files; shared by the ``moodle-backup`` target's modules.

Every file of a Moodle 2+ backup (``backup/util/xml``) is UTF-8 with the declaration
exactly ``<?xml version="1.0" encoding="UTF-8"?>`` (Moodle recognises a backup by that
string in the first 200 bytes of ``moodle_backup.xml``, ``convert_helper::
detect_moodle2_format``; lxml would write it with single quotes). A table row is an
element holding one child element per field, in the order Moodle's backup writes them;
a NULL field is the text ``$@NULL@$``; HTML is text, escaped once.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

from lxml import etree

#: what Moodle's backup writes for a NULL field and its restore reads back as NULL
NULL = "$@NULL@$"
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

#: a field's value: text, a number, or None for NULL
Value = str | int | None


def document(root: etree._Element) -> bytes:
    """The file: Moodle's declaration, then ``root`` indented as Moodle indents it."""
    etree.indent(root, space="  ")
    return _DECLARATION + etree.tostring(root, encoding="UTF-8") + b"\n"


def streamed_document(tag: str, rows: Iterable[etree._Element]) -> bytes:
    """The file ``<tag>`` holding ``rows``, each serialised as soon as it is made: a course's
    question bank would otherwise be one tree of ~50 elements per question in memory."""
    out = io.BytesIO()
    out.write(_DECLARATION)
    with etree.xmlfile(out, encoding="UTF-8") as writer, writer.element(tag):
        for row in rows:
            etree.indent(row, space="  ", level=1)
            writer.write("\n  ", row)
        writer.write("\n")
    out.write(b"\n")
    return out.getvalue()


def record(parent: etree._Element | None, tag: str, fields: Mapping[str, Value],
           **attributes: str | int) -> etree._Element:
    """A table row ``<tag attributes>`` with one child per field, under ``parent`` if given."""
    attrib = {name: str(value) for name, value in attributes.items()}
    row = etree.Element(tag, attrib) if parent is None else etree.SubElement(parent, tag, attrib)
    for name, value in fields.items():
        etree.SubElement(row, name).text = NULL if value is None else str(value)
    return row


def element(parent: etree._Element, tag: str, *children: etree._Element | str) -> etree._Element:
    """``<tag>`` under ``parent``; string children become empty elements of that name."""
    node = etree.SubElement(parent, tag)
    for child in children:
        if isinstance(child, str):
            etree.SubElement(node, child)
        else:
            node.append(child)
    return node


def empty_document(tag: str, *children: str | tuple) -> bytes:
    """A file that lists nothing: ``tag`` with empty containers; a tuple is ``(tag, *children)``."""
    root = etree.Element(tag)
    _containers(root, children)
    return document(root)


def _containers(parent: etree._Element, children: tuple) -> None:
    for child in children:
        if isinstance(child, tuple):
            _containers(etree.SubElement(parent, child[0]), child[1:])
        else:
            etree.SubElement(parent, child)


def decimal(value: float, places: int = 5) -> str:
    """A number column as Moodle's backup writes it (``5.00000``, ``1.0000000``)."""
    return f"{value:.{places}f}"
