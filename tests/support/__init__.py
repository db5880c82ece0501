"""Test support: headless Chromium, a local static server, the scorm-again LMS harness,
axe-core and the Nu HTML Checker. Fixtures live in ``tests.support.fixtures``."""

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
