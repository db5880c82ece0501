"""Stable identifiers and names for the native LMS targets (QTI, Common Cartridge, Moodle XML).

LMSs remember imported objects by these identifiers: importing a package again
with the same identifiers updates the earlier quiz instead of adding a copy.
So every identifier is derived from source ids (course, lesson, quiz, question,
choice), never random, and is ASCII ``[A-Za-z][A-Za-z0-9_]*`` so that it is safe
in any importer (Canvas turns idents into migration ids, Moodle puts them into
XPath strings).
"""

from __future__ import annotations

import hashlib
import textwrap
from collections.abc import Iterable

from srm_package.markup import inline_text
from srm_package.model import Question

#: Canvas answer ids are integers; five digits keep clashes inside one question rare
_ANSWER_NUMBER_LOW = 10_000
_ANSWER_NUMBER_SPAN = 90_000


def _digest(*parts: str) -> str:
    # a separator that cannot occur in ids, so ("ab", "c") and ("a", "bc") differ
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def stable_id(prefix: str, *parts: str, length: int = 16) -> str:
    """``prefix`` plus a short hash of ``parts``: same parts, same identifier."""
    return f"{prefix}{_digest(*parts)[:length]}"


def stable_number(*parts: str, low: int, span: int) -> int:
    """A number in ``low .. low + span - 1`` from a hash of ``parts``: same parts, same number."""
    return low + int(_digest(*parts)[:12], 16) % span


def answer_numbers(scope: str, question_id: str, keys: Iterable[str]) -> dict[str, int]:
    """A stable positive number per key (a choice id, "prompt-2"...) of a question: Canvas answer ids.

    Canvas keeps ``original_answer_ids`` only when they are numeric. Each number
    comes from its own key; a clash inside the question (rare) is resolved by
    re-hashing with a counter, in key order, so the result stays stable.
    """
    numbers: dict[str, int] = {}
    used: set[int] = set()
    for key in keys:
        attempt = 0
        while True:
            salt = (str(attempt),) if attempt else ()
            value = stable_number(scope, question_id, key, *salt,
                                  low=_ANSWER_NUMBER_LOW, span=_ANSWER_NUMBER_SPAN)
            if value not in used:
                break
            attempt += 1
        used.add(value)
        numbers[key] = value
    return numbers


def question_name(question: Question, width: int = 100) -> str:
    """A short plain-text name for a question (Canvas item title, Moodle question name)."""
    text = inline_text(question.stem)
    # what textwrap.shorten returns for a text that fits, without its ~10 µs of wrapping
    collapsed = " ".join(text.split())
    if len(collapsed) <= width:
        return collapsed
    return textwrap.shorten(text, width=width, placeholder="…")
