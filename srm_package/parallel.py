"""Spread independent pieces of a build over the machine's cores: ``fork_map``.

Parsing lessons and building targets is pure Python, so threads would take turns on
one core. The standard library's ``ProcessPoolExecutor`` forks the workers, which
share everything already loaded (the course model, imported modules) without copying
it: the function and its items reach them through the fork itself, and only the
numbers of the items to do and the pickled results travel through the pool's pipes.
The results come back in input order, so the output does not depend on how the work
was split.

``fork`` is used only where it is safe and worth it: on Linux, in a process that
runs no other thread, with at least two usable cores and more than one item. Anywhere
else ``fork_map`` is a plain ``map``. ``SRM_PACKAGE_WORKERS=1`` turns it off.

No worker outlives its build or writes after it is gone: the kernel kills a worker
when its parent dies, even by SIGKILL (``PR_SET_PDEATHSIG``); workers ignore Ctrl-C
(it reaches the whole terminal's process group, and the parent decides); and a parent
that stops early (an error, Ctrl-C, SIGTERM) kills and reaps its workers before it
goes on, so they are gone before it tidies up what they were writing into.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

WORKERS_VARIABLE = "SRM_PACKAGE_WORKERS"
#: more workers than this gain little on the inputs a course has
_MAX_WORKERS = 4
#: the items are handed out in at most this many tasks, each worker taking the next
#: one when it is free, so that a slow item does not hold up a share of others
_MAX_TASKS = 256
#: true while a fork_map runs, in its process and (inherited) in its workers: a fork_map
#: called from inside one (a target building its quizzes in a build of all targets) maps
#: in place instead of starting workers of workers on cores that are already busy
_mapping = False
#: the signals the parent acts on; held back while it forks, ignored or fatal in workers
_STOPPING = {signal.SIGINT, signal.SIGTERM}
#: Linux's prctl option that has the kernel send a signal when the parent dies
_PR_SET_PDEATHSIG = 1

#: in a worker: what its tasks apply and to what (set by ``_adopt``, inherited by fork)
_function: Callable | None = None
_items: Sequence = ()


def worker_count(items: int) -> int:
    """How many worker processes ``fork_map`` would use for ``items`` items here (1 = none)."""
    if items < 2 or _mapping or sys.platform != "linux" or not hasattr(os, "fork") or _other_threads_running():
        return 1
    configured = os.environ.get(WORKERS_VARIABLE, "").strip()
    if configured.isdigit():
        cores = int(configured)
    else:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        cores = min(cores, _MAX_WORKERS)
    return max(1, min(cores, items))


def _other_threads_running() -> bool:
    # a fork copies only the calling thread: a lock another thread holds stays locked
    threading = sys.modules.get("threading")
    return threading is not None and threading.active_count() > 1


def fork_map(function: Callable[[Item], Result], items: Sequence[Item], workers: int | None = None) -> list[Result]:
    """``[function(item) for item in items]``, the items shared out over forked workers.

    An exception raised by ``function`` in a worker is raised here; the items of a
    worker that dies without answering (killed, out of memory) are done here, so a
    result is never lost. ``workers`` overrides the automatic count.
    """
    if workers is None:
        count = worker_count(len(items))
    else:  # a fixed number, for tests: only the platform is checked
        count = max(1, min(workers, len(items))) if sys.platform == "linux" else 1
    if count == 1:
        return [function(item) for item in items]
    from concurrent.futures.process import BrokenProcessPool

    global _mapping
    tasks = _split(len(items), min(len(items), _MAX_TASKS))
    done: dict[int, Result] = {}
    _mapping = True  # before the fork: the workers inherit it
    try:
        with _Pool(count, function, items) as pool:
            futures = pool.submit_all(tasks)
            # a pool broken while the tasks were sent took fewer of them
            for task, future in zip(tasks, futures, strict=False):
                # a worker died: what it had not sent back is done below
                with contextlib.suppress(BrokenProcessPool):
                    done.update(zip(task, future.result(), strict=True))
    finally:
        _mapping = False
    return [done[i] if i in done else function(items[i]) for i in range(len(items))]


def _split(total: int, count: int) -> list[range]:
    """``count`` consecutive ranges covering ``0..total``, as equal as possible."""
    base, extra = divmod(total, count)
    shares, start = [], 0
    for index in range(count):
        size = base + (1 if index < extra else 0)
        shares.append(range(start, start + size))
        start += size
    return shares


class _Pool:
    """A ``ProcessPoolExecutor`` (fork context) of ``count`` workers applying ``function``
    to ``items``; leaving it early kills and reaps the workers, leaving it normally lets
    them finish and exit."""

    def __init__(self, count: int, function: Callable, items: Sequence) -> None:
        import ctypes  # noqa: F401 (imported once here rather than in every worker)
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self._multiprocessing = multiprocessing
        self._executor = ProcessPoolExecutor(
            count, mp_context=multiprocessing.get_context("fork"),
            initializer=_adopt, initargs=(os.getpid(), function, items))
        self._workers: list = []

    def __enter__(self) -> _Pool:
        return self

    def submit_all(self, tasks: list[range]) -> list:
        """Queue the tasks (all, unless a worker dies meanwhile: the rest are not sent);
        the workers are forked by the first submission.

        Ctrl-C and SIGTERM are held back meanwhile: a worker starts with them blocked
        (it unblocks them once it ignores the one and dies of the other), and the parent
        takes one that came meanwhile once every worker it has forked is known, so that
        none escapes ``__exit__``.
        """
        from concurrent.futures.process import BrokenProcessPool

        before = set(self._multiprocessing.active_children())
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
        futures = []
        try:
            for task in tasks:
                futures.append(self._executor.submit(_run, task))
        except BrokenProcessPool:
            pass
        finally:
            self._workers = [p for p in self._multiprocessing.active_children() if p not in before]
            signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a signal held back is raised here
        return futures

    def __exit__(self, error_type: object, *_: object) -> None:
        if error_type is not None:  # the results are no longer wanted: stop the workers now
            for worker in self._workers:
                worker.kill()
        self._executor.shutdown(wait=True, cancel_futures=True)
        for worker in self._workers:
            worker.join()


def _adopt(parent: int, function: Callable, items: Sequence) -> None:
    """A worker's start: tie its life to the parent's, settle its signals, take the work."""
    global _function, _items
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        tied = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        tied = False
    if not tied or os.getppid() != parent:  # cannot die with the parent, or it is gone already
        os._exit(1)  # the parent sees a broken pool and does the items itself
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)
    _function, _items = function, items


def _run(task: range) -> list:
    """One task in a worker: the results of its items, or an exception that can travel."""
    try:
        return [_function(_items[index]) for index in task]  # type: ignore[misc]
    except Exception as error:
        raise _travelling(error) from None


def _travelling(error: Exception) -> Exception:
    """``error`` if it survives pickling, else a ``RuntimeError`` that describes it."""
    import pickle

    try:
        pickle.loads(pickle.dumps(error, pickle.HIGHEST_PROTOCOL))  # some pickle but cannot be rebuilt
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
