"""The quiz slots of a Moodle backup point into its question bank (run by ``moodle_backup_files``).

Each slot of a quiz (``activities/quiz_<id>/quiz.xml``, ``question_instance``) asks either
one question, a ``question_reference`` to a ``question_bank_entry`` of ``questions.xml``,
or a random one, a ``question_set_reference`` whose ``filtercondition`` (JSON) names the
category to draw from. Moodle's restore maps those ids to the rows it restores
(``restore_question_reference_data_trait``, ``restore_question_set_reference_data_trait``);
an id the backup does not hold leaves a slot without a question, and the restore brings back
only the question categories some ``inforef.xml`` names, so a random slot drawing from another
draws from nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from lxml import etree

from srm_package.validate.context import PackageCheck
from srm_package.validate.safe_xml import child, children, descendants, text_of

CHECKS = ("mbz.question-reference",)


@dataclass(frozen=True)
class _Slot:
    member: str
    line: int | None
    number: str
    entry: str | None  # a question_reference's bank entry
    condition: str | None  # a question_set_reference's filtercondition


class SlotReferences:
    """Collects the bank's ids, the quizzes' slots and their inforef categories from the
    documents other checks parse anyway (each member is read once), then checks them."""

    def __init__(self) -> None:
        self.entries: set[str] = set()
        self.categories: set[str] = set()
        self.slots: list[_Slot] = []
        #: the question categories the backup's inforef.xml files name (None: no inforef read)
        self.named: set[str] | None = None
        self.bank_read = False

    def bank(self, root: etree._Element) -> None:
        """``questions.xml``."""
        self.bank_read = True
        self.entries |= {row.get("id", "") for row in descendants(root, "question_bank_entry")}
        self.categories |= {row.get("id", "") for row in descendants(root, "question_category")}

    def quiz(self, member: str, root: etree._Element) -> None:
        """A quiz activity's ``quiz.xml``."""
        for slot in descendants(root, "question_instance"):
            number = text_of(child(slot, "slot")) or "?"
            for reference in children(slot, "question_reference"):
                self.slots.append(_Slot(member, reference.sourceline, number,
                                        text_of(child(reference, "questionbankentryid")), None))
            for reference in children(slot, "question_set_reference"):
                self.slots.append(_Slot(member, reference.sourceline, number, None,
                                        text_of(child(reference, "filtercondition"))))

    def inforef(self, root: etree._Element) -> None:
        """An ``inforef.xml`` (the course's or an activity's)."""
        self.named = (self.named or set()) | {text_of(child(row, "id"))
                                              for row in descendants(root, "question_category")}

    def check(self, ctx: PackageCheck) -> None:
        if not self.bank_read:  # questions.xml missing or unreadable: reported by other checks
            return
        for slot in self.slots:
            if slot.entry is not None and slot.entry not in self.entries:
                ctx.report("mbz.question-reference", f"slot {slot.number} asks question bank entry {slot.entry!r}, "
                           "which questions.xml does not hold: Moodle restores the slot without a question",
                           slot.member, slot.line)
            elif slot.condition is not None:
                problem = _set_reference_problem(slot.condition, self.categories, self.named)
                if problem:
                    ctx.report("mbz.question-reference", f"slot {slot.number} (a random question): {problem}",
                               slot.member, slot.line)


def _set_reference_problem(text: str, categories: set[str], named: set[str] | None) -> str | None:
    try:
        condition = json.loads(text)
        if "filter" in condition:  # Moodle 4.3 and later
            category = condition["filter"]["category"]["values"][0]
        else:  # earlier: converted on restore (question_reference_manager)
            category = condition["questioncategoryid"]
    except (ValueError, KeyError, IndexError, TypeError):
        return "its filtercondition names no category to draw from (expected JSON with filter.category.values)"
    category = str(category)
    if category not in categories:
        return f"it draws from question category {category!r}, which questions.xml does not hold"
    if named is not None and category not in named:
        return (f"it draws from question category {category!r}, which no inforef.xml names: "
                "Moodle's restore leaves that category out")
    return None
