"""``srm-package validate``: check LMS packages before they reach an LMS, safely.

Reads SCORM 1.2/2004 zips, Canvas QTI zips, Common Cartridges, Moodle XML files,
unpacked package folders and the plain HTML site, and reports every problem as a
``Finding`` (stable check id, severity, package, member file, line, message). The
input is treated as hostile: zips are never extracted, sizes are bounded and XML is
parsed without entities, DTDs or network.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from srm_package.validate.findings import CHECKS, Finding, PackageResult, Severity
from srm_package.validate.limits import DEFAULT_LIMITS, Limits
from srm_package.validate.runner import run_validation

__all__ = ["CHECKS", "DEFAULT_LIMITS", "Finding", "Limits", "PackageResult", "Severity", "run_validation",
           "validate_paths"]


def validate_paths(paths: Iterable[Path], schemas_dir: Path | None = None, strict: bool = False) -> list[Finding]:
    """Every finding for ``paths``; with ``strict`` warnings come back as errors."""
    return [finding for result in run_validation(paths, schemas_dir, strict) for finding in result.findings]
