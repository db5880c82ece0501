"""Time srm-package against text2qti and the Python start-up floor; write benchmarks/results.md.

    python benchmarks/run.py [--runs 5] [--output benchmarks/results.md]

Every measurement is a whole process (start-up, imports, work, exit), run
``--runs`` times after one unmeasured warm-up, the commands interleaved round by
round so that a busy neighbour slows all of them alike. Wall time, CPU time and
peak RSS come from the clock and ``os.wait4`` on each child, started by a small
launcher (see ``measure``): the rusage that ``wait4`` returns belongs to that one
child, whereas ``RUSAGE_CHILDREN`` would give the largest peak RSS of every child
reaped so far. The median of the runs is reported, and every ratio is computed
from runs made side by side in this one invocation.

Measurements that cannot run (a target missing from the registry, text2qti not
installed, a failing build) are skipped and listed with the reason. A "## Profile"
section in an existing results file is hand-written analysis: it is kept as is.
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.md"
MAKE_COURSE = ROOT / "benchmarks" / "make_course.py"
#: the targets the issue's "all five artifacts" means
REQUIRED_TARGETS = ("scorm12", "scorm2004", "canvas-qti", "cc", "moodle-xml")
PROFILE_HEADING = "## Profile"
FLOOR_IMPORTS = "import lxml.etree, jinja2, click"
#: synthetic course sizes: name -> (lessons, questions)
COURSES = {"c200": (10, 200), "c2000": (100, 2000)}

# the targets
SEED_VS_FLOOR_MAX = 2.5
CANVAS_SPEEDUP_MIN = 5.0
BIG_BUILD_WALL_MAX = 1.5
BIG_BUILD_RSS_MAX = 150 * 1024 * 1024
GROWTH_MAX = 11.0


# ------------------------------------------------------------------ measuring
@dataclass(frozen=True)
class Sample:
    """One run of one command."""

    wall: float  # seconds
    cpu: float  # user + system seconds of the child
    peak_rss: int  # bytes, the child's own high-water mark
    returncode: int
    stderr: str = ""


def peak_rss_bytes(maxrss: int, system: str = sys.platform) -> int:
    """``ru_maxrss`` in bytes: Linux counts KiB, macOS bytes."""
    return maxrss if system == "darwin" else maxrss * 1024


# A child's peak RSS starts at its parent's size: Linux records the parent's memory as the
# child's high-water mark when the child calls exec. So each command is started by this
# small interpreter (about 8 MiB, below anything measured here) rather than by run.py or a
# test process that may be much bigger; it waits for the command with ``os.wait4``, whose
# rusage is that one child's, and writes "wall cpu maxrss status" to the report file.
_LAUNCHER = """
import os, sys, time
report, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(report, "w") as out:
    out.write(f"{wall!r} {usage.ru_utime + usage.ru_stime!r} {usage.ru_maxrss} "
              f"{os.waitstatus_to_exitcode(status)}")
"""


def measure(argv: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Sample:
    """Run ``argv`` once and return its wall time, CPU time and peak RSS (of that process alone)."""
    with tempfile.TemporaryDirectory(prefix="srm-measure-") as tmp:
        report = Path(tmp) / "rusage"
        with open(Path(tmp) / "stderr", "w+b") as err:
            launcher = subprocess.run([sys.executable, "-I", "-S", "-c", _LAUNCHER, str(report), *argv],
                                      cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                      stderr=err, check=False)
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
        fields = report.read_text().split() if report.is_file() else []
    if len(fields) != 4:  # the command could not be started
        return Sample(0.0, 0.0, 0, launcher.returncode or 127, stderr)
    wall, cpu, maxrss, status = fields
    return Sample(float(wall), float(cpu), peak_rss_bytes(int(maxrss)), int(status), stderr)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """``numerator / denominator``, or ``None`` when either is missing or the denominator is 0."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


