"""Shared fixtures: the project's paths, the official schemas, the seed course."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"


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
        pytest.skip("official schemas not found: set SRM_PACKAGE_SCHEMAS or place them in ../shared/schemas")
    return found


@pytest.fixture(scope="session")
def seed_course():
    from srm_package.loader import load_course

    return load_course(SOURCE).course


pytest_plugins = ["tests.support.fixtures"]
