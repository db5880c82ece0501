"""A real ``srm-package preview`` process on a free port, for the server and browser tests."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT, SOURCE

START_TIMEOUT_S = 30


@dataclass
class PreviewProcess:
    process: subprocess.Popen
    url: str
    source: Path
    output: list[str] = field(default_factory=list)  # stdout and stderr lines, as they come
    reader: threading.Thread | None = None

    def stop(self, signum: int = signal.SIGINT, timeout: float = 10) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        code = self.process.wait(timeout)
        if self.reader is not None:
            self.reader.join(timeout)  # every line written before the exit is in ``output``
        return code


def start_preview(source: Path, *args: str) -> PreviewProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "srm_package", "preview", str(source), "--port", "0", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    output: list[str] = []
    found = threading.Event()
    url: list[str] = []

    def read() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            output.append(line.rstrip("\n"))
            match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
            if match and not url:
                url.append(match.group(1))
                found.set()
        found.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if not found.wait(START_TIMEOUT_S) or not url:
        process.kill()
        raise AssertionError("preview did not start:\n" + "\n".join(output))
    return PreviewProcess(process, url[0], source, output, reader)


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SOURCE, tmp_path / "source"))


@pytest.fixture
def preview(seed_copy: Path) -> Iterator[PreviewProcess]:
    running = start_preview(seed_copy)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def shared_preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PreviewProcess]:
    """One preview of a seed copy for the tests of a module that only read from it."""
    source = Path(shutil.copytree(SOURCE, tmp_path_factory.mktemp("shared") / "source"))
    running = start_preview(source)
    yield running
    running.stop()
