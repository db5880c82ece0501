"""The benchmark tools work: the synthetic course is valid, text2qti gets the same questions,
and run.py measures each child on its own. Nothing here asserts how fast anything is:
speed and memory are judged by ``python benchmarks/run.py`` only.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import make_course
from benchmarks import run as bench
from srm_package.loader import load_course
from tests.conftest import ROOT

LESSONS, QUESTIONS = 3, 20


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("course")
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_course.py"), str(LESSONS),
                             str(QUESTIONS), str(out)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return out


# ---------------------------------------------------------------- make_course
def test_generated_course_loads_with_the_real_loader(generated: Path) -> None:
    loaded = load_course(generated / "source")
    course = loaded.course
    assert loaded.warnings == ()
    assert len(course.lessons) == LESSONS
    assert len(course.questions) == QUESTIONS
    # questions are spread over every lesson's quiz and point at that lesson's sections
    assert [len(lesson.quiz.questions) for lesson in course.lessons] == [7, 7, 6]
    for lesson in course.lessons:
        assert len(lesson.sections) == make_course.SECTIONS_PER_LESSON
        section_ids = {section.id for section in lesson.sections}
        assert {q.section_id for q in lesson.quiz.questions} <= section_ids
        for question in lesson.quiz.questions:
            assert len(question.response.choices) == 4
            assert len(question.response.correct_choices) == 1
            assert all(choice.feedback for choice in question.response.choices)


def test_generated_lessons_are_realistic(generated: Path) -> None:
    from srm_package.model import Callout, Comparison, Table

    course = load_course(generated / "source").course
    lesson = course.lessons[0]
    blocks = [block for section in lesson.sections for block in section.blocks]
    kinds = {block.kind for block in blocks if isinstance(block, Callout)}
    assert {"key-principle", "exam-tip"} <= kinds
    assert any(isinstance(block, Comparison) for block in blocks)
    assert any(isinstance(block, Table) for block in blocks)
    text = (generated / "source" / "lessons" / "001-lesson-001.md").read_text(encoding="utf-8")
    assert 1300 <= len(text.split()) <= 2000
    stems = [q.stem for q in course.questions]
    assert 70 <= sum(map(len, stems)) / len(stems) <= 130


def test_generated_course_passes_check(generated: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "srm_package", "check", str(generated / "source")],
                            capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    assert f"{LESSONS} lesson(s)" in result.stdout and f"{QUESTIONS} question(s)" in result.stdout


def test_generation_is_deterministic(tmp_path: Path) -> None:
    make_course.generate(2, 9, tmp_path / "one")
    make_course.generate(2, 9, tmp_path / "two")
    first = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    second = sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*") if p.is_file())
    assert first == second
    for relative in first:
        assert (tmp_path / "one" / relative).read_bytes() == (tmp_path / "two" / relative).read_bytes()


def test_generation_refuses_a_course_without_lessons(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        make_course.generate(0, 5, tmp_path)


def test_text2qti_file_holds_the_same_questions(generated: Path) -> None:
    pytest.importorskip("text2qti")
    from text2qti.config import Config
    from text2qti.quiz import Question, Quiz

    text = (generated / "text2qti.txt").read_text(encoding="utf-8")
    parsed = [item for item in Quiz(text, config=Config(), source_name="text2qti.txt").questions_and_delims
              if isinstance(item, Question)]
    ours = load_course(generated / "source").course.questions
    assert len(parsed) == len(ours) == QUESTIONS
    for theirs, mine in zip(parsed, ours, strict=True):
        assert theirs.title_xml == mine.id
        assert theirs.question_raw == mine.stem
        assert theirs.feedback_raw == mine.explanation
        assert theirs.points_possible == mine.points
        assert [(c.choice_raw, c.correct, c.feedback_raw) for c in theirs.choices] == [
            (c.text, c.correct, c.feedback) for c in mine.response.choices
        ]


def test_text2qti_accepts_the_file(generated: Path, tmp_path: Path) -> None:
    pytest.importorskip("text2qti")
    source = tmp_path / "quiz.txt"
    source.write_bytes((generated / "text2qti.txt").read_bytes())
    result = subprocess.run([sys.executable, "-c", "import sys; from text2qti.cmdline import main; "
                             "sys.argv = ['text2qti', sys.argv[1]]; main()", str(source)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "quiz.zip").stat().st_size > 0


# ---------------------------------------------------------------- run.py helpers
def test_measure_reports_exit_status_and_stderr() -> None:
    sample = bench.measure([sys.executable, "-c", "import sys; sys.stderr.write('boom'); sys.exit(3)"])
    assert sample.returncode == 3
    assert sample.stderr == "boom"
    assert sample.wall > 0 and sample.peak_rss > 0


def test_measure_gives_each_child_its_own_peak_rss() -> None:
    # RUSAGE_CHILDREN would report the big child's peak again for the small one
    big = bench.measure([sys.executable, "-c", "data = bytearray(200 * 1024 * 1024); data[::4096] = b'x' * len(data[::4096])"])
    small = bench.measure([sys.executable, "-c", "pass"])
    assert big.returncode == small.returncode == 0
    assert big.peak_rss >= 200 * 1024 * 1024
    assert small.peak_rss < big.peak_rss - 150 * 1024 * 1024


def test_measure_does_not_count_the_measuring_process() -> None:
    # a child started straight from a big process inherits its size as peak RSS at exec
    ballast = bytearray(300 * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])
    small = bench.measure([sys.executable, "-c", "pass"])
    assert small.returncode == 0
    assert 0 < small.peak_rss < 100 * 1024 * 1024
    del ballast


def test_measure_reports_a_command_that_cannot_start() -> None:
    sample = bench.measure(["/nonexistent/command"])
    assert sample.returncode != 0
    assert "nonexistent" in sample.stderr


def test_peak_rss_units() -> None:
    assert bench.peak_rss_bytes(2048, "linux") == 2 * 1024 * 1024
    assert bench.peak_rss_bytes(2048, "darwin") == 2048


def sample(wall: float, rss_mib: int = 40) -> bench.Sample:
    return bench.Sample(wall, wall * 0.9, rss_mib * 1024 * 1024, 0)


def test_summary_takes_the_median() -> None:
    summary = bench.Summary.of([sample(0.5, 50), sample(0.1, 30), sample(0.3, 40)])
    assert (summary.runs, summary.wall, summary.wall_min, summary.wall_max) == (3, 0.3, 0.1, 0.5)
    assert summary.rss == 40 * 1024 * 1024 and summary.rss_max == 50 * 1024 * 1024
    with pytest.raises(ValueError):
        bench.Summary.of([])


def test_ratio_handles_missing_values() -> None:
    assert bench.ratio(3.0, 1.5) == 2.0
    assert bench.ratio(None, 1.0) is None
    assert bench.ratio(1.0, None) is None
    assert bench.ratio(1.0, 0.0) is None


def measured(walls: dict[str, float], skipped: dict[str, str] | None = None) -> dict[str, bench.Benchmark]:
    found = {}
    for key, wall in walls.items():
        found[key] = bench.Benchmark(key, key, [], samples=[sample(wall), sample(wall)])
    for key, why in (skipped or {}).items():
        found[key] = bench.Benchmark(key, key, [], skipped=why)
    return found


ALL = list(bench.REQUIRED_TARGETS)
GOOD = {"floor": 0.1, "seed": 0.15, "c200": 0.2, "c2000": 1.2, "c2000-canvas": 0.4, "t2q200": 0.45, "t2q2000": 2.6}


def test_verdicts_pass_when_every_target_holds() -> None:
    verdicts = bench.verdicts(measured(GOOD), ALL)
    assert [v.status for v in verdicts] == ["PASS"] * 5
    assert bench.ratios(measured(GOOD))["growth 200 → 2,000 questions, all targets"] == pytest.approx(6.0)


def test_verdicts_fail_on_each_missed_target() -> None:
    slow = {**GOOD, "seed": 0.26, "c2000-canvas": 0.6, "c2000": 2.3}
    statuses = [v.status for v in bench.verdicts(measured(slow), ALL)]
    # seed 2.6x floor, canvas only 4.3x faster, big build 2.3 s, RSS fine, growth 11.5x
    assert statuses == ["FAIL", "FAIL", "FAIL", "PASS", "FAIL"]


def test_verdicts_say_what_was_not_checked_and_why() -> None:
    found = measured({k: v for k, v in GOOD.items() if k != "c2000-canvas"},
                     {"c2000-canvas": "target canvas-qti is not in the registry yet"})
    verdicts = bench.verdicts(found, [t for t in ALL if t != "cc"])
    assert all(v.status == "NOT CHECKED" for v in verdicts)
    assert "canvas-qti is not in the registry" in verdicts[1].detail
    assert "missing from the registry: cc" in verdicts[0].detail
    assert "measured: 1.50×" in verdicts[0].detail


def test_plan_skips_what_cannot_run(tmp_path: Path) -> None:
    planned = {b.key: b for b in bench.plan(tmp_path, ["scorm12"], None)}
    assert planned["c2000-canvas"].skipped == "target canvas-qti is not in the registry yet"
    assert "text2qti is not installed" in planned["t2q2000"].skipped
    assert planned["floor"].skipped == planned["seed"].skipped == ""
    nothing = {b.key: b for b in bench.plan(tmp_path, [], "/usr/bin/text2qti")}
    assert nothing["seed"].skipped == "no target is registered"
    assert nothing["t2q200"].command(tmp_path) == "cd $TMP/c200 && text2qti text2qti.txt"


def test_the_big_build_leaves_out_the_targets_whose_saved_state_it_exceeds(generated: Path,
                                                                          tmp_path: Path) -> None:
    sizes = bench.saved_state_sizes(generated / "source")
    assert sizes["scorm12"] == 4096 and sizes["scorm2004"] == 64000
    assert 0 < sizes["worst case"] < 4096  # 20 questions
    assert bench.too_big_for({**sizes, "worst case": 5000}, ALL) == ["scorm12"]
    assert bench.too_big_for(sizes, ALL) == []
    planned = {b.key: b for b in bench.plan(tmp_path, list(ALL), None, ["scorm12"])}
    command = planned["c2000"].command(tmp_path)
    assert "but scorm12 (saved state too large)" in planned["c2000"].label
    assert "--target scorm2004" in command and "--target scorm12" not in command
    assert "--target" not in planned["c200"].command(tmp_path)


def test_report_keeps_the_hand_written_profile(tmp_path: Path) -> None:
    old = tmp_path / "results.md"
    old.write_text("# Build benchmarks\n\nold numbers\n\n## Profile\n\nhot spot: X\n", encoding="utf-8")
    profile = bench.kept_profile(old)
    assert profile == "## Profile\n\nhot spot: X\n"
    found = measured(GOOD, {"help": "not run"})
    report = bench.render_report(list(found.values()), ALL, 2, {"CPU": "test"}, [0.5, 3.5, 1.5, 0.6],
                                 ({"load the sources": 0.25}, ""), profile, tmp_path)
    assert "old numbers" not in report
    assert report.rstrip().endswith("hot spot: X")
    assert "- **PASS**: seed course, all targets ≤ 2.5× the start-up floor: 1.50×" in report
    assert "- load average (1 min): 0.50 before, 0.60 after; 0.50 – 3.50 (median 1.05) sampled" in report
    assert "| load the sources | 0.250 |" in report
    assert "- help: not run" in report
    assert bench.kept_profile(tmp_path / "absent.md") == ""


def test_generated_images_and_formulas_load_and_are_fixed(tmp_path: Path) -> None:
    make_course.generate(3, 12, tmp_path / "a", images=4, formulas=True)
    make_course.generate(3, 12, tmp_path / "b", images=4, formulas=True)
    figures = sorted((tmp_path / "a" / "source" / "figures").iterdir())
    assert len(figures) == 4 and all(90_000 < path.stat().st_size < 120_000 for path in figures)
    assert [p.read_bytes() for p in figures] == [
        p.read_bytes() for p in sorted((tmp_path / "b" / "source" / "figures").iterdir())]
    course = load_course(tmp_path / "a" / "source").course
    assert len(course.media) == 4
    assert sum(len(lesson.quiz.images) for lesson in course.lessons) > 0
    assert any("$" in q.explanation for q in course.questions)


def test_validate_section_judges_validate_against_the_build_run_beside_it(tmp_path: Path) -> None:
    from benchmarks import validate_bench

    def sample(wall: float, mib: int) -> bench.Sample:
        return bench.Sample(wall, wall / 2, mib * 1024 * 1024, 0)

    series = validate_bench.plan(tmp_path, None)
    walls = {"build": (1.0, 100), "validate": (0.8, 120), "schemas": (1.2, 160)}
    for one in series:
        one.skipped = ""
        one.samples = [sample(*walls[one.key]), sample(walls[one.key][0] + 1, walls[one.key][1])]
    section = validate_bench.render(series, 2, (0.5, 0.7))
    assert ("| 100 lessons / 2,000 questions | 1500 ms (CPU 0.8 s), 100 MiB | 1300 ms (CPU 0.7 s), 120 MiB | "
            "1700 ms (CPU 0.9 s), 160 MiB | 0.87× (CPU 0.87×) | 1.13× (CPU 1.13×) |") in section
    assert "- **PASS**: `validate` no slower than the build: 0.87×" in section
    assert "- **FAIL**: `validate --schemas` no slower than the build: 1.13×" in section
    assert "- **FAIL**: `validate --schemas` peak RSS < 150 MiB: 160 MiB (highest of the runs)" in section
    unplanned = validate_bench.plan(tmp_path, None)
    assert all(one.skipped for one in unplanned if one.key == "schemas")
    assert "NOT CHECKED" in validate_bench.render(unplanned, 2, (0.5, 0.7))


def test_phase_breakdown_builds_and_lands_every_package(tmp_path: Path) -> None:
    from srm_package.targets import TARGETS
    from tests.conftest import SOURCE

    phases = bench.phase_breakdown(SOURCE, tmp_path / "dist")
    assert list(phases)[:2] == ["import srm_package (loader, registry)", "load the sources"]
    assert list(phases)[-1] == "write the packages" and len(phases) == len(TARGETS) + 3
    assert all(seconds >= 0 for seconds in phases.values())
    assert len([p for p in (tmp_path / "dist").iterdir() if not p.name.startswith(".")]) == len(TARGETS)
