"""fork_map: the same results as map, in order, with errors and dead workers handled;
the loader gives the same course and the same problems with and without workers."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from benchmarks import make_course
from srm_package import parallel
from srm_package.errors import SourceError
from srm_package.loader import load_course

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def square_with_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


@pytest.mark.parametrize("workers", [1, 2, 3, 5])
@pytest.mark.parametrize("count", [0, 1, 2, 7, 40])
def test_results_come_back_in_order(workers: int, count: int, monkeypatch) -> None:
    started = spy_on_workers(monkeypatch)
    results = parallel.fork_map(square_with_pid, list(range(count)), workers=workers)
    assert [value for value, _ in results] == [n * n for n in range(count)]
    assert len(started) == max(0, min(workers, count) - 1)  # this process works too


def test_items_are_spread_over_the_workers() -> None:
    def slow_square(n: int) -> tuple[int, int]:
        time.sleep(0.02)  # long enough that every process gets some of the items
        return square_with_pid(n)

    pids = {pid for _, pid in parallel.fork_map(slow_square, list(range(12)), workers=3)}
    assert os.getpid() in pids and len(pids) == 3


def spy_on_workers(monkeypatch) -> list[int]:
    started: list[int] = []
    real_start = parallel._start

    def start(*args):
        pid, reader = real_start(*args)
        started.append(pid)
        return pid, reader

    monkeypatch.setattr(parallel, "_start", start)
    return started


def fail_on_five(n: int) -> int:
    if n == 5:
        raise ValueError(f"item {n} is bad")
    return n


def test_an_error_is_raised_here_wherever_it_happens() -> None:
    with pytest.raises(ValueError, match="item 5 is bad"):
        parallel.fork_map(fail_on_five, list(range(8)), workers=2)


class Unrebuildable(Exception):
    def __init__(self, a: int, b: int) -> None:
        super().__init__(f"{a}/{b}")


def fail_oddly_in_worker(parent: int):
    def run(n: int) -> int:
        if os.getpid() != parent:
            raise Unrebuildable(1, 2)
        time.sleep(0.05)  # leave the items to the worker
        return n
    return run


def test_an_error_that_cannot_travel_is_described() -> None:
    with pytest.raises(RuntimeError, match="Unrebuildable: 1/2"):
        parallel.fork_map(fail_oddly_in_worker(os.getpid()), list(range(4)), workers=2)


def die_in_worker(parent: int):
    def run(n: int) -> int:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return n * 10
    return run


def test_a_dead_worker_has_its_share_redone() -> None:
    assert parallel.fork_map(die_in_worker(os.getpid()), list(range(6)), workers=3) == [0, 10, 20, 30, 40, 50]


def test_no_fork_while_another_thread_runs(monkeypatch) -> None:
    monkeypatch.delenv(parallel.WORKERS_VARIABLE, raising=False)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert parallel.worker_count(10) == 1
    finally:
        stop.set()
        thread.join()


def test_worker_count_follows_the_environment(monkeypatch) -> None:
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    assert parallel.worker_count(10) == 1
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "3")
    expected = 3 if threading.active_count() == 1 and sys.platform == "linux" else 1
    assert parallel.worker_count(10) == expected
    assert parallel.worker_count(1) == 1


def workers_available_inside(_: int) -> int:
    return parallel.worker_count(10)


def test_a_fork_map_inside_a_fork_map_maps_in_place(monkeypatch) -> None:
    """A target that spreads its own work is run in a worker already: no workers of workers."""
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    assert parallel.fork_map(workers_available_inside, list(range(4)), workers=2) == [1, 1, 1, 1]
    expected = 2 if threading.active_count() == 1 and sys.platform == "linux" else 1
    assert parallel.worker_count(10) == expected  # and forking again once it is done


def broken_course(tmp_path: Path) -> Path:
    """A 10-lesson course with mistakes spread over several lessons and quizzes."""
    make_course.generate(10, 60, tmp_path)
    lessons = tmp_path / "source" / "lessons"
    edits = {
        "003-lesson-003.md": ("id: lesson-003", "id: lesson-002"),
        "006-lesson-006.quiz.yaml": ("section: l006-s2", "section: nowhere"),
        "007-lesson-007.quiz.yaml": ("type: single", "type: singel"),
        "008-lesson-008.md": ("::: key-principle", "::: key-principal"),
        "009-lesson-009.quiz.yaml": ("- id: l009-q001", "- id: l001-q001"),
    }
    for name, (old, new) in edits.items():
        path = lessons / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    (lessons / "004-lesson-004.quiz.yaml").unlink()
    return tmp_path / "source"


def load_problems(source: Path) -> list[str]:
    with pytest.raises(SourceError) as raised:
        load_course(source)
    return [str(problem) for problem in raised.value.problems]


def test_loader_reports_the_same_problems_with_and_without_workers(tmp_path: Path, monkeypatch) -> None:
    source = broken_course(tmp_path)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    serial = load_problems(source)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "3")
    # the loader must really fork here, or this test compares serial with serial
    monkeypatch.setattr(parallel, "_other_threads_running", lambda: False)
    assert parallel.worker_count(10) == 3
    assert load_problems(source) == serial
    assert len(serial) >= 6
    assert any("duplicate lesson id 'lesson-002'" in p for p in serial)
    assert any("004-lesson-004.quiz.yaml" in p for p in serial)


def test_loader_builds_the_same_course_with_and_without_workers(tmp_path: Path, monkeypatch) -> None:
    make_course.generate(9, 45, tmp_path)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    serial = load_course(tmp_path / "source")
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    monkeypatch.setattr(parallel, "_other_threads_running", lambda: False)
    assert load_course(tmp_path / "source") == serial


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def forking(monkeypatch) -> list[int]:
    """Let the build fork even inside a test process that runs other threads; lists the workers started."""
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    monkeypatch.setattr(parallel, "_other_threads_running", lambda: False)
    return spy_on_workers(monkeypatch)


def test_parallel_build_writes_the_same_files(tmp_path: Path, monkeypatch, forking) -> None:
    from srm_package.build import build

    make_course.generate(9, 40, tmp_path / "course")
    written, _ = build(tmp_path / "course" / "source", tmp_path / "parallel")
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    build(tmp_path / "course" / "source", tmp_path / "serial")
    assert forking, "the build did not fork"
    assert snapshot(tmp_path / "parallel") == snapshot(tmp_path / "serial")
    assert len(written) >= 2 and all(w.size > 0 and w.artifact.entries == {} for w in written)
    assert sorted(p.name for p in (tmp_path / "parallel").iterdir()) == sorted(w.path.name for w in written)


def test_a_target_failing_in_a_worker_leaves_dist_as_it_was(tmp_path: Path, monkeypatch, forking) -> None:
    from srm_package import build as build_module
    from srm_package.errors import BuildError
    from srm_package.targets import TARGETS

    make_course.generate(9, 40, tmp_path / "course")
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "old.zip").write_bytes(b"an earlier build")
    last = list(TARGETS)[-1]  # built by the second worker, after others it has staged
    real = build_module.builder

    def builder(name: str):
        if name != last:
            return real(name)

        def fail(course):
            raise BuildError(f"{name} cannot be built")
        return fail

    monkeypatch.setattr(build_module, "builder", builder)
    with pytest.raises(BuildError, match="cannot be built"):
        build_module.build(tmp_path / "course" / "source", dist)
    assert forking, "the build did not fork"
    assert snapshot(dist) == {"old.zip": b"an earlier build"}
    assert [p.name for p in dist.iterdir()] == ["old.zip"]  # no staging folder left behind
