"""The output formats. Each target is one module with ``build_artifact(course) -> Artifact``.

Adding a format means adding its module and one line here; the order here is the
order of the build report.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing the registry stays cheap: ``build`` forks right after it
    from srm_package.model import Course
    from srm_package.package import Artifact

TARGETS: dict[str, str] = {
    "scorm12": "srm_package.targets.scorm12",
    "scorm2004": "srm_package.targets.scorm2004",
    "canvas-qti": "srm_package.targets.canvas_qti",
    "cc": "srm_package.targets.common_cartridge",
    "moodle-xml": "srm_package.targets.moodle_xml",
    "moodle-backup": "srm_package.targets.moodle_backup",
    "html": "srm_package.targets.html",
}


#: the forms each target writes questions in (``questions.base.Form`` values); each question
#: type answers for each of them, and ``questions.parity`` reports what they leave out
QUESTION_FORMS: dict[str, tuple[str, ...]] = {
    "scorm12": ("page", "qti-bank"),
    "scorm2004": ("page", "qti-bank"),
    "canvas-qti": ("qti-canvas",),
    "cc": ("qti-cc", "qti-canvas"),
    "moodle-xml": ("moodle-xml",),
    "moodle-backup": ("moodle-backup",),
    "html": ("page",),
}

#: targets whose packages hold the quizzes and nothing of the lesson pages: a build of
#: these alone reads each lesson only as far as its front matter
QUIZ_ONLY = frozenset({"canvas-qti", "moodle-xml"})


#: targets that ``build --per-lesson`` writes once per lesson (a package per gradebook item)
PER_LESSON = frozenset({"scorm12", "scorm2004"})


def needs_lesson_bodies(names: list[str]) -> bool:
    return not QUIZ_ONLY.issuperset(names)


def builder(name: str) -> Callable[[Course], Artifact]:
    """The ``build_artifact`` function of target ``name`` (imported only when used)."""
    return importlib.import_module(TARGETS[name]).build_artifact
