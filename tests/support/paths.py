"""Where the test tools live, and how a test reacts when one is missing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
HARNESS_DIR = Path(__file__).resolve().parent / "harness"
CHROMIUM = Path("/usr/bin/chromium")

# The scorm-again browser bundles: classic scripts that define the globals
# ``Scorm12API`` and ``Scorm2004API`` (the harness page loads both).
SCORM_AGAIN_BUNDLES = (
    NODE_MODULES / "scorm-again" / "dist" / "scorm12.js",
    NODE_MODULES / "scorm-again" / "dist" / "scorm2004.js",
)
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

SETUP_HINT = "run `bash scripts/setup-tests.sh`"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def tool_missing(reason: str) -> None:
    """Skip the test on a developer machine, but fail it in CI, where every tool must be there."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true, so this is an error, not a skip)", pytrace=False)
    pytest.skip(reason)


def require_files(*paths: Path) -> None:
    missing = [str(path.relative_to(ROOT)) for path in paths if not path.is_file()]
    if missing:
        tool_missing(f"missing {', '.join(missing)}: {SETUP_HINT}")


def require_chromium() -> Path:
    if not CHROMIUM.is_file():
        tool_missing(f"{CHROMIUM} not found: {SETUP_HINT} (installs Debian's chromium)")
    return CHROMIUM


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        tool_missing("java not found on PATH: the Nu HTML Checker needs Java 11 or later")
    return str(java)
