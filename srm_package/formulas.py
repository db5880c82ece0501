"""LaTeX formulas: checked when sources are read, turned into MathML for the student pages.

The conversion happens at build time (``latex``), so pages need no script and no network
to show math (Chromium, Firefox and Safari render MathML Core). Texts in the MathML are
escaped when it is written out, so ``\\text{<script>}`` stays text.
"""

from __future__ import annotations

from functools import lru_cache
from xml.etree import ElementTree

from srm_package.latex import LatexError, to_mathml

#: a formula longer than this is refused: real ones are far shorter
MAX_TEX_LENGTH = 4000


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
    if len(tex) > MAX_TEX_LENGTH:
        raise FormulaError(f"the formula is longer than {MAX_TEX_LENGTH} characters")
    try:
        element = to_mathml(tex, display=display)
    except LatexError as error:
        raise FormulaError(str(error)) from None
    return ElementTree.tostring(element, encoding="unicode", short_empty_elements=False)
