"""``build``: load the sources once, run each requested target, write all packages atomically.

Each package is written out as soon as its target has built it, so memory holds one
package at a time; large courses build their targets in parallel worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from srm_package.errors import Problem
from srm_package.loader import load_course
from srm_package.model import Course
from srm_package.package import Artifact, Staged, Staging, build_timestamp
from srm_package.parallel import fork_map
from srm_package.targets import TARGETS, builder

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


def build(source_dir: Path, out_dir: Path, targets: list[str] | None = None) -> tuple[list[Written], tuple[Problem, ...]]:
    """Build ``targets`` (default: all) from ``source_dir`` into ``out_dir``.

    Raises ``SourceError`` for mistakes in the sources (nothing is written then).
    Returns what was written and the loader's warnings.
    """
    loaded = load_course(source_dir)
    names = targets or list(TARGETS)
    course = loaded.course
    with Staging(out_dir, build_timestamp(course)) as staging:

        def build_target(name: str) -> tuple[Staged, Artifact]:
            # staged as soon as it is built, so that only one package is held in memory
            artifact = builder(name)(course)
            return staging.stage(artifact), artifact.without_entries()

        def build_targets(group: list[str]) -> list[tuple[Staged, Artifact]]:
            return [build_target(name) for name in group]

        if len(names) > 1 and _is_large(course):
            # groups of targets side by side on the cores; the report keeps the order of names
            groups = _work_groups(names)
            results = fork_map(build_targets, groups)
            by_name = {name: result for group, group_results in zip(groups, results, strict=True)
                       for name, result in zip(group, group_results, strict=True)}
            built = [by_name[name] for name in names]
        else:
            built = [build_target(name) for name in names]
        paths = staging.commit([staged for staged, _ in built])
    written = [Written(path, _size(path), artifact) for path, (_, artifact) in zip(paths, built, strict=True)]
    return written, loaded.warnings


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
