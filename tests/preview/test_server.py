"""The preview server without a browser: only the course's files, on loopback, stopped by signals."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import urllib.parse
from pathlib import Path

import pytest

from srm_package.loader import load_course
from srm_package.render import render_site
from tests.preview.conftest import PreviewProcess, start_preview


def get(preview: PreviewProcess, path: str, host: str | None = None, method: str = "GET",
        ) -> tuple[int, bytes, http.client.HTTPMessage]:
    """A request with ``path`` sent exactly as written (no client-side normalising)."""
    parts = urllib.parse.urlsplit(preview.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True)
        connection.putheader("Host", host or parts.netloc)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read(), response.headers
    finally:
        connection.close()


def test_serves_the_panel_and_the_course_with_the_packages_csp(shared_preview: PreviewProcess) -> None:
    preview = shared_preview
    status, body, headers = get(preview, "/")
    assert status == 200 and b'id="sco"' in body
    status, page, headers = get(preview, "/course/scorm12/index.html")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    # the page the packages carry (meta CSP included), plus the external reload script
    packaged = render_site(load_course(preview.source).course, "scorm12")["index.html"]
    assert page == packaged.replace(b"</body>", b'<script src="/__srm__/livereload.js" data-epoch="1" '
                                                b'defer></script>\n</body>')
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    status, script, headers = get(preview, "/course/scorm2004/assets/scorm-runtime.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    status, state, _ = get(preview, "/__srm__/state.json")
    assert json.loads(state) == {"title": "AWS Cloud Practitioner", "version": "1.2", "passingScore": 80,
                                 "masteryScore": 80, "scaledPassingScore": "0.8"}


def test_nothing_of_the_preview_goes_into_a_package(shared_preview: PreviewProcess, tmp_path: Path) -> None:
    """The packages carry none of the preview's files, and the reload script only in preview."""
    preview = shared_preview
    from srm_package.build import build

    written = build(preview.source, tmp_path / "dist", ["scorm12", "html"]).written
    import zipfile

    names = zipfile.ZipFile(written[0].path).namelist()
    assert not any(name.endswith(("lms.js", "panel.js", "livereload.js")) for name in names)
    assert b"livereload" not in zipfile.ZipFile(written[0].path).read("index.html")
    assert b"livereload" not in (written[1].path / "index.html").read_bytes()


@pytest.mark.parametrize("path", [
    "/course/scorm12/../../course.yaml",
    "/course/scorm12/%2e%2e/%2e%2e/etc/passwd",
    "/course/scorm12/assets%2f..%2f..%2fcourse.yaml",
    "/course/scorm12/..%2f..%2flessons/13-shared-responsibility-model.md",
    "/course/scorm12/%2fetc%2fpasswd",
    "/course/scorm12//etc/passwd",
    "//etc/passwd",
    "/etc/passwd",
    "/course.yaml",
    "/course/course.yaml",
    "/course/scorm12/course.yaml",
    "/course/scorm12/lessons/13-shared-responsibility-model.md",
    "/course/scorm12/assets\\..\\..\\course.yaml",
    "/course/..%2f..%2fsource/course.yaml",
    "/__srm__/../../srm_package/preview/server.py",
    "/__srm__/%2e%2e/builder.py",
    "/__srm__/panel.html%00.js",
    "/course/scorm12/index.html%00",
    "/course/scorm12/%ff%fe",
    "/course/" + "a/" * 500,
])
def test_path_traversal_attempts_get_404(shared_preview: PreviewProcess, path: str) -> None:
    preview = shared_preview
    status, body, _ = get(preview, path)
    assert status == 404, body[:200]
    assert b"aws-cloud-practitioner" not in body and b"root:" not in body


def test_a_symlink_in_the_sources_is_not_served(preview: PreviewProcess) -> None:
    (preview.source / "leak.txt").symlink_to("/etc/passwd")
    (preview.source / "assets").symlink_to("/etc")
    for path in ("/course/scorm12/leak.txt", "/course/scorm12/assets/passwd", "/course/html/leak.txt"):
        status, body, _ = get(preview, path)
        assert status == 404 and b"root:" not in body


def test_another_host_name_is_refused(shared_preview: PreviewProcess) -> None:
    """A page elsewhere whose name resolves to 127.0.0.1 (DNS rebinding) cannot read the course."""
    preview = shared_preview
    status, body, _ = get(preview, "/course/scorm12/index.html", host="attacker.example:80")
    assert status == 403 and b"Shared Responsibility" not in body
    port = urllib.parse.urlsplit(preview.url).port
    assert get(preview, "/", host=f"localhost:{port}")[0] == 200


