"""A threaded static HTTP server on 127.0.0.1 that serves several folders under URL prefixes,
and keeps what is POSTed to its inboxes.

The LMS harness page, scorm-again's bundle and the SCO under test must share one origin, or the
SCO could not reach ``window.parent.API``; so one server mounts each folder under its own prefix.
An inbox stands in for the LMS's server: the harness commits to it with a synchronous request, as
Moodle does, so a test can read what reached the LMS even after the browser tab is gone.
"""

from __future__ import annotations

import http.server
import itertools
import os
import posixpath
import threading
import urllib.parse
from pathlib import Path


class _MountTable:
    """URL prefix → folder, safe to read from the server's request threads while tests add mounts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._mounts: dict[str, Path] = {}

    def add(self, prefix: str, directory: Path) -> None:
        with self._lock:
            self._mounts[prefix] = directory

    def resolve(self, url_path: str) -> Path | None:
        """The file for a URL path, or None when no mount holds it or the path tries to climb out."""
        parts = [part for part in posixpath.normpath(url_path).split("/") if part]
        if not parts or any(part in (".", "..") or "\\" in part for part in parts):
            return None
        with self._lock:
            directory = self._mounts.get(parts[0])
        if directory is None:
            return None
        target = directory.joinpath(*parts[1:])
        if url_path.endswith("/") or target.is_dir():
            target = target / "index.html"
        return target


class _Inboxes:
    """URL path → the bodies POSTed to it, in order; safe across the server's request threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._bodies: dict[str, list[bytes]] = {}

    def open(self, url_path: str) -> None:
        with self._lock:
            self._bodies[url_path] = []

    def deliver(self, url_path: str, body: bytes) -> bool:
        with self._lock:
            bodies = self._bodies.get(url_path)
            if bodies is None:
                return False
            bodies.append(body)
            return True

    def read(self, url_path: str) -> list[bytes]:
        with self._lock:
            return list(self._bodies.get(url_path, ()))


_INBOX_PREFIX = "inbox"


def _handler_for(mounts: _MountTable, inboxes: _Inboxes) -> type[http.server.SimpleHTTPRequestHandler]:
    class MountedFileHandler(http.server.SimpleHTTPRequestHandler):
        # Make sure modules and XML come back with types browsers act on.
        extensions_map = {
            **http.server.SimpleHTTPRequestHandler.extensions_map,
            ".js": "text/javascript",
            ".mjs": "text/javascript",
            ".json": "application/json",
            ".xml": "application/xml",
            ".svg": "image/svg+xml",
            ".woff2": "font/woff2",
        }

        def translate_path(self, path: str) -> str:
            url_path = urllib.parse.unquote(urllib.parse.urlsplit(path).path)
            target = mounts.resolve(url_path)
            # A path that cannot exist (a file below /dev/null) makes the base class answer 404.
            return str(target) if target is not None else f"{os.devnull}/unmapped"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            url_path = urllib.parse.urlsplit(self.path).path
            if not inboxes.deliver(url_path, body):
                self.send_error(404, "No such inbox")
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "4")
            self.end_headers()
            self.wfile.write(b"true")

        def list_directory(self, path: str | Path) -> None:  # type: ignore[override]
            self.send_error(404, "No directory listings")
            return None

        def end_headers(self) -> None:
            # Each test mounts fresh folders, but the browser must never reuse a stale copy.
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep pytest output clean; failed requests show up in the page's own errors

    return MountedFileHandler


class StaticServer:
    """Serve folders on ``http://127.0.0.1:<random port>/<prefix>/`` until ``close()``."""

    def __init__(self) -> None:
        self._mounts = _MountTable()
        self._inboxes = _Inboxes()
        self._counter = itertools.count(1)
        self._httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), _handler_for(self._mounts, self._inboxes)
        )
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    @property
    def origin(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def mount(self, directory: Path, prefix: str | None = None) -> str:
        """Serve ``directory`` and return its base URL (ending in ``/``).

        Without a prefix each call gets a fresh one, so two tests never see each other's files.
        """
        if prefix is None:
            prefix = f"m{next(self._counter)}"
        if "/" in prefix or prefix in ("", ".", ".."):
            raise ValueError(f"bad mount prefix {prefix!r}")
        self._mounts.add(prefix, Path(directory).resolve())
        return f"{self.origin}/{prefix}/"

    def open_inbox(self) -> str:
        """A fresh URL that keeps every body POSTed to it (read them with ``received``)."""
        url_path = f"/{_INBOX_PREFIX}/{next(self._counter)}"
        self._inboxes.open(url_path)
        return self.origin + url_path

    def received(self, url: str) -> list[bytes]:
        """The bodies POSTed so far to an inbox from ``open_inbox``, oldest first."""
        return self._inboxes.read(urllib.parse.urlsplit(url).path)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
