"""Reading an untrusted gzip'd tar (a Moodle ``.mbz``) without extracting it, within limits.

A gzip stream cannot be read at random, so the archive is read once, front to back: each
member's header is checked (type, name, declared size, the running total and the
compression ratio so far) before its data is read, and reading stops at the first limit.
The XML members (a backup's structure) are kept in memory to be checked, each until it is
read; other members (a backup's ``files/``) are only read through, which proves they are
complete.
"""

from __future__ import annotations

import gzip
import tarfile
import zlib
from collections.abc import Callable
from pathlib import Path

from srm_package.validate.files import MemberError
from srm_package.validate.limits import Limits

GZIP_MAGIC = b"\x1f\x8b"
#: the fields of a plain ustar header; a longer name needs a pax or GNU extension header
_USTAR_NAME, _USTAR_PREFIX = 100, 155

#: (check id, member name or None, message)
Report = Callable[[str, "str | None", str], None]


class TarOpenError(Exception):
    """The archive cannot be read at all."""

    def __init__(self, check: str, message: str):
        super().__init__(message)
        self.check = check
        self.message = message


class TarFiles:
    """The regular-file members of a gzip'd tar that passed the safety checks."""

    def __init__(self, path: Path, contents: dict[str, bytes | None], max_entries: int):
        self._path = path
        self._contents = contents
        self._max_entries = max_entries
        self._handed_over: set[str] = set()
        self.names = tuple(contents)

    @classmethod
    def open(cls, path: Path, limits: Limits, report: Report, keep: Callable[[str], bool]) -> TarFiles | None:
        """Read ``path`` through; keep the bytes of members for which ``keep(name)`` is true.

        ``None`` when a limit was hit (reported). Raises ``TarOpenError`` when the file is no
        gzip'd tar or is damaged.
        """
        with path.open("rb") as stream:
            if stream.read(2) != GZIP_MAGIC:
                raise TarOpenError("mbz.not-an-archive", "neither a gzip'd tar nor a zip: not a Moodle backup")
        compressed = max(path.stat().st_size, 1)
        contents: dict[str, bytes | None] = {}
        total = count = 0
        extension_reported = False
        try:
            with tarfile.open(path, mode="r|gz") as archive:
                for info in archive:
                    count += 1
                    if count > limits.max_entries:
                        report("zip.too-many-entries", None, f"more than {limits.max_entries} members; not read")
                        return None
                    total += info.size
                    if not _within_limits(info, total, compressed, limits, report):
                        return None
                    if not extension_reported and not _fits_ustar(info):
                        report("mbz.tar-extension", info.name, "needs a pax or GNU extension header (a name "
                               "longer than a plain tar header holds); Moodle's tar reader ignores those and "
                               "cuts or renames the file")
                        extension_reported = True
                    if not _member_is_safe(info, contents, report) or not info.isreg():
                        continue
                    data = None
                    if keep(info.name) and info.size <= limits.max_document_size:
                        data = archive.extractfile(info).read()  # type: ignore[union-attr]
                    contents[info.name] = data
        except (tarfile.TarError, gzip.BadGzipFile, zlib.error, EOFError, OSError) as error:
            raise TarOpenError("mbz.corrupt", f"truncated or damaged archive: {error}") from None
        return cls(path, contents, limits.max_entries)

    def read(self, name: str, limit: int) -> bytes:
        """A kept member's bytes, handed over: this object lets go of them, so that a large document
        is not held here, as bytes, beside the tree its reader builds from them. Asked for again (an
        index naming one folder twice), the member is read again from the archive."""
        if name in self._handed_over:
            return self._read_again(name, limit)
        data = self._contents[name]
        if data is None:
            raise MemberError("input.too-large", f"not an XML document within the limit of {limit} bytes; "
                                                 "only read through")
        if len(data) > limit:
            raise MemberError("input.too-large", f"{len(data)} bytes, more than the limit of {limit}")
        self._contents[name] = None
        self._handed_over.add(name)
        return data

    def _read_again(self, name: str, limit: int) -> bytes:
        """The archive read from the start up to ``name`` (the first copy, as ``open`` kept it)."""
        try:
            with tarfile.open(self._path, mode="r|gz") as archive:
                for count, info in enumerate(archive, 1):
                    if count > self._max_entries:
                        break
                    if info.name == name and info.isreg():
                        data = archive.extractfile(info).read(limit + 1)  # type: ignore[union-attr]
                        if len(data) > limit:
                            raise MemberError("input.too-large", f"more than the limit of {limit} bytes")
                        return data
        except (tarfile.TarError, gzip.BadGzipFile, zlib.error, EOFError, OSError) as error:
            raise MemberError("mbz.corrupt", f"cannot be read again: {error}") from None
        raise MemberError("mbz.corrupt", "was not found when the archive was read again (it changed)")

    def close(self) -> None:
        self._contents.clear()


def _within_limits(info: tarfile.TarInfo, total: int, compressed: int, limits: Limits, report: Report) -> bool:
    if info.size > limits.max_entry_size:
        report("zip.entry-too-large", info.name, f"{info.size} bytes, more than the limit of "
                                                 f"{limits.max_entry_size}; not read")
        return False
    if total > limits.max_total_size:
        report("zip.too-large", None, f"more than {limits.max_total_size} bytes uncompressed; not read further")
        return False
    if total >= limits.ratio_floor and total / compressed > limits.max_ratio:
        report("zip.compression-ratio", info.name, f"expands more than {limits.max_ratio} times "
                                                   f"({compressed} → {total}+ bytes): a gzip bomb; not read further")
        return False
    return True


def _member_is_safe(info: tarfile.TarInfo, seen: dict[str, bytes | None], report: Report) -> bool:
    name = info.name
    if not name:
        report("zip.empty-name", name, "has an empty name; no LMS can unpack it")
        return False
    if not (info.isreg() or info.isdir()):
        kind = "a link" if info.issym() or info.islnk() else "a device or pipe"
        report("mbz.member-type", name, f"is {kind}, not a file or folder; it could point anywhere on the "
                                        "LMS server")
        return False
    unsafe = False
    if "\\" in name:
        report("zip.backslash", name, "uses '\\' as a separator; archive names must use '/'")
        unsafe = True
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        report("zip.absolute-path", name, "is an absolute path; it would be extracted outside the backup")
        unsafe = True
    if ".." in name.replace("\\", "/").split("/"):
        report("zip.path-traversal", name, "contains '..'; it would be extracted outside the backup")
        unsafe = True
    if info.isreg() and name in seen:
        report("zip.duplicate-name", name, "appears more than once; the last copy overwrites the first")
        return False
    return not unsafe


def _fits_ustar(info: tarfile.TarInfo) -> bool:
    """Whether a plain ustar header can hold the name, as Moodle's tgz_extractor reads it."""
    if info.pax_headers:
        return False
    name = info.name.encode("utf-8", "replace")
    if len(name) <= _USTAR_NAME:
        return True
    prefix = name[:_USTAR_PREFIX + 1].rpartition(b"/")[0]
    return bool(prefix) and len(name) - len(prefix) - 1 <= _USTAR_NAME
