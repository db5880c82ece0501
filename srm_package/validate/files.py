"""The files of one package, whatever holds them: a zip archive or a folder on disk.

Checks only see member names (``/``-separated, relative) and bytes read with size
limits, so the same checks run on ``x.zip`` and on an unpacked ``x/`` folder, and
nothing is ever extracted.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from srm_package.validate.limits import Limits


class MemberError(Exception):
    """A member could not be read safely; ``check`` is the id to report it under."""

    def __init__(self, check: str, message: str):
        super().__init__(message)
        self.check = check
        self.message = message


class PackageFiles(Protocol):
    """Read access to the files of one package."""

    #: every file member (no folders), unique, in a stable order
    names: tuple[str, ...]

    def read(self, name: str, limit: int) -> bytes:
        """The bytes of member ``name``; ``MemberError`` if larger than ``limit`` or damaged."""
        ...


class FolderFiles:
    """A package folder (an unpacked package, or the plain ``html`` site)."""

    def __init__(self, root: Path, limits: Limits):
        self.root = root
        self.names, self.unsafe_links = _walk(root, limits.max_entries)

    def read(self, name: str, limit: int) -> bytes:
        path = self.root / name
        size = path.stat().st_size
        if size > limit:
            raise MemberError("input.too-large", f"{size} bytes, more than the limit of {limit}")
        with path.open("rb") as stream:
            return stream.read(limit)


def _walk(root: Path, max_entries: int) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Member names below ``root``, and the symbolic links never followed, each with the reason."""
    names: list[str] = []
    unsafe: list[tuple[str, str]] = []
    resolved_root = root.resolve()
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        for dir_name in dirs:  # os.walk lists a linked folder here and never enters it
            path = Path(folder) / dir_name
            problem = _link_problem(path, resolved_root)
            if problem:
                unsafe.append((path.relative_to(root).as_posix(), problem))
        for file_name in sorted(files):
            path = Path(folder) / file_name
            relative = path.relative_to(root).as_posix()
            problem = _link_problem(path, resolved_root)
            if problem:
                unsafe.append((relative, problem))
                continue
            if path.is_file():
                names.append(relative)
            if len(names) > max_entries:
                return tuple(names), tuple(unsafe)
    return tuple(names), tuple(unsafe)


def _link_problem(path: Path, resolved_root: Path) -> str:
    """Why the symbolic link ``path`` is not read ('' if it is no link or stays inside the package)."""
    if not path.is_symlink():
        return ""
    try:
        target = path.resolve()
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError on a loop, later versions OSError
        return "is a symbolic link that loops (it never reaches a file); not read"
    if not target.is_relative_to(resolved_root):
        return "is a symbolic link to a file outside the package folder; not read"
    return ""
