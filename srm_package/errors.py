"""Problems found in user input, and the one exception type that carries them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One mistake (or warning) in a source file or a package, located for the user."""

    file: str
    line: int  # 1-based; 0 when the whole file is meant
    column: int  # 1-based; 0 when unknown
    field: str  # dotted path such as "questions[2].choices" or "" for the file itself
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        prefix = "" if self.severity == "error" else " warning:"
        return f"{where}:{prefix}{field} {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
            "severity": self.severity,
        }


class SourceError(Exception):
    """The sources cannot be built; ``problems`` lists every error found in one run."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class BuildError(Exception):
    """A build failed for a reason outside the sources (disk full, unwritable folder...)."""
