"""An installed (non-editable) srm-package carries its templates and every sub-package."""

from __future__ import annotations

import fnmatch
import tomllib

import pytest

from tests.conftest import ROOT


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


@pytest.mark.parametrize(("package", "folder"), [
    ("srm_package.templates", "templates"),
    ("srm_package.starter", "srm_package/starter"),  # `new` copies it
    ("srm_package.examples", "examples"),  # `new` writes the CI workflow from examples/ci
    ("srm_package.preview", "srm_package/preview"),  # the simulated LMS and reload script
    ("srm_package.i18n", "srm_package/i18n"),  # the catalogs of the learner's strings
])
def test_every_data_file_is_package_data(package: str, folder: str):
    patterns = _setuptools()["package-data"][package]
    root = ROOT / _setuptools()["package-dir"].get(package, package.replace(".", "/"))
    files = [p.relative_to(root).as_posix() for p in (ROOT / folder).rglob("*")
             if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert files
    missing = [f for f in files if not any(fnmatch.fnmatch(f, pattern) for pattern in patterns)]
    assert missing == [], "add these to [tool.setuptools.package-data]"


def test_every_python_package_is_listed():
    listed = set(_setuptools()["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "srm_package").rglob("__init__.py")
    }
    assert found <= listed, f"unlisted packages: {sorted(found - listed)}"