@dataclass(frozen=True)
class Summary:
    runs: int
    wall: float  # median
    wall_min: float
    wall_max: float
    cpu: float  # median
    rss: int  # median
    rss_max: int

    @classmethod
    def of(cls, samples: Sequence[Sample]) -> Summary:
        if not samples:
            raise ValueError("no samples to summarize")
        walls = [s.wall for s in samples]
        rss = [s.peak_rss for s in samples]
        return cls(len(samples), statistics.median(walls), min(walls), max(walls),
                   statistics.median(s.cpu for s in samples), int(statistics.median(rss)), max(rss))


# -------------------------------------------------------------------- the plan
@dataclass
class Benchmark:
    key: str
    label: str
    argv: list[str]
    cwd: Path | None = None
    skipped: str = ""  # why it is not run; empty when it runs
    samples: list[Sample] = field(default_factory=list)

    @property
    def summary(self) -> Summary | None:
        return Summary.of(self.samples) if self.samples and not self.skipped else None

    def command(self, work: Path) -> str:
        """The command as a reader would type it: ``python``, ``text2qti``, paths shortened."""
        shown = []
        for arg in self.argv:
            if arg == sys.executable:
                arg = "python"
            elif Path(arg).name == "text2qti":
                arg = "text2qti"
            arg = arg.replace(str(work), "$TMP").replace(f"{ROOT}{os.sep}", "")
            shown.append(arg if " " not in arg else repr(arg))
        prefix = f"cd {str(self.cwd).replace(str(work), '$TMP')} && " if self.cwd else ""
        return prefix + " ".join(shown)


def ours(*args: str) -> list[str]:
    # ``python -m srm_package`` runs the same entry point as the ``srm-package`` script, and
    # always the code of this working tree (not a stale installed copy)
    return [sys.executable, "-m", "srm_package", *args]


def list_targets(env: dict[str, str]) -> tuple[list[str], str]:
    """The registered targets, or an empty list and the reason."""
    result = subprocess.run(ours("build", "--list-targets"), capture_output=True, text=True, env=env,
                            cwd=ROOT, check=False)
    if result.returncode != 0:
        return [], f"`build --list-targets` failed: {_last_line(result.stderr)}"
    return result.stdout.split(), ""


def plan(work: Path, targets: list[str], text2qti: str | None, too_big: Sequence[str] = ()) -> list[Benchmark]:
    """Every measurement, with ``skipped`` set where it cannot run here. ``too_big``: the targets
    that refuse the 2,000-question course (its saved state does not fit their limit), which
    its "all targets" build leaves out."""
    seed_out, out = work / "dist-seed", {name: work / f"dist-{name}" for name in COURSES}
    src = {name: str(work / name / "source") for name in COURSES}
    big_targets = [arg for name in targets if name not in too_big for arg in ("--target", name)]
    but = f" but {', '.join(too_big)} (saved state too large)" if too_big else ""
    benchmarks = [
        Benchmark("floor", f"start-up floor: `{FLOOR_IMPORTS}`", [sys.executable, "-c", FLOOR_IMPORTS]),
        Benchmark("help", "srm-package --help", ours("--help")),
        Benchmark("seed", "seed course, all targets", ours("build", str(ROOT / "source"), "-o", str(seed_out))),
        Benchmark("c200", "10 lessons / 200 questions, all targets", ours("build", src["c200"], "-o", str(out["c200"]))),
        Benchmark("c2000", f"100 lessons / 2,000 questions, all targets{but}",
                  ours("build", src["c2000"], "-o", str(out["c2000"]), *(big_targets if too_big else ()))),
        Benchmark("c2000-canvas", "100 lessons / 2,000 questions, canvas-qti alone",
                  ours("build", src["c2000"], "-o", str(out["c2000"]), "--target", "canvas-qti")),
        Benchmark("c2000-check", "100 lessons / 2,000 questions, `check`", ours("check", src["c2000"])),
        Benchmark("t2q200", "text2qti, the same 200 questions", [text2qti or "text2qti", "text2qti.txt"],
                  cwd=work / "c200"),
        Benchmark("t2q2000", "text2qti, the same 2,000 questions", [text2qti or "text2qti", "text2qti.txt"],
                  cwd=work / "c2000"),
    ]
    for benchmark in benchmarks:
        if benchmark.key in ("seed", "c200", "c2000", "c2000-canvas") and not targets:
            benchmark.skipped = "no target is registered"
        elif benchmark.key == "c2000-canvas" and "canvas-qti" not in targets:
            benchmark.skipped = "target canvas-qti is not in the registry yet"
        elif benchmark.key.startswith("t2q") and text2qti is None:
            benchmark.skipped = "text2qti is not installed (pip install -e '.[bench]')"
    return benchmarks


