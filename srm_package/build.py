"""``build``: load the sources once, run each requested target, write all packages atomically.

Each package is written out as soon as its target has built it, so memory holds one
package at a time; large courses build their targets in parallel worker processes.
Each written package carries its target's parity notes (questions left out or
changed, ``questions.parity``); with ``strict`` any note stops the build before
anything is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from srm_package.package import Artifact, Landing, Staged, Staging, build_timestamp
from srm_package.parallel import EarlyWorker, fork_map
from srm_package.targets import TARGETS, builder, needs_lesson_bodies

if TYPE_CHECKING:
    from srm_package.errors import Problem
    from srm_package.model import Course
    from srm_package.questions.parity import Note

#: from this many lessons or questions, targets are built in parallel
_PARALLEL_LESSONS = 8
_PARALLEL_QUESTIONS = 200
#: targets that share work done once per process (the rendered lessons of the three
#: sites, the SCORM question banks): a worker builds them together
_SHARING = ("scorm12", "scorm2004", "html")
#: targets an early worker builds for a small course: those that render pages, so that
#: it imports Jinja2 and loads the templates while the course is read
_EARLY = ("scorm12", "scorm2004", "cc", "moodle-backup", "html")
#: sources up to this size are sent to an early worker (pickling 400 KiB takes ~5 ms)
_SMALL_BYTES = 1 << 20


@dataclass(frozen=True)
class Written:
    path: Path
    size: int
    #: what was written (its ``entries`` are not kept: they are on disk)
    artifact: Artifact
    target: str = ""
    #: the questions this target left out or wrote differently
    notes: tuple[Note, ...] = ()


def build(source_dir: Path, out_dir: Path, targets: list[str] | None = None, *, strict: bool = False,
          ) -> tuple[list[Written], tuple[Problem, ...]]:
    """Build ``targets`` (default: all) from ``source_dir`` into ``out_dir``.

    Raises ``SourceError`` for mistakes in the sources, and with ``strict`` for any question
    a target would leave out or change (nothing is written then). Returns what was written
    (with each target's notes) and the loader's warnings.
    """
    landing = Landing()
    try:
        return _build(source_dir, out_dir, targets or list(TARGETS), landing, strict)
    finally:
        landing.end()


def _build(source_dir: Path, out_dir: Path, names: list[str], landing: Landing, strict: bool = False,
           ) -> tuple[list[Written], tuple[Problem, ...]]:
    ahead = _early_targets(names, source_dir)
    if ahead:  # what both processes use, imported once before the fork
        import srm_package.markup  # noqa: F401 (Markdown: lessons there, inline text in both)
        import srm_package.model  # noqa: F401
    # a small course: a worker imports what its targets need while this process loads
    with EarlyWorker(partial(_prepare, ahead), _build_group, wanted=bool(ahead)) as early:
        # imported after the fork, so that the worker need not wait for it
        from srm_package.loader import load_course

        loaded = load_course(source_dir, lesson_bodies=needs_lesson_bodies(names))
        course = loaded.course
        notes = _notes(course, names, strict)
        with Staging(out_dir, build_timestamp(course)) as staging:
            if early.forked:
                early.submit(_Group(staging, course, ahead))
                rest = [name for name in names if name not in ahead]
                try:
                    built_here = _build_group(_Group(staging, course, rest))
                except BaseException:
                    early.stop()  # before the staging folder it may be writing into is removed
                    raise
                groups, results = [rest, ahead], [built_here, early.result()]
            elif len(names) > 1 and _is_large(course):
                # groups of targets side by side on the cores
                groups = _work_groups(names)
                results = fork_map(_build_group, [_Group(staging, course, group) for group in groups])
            else:
                groups, results = [names], [_build_group(_Group(staging, course, names))]
            # the report keeps the order of names, whichever process built what
            by_name = {name: result for group, group_results in zip(groups, results, strict=True)
                       for name, result in zip(group, group_results, strict=True)}
            built = [by_name[name] for name in names]
            landing.begin()  # from here on the build completes, Ctrl-C or not
            paths = staging.commit([staged for staged, _ in built])
    written = [Written(path, _size(path), artifact, name, tuple(n for n in notes if n.target == name))
               for name, path, (_, artifact) in zip(names, paths, built, strict=True)]
    return written, loaded.warnings


def _notes(course: Course, names: list[str], strict: bool) -> list[Note]:
    """The parity notes of the targets; with ``strict``, a ``SourceError`` if there are any."""
    from srm_package.errors import SourceError
    from srm_package.questions.parity import notes

    found = notes(course, names)
    if strict and found:
        raise SourceError([note.as_problem("error") for note in found])
    return found


@dataclass(frozen=True)
class _Group:
    """Targets built one after another in one process, into ``staging``."""

    staging: Staging
    course: Course
    names: list[str]


def _build_group(group: _Group) -> list[tuple[Staged, Artifact]]:
    results = []
    for name in group.names:
        # staged as soon as it is built, so that only one package is held in memory
        artifact = builder(name)(group.course)
        results.append((group.staging.stage(artifact), artifact.without_entries()))
    return results


def _early_targets(names: list[str], source_dir: Path) -> list[str]:
    """The targets an early worker builds: none unless the course is small and both
    processes get a share; else those of ``_EARLY`` that were asked for."""
    ahead = [name for name in names if name in _EARLY]
    if not ahead or len(ahead) == len(names) or not _is_small(source_dir):
        return []
    return ahead


def _prepare(names: list[str]) -> None:
    """What the early worker does while the course is loaded: imports and templates."""
    for name in names:
        builder(name)
    from srm_package.render import load_templates

    load_templates()


def _is_small(source_dir: Path) -> bool:
    """Few enough bytes of sources to send to a worker: a bigger course is loaded on
    every core first and then shared with workers by ``fork`` (no copying)."""
    total = 0
    folders = [str(source_dir)]
    try:
        while folders:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                    elif entry.is_file(follow_symlinks=False):
                        total += entry.stat(follow_symlinks=False).st_size
                        if total > _SMALL_BYTES:
                            return False
    except OSError:  # no such folder: the loader reports it, with nothing to overlap
        return False
    return True


def _work_groups(names: list[str]) -> list[list[str]]:
    """One group of the requested sharing targets (first: it is the largest), then one per other target."""
    sharing = [name for name in names if name in _SHARING]
    others = [[name] for name in names if name not in _SHARING]
    return ([sharing] if sharing else []) + others


def _is_large(course: Course) -> bool:
    """Worth worker processes: a few milliseconds to start, then each target runs on its own core."""
    return len(course.lessons) >= _PARALLEL_LESSONS or len(course.questions) >= _PARALLEL_QUESTIONS


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size
