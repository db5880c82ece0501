"""Where a build spends its time: cProfile of loading and of each target, one at a time.

    python benchmarks/profile_build.py [SOURCE_DIR] [--top 12]

Without SOURCE_DIR it profiles a generated 100-lesson / 2,000-question course. Each
phase runs in this one process, serially (no worker processes), after every module
is imported, so the numbers are CPU time of the work itself. cProfile slows Python
code down about twofold: compare phases with each other, not with run.py's timings.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def profile(label: str, call, top: int):
    profiler = cProfile.Profile()
    started = time.process_time()
    profiler.enable()
    result = call()
    profiler.disable()
    seconds = time.process_time() - started
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    print(f"\n===== {label}: {seconds:.3f} s CPU under the profiler")
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    for line in lines[start:]:
        if line.strip():
            print(line.replace(str(ROOT) + os.sep, "").replace(sys.prefix, "<python>")[:200])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, help="a course folder (default: a generated one)")
    parser.add_argument("--top", type=int, default=12, help="functions shown per phase (by own time)")
    args = parser.parse_args(argv)
    os.environ["SRM_PACKAGE_WORKERS"] = "1"  # profile the work, not the forks
    sys.path.insert(0, str(ROOT))
    from srm_package.errors import BuildError
    from srm_package.loader import load_course
    from srm_package.output_folder import write_packages
    from srm_package.package import build_timestamp
    from srm_package.targets import TARGETS, builder

    for name in TARGETS:  # import every target first, so that imports are not profiled
        builder(name)
    import srm_package.render  # noqa: F401

    with tempfile.TemporaryDirectory(prefix="srm-profile-") as tmp:
        source = args.source
        if source is None:
            sys.path.insert(0, str(ROOT / "benchmarks"))
            from make_course import generate

            generate(100, 2000, Path(tmp) / "course")
            source = Path(tmp) / "course" / "source"
        course = profile("load the sources", lambda: load_course(source).course, args.top)
        built = []
        for name in TARGETS:
            try:
                built.append((name, profile(f"target {name}", lambda name=name: builder(name)(course), args.top)))
            except BuildError as refused:  # e.g. scorm12 for a course whose saved state is too large
                print(f"\n===== target {name}: refused, left out: {refused}")

        profile("write the packages", lambda: write_packages(Path(tmp) / "dist", build_timestamp(course),
                                                             built, source), args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
