"""Results kept from one round of work to the next, by a key that holds every input.

``srm-package preview`` loads and renders the same course again on every save; keeping what
the last round made (by file text, by lesson content) lets it redo only what changed. What a
round does not use is forgotten after the next one, so memory stays that of one course.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class KeptFromLastRound(Generic[T]):
    def __init__(self) -> None:
        self._previous: dict[Hashable, T] = {}
        self._current: dict[Hashable, T] = {}
        #: how many lookups of this round were found and how many were made
        self.hits = 0
        self.misses = 0

    def new_round(self) -> None:
        """Keep what the round that ends used; forget the rest."""
        self._previous, self._current = self._current, {}
        self.hits = self.misses = 0

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The value kept for ``key`` in this round or the last one, else ``make()``'s."""
        found = self._current.get(key)
        if found is None:
            found = self._previous.get(key)
        if found is None:
            found = make()
            self.misses += 1
        else:
            self.hits += 1
        self._current[key] = found
        return found
