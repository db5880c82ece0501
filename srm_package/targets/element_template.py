"""Build a recurring XML fragment once per shape, then copy it and fill in its strings.

Making an lxml element costs about a microsecond, and a QTI item has ~80 of them; a
deep copy costs about a tenth of that per element. Most items of a quiz differ only in
their strings: same kind, same number of choices, feedback in the same places. So the
fragment of one *shape* is built once by its ordinary layout function, with markers in
place of its strings, and each use copies it and sets the strings where the markers were.

The layout function is the single description of the fragment; the template only
replays it. It must decide its structure from the shape alone (never from whether a
string is empty: every marker is non-empty), and put the strings in unchanged or
joined with fixed text (``f"{label}_fb"``, ``",".join(labels)``), never transformed.
``tests/test_element_template.py`` checks copies against direct builds.
"""

from __future__ import annotations

import copy
import re
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, NamedTuple, TypeVar

from lxml import etree

#: a marker: private-use characters around the string's index in the flattened values
_MARKER = re.compile("\ue000([0-9]+)\ue001")

Values = TypeVar("Values", bound=NamedTuple)
Shape = TypeVar("Shape", bound=Hashable)


def flatten(values: NamedTuple) -> list[str]:
    """The strings of ``values`` (fields that are strings or tuples of strings), in order."""
    flat: list[str] = []
    for field in values:
        if isinstance(field, str):
            flat.append(field)
        else:
            flat.extend(field)
    return flat


def marked(values: Values) -> Values:
    """``values`` with every string replaced by the marker of its place in ``flatten``."""
    count = 0

    def marker() -> str:
        nonlocal count
        count += 1
        return f"\ue000{count - 1}\ue001"

    fields = [marker() if isinstance(field, str) else tuple(marker() for _ in field) for field in values]
    return type(values)(*fields)


class _Slot(NamedTuple):
    #: the element's place in ``iter()`` order
    position: int
    #: the attribute to set; ``None`` for the element's text
    attribute: str | None
    #: the index of the string in the flattened values, or a ``str.format`` pattern
    value: int | str


def _slot(position: int, attribute: str | None, text: str) -> _Slot | None:
    parts = _MARKER.split(text)  # literal, index, literal, index, ..., literal
    if len(parts) == 1:
        return None
    if len(parts) == 3 and parts[0] == parts[2] == "":
        return _Slot(position, attribute, int(parts[1]))
    pattern = "".join(
        "{" + part + "}" if odd else part.replace("{", "{{").replace("}", "}}")
        for odd, part in ((n % 2 == 1, part) for n, part in enumerate(parts))
    )
    return _Slot(position, attribute, pattern)


class ElementTemplate:
    """One fragment built with markers by ``layout``; ``fill`` makes a copy with real strings."""

    def __init__(self, layout: Callable[[Values], etree._Element], like: NamedTuple):
        self._prototype = layout(marked(like))
        self._strings = len(flatten(like))
        self._slots: list[_Slot] = []
        for position, element in enumerate(self._prototype.iter()):
            for attribute, text in ((None, element.text), *element.attrib.items()):
                slot = _slot(position, attribute, text) if text else None
                if slot is not None:
                    self._slots.append(slot)

    def fill(self, values: NamedTuple) -> etree._Element:
        """A copy of the fragment holding ``values`` (same shape as the template was built for)."""
        flat = flatten(values)
        if len(flat) != self._strings:
            raise ValueError(f"the template holds {self._strings} strings, got {len(flat)}")
        element = copy.deepcopy(self._prototype)
        elements = list(element.iter())
        for position, attribute, value in self._slots:
            text = flat[value] if isinstance(value, int) else value.format(*flat)
            if attribute is None:
                elements[position].text = text
            else:
                elements[position].set(attribute, text)
        return element


class TemplateCache(Generic[Shape, Values]):
    """A template per shape, built on first use by ``layout(shape, values)``; at most ``size``
    kept (the one built first goes first), so a course of many shapes stays in bounded memory."""

    def __init__(self, layout: Callable[[Shape, Values], etree._Element], size: int = 256):
        self._layout = layout
        self._size = size
        self._templates: OrderedDict[Shape, ElementTemplate] = OrderedDict()

    def fill(self, shape: Shape, values: Values) -> etree._Element:
        template = self._templates.get(shape)
        if template is None:
            template = ElementTemplate(lambda marked_values: self._layout(shape, marked_values), values)
            self._templates[shape] = template
            if len(self._templates) > self._size:
                self._templates.popitem(last=False)
        return template.fill(values)
