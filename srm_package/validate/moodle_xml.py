"""Moodle XML question files as Moodle's importer reads them (lms-targets §1.2).

A question without ``name/text`` is an import error; a single-answer ``multichoice``
needs one answer at exactly 100% (else "fractionsnomax"); a multiple-answer one needs
positive fractions that add up to 100; the file must be UTF-8 with the XML
declaration on line 1.
"""

from __future__ import annotations

from lxml import etree

from srm_package.validate.context import PackageCheck
from srm_package.validate.safe_xml import child, children, text_of

_CHECKS = ("moodle.xml-declaration", "moodle.name-missing", "moodle.no-answers", "moodle.fraction",
           "moodle.single-without-100", "moodle.fractions-sum", "moodle.truefalse", "moodle.duplicate-idnumber")
_FALSE_WORDS = ("false", "0", "")
#: a tolerance for fractions like 33.33333 + 33.33333 + 33.33334
_EPSILON = 0.01


def starts_with_declaration(raw: bytes) -> bool:
    """Whether the file's first line is its XML declaration (after a byte-order mark), as Moodle needs."""
    return raw.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml")


def check_moodle_xml(ctx: PackageCheck, member: str | None, tree: etree._ElementTree,
                     declaration_first: bool) -> None:
    """Check a document whose root is ``<quiz>`` (that root is how the file was recognised)."""
    ctx.ran(*_CHECKS)
    root = tree.getroot()
    if not declaration_first:
        ctx.report("moodle.xml-declaration", "the file must start with the XML declaration "
                                             "(<?xml version=\"1.0\" encoding=\"UTF-8\"?>) on line 1", member, 1)
    idnumbers: dict[str, int] = {}
    for question in children(root, "question"):
        kind = question.get("type", "")
        if kind == "category":
            continue
        label = _label(question)
        if not _name(question):
            ctx.report("moodle.name-missing", f"{label} has no name/text; Moodle refuses to import it",
                       member, question.sourceline)
        idnumber = text_of(child(question, "idnumber"))
        if idnumber:
            if idnumber in idnumbers:
                ctx.report("moodle.duplicate-idnumber", f"{label}: idnumber {idnumber!r} is used again "
                                                        f"(first on line {idnumbers[idnumber]})",
                           member, question.sourceline)
            idnumbers.setdefault(idnumber, question.sourceline)
        if kind in ("multichoice", "truefalse"):
            _check_answers(ctx, member, question, kind, label)


def _name(question: etree._Element) -> str:
    name_element = child(question, "name")
    return text_of(child(name_element, "text")) if name_element is not None else ""


def _label(question: etree._Element) -> str:
    name = _name(question)
    return f"question {name!r}" if name else f"<question type={question.get('type', '')!r}>"


def _check_answers(ctx: PackageCheck, member: str | None, question: etree._Element, kind: str, label: str) -> None:
    answers = children(question, "answer")
    if not answers:
        ctx.report("moodle.no-answers", f"{label} has no <answer>", member, question.sourceline)
        return
    fractions = []
    for answer in answers:
        raw = answer.get("fraction", "0").strip()
        try:
            value = float(raw)
        except ValueError:
            value = float("nan")
        if not -100 <= value <= 100:
            ctx.report("moodle.fraction", f"{label}: fraction {raw!r} is not a number from -100 to 100",
                       member, answer.sourceline)
            continue
        fractions.append(value)
    best = max(fractions, default=0.0)
    if kind == "truefalse":
        if sum(1 for f in fractions if abs(f - 100) < _EPSILON) != 1:
            ctx.report("moodle.truefalse", f"{label}: a true/false question needs exactly one answer at 100",
                       member, question.sourceline)
        return
    single_element = child(question, "single")  # absent means true
    single = single_element is None or text_of(single_element).lower() not in _FALSE_WORDS
    if single and abs(best - 100) >= _EPSILON:
        ctx.report("moodle.single-without-100",
                   f"{label}: single-answer question whose best answer is {best:g}%, not 100%; Moodle refuses "
                   "it (fractionsnomax)", member, question.sourceline)
    positive = sum(f for f in fractions if f > 0)
    if not single and abs(positive - 100) >= _EPSILON:
        ctx.report("moodle.fractions-sum",
                   f"{label}: multiple-answer question whose positive fractions add up to {positive:g}, "
                   "not 100; Moodle refuses it", member, question.sourceline)