def run_all(benchmarks: list[Benchmark], runs: int, env: dict[str, str], progress) -> list[float]:
    """One warm-up per command (a failure there skips it), then ``runs`` interleaved rounds;
    the 1-minute load average before each round."""
    active = [b for b in benchmarks if not b.skipped]
    for benchmark in active:
        warm = measure(benchmark.argv, benchmark.cwd, env)
        if warm.returncode != 0:
            benchmark.skipped = f"exit status {warm.returncode}: {_last_line(warm.stderr)}"
    active = [b for b in active if not b.skipped]
    load = []
    for round_number in range(1, runs + 1):
        load.append(os.getloadavg()[0])
        progress(f"round {round_number}/{runs} (load average {load[-1]:.2f})")
        for benchmark in active:
            sample = measure(benchmark.argv, benchmark.cwd, env)
            if sample.returncode != 0:  # a flaky failure must not be timed as a fast run
                benchmark.skipped = f"exit status {sample.returncode} in round {round_number}: " \
                                    f"{_last_line(sample.stderr)}"
                benchmark.samples.clear()
                active.remove(benchmark)
                continue
            benchmark.samples.append(sample)
    return load


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "(no message)"


# --------------------------------------------------------------------- verdicts
@dataclass(frozen=True)
class Verdict:
    target: str
    status: str  # PASS, FAIL or NOT CHECKED
    detail: str


def _walls(by_key: dict[str, Benchmark], *keys: str) -> list[float | None]:
    found = [by_key[key].summary if key in by_key else None for key in keys]
    return [s.wall if s else None for s in found]


def ratios(by_key: dict[str, Benchmark]) -> dict[str, float | None]:
    seed, floor, c200, c2000, canvas, t200, t2000 = _walls(
        by_key, "seed", "floor", "c200", "c2000", "c2000-canvas", "t2q200", "t2q2000")
    return {
        "seed course all targets / start-up floor": ratio(seed, floor),
        "200 questions all targets / text2qti 200": ratio(c200, t200),
        "2,000 questions all targets / text2qti 2,000": ratio(c2000, t2000),
        "2,000 questions canvas-qti alone / text2qti 2,000": ratio(canvas, t2000),
        "text2qti 2,000 / canvas-qti alone (speed-up)": ratio(t2000, canvas),
        "growth 200 → 2,000 questions, all targets": ratio(c2000, c200),
        "growth 200 → 2,000 questions, text2qti": ratio(t2000, t200),
    }


def _times(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}×"


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f} s"


def _mib(value: int) -> str:
    return f"{value / 1024 / 1024:.0f} MiB"


@dataclass(frozen=True)
class Goal:
    """One target the report judges: a value measured from some benchmarks, and its limit.
    A new benchmark with a target of its own adds a ``Benchmark`` to ``plan`` and a ``Goal``."""

    name: str
    keys: tuple[str, ...]  # the benchmarks it is measured from
    value: Callable[[dict[str, Benchmark]], float | None]
    holds: Callable[[float], bool]
    shown: Callable[[float | None], str]
    #: measured on builds of every target: judged only when all of REQUIRED_TARGETS exist
    all_targets: bool = True


def _big(by_key: dict[str, Benchmark]) -> Summary | None:
    return by_key["c2000"].summary


