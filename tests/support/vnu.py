"""Check HTML files with the Nu HTML Checker (vnu.jar from node_modules) and return its errors."""

from __future__ import annotations

import json
import subprocess
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.paths import VNU_JAR, require_files, require_java

VNU_TIMEOUT_S = 300


@dataclass(frozen=True)
class VnuMessage:
    file: Path | None
    line: int | None
    message: str
    extract: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where}: {self.message}"


def _file_of(url: str | None) -> Path | None:
    if not url or not url.startswith("file:"):
        return None
    return Path(urllib.request.url2pathname(urllib.parse.urlsplit(url).path))


def _message(raw: dict[str, Any]) -> VnuMessage:
    return VnuMessage(
        file=_file_of(raw.get("url")),
        line=raw.get("lastLine"),
        message=str(raw.get("message", "")),
        extract=str(raw.get("extract", "")),
    )


def run_vnu(files: Iterable[Path], extra_args: tuple[str, ...] = ()) -> list[VnuMessage]:
    """The errors vnu reports for ``files`` (checked in one Java run); warnings are left out."""
    paths = [str(Path(path).resolve()) for path in files]
    if not paths:
        raise ValueError("run_vnu needs at least one file")
    require_files(VNU_JAR)
    java = require_java()
    completed = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *extra_args, *paths],
        capture_output=True,
        text=True,
        timeout=VNU_TIMEOUT_S,
        check=False,
    )
    # vnu writes its JSON report to stderr.
    try:
        report = json.loads(completed.stderr)
    except json.JSONDecodeError as error:
        raise RuntimeError(
            f"vnu gave no JSON report (exit {completed.returncode}):\n{completed.stderr[-2000:]}"
        ) from error
    return [
        _message(raw)
        for raw in report.get("messages", [])
        if raw.get("type") in ("error", "non-document-error")
    ]
