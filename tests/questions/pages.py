"""The all-types course's plain site, rendered once per test run and opened in a test's page."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.questions.common import all_types
from tests.quiz_pages import write_site
from tests.support.browser import OfflinePage


@cache
def all_types_site(runtime: str = "none") -> Path:
    """The rendered site in a folder kept for the rest of the run."""
    folder = Path(tempfile.mkdtemp(prefix=f"srm-all-types-{runtime}-"))
    return write_site(all_types(), runtime, folder)


def open_all_types(offline_page: OfflinePage, runtime: str = "none") -> Page:
    offline_page.open(all_types_site(runtime))
    page = offline_page.page
    expect(page.locator("html.quiz-ready")).to_have_count(1)
    return page