def test_listens_on_loopback_only(shared_preview: PreviewProcess) -> None:
    """The kernel's table of listening sockets: the preview's port is bound to 127.0.0.1 alone."""
    preview = shared_preview
    port = urllib.parse.urlsplit(preview.url).port
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, port_hex = local.rpartition(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                listening.append(address)
    if not listening:
        pytest.skip("no /proc/net/tcp on this system")
    assert listening == ["0100007F"]  # 127.0.0.1, little-endian; nothing on 0.0.0.0 or IPv6


def test_events_tell_the_build_number_and_problems(shared_preview: PreviewProcess) -> None:
    preview = shared_preview
    parts = urllib.parse.urlsplit(preview.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", "/__srm__/events")
    response = connection.getresponse()
    assert response.headers["Content-Type"].startswith("text/event-stream")
    assert response.fp.readline() == b'data: {"epoch": 1, "problems": []}\n'
    connection.close()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_the_server_stops_cleanly_on_a_signal(seed_copy: Path, signum: int) -> None:
    running = start_preview(seed_copy)
    # a page connection waiting for a rebuild must not keep the process alive
    parts = urllib.parse.urlsplit(running.url)
    waiting = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    waiting.request("GET", "/__srm__/events")
    response = waiting.getresponse()
    assert response.fp.readline().startswith(b"data: ")
    assert running.stop(signum, timeout=10) == 0
    assert running.output[-1] == "preview stopped"
    assert not any("Traceback" in line for line in running.output)
    with pytest.raises(OSError):
        socket.create_connection((parts.hostname, parts.port), timeout=2).close()
    waiting.close()


def test_a_port_in_use_is_a_clear_error(seed_copy: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        result = subprocess.run([sys.executable, "-m", "srm_package", "preview", str(seed_copy), "--port", str(port)],
                                capture_output=True, text=True, timeout=60,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
    finally:
        taken.close()
    assert result.returncode == 1
    assert "choose another with --port" in result.stderr and "Traceback" not in result.stderr


def test_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from srm_package.cli import main

    result = CliRunner().invoke(main, ["preview", str(tmp_path / "nothing")])
    assert result.exit_code == 1 and "not a folder" in result.output


@pytest.mark.parametrize(("flag", "opened"), [((), []), (("--open",), ["http://127.0.0.1:{port}/"])])
def test_a_browser_is_opened_only_when_asked(seed_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                             flag: tuple[str, ...], opened: list[str]) -> None:
    """Runs the command in-process with the watch loop cut short (no file will change here)."""
    import webbrowser

    import watchfiles
    from click.testing import CliRunner

    from srm_package.cli import main

    calls: list[str] = []
    monkeypatch.setattr(webbrowser, "open", calls.append)
    monkeypatch.setattr(watchfiles, "watch", lambda *args, **kwargs: iter(()))
    result = CliRunner().invoke(main, ["preview", str(seed_copy), "--port", "0", *flag])
    assert result.exit_code == 0, result.output
    port = int(re.search(r"127\.0\.0\.1:(\d+)/", result.output).group(1))
    assert calls == [url.format(port=port) for url in opened]
    assert result.output.splitlines()[-1] == "preview stopped"


def test_the_preview_pages_have_no_html_error() -> None:
    """The Nu HTML Checker on the panel, the session-ended and the waiting pages (the course
    pages are the packages' own, checked with them)."""
    from srm_package.preview.server import STATIC_DIR
    from tests.support.vnu import run_vnu

    pages = [STATIC_DIR / name for name in ("panel.html", "ended.html", "waiting.html")]
    errors = run_vnu(pages)
    assert not errors, "\n".join(map(str, errors))


def test_serves_the_course_images(tmp_path: Path) -> None:
    """A course with figures (tests/roots/media): the page's images come from the course folder."""
    source = Path(shutil.copytree(Path(__file__).resolve().parent.parent / "roots" / "media", tmp_path / "media"))
    running = start_preview(source)
    try:
        course = load_course(source).course
        for media in course.media:
            status, body, headers = get(running, f"/course/html/media/{media.name}")
            assert status == 200 and body == Path(media.path).read_bytes()
            assert headers["Content-Type"] == media.media_type
        status, page, _ = get(running, "/course/html/index.html")
        assert status == 200 and b"<math" in page
    finally:
        running.stop()
