"""Identifiers that the page's SCORM interaction records use, shared by the question types.

SCORM 1.2 records choice, matching and sequencing responses as single characters
(``0-9``, ``a-z``); SCORM 2004 as short identifiers, which Moodle's player limits to
``[A-Za-z0-9_.]`` (lms-targets §1.1: no hyphen). Each type turns its parts into these
ids here; the page script only joins them with the version's delimiters.
"""

from __future__ import annotations

#: SCORM 1.2 responses are single characters; letters by position
LETTERS_12 = "abcdefghijklmnopqrstuvwxyz"


def letter_12(position: int) -> str:
    """The SCORM 1.2 response character of the part at ``position`` (``a`` for the first)."""
    return LETTERS_12[position]


def identifier_2004(source_id: str) -> str:
    """A SCORM 2004 short identifier from a source id: Moodle rejects hyphens, so they become ``_``."""
    return source_id.replace("-", "_")


def too_many_for_12(question_id: str, count: int, what: str) -> str | None:
    """The problem when ``count`` parts cannot each get a SCORM 1.2 letter; None when they can."""
    if count <= len(LETTERS_12):
        return None
    return (f"question {question_id!r} has {count} {what}; SCORM 1.2 records at most "
            f"{len(LETTERS_12)} (one letter each)")
