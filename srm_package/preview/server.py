"""The preview's HTTP server: small and plain (``http.server``), on 127.0.0.1 only.

It serves three kinds of URL and nothing else (every other path is a 404, so no request
can reach a file by climbing out of a folder, through a symlink or by an absolute path:
nothing is looked up on disk by a name taken from a URL):

- ``/`` and ``/__srm__/<asset>``: the panel page and the preview's own scripts and styles,
  a fixed list of files;
- ``/course/<runtime>/<path>``: the rendered course, from memory, where ``runtime`` is
  ``scorm12``, ``scorm2004`` or ``html`` (the plain site);
- ``/__srm__/events``: server-sent events telling open pages the build number and problems.
"""

from __future__ import annotations

import json
import mimetypes
import threading
import urllib.parse
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from srm_package.errors import BuildError
from srm_package.package_files import read_entry
from srm_package.preview.builder import PreviewBuilder
from srm_package.render import CONTENT_SECURITY_POLICY

STATIC_DIR = Path(__file__).resolve().parent / "static"
#: what /__srm__/<name> may serve; the panel page is served at /
ASSETS = ("lms.js", "panel.js", "panel.css", "livereload.js", "preview.css", "ended.html", "waiting.html")
PANEL_PAGE = "panel.html"
#: a quiet connection gets a comment this often, so that a closed page is noticed
KEEP_ALIVE_SECONDS = 10.0
_TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".json": "application/json",
          ".svg": "image/svg+xml"}


@cache
def _asset(name: str) -> bytes:
    return (STATIC_DIR / name).read_bytes()


def _content_type(path: str) -> str:
    suffix = Path(path).suffix.lower()
    kind = _TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind.endswith("json") else kind


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, builder: PreviewBuilder, port: int, version: str) -> None:
        self.builder = builder
        #: the SCORM version the panel starts with: "1.2" or "2004"
        self.version = version
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="preview-server", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.builder.stop()  # page connections waiting for a build end now
        self.shutdown()
        self.server_close()

    def state(self) -> dict[str, object]:
        """What the panel needs to launch the course as an LMS would (pass marks from the manifests)."""
        from srm_package.targets.scorm2004 import scaled_passing_score

        course = self.builder.snapshot.course
        graded = bool(course and course.questions)
        return {
            "title": course.title if course else "(the course has problems)",
            "version": self.version,
            "passingScore": course.passing_score if course else None,
            # what the manifests hand the LMS: adlcp:masteryscore, imsss:minNormalizedMeasure
            "masteryScore": course.passing_score if graded else None,
            "scaledPassingScore": scaled_passing_score(course) if graded else None,
        }


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "srm-package-preview"

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the console shows builds and problems, not every request

    def _answer(self, *, send_body: bool) -> None:
        if not self._host_is_local():
            self._send(403, b"preview answers on 127.0.0.1 and localhost only\n", "text/plain", send_body)
            return
        try:
            path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path, errors="strict")
        except UnicodeDecodeError:
            path = ""
        if path == "/":
            self._send(200, _asset(PANEL_PAGE), _content_type(PANEL_PAGE), send_body)
        elif path == "/__srm__/events" and send_body:
            self._events()
        elif path == "/__srm__/state.json":
            self._send(200, json.dumps(self.server.state()).encode(), _content_type(path), send_body)
        elif path.startswith("/__srm__/") and path.removeprefix("/__srm__/") in ASSETS:
            name = path.removeprefix("/__srm__/")
            self._send(200, _asset(name), _content_type(name), send_body)
        elif path == "/favicon.ico":
            self._send(204, b"", "image/x-icon", send_body)  # none, and no 404 in the console
        elif path.startswith("/course/"):
            self._course_file(path.removeprefix("/course/"), send_body)
        else:
            self._not_found(send_body)

    def _course_file(self, rest: str, send_body: bool) -> None:
        runtime, _, name = rest.partition("/")
        name = name or "index.html"
        site = self.server.builder.site(runtime)
        if site is None and name == "index.html" and runtime in ("scorm12", "scorm2004", "html"):
            # no good build yet: a page that shows the problems and waits for one
            self._send(200, _asset("waiting.html"), _content_type(name), send_body)
            return
        content = site.get(name) if site is not None else None
        if content is None:
            self._not_found(send_body)
            return
        try:  # an image is a file of the course folder, read when asked for
            body = read_entry(content)
        except BuildError:  # deleted or changed since the build: the next save rebuilds
            self._not_found(send_body)
            return
        self._send(200, body, _content_type(name), send_body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        builder = self.server.builder
        seen: int | None = None
        try:
            while True:
                snapshot = builder.wait_for_change(seen, KEEP_ALIVE_SECONDS)
                if builder.stopped:
                    return
                if snapshot.version == seen:
                    self.wfile.write(b": still here\n\n")
                else:
                    seen = snapshot.version
                    data = json.dumps({"epoch": snapshot.epoch, "problems": list(snapshot.problems)})
                    self.wfile.write(f"data: {data}\n\n".encode())
                self.wfile.flush()
        except OSError:  # the page went away
            return

    def _host_is_local(self) -> bool:
        """Refuse requests for another host name: a web page elsewhere that had its own name
        resolve to 127.0.0.1 (DNS rebinding) cannot read the preview."""
        host = self.headers.get("Host", "")
        return host in (f"127.0.0.1:{self.server.port}", f"localhost:{self.server.port}")

    def _not_found(self, send_body: bool) -> None:
        self._send(404, b"not found\n", "text/plain; charset=utf-8", send_body)

    def _send(self, status: int, body: bytes, content_type: str, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if send_body:
            self.wfile.write(body)
