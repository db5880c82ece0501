"""LaTeX formulas: checked when sources are read, turned into MathML for the student pages.

latex2mathml does the conversion, at build time, so pages need no script and no
network to show math (Chromium, Firefox and Safari render MathML Core). Two things
are added around it:

* **Escaping.** ``latex2mathml.converter.convert`` un-escapes its whole output, so
  ``\\text{<script>}`` would come out as markup. Its element tree is serialised here
  instead, with every text decoded once and escaped once.
* **Checking.** The converter raises on some mistakes (``x^``, ``\\left(`` without
  ``\\right``) with the error's class name as its only message, and passes others
  through (an unknown ``\\foo``, ``{x`` or a ``\\frac`` with one argument). Those are
  found here, so that ``check`` reports them at the formula's line.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from xml.etree import ElementTree

#: a formula longer than this is refused: real ones are far shorter, and the converter's
#: recursion would otherwise meet a hostile one
MAX_TEX_LENGTH = 4000
MATHML_NS = "http://www.w3.org/1998/Math/MathML"
#: MathML elements and how many children they need (a ``\\frac{a}`` makes an mfrac of one)
_ARITY = {"mfrac": 2, "msub": 2, "msup": 2, "msubsup": 3, "munder": 2, "mover": 2, "munderover": 3,
          "mroot": 2}
_WHAT = {"mfrac": "a fraction needs a numerator and a denominator",
         "mroot": "a root needs a degree and a radicand",
         "msub": "a subscript needs a base", "msup": "a superscript needs a base",
         "msubsup": "a sub- and superscript need a base", "munder": "an under-script needs a base",
         "mover": "an over-script needs a base", "munderover": "limits need a base"}
_UNKNOWN_COMMAND = re.compile(r"\\[A-Za-z]+")


class FormulaError(ValueError):
    """The formula is not LaTeX that can be shown; the message says why."""


def check(tex: str, *, display: bool = False) -> str | None:
    """What is wrong with ``tex``, or ``None`` when it converts cleanly. The conversion is
    kept (``mathml``), so a build that checks a formula does not convert it twice."""
    try:
        mathml(tex, display=display)
    except FormulaError as error:
        return str(error)
    return None


@lru_cache(maxsize=4096)
def mathml(tex: str, *, display: bool) -> str:
    """``tex`` as a ``<math>`` element (HTML syntax, no namespace declaration needed).

    Raises ``FormulaError`` for a formula ``check`` refuses (the loader never lets one through).
    """
    element = _element(tex, display=display)
    element.attrib.pop("xmlns", None)
    return ElementTree.tostring(element, encoding="unicode", short_empty_elements=False)


def _element(tex: str, *, display: bool) -> ElementTree.Element:
    if len(tex) > MAX_TEX_LENGTH:
        raise FormulaError(f"the formula is longer than {MAX_TEX_LENGTH} characters")
    _check_braces(tex)
    from latex2mathml.converter import convert_to_element  # only courses with math pay its import

    try:
        element = convert_to_element(tex, display="block" if display else "inline")
    except RecursionError:
        raise FormulaError("the formula nests too deeply") from None
    except Exception as error:  # noqa: BLE001 - the converter raises many kinds on bad input
        raise FormulaError(_explain(error)) from None
    for node in element.iter():
        # the converter leaves entities such as '&#x0002B;' in texts: decode them once
        if node.text:
            node.text = html.unescape(node.text)
        for name, value in node.attrib.items():
            node.attrib[name] = html.unescape(value)
        _check_node(node)
    return element


def _check_node(node: ElementTree.Element) -> None:
    needed = _ARITY.get(node.tag)
    if needed is not None and len(node) != needed:
        raise FormulaError(f"{_WHAT[node.tag]} (each in {{...}})")
    if node.tag in ("mi", "mo") and node.text and _UNKNOWN_COMMAND.fullmatch(node.text):
        raise FormulaError(f"unknown command {node.text}")


def _check_braces(tex: str) -> None:
    depth = 0
    escaped = False
    for character in tex:
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif character == "{":
            depth += 1
        elif character == "}":
            depth -= 1
            if depth < 0:
                raise FormulaError("a '}' closes nothing")
    if depth:
        raise FormulaError(f"{depth} '{{' not closed")


def _explain(error: Exception) -> str:
    """The converter's error: its message, else its class name in words
    (``MissingSuperScriptOrSubscriptError`` → "missing superscript or subscript")."""
    name = type(error).__name__.removesuffix("Error")
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower().replace("super script", "superscript")
    message = str(error).strip()
    return f"{words}: {message}" if message else f"{words} (latex2mathml {type(error).__name__})"