GOALS = [
    Goal(f"seed course, all targets ≤ {SEED_VS_FLOOR_MAX:g}× the start-up floor", ("seed", "floor"),
         lambda by_key: ratios(by_key)["seed course all targets / start-up floor"],
         lambda value: value <= SEED_VS_FLOOR_MAX, _times),
    Goal(f"2,000 questions, canvas-qti alone ≥ {CANVAS_SPEEDUP_MIN:g}× faster than text2qti",
         ("c2000-canvas", "t2q2000"), lambda by_key: ratios(by_key)["text2qti 2,000 / canvas-qti alone (speed-up)"],
         lambda value: value >= CANVAS_SPEEDUP_MIN, lambda value: f"{_times(value)} faster", all_targets=False),
    Goal(f"100 lessons / 2,000 questions, all targets < {BIG_BUILD_WALL_MAX:g} s", ("c2000",),
         lambda by_key: big.wall if (big := _big(by_key)) else None,
         lambda value: value < BIG_BUILD_WALL_MAX, _seconds),
    Goal(f"100 lessons / 2,000 questions, all targets: peak RSS < {_mib(BIG_BUILD_RSS_MAX)}", ("c2000",),
         lambda by_key: big.rss_max if (big := _big(by_key)) else None,
         lambda value: value < BIG_BUILD_RSS_MAX,
         lambda value: f"{_mib(int(value)) if value is not None else 'n/a'} (highest of the runs)"),
    Goal(f"200 → 2,000 questions costs ≤ {GROWTH_MAX:g}× more (all targets)", ("c200", "c2000"),
         lambda by_key: ratios(by_key)["growth 200 → 2,000 questions, all targets"],
         lambda value: value <= GROWTH_MAX, _times),
]


def verdicts(by_key: dict[str, Benchmark], targets: list[str]) -> list[Verdict]:
    missing = [t for t in REQUIRED_TARGETS if t not in targets]
    incomplete = f"targets missing from the registry: {', '.join(missing)}" if missing else ""
    results = []
    for goal in GOALS:
        skipped = [f"{key} skipped ({by_key[key].skipped})" for key in goal.keys if by_key[key].skipped]
        reason = "; ".join(skipped) or (incomplete if goal.all_targets else "")
        value = goal.value(by_key)
        if reason:
            detail = f"{reason}; measured: {goal.shown(value)}" if value is not None else reason
            results.append(Verdict(goal.name, "NOT CHECKED", detail))
        else:
            results.append(Verdict(goal.name, "PASS" if value is not None and goal.holds(value) else "FAIL",
                                   goal.shown(value)))
    return results


# ---------------------------------------------------------------- phase times
def phase_breakdown(source: Path, out_dir: Path) -> dict[str, float]:
    """Seconds spent importing, loading, in each target and writing: one build, in this process."""
    started = time.perf_counter()
    from srm_package.loader import load_course
    from srm_package.output_folder import write_packages
    from srm_package.package import build_timestamp
    from srm_package.targets import TARGETS, builder

    phases = {"import srm_package (loader, registry)": time.perf_counter() - started}
    mark = time.perf_counter()
    course = load_course(source).course
    phases["load the sources"] = time.perf_counter() - mark
    from srm_package.saved_state import fits

    names = [name for name in TARGETS if fits(course, name)]
    artifacts = []
    for name in names:
        mark = time.perf_counter()
        artifacts.append(builder(name)(course))
        phases[f"target {name} (incl. its first imports)"] = time.perf_counter() - mark
    mark = time.perf_counter()
    write_packages(out_dir, build_timestamp(course), zip(names, artifacts, strict=True), source)
    phases["write the packages"] = time.perf_counter() - mark
    return phases


def run_phase_breakdown(source: Path, out_dir: Path, env: dict[str, str]) -> tuple[dict[str, float], str]:
    """``phase_breakdown`` in a fresh process, so that nothing is imported or cached already."""
    result = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--phases", str(source), str(out_dir)],
                            capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    if result.returncode != 0:
        return {}, _last_line(result.stderr)
    return json.loads(result.stdout), ""


def saved_state_sizes(source: Path) -> dict[str, int]:
    """The course's worst-case saved state, and each SCORM version's limit (this process)."""
    from srm_package.loader import load_course
    from srm_package.saved_state import SUSPEND_DATA_LIMITS, worst_case_size

    return {"worst case": worst_case_size(load_course(source).course), **SUSPEND_DATA_LIMITS}


