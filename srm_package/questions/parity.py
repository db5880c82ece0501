"""What each target leaves out or changes of the course's questions: the parity report.

Every target writes one or more forms (``targets.QUESTION_FORMS``), and for each
question and form the question's type says whether the form carries it and how it
differs (``QuestionType.carry``, which the writers obey too). ``build`` prints these
notes per target and ``--strict`` refuses to write anything while there are some;
``check`` lists them as warnings at the question's place in its quiz file.

A question group (pool) gets a note where a form asks every question of it instead of
drawing (``pools.ASKS_EVERY_QUESTION``), at the group's place in its quiz file.
"""

from __future__ import annotations

from dataclasses import dataclass

from srm_package import pools
from srm_package.errors import Problem
from srm_package.model import Course, Question, QuestionGroup
from srm_package.questions import question_type
from srm_package.questions.base import Form, Unsupported


@dataclass(frozen=True)
class Note:
    """One question (or question group) that one target leaves out (``left_out``) or writes differently."""

    target: str
    #: the question concerned; None for a note about a group
    question: Question | None
    #: the part of the package concerned; None when the target writes one form only
    part: str | None
    left_out: bool
    reason: str
    group: QuestionGroup | None = None

    @property
    def question_ids(self) -> tuple[str, ...]:
        """The questions the note is about: its question's, or every question of its group."""
        return self.group.question_ids if self.group else (self.question.id,)

    @property
    def message(self) -> str:
        """E.g. ``cc: ordering question order-layers left out of the cartridge quiz (read by Moodle):
        Common Cartridge 1.1 has no ordering type``; for a group ``cc: group pool asks all 3 of its
        questions in the cartridge quiz (read by Moodle), not 2 drawn per attempt: ...``."""
        where = f" {'of' if self.left_out else 'in'} {self.part}" if self.part else ""
        if self.group is not None:
            count = len(self.group.question_ids)
            return (f"{self.target}: group {self.group.id} asks all {count} of its questions{where}, not "
                    f"{self.group.pick} drawn per attempt: {self.reason}")
        what = "left out" if self.left_out else "changed"
        return f"{self.target}: {self.question.kind} question {self.question.id} {what}{where}: {self.reason}"

    def as_problem(self, severity: str = "warning") -> Problem:
        """The note at the question's (or group's) place in its quiz file (or the course, for one built in code)."""
        source = self.group.source if self.group else self.question.source
        if source is None:
            return Problem("", 0, 0, "", self.message, severity)
        return Problem(source.file, source.line, source.column, source.field, self.message, severity)

    def as_dict(self) -> dict[str, object]:
        return {
            "target": self.target,
            "question": self.question.id if self.question else None,
            "type": self.question.kind if self.question else None,
            "group": self.group.id if self.group else None,
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
        for quiz in course.quizzes:
            for group in quiz.groups:
                for form in forms:
                    reason = pools.ASKS_EVERY_QUESTION.get(form)
                    if reason is not None:
                        found.append(Note(target, None, form.part if len(forms) > 1 else None, False, reason, group))
    return found
