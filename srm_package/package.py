"""Deterministic, atomic packaging shared by every target.

Two builds of the same sources give byte-identical files: entries are sorted,
timestamps fixed, permissions fixed. Each artifact is written under a temporary
name in a private folder inside the destination and renamed into place only once
every one is complete, so an interrupted or failed build never leaves a
half-written package in ``dist/``.
"""

from __future__ import annotations

import calendar
import gzip
import os
import shutil
import signal
import tarfile
import tempfile
import threading
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from srm_package.errors import BuildError
from srm_package.package_files import (
    Entry,
    compression,
    entry_size,
    open_entry,
    write_file,
    write_to,
    write_zip_entry,
)

if TYPE_CHECKING:  # the model is imported by whatever made the course
    from srm_package.model import Course

#: zip timestamps cannot precede 1980 nor follow 2107 (two-second resolution)
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_ZIP_LAST = (2107, 12, 31, 23, 59, 58)


@dataclass(frozen=True)
class Artifact:
    """One output of a target: a zip (``.zip``/``.imscc``), a gzip'd tar (``.mbz``), a
    single file, or a folder."""

    filename: str
    kind: str  # "zip", "tgz", "file" or "dir"
    #: name → content: bytes, or a file on disk copied in when written (``package_files``)
    entries: Mapping[str, Entry]
    #: e.g. "5 questions, pass mark 80%"; shown in the build report
    summary: str = ""

    def without_entries(self) -> Artifact:
        """The same description, holding no file contents (once they are written out)."""
        return replace(self, entries={})


