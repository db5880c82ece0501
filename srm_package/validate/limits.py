"""Bounds that keep the validator safe on hostile input (zip bombs, huge documents)."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much a package may hold before the validator refuses to read it.

    The defaults are far above any course package (a lesson with images is a few
    MiB) and far below what would hurt a CI machine.
    """

    #: entries in one zip
    max_entries: int = 10_000
    #: sum of the uncompressed sizes of all entries
    max_total_size: int = 1024 * MIB
    #: uncompressed size of one entry
    max_entry_size: int = 256 * MIB
    #: uncompressed ÷ compressed size above which an entry is treated as a bomb...
    max_ratio: int = 100
    #: ...once it expands to at least this many bytes (small text files compress well)
    ratio_floor: int = 1 * MIB
    #: the largest XML, HTML or CSS document read into memory and parsed
    max_document_size: int = 32 * MIB


DEFAULT_LIMITS = Limits()
