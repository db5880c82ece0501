"""What each target leaves out or changes of the course's questions: the parity report.

Every target writes one or more forms (``targets.QUESTION_FORMS``), and for each
question and form the question's type says whether the form carries it and how it
differs (``QuestionType.carry``, which the writers obey too). ``build`` prints these
notes per target and ``--strict`` refuses to write anything while there are some;
``check`` lists them as warnings at the question's place in its quiz file.
"""

from __future__ import annotations

from dataclasses import dataclass

from srm_package.errors import Problem
from srm_package.model import Course, Question
from srm_package.questions import question_type
from srm_package.questions.base import Form, Unsupported


@dataclass(frozen=True)
class Note:
    """One question that one target leaves out (``left_out``) or writes differently."""

    target: str
    question: Question
    #: the part of the package concerned; None when the target writes one form only
    part: str | None
    left_out: bool
    reason: str

    @property
    def message(self) -> str:
        """E.g. ``cc: ordering question order-layers left out of the cartridge quiz (read by Moodle):
        Common Cartridge 1.1 has no ordering type``."""
        what = "left out" if self.left_out else "changed"
        where = f" {'of' if self.left_out else 'in'} {self.part}" if self.part else ""
        return f"{self.target}: {self.question.kind} question {self.question.id} {what}{where}: {self.reason}"

    def as_problem(self, severity: str = "warning") -> Problem:
        """The note at the question's place in its quiz file (or the course, for a question built in code)."""
        source = self.question.source
        if source is None:
            return Problem("", 0, 0, "", self.message, severity)
        return Problem(source.file, source.line, source.column, source.field, self.message, severity)

    def as_dict(self) -> dict[str, object]:
        return {
            "target": self.target,
            "question": self.question.id,
            "type": self.question.kind,
            "action": "left out" if self.left_out else "changed",
            "part": self.part,
            "reason": self.reason,
            "message": self.message,
            **self.as_problem().as_dict(),
        }


def notes(course: Course, targets: list[str]) -> list[Note]:
    """Every note of ``targets`` for ``course``: by target (in the order given), then question."""
    from srm_package.targets import QUESTION_FORMS

    found: list[Note] = []
    for target in targets:
        forms = [Form(name) for name in QUESTION_FORMS[target]]
        for question in course.questions:
            handler = question_type(question)
            for form in forms:
                part = form.part if len(forms) > 1 else None
                carry = handler.carry(question, form)
                if isinstance(carry, Unsupported):
                    found.append(Note(target, question, part, True, carry.reason))
                else:
                    found += [Note(target, question, part, False, change) for change in carry.changes]
    return found
