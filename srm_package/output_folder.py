"""The output folder (``dist/``): one build at a time, packages that land together, and a
record of what srm-package wrote there.

What the tool keeps in the folder, all hidden (``validate`` skips hidden names):

- ``.srm-package.lock`` while a build runs: a second build into the same folder waits
  for the first (``flock``; the kernel releases it when a build dies, however it dies).
- ``.srm-package-*.part``: the private staging folder of a running build. Packages are
  written there under temporary names, then renamed into place together. A folder left
  by a killed build is removed by the next build into the same output folder.
- ``.srm-package.json``, the record (``output_record``): each package the tool wrote,
  with its target, its source folder and the file's identity (inode, size, modification
  time), so that a later build from the same sources removes the packages it no longer
  produces (a changed course id, a target that became empty), and never a file it did not
  write, nor one changed since, nor another course's. While packages land it also lists
  them (``landing``); a build killed in that moment (SIGKILL: nothing can run) leaves that
  list behind, and the next build, or ``validate`` of the folder, names the files that are
  older than the others or missing, and the next build builds their targets again, so the
  folder holds one consistent set.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from srm_package.output_record import (
    Interrupted,
    Record,
    Recorded,
    identity,
    interrupted,
    read_record,
    write_record,
)
from srm_package.package import Artifact, in_folder, remove, write_artifact

LOCK = ".srm-package.lock"
STAGING_PREFIX, STAGING_SUFFIX = ".srm-package-", ".part"


class Staged(NamedTuple):
    """A package written completely under a temporary name, the name it will get, its target."""

    tmp: Path
    final: Path
    target: str


@dataclass(frozen=True)
class Landed:
    """What ``OutputFolder.land`` did: the packages in place (in order), and the packages of
    earlier builds it removed or left because they were changed since."""

    paths: list[Path]
    removed: list[Path]
    changed: list[Path]


class OutputFolder:
    """``with OutputFolder(path) as folder:``: the folder exists and is this build's alone.

    On entering: the folder is created if needed, locked (``on_wait`` is told if another
    build holds it), what a killed build left is found (``interrupted``) and its debris
    removed. On leaving, a folder created for this build that got nothing (an error,
    Ctrl-C, no package to write) is removed again, so the output folder is left as it was.
    """

    def __init__(self, path: Path, on_wait: Callable[[str], None] | None = None) -> None:
        self.path = path
        self._on_wait = on_wait
        self._lock: int | None = None
        self._created = False
        self._changed = False  # by land(): packages written or removed
        self.record = Record({})
        self.interrupted: Interrupted | None = None

    def __enter__(self) -> OutputFolder:
        self._created = not self.path.exists()
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            self._lock = _acquire(self.path, self._on_wait)
            self.record = read_record(self.path) or Record({})
            self.interrupted = interrupted(self.path, self.record)
            self._remove_debris()
        except BaseException:
            self.__exit__(True)
            raise
        return self

    def __exit__(self, error: object, *_: object) -> None:
        if self._lock is None:
            if self._created:
                _rmdir_if_empty(self.path)
            return
        lock, self._lock = self._lock, None
        # removed while still held: a build waiting for it finds it gone and locks a new one
        with contextlib.suppress(OSError):
            (self.path / LOCK).unlink()
        os.close(lock)
        if self._created and not self._changed:
            _rmdir_if_empty(self.path)

    def staging(self, timestamp: tuple[int, ...]) -> Staging:
        return Staging(self.path, timestamp)

    def land(self, staged: list[Staged], covered: Iterable[str], source: Path) -> Landed:
        """Rename every staged package into place, then remove the packages that earlier
        builds from the same ``source`` folder wrote for the ``covered`` targets (or for
        targets that no longer exist) and that this build did not write again; packages of
        other courses built into the same folder are left alone. The record says what is
        landing meanwhile."""
        from srm_package.targets import TARGETS

        old = self.record.packages
        source_name = str(source.resolve())
        new = {item.final.name: Recorded(item.final.name, item.target, source_name, identity(item.tmp))
               for item in staged}
        if staged:
            folder = staged[0].tmp.parent.name
            landing = tuple((item.final.name, f"{folder}/{item.tmp.name}") for item in staged)
            write_record(self.path, Record({**old, **new}, (folder, landing)), durable=True)
            for item in staged:
                _replace(item.tmp, item.final)
        covered = set(covered)
        removed, changed, dropped = [], [], set()
        for name, package in old.items():
            if name in new or package.source != source_name or (
                    package.target in TARGETS and package.target not in covered):
                continue
            path = self.path / name
            dropped.add(name)
            if not os.path.lexists(path):
                continue
            if identity(path) == package.identity:
                remove(path)
                removed.append(path)
            else:  # not what this tool wrote any more: someone else's now
                changed.append(path)
        if staged or dropped or self.record.landing is not None:  # a killed build's landing: over now
            self._changed = True
            self.record = Record({name: package for name, package in {**old, **new}.items() if name not in dropped})
            write_record(self.path, self.record, durable=False)
        return Landed([item.final for item in staged], removed, changed)

    def _remove_debris(self) -> None:
        """Staging folders of builds that died, and sites half swapped (``.<name>.old``)."""
        known = set(self.record.packages) | {name for name, _ in (self.record.landing or ("", ()))[1]}
        for entry in os.scandir(self.path):
            name = entry.name
            ours = (name.startswith(STAGING_PREFIX) and name.endswith(STAGING_SUFFIX)) or (
                name.startswith(".") and name.endswith(".old") and name[1:-4] in known)
            if ours and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)


class Staging:
    """A private folder inside the output folder that packages are written into under
    temporary names, from this process or forked workers; removed on leaving (what was
    landed has been renamed out of it by then)."""

    def __init__(self, out_dir: Path, timestamp: tuple[int, ...]) -> None:
        self.out_dir = out_dir
        self.timestamp = timestamp
        self.folder: Path | None = None

    def __enter__(self) -> Staging:
        self.folder = Path(in_folder(self.out_dir, tempfile.mkdtemp, self.out_dir, STAGING_PREFIX, STAGING_SUFFIX))
        return self

    def __exit__(self, *_: object) -> None:
        if self.folder is not None:
            remove(self.folder)

    def stage(self, artifact: Artifact, target: str) -> Staged:
        """Write ``artifact`` completely under a temporary name."""
        assert self.folder is not None, "stage() is used inside 'with Staging(...)'"
        tmp = write_artifact(artifact, self.folder, self.timestamp, self.out_dir)
        return Staged(tmp, self.out_dir / artifact.filename, target)


def write_packages(out_dir: Path, timestamp: tuple[int, ...], built: Iterable[tuple[str, Artifact]],
                   source: Path) -> Landed:
    """Stage and land ``(target, artifact)`` pairs built beforehand (the benchmarks' way;
    ``build`` stages each package as soon as it is built, to hold one at a time)."""
    built = list(built)
    with OutputFolder(out_dir) as folder, folder.staging(timestamp) as staging:
        return folder.land([staging.stage(artifact, target) for target, artifact in built],
                           [target for target, _ in built], source)


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or inside it (symbolic links followed)."""
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def _acquire(folder: Path, on_wait: Callable[[str], None] | None) -> int:
    """Lock ``folder`` for this build: an open, locked ``.srm-package.lock`` (its descriptor).

    A build that finds it locked says so once and waits. The holder removes the file before
    unlocking, so a waiter may lock a file that is gone: it then tries again on a new one.
    """
    import fcntl

    path = folder / LOCK
    told = False
    while True:
        folder.mkdir(parents=True, exist_ok=True)  # a build that created it may have failed and removed it
        lock = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait and not told:
                    holder = os.pread(lock, 32, 0).decode("ascii", "replace").strip()
                    on_wait(f"waiting for another srm-package build into {folder} to finish"
                            + (f" (process {holder})" if holder.isdigit() else ""))
                    told = True
                fcntl.flock(lock, fcntl.LOCK_EX)
            opened, named = os.fstat(lock), os.stat(path)
            if (opened.st_dev, opened.st_ino) == (named.st_dev, named.st_ino):
                os.ftruncate(lock, 0)
                os.pwrite(lock, f"{os.getpid()}\n".encode("ascii"), 0)
                return lock
        except FileNotFoundError:  # removed by the build that held it: lock a new one
            pass
        except BaseException:
            os.close(lock)
            raise
        os.close(lock)


def _replace(tmp: Path, final: Path) -> None:
    if tmp.is_dir() and final.exists():
        # a folder cannot replace another in one rename: move the old one aside first
        old = final.with_name(f".{final.name}.old")
        remove(old)
        final.rename(old)
        tmp.rename(final)
        remove(old)
    else:
        os.replace(tmp, final)


def _rmdir_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()
