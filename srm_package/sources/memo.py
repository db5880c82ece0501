"""What reading each lesson and quiz file gave, kept by the file's text between loads.

``srm-package preview`` loads the course again on every save; with a ``ReadMemo`` only the
files whose text changed are parsed again (a 100-lesson course: ~10 ms instead of ~0.7 s).
A result is kept together with the problems found, which are reported again on every load,
so ``check``'s list stays complete. Results unused by a load are dropped after the next one.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from srm_package.errors import Problem
from srm_package.sources.yamlfields import Problems

T = TypeVar("T")


class ReadMemo:
    def __init__(self) -> None:
        self._previous: dict[Hashable, tuple[object, tuple[Problem, ...]]] = {}
        self._current: dict[Hashable, tuple[object, tuple[Problem, ...]]] = {}
        #: how many reads the last load took from the memo and how many it parsed
        self.hits = 0
        self.misses = 0

    def start_load(self) -> None:
        """A new load begins: keep what the last one used, forget older results."""
        self._previous, self._current = self._current, {}
        self.hits = self.misses = 0

    def recall(self, key: Hashable, read: Callable[[Problems], T], problems: Problems) -> T:
        """``read``'s result for ``key`` (a tuple holding every input it reads), reading at most once."""
        found = self._current.get(key) or self._previous.get(key)
        if found is None:
            local = Problems()
            found = (read(local), tuple(local.items))
            self.misses += 1
        else:
            self.hits += 1
        self._current[key] = found
        problems.items.extend(found[1])
        return found[0]  # type: ignore[return-value]
