"""The code stays ruff-clean (the project's lint settings are in pyproject.toml)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def test_ruff_finds_nothing():
    # ruff through the interpreter running the tests: a virtual environment's bin/ need not be on PATH
    if importlib.util.find_spec("ruff") is None:
        pytest.skip("ruff is not installed: run `bash scripts/setup-tests.sh`")
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", str(ROOT)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
