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
from srm_package.output_record import RECORD
from srm_package.targets import TARGETS
from tests.conftest import SOURCE

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def square_with_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


@pytest.mark.parametrize("workers", [1, 2, 3, 5])
@pytest.mark.parametrize("count", [0, 1, 2, 7, 40])
def test_results_come_back_in_order(workers: int, count: int, assert_no_worker_left) -> None:
    results = parallel.fork_map(square_with_pid, list(range(count)), workers=workers)
    assert [value for value, _ in results] == [n * n for n in range(count)]
    pids = {pid for _, pid in results}
    if min(workers, count) > 1:  # done by workers only
        assert os.getpid() not in pids and len(pids) <= min(workers, count)
    else:
        assert pids <= {os.getpid()}
    assert_no_worker_left()


def test_items_are_spread_over_the_workers() -> None:
    def slow_square(n: int) -> tuple[int, int]:
        time.sleep(0.05)  # long enough that every worker gets some of the items
        return square_with_pid(n)

    pids = {pid for _, pid in parallel.fork_map(slow_square, list(range(12)), workers=3)}
    assert os.getpid() not in pids and len(pids) == 3


def test_the_function_and_items_are_not_pickled() -> None:
    """They reach the workers through the fork: a lambda and an unpicklable item work."""
    lock = threading.Lock()  # cannot be pickled
    results = parallel.fork_map(lambda item: (type(item[0]).__name__, item[1] * 2, os.getpid()),
                                [(lock, n) for n in range(4)], workers=2)
    assert [(name, double) for name, double, _ in results] == [("lock", n * 2) for n in range(4)]
    assert os.getpid() not in {pid for _, _, pid in results}


@pytest.fixture
def assert_no_worker_left():
    """A check that every worker was reaped and the pool's threads are gone (the next
    fork_map may fork); children the test process had before (a browser) do not count."""
    import multiprocessing

    before = set(_children())

    def check() -> None:
        assert multiprocessing.active_children() == []
        assert set(_children()) <= before
        assert not [t for t in threading.enumerate() if "QueueManagerThread" in t.name or "QueueFeederThread" in t.name]

    return check


def _children() -> list[int]:
    """This process's child processes, zombies included (Linux)."""
    found = []
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/children") as listed:
                found += [int(pid) for pid in listed.read().split()]
        except FileNotFoundError:  # a thread of the test process that ended since it was listed
            pass
    return found


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