def build_timestamp(course: Course) -> tuple[int, int, int, int, int, int]:
    """The zip timestamp: ``SOURCE_DATE_EPOCH`` when set, else the course's last-updated date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        # reproducible-builds.org: a malformed value is an error, not silently ignored
        if not epoch.isdigit():
            raise BuildError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970; found {epoch!r}")
        try:
            stamp = time.gmtime(int(epoch))
        except (OverflowError, OSError, ValueError):  # beyond what the platform's time can hold
            return _ZIP_LAST
        parts = (stamp.tm_year, stamp.tm_mon, stamp.tm_mday, stamp.tm_hour, stamp.tm_min, stamp.tm_sec)
    else:
        updated = course.last_updated
        parts = (updated.year, updated.month, updated.day or 1, 0, 0, 0)
    return min(max(parts, _ZIP_EPOCH), _ZIP_LAST)


def zip_bytes_to(stream, entries: Mapping[str, Entry], timestamp: tuple[int, ...]) -> None:
    """Write ``entries`` as a deterministic zip to an open binary ``stream``."""
    archive = zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    try:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=timestamp)
            info.compress_type = compression(name)
            info.external_attr = 0o100644 << 16  # regular file, rw-r--r--
            info.create_system = 3  # Unix, so the permissions above are read
            write_zip_entry(archive, info, entries[name])
    except BaseException:
        # abandoned (the caller removes the file): closing it now, or when it is garbage
        # collected after the stream is closed, would fail and print "Exception ignored"
        archive.fp = None
        raise
    archive.close()


def epoch_seconds(timestamp: tuple[int, ...]) -> int:
    """``timestamp`` (as ``build_timestamp`` gives it, UTC) in seconds since 1970."""
    return calendar.timegm((*timestamp[:6], 0, 0, 0))


def tgz_bytes_to(stream, entries: Mapping[str, Entry], timestamp: tuple[int, ...]) -> None:
    """Write ``entries`` as a deterministic gzip'd tar to an open binary ``stream``.

    Plain ustar members only (no pax or GNU headers: Moodle's own tar reader takes any
    other header for a file), sorted, owned by 0/0 with no names, mode 0644, all at
    ``timestamp``; the gzip header carries that time and no file name.
    """
    mtime = epoch_seconds(timestamp)
    with gzip.GzipFile(filename="", mode="wb", fileobj=stream, compresslevel=9, mtime=mtime) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name in sorted(entries):
            data = entries[name]
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = entry_size(data), mtime, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            with open_entry(data) as source:  # an image is read from disk as it is written
                archive.addfile(info, source)


class Staged(NamedTuple):
    """A package written completely under a temporary name, and the name it will get."""

    tmp: Path
    final: Path


class Staging:
    """Packages written under temporary names in a private folder inside ``out_dir``, then
    renamed into place together: all of them land, or none does.

    ``stage`` may be called from forked worker processes: it only writes files, and the
    caller keeps the ``Staged`` results to ``commit``. Leaving the ``with`` block without a
    commit (an error, Ctrl-C) removes everything staged, and ``out_dir`` if it was created
    for this build, so ``out_dir`` is left as it was.
    """

    def __init__(self, out_dir: Path, timestamp: tuple[int, ...]):
        self.out_dir = out_dir
        self.timestamp = timestamp
        self.folder: Path | None = None
        self._created = False

    def __enter__(self) -> Staging:
        self._created = not self.out_dir.exists()
        self.out_dir.mkdir(parents=True, exist_ok=True)
        try:
            self.folder = Path(_in_folder(self.out_dir, tempfile.mkdtemp, self.out_dir, ".srm-package-", ".part"))
        except BaseException:
            self._forget_out_dir()
            raise
        return self

    def _forget_out_dir(self) -> None:
        if self._created and not any(self.out_dir.iterdir()):
            self.out_dir.rmdir()

    def __exit__(self, *exc_info: object) -> None:
        if self.folder is not None:
            _remove(self.folder)
        if exc_info[0] is not None:
            self._forget_out_dir()

    def stage(self, artifact: Artifact) -> Staged:
        """Write ``artifact`` completely (and to disk) under a temporary name."""
        assert self.folder is not None, "stage() is used inside 'with Staging(...)'"
        return Staged(_stage(artifact, self.folder, self.out_dir, self.timestamp),
                      self.out_dir / artifact.filename)

    def commit(self, staged: list[Staged]) -> list[Path]:
        """Rename every staged package into place; returns their final paths, in order."""
        for item in staged:
            _replace(item.tmp, item.final)
        return [item.final for item in staged]


class Landing:
    """Ctrl-C is ignored from ``begin`` (the packages start landing in ``out_dir``) to ``end``.

    So the renames are all or nothing, and a build whose packages landed never reports
    "interrupted, nothing written" because a Ctrl-C came in while it was tidying up; a
    Ctrl-C in that moment is dropped and the build reports what it wrote. Signals reach
    only the main thread: elsewhere (and where Python does not own the SIGINT handler)
    this does nothing.
    """

    def __init__(self) -> None:
        self._previous: object = None

    def begin(self) -> None:
        if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGINT) is not None:
            self._previous = signal.signal(signal.SIGINT, signal.SIG_IGN)

    def end(self) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)  # type: ignore[arg-type]
            self._previous = None


def _in_folder(out_dir: Path, make, folder: Path, prefix: str, suffix: str):
    """``make`` (mkstemp or mkdtemp) in ``folder``; a failure names ``out_dir``, the folder
    the user chose, not a random temporary name."""
    try:
        return make(prefix=prefix, suffix=suffix, dir=str(folder))
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(out_dir)) from error


def _stage(artifact: Artifact, folder: Path, out_dir: Path, timestamp: tuple[int, ...]) -> Path:
    prefix, suffix = f".{artifact.filename}.", ".part"
    if artifact.kind == "dir":
        tmp = Path(_in_folder(out_dir, tempfile.mkdtemp, folder, prefix, suffix))
        try:
            for name in sorted(artifact.entries):
                target = tmp / name
                target.parent.mkdir(parents=True, exist_ok=True)
                write_file(target, artifact.entries[name])
            os.chmod(tmp, 0o755)  # mkdtemp makes it private (0700); a site is for everyone to read
        except BaseException:
            _remove(tmp)
            raise
        return tmp
    handle, tmp_name = _in_folder(out_dir, tempfile.mkstemp, folder, prefix, suffix)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            if artifact.kind == "zip":
                zip_bytes_to(stream, artifact.entries, timestamp)
            elif artifact.kind == "tgz":
                tgz_bytes_to(stream, artifact.entries, timestamp)
            else:
                (content,) = artifact.entries.values()
                write_to(stream, content)
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
