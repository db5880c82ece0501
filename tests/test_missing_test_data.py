"""What a run says when data beside the clone is missing, and that CI runs the README's command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

_NEEDS_SCHEMAS = "def test_needs_schemas(schemas):\n    assert schemas.is_dir()\n\n\ndef test_plain():\n    pass\n"


def _run_in_a_clone_without_schemas(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess:
    """pytest on a copy of the suite's conftest, in a folder with no ../shared beside it."""
    clone = tmp_path / "clone"
    shutil.copytree(ROOT / "tests", clone / "tests",
                    ignore=lambda folder, names: [n for n in names if n.startswith("test_") or n == "__pycache__"])
    (clone / "tests" / "test_needs_schemas.py").write_text(_NEEDS_SCHEMAS, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key not in ("SRM_PACKAGE_SCHEMAS", "CI")}
    env["PYTHONPATH"] = os.pathsep.join([str(clone), str(ROOT)])
    if ci is not None:
        env["CI"] = ci
    assert not (tmp_path / "shared").exists()
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests/test_needs_schemas.py"],
                          cwd=clone, env=env, capture_output=True, text=True, timeout=300)


def test_without_schemas_the_last_line_says_why_tests_were_skipped(tmp_path: Path) -> None:
    result = _run_in_a_clone_without_schemas(tmp_path, ci=None)
    assert result.returncode == 0, result.stdout
    last = result.stdout.strip().splitlines()[-1]
    assert "1 passed, 1 skipped, 1 skipped without the official schemas (set SRM_PACKAGE_SCHEMAS)" in last, last


def test_without_schemas_a_ci_run_fails(tmp_path: Path) -> None:
    result = _run_in_a_clone_without_schemas(tmp_path, ci="true")
    assert result.returncode == 1, result.stdout
    assert "official schemas not found" in result.stdout and "CI=true" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("=") and "1 error" in result.stdout.splitlines()[-1]


def _readme_command(after: str) -> str:
    """The one-line command in the ```sh block that follows the README sentence starting ``after``."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(re.escape(after) + r".*?```sh\n(.+?)\n```", readme, flags=re.DOTALL)
    assert found, after
    return found.group(1)


def test_ci_runs_the_readme_test_command() -> None:
    command = _readme_command("Run every test")
    assert command == "bash scripts/setup-tests.sh && .venv/bin/python -m pytest"
    lines = [line for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    assert lines[-1] == command


@pytest.mark.parametrize("script", ["scripts/setup.sh", "scripts/setup-tests.sh", ".ci/run"])
def test_the_set_up_scripts_are_valid_bash(script: str) -> None:
    assert subprocess.run(["bash", "-n", str(ROOT / script)], capture_output=True).returncode == 0
