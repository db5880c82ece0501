"""Shared fixtures: the project's paths, the official schemas, the seed course.

Some tests need data that lives beside the clone, not in it: the official XSDs (``../shared/schemas``
or ``$SRM_PACKAGE_SCHEMAS``) and the seed page (``../shared/seed``). Without it they are skipped,
and the run's last line says so; under ``CI=true`` a missing schema folder fails them instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.paths import tool_missing

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"

NO_SCHEMAS = "official schemas not found: set SRM_PACKAGE_SCHEMAS or place them in ../shared/schemas"
#: a skip reason's start -> what the run's last line says about such skips
_SKIPS_FOR_MISSING_DATA = {
    NO_SCHEMAS: "skipped without the official schemas (set SRM_PACKAGE_SCHEMAS)",
    "seed page not found": "skipped without ../shared/seed",
}


def schemas_dir() -> Path | None:
    """The official XSDs: ``$SRM_PACKAGE_SCHEMAS`` or ``../shared/schemas`` beside the clone."""
    configured = os.environ.get("SRM_PACKAGE_SCHEMAS")
    candidates = [Path(configured)] if configured else []
    candidates.append(ROOT.parent / "shared" / "schemas")
    for candidate in candidates:
        if (candidate / "README.md").is_file():
            return candidate.resolve()
    return None


@pytest.fixture(scope="session")
def schemas() -> Path:
    found = schemas_dir()
    if found is None:
        tool_missing(NO_SCHEMAS)  # a skip here, a failure under CI=true
    return found


@pytest.fixture(scope="session")
def seed_course():
    from srm_package.loader import load_course

    return load_course(SOURCE).course


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Tests skipped for want of data beside the clone are counted in the run's last line
    ("480 passed, 30 skipped, 28 skipped without the official schemas ..."), which is all
    that many people read; pytest prints the last line from these counts after this hook."""
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        for start, said in _SKIPS_FOR_MISSING_DATA.items():
            if reason.removeprefix("Skipped: ").startswith(start):
                terminalreporter.stats.setdefault(said, []).append(report)


pytest_plugins = ["tests.support.fixtures"]
