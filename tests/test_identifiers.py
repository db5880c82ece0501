"""Names and identifiers for the native targets."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from srm_package.markup import inline_text
from srm_package.model import Question, QuestionKind
from srm_package.targets.identifiers import question_name

#: whitespace of every kind textwrap and str.split know, around ordinary words
_STEMS = st.text(st.sampled_from(list(" \t\n\u00a0\u2028\u3000\x1c-—.é日ab")), max_size=130) | st.text(max_size=130)


def _question(stem: str) -> Question:
    return Question(id="q", kind=QuestionKind.SINGLE, stem=stem, choices=(), explanation="", points=1, section_id="s")


@settings(max_examples=500)
@given(stem=_STEMS, width=st.integers(1, 110))
def test_question_name_is_textwrap_shorten_of_the_plain_stem(stem, width):
    """The short cut for names that fit gives what textwrap.shorten gives."""
    expected = textwrap.shorten(inline_text(stem), width=width, placeholder="…")
    assert question_name(_question(stem), width=width) == expected
