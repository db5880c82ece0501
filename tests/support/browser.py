"""Headless Debian Chromium through Python playwright, with pages that cannot reach the network."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, WebSocket

from tests.support.paths import CHROMIUM
from tests.support.server import StaticServer

# Without the background-networking switches Chromium keeps trying to reach Google's hosts,
# which this closed network refuses; the sandbox cannot start as root.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)

DEFAULT_TIMEOUT_MS = 10_000


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS))


@contextmanager
def page_from_disk(browser: Browser, page_file: Path) -> Iterator[tuple[Page, list[str]]]:
    """``page_file`` opened from ``file://`` (no server, as a learner opens the html site) in
    a context of its own; the list collects uncaught script errors and console errors."""
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(page_file.as_uri())
        yield page, errors
    finally:
        context.close()


@dataclass
class OfflinePage:
    """A page in its own browser context whose requests may only go to the allowed origins.

    Every other request is aborted and its URL kept in ``blocked_requests``, so a test can prove
    that a student page works offline. ``page_errors`` holds uncaught script errors and
    ``console_errors`` the console's error messages.
    """

    page: Page
    server: StaticServer
    allowed_origins: tuple[str, ...]
    blocked_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    @property
    def context(self) -> BrowserContext:
        return self.page.context

    def serve(self, directory: Path) -> str:
        """Mount ``directory`` on the server and return its base URL."""
        return self.server.mount(directory)

    def open(self, directory: Path, path: str = "index.html") -> str:
        """Serve ``directory`` and load ``path`` from it; returns the page's URL."""
        url = self.serve(directory) + path
        self.page.goto(url, wait_until="load")
        return url

    def new_tab(self) -> Page:
        """Open a fresh page in the same context and make it this object's page (e.g. after a
        test closed the tab); its errors are recorded like the first page's."""
        self.page = self.context.new_page()
        self._listen(self.page)
        return self.page

    def _listen(self, page: Page) -> None:
        page.on("websocket", self._record_websocket)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on(
            "console",
            lambda message: self.console_errors.append(message.text) if message.type == "error" else None,
        )

    def _is_allowed(self, url: str) -> bool:
        # data: and blob: never leave the browser; about:blank and srcdoc frames have no URL to fetch.
        if url.startswith(("data:", "blob:", "about:")):
            return True
        return any(url == origin or url.startswith(origin + "/") for origin in self.allowed_origins)

    def _guard(self, route: Route) -> None:
        url = route.request.url
        if self._is_allowed(url):
            route.fallback()
        else:
            self.blocked_requests.append(url)
            route.abort("blockedbyclient")

    def _record_websocket(self, socket: WebSocket) -> None:
        # Routing cannot stop a WebSocket here; the closed network does, and the test still hears of it.
        as_http = socket.url.replace("wss://", "https://", 1).replace("ws://", "http://", 1)
        if not self._is_allowed(as_http):
            self.blocked_requests.append(socket.url)


def open_offline_page(
    browser: Browser, server: StaticServer, extra_origins: tuple[str, ...] = ()
) -> OfflinePage:
    context = browser.new_context(
        locale="en-US",
        timezone_id="UTC",
        viewport={"width": 1280, "height": 900},
        service_workers="block",  # a service worker's fetches would bypass the route below
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    guarded = OfflinePage(page=page, server=server, allowed_origins=(server.origin, *extra_origins))
    context.route("**/*", guarded._guard)
    guarded._listen(page)
    return guarded
