"""Checking many packages: one at a time in each process, over the machine's cores, largest first.

A folder such as ``dist/`` holds packages of very different sizes (a 20 MiB SCORM zip
beside a 5 MiB Moodle XML file). They are shared out over forked worker processes as
``build`` shares out its targets (``parallel.fork_map``; ``SRM_PACKAGE_WORKERS=1``
keeps them in this process), the largest first so that the processes finish at about
the same time, and the results come back in the order of the packages given. Between
two packages a process hands the memory it freed back to the system.
"""

from __future__ import annotations

import functools
import itertools
import os
import sys
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from srm_package.parallel import fork_map

Job = TypeVar("Job")
Result = TypeVar("Result")


def check_all(check: Callable[[Job], Result], jobs: Sequence[Job], size_of: Callable[[Job], int]) -> list[Result]:
    """``[check(job) for job in jobs]``, the largest packages first, each process freeing memory after each."""
    order = sorted(range(len(jobs)), key=lambda index: -size_of(jobs[index]))
    done = fork_map(functools.partial(_check_and_release, check), [jobs[index] for index in order])
    by_index = dict(zip(order, done, strict=True))
    return [by_index[index] for index in range(len(jobs))]


def package_size(path: Path, is_zip: bool, max_entries: int) -> int:
    """About how many bytes checking ``path`` reads: a zip's entries as its directory declares them
    (a zip is compressed ten times or more), a folder's files (at most ``max_entries``, links not
    followed), another file's size; 0 if that cannot be told."""
    try:
        if path.is_dir():
            sizes = (entry.stat(follow_symlinks=False).st_size for folder, _, files in os.walk(path)
                     for entry in map(Path(folder).joinpath, files))
            return sum(itertools.islice(sizes, max_entries))
        if not path.is_file():  # a pipe or device: never opened here
            return 0
        if is_zip:
            with zipfile.ZipFile(path) as archive:
                return sum(info.file_size for info in itertools.islice(archive.infolist(), max_entries))
        return path.stat().st_size
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError):
        return 0


def _check_and_release(check: Callable[[Job], Result], job: Job) -> Result:
    result = check(job)
    return_freed_memory()
    return result


def return_freed_memory() -> None:
    """Give the memory the last package's documents were freed from back to the system.

    glibc keeps freed memory for reuse, and the bytes and trees of a large package leave
    it in pieces that the next package cannot reuse well: a process that checks several
    packages would grow towards the sum of their peaks rather than stay at the largest
    (measured on a 100-lesson course's dist/: 169 MiB without this, 130 MiB with it).
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or ``None`` on another C library or platform."""
    if sys.platform != "linux":
        return None
    import ctypes  # here: only a run that checks a package pays for importing it

    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
