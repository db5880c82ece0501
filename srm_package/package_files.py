"""Package entries that are files on disk (the course's images), written without being held in memory.

A target lists such an entry as a ``FileSource`` instead of bytes; the packager copies
it into the zip (or the site folder) in chunks, so 20 MB of figures cost no more
memory than one chunk. A ``Joined`` entry is a document with files spliced in as
base64 (Moodle XML embeds its images), written piece by piece the same way. Images
that are already compressed (PNG, JPEG, GIF, WebP) are stored, not deflated again:
deflating gains nothing on them and costs time.
"""

from __future__ import annotations

import base64
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from srm_package.errors import BuildError

#: file name endings whose content is compressed already
STORED_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileSource:
    """A package entry copied from ``path``, which the loader found to hold ``size`` bytes."""

    path: str
    size: int


@dataclass(frozen=True)
class Base64Of:
    """The base64 text of a file, made while it is written."""

    source: FileSource


@dataclass(frozen=True)
class Joined:
    """Content written piece after piece: bytes, and files as base64."""

    parts: tuple[bytes | Base64Of, ...]

    @property
    def size(self) -> int:
        return sum(len(part) if isinstance(part, bytes) else 4 * -(-part.source.size // 3) for part in self.parts)


Entry = bytes | FileSource | Joined


def compression(name: str) -> int:
    """How ``name`` is compressed in a zip: stored when it is a compressed image, else deflated."""
    return zipfile.ZIP_STORED if name.lower().endswith(STORED_SUFFIXES) else zipfile.ZIP_DEFLATED


def write_zip_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, content: Entry) -> None:
    """Add ``content`` under ``info`` (whose compression ``compression`` decided)."""
    if isinstance(content, bytes):
        archive.writestr(info, content)
        return
    info.file_size = content.size
    with archive.open(info, "w") as target:
        write_to(target, content)


def write_file(target: Path, content: Entry) -> None:
    """Write ``content`` to ``target`` (a site folder's file)."""
    with open(target, "wb") as out:
        write_to(out, content)


def write_to(stream, content: Entry) -> None:
    """Write ``content`` to an open binary ``stream``, a chunk at a time."""
    if isinstance(content, bytes):
        stream.write(content)
    elif isinstance(content, FileSource):
        for chunk in _chunks(content, _CHUNK):
            stream.write(chunk)
    else:
        for part in content.parts:
            if isinstance(part, bytes):
                stream.write(part)
            else:  # whole groups of 3 bytes encode on their own: the pieces join up
                for chunk in _chunks(part.source, 3 * (_CHUNK // 4)):
                    stream.write(base64.b64encode(chunk))


def entry_size(content: Entry) -> int:
    return len(content) if isinstance(content, bytes) else content.size


def open_entry(content: Entry):
    """A binary reader of ``content`` (a file is read from disk as it is consumed)."""
    if isinstance(content, FileSource):
        return _open(content)
    return io.BytesIO(read_entry(content))


def read_entry(content: Entry) -> bytes:
    """The whole content, in memory (tests; small files)."""
    if isinstance(content, bytes):
        return content

    class _Buffer(list):
        write = list.append

    buffer = _Buffer()
    write_to(buffer, content)
    return b"".join(buffer)


def _chunks(content: FileSource, size: int):
    written = 0
    with _open(content) as source:
        while chunk := source.read(size):
            written += len(chunk)
            if written > content.size:
                break
            yield chunk
    _check_size(content, written)


def _open(content: FileSource):
    try:
        return open(content.path, "rb")
    except OSError as error:
        raise BuildError(f"cannot read {content.path}: {error.strerror}") from None


def _check_size(content: FileSource, size: int) -> None:
    if size != content.size:
        raise BuildError(f"{content.path} changed while the packages were built; build again")
