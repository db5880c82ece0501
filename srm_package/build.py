"""``build``: load the sources once, run each requested target, write all packages atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from srm_package.errors import Problem
from srm_package.loader import load_course
from srm_package.package import Artifact, build_timestamp, write_artifacts
from srm_package.targets import TARGETS, builder


@dataclass(frozen=True)
class Written:
    path: Path
    size: int
    artifact: Artifact


def build(source_dir: Path, out_dir: Path, targets: list[str] | None = None) -> tuple[list[Written], tuple[Problem, ...]]:
    """Build ``targets`` (default: all) from ``source_dir`` into ``out_dir``.

    Raises ``SourceError`` for mistakes in the sources (nothing is written then).
    Returns what was written and the loader's warnings.
    """
    loaded = load_course(source_dir)
    names = targets or list(TARGETS)
    artifacts = [builder(name)(loaded.course) for name in names]
    paths = write_artifacts(artifacts, out_dir, build_timestamp(loaded.course))
    written = [Written(path, _size(path), artifact) for path, artifact in zip(paths, artifacts, strict=True)]
    return written, loaded.warnings


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size
