"""What any text of a course may hold, wherever it is written (YAML values, lesson bodies).

Every text ends up in XML and HTML documents. XML 1.0 cannot carry control characters
(lxml refuses them while writing), HTML counts them as parse errors, and neither allows
lone surrogates or noncharacters: a YAML escape such as ``"\\e"`` or ``"\\0"``, or the same
character typed into a lesson, must stop at ``check`` instead of breaking the build.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from srm_package.limits import MARKUP_CHARACTERS, MAX_MARKUP_CHARACTERS, MAX_TEXT_LENGTH
from srm_package.links import Target, resolve

# Not: tab, line feed, carriage return, the printable ASCII characters, and the rest of the
# Basic Multilingual Plane but C1 controls, surrogates and noncharacters; so DEL and all
# controls, surrogates, U+FDD0-U+FDEF, U+FFFE, U+FFFF. Characters above U+FFFF all match too:
# only the last two of each plane are noncharacters, and listing just those makes the pattern
# some 20 times slower to search.
_SUSPECT = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd]")


def forbidden_character(text: str, start: int = 0) -> re.Match[str] | None:
    """The first character of ``text`` from ``start`` on that no package can carry, if any."""
    while found := _SUSPECT.search(text, start):
        code = ord(found.group())
        if code <= 0xFFFF or code & 0xFFFE == 0xFFFE:
            return found
        start = found.end()
    return None


def character_problem(character: str) -> str:
    """Why ``character`` (found by ``forbidden_character``) is refused."""
    code = ord(character)
    if unicodedata.category(character) == "Cc":
        kind = "a control character"
    elif 0xD800 <= code <= 0xDFFF:
        kind = "half of a surrogate pair"
    else:
        kind = "a noncharacter"
    return f"character U+{code:04X} is not allowed in text ({kind}: packages cannot carry it)"


def text_problem(text: str) -> str | None:
    """What is wrong with ``text`` as one text of a course (a stem, a title...), if anything."""
    if len(text) <= MAX_TEXT_LENGTH and not _SUSPECT.search(text):  # nearly always: one look
        return None
    if problem := length_problem(text):
        return problem
    found = forbidden_character(text)
    return character_problem(found.group()) if found else None


MARKUP_PROBLEM = (f"the file holds more than {MAX_MARKUP_CHARACTERS:,} of the characters Markdown reads as "
                  f"markup ({' '.join(MARKUP_CHARACTERS)}): they cost the most to read, and no lesson or quiz "
                  "needs that many")


def markup_overflow(text: str) -> int | None:
    """Where in ``text`` its Markdown punctuation goes over ``MAX_MARKUP_CHARACTERS``, if it does.

    Counted over the whole file, code and YAML keys included: that costs a millisecond for the
    largest file, where counting text by text cost a tenth of the loading time of a course.
    """
    if sum(map(text.count, MARKUP_CHARACTERS)) <= MAX_MARKUP_CHARACTERS:
        return None
    found = itertools.islice(_MARKUP.finditer(text), MAX_MARKUP_CHARACTERS, None)
    return next(found).start()


_MARKUP = re.compile("[" + re.escape(MARKUP_CHARACTERS) + "]")


def length_problem(text: str) -> str | None:
    if len(text) <= MAX_TEXT_LENGTH:
        return None
    return f"the text is {len(text):,} characters long; one text may hold at most {MAX_TEXT_LENGTH:,}"


def file_link_problem(href: str) -> str | None:
    """Why a link to ``href`` (as rendered) would be broken in every package, if it would.

    A package holds its own pages and nothing else of the source folder, so a link to a
    file (``notes.pdf``, ``../other.md``, ``/x``) leads nowhere, wherever that file is;
    ``validate`` reports it the same way. Web addresses and ``#section`` links are fine.
    """
    if resolve(href, "").target not in (Target.LOCAL, Target.OUTSIDE):
        return None
    return (f"the link to {href!r} points at a file, and packages hold none but their own pages; "
            "link to a web address (https://...) instead")


def raw_html_warning(html: str) -> str:
    return f"raw HTML {html!r} is not interpreted; it is shown as text"
