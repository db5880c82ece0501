"""Reading an untrusted zip without extracting it, within limits.

The central directory is checked before any entry is decompressed: entry count,
declared sizes, compression ratio, names that would escape a folder on extraction,
duplicates, symbolic links and encryption. Entries are then read into memory one at
a time, with the byte count enforced while inflating, so a header that lies about
its size cannot make the validator inflate more than the limit.
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from srm_package.validate.files import MemberError
from srm_package.validate.limits import Limits

#: characters Moodle's file layer drops from unzipped names (lms-targets §1.1)
MOODLE_DROPPED = frozenset("&'\"`|:<>")
_PLAIN_NAME = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/")
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_CHUNK = 64 * 1024

#: (check id, member name or None, message)
Report = Callable[[str, "str | None", str], None]


class ZipOpenError(Exception):
    """The archive cannot be opened at all."""

    def __init__(self, check: str, message: str):
        super().__init__(message)
        self.check = check
        self.message = message


def _sniff(path: Path) -> bytes:
    with path.open("rb") as stream:
        return stream.read(4)


class ZipFiles:
    """An opened zip whose central directory passed the safety checks."""

    def __init__(self, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]):
        self._archive = archive
        self._members = members
        self.names = tuple(members)

    @classmethod
    def open(cls, path: Path, limits: Limits, report: Report) -> ZipFiles | None:
        """Open ``path``; report every unsafe entry; ``None`` when nothing may be read.

        Raises ``ZipOpenError`` when the file is no zip or its directory is unreadable.
        """
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as error:
            if _sniff(path) in _ZIP_MAGIC:
                raise ZipOpenError("zip.corrupt", f"truncated or damaged zip: {error}") from None
            raise ZipOpenError("zip.not-a-zip", "not a zip archive (no zip signature)") from None
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            report("zip.too-many-entries", None,
                   f"{len(infos)} entries, more than the limit of {limits.max_entries}; not read")
            archive.close()
            return None
        safe = _check_bombs(infos, limits, report)
        members = _check_names(infos, report)
        if not safe:
            archive.close()
            return None
        return cls(archive, members)

    def close(self) -> None:
        self._archive.close()

    def read(self, name: str, limit: int) -> bytes:
        """The bytes of ``name``, inflated in one call (no second copy from joining chunks)."""
        info = self._member(name, limit)
        try:
            with self._archive.open(info) as stream:
                data = stream.read(info.file_size + 1)  # to the end, so the CRC is checked
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as error:
            raise MemberError("zip.corrupt", f"cannot be read: {error}") from None
        if len(data) > info.file_size:
            raise MemberError("zip.corrupt", "inflates to more bytes than its header declares")
        return data

    def verify(self, name: str) -> None:
        """Inflate ``name`` completely (discarding the bytes) to prove it is intact."""
        for _ in self._chunks(name, self._members[name].file_size):
            pass

    def _member(self, name: str, limit: int) -> zipfile.ZipInfo:
        info = self._members[name]
        if info.file_size > limit:
            raise MemberError("input.too-large",
                              f"{info.file_size} bytes uncompressed, more than the limit of {limit}")
        return info

    def _chunks(self, name: str, limit: int) -> Iterator[bytes]:
        info = self._member(name, limit)
        budget = info.file_size
        try:
            with self._archive.open(info) as stream:
                while chunk := stream.read(min(_CHUNK, budget + 1)):
                    budget -= len(chunk)
                    if budget < 0:
                        raise MemberError("zip.corrupt", "inflates to more bytes than its header declares")
                    yield chunk
        except MemberError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as error:
            raise MemberError("zip.corrupt", f"cannot be read: {error}") from None


def _check_bombs(infos: list[zipfile.ZipInfo], limits: Limits, report: Report) -> bool:
    """Declared sizes and ratios within limits; ``False`` means: read nothing."""
    safe = True
    total = sum(info.file_size for info in infos)
    if total > limits.max_total_size:
        report("zip.too-large", None,
               f"{total} bytes uncompressed in all, more than the limit of {limits.max_total_size}; not read")
        safe = False
    for info in infos:
        if info.file_size > limits.max_entry_size:
            report("zip.entry-too-large", info.filename,
                   f"{info.file_size} bytes uncompressed, more than the limit of {limits.max_entry_size}")
            safe = False
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= limits.ratio_floor and ratio > limits.max_ratio:
            report("zip.compression-ratio", info.filename,
                   f"expands {ratio:.0f} times ({info.compress_size} → {info.file_size} bytes), "
                   f"more than the limit of {limits.max_ratio}: a zip bomb; not read")
            safe = False
    return safe


def _check_names(infos: list[zipfile.ZipInfo], report: Report) -> dict[str, zipfile.ZipInfo]:
    """The readable file members by name; every unsafe or ambiguous name is reported."""
    members: dict[str, zipfile.ZipInfo] = {}
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        if name in seen:
            # the first copy stays readable, so one defect gives one finding, not a cascade
            report("zip.duplicate-name", name, "appears more than once; which copy an LMS unpacks is undefined")
            continue
        seen.add(name)
        if _name_is_safe(info, report) and not info.is_dir():
            members[name] = info
    return members


def _name_is_safe(info: zipfile.ZipInfo, report: Report) -> bool:
    name = info.filename
    if not name:  # zipfile itself fails on such an entry (``is_dir`` reads its last character)
        report("zip.empty-name", name, "has an empty name; no LMS can unpack it")
        return False
    safe = True
    if "\\" in name:
        report("zip.backslash", name, "uses '\\' as a separator; zip names must use '/'")
        safe = False
    unified = name.replace("\\", "/")
    if unified.startswith("/") or (len(unified) > 1 and unified[1] == ":"):  # "/etc/x", "C:/x"
        report("zip.absolute-path", name, "is an absolute path; it would be extracted outside the package")
        safe = False
    if ".." in unified.split("/"):
        report("zip.path-traversal", name, "contains '..'; it would be extracted outside the package")
        safe = False
    if stat.S_ISLNK(info.external_attr >> 16):
        report("zip.symlink", name, "is a symbolic link; it could point anywhere on the LMS server")
        safe = False
    if info.flag_bits & 0x1:
        report("zip.encrypted", name, "is encrypted; no LMS can read it")
        safe = False
    dropped = sorted(set(name) & MOODLE_DROPPED)
    if dropped:
        report("zip.moodle-mangled-name", name,
               f"contains {' '.join(dropped)}, which Moodle drops when unzipping, so links to it break")
    elif safe and not set(name) <= _PLAIN_NAME:
        report("zip.risky-name", name, "has characters outside [A-Za-z0-9._/-] (spaces, non-ASCII); "
                                       "some LMSs rename such files and links to them break")
    return safe
