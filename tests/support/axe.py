"""Run axe-core (from node_modules) inside a page or frame and return its WCAG 2.1 A/AA violations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Frame, Page

from tests.support.paths import AXE_SCRIPT, require_files

WCAG_21_AA_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


@dataclass(frozen=True)
class AxeViolation:
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]  # CSS selectors of the offending nodes

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}): {self.help} at {', '.join(self.targets)}"


def _violation(raw: dict[str, Any]) -> AxeViolation:
    targets = tuple(" ".join(map(str, node["target"])) for node in raw.get("nodes", []))
    return AxeViolation(rule=raw["id"], impact=raw.get("impact") or "", help=raw["help"], targets=targets)


def run_axe(target: Page | Frame, tags: tuple[str, ...] = WCAG_21_AA_TAGS) -> list[AxeViolation]:
    """Every WCAG 2.1 A/AA violation in ``target``'s document, whatever axe's impact rating
    (a "moderate" or "minor" one still fails the AA promise).

    axe's script is injected inline (no request leaves the page), once per document.
    """
    require_files(AXE_SCRIPT)
    if not target.evaluate("() => typeof window.axe === 'object'"):
        target.add_script_tag(path=str(AXE_SCRIPT))
    raw: list[dict[str, Any]] = target.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {
                runOnly: { type: "tag", values: tags },
                resultTypes: ["violations"],
            });
            return results.violations;
        }""",
        list(tags),
    )
    return [_violation(item) for item in raw]


def format_violations(violations: list[AxeViolation]) -> str:
    return "\n".join(str(violation) for violation in violations)
