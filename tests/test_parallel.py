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
from srm_package.targets import TARGETS
from tests.conftest import SOURCE

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
    """Let the build fork even inside a test process that runs other threads; lists the
    workers started (by ``fork_map`` and ``EarlyWorker``)."""
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    monkeypatch.setattr(parallel, "_other_threads_running", lambda: False)
    started = spy_on_workers(monkeypatch)
    real_fork = parallel.EarlyWorker._fork

    def fork(self, prepare):
        real_fork(self, prepare)
        started.append(self._pid)

    monkeypatch.setattr(parallel.EarlyWorker, "_fork", fork)
    return started


@pytest.fixture(params=["early worker", "target groups"])
def course_source(request, tmp_path: Path, monkeypatch) -> Path:
    """A course small enough for an early worker, or one built by ``fork_map`` groups."""
    from srm_package import build as build_module

    if request.param == "early worker":
        return SOURCE
    make_course.generate(9, 40, tmp_path / "course")
    monkeypatch.setattr(build_module, "_SMALL_BYTES", 0)
    return tmp_path / "course" / "source"


def test_parallel_build_writes_the_same_files(tmp_path: Path, monkeypatch, forking, course_source) -> None:
    from srm_package.build import build

    written, _ = build(course_source, tmp_path / "parallel")
    assert forking, "the build did not fork"
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    build(course_source, tmp_path / "serial")
    assert snapshot(tmp_path / "parallel") == snapshot(tmp_path / "serial")
    assert len(written) == len(TARGETS) and all(w.size > 0 and w.artifact.entries == {} for w in written)
    assert sorted(p.name for p in (tmp_path / "parallel").iterdir()) == sorted(w.path.name for w in written)


def test_early_worker_builds_the_page_targets_of_a_small_course(tmp_path: Path, monkeypatch, forking) -> None:
    from srm_package import build as build_module

    log = tmp_path / "built-in.txt"  # appended to by whichever process builds a target
    real = build_module.builder

    def builder(name: str):
        with log.open("a", encoding="utf-8") as stream:
            stream.write(f"{name} {os.getpid()}\n")
        return real(name)

    monkeypatch.setattr(build_module, "builder", builder)
    build_module.build(SOURCE, tmp_path / "dist")
    built_in = dict(line.split() for line in log.read_text(encoding="utf-8").splitlines())
    here = str(os.getpid())
    assert {name for name, pid in built_in.items() if pid == here} == {"canvas-qti", "moodle-xml"}
    assert {name for name, pid in built_in.items() if pid != here} == {"scorm12", "scorm2004", "cc", "moodle-backup",
                                                                       "html"}
    assert forking and all(_reaped(pid) for pid in forking)


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.parametrize("asked", [["scorm12"], ["canvas-qti", "moodle-xml"], ["scorm12", "html"]])
def test_no_early_worker_when_one_process_would_do_everything(tmp_path: Path, forking, asked) -> None:
    from srm_package.build import build

    build(SOURCE, tmp_path / "dist", asked)
    assert forking == []


def test_a_target_failing_in_a_worker_leaves_dist_as_it_was(tmp_path: Path, monkeypatch, forking,
                                                             course_source) -> None:
    from srm_package import build as build_module
    from srm_package.errors import BuildError

    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "old.zip").write_bytes(b"an earlier build")
    # built by a worker (the early one, or the second of the groups), after others were staged
    failing = "html"
    real = build_module.builder

    def builder(name: str):
        if name != failing:
            return real(name)

        def fail(course):
            raise BuildError(f"{name} cannot be built")
        return fail

    monkeypatch.setattr(build_module, "builder", builder)
    with pytest.raises(BuildError, match="cannot be built"):
        build_module.build(course_source, dist)
    assert forking, "the build did not fork"
    assert snapshot(dist) == {"old.zip": b"an earlier build"}
    assert [p.name for p in dist.iterdir()] == ["old.zip"]  # no staging folder left behind


def test_a_target_failing_here_stops_the_early_worker_before_tidying_up(tmp_path: Path, monkeypatch,
                                                                       forking) -> None:
    """The worker may still be writing into the staging folder when this process fails:
    it is stopped (and reaped) before the folder is removed, so that nothing is left behind."""
    from srm_package import build as build_module
    from srm_package import package
    from srm_package.errors import BuildError

    real_builder, real_remove = build_module.builder, package._remove
    worker_alive_at_removal: list[bool] = []

    def builder(name: str):
        if name != "moodle-xml":  # built here, after canvas-qti
            return real_builder(name)

        def fail(course):
            raise BuildError(f"{name} cannot be built")
        return fail

    def remove(path: Path) -> None:
        if path.name.startswith(".srm-package-"):  # the staging folder
            worker_alive_at_removal.append(not all(_reaped(pid) for pid in forking))
        real_remove(path)

    monkeypatch.setattr(build_module, "builder", builder)
    monkeypatch.setattr(package, "_remove", remove)
    with pytest.raises(BuildError, match="moodle-xml cannot be built"):
        build_module.build(SOURCE, tmp_path / "dist")
    assert forking, "the build did not fork"
    assert worker_alive_at_removal == [False]
    assert not (tmp_path / "dist").exists()


