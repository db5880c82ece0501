"""QTI 1.2 choice items as Canvas's and Moodle's importers read them (lms-targets §1.3, §2.1).

Items with several ``response_lid`` (Canvas's matching and fill-in-multiple-blanks
questions: one per prompt or blank) are checked per response: its answers, and that
some condition scores one of them.

Canvas: an answer is correct when a ``respcondition`` matching it sets SCORE above
zero; none → "couldn't determine the correct answers"; answer idents holding
"correct", "wrong" or "general_" are taken for question-level feedback. Moodle's
cartridge importer: items need a known ``cc_profile`` or are dropped, and an answer is
correct only if the *last* condition whose first ``varequal`` names it sets a score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from lxml import etree

from srm_package.validate import schemas
from srm_package.validate.context import PackageCheck
from srm_package.validate.media import note_qti_images
from srm_package.validate.safe_xml import (
    ancestor,
    children,
    children_by_name,
    descendants,
    local_name,
    text_of,
)

CC_PROFILES = frozenset({
    "cc.multiple_choice.v0p1", "cc.multiple_response.v0p1", "cc.true_false.v0p1",
    "cc.fib.v0p1", "cc.pattern_match.v0p1", "cc.essay.v0p1",
})
_CANVAS_FEEDBACK_WORDS = re.compile(r"correct|wrong|general_", re.IGNORECASE)


class Flavour(str, Enum):
    """Which importer's rules apply on top of plain QTI 1.2."""

    PLAIN = "plain"  # e.g. the question bank inside a SCORM package
    CANVAS = "canvas"
    CC = "cc"


_CHECKS = {
    Flavour.PLAIN: ("qti.root", "qti.duplicate-ident", "qti.no-choices", "qti.unknown-choice",
                    "qti.no-correct-answer", "qti.several-correct", "qti.selection"),
    Flavour.CANVAS: ("canvas.answer-ident",),
    Flavour.CC: ("cc.profile-missing", "cc.weighting", "cc.feedback-after-score", "cc.true-false-idents",
                 "cc.nested-item"),
}


@dataclass(frozen=True)
class Condition:
    """One ``respcondition``: the answers it tests and whether it awards points."""

    element: etree._Element
    #: (respident, value) of its varequal tests in document order, except those under <not>
    tests: tuple[tuple[str, str], ...]
    scores: bool

    @property
    def answers(self) -> tuple[str, ...]:
        return tuple(value for _, value in self.tests)

    def answers_for(self, respident: str) -> tuple[str, ...]:
        return tuple(value for response, value in self.tests if response == respident)


def check_qti(ctx: PackageCheck, member: str | None, tree: etree._ElementTree, flavour: Flavour) -> list[str]:
    """Run the item checks on one QTI document; return its assessment idents."""
    ctx.ran(*_CHECKS[Flavour.PLAIN])
    if flavour is not Flavour.PLAIN:
        ctx.ran(*_CHECKS[flavour])
    root = tree.getroot()
    if local_name(root) != "questestinterop":
        ctx.report("qti.root", f"root element is <{local_name(root)}>, not <questestinterop>", member,
                   root.sourceline)
        return []
    note_qti_images(ctx, member, tree)
    ctx.validate_schema(member, tree, schemas.QTI_FULL)
    if flavour is Flavour.CC:
        ctx.validate_schema(member, tree, schemas.QTI_CC_PROFILE)
    seen: dict[str, int] = {}
    for item in descendants(root, "item"):
        ident = item.get("ident", "")
        if ident in seen:
            ctx.report("qti.duplicate-ident", f"item ident {ident!r} is used again (first on line {seen[ident]})",
                       member, item.sourceline)
        seen.setdefault(ident, item.sourceline)
        _check_item(ctx, member, item, flavour)
    for section in descendants(root, "section"):
        _check_selection(ctx, member, section)
    return [a.get("ident", "") for a in descendants(root, "assessment")]


def _check_selection(ctx: PackageCheck, member: str | None, section: etree._Element) -> None:
    """A question group (Canvas): ``selection_number`` items drawn from those the section holds."""
    held = len(children(section, "item"))
    for order in children(section, "selection_ordering"):
        for number in (n for selection in children(order, "selection") for n in children(selection, "selection_number")):
            text = text_of(number).strip()
            if not text.isdigit() or not 1 <= int(text) <= held:
                ctx.report("qti.selection", f"section {section.get('ident', '')!r} picks {text!r} of the {held} "
                           f"item{'s' * (held != 1)} it holds; pick a whole number from 1 to {held}",
                           member, number.sourceline)


def _check_item(ctx: PackageCheck, member: str | None, item: etree._Element, flavour: Flavour) -> None:
    name = f"item {item.get('ident', '')!r}"
    metadata = _metadata(item)
    profile = metadata.get("cc_profile")
    if flavour is Flavour.CC:
        _check_cc_metadata(ctx, member, item, name, metadata)
    lids = descendants(item, "response_lid")
    if not lids:
        return
    conditions = _conditions(item)
    several = len(lids) > 1
    for lid in lids:
        labels = _check_response(ctx, member, item, lid, conditions, several)
        if labels is None or several:
            continue
        correct = {answer for c in conditions if c.scores for answer in c.answers if answer in labels}
        single = (lid.get("rcardinality") or "Single") == "Single"
        if single and len(correct) > 1:
            ctx.report("qti.several-correct", f"{name}: single-answer item with {len(correct)} correct answers "
                                              f"({', '.join(sorted(correct))})", member, item.sourceline)
        if flavour is Flavour.CC and single:
            _check_cc_scoring(ctx, member, name, labels, conditions)
            if profile == "cc.true_false.v0p1" and sorted(labels) != ["false", "true"]:
                ctx.report("cc.true-false-idents", f"{name}: true/false answers must have idents 'true' and "
                                                   f"'false' for Moodle, not {', '.join(labels)}", member,
                           item.sourceline)
    if flavour is Flavour.CANVAS:
        for label in descendants(item, "response_label"):
            if _CANVAS_FEEDBACK_WORDS.search(label.get("ident", "")):
                ctx.report("canvas.answer-ident",
                           f"{name}: answer ident {label.get('ident')!r} contains 'correct', 'wrong' or "
                           "'general_'; Canvas takes its feedback for question-level feedback", member,
                           label.sourceline)


