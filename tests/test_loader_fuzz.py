"""Property: whatever text the files hold, the loader returns a model or raises SourceError
(reading the lesson bodies or, as for quiz-only builds, only their front matter)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srm_package.errors import SourceError
from srm_package.loader import load_course
from tests.test_loader import COURSE, FILES, LESSON, QUIZ, write_course

# YAML- and Markdown-flavoured fragments make the fuzzer reach deep into the loader
_FRAGMENTS = st.sampled_from([
    "\n", ": ", "- ", "  ", "---\n", ":::", "::: comparison\n", ": ", "## ", "# ", "{#", "}", "|", "|---|\n",
    "[", "]", "{", "}", "&a ", "*a", "!!python/object:os.system ", "!tag ", '"', "'", "\t", "null", "~",
    "true", "yes", "1e9", "-1", "2026-13", "id: x\n", "questions:\n", "choices:\n", "<b>", "![i](x)",
    "\x00", "\ufeff", "é", "\\", "%YAML 1.1\n", "? ", "<<: *a\n",
])
#: the YAML reader the loader uses (libyaml when present): PyYAML's pure-Python scanner refuses
#: some YAML that libyaml reads, such as a tab after ``id:``
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TEXT = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=8)), max_size=40).map("".join)


def _mutate(original: str, data: st.DataObject) -> str:
    """Random text, or the original with a random slice replaced by random text."""
    if data.draw(st.booleans()):
        return data.draw(_TEXT)
    start = data.draw(st.integers(0, len(original)))
    end = data.draw(st.integers(start, min(len(original), start + 40)))
    return original[:start] + data.draw(_TEXT) + original[end:]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), target=st.sampled_from(sorted(FILES)), lesson_bodies=st.booleans())
def test_loader_never_crashes(data: st.DataObject, target: str, lesson_bodies: bool) -> None:
    original = {"course.yaml": COURSE, "lessons/one.md": LESSON, "lessons/one.quiz.yaml": QUIZ}[target]
    changed = _mutate(original, data)
    with tempfile.TemporaryDirectory() as folder:
        root = write_course(Path(folder), {target: changed.encode("utf-8", "surrogatepass")
                                           if data.draw(st.booleans()) else changed.encode("utf-8", "replace")})
        try:
            course = load_course(root, lesson_bodies=lesson_bodies).course
        except SourceError as error:
            assert error.problems, "a SourceError always carries at least one problem"
            for problem in error.problems:
                assert problem.file and problem.message
        else:  # nothing written was left out without a word
            entries = yaml.load((root / "course.yaml").read_text(encoding="utf-8-sig"), _YAML_LOADER)["lessons"]
            assert [lesson.quiz is not None for lesson in course.lessons] == [e.get("quiz") is not None for e in entries]
            if course.quizzes:
                questions = yaml.load((root / "lessons/one.quiz.yaml").read_text(encoding="utf-8-sig"), _YAML_LOADER)["questions"]
                assert len(course.questions) == len(questions)
