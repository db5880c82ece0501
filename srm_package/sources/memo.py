"""What reading each lesson and quiz file gave, kept by the file's text between loads.

``srm-package preview`` loads the course again on every save; with a ``ReadMemo`` only the
files whose text changed are parsed again (a 100-lesson course: ~10 ms instead of ~0.7 s).
A result is kept together with the problems found, which are reported again on every load,
so ``check``'s list stays complete.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from srm_package.errors import Problem
from srm_package.rounds import KeptFromLastRound
from srm_package.sources.yamlfields import Problems

T = TypeVar("T")


class ReadMemo(KeptFromLastRound[tuple[object, tuple[Problem, ...]]]):
    def recall(self, key: Hashable, read: Callable[[Problems], T], problems: Problems) -> T:
        """``read``'s result for ``key`` (a tuple holding every input it reads), reading at most once."""

        def make() -> tuple[object, tuple[Problem, ...]]:
            local = Problems()
            return read(local), tuple(local.items)

        value, found = self.get(key, make)
        problems.items.extend(found)
        return value  # type: ignore[return-value]
