"""Names and identifiers for the native targets."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from srm_package.markup import inline_text
from srm_package.model import Question
from srm_package.questions.choice import Choices
from srm_package.targets.identifiers import answer_numbers, question_name, stable_id

ROOT = Path(__file__).resolve().parent.parent

#: whitespace of every kind textwrap and str.split know, around ordinary words
_STEMS = st.text(st.sampled_from(list(" \t\n\u00a0\u2028\u3000\x1c-—.é日ab")), max_size=130) | st.text(max_size=130)


def _question(stem: str) -> Question:
    return Question(id="q", stem=stem, response=Choices("single", ()), explanation="", points=1, section_id="s")


@settings(max_examples=500)
@given(stem=_STEMS, width=st.integers(1, 110))
def test_question_name_is_textwrap_shorten_of_the_plain_stem(stem, width):
    """The short cut for names that fit gives what textwrap.shorten gives."""
    expected = textwrap.shorten(inline_text(stem), width=width, placeholder="…")
    assert question_name(_question(stem), width=width) == expected


def test_identifiers_have_pinned_values():
    """Written down once: identifiers that changed with the process, the Python version or a
    refactoring would make an LMS import the same quiz twice."""
    assert stable_id("quiz_", "my-course", "lesson-quiz") == "quiz_648098cd827ddb72"
    assert stable_id("item_", "my-course", "lesson-quiz", "q1") == "item_7cf9db8a3f1e7a6c"
    assert answer_numbers("my-course", "q1", ["a", "b", "c"]) == {"a": 70175, "b": 23049, "c": 14560}


def test_identifiers_are_the_same_in_every_process():
    """Two processes with different hash seeds (what two builds are) give the same identifiers."""
    code = (
        "from srm_package.loader import load_course\n"
        "from srm_package.targets import qti\n"
        "course = load_course('source').course\n"
        "import sys\n"
        "for quiz in course.quizzes:\n"
        "    for profile in qti.Profile:\n"
        "        sys.stdout.buffer.write(qti.assessment_document(quiz, profile=profile, scope=course.id))\n"
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]
    assert b"<item ident=" in outputs[0]
    assert outputs[0] == outputs[1]


def test_answer_numbers_that_clash_in_one_question_are_hashed_again():
    """c252 and c281 under question q hash to the same number (64733) in the empty scope: the
    second is hashed again, so the numbers stay distinct, and stay the same from build to build."""
    numbers = answer_numbers("", "q", ["c252", "c281"])
    assert numbers == {"c252": 64733, "c281": 90583}
    # whichever comes first keeps the number
    assert answer_numbers("", "q", ["c281", "c252"]) == {"c281": 64733, "c252": 96314}
