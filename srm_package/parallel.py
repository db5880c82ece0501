"""Spread independent pieces of a build over the machine's cores with ``fork``.

Parsing lessons and building targets is pure Python, so threads would take turns on
one core. Forked workers share everything already loaded (the course model, imported
modules) without copying it, and send back only their pickled results. The results
come back in input order, so the output does not depend on how the work was split.

``fork`` is used only where it is safe and worth it: on Linux, in a process that
runs no other thread, with at least two usable cores and more than one item. Anywhere
else ``fork_map`` is a plain ``map``. ``SRM_PACKAGE_WORKERS=1`` turns it off.

``EarlyWorker`` is the other way round: a worker forked before its input exists, so
that it imports what its share of the work needs while this process makes the input.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
Payload = TypeVar("Payload")

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
#: what an early worker's pipes are asked to hold (Linux allows up to 1 MiB by default)
_PIPE_BYTES = 1 << 20


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
    # imported before the fork, so that the workers need not each import it; here, not at
    # the top: a build that does not fork does not pay for it
    import pickle  # noqa: F401

    reader, writer = os.pipe()

    def worker() -> None:
        os.close(reader)
        _answer(writer, lambda: _work(function, items, chunks, tasks))

    try:
        pid = _spawn(worker)
    except BaseException:
        os.close(reader)
        os.close(writer)
        raise
    os.close(writer)
    return pid, reader


def _spawn(worker: Callable[[], object]) -> int:
    """Fork a process that runs ``worker`` and exits (0, or 1 if it raised); its pid.

    The worker never returns into the caller's code, whatever happens in it. Ctrl-C is
    held back until each process is where it can take it: the parent past the fork
    handlers (an interrupt inside one, logging's lock for one, is printed as "Exception
    ignored"), the worker inside the ``try`` that ends in ``os._exit``.
    """
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        raise
    if pid == 0:
        status = 1
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            worker()
            status = 0
        except BaseException:  # the parent learns of it from the missing or pickled answer
            pass
        finally:
            os._exit(status)
    try:
        # a Ctrl-C that came meanwhile is raised by this call (it runs the handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    except BaseException:  # the worker would be nobody's: end it before leaving
        _stop(pid, None)
        raise
    return pid


def _answer(writer: int, compute: Callable[[], dict]) -> None:
    """A worker's last act: send ``compute()``, or the exception it raised, pickled."""
    import pickle

    try:
        payload = pickle.dumps((True, compute()), pickle.HIGHEST_PROTOCOL)
    except BaseException as error:  # sent to the parent, which raises it
        payload = _pickled_error(error)
    with os.fdopen(writer, "wb") as stream:
        stream.write(payload)


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


def _stop(pid: int, reader: int | None) -> None:
    """End a worker whose result is no longer wanted, and reap it (and close its pipe)."""
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ChildProcessError, ProcessLookupError):
        pass
    if reader is not None:
        os.close(reader)


class EarlyWorker(Generic[Payload, Result]):
    """One worker forked now and given its input later: ``work(payload)`` in another process.

    A small build spends most of its time importing modules, one after another. Forked
    at the start, the worker runs ``prepare`` (imports, templates) while this process
    imports the loader and reads the sources; then it is sent the course (``submit``),
    does its share of the targets and sends its result back (``result``). Leaving the
    ``with`` block stops a worker whose result was not collected (a mistake in the
    sources, Ctrl-C). Where ``fork_map`` would not fork, nothing is forked (``forked``
    is false) and ``result`` runs ``work`` here. A worker that dies without answering
    has its work done here too, so a result is never lost.
    """

    def __init__(self, prepare: Callable[[], object], work: Callable[[Payload], Result], *, wanted: bool = True) -> None:
        self._work = work
        self._payload: Payload | None = None
        self._submitted = False
        self._pid = 0
        self._to_worker = self._from_worker = -1
        if wanted and worker_count(2) > 1:
            self._fork(prepare)

    @property
    def forked(self) -> bool:
        return self._pid != 0

    def __enter__(self) -> EarlyWorker[Payload, Result]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def stop(self) -> None:
        """End the worker now if its result was not collected (and reap it)."""
        if self._pid:
            if self._to_worker >= 0:
                os.close(self._to_worker)  # an unsent input: the worker sees the end and exits
                self._to_worker = -1
            _stop(self._pid, self._from_worker)
            self._pid = 0

    def submit(self, payload: Payload) -> None:
        """Hand the worker its input (pickled through a pipe); call once."""
        assert not self._submitted, "submit() is called once"
        self._submitted = True
        self._payload = payload
        if self._pid:
            import pickle

            data = pickle.dumps(payload, pickle.HIGHEST_PROTOCOL)
            try:
                with os.fdopen(self._to_worker, "wb") as stream:
                    stream.write(data)
            except BrokenPipeError:  # the worker is gone: result() does its work here
                pass
            finally:
                self._to_worker = -1

    def result(self) -> Result:
        """Wait for the worker's result; raises what ``work`` raised in the worker."""
        assert self._submitted, "result() comes after submit()"
        if self._pid:
            pid, self._pid = self._pid, 0
            answer = _collect(pid, self._from_worker)
            if answer:
                return answer[0]
        return self._work(self._payload)  # type: ignore[arg-type]

    def _fork(self, prepare: Callable[[], object]) -> None:
        to_reader, to_writer = os.pipe()
        from_reader, from_writer = os.pipe()
        _widen(to_writer, from_writer)

        def worker() -> None:
            global _mapping
            _mapping = True  # it is a worker: no workers of its own
            os.close(to_writer)
            os.close(from_reader)
            _serve(prepare, self._work, to_reader, from_writer)

        try:
            pid = _spawn(worker)
        except BaseException:
            for pipe in (to_reader, to_writer, from_reader, from_writer):
                os.close(pipe)
            raise
        os.close(to_reader)
        os.close(from_writer)
        self._pid, self._to_worker, self._from_worker = pid, to_writer, from_reader


def _serve(prepare, work, inputs: int, outputs: int) -> None:
    """The early worker's whole life: get ready, wait for the input, answer."""
    import pickle

    # only a head start: ``work`` meets the same error and reports it
    with contextlib.suppress(Exception):
        prepare()
    with os.fdopen(inputs, "rb") as stream:
        data = stream.read()
    if data:  # nothing: the build stopped before sending the input
        _answer(outputs, lambda: {0: work(pickle.loads(data))})


def _widen(*pipes: int) -> None:
    """Let a pipe hold a whole small course, so that ``submit`` does not wait for ``prepare``."""
    try:
        import fcntl

        for pipe in pipes:
            fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    except (ImportError, AttributeError, OSError):  # only a head start: the default size works
        pass
