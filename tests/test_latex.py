"""The LaTeX subset read into MathML (srm_package/latex.py, through formulas.mathml): each
construct's MathML, each refusal's message, and no other exception for any input."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srm_package.formulas import MAX_TEX_LENGTH, FormulaError, check, mathml


def _inner(tex: str, display: bool = False) -> str:
    """The MathML inside <math>, read back by ElementTree (it must be well-formed XML too)."""
    out = mathml(tex, display=display)
    root = ElementTree.fromstring(out)
    assert root.tag == "math" and root.get("display") == ("block" if display else "inline")
    return out.split(">", 1)[1].rsplit("</math>", 1)[0]


@pytest.mark.parametrize(("tex", "expected"), [
    ("x + 1", "<mi>x</mi><mo>+</mo><mn>1</mn>"),
    ("a-b*c", "<mi>a</mi><mo>−</mo><mi>b</mi><mo>∗</mo><mi>c</mi>"),
    ("0.5", "<mn>0.5</mn>"),
    ("x^2", "<msup><mi>x</mi><mn>2</mn></msup>"),
    ("x_i^{n+1}", "<msubsup><mi>x</mi><mi>i</mi><mrow><mi>n</mi><mo>+</mo><mn>1</mn></mrow></msubsup>"),
    ("f'", "<msup><mi>f</mi><mo>′</mo></msup>"),
    ("f''", "<msup><mi>f</mi><mo>′′</mo></msup>"),
    ("\\frac{a}{b}", "<mfrac><mi>a</mi><mi>b</mi></mfrac>"),
    ("\\frac12", "<mfrac><mn>1</mn><mn>2</mn></mfrac>"),  # as TeX: one digit is an argument
    ("x^23", "<msup><mi>x</mi><mn>2</mn></msup><mn>3</mn>"),
    ("\\binom{n}{k}", '<mrow><mo>(</mo><mfrac linethickness="0"><mi>n</mi><mi>k</mi></mfrac><mo>)</mo></mrow>'),
    ("\\sqrt{x}", "<msqrt><mi>x</mi></msqrt>"),
    ("\\sqrt[3]{x}", "<mroot><mi>x</mi><mn>3</mn></mroot>"),
    ("\\alpha\\Omega\\infty", "<mi>α</mi><mi>Ω</mi><mi>∞</mi>"),
    ("a \\times b \\leq c", "<mi>a</mi><mo>×</mo><mi>b</mi><mo>≤</mo><mi>c</mi>"),
    ("\\sin x", "<mi>sin</mi><mi>x</mi>"),
    ("\\hat{x}", '<mover accent="true"><mi>x</mi><mo>^</mo></mover>'),
    ("\\underline{x}", '<munder accentunder="true"><mi>x</mi><mo>_</mo></munder>'),
    ("\\left( x \\right]", '<mrow><mo stretchy="true">(</mo><mi>x</mi><mo stretchy="true">]</mo></mrow>'),
    ("\\left. x \\right|", '<mrow><mi>x</mi><mo stretchy="true">|</mo></mrow>'),
    ("\\text{a < b}", "<mtext>a &lt; b</mtext>"),
    ("\\mathrm{d}x", '<mi mathvariant="normal">d</mi><mi>x</mi>'),
    ("\\operatorname{rank}", "<mi>rank</mi>"),
    ("a\\,b\\quad c", '<mi>a</mi><mspace width="0.1667em"></mspace><mi>b</mi><mspace width="1em"></mspace><mi>c</mi>'),
    ("50\\%", "<mn>50</mn><mo>%</mo>"),
    ("\\{x\\}", "<mo>{</mo><mi>x</mi><mo>}</mo>"),
])
def test_each_construct_becomes_its_mathml(tex, expected):
    assert _inner(tex) == expected


def test_limits_go_under_and_over_large_operators_in_display_only():
    display, inline = _inner("\\sum_{i=1}^n i", display=True), _inner("\\sum_{i=1}^n i")
    assert display.startswith("<munderover><mo>∑</mo>") and inline.startswith("<msubsup><mo>∑</mo>")
    assert _inner("\\lim_{n \\to \\infty} a", display=True).startswith("<munder><mi>lim</mi>")
    # an integral keeps its scripts beside it
    assert _inner("\\int_0^1 x", display=True).startswith("<msubsup><mo>∫</mo>")


@pytest.mark.parametrize(("tex", "message"), [
    ("x^", "'^' needs a superscript after it"),
    ("x_", "'_' needs a subscript after it"),
    ("x^2^3", "double superscript: group them in {...}"),
    ("\\frac{a}", "a fraction needs a numerator and a denominator (each in {...})"),
    ("\\lamda", "unknown command \\lamda"),
    ("\\begin{pmatrix}", "unknown command \\begin"),
    ("{x", "a '{' is not closed"),
    ("x}", "a '}' closes nothing"),
    ("\\left( x", "'\\left' without '\\right'"),
    ("x \\right)", "'\\right' without '\\left'"),
    ("\\left x \\right)", "\\left needs a delimiter"),
    ("a & b", "line breaks and alignment"),
    ("a \\\\ b", "line breaks and alignment"),
    ("\\text x", "\\text needs its text in {...}"),
    ("{" * 100 + "x" + "}" * 100, "the formula nests too deeply"),
    ("\\frac" * 700 + "x", "the formula nests too deeply"),
    ("x" * (MAX_TEX_LENGTH + 1), f"longer than {MAX_TEX_LENGTH} characters"),
])
def test_what_cannot_be_shown_is_refused_with_its_reason(tex, message):
    problem = check(tex)
    assert problem is not None and message in problem


_PIECES = st.sampled_from(["x", "2", "0.5", "+", "-", "=", "^", "_", "{", "}", "[", "]", "(", ")", "'",
                           " ", "&", "\\\\", "\\frac", "\\sqrt", "\\left", "\\right", "\\alpha", "\\text",
                           "\\sum", "\\hat", ".", "|", "\\,", "\\{", "%", "$", "#", "\\", "é", "\\foo"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join), st.booleans())
def test_any_input_converts_or_is_refused_never_crashes(tex, display):
    try:
        out = mathml(tex, display=display)
    except FormulaError:
        return
    ElementTree.fromstring(out)  # well-formed, and every text escaped
