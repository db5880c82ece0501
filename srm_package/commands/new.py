"""``srm-package new DIR``: a ready course folder from the starter course kept as package data.

The starter (``srm_package/starter/``) is one short lesson and its quiz that between them use
every part of the source format; ``course.yaml`` and the README are filled in from the options.
The folder is written next to DIR under a temporary name and renamed into place, so a failure
leaves nothing behind, and the result is loaded once before it is shown: ``check`` passes on it.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import string
from dataclasses import dataclass
from pathlib import Path

from srm_package.errors import Problem, SourceError

STARTER_DIR = Path(__file__).resolve().parent.parent / "starter"
#: the lesson, quiz and figure files copied as they are (course.yaml and the README are filled in)
_STARTER_FILES = ("lessons/01-first-lesson.md", "lessons/01-first-lesson.quiz.yaml",
                  "figures/course-folder.svg")
_WORKFLOW = ".github/workflows/course-packages.yml"
#: the example workflow builds ``source/``; a new course folder holds the course at its top
_WORKFLOW_EDITS = (
    ("(source/ holds the course)", "(the course is at the top of the repository)"),
    ("srm-package check source", "srm-package check ."),
    ("srm-package build source -o dist", "srm-package build . -o dist"),
)


class NewCourseError(Exception):
    """DIR cannot take a new course, or the options do not make a valid one."""


@dataclass(frozen=True)
class CourseOptions:
    id: str
    title: str
    language: str
    author: str


def default_id(folder: Path) -> str:
    """An id from the folder's name (``My Course`` → ``my-course``), ``course`` if none is left."""
    slug = re.sub(r"[^a-z0-9]+", "-", folder.resolve().name.lower()).strip("-")
    slug = slug.lstrip("0123456789-")[:64].rstrip("-")
    return slug or "course"


def write_course(folder: Path, options: CourseOptions) -> list[Path]:
    """Write the starter course into ``folder`` (missing or empty); the paths written, relative."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise NewCourseError(f"{folder} is not an empty folder; choose a new one")
    parent = folder.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    # a plain mkdir (not mkdtemp, whose folder only its owner may read) honours the umask
    staging = parent / f".{folder.name}.new-{os.getpid()}"
    staging.mkdir()
    try:
        written = _fill(staging, options)
        _check(staging)
        if folder.exists():
            folder.rmdir()  # empty, checked above
        os.replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def _fill(target: Path, options: CourseOptions) -> list[Path]:
    today = datetime.date.today()
    values = {
        # JSON strings are YAML double-quoted scalars: any title is read back as written
        "id": json.dumps(options.id),
        "title": json.dumps(options.title, ensure_ascii=False),
        "language": json.dumps(options.language),
        "author": json.dumps(options.author, ensure_ascii=False),
        "copyright": json.dumps(f"© {today.year} {options.author}", ensure_ascii=False),
        "last_updated": f"{today.year}-{today.month:02d}",
    }
    files = {
        "course.yaml": _template("course.yaml.tmpl").substitute(values),
        "README.md": _template("README.md.tmpl").substitute(id=options.id, title=options.title),
        ".gitignore": (STARTER_DIR / "gitignore").read_text(encoding="utf-8"),
        _WORKFLOW: _workflow(),
    }
    for name in _STARTER_FILES:
        files[name] = (STARTER_DIR / name).read_text(encoding="utf-8")
    for name, text in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sorted(Path(name) for name in files)


def _template(name: str) -> string.Template:
    return string.Template((STARTER_DIR / name).read_text(encoding="utf-8"))


def examples_dir() -> Path:
    """``examples/`` beside the package in a checkout, inside it in an installed wheel."""
    package = Path(__file__).resolve().parent.parent
    checkout = package.parent / "examples"
    return checkout if (checkout / "ci").is_dir() else package / "examples"


def _workflow() -> str:
    text = (examples_dir() / "ci" / "github-actions.yml").read_text(encoding="utf-8")
    for old, new in _WORKFLOW_EDITS:
        if old not in text:  # the example changed: say so rather than write a workflow for source/
            raise AssertionError(f"examples/ci/github-actions.yml no longer holds {old!r}")
        text = text.replace(old, new)
    return text


def _check(folder: Path) -> None:
    """Load the new course as ``check`` would: the options may still make it invalid."""
    from srm_package.loader import load_course

    try:
        load_course(folder)
    except SourceError as error:
        raise NewCourseError(_option_message(error.problems[0])) from None


def _option_message(problem: Problem) -> str:
    """The loader's words, without the temporary folder's name."""
    return f"the options do not make a valid course.yaml: {problem.field}: {problem.message}"
