"""Time ``srm-package validate`` beside ``build`` on the synthetic courses: the section of results.md.

    python benchmarks/validate_bench.py [--runs 5]   # prints the section

``run.py`` calls ``validate_section`` after its own measurements, on the courses it
generated, and puts the section in ``results.md``. For each course (10 lessons / 200
questions and 100 lessons / 2,000 questions) three whole processes are timed, one
after another in every round so that a busy machine slows them alike: ``build`` of
all targets into a folder, ``validate`` of that folder, and ``validate --schemas``
(the official XSDs from ``$SRM_PACKAGE_SCHEMAS`` or ``../shared/schemas``). The
ratios come from these side-by-side runs. Targets (issue 20): validating the
100-lesson course's packages takes no longer than building them, with and without
schemas, in under 150 MiB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAKE_COURSE = ROOT / "benchmarks" / "make_course.py"
#: course name (as run.py names it) -> (lessons, questions)
COURSES = {"c200": (10, 200), "c2000": (100, 2000)}
#: the course the targets apply to
TARGET_COURSE = "c2000"
VALIDATE_VS_BUILD_MAX = 1.0
RSS_MAX = 150 * 1024 * 1024
#: the three commands timed per course, as (key, label)
COMMANDS = (("build", "build, all targets"), ("validate", "validate"), ("schemas", "validate --schemas"))


@dataclass
class Series:
    """The runs of one command on one course, measured by ``run.run_all`` like its own benchmarks."""

    course: str
    key: str
    argv: list[str]
    cwd: Path | None = None
    samples: list = field(default_factory=list)  # of ``run.Sample``
    skipped: str = ""

    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    def rss_max(self) -> int:
        return max(s.peak_rss for s in self.samples)


def schemas_folder() -> Path | None:
    configured = os.environ.get("SRM_PACKAGE_SCHEMAS", "")
    for candidate in ([Path(configured)] if configured else []) + [ROOT.parent / "shared" / "schemas"]:
        if candidate.is_dir():
            return candidate
    return None


def _fitting_targets(source: Path) -> list[str]:
    """``--target`` options for every target but a SCORM version whose saved-state limit the
    course's worst case exceeds (the build refuses it: the 2,000-question course on SCORM 1.2);
    none, meaning all targets, when everything fits or the course is not generated yet."""
    if not source.is_dir():
        return []
    from srm_package.loader import load_course
    from srm_package.saved_state import SUSPEND_DATA_LIMITS, worst_case_size
    from srm_package.targets import TARGETS

    worst = worst_case_size(load_course(source).course)
    fitting = [name for name in TARGETS if worst <= SUSPEND_DATA_LIMITS.get(name, worst)]
    return [] if len(fitting) == len(TARGETS) else [arg for name in fitting for arg in ("--target", name)]


def plan(work: Path, schemas: Path | None) -> list[Series]:
    series = []
    for course in COURSES:
        dist = work / f"validate-dist-{course}"
        ours = [sys.executable, "-m", "srm_package"]
        series += [
            Series(course, "build", [*ours, "build", str(work / course / "source"), "-o", str(dist),
                                     *_fitting_targets(work / course / "source")]),
            Series(course, "validate", [*ours, "validate", str(dist)]),
            Series(course, "schemas", [*ours, "validate", str(dist), "--schemas", str(schemas or "")],
                   skipped="" if schemas else "no schema folder (set SRM_PACKAGE_SCHEMAS)"),
        ]
    return series


def render(series: list[Series], runs: int, load: tuple[float, float]) -> str:
    found = {(s.course, s.key): s for s in series}

    def cell(course: str, key: str) -> str:
        one = found[(course, key)]
        if one.skipped or not one.samples:
            return "skipped"
        return f"{one.wall() * 1000:.0f} ms (CPU {one.cpu():.1f} s), {one.rss_max() / 1024 / 1024:.0f} MiB"

    def ratio(course: str, key: str, measure: str = "wall") -> float | None:
        one, build = found[(course, key)], found[(course, "build")]
        if one.skipped or build.skipped or not one.samples or not build.samples:
            return None
        return getattr(one, measure)() / getattr(build, measure)()

    lines = [
        "## `validate` beside `build`", "",
        f"Written by `benchmarks/validate_bench.py` (called by `run.py`): for each course, `build` of all "
        f"targets (but SCORM 1.2 for a course whose saved state exceeds its 4,096-character limit: "
        f"the build refuses it), `validate` of the folder it wrote and `validate --schemas` run one after another, {runs} "
        f"round(s) after a warm-up; median wall time, median CPU time (user + system, the worker "
        f"processes included) and the highest peak RSS of any single process "
        f"(`validate`, like `build`, checks the packages of a folder in worker processes on two cores; "
        f"`SRM_PACKAGE_WORKERS=1` checks them in one). Load average (1 min) before / after: "
        f"{load[0]:.2f} / {load[1]:.2f}.", "",
        "| course | build | validate | validate --schemas | validate ÷ build | --schemas ÷ build |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for course, (lessons, questions) in COURSES.items():
        shown = [f"{_times(ratio(course, key))} (CPU {_times(ratio(course, key, 'cpu'))})"
                 for key in ("validate", "schemas")]
        lines.append(f"| {lessons} lessons / {questions:,} questions | {cell(course, 'build')} | "
                     f"{cell(course, 'validate')} | {cell(course, 'schemas')} | {shown[0]} | {shown[1]} |")
    lines += ["", "Targets (issue 20), 100 lessons / 2,000 questions:", ""]
    for key, label in COMMANDS[1:]:
        one, value = found[(TARGET_COURSE, key)], ratio(TARGET_COURSE, key)
        if value is None:
            lines.append(f"- **NOT CHECKED**: `{label}` no slower than the build: "
                         f"{one.skipped or found[(TARGET_COURSE, 'build')].skipped or 'no runs'}")
            continue
        lines.append(f"- **{'PASS' if value <= VALIDATE_VS_BUILD_MAX else 'FAIL'}**: `{label}` no slower than "
                     f"the build: {_times(value)}")
        rss = one.rss_max()
        lines.append(f"- **{'PASS' if rss < RSS_MAX else 'FAIL'}**: `{label}` peak RSS < 150 MiB: "
                     f"{rss / 1024 / 1024:.0f} MiB (highest of the runs)")
    skipped = [f"- {COURSES[s.course][0]} lessons, {s.key}: {s.skipped}" for s in series if s.skipped]
    if skipped:
        lines += ["", "Skipped:", "", *skipped]
    return "\n".join(lines) + "\n\n"


def _times(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}×"


def ensure_courses(work: Path, env: dict[str, str]) -> None:
    """The synthetic courses, as run.py generates them (kept if already there)."""
    for course, (lessons, questions) in COURSES.items():
        if not (work / course / "source").is_dir():
            subprocess.run([sys.executable, str(MAKE_COURSE), str(lessons), str(questions), str(work / course)],
                           check=True, env=env, stdout=subprocess.DEVNULL)


def validate_section(work: Path, runs: int, env: dict[str, str], run_all: Callable,
                     progress: Callable[[str], None]) -> str:
    """Measure in ``work`` (where run.py generated the courses) and return the results.md section.

    ``run_all`` is run.py's: one warm-up per command (the build's also writes the folder that
    is validated next), then ``runs`` interleaved rounds.
    """
    ensure_courses(work, env)
    before = os.getloadavg()[0]
    series = plan(work, schemas_folder())
    run_all(series, runs, env, lambda message: progress(f"validate beside build: {message}"))
    return render(series, runs, (before, os.getloadavg()[0]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per command (default 5)")
    args = parser.parse_args(argv)
    from run import child_env, compile_package, run_all  # this script's neighbour: benchmarks/run.py

    env = child_env()
    compile_package()
    with tempfile.TemporaryDirectory(prefix="srm-validate-bench-") as tmp:
        print(validate_section(Path(tmp), args.runs, env, run_all, lambda m: print(m, file=sys.stderr)), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