def _check_response(ctx: PackageCheck, member: str | None, item: etree._Element, lid: etree._Element,
                    conditions: list[Condition], several: bool) -> list[str] | None:
    """The checks of one ``response_lid``: answers offered, tested, scored; returns its answer idents."""
    name = f"item {item.get('ident', '')!r}"
    if several:
        name += f" (response {lid.get('ident', '')!r})"
    labels = [label.get("ident", "") for label in descendants(lid, "response_label")]
    if not labels:
        ctx.report("qti.no-choices", f"{name} has a response_lid but no answers", member, item.sourceline)
        return None
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        ctx.report("qti.duplicate-ident", f"{name}: answer ident {duplicates[0]!r} is used twice", member,
                   item.sourceline)
    # an item with one response may leave respident out of its tests
    respident = lid.get("ident", "")
    tested = [(c, c.answers_for(respident) if several else c.answers) for c in conditions]
    for condition, answers in tested:
        for answer in answers:
            if answer not in labels:
                ctx.report("qti.unknown-choice", f"{name}: condition tests answer {answer!r}, which the item "
                                                 "does not offer", member, condition.element.sourceline)
    if not any(condition.scores and answer in labels for condition, answers in tested for answer in answers):
        ctx.report("qti.no-correct-answer", f"{name}: no condition gives any answer a score; Canvas refuses it "
                                            "(\"couldn't determine the correct answers\")", member, item.sourceline)
    return labels


def _metadata(item: etree._Element) -> dict[str, str]:
    fields: dict[str, str] = {}
    for field in descendants(item, "qtimetadatafield"):
        parts = children_by_name(field, "fieldlabel", "fieldentry")
        label, entry = (text_of(found[0]) if found else "" for found in parts.values())
        fields.setdefault(label, entry)
    return fields


def _check_cc_metadata(ctx: PackageCheck, member: str | None, item: etree._Element, name: str,
                       metadata: dict[str, str]) -> None:
    profile = metadata.get("cc_profile")
    if profile not in CC_PROFILES:
        shown = "no cc_profile" if profile is None else f"cc_profile {profile!r}"
        ctx.report("cc.profile-missing", f"{name} has {shown}; Moodle's cartridge import silently drops it",
                   member, item.sourceline)
    weighting = metadata.get("cc_weighting")
    if weighting is not None and not (weighting.isdigit() and int(weighting) <= 99):
        ctx.report("cc.weighting", f"{name}: cc_weighting {weighting!r} is not an integer from 0 to 99",
                   member, item.sourceline)
    if ancestor(item, "assessment") is None:
        return
    parent = item.getparent()
    if not (local_name(parent) == "section" and local_name(parent.getparent()) == "assessment"):
        ctx.report("cc.nested-item", f"{name} is not directly under assessment/section; Moodle does not read it",
                   member, item.sourceline)


def _conditions(item: etree._Element) -> list[Condition]:
    # a varequal under <not> tests that the answer was *not* given; <not> is rare, so the
    # ancestors are looked at only in an item (or a document around it) that has one
    negations = ancestor(item, "not") is not None or bool(descendants(item, "not"))
    found = []
    for processing in children(item, "resprocessing"):
        for condition in children(processing, "respcondition"):
            parts = children_by_name(condition, "conditionvar", "setvar")
            conditionvar = parts["conditionvar"][0] if parts["conditionvar"] else None
            tests = descendants(conditionvar, "varequal") if conditionvar is not None else []
            if negations:
                tests = [v for v in tests if ancestor(v, "not") is None]
            found.append(Condition(condition, tuple((v.get("respident", ""), (v.text or "").strip()) for v in tests),
                                   _awards_points(parts["setvar"])))
    return found


def _awards_points(setvars: list[etree._Element]) -> bool:
    """Whether one of a condition's ``setvar``s sets or adds a positive score."""
    for setvar in setvars:
        if (setvar.get("action") or "Set") in ("Set", "Add"):
            try:
                if float((setvar.text or "0").strip()) > 0:
                    return True
            except ValueError:
                continue
    return False


def _check_cc_scoring(ctx: PackageCheck, member: str | None, name: str, labels: list[str],
                      conditions: list[Condition]) -> None:
    """Moodle keeps, per answer, only the last condition whose first varequal names it.

    Only single-answer items: multiple-response items are scored by one ``and`` condition.
    """
    for label in labels:
        matching = [c for c in conditions if c.answers and c.answers[0] == label]
        if any(c.scores for c in matching) and not matching[-1].scores:
            ctx.report("cc.feedback-after-score",
                       f"{name}: a feedback-only condition for answer {label!r} follows its scoring condition; "
                       "Moodle then loses the correct answer", member, matching[-1].element.sourceline)
