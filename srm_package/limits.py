"""The size limits of sources and packages, in one place for ``check``, ``build`` and ``validate``.

Every course that ``check`` accepts must build packages that ``validate`` accepts, so the
numbers are chosen together: the loader bounds what one source file and one text may hold,
and the validator's zip-bomb rule starts above the largest document that one source file
can become. A package made by another tool meets the same validator limits.
"""

from __future__ import annotations

KIB = 1024
MIB = 1024 * KIB

# ------------------------------------------------------------------ sources
#: the largest source file (``course.yaml``, a lesson, a quiz) that is read: far above a
#: real lesson or quiz (the seed's are 4 and 8 KiB; 150 questions with feedback fit).
MAX_SOURCE_FILE_SIZE = 256 * KIB
#: the most characters in one text (a stem, a choice, a feedback, a paragraph, a table
#: cell, a heading...): about 1,500 words. Rendering one text costs time and memory in
#: proportion to its Markdown, so this bounds both for each text.
MAX_TEXT_LENGTH = 10_000
#: the most Markdown punctuation (``MARKUP_CHARACTERS``) in one source file: markdown-it
#: spends 1 to over 100 µs on each where it spends 0.01 on a letter, the more the longer the
#: text ("![![..." the most: it looks for the end of each link label), so 256 KiB of it took
#: 35 s to build. With this, such a file builds in about 3 s. A lesson that bolds a phrase in
#: every sentence holds a few hundred, 256 KiB of Python code some 5,000.
MAX_MARKUP_CHARACTERS = 20_000
MARKUP_CHARACTERS = "[]*_<&!\\"

# ----------------------------------------------------------------- packages
#: entries in one zip
MAX_ENTRIES = 10_000
#: sum of the uncompressed sizes of all entries of one zip
MAX_TOTAL_SIZE = 1024 * MIB
#: uncompressed size of one entry
MAX_ENTRY_SIZE = 256 * MIB
#: the largest XML, HTML or CSS document read into memory and parsed
MAX_DOCUMENT_SIZE = 32 * MIB
#: uncompressed ÷ compressed size above which an entry is treated as a zip bomb...
MAX_RATIO = 100
#: ...once it is larger than any document the validator reads. A built document may well
#: expand more than 100 times (a quiz that repeats one text), but a document is read only
#: up to ``MAX_DOCUMENT_SIZE`` anyway; the one a source file becomes stays far below that
#: (at most ~20 times the file: ``&`` in a QTI file is ``&amp;amp;``, and a question of a
#: few bytes is ~2 KiB of markup).
RATIO_FLOOR = MAX_DOCUMENT_SIZE
