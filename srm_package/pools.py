"""Question groups (pools): what each place a quiz is written in makes of them.

A group (``model.QuestionGroup``, read by ``sources.quiz_file``) asks ``pick`` of its
questions in each attempt, drawn at random; questions in no group are always asked, and
an attempt is scored over the questions it asks. Where the questions go:

* the student page (SCORM and html) draws per attempt; ``page_data`` is what its script
  (``templates/static/quiz.js``) needs, and the draw is part of the saved state;
* Canvas's QTI (``canvas-qti`` and the cartridge's Canvas part) writes a question group:
  a ``section`` with ``selection_ordering`` (``canvas_section``, lms-targets 2.1);
* Moodle XML puts each group's questions in a category of their own under the lesson's,
  from which a teacher adds "random question" slots; the Moodle backup does the same in its
  question bank, and its quiz has ``pick`` random slots drawing from that category;
* the cartridge's own quiz (Common Cartridge 1.1's QTI profile allows a section to hold
  items only) asks every question: ``ASKS_EVERY_QUESTION`` says so, and the build's parity report prints it;
* the SCORM packages' QTI question bank holds every question, as any bank does.
"""

from __future__ import annotations

from dataclasses import replace

from srm_package.model import Course, Question, Quiz
from srm_package.questions import carries
from srm_package.questions.base import Form

#: the forms that ask every question of a group instead of drawing, and why (the parity
#: report's reason); every other form draws as the source says, or (a question bank) has no
#: attempts to draw for
ASKS_EVERY_QUESTION = {
    Form.QTI_CC: "Common Cartridge 1.1's QTI profile has no question groups (a section holds items only)",
}


def restricted(quiz: Quiz, questions: tuple[Question, ...]) -> Quiz:
    """``quiz`` with only ``questions`` (those a form carries), its groups cut down to them: a
    group left with fewer questions than it picks asks them all, one left with none is gone."""
    kept = {question.id for question in questions}
    groups = []
    for group in quiz.groups:
        members = tuple(qid for qid in group.question_ids if qid in kept)
        if members:
            groups.append(replace(group, question_ids=members, pick=min(group.pick, len(members))))
    return replace(quiz, questions=questions, groups=tuple(groups))


def carried(quiz: Quiz, form: Form) -> Quiz:
    """``quiz`` as ``form`` has it: the questions it carries, its groups cut down to them."""
    return restricted(quiz, tuple(question for question in quiz.questions if carries(question, form)))


def page_data(quiz: Quiz) -> list[dict[str, object]]:
    """Each group as the page script draws it: how many to ask, and the positions of its
    questions in the quiz (source order, as in the page's quiz data)."""
    position = {question.id: index for index, question in enumerate(quiz.questions)}
    return [{"pick": group.pick, "members": sorted(position[qid] for qid in group.question_ids)}
            for group in quiz.groups]


def asked_per_attempt(course: Course) -> int:
    return sum(quiz.asked for quiz in course.quizzes)


def drawn_note(course: Course) -> str:
    """" (4 asked per attempt)" when pools draw fewer questions than the course has, else ""."""
    asked = asked_per_attempt(course)
    return f" ({asked} asked per attempt)" if asked != len(course.questions) else ""


def question_count(course: Course) -> str:
    """"5 questions", or "5 questions (4 asked per attempt)" when pools draw: for build reports."""
    count = len(course.questions)
    return f"{count} question{'s' * (count != 1)}{drawn_note(course)}"
