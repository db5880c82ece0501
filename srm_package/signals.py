"""Ctrl-C and SIGTERM, handled alike: the command stops, a build rolls back or finishes.

The ``srm-package`` program turns both signals into ``Stopped`` from its first line on
(``catch``): unlike ``KeyboardInterrupt``, click does not turn it into "Aborted!" and
exit 1, so the program can leave with the shell's codes, 130 for SIGINT and 143 for
SIGTERM, and no traceback. A signal the program was started with ignored (``cmd &`` in a
script ignores SIGINT) stays ignored.

Before the first line, in Python's own start-up (``site`` and the ``.pth`` files of the
installed packages, a few milliseconds on a quiet machine), nothing of the program runs yet:
a Ctrl-C then ends Python as Python does, with its own traceback.

``Hold`` keeps both signals out while a build's packages land in the output folder:
renaming them into place takes milliseconds and is finished rather than cut short.
"""

from __future__ import annotations

import signal

#: the signals that stop a command
STOPPING = (signal.SIGINT, signal.SIGTERM)


class Stopped(BaseException):
    """Ctrl-C or SIGTERM reached the program (a ``BaseException``, like ``KeyboardInterrupt``)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """What a shell reports for a process ended by the signal: 128 + its number."""
        return 128 + self.signum


def exit_code(stop: BaseException) -> int:
    """The exit code for a ``Stopped`` or a ``KeyboardInterrupt`` (Python's own Ctrl-C)."""
    return stop.exit_code if isinstance(stop, Stopped) else 128 + signal.SIGINT


def _stop(signum: int, _frame: object) -> None:
    raise Stopped(signum)


def catch() -> None:
    """Raise ``Stopped`` on SIGINT and SIGTERM from now on, unless the signal is ignored."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _stop)
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _stop)


class Hold:
    """SIGINT and SIGTERM are ignored from ``begin`` to ``end``, in the main thread (signals
    reach no other; elsewhere this does nothing). One that comes meanwhile is dropped: what
    was begun is finished, and reported as done."""

    def __init__(self) -> None:
        self._previous: dict[int, object] = {}

    def begin(self) -> None:
        import threading  # here: ``catch`` runs before anything else is imported

        if threading.current_thread() is threading.main_thread() and not self._previous:
            self._previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in STOPPING}

    def end(self) -> None:
        for signum, handler in self._previous.items():
            if handler is not None:  # None: set outside Python, left as it is now
                signal.signal(signum, handler)  # type: ignore[arg-type]
        self._previous = {}


def release() -> None:
    """Ignore the signals ``catch`` handled: the program is leaving, and a second Ctrl-C
    while Python shuts down must not print a traceback."""
    for signum in STOPPING:
        if signal.getsignal(signum) is _stop:
            signal.signal(signum, signal.SIG_IGN)
