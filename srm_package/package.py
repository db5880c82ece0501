"""Deterministic, atomic packaging shared by every target.

Two builds of the same sources give byte-identical files: entries are sorted,
timestamps fixed, permissions fixed. Each artifact is written under a temporary
name; ``output_folder`` says where, and renames them into place together.
"""

from __future__ import annotations

import calendar
import gzip
import os
import shutil
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

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
    # level 6, as the zips: on the 100-lesson course's backup twice as fast as 9 (0.17 against
    # 0.32 s CPU) for 6 % more bytes
    with gzip.GzipFile(filename="", mode="wb", fileobj=stream, compresslevel=6, mtime=mtime) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name in sorted(entries):
            data = entries[name]
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = entry_size(data), mtime, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            with open_entry(data) as source:  # an image is read from disk as it is written
                archive.addfile(info, source)


def write_artifact(artifact: Artifact, folder: Path, timestamp: tuple[int, ...], shown: Path) -> Path:
    """Write ``artifact`` completely (and to disk) under a temporary name in ``folder``;
    its path. Modes are fixed whatever the umask: files 0644, folders 0755, as in the zips.
    A temporary name that cannot be created is reported as a problem with ``shown``, the
    folder the user chose."""
    prefix, suffix = f".{artifact.filename}.", ".part"
    if artifact.kind == "dir":
        tmp = Path(in_folder(shown, tempfile.mkdtemp, folder, prefix, suffix))
        try:
            for name in sorted(artifact.entries):
                target = tmp / name
                target.parent.mkdir(parents=True, exist_ok=True)
                write_file(target, artifact.entries[name])
                os.chmod(target, 0o644)
            # mkdtemp makes the folder private (0700), the umask the others: a site is for everyone
            for folder_path, _, _ in os.walk(tmp):
                os.chmod(folder_path, 0o755)
        except BaseException:
            remove(tmp)
            raise
        return tmp
    handle, tmp_name = in_folder(shown, tempfile.mkstemp, folder, prefix, suffix)
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
        remove(tmp)
        raise
    return tmp


def in_folder(shown: Path, make, folder: Path, prefix: str, suffix: str):
    """``make`` (mkstemp or mkdtemp) in ``folder``; a failure names ``shown``, the folder
    the user chose, not a random temporary name."""
    try:
        return make(prefix=prefix, suffix=suffix, dir=str(folder))
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(shown)) from error


def remove(path: Path) -> None:
    """Remove a file or a folder tree (not what a symbolic link points to); gone already is fine."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