def too_big_for(sizes: dict[str, int], targets: Sequence[str]) -> list[str]:
    """The targets whose saved-state limit the worst case exceeds (they refuse the course)."""
    return [name for name in targets if name in sizes and sizes["worst case"] > sizes[name]]


# ---------------------------------------------------------------------- report
def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    os_name = platform.platform()
    try:
        release = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line)
        os_name = f"{release.get('PRETTY_NAME', '').strip(chr(34))} ({platform.system()} {platform.release()})"
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "CPU": cpu,
        "cores": f"{os.cpu_count()} (usable by this process: {usable})",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "OS": os_name,
        "libraries": _versions(),
    }


def _versions() -> str:
    from importlib import metadata

    parts = []
    for name in ("lxml", "Jinja2", "click", "markdown-it-py", "PyYAML", "text2qti"):
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} (not installed)")
    try:
        import yaml

        parts.append("libyaml " + ("yes" if getattr(yaml, "__with_libyaml__", False) else "no"))
    except ImportError:
        pass
    return ", ".join(parts)


def render_report(benchmarks: list[Benchmark], targets: list[str], runs: int, info: dict[str, str],
                  load: Sequence[float], phases: tuple[dict[str, float], str], profile: str,
                  work: Path, saved_state: dict[str, dict[str, int]] | None = None) -> str:
    by_key = {b.key: b for b in benchmarks}
    lines = [
        "# Build benchmarks",
        "",
        f"Written by `python benchmarks/run.py` on {datetime.date.today().isoformat()}: each command is a whole "
        f"process, run {runs} time(s) after one warm-up, interleaved; the median is shown. Wall and CPU time and "
        "peak RSS come from `os.wait4` on each child; CPU time includes the build's worker processes, and peak "
        "RSS is that of the largest single process among them. The synthetic courses come from "
        "`benchmarks/make_course.py` (fixed seed): stems ~100 characters, 4 choices with feedback, "
        "lessons ~1,500 words with tables and call-outs. `srm_package` is byte-compiled first, as installing "
        "it from a wheel does (an editable install under `PYTHONDONTWRITEBYTECODE=1` would otherwise compile "
        "it again in every run).",
        "",
        "## Machine",
        "",
        *[f"- {key}: {value}" for key, value in info.items()],
        f"- load average (1 min): {load[0]:.2f} before, {load[-1]:.2f} after; "
        f"{min(load):.2f} – {max(load):.2f} (median {statistics.median(load):.2f}) sampled before each round "
        f"(this machine has {os.cpu_count()} cores: other work on it makes every number noisier)",
        f"- registered targets: {', '.join(targets) if targets else '(none)'}",
        "",
        "## Results",
        "",
        "| measurement | median wall | min – max wall | median CPU | peak RSS (median) |",
        "|---|---:|---:|---:|---:|",
    ]
    for b in benchmarks:
        s = b.summary
        if s is None:
            lines.append(f"| {b.label} | skipped | | | |")
        else:
            lines.append(f"| {b.label} | {s.wall * 1000:.0f} ms | {s.wall_min * 1000:.0f} – {s.wall_max * 1000:.0f} ms "
                         f"| {s.cpu * 1000:.0f} ms | {s.rss / 1024 / 1024:.1f} MiB |")
    lines += ["", "Commands (`$TMP` is a fresh temporary folder holding the generated courses):", ""]
    lines += [f"- {b.label}: `{b.command(work)}`" for b in benchmarks]
    lines += ["", "## Ratios (from the runs above)", "", "| ratio | value |", "|---|---:|"]
    lines += [f"| {name} | {_times(value)} |" for name, value in ratios(by_key).items()]
    lines += ["", "## Targets", ""]
    lines += [f"- **{v.status}**: {v.target}: {v.detail}" for v in verdicts(by_key, targets)]
    skipped = [b for b in benchmarks if b.skipped]
    lines += ["", "## Skipped", ""]
    lines += [f"- {b.label}: {b.skipped}" for b in skipped] or ["- nothing"]
    lines += ["", "## Saved state, worst case", "",
              "The longest `cmi.suspend_data` the quiz page can write (every question answered, every order "
              "saved; `srm_package/saved_state.py`), against SCORM's limits: `build` refuses a SCORM version "
              "whose limit the course exceeds.", ""]
    if saved_state:
        lines += ["| course | worst case | SCORM 1.2 (4,096) | SCORM 2004 (64,000) |", "|---|---:|---|---|"]
        for name, sizes in saved_state.items():
            verdict = {runtime: "fits" if sizes["worst case"] <= sizes[runtime] else "refused"
                       for runtime in ("scorm12", "scorm2004")}
            lessons, questions = COURSES[name]
            lines.append(f"| {lessons} lessons / {questions:,} questions | {sizes['worst case']:,} characters "
                         f"| {verdict['scorm12']} | {verdict['scorm2004']} |")
    else:
        lines.append("- not measured")
    lines += ["", "## Where the time goes (100 lessons / 2,000 questions)", "",
              "Wall time of each phase of one build in a fresh process, the targets one after another "
              "(`srm-package build` runs them side by side in worker processes, and reads the lessons "
              "that way here too). `python benchmarks/profile_build.py` shows the functions behind each "
              "phase.", ""]
    found, error = phases
    if found:
        lines += ["| phase | seconds |", "|---|---:|"]
        lines += [f"| {name} | {seconds:.3f} |" for name, seconds in found.items()]
    else:
        lines.append(f"- not measured: {error}")
    lines.append("")
    if profile:
        lines += [profile.rstrip(), ""]
    return "\n".join(lines)


