"""Deterministic, atomic packaging shared by every target.

Two builds of the same sources give byte-identical files: entries are sorted,
timestamps fixed, permissions fixed. Each artifact is written to a temporary
name in the destination folder and renamed into place only once complete, so an
interrupted or failed build never leaves a half-written package in ``dist/``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from srm_package.model import Course

#: zip timestamps cannot precede 1980 nor follow 2107 (two-second resolution)
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_ZIP_LAST = (2107, 12, 31, 23, 59, 58)


@dataclass(frozen=True)
class Artifact:
    """One output of a target: a zip (``.zip``/``.imscc``), a single file, or a folder."""

    filename: str
    kind: str  # "zip", "file" or "dir"
    entries: Mapping[str, bytes]
    #: e.g. "5 questions, pass mark 80%"; shown in the build report
    summary: str = ""


def build_timestamp(course: Course) -> tuple[int, int, int, int, int, int]:
    """The zip timestamp: ``SOURCE_DATE_EPOCH`` when set, else the course's last-updated date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        stamp = time.gmtime(int(epoch))
        parts = (stamp.tm_year, stamp.tm_mon, stamp.tm_mday, stamp.tm_hour, stamp.tm_min, stamp.tm_sec)
    else:
        updated = course.last_updated
        parts = (updated.year, updated.month, updated.day or 1, 0, 0, 0)
    return min(max(parts, _ZIP_EPOCH), _ZIP_LAST)


def zip_bytes_to(stream, entries: Mapping[str, bytes], timestamp: tuple[int, ...]) -> None:
    """Write ``entries`` as a deterministic zip to an open binary ``stream``."""
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=timestamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16  # regular file, rw-r--r--
            info.create_system = 3  # Unix, so the permissions above are read
            archive.writestr(info, entries[name])


def write_artifacts(artifacts: list[Artifact], out_dir: Path, timestamp: tuple[int, ...]) -> list[Path]:
    """Write every artifact into ``out_dir``; all of them land, or none does.

    Each is first written completely under a temporary name beside its final
    place; only when all are written are they renamed into place. Any failure
    (disk full, Ctrl-C) removes the temporary files and leaves ``out_dir`` as it was.
    """
    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for artifact in artifacts:
            staged.append((_stage(artifact, out_dir, timestamp), out_dir / artifact.filename))
        for tmp, final in staged:
            _replace(tmp, final)
    except BaseException:
        for tmp, _ in staged:
            _remove(tmp)
        if created and not any(out_dir.iterdir()):
            out_dir.rmdir()
        raise
    return [final for _, final in staged]


def _stage(artifact: Artifact, out_dir: Path, timestamp: tuple[int, ...]) -> Path:
    prefix, suffix = f".{artifact.filename}.", ".part"
    try:
        if artifact.kind == "dir":
            tmp = Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=out_dir))
        else:
            handle, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=out_dir)
            tmp = Path(tmp_name)
    except OSError as error:
        # report the folder, not the random temporary name that could not be created
        raise OSError(error.errno, error.strerror, str(out_dir)) from error
    if artifact.kind == "dir":
        try:
            for name in sorted(artifact.entries):
                target = tmp / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(artifact.entries[name])
        except BaseException:
            _remove(tmp)
            raise
        return tmp
    try:
        with os.fdopen(handle, "wb") as stream:
            if artifact.kind == "zip":
                zip_bytes_to(stream, artifact.entries, timestamp)
            else:
                (content,) = artifact.entries.values()
                stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _replace(tmp: Path, final: Path) -> None:
    if tmp.is_dir() and final.exists():
        # a folder cannot replace another in one rename: move the old one aside first
        old = final.with_name(f".{final.name}.old")
        _remove(old)
        final.rename(old)
        tmp.rename(final)
        _remove(old)
    else:
        os.replace(tmp, final)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
