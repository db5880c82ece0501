"""pytest fixtures for browser tests, registered from tests/conftest.py.

- ``chromium``: one headless Debian Chromium for the session (skipped without it, failed in CI).
- ``static_server``: one threaded HTTP server on 127.0.0.1 for the session.
- ``offline_page``: a fresh context and page per test; any request off the server is aborted,
  recorded, and fails the test at teardown unless the test cleared ``blocked_requests``.
- ``lms``: launches a SCO under scorm-again in that page: ``lms(sco_dir, version="2004")``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.support.browser import OfflinePage, launch_chromium, open_offline_page
from tests.support.lms import LmsSession, open_sco
from tests.support.paths import require_chromium
from tests.support.server import StaticServer


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    require_chromium()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def static_server() -> Iterator[StaticServer]:
    server = StaticServer()
    yield server
    server.close()


@pytest.fixture
def offline_page(chromium: Browser, static_server: StaticServer) -> Iterator[OfflinePage]:
    guarded = open_offline_page(chromium, static_server)
    yield guarded
    guarded.context.close()
    if guarded.blocked_requests:
        pytest.fail(
            "the page tried to reach the network:\n" + "\n".join(guarded.blocked_requests),
            pytrace=False,
        )


LmsOpener = Callable[..., LmsSession]


@pytest.fixture
def lms(offline_page: OfflinePage) -> LmsOpener:
    """``open_sco`` bound to this test's offline page: ``lms(sco_dir, version="2004")``."""
    return functools.partial(open_sco, offline_page)
