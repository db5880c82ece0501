"""An installed (non-editable) srm-package carries its templates and every sub-package."""

from __future__ import annotations

import fnmatch
import tomllib

from tests.conftest import ROOT


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_template_file_is_package_data():
    patterns = _setuptools()["package-data"]["srm_package.templates"]
    templates = ROOT / "templates"
    files = [p.relative_to(templates).as_posix() for p in templates.rglob("*") if p.is_file()]
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