def test_a_worker_whose_parent_is_gone_does_nothing(monkeypatch, assert_no_worker_left) -> None:
    """A worker checks, once it will die with its parent, that the parent is still there;
    here it seems not to be: the workers leave at once, and the items are done here."""
    monkeypatch.setattr(os, "getppid", lambda: 1)  # inherited by the workers
    assert parallel.fork_map(square_with_pid, list(range(5)), workers=2) == [(n * n, os.getpid()) for n in range(5)]
    assert_no_worker_left()


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
    """Every file below ``folder`` but the tool's record (file identities differ by folder)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != RECORD}


@pytest.fixture
def forking(monkeypatch) -> None:
    """Let the build fork even inside a test process that runs other threads."""
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    monkeypatch.setattr(parallel, "_other_threads_running", lambda: False)


@pytest.fixture
def course_source(tmp_path: Path) -> Path:
    """A course large enough for its targets to be built by workers."""
    make_course.generate(9, 40, tmp_path / "course")
    return tmp_path / "course" / "source"


def log_builders(monkeypatch, log: Path, fail: str = "", slow: str = "") -> None:
    """Each target's builder notes the process it runs in (workers are other processes);
    ``fail`` raises, ``slow`` takes its time (so that the others are done first)."""
    from srm_package import build as build_module
    from srm_package.errors import BuildError

    real = build_module.builder

    def builder(name: str):
        with log.open("a", encoding="utf-8") as notes:
            notes.write(f"{name} {os.getpid()}\n")
        if name == fail:
            def failing(course):
                raise BuildError(f"{name} cannot be built")
            return failing
        if name == slow:
            time.sleep(3)
        return real(name)

    monkeypatch.setattr(build_module, "builder", builder)


def built_in(log: Path) -> dict[str, int]:
    return {name: int(pid) for name, pid in (line.split() for line in log.read_text(encoding="utf-8").splitlines())}


def test_parallel_build_writes_the_same_files(tmp_path: Path, monkeypatch, forking, course_source,
                                              assert_no_worker_left) -> None:
    from srm_package.build import build

    log_builders(monkeypatch, tmp_path / "built-in")
    report = build(course_source, tmp_path / "parallel")
    assert os.getpid() not in built_in(tmp_path / "built-in").values(), "the build did not fork"
    assert_no_worker_left()
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    build(course_source, tmp_path / "serial")
    assert snapshot(tmp_path / "parallel") == snapshot(tmp_path / "serial")
    written = report.written
    assert len(written) == len(TARGETS) and all(w.size > 0 and w.artifact.entries == {} for w in written)
    assert sorted(p.name for p in (tmp_path / "parallel").iterdir() if not p.name.startswith(".")) == sorted(
        w.path.name for w in written)


def test_a_small_course_is_built_in_one_process(tmp_path: Path, monkeypatch, forking) -> None:
    log_builders(monkeypatch, tmp_path / "built-in")
    from srm_package.build import build

    build(SOURCE, tmp_path / "dist")
    assert set(built_in(tmp_path / "built-in").values()) == {os.getpid()}


def test_a_target_failing_in_a_worker_leaves_dist_as_it_was(tmp_path: Path, monkeypatch, forking,
                                                             course_source, assert_no_worker_left) -> None:
    from srm_package.build import build
    from srm_package.errors import BuildError

    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "old.zip").write_bytes(b"an earlier build")
    log_builders(monkeypatch, tmp_path / "built-in", fail="html")  # after scorm12 and scorm2004 were staged
    with pytest.raises(BuildError, match="html cannot be built"):
        build(course_source, dist)
    assert os.getpid() not in built_in(tmp_path / "built-in").values(), "the build did not fork"
    assert snapshot(dist) == {"old.zip": b"an earlier build"}
    assert [p.name for p in dist.iterdir()] == ["old.zip"]  # no staging folder left behind
    assert_no_worker_left()


def test_a_failing_worker_stops_the_others_before_tidying_up(tmp_path: Path, monkeypatch, forking,
                                                             course_source) -> None:
    """Another worker may still be writing into the staging folder when one fails: it is
    stopped (and reaped) before the folder is removed, so that nothing is left behind."""
    from srm_package import output_folder
    from srm_package.build import build
    from srm_package.errors import BuildError

    log_builders(monkeypatch, tmp_path / "built-in", fail="cc", slow="scorm12")
    real_remove = output_folder.remove
    workers_at_removal: list[set[int]] = []
    before = set(_children())  # a browser of other tests, say

    def remove(path: Path) -> None:
        if path.name.startswith(".srm-package-"):  # the staging folder
            workers_at_removal.append(set(_children()) - before)
        real_remove(path)

    monkeypatch.setattr(output_folder, "remove", remove)
    with pytest.raises(BuildError, match="cc cannot be built"):
        build(course_source, tmp_path / "dist")
    assert workers_at_removal == [set()]
    assert not (tmp_path / "dist").exists()


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


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


@pytest.fixture
def ctrl_c_raises():
    """Python's own Ctrl-C handler for the test, whatever pytest was started with (a shell
    starts ``pytest &`` with SIGINT ignored, and Python then leaves it ignored)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files in /proc")
def test_ctrl_c_during_a_fork_ends_the_new_workers_and_leaks_nothing(monkeypatch, ctrl_c_raises,
                                                                     assert_no_worker_left) -> None:
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

    monkeypatch.setattr(os, "fork", fork_after_ctrl_c)
    before = _open_pipes()
    with pytest.raises(KeyboardInterrupt):
        parallel.fork_map(abs, [-1, -2, -3, -4], workers=2)
    assert len(children) == 2 and all(_reaped(pid) for pid in children)
    assert _open_pipes() == before
    assert_no_worker_left()


def sleep_then_square(n: int) -> int:
    time.sleep(30)
    return n * n


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files in /proc")
def test_ctrl_c_while_workers_run_ends_them_and_leaks_nothing(ctrl_c_raises, assert_no_worker_left) -> None:
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    before = _open_pipes()
    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 1.0)  # a real signal, while the workers sleep
    try:
        with pytest.raises(KeyboardInterrupt):
            parallel.fork_map(sleep_then_square, [1, 2, 3], workers=2)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert_no_worker_left()
    assert _open_pipes() == before


def test_the_ctrl_c_tests_pass_when_pytest_starts_with_sigint_ignored(tmp_path: Path) -> None:
    """A shell starts ``pytest &`` (and some CI wrappers start it) with SIGINT ignored: the
    tests that press Ctrl-C set the handler they need instead of assuming the parent's."""
    import subprocess

    from tests.conftest import ROOT

    tests = ["tests/test_parallel.py::test_ctrl_c_during_a_fork_ends_the_new_workers_and_leaks_nothing",
             "tests/test_parallel.py::test_ctrl_c_while_workers_run_ends_them_and_leaks_nothing",
             "tests/test_build.py::test_ctrl_c_while_the_packages_land_is_ignored_and_the_build_completes",
             "tests/test_build.py::test_a_signal_while_the_tool_starts_exits_quietly"]
    ignoring = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
                "os.execv(sys.executable, [sys.executable, '-m', 'pytest', *sys.argv[1:]])")
    result = subprocess.run([sys.executable, "-c", ignoring, "-q", "-p", "no:cacheprovider", "--basetemp",
                             str(tmp_path / "run"), *tests], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "8 passed" in result.stdout
