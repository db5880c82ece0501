"""``srm-package preview``: build the course in memory, serve it, rebuild on every save.

The main thread watches the sources (watchfiles) and rebuilds; the server answers on its
own threads. Ctrl-C (SIGINT) and SIGTERM end the watch, close every page connection and
stop the server; nothing was written to disk, so there is nothing to clean up.
"""

from __future__ import annotations

import signal
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path

from srm_package.preview.builder import PreviewBuilder, Snapshot
from srm_package.preview.server import PreviewServer

#: watchfiles waits this long without a new change before it reports a save: editors write
#: a file in several steps, and one rebuild for all of them is enough
STEP_MS = 15

RUNTIME_OF_VERSION = {"1.2": "scorm12", "2004": "scorm2004"}


def serve(source_dir: Path, *, port: int, version: str, open_browser: bool,
          say: Callable[[str], None], warn: Callable[[str], None]) -> None:
    """Serve until Ctrl-C or SIGTERM. Raises ``OSError`` when the port cannot be had."""
    import watchfiles

    builder = PreviewBuilder(source_dir, runtimes=(RUNTIME_OF_VERSION[version],))
    _report(builder.rebuild(), builder, say, warn, started=None)
    server = PreviewServer(builder, port, version)
    server.start()
    stop = threading.Event()
    # both end the watch loop below (watchfiles checks the event while it waits)
    handlers = {signum: signal.signal(signum, lambda signum, frame: stop.set())
                for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        say(f"Previewing {source_dir} at {server.url} (SCORM {version}); Ctrl-C stops")
        if open_browser:
            webbrowser.open(server.url)
        for _changes in watchfiles.watch(source_dir, stop_event=stop, step=STEP_MS):
            started = time.perf_counter()
            _report(builder.rebuild(), builder, say, warn, started=started)
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        server.stop()
        say("preview stopped")


def _report(snapshot: Snapshot, builder: PreviewBuilder, say: Callable[[str], None],
            warn: Callable[[str], None], *, started: float | None) -> None:
    if snapshot.problems:
        for problem in snapshot.problems:
            warn(problem)
        kept = "the pages show the last good build" if snapshot.epoch else "nothing to show yet"
        warn(f"{len(snapshot.problems)} problem(s); {kept}")
        return
    for warning in builder.warnings:
        warn(warning)
    if started is not None:
        say(f"rebuilt in {(time.perf_counter() - started) * 1000:.0f} ms "
            f"({builder.memo.misses} file(s) parsed, {builder.articles.misses} lesson(s) rendered)")
