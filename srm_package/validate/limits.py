"""Bounds that keep the validator safe on hostile input (zip bombs, huge documents).

The numbers live in ``srm_package.limits``, beside the loader's, so that what ``check``
accepts builds packages that pass ``validate``.
"""

from __future__ import annotations

from dataclasses import dataclass

from srm_package import limits


@dataclass(frozen=True)
class Limits:
    """How much a package may hold before the validator refuses to read it.

    The defaults are far above any course package (a lesson with images is a few
    MiB) and far below what would hurt a CI machine.
    """

    #: entries in one zip
    max_entries: int = limits.MAX_ENTRIES
    #: sum of the uncompressed sizes of all entries
    max_total_size: int = limits.MAX_TOTAL_SIZE
    #: uncompressed size of one entry
    max_entry_size: int = limits.MAX_ENTRY_SIZE
    #: uncompressed ÷ compressed size above which an entry is treated as a bomb...
    max_ratio: int = limits.MAX_RATIO
    #: ...once it expands to at least this many bytes (text documents compress well)
    ratio_floor: int = limits.RATIO_FLOOR
    #: the largest XML, HTML or CSS document read into memory and parsed
    max_document_size: int = limits.MAX_DOCUMENT_SIZE


DEFAULT_LIMITS = Limits()
