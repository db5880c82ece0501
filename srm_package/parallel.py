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


def worker_count(items: int) -> int:
    """How many processes ``fork_map`` would use for ``items`` items here (1 = no fork)."""
    if items < 2 or sys.platform != "linux" or not hasattr(os, "fork") or _other_threads_running():
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

    This process takes the first share itself. An exception raised by ``function``
    in a worker is raised here; a worker that dies without answering has its share
    redone here, so a result is never lost. ``workers`` overrides the automatic count.
    """
    if workers is None:
        count = worker_count(len(items))
    else:  # a fixed number, for tests: only the platform is checked
        count = max(1, min(workers, len(items))) if hasattr(os, "fork") else 1
    if count == 1:
        return [function(item) for item in items]
    shares = _split(len(items), count)
    pending: list[tuple[int, int, range]] = []  # pid, read end of its pipe, its share
    try:
        for share in shares[1:]:
            pending.append(_start(function, items, share))
        results = [function(items[i]) for i in shares[0]]
        while pending:
            pid, reader, share = pending.pop(0)
            results += _collect(function, items, pid, reader, share)
    except BaseException:
        for pid, reader, _ in pending:
            _stop(pid, reader)
        raise
    return results


def _split(total: int, count: int) -> list[range]:
    """``count`` consecutive ranges covering ``0..total``, as equal as possible."""
    base, extra = divmod(total, count)
    shares, start = [], 0
    for index in range(count):
        size = base + (1 if index < extra else 0)
        shares.append(range(start, start + size))
        start += size
    return shares


def _start(function, items, share: range) -> tuple[int, int, range]:
    import pickle  # here, not at the top: a build that does not fork does not pay for it

    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: never returns into the caller's code
        status = 0
        try:
            os.close(reader)
            try:
                payload = pickle.dumps((True, [function(items[i]) for i in share]), pickle.HIGHEST_PROTOCOL)
            except BaseException as error:  # sent to the parent, which raises it
                payload = _pickled_error(error)
            with os.fdopen(writer, "wb") as stream:
                stream.write(payload)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(writer)
    return pid, reader, share


def _pickled_error(error: BaseException) -> bytes:
    import pickle

    try:
        payload = pickle.dumps((False, error), pickle.HIGHEST_PROTOCOL)
        pickle.loads(payload)  # some exceptions pickle but cannot be rebuilt
        return payload
    except Exception:  # send its description instead
        return pickle.dumps((False, RuntimeError(f"{type(error).__name__}: {error}")), pickle.HIGHEST_PROTOCOL)


def _collect(function, items, pid: int, reader: int, share: range) -> list:
    import pickle

    try:
        with os.fdopen(reader, "rb") as stream:
            payload = stream.read()
    finally:
        os.waitpid(pid, 0)
    if not payload:  # the worker died (killed, out of memory): do its share here
        return [function(items[i]) for i in share]
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