def test_a_source_error_stops_the_early_worker_and_writes_nothing(tmp_path: Path, forking) -> None:
    import shutil

    from srm_package.build import build

    source = tmp_path / "source"
    shutil.copytree(SOURCE, source)
    (source / "course.yaml").write_text("id: [\n", encoding="utf-8")
    with pytest.raises(SourceError):
        build(source, tmp_path / "dist")
    assert forking, "the build did not fork"
    assert all(_reaped(pid) for pid in forking)
    assert not (tmp_path / "dist").exists()


def _open_pipes() -> set[str]:
    """This process's open pipe ends (other threads of the test process may open files)."""
    pipes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:"):
                pipes.add(fd)
        except OSError:  # closed since it was listed
            pass
    return pipes


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files in /proc")
@pytest.mark.parametrize("starter", ["fork_map", "EarlyWorker"])
def test_ctrl_c_during_a_fork_ends_the_new_worker_and_leaks_nothing(monkeypatch, starter) -> None:
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    monkeypatch.setattr(parallel, "_other_threads_running", lambda: False)
    real_fork = os.fork
    children: list[int] = []

    def fork_after_ctrl_c() -> int:
        # pressed while the fork is under way; sent to this thread, which holds it back (sent to
        # the process, it could go to another thread of the test process and come at any time)
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)
        pid = real_fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(parallel.os, "fork", fork_after_ctrl_c)
    before = _open_pipes()
    with pytest.raises(KeyboardInterrupt):
        if starter == "fork_map":
            parallel.fork_map(abs, [-1, -2, -3, -4], workers=2)
        else:
            with parallel.EarlyWorker(_prepare_marker, _report):
                pass
    assert len(children) == 1 and _reaped(children[0])
    assert _open_pipes() == before


# EarlyWorker on its own

_prepared: list[str] = []


def _prepare_marker() -> None:
    _prepared.append("ready")


def _report(payload: str) -> tuple[str, int, list[str]]:
    return payload.upper(), os.getpid(), list(_prepared)


@pytest.fixture
def may_fork(monkeypatch) -> None:
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    monkeypatch.setattr(parallel, "_other_threads_running", lambda: False)
    _prepared.clear()


def test_early_worker_prepares_then_works_in_another_process(may_fork) -> None:
    with parallel.EarlyWorker(_prepare_marker, _report) as early:
        assert early.forked
        early.submit("course")
        text, pid, prepared = early.result()
    assert (text, prepared) == ("COURSE", ["ready"])
    assert pid not in (os.getpid(), 0) and _reaped(pid)
    assert _prepared == []  # prepare ran in the worker only


def test_early_worker_takes_an_input_larger_than_its_pipe(may_fork) -> None:
    big = "x" * (parallel._PIPE_BYTES * 3)
    with parallel.EarlyWorker(_prepare_marker, len) as early:
        early.submit(big)
        assert early.result() == len(big)


def _fail(payload: str) -> None:
    raise ValueError(f"cannot work on {payload}")


def test_early_worker_raises_the_worker_error_here(may_fork) -> None:
    with parallel.EarlyWorker(_prepare_marker, _fail) as early:
        early.submit("this")
        with pytest.raises(ValueError, match="cannot work on this"):
            early.result()


def test_a_dead_early_worker_has_its_work_done_here(may_fork) -> None:
    parent = os.getpid()

    def work(payload: str) -> tuple[str, int]:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return payload, os.getpid()

    with parallel.EarlyWorker(_prepare_marker, work) as early:
        early.submit("again")
        assert early.result() == ("again", parent)


def test_a_failing_prepare_leaves_the_error_to_the_work(may_fork) -> None:
    def prepare() -> None:
        raise ImportError("no such module")

    with parallel.EarlyWorker(prepare, _report) as early:
        early.submit("fine")
        assert early.result()[0] == "FINE"


def test_leaving_without_a_result_stops_and_reaps_the_worker(may_fork) -> None:
    with parallel.EarlyWorker(_prepare_marker, _report) as early:
        pid = early._pid
    assert pid and _reaped(pid)
    with pytest.raises(RuntimeError), parallel.EarlyWorker(_prepare_marker, _report) as early:
        early.submit("unused")
        pid = early._pid
        raise RuntimeError("the build stopped")
    assert _reaped(pid)


@pytest.mark.parametrize("setting", ["unwanted", "one worker"])
def test_early_worker_works_here_when_it_does_not_fork(may_fork, monkeypatch, setting) -> None:
    if setting == "one worker":
        monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    with parallel.EarlyWorker(_prepare_marker, _report, wanted=setting != "unwanted") as early:
        assert not early.forked
        early.submit("local")
        assert early.result() == ("LOCAL", os.getpid(), [])
