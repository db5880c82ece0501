"""Test support: headless Chromium, a local static server, the scorm-again LMS harness,
axe-core and the Nu HTML Checker. Fixtures live in ``tests.support.fixtures``.

Typical use in a test (fixtures ``lms`` and ``offline_page``)::

    session = lms(sco_dir, version="2004")          # loads sco_dir/index.html in the LMS frame
    session.frame_locator.get_by_role("radio", name="Shared").check()
    session.frame_locator.get_by_role("button", name="Submit").click()
    session.wait_until_finished()
    session.assert_clean()                          # no refused call, no strict-rule violation
    assert session.cmi()["success_status"] == "passed"
    again = lms(sco_dir, version="2004", initial_cmi=session.next_launch_cmi())  # resume
    assert run_axe(session.frame) == []
    assert run_vnu([sco_dir / "index.html"]) == []

A page that requests anything off the local server fails its test at teardown.
"""

from tests.support.axe import AxeViolation, format_violations, run_axe
from tests.support.browser import OfflinePage
from tests.support.lms import ApiCall, Commit, LmsSession, next_launch_cmi, open_sco
from tests.support.server import StaticServer
from tests.support.vnu import VnuMessage, run_vnu

__all__ = [
    "ApiCall",
    "AxeViolation",
    "Commit",
    "LmsSession",
    "OfflinePage",
    "StaticServer",
    "VnuMessage",
    "format_violations",
    "next_launch_cmi",
    "open_sco",
    "run_axe",
    "run_vnu",
]