def kept_profile(path: Path) -> str:
    """The hand-written ``## Profile`` section of an existing report (to the end), or nothing."""
    if not path.is_file():
        return ""
    text = path.read_text(encoding="utf-8")
    start = text.find(f"\n{PROFILE_HEADING}\n")
    return text[start + 1:] if start >= 0 else ""


# ------------------------------------------------------------------------ main
def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def compile_package() -> None:
    """Byte-compile ``srm_package`` as ``pip install`` of a wheel does, so that each run
    measures the tool and not Python compiling its source (which an editable install does
    in every process when ``PYTHONDONTWRITEBYTECODE`` is set, as it is on some machines).
    The ``.pyc`` files go to ``__pycache__`` (git-ignored); Python checks them against the
    sources, so an edited module is never run stale."""
    compileall.compile_dir(str(ROOT / "srm_package"), quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per command (default 5)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="the report to write")
    parser.add_argument("--phases", nargs=2, type=Path, metavar=("SOURCE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phases:  # internal: the phase breakdown, run in a fresh process by run_phase_breakdown
        print(json.dumps(phase_breakdown(*args.phases)))
        return 0
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    env = child_env()
    compile_package()
    load_before = os.getloadavg()[0]
    targets, why = list_targets(env)
    if why:
        progress(why)
    with tempfile.TemporaryDirectory(prefix="srm-bench-") as tmp:
        work = Path(tmp)
        for name, (lessons, questions) in COURSES.items():
            subprocess.run([sys.executable, str(MAKE_COURSE), str(lessons), str(questions), str(work / name)],
                           check=True, env=env, stdout=subprocess.DEVNULL)
        saved_state = {name: saved_state_sizes(work / name / "source") for name in COURSES}
        benchmarks = plan(work, targets, shutil.which("text2qti"), too_big_for(saved_state["c2000"], targets))
        during = run_all(benchmarks, args.runs, env, progress)
        phases = run_phase_breakdown(work / "c2000" / "source", work / "dist-phases", env)
        from validate_bench import validate_section  # benchmarks/validate_bench.py, beside this script
        validation = validate_section(work, args.runs, env, run_all, progress)
    report = render_report(benchmarks, targets, args.runs, machine(), [load_before, *during, os.getloadavg()[0]],
                           phases, validation + kept_profile(args.output), work, saved_state)
    args.output.write_text(report, encoding="utf-8")
    progress(f"wrote {args.output}")
    for verdict in verdicts({b.key: b for b in benchmarks}, targets):
        progress(f"{verdict.status}: {verdict.target}: {verdict.detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
