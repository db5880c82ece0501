"""Do images and formulas keep a large build linear and within the targets?

    python benchmarks/media.py [--runs 3] [--output benchmarks/media-results.md]

Builds the 100-lesson / 2,000-question synthetic course (make_course.py) with all targets,
plain, with 100 and with 200 figures (~10 and ~20 MB of PNG), and with 200 figures plus
formulas, interleaving the runs, and reports the medians of wall time, CPU time and peak RSS
(run.py's ``measure``: each build is a whole process, its rusage its own). Linear means:
twice the images cost about twice the *extra* CPU time, and peak RSS does not grow with them
(files are streamed into the zips, and Moodle XML's base64 is spliced in as it is written).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, Summary, child_env, compile_package, measure  # noqa: E402

MAKE_COURSE = ROOT / "benchmarks" / "make_course.py"
#: name -> extra make_course.py options
COURSES = {"plain": [], "100 images": ["--images", "100"], "200 images": ["--images", "200"],
           "200 images + formulas": ["--images", "200", "--formulas"]}
BUILD_WALL_MAX = 1.5  # seconds, the plain course's target (benchmarks/results.md)
RSS_MAX = 150 * 1024 * 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "media-results.md")
    args = parser.parse_args(argv)
    compile_package()
    env = child_env()
    with tempfile.TemporaryDirectory(prefix="srm-media-bench-") as tmp:
        work = Path(tmp)
        for number, options in enumerate(COURSES.values()):
            measure([sys.executable, str(MAKE_COURSE), "100", "2000", str(work / f"c{number}"), *options], env=env)
        samples: dict[str, list] = {name: [] for name in COURSES}
        for round_ in range(args.runs + 1):  # the first round warms up and is dropped
            for number, name in enumerate(COURSES):
                sample = measure([sys.executable, "-m", "srm_package", "build", str(work / f"c{number}" / "source"),
                                  "-o", str(work / f"dist{number}")], cwd=ROOT, env=env)
                if sample.returncode != 0:
                    raise SystemExit(f"{name}: the build failed:\n{sample.stderr}")
                if round_:
                    samples[name].append(sample)
        sizes = {name: sum(f.stat().st_size for f in (work / f"c{n}" / "source").rglob("*.png"))
                 for n, name in enumerate(COURSES)}
    summaries = {name: Summary.of(runs) for name, runs in samples.items()}
    report = render(summaries, sizes, args.runs)
    args.output.write_text(report, encoding="utf-8")
    print(report)
    return 0


def render(summaries: dict[str, Summary], sizes: dict[str, int], runs: int) -> str:
    plain = summaries["plain"].cpu
    lines = [
        "# Images and formulas at course scale",
        "",
        f"Written by `python benchmarks/media.py`: 100 lessons / 2,000 questions, all targets, {runs} runs "
        "per course after one warm-up, interleaved; medians. CPU time includes the build's worker processes; "
        "peak RSS is that of the largest single process. On a busy machine wall time is noisy; CPU time "
        "and RSS are not.",
        "",
        "| course | images | median wall | median CPU | extra CPU over plain | peak RSS (max) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, summary in summaries.items():
        lines.append(f"| {name} | {sizes[name] / 1024 / 1024:.1f} MiB | {summary.wall:.2f} s | {summary.cpu:.2f} s | "
                     f"{summary.cpu - plain:+.2f} s | {summary.rss_max / 1024 / 1024:.0f} MiB |")
    extra_100 = summaries["100 images"].cpu - plain
    extra_200 = summaries["200 images"].cpu - plain
    growth = extra_200 / extra_100 if extra_100 > 0 else float("nan")
    rss_ok = all(summary.rss_max < RSS_MAX for summary in summaries.values())
    lines += [
        "",
        f"- extra CPU for 200 images / for 100 images: {growth:.2f}× (linear: about 2×)",
        f"- peak RSS of every build below {RSS_MAX // 1024 // 1024} MiB: {'yes' if rss_ok else 'NO'}; "
        f"200 images vs plain: {(summaries['200 images'].rss_max - summaries['plain'].rss_max) / 1024 / 1024:+.0f} MiB",
        f"- median wall with 200 images: {summaries['200 images'].wall:.2f} s (target for the plain course: "
        f"{BUILD_WALL_MAX} s; load average decides how far apart the two are here)",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
