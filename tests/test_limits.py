"""``check`` and ``validate`` agree on sizes: a course at the loader's limits builds packages that
validate passes, however much its documents expand and however well they compress."""

from __future__ import annotations

import itertools
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from srm_package.limits import MAX_SOURCE_FILE_SIZE, MAX_TEXT_LENGTH, RATIO_FLOOR
from srm_package.targets import TARGETS
from srm_package.validate import run_validation
from tests.test_loader import LESSON, QUIZ_FILE, write_course

#: each character is 6 bytes in a page (&quot;) and 10 in a QTI file (&amp;quot;), and one text
#: repeated compresses some 150 times; '"' is no Markdown punctuation, so a file may hold any number
_EXPANDING = '"' * MAX_TEXT_LENGTH


def _quiz_of(question, budget: int) -> str:
    """A quiz YAML of as many questions made by ``question(n)`` as fit in ``budget`` bytes."""
    head = {"title": "Quiz", "recommendation": {"bands": [{"min": 0, "message": "Done."}], "review": "{section}"}}
    text = yaml.safe_dump(head) + "questions:\n"
    for n in itertools.count():
        item = yaml.safe_dump([question(n)], width=1 << 30)
        if len((text + item).encode()) > budget:
            return text
        text += item
    raise AssertionError("not reached")


def _long_texts(n: int) -> dict:
    return {"id": f"q{n}", "section": "basics", "stem": _EXPANDING, "explanation": _EXPANDING,
            "choices": [{"id": "a", "text": _EXPANDING, "correct": True, "feedback": _EXPANDING},
                        {"id": "b", "text": _EXPANDING, "feedback": _EXPANDING}]}


def _tiny_questions(n: int) -> dict:
    """As much markup per source byte as a question can make (~2 KiB of QTI for 60 bytes)."""
    return {"id": f"q{n}", "section": "basics", "stem": "s",
            "choices": [{"id": "a", "text": "a", "correct": True}, {"id": "b", "text": "b"}]}


@pytest.mark.parametrize("question", [_long_texts, _tiny_questions], ids=["long texts", "tiny questions"])
def test_a_course_at_the_limits_builds_packages_that_validate_accepts(tmp_path: Path, question) -> None:
    quiz = _quiz_of(question, MAX_SOURCE_FILE_SIZE)
    assert 0.9 * MAX_SOURCE_FILE_SIZE < len(quiz.encode()) <= MAX_SOURCE_FILE_SIZE
    root = write_course(tmp_path / "source", {QUIZ_FILE: quiz, "lessons/one.md": LESSON})
    dist = tmp_path / "dist"
    # ~4,000 tiny questions save more state than SCORM 1.2 allows: the build refuses that package
    targets = [name for name in TARGETS if not (question is _tiny_questions and name == "scorm12")]
    built = subprocess.run([sys.executable, "-m", "srm_package", "build", str(root), "-o", str(dist),
                            *(arg for name in targets for arg in ("--target", name))],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    results = run_validation([dist])
    assert len(results) == len(targets)
    errors = [str(finding) for result in results for finding in result.findings if finding.severity.value == "error"]
    assert errors == []
    # the point of the test: documents that compress past the ratio limit, below the floor
    with zipfile.ZipFile(dist / "demo-course-scorm2004.zip") as package:
        largest = max(package.infolist(), key=lambda info: info.file_size)
    assert largest.file_size < RATIO_FLOOR
    if question is _long_texts:
        assert largest.file_size / largest.compress_size > 100 and largest.file_size > 1024 * 1024
