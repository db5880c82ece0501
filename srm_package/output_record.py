"""The record srm-package keeps in an output folder (``.srm-package.json``): which packages
it wrote there, from which source folder, with each file's identity, and, while a build's
packages land, which ones are landing.

Read by ``build`` (to remove what it no longer produces, and to find a killed build's
landing) and by ``validate`` (any folder: the record may be hostile, so it is size-bounded
and every name in it must be a plain name inside the folder; anything else is no record).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from srm_package.package import remove

RECORD = ".srm-package.json"
#: a record larger than this is not one of ours (validate reads folders from anywhere)
_RECORD_MAX_BYTES = 1 << 20
_RECORD_FORMAT = 1


@dataclass(frozen=True)
class Recorded:
    """A package in the record: its file name in the folder, its target, the source folder
    it was built from (resolved), and its identity then."""

    file: str
    target: str
    source: str
    identity: tuple[int, ...]


@dataclass(frozen=True)
class Record:
    packages: dict[str, Recorded]
    #: while packages land: the staging folder and (file, staged path) of each, relative to the folder
    landing: tuple[str, tuple[tuple[str, str], ...]] | None = None


@dataclass(frozen=True)
class Interrupted:
    """A build killed while its packages landed: what it left inconsistent."""

    #: the packages that are from an older build, or missing
    stale: tuple[str, ...]
    #: the targets of every package that was landing (built again by the next build)
    targets: tuple[str, ...]

    def describe(self) -> str:
        return (f"an srm-package build was killed while its packages landed here: {', '.join(self.stale)} "
                f"{'is' if len(self.stale) == 1 else 'are'} older than the other packages, or missing")


def read_record(folder: Path) -> Record | None:
    """The record in ``folder``, or ``None`` when there is none or it is not one of ours
    (unreadable, too large, malformed): then nothing is removed on its word."""
    try:
        with open(folder / RECORD, "rb") as stream:
            raw = stream.read(_RECORD_MAX_BYTES + 1)
        if len(raw) > _RECORD_MAX_BYTES:
            return None
        data = json.loads(raw)
        packages = {}
        for entry in data["packages"]:
            recorded = Recorded(entry["file"], entry["target"], entry["source"], tuple(entry["identity"]))
            if not (_plain_name(recorded.file) and isinstance(recorded.target, str) and isinstance(recorded.source, str)
                    and all(isinstance(n, int) for n in recorded.identity)):
                return None
            packages[recorded.file] = recorded
        landing = data.get("landing")
        if landing is not None:
            staging = landing["staging"]
            pairs = tuple((file, staged) for file, staged in landing["packages"])
            if not (staging == "" or _plain_name(staging)) or not all(
                    _plain_name(file) and _inside_staging(staged, staging) for file, staged in pairs):
                return None
            landing = (staging, pairs)
        return Record(packages, landing)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def interrupted_landing(folder: Path) -> Interrupted | None:
    """What a build killed while its packages landed in ``folder`` left stale, if anything."""
    record = read_record(folder)
    return interrupted(folder, record) if record else None


def interrupted(folder: Path, record: Record) -> Interrupted | None:
    if record.landing is None:
        return None
    pairs = record.landing[1]
    stale = tuple(file for file, staged in pairs
                  if os.path.lexists(folder / staged) or not os.path.lexists(folder / file))
    if not stale:  # every package had landed: only the tidying up was cut short
        return None
    targets = tuple(dict.fromkeys(record.packages[file].target for file, _ in pairs if file in record.packages))
    return Interrupted(stale, targets)


def _inside_staging(staged: object, staging: str) -> bool:
    """``staged`` is ``<staging>/<plain name>``."""
    if not isinstance(staged, str):
        return False
    folder, _, name = staged.partition("/")
    return folder == staging and _plain_name(name)


def _plain_name(name: object) -> bool:
    return isinstance(name, str) and name not in ("", ".", "..") and "/" not in name and "\0" not in name


def identity(path: Path) -> tuple[int, ...]:
    """What tells a file this tool wrote from one put in its place since (a folder: its inode)."""
    found = os.lstat(path)
    if os.path.isdir(path) and not os.path.islink(path):
        return (found.st_dev, found.st_ino)
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


def write_record(folder: Path, record: Record, *, durable: bool) -> None:
    """Replace the record in one rename; ``durable``: on disk before anything else happens."""
    data = {
        "written_by": "srm-package: the packages it wrote into this folder; do not edit",
        "format": _RECORD_FORMAT,
        "packages": [{"file": p.file, "target": p.target, "source": p.source, "identity": list(p.identity)}
                     for p in sorted(record.packages.values(), key=lambda p: p.file)],
    }
    if record.landing is not None:
        data["landing"] = {"staging": record.landing[0], "packages": [list(pair) for pair in record.landing[1]]}
    handle, tmp = tempfile.mkstemp(prefix=RECORD + ".", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, indent=1)
            stream.write("\n")
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, folder / RECORD)
    except BaseException:
        remove(Path(tmp))
        raise
