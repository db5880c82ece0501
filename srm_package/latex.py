"""The LaTeX math that course formulas use, read into MathML Core elements.

Written here rather than taken from a library: the one converter on PyPI that fits
(latex2mathml) is not on the package mirrors that course machines and CI install from,
and a course that cannot install the tool cannot build at all. The subset is what
course formulas are made of (see docs/source-format.md): letters, numbers and operators,
``^`` and ``_``, groups, fractions and binomials, roots, accents, ``\\left``/``\\right``,
Greek letters and common symbols, function names, text and spacing. Anything else is a
``LatexError`` that names it, so ``check`` reports it at the formula's line instead of
the page showing something else than the author wrote.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement

#: deeper nesting than this is refused (real formulas nest a few levels; the parser recurses)
MAX_DEPTH = 60

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[0-9]+(?:\.[0-9]+)?|\s+|.", re.DOTALL)

GREEK = {name: chr(code) for name, code in (
    ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4), ("epsilon", 0x3F5),
    ("varepsilon", 0x3B5), ("zeta", 0x3B6), ("eta", 0x3B7), ("theta", 0x3B8), ("vartheta", 0x3D1),
    ("iota", 0x3B9), ("kappa", 0x3BA), ("lambda", 0x3BB), ("mu", 0x3BC), ("nu", 0x3BD), ("xi", 0x3BE),
    ("pi", 0x3C0), ("varpi", 0x3D6), ("rho", 0x3C1), ("varrho", 0x3F1), ("sigma", 0x3C3),
    ("varsigma", 0x3C2), ("tau", 0x3C4), ("upsilon", 0x3C5), ("phi", 0x3D5), ("varphi", 0x3C6),
    ("chi", 0x3C7), ("psi", 0x3C8), ("omega", 0x3C9), ("Gamma", 0x393), ("Delta", 0x394),
    ("Theta", 0x398), ("Lambda", 0x39B), ("Xi", 0x39E), ("Pi", 0x3A0), ("Sigma", 0x3A3),
    ("Upsilon", 0x3A5), ("Phi", 0x3A6), ("Psi", 0x3A8), ("Omega", 0x3A9))}
#: commands that are a letter-like symbol (<mi>)
IDENTIFIERS = {**GREEK, "infty": "∞", "partial": "∂", "nabla": "∇", "ell": "ℓ", "hbar": "ℏ",
               "emptyset": "∅", "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ"}
#: commands that are an operator, relation or punctuation (<mo>)
OPERATORS = {
    "times": "×", "cdot": "⋅", "div": "÷", "pm": "±", "mp": "∓", "ast": "∗", "star": "⋆", "circ": "∘",
    "bullet": "∙", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "lt": "<",
    "gt": ">", "approx": "≈", "equiv": "≡", "sim": "∼", "simeq": "≃", "cong": "≅", "propto": "∝",
    "ll": "≪", "gg": "≫", "to": "→", "rightarrow": "→", "leftarrow": "←", "leftrightarrow": "↔",
    "Rightarrow": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔", "implies": "⟹", "iff": "⟺",
    "mapsto": "↦", "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃",
    "supseteq": "⊇", "cup": "∪", "cap": "∩", "setminus": "∖", "forall": "∀", "exists": "∃",
    "neg": "¬", "lnot": "¬", "land": "∧", "wedge": "∧", "lor": "∨", "vee": "∨", "oplus": "⊕",
    "otimes": "⊗", "perp": "⊥", "parallel": "∥", "mid": "∣", "angle": "∠", "ldots": "…",
    "cdots": "⋯", "vdots": "⋮", "ddots": "⋱", "dots": "…", "prime": "′", "colon": ":",
    "langle": "⟨", "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉",
    "vert": "|", "Vert": "‖", "|": "‖", "{": "{", "}": "}",
}
#: large operators; ``BIG_WITH_LIMITS`` put their scripts under and over in display
LARGE = {"sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬", "iiint": "∭", "oint": "∮",
         "bigcup": "⋃", "bigcap": "⋂", "bigoplus": "⨁", "bigotimes": "⨂"}
BIG_WITH_LIMITS = {"sum", "prod", "coprod", "bigcup", "bigcap", "bigoplus", "bigotimes", "lim", "limsup",
                   "liminf", "max", "min", "sup", "inf", "det", "gcd"}
#: function names, set upright (<mi>sin</mi>)
FUNCTIONS = {"sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh",
             "tanh", "log", "ln", "lg", "exp", "lim", "limsup", "liminf", "max", "min", "sup", "inf",
             "det", "gcd", "arg", "deg", "dim", "ker", "Pr", "mod"}
#: accents over (or under) their argument
ACCENTS = {"hat": ("mover", "^"), "widehat": ("mover", "^"), "bar": ("mover", "‾"),
           "overline": ("mover", "‾"), "vec": ("mover", "→"), "overrightarrow": ("mover", "→"),
           "tilde": ("mover", "~"), "widetilde": ("mover", "~"), "dot": ("mover", "˙"),
           "ddot": ("mover", "¨"), "underline": ("munder", "_")}
#: horizontal spaces, in em
SPACES = {",": 0.1667, ":": 0.2222, ">": 0.2222, ";": 0.2778, " ": 0.25, "quad": 1.0, "qquad": 2.0}
#: commands whose one argument is plain text
TEXT_COMMANDS = {"text", "textrm", "mbox", "mathrm", "operatorname"}
#: characters that stand for themselves as an operator
OPERATOR_CHARACTERS = set("+=<>()[],;:!?/|.@")
#: escaped characters written as themselves
ESCAPED = {"%": "%", "$": "$", "&": "&", "#": "#", "_": "_"}
#: what may follow \\left and \\right
DELIMITERS = {"(": "(", ")": ")", "[": "[", "]": "]", "|": "|", "/": "/", "\\{": "{", "\\}": "}",
              "\\|": "‖", "\\langle": "⟨", "\\rangle": "⟩", "\\lfloor": "⌊", "\\rfloor": "⌋",
              "\\lceil": "⌈", "\\rceil": "⌉", "\\vert": "|", "\\Vert": "‖", ".": ""}


class LatexError(ValueError):
    """The formula is outside the LaTeX this tool reads, or is not well formed; the message says why."""


def to_mathml(tex: str, *, display: bool) -> Element:
    """``tex`` as a ``<math>`` element (without a namespace: pages are HTML)."""
    math = Element("math", display="block" if display else "inline")
    parser = _Parser(tex, display)
    math.extend(parser.sequence(closing=None))
    return math


class _Parser:
    def __init__(self, tex: str, display: bool) -> None:
        self.tokens = _TOKEN.findall(tex)
        self.position = 0
        self.display = display
        self.depth = 0
        #: ids of the operators (∑, lim...) whose scripts go under and over them in display
        self.with_limits: set[int] = set()

    # ------------------------------------------------------------------ tokens
    def _peek(self, skip_space: bool = True) -> str | None:
        while skip_space and self.position < len(self.tokens) and self.tokens[self.position].isspace():
            self.position += 1
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _next(self) -> str | None:
        token = self._peek()
        if token is not None:
            self.position += 1
        return token

    # ------------------------------------------------------------------ grammar
    def sequence(self, closing: str | None) -> list[Element]:
        """Items up to ``closing`` ('}', '\\right', ']' or the end), which is consumed."""
        items: list[Element] = []
        while True:
            token = self._peek()
            if token is None:
                if closing == "}":
                    raise LatexError("a '{' is not closed")
                if closing is not None:
                    raise LatexError(f"'{_OPENING_OF[closing]}' without '{closing}'")
                break
            if token == closing:
                self.position += 1
                break
            if token in ("}", "\\right"):
                raise LatexError(f"a '{token}' closes nothing" if token == "}" else f"'{token}' without '\\left'")
            items.append(self._scripted(self._atom()))
        return items

    def _scripted(self, base: Element) -> Element:
        """``base`` with the ``^``, ``_`` and primes that follow it."""
        under = over = None
        while (token := self._peek()) in ("^", "_", "'"):
            self.position += 1
            if token == "'":
                over = _prime(over)
                continue
            script = "superscript" if token == "^" else "subscript"
            argument = self._argument(f"'{token}' needs a {script} after it")
            if token == "^" and over is not None and _is_prime(over):
                over = _node("mrow", over, argument)  # f'^2
            elif (over if token == "^" else under) is not None:
                raise LatexError(f"double {script}: group them in {{...}}")
            elif token == "^":
                over = argument
            else:
                under = argument
        limits = self.display and id(base) in self.with_limits
        if under is None and over is None:
            return base
        if under is not None and over is not None:
            tag = "munderover" if limits else "msubsup"
            return _node(tag, base, under, over)
        if under is not None:
            return _node("munder" if limits else "msub", base, under)
        return _node("mover" if limits else "msup", base, over)

    def _argument(self, missing: str) -> Element:
        """One argument: a group, or the next single symbol (as TeX takes ``x^2``)."""
        token = self._peek()
        if token is None or token in ("}", "^", "_", "&", "\\right"):
            raise LatexError(missing)
        if token == "{":
            self.position += 1
            return _row(self.sequence(closing="}"))
        if len(token) > 1 and token[0].isdigit():
            # TeX reads one digit as an argument: x^23 is x² followed by 3, \frac12 is ½
            self.tokens[self.position:self.position + 1] = [token[0], *_TOKEN.findall(token[1:])]
        return self._atom()

    def _group_text(self, command: str) -> str:
        if self._peek() != "{":
            raise LatexError(f"\\{command} needs its text in {{...}}")
        self.position += 1
        depth, text = 1, []
        while self.position < len(self.tokens):
            token = self.tokens[self.position]
            self.position += 1
            depth += (token == "{") - (token == "}")
            if depth == 0:
                return "".join(text)
            text.append(token[1:] if len(token) == 2 and token[0] == "\\" and not token[1].isalpha() else token)
        raise LatexError("a '{' is not closed")

    def _atom(self) -> Element:
        """One symbol, group or command with its arguments (not its scripts)."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise LatexError("the formula nests too deeply")
        atom = self._symbol(self._next() or "")
        self.depth -= 1
        return atom

    def _symbol(self, token: str) -> Element:
        if token == "{":
            return _row(self.sequence(closing="}"))
        if token in ("&", "\\\\"):
            raise LatexError("line breaks and alignment ('\\\\', '&') are not supported in a formula")
        if token in ("^", "_"):
            self.position -= 1
            return self._scripted(Element("mrow"))
        if token == "~":
            return _space(SPACES[" "])
        if token.startswith("\\"):
            return self._command(token[1:])
        if token.isdigit() or token[0].isdigit():
            return _leaf("mn", token)
        if token.isalpha():
            return _leaf("mi", token)
        if token == "-":
            return _leaf("mo", "−")
        if token == "*":
            return _leaf("mo", "∗")
        if token in OPERATOR_CHARACTERS:
            return _leaf("mo", token)
        if token == "%":
            return _leaf("mo", "%")
        if token in ("$", "#", "\\"):
            raise LatexError(f"a bare '{token}' (write \\{token} for the character)")
        return _leaf("mi" if token.isalpha() else "mo", token)

    def _command(self, name: str) -> Element:
        if name in IDENTIFIERS:
            return _leaf("mi", IDENTIFIERS[name])
        if name in OPERATORS:
            return _leaf("mo", OPERATORS[name])
        if name in ESCAPED:
            return _leaf("mo" if name in "%&#" else "mi", ESCAPED[name])
        if name in LARGE:
            return self._maybe_with_limits(name, _leaf("mo", LARGE[name]))
        if name in FUNCTIONS:
            return self._maybe_with_limits(name, _leaf("mi", name))
        if name in SPACES:
            return _space(SPACES[name])
        if name == "!":
            return Element("mrow")  # a negative thin space: MathML Core has none, nothing is closer
        if name in ("frac", "dfrac", "tfrac"):
            numerator = self._argument("a fraction needs a numerator and a denominator (each in {...})")
            denominator = self._argument("a fraction needs a numerator and a denominator (each in {...})")
            return _node("mfrac", numerator, denominator)
        if name in ("binom", "dbinom", "tbinom"):
            top = self._argument("a binomial needs two arguments (each in {...})")
            bottom = self._argument("a binomial needs two arguments (each in {...})")
            fraction = _node("mfrac", top, bottom)
            fraction.set("linethickness", "0")
            return _row([_leaf("mo", "("), fraction, _leaf("mo", ")")])
        if name == "sqrt":
            return self._root()
        if name in ACCENTS:
            tag, mark = ACCENTS[name]
            accented = _node(tag, self._argument(f"\\{name} needs an argument"), _leaf("mo", mark))
            accented.set("accent" if tag == "mover" else "accentunder", "true")
            return accented
        if name in TEXT_COMMANDS:
            text = self._group_text(name)
            if name in ("text", "textrm", "mbox"):
                return _leaf("mtext", text)
            leaf = _leaf("mi", text)
            if len(text) == 1:
                leaf.set("mathvariant", "normal")  # one letter would otherwise be italic
            return leaf
        if name == "left":
            return self._fenced()
        raise LatexError(f"unknown command \\{name}")

    def _maybe_with_limits(self, name: str, operator: Element) -> Element:
        if name in BIG_WITH_LIMITS:
            self.with_limits.add(id(operator))
        return operator

    def _root(self) -> Element:
        degree = None
        if self._peek() == "[":
            self.position += 1
            degree = _row(self.sequence(closing="]"))
        radicand = self._argument("a root needs a radicand (in {...})")
        return _node("msqrt", radicand) if degree is None else _node("mroot", radicand, degree)

    def _fenced(self) -> Element:
        opening = self._delimiter("\\left")
        inner = self.sequence(closing="\\right")
        closing = self._delimiter("\\right")
        items = ([_fence(opening)] if opening else []) + inner + ([_fence(closing)] if closing else [])
        return _row(items)

    def _delimiter(self, command: str) -> str:
        token = self._next()
        if token not in DELIMITERS:
            raise LatexError(f"{command} needs a delimiter such as ( [ \\{{ | or .")
        return DELIMITERS[token]


_OPENING_OF = {"]": "[", "\\right": "\\left"}


def _leaf(tag: str, text: str) -> Element:
    leaf = Element(tag)
    leaf.text = text
    return leaf


def _node(tag: str, *children: Element) -> Element:
    node = Element(tag)
    node.extend(children)
    return node


def _row(items: list[Element]) -> Element:
    """A group: one item stands alone, several go in an ``<mrow>``."""
    return items[0] if len(items) == 1 else _node("mrow", *items)


def _fence(character: str) -> Element:
    fence = _leaf("mo", character)
    fence.set("stretchy", "true")
    return fence


def _is_prime(element: Element) -> bool:
    return element.tag == "mo" and set(element.text or "") == {"′"}


def _space(em: float) -> Element:
    return Element("mspace", width=f"{em:g}em")


def _prime(over: Element | None) -> Element:
    """Primes add up: ``f''`` is f with a double prime."""
    if over is None:
        return _leaf("mo", "′")
    if _is_prime(over):
        over.text = (over.text or "") + "′"
        return over
    row = over if over.tag == "mrow" else _node("mrow", over)
    SubElement(row, "mo").text = "′"
    return row
