"""``build``: load the sources once, run each requested target, land all packages together.

Each package is written out as soon as its target has built it, so memory holds one
package at a time; large courses build their targets in parallel worker processes.
Each written package carries its target's parity notes (questions left out or
changed, ``questions.parity``); with ``strict`` any note stops the build before
anything is written. The output folder (``output_folder``) is locked for the build,
and its record says what earlier builds wrote there. With ``per_lesson`` the SCORM
targets write one package per lesson (``Course.lesson_course``), each recorded under its
target like any other package, so that a later build removes the ones it no longer writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from srm_package.output_folder import Interrupted, OutputFolder, Staged, Staging
from srm_package.package import Artifact, build_timestamp
from srm_package.parallel import fork_map
from srm_package.signals import Hold
from srm_package.targets import PER_LESSON, QUIZ_ONLY, TARGETS, builder, needs_lesson_bodies

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


@dataclass(frozen=True)
class Written:
    path: Path
    size: int
    #: what was written (its ``entries`` are not kept: they are on disk)
    artifact: Artifact
    target: str = ""
    #: the questions this target left out or wrote differently
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the report: the packages written (in target order, a per-lesson
    target's in lesson order, each with its parity notes), the loader's warnings, and what it
    found in the output folder and changed there."""

    written: list[Written]
    warnings: tuple[Problem, ...]
    #: targets not built, with why (a quiz-only target of a course without a quiz)
    skipped: list[tuple[str, str]]
    #: packages earlier builds wrote that this one no longer produces: removed ...
    removed: list[Path]
    #: ... or left, because they were changed since
    changed: list[Path]
    #: what a build killed while its packages landed had left (this build repaired it)
    repaired: Interrupted | None


def build(source_dir: Path, out_dir: Path, targets: list[str] | None = None,
          on_wait: Callable[[str], None] | None = None, *, strict: bool = False,
          per_lesson: bool = False) -> BuildReport:
    """Build ``targets`` (default: all) from ``source_dir`` into ``out_dir``.

    ``per_lesson``: the ``PER_LESSON`` targets (SCORM) write one package per lesson instead of
    one for the course; the other targets are not affected.

    Raises ``SourceError`` for mistakes in the sources, and with ``strict`` for any question
    a target would leave out or change (nothing is written then).
    ``on_wait`` is told when another build into ``out_dir`` runs (this one waits for it).
    Ctrl-C and SIGTERM are held back from the moment the packages start landing.
    """
    hold = Hold()
    try:
        with OutputFolder(out_dir, on_wait) as folder:
            return _build(source_dir, folder, targets or list(TARGETS), hold, strict, per_lesson)
    finally:
        hold.end()


def _build(source_dir: Path, folder: OutputFolder, asked: list[str], hold: Hold, strict: bool,
           per_lesson: bool) -> BuildReport:
    from srm_package.loader import load_course

    repaired = folder.interrupted
    # a killed build's targets are built again, so that the folder holds one consistent set
    names = asked + [name for name in (repaired.targets if repaired else ()) if name not in asked]
    loaded = load_course(source_dir, lesson_bodies=needs_lesson_bodies(names))
    course = loaded.course
    skipped = [(name, "the course has no quiz") for name in names if name in QUIZ_ONLY and not course.questions]
    to_build = [name for name in names if name not in dict(skipped)]
    notes = _notes(course, to_build, strict)
    # what each package holds: the course, or one lesson of it (in target order)
    packages = [(name, packaged) for name in to_build for packaged in _packaged(course, name, per_lesson)]
    with folder.staging(build_timestamp(course)) as staging:
        built = _build_targets(staging, course, to_build, per_lesson)
        hold.begin()  # from here on the build completes, Ctrl-C or not
        landed = folder.land([staged for staged, _ in built], names, source_dir)
    written = [Written(path, _size(path), artifact, name, _package_notes(notes, name, packaged))
               for (name, packaged), path, (_, artifact) in zip(packages, landed.paths, built, strict=True)]
    return BuildReport(written, loaded.warnings, skipped, landed.removed, landed.changed, repaired)


def _packaged(course: Course, name: str, per_lesson: bool) -> tuple[Course, ...]:
    """What target ``name`` packages: the course, or (``per_lesson``) each lesson as a course of its own."""
    if per_lesson and name in PER_LESSON:
        return tuple(course.lesson_course(lesson) for lesson in course.lessons)
    return (course,)


def _build_targets(staging: Staging, course: Course, names: list[str],
                   per_lesson: bool) -> list[tuple[Staged, Artifact]]:
    """Each target built and staged, in the order of ``names`` (a per-lesson target's
    packages in lesson order)."""
    if len(names) > 1 and _is_large(course):
        # groups of targets side by side on the cores
        groups = _work_groups(names)
        results = fork_map(_build_group, [_Group(staging, course, group, per_lesson) for group in groups])
    else:
        groups, results = [names], [_build_group(_Group(staging, course, names, per_lesson))]
    # the report keeps the order of names, whichever process built what
    by_name = {name: result for group, group_results in zip(groups, results, strict=True)
               for name, result in zip(group, group_results, strict=True)}
    return [package for name in names for package in by_name[name]]


def _package_notes(notes: list[Note], name: str, packaged: Course) -> tuple[Note, ...]:
    """The notes of target ``name`` about the questions one of its packages holds (question
    ids are unique in the course)."""
    held = {question.id for question in packaged.questions}
    return tuple(note for note in notes if note.target == name and held.issuperset(note.question_ids))


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
    per_lesson: bool = False


def _build_group(group: _Group) -> list[list[tuple[Staged, Artifact]]]:
    """Per target name of the group, the packages it wrote (one, or one per lesson)."""
    results = []
    for name in group.names:
        packages = []
        for packaged in _packaged(group.course, name, group.per_lesson):
            # staged as soon as it is built, so that only one package is held in memory
            artifact = builder(name)(packaged)
            packages.append((group.staging.stage(artifact, name), artifact.without_entries()))
        results.append(packages)
    return results


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
