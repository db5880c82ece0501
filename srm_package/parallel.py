"""Spread independent pieces of a build over the machine's cores with ``fork``.

Parsing lessons and building targets is pure Python, so threads would take turns on
one core. Forked workers share everything already loaded (the course model, imported
modules) without copying it, and send back only their pickled results. The results
come back in input order, so the output does not depend on how the work was split.

``fork`` is used only where it is safe and worth it: on Linux, in a process that
runs no other thread, with at least two usable cores and more than one item. Anywhere
else ``fork_map`` is a plain ``map``. ``SRM_PACKAGE_WORKERS=1`` turns it off.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

WORKERS_VARIABLE = "SRM_PACKAGE_WORKERS"
#: more workers than this gain little on the inputs a course has
_MAX_WORKERS = 4
#: true while a fork_map runs, in its process and (inherited) in its workers: a fork_map
#: called from inside one (a target building its quizzes in a build of all targets) maps
#: in place instead of starting workers of workers on cores that are already busy
_mapping = False
#: the task pipe holds one 4-byte number per task; 16,384 of them fill the default 64 KiB
#: pipe buffer, so more items than that are grouped into as many tasks
_TASK_BYTES = 4
_MAX_TASKS = 16_384


def worker_count(items: int) -> int:
    """How many processes ``fork_map`` would use for ``items`` items here (1 = no fork)."""
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

    This process works too. Each process takes the next item as soon as it is free,
    and the results are put back in input order. An exception raised by ``function``
    in a worker is raised here; the items of a worker that dies without answering are
    done here, so a result is never lost. ``workers`` overrides the automatic count.
    """
    if workers is None:
        count = worker_count(len(items))
    else:  # a fixed number, for tests: only the platform is checked
        count = max(1, min(workers, len(items))) if hasattr(os, "fork") else 1
    if count == 1:
        return [function(item) for item in items]
    global _mapping
    chunks = _split(len(items), min(len(items), _MAX_TASKS))
    tasks = _task_pipe(len(chunks))
    pending: list[tuple[int, int]] = []  # pid and the read end of its result pipe
    done: dict[int, Result] = {}
    _mapping = True
    try:
        for _ in range(count - 1):
            pending.append(_start(function, items, chunks, tasks))
        done.update(_work(function, items, chunks, tasks))
        while pending:
            done.update(_collect(*pending.pop(0)))
    except BaseException:
        for pid, reader in pending:
            _stop(pid, reader)
        raise
    finally:
        _mapping = False
        os.close(tasks)
    # a worker that died took the items it had claimed with it: they are done here
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


def _task_pipe(count: int) -> int:
    """A pipe holding the numbers ``0..count-1``; each process takes the next one when it is free.

    So a slow item (a big target) does not hold up a share of others behind it. All
    numbers are written before any process reads, and every read asks for exactly one
    number, so no read can get part of one.
    """
    reader, writer = os.pipe()
    try:
        os.write(writer, b"".join(n.to_bytes(_TASK_BYTES, "little") for n in range(count)))
    finally:
        os.close(writer)  # at the end of the numbers, a read returns nothing
    return reader


def _work(function, items, chunks: list[range], tasks: int) -> dict:
    results = {}
    while task := os.read(tasks, _TASK_BYTES):
        for index in chunks[int.from_bytes(task, "little")]:
            results[index] = function(items[index])
    return results


def _start(function, items, chunks: list[range], tasks: int) -> tuple[int, int]:
    import pickle  # here, not at the top: a build that does not fork does not pay for it

    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: never returns into the caller's code
        status = 0
        try:
            os.close(reader)
            try:
                payload = pickle.dumps((True, _work(function, items, chunks, tasks)), pickle.HIGHEST_PROTOCOL)
            except BaseException as error:  # sent to the parent, which raises it
                payload = _pickled_error(error)
            with os.fdopen(writer, "wb") as stream:
                stream.write(payload)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(writer)
    return pid, reader


def _pickled_error(error: BaseException) -> bytes:
    import pickle

    try:
        payload = pickle.dumps((False, error), pickle.HIGHEST_PROTOCOL)
        pickle.loads(payload)  # some exceptions pickle but cannot be rebuilt
        return payload
    except Exception:  # send its description instead
        return pickle.dumps((False, RuntimeError(f"{type(error).__name__}: {error}")), pickle.HIGHEST_PROTOCOL)


def _collect(pid: int, reader: int) -> dict:
    import pickle

    try:
        with os.fdopen(reader, "rb") as stream:
            payload = stream.read()
    finally:
        os.waitpid(pid, 0)
    if not payload:  # the worker died (killed, out of memory): fork_map redoes its items
        return {}
    ok, value = pickle.loads(payload)
    if not ok:
        raise value
    return value


def _stop(pid: int, reader: int) -> None:
    """End a worker whose result is no longer wanted, and reap it."""
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ChildProcessError, ProcessLookupError):
        pass
    os.close(reader)
