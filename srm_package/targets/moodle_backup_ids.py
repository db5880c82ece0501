"""Row ids of a Moodle backup, each derived from the source ids of what the row stands for.

Moodle's restore only uses a backup's ids to link its rows to each other (they all get
new ids in the site), but ids from the sources keep the archive's folder names
(``activities/quiz_<id>``) and every file the same when a lesson is added or moved, so
rebuilt backups differ only where the course did. Ids are unique per table (Moodle's
restore maps them per table); contexts share one table, and 1 is the system context.
"""

from __future__ import annotations

from srm_package.targets.identifiers import stable_number

SYSTEM_CONTEXT = 1
#: ids from 2 (1 is the system context) below 2^31, so that any 32-bit reader holds them
_LOW, _SPAN = 2, (1 << 31) - 2


class BackupIds:
    """``ids(table, *parts)``: the id of the row of ``table`` that ``parts`` names.

    The same parts always give the same id; a clash with another row of the table (rare)
    is resolved by hashing again with a counter, so the first row asked for keeps its id.
    """

    def __init__(self, course_id: str) -> None:
        self._scope = course_id
        self._given: dict[tuple[str, ...], int] = {}
        self._taken: dict[str, set[int]] = {}

    def __call__(self, table: str, *parts: str) -> int:
        key = (table, *parts)
        if key in self._given:
            return self._given[key]
        taken = self._taken.setdefault(table, {SYSTEM_CONTEXT} if table == "context" else set())
        attempt = 0
        while True:
            salt = (str(attempt),) if attempt else ()
            number = stable_number(self._scope, *key, *salt, low=_LOW, span=_SPAN)
            if number not in taken:
                break
            attempt += 1
        taken.add(number)
        self._given[key] = number
        return number
