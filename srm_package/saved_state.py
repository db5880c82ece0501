"""The saved-state budget: the longest ``cmi.suspend_data`` the page can write for a course.

The quiz script (``templates/static/quiz.js``, ``encodeState``) saves one text:

    2|<fingerprint>|<answers>|<question orders>|<arrangements>[|<lessons opened>]

answers: per question (every quiz, source order) its type's encoding, joined by ``,``;
question orders: per quiz the questions its attempt asks, as indexes in the order shown, in
decimal joined by ``.`` ("" when the quiz neither shuffles questions nor has groups),
quizzes joined by ``/``; arrangements: per question its parts' order, a base-36 digit each
("" when the quiz does not shuffle choices, and for a question the attempt does not ask),
joined by ``,``; lessons opened: in a course of several lessons only
(``templates/static/course.js``, ``state``), a hex digit per four lessons.

The worst case answers every question asked with the longest answer its type can save
(``QuestionType.longest_saved_answer``) and saves every order. Only the questions an attempt
asks hold an answer, an arrangement and a place in the order, so from each group it counts
the ``pick`` questions that cost most (a draw can ask exactly those).

SCORM 1.2 caps ``cmi.suspend_data`` at 4,096 characters and 2004 at 64,000; an LMS cuts
off or refuses a longer value and the learner's answers are lost, so a course whose worst
case does not fit fails to build for that version.
"""

from __future__ import annotations

from srm_package.errors import BuildError
from srm_package.model import Course, Question, Quiz
from srm_package.questions import question_type

#: the most characters ``cmi.suspend_data`` holds, per runtime (the html site saves nothing)
SUSPEND_DATA_LIMITS = {"scorm12": 4096, "scorm2004": 64000}

_VERSIONS = {"scorm12": "SCORM 1.2", "scorm2004": "SCORM 2004"}

#: ``2|`` + the 8-character fingerprint + ``|`` (``render.fingerprint``)
_HEAD = len("2|") + 8 + len("|")


def _asked_cost(quiz: Quiz) -> int:
    """The most characters a quiz's asked questions can add: their answers, arrangements and
    places in the saved order, with the ``.`` between those places."""
    saves_order = quiz.shuffle.questions or bool(quiz.groups)

    def cost(index: int, question: Question) -> int:
        handler = question_type(question)
        return (handler.longest_saved_answer(question)
                + (handler.arranged_parts(question) if quiz.shuffle.choices else 0)
                + (len(str(index)) if saves_order else 0))

    costs = {question.id: cost(index, question) for index, question in enumerate(quiz.questions)}
    size = sum(costs[question.id] for question in quiz.always_asked)
    for group in quiz.groups:
        size += sum(sorted((costs[qid] for qid in group.question_ids), reverse=True)[:group.pick])
    return size + (max(quiz.asked - 1, 0) if saves_order else 0)


def worst_case_size(course: Course) -> int:
    """The most characters the course's page can save as its state (every question asked
    answered with its longest answer, every order saved)."""
    quizzes = course.quizzes
    questions = len(course.questions)
    # every question has its place (maybe empty) in answers and arrangements, every quiz in orders
    separators = 2 * max(questions - 1, 0) + max(len(quizzes) - 1, 0)
    size = _HEAD + sum(_asked_cost(quiz) for quiz in quizzes) + separators + len("||")
    if len(course.lessons) > 1:
        size += 1 + -(-len(course.lessons) // 4)  # "|" and the lessons opened
    return size


def fits(course: Course, runtime: str) -> bool:
    """Whether the course's worst-case saved state fits ``runtime``'s limit (any for no limit)."""
    limit = SUSPEND_DATA_LIMITS.get(runtime)
    return limit is None or worst_case_size(course) <= limit


def check_budget(course: Course, runtime: str) -> None:
    """A ``BuildError`` when the course's worst-case saved state does not fit ``runtime``'s limit."""
    limit = SUSPEND_DATA_LIMITS.get(runtime)
    if limit is None:
        return
    size = worst_case_size(course)
    if size <= limit:
        return
    advice = "put fewer questions in one package (one package per lesson)"
    if runtime == "scorm12":
        advice += f", or build SCORM 2004 instead (it keeps up to {SUSPEND_DATA_LIMITS['scorm2004']:,})"
    raise BuildError(
        f"course {course.id!r} ({course.title}): the quiz page's saved state (cmi.suspend_data) can "
        f"reach {size:,} characters with every question answered, over {_VERSIONS[runtime]}'s limit "
        f"of {limit:,}; the LMS would cut it off or refuse it and learners would lose their answers. "
        f"To fix it, {advice}; fill-in blanks count most (each can save three times its length)"
    )
