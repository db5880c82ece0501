"""Every question type played in the SCORM packages under the real LMS runtime (scorm-again,
strict, plus the harness's rules from Moodle's players): right, wrong and partly right answers,
the score and status the LMS holds, each interaction's type, responses and result, and resume.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from srm_package.loader import load_course
from srm_package.model import Course
from srm_package.render import interaction_id
from tests.questions.drivers import Given, answer
from tests.quiz_pages import answer as answer_choices
from tests.quiz_pages import open_lesson, progress_text, question_box, write_site
from tests.support.fixtures import LmsOpener
from tests.support.lms import LmsSession

ALL_TYPES = Path(__file__).resolve().parent.parent / "roots" / "all-types"
VERSIONS = [pytest.param("1.2", id="scorm12"), pytest.param("2004", id="scorm2004")]
RUNTIME = {"1.2": "scorm12", "2004": "scorm2004"}
#: the SCORM interaction type of each question type
SCORM_TYPES = {"single": "choice", "multiple": "choice", "true_false": "choice", "matching": "matching",
               "fill_in": "fill-in", "numeric": "numeric", "ordering": "sequencing"}
SUSPEND_DATA_LIMIT_12 = 4096


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(ALL_TYPES).course


@pytest.fixture(scope="module")
def scos(tmp_path_factory, course) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("all-types")
    return {version: write_site(course, RUNTIME[version], root / RUNTIME[version]) for version in ("1.2", "2004")}


def launch(lms: LmsOpener, scos, version: str, **kwargs: Any) -> LmsSession:
    session = lms(scos[version], version=version, **kwargs)
    expect(session.frame_locator.locator("html.quiz-ready")).to_have_count(1)
    return session


def hows(course: Course, pattern: str) -> list[str]:
    """How to answer each question: all "right", all "wrong", or "partial" where a type has parts
    (and alternately right and wrong elsewhere)."""
    questions = course.questions
    if pattern != "partial":
        return [pattern] * len(questions)
    parted = {"matching", "fill_in", "ordering"}
    return ["partial" if (q.kind in parted and _parts(q) > 1) or (q.kind == "multiple" and _right(q) > 1)
            else ("right" if n % 2 else "wrong") for n, q in enumerate(questions)]


def _parts(question) -> int:
    response = question.response
    return len(getattr(response, "pairs", getattr(response, "blanks", getattr(response, "items", ()))))


def _right(question) -> int:
    return len(question.response.correct_choices)


def score_of(course: Course, given: list[Given]) -> float:
    earned = sum(g.fraction * q.points for g, q in zip(given, course.questions, strict=True))
    return round(earned * 100 / course.points, 2)


def interactions(cmi: dict[str, Any]) -> list[dict[str, Any]]:
    stored = cmi.get("interactions", {})
    return [stored[str(n)] for n in range(len(stored))]


def check_interactions(version: str, course: Course, stored: list[dict[str, Any]], given: list[Given],
                       first: int = 0) -> None:
    lesson = course.lessons[0]
    for n, (question, g) in enumerate(zip(course.questions[first:], given[first:], strict=True), first):
        item = stored[n - first] if version == "1.2" and first else stored[n]
        assert item["id"] == interaction_id(lesson, question)
        assert item["type"] == SCORM_TYPES[question.kind], question.id
        assert item["weighting"] == str(question.points)
        right = g.fraction == 1
        if version == "1.2":
            assert item["student_response"] == g.learner12, question.id
            assert item["correct_responses"]["0"]["pattern"] == g.correct12, question.id
            assert item["result"] == ("correct" if right else "wrong"), question.id
        else:
            assert item["learner_response"] == g.learner2004, question.id
            assert item["correct_responses"]["0"]["pattern"] == g.correct2004, question.id
            assert item["result"] == ("correct" if right else "incorrect"), question.id


def check_score(version: str, session: LmsSession, score: float, passed: bool) -> None:
    cmi = session.cmi()
    raw = f"{score:g}"
    if version == "1.2":
        assert cmi["core"]["lesson_status"] == ("passed" if passed else "failed")
        assert cmi["core"]["score"]["raw"] == raw
    else:
        assert cmi["completion_status"] == "completed"
        assert cmi["success_status"] == ("passed" if passed else "failed")
        assert cmi["score"]["raw"] == raw
        assert cmi["score"]["scaled"] == f"{round(score / 100, 4):g}"


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("pattern", ["right", "wrong", "partial"])
def test_every_type_is_scored_and_recorded(lms, scos, course, version, pattern):
    session = launch(lms, scos, version)
    frame = session.frame_locator
    given = [answer(frame, question, how) for question, how in zip(course.questions, hows(course, pattern),
                                                                     strict=True)]
    if pattern == "partial":  # the test pattern does what it says: some answers are partly right
        assert any(0 < g.fraction < 1 for g in given)
    session.wait_until_finished()
    session.assert_clean()
    score = score_of(course, given)
    check_score(version, session, score, passed=score >= course.passing_score)
    check_interactions(version, course, interactions(session.cmi()), given)
    # the page shows the same score (a whole number, rounded down: the LMS has the decimals)
    # and, for each partly right answer, its verdict and points
    result = frame.locator("[data-result]")
    expect(result.locator("[data-score-percent]")).to_have_text(f"{math.floor(score)}%")
    for question, g in zip(course.questions, given, strict=True):
        verdict = question_box(frame, question).locator("[data-verdict]:visible")
        if g.fraction == 1:
            expect(verdict).to_have_text("Correct")
        elif g.fraction > 0:
            points = f"{round(g.fraction * question.points, 2):g}"
            expect(verdict).to_have_text(f"Partly correct: {points} of {question.points} points")
        else:
            expect(verdict).to_have_text("Incorrect")


@pytest.mark.parametrize("version", VERSIONS)
def test_resume_restores_every_type(lms, scos, course, version):
    questions = course.questions
    pattern = hows(course, "partial")
    half = len(questions) // 2 + 1
    first = launch(lms, scos, version)
    given = [answer(first.frame_locator, q, how) for q, how in zip(questions[:half], pattern[:half], strict=True)]
    # what each answered question shows, to compare after the resume
    states = [question_box(first.frame_locator, q).evaluate(_STATE_JS) for q in questions[:half]]
    first.unload_sco()
    first.assert_clean(left=True)  # the browser refuses the pagehide commit: each answer was committed
    suspend = first.cmi()["suspend_data"]
    assert suspend.startswith("2|") and len(suspend) < SUSPEND_DATA_LIMIT_12

    again = launch(lms, scos, version, initial_cmi=first.next_launch_cmi())
    frame = again.frame_locator
    for question, state in zip(questions[:half], states, strict=True):
        assert question_box(frame, question).evaluate(_STATE_JS) == state, question.id
    for question in questions[half:]:
        expect(question_box(frame, question).locator("[data-verdict]:visible")).to_have_count(0)
    correct = sum(g.fraction == 1 for g in given)
    # the share of the questions answered correctly, whatever their type (partly right is not correct)
    share = math.floor(correct * 100 / len(questions))
    assert progress_text(frame).startswith(f"Progress: {correct}/{len(questions)} correct ({share}%).")
    # nothing is re-sent for the restored answers
    assert not [call for call in again.calls() if str(call.args[0] if call.args else "").startswith("cmi.interactions")
                and call.method in ("LMSSetValue", "SetValue")]
    given += [answer(frame, q, how) for q, how in zip(questions[half:], pattern[half:], strict=True)]
    again.wait_until_finished()
    again.assert_clean()
    score = score_of(course, given)
    check_score(version, again, score, passed=score >= course.passing_score)
    # 2004 hands the first session's interactions back, so the new ones follow them
    stored = interactions(again.cmi())
    check_interactions(version, course, stored, given, first=half)


#: a question's visible answer: its verdict, the values and order of its controls, its marks
_STATE_JS = """box => ({
  classes: [...box.classList].sort().join(' '),
  verdict: [...box.querySelectorAll('[data-verdict]')].filter(e => !e.hidden).map(e => e.textContent),
  values: [...box.querySelectorAll('input, select')].map(e => [e.value, e.checked, e.disabled, e.readOnly]),
  items: [...box.querySelectorAll('[data-item]')].map(e => e.dataset.item),
  marks: [...box.querySelectorAll('[data-mark], .choice-mark, [data-correct-part]')].map(e => e.hidden),
})"""


def _longest_answer(root, question) -> None:
    """The answer whose saved form is longest: every choice of a ``multiple``, every box of a
    fill-in full of characters saved state escapes, the longest number the box takes."""
    box = question_box(root, question)
    if question.kind == "fill_in":
        blanks = len(question.response.blanks)
        for n in range(blanks):
            box.get_by_role("textbox", name=f"Blank {n + 1} of {blanks}", exact=True).fill("%" * 100)
        box.get_by_role("button", name="Check answer").click()
    elif question.kind == "numeric":
        box.get_by_role("textbox", name="Your answer").fill("-." + "1" * 38)  # saved as -0.111...
        box.get_by_role("button", name="Check answer").click()
    elif question.kind == "multiple":
        answer_choices(root, question, list(question.response.choices))
    else:
        answer(root, question, "wrong")


def test_the_saved_state_never_exceeds_the_budget_build_computes(lms, tmp_path, course):
    """Two quizzes holding two copies of every question, shuffled, each answered with its longest
    answer: the state scorm-again holds is exactly the worst case ``build`` checks against SCORM
    1.2's 4,096 characters (so the bound is neither short nor loose), the two lessons opened
    (course.js's part of the state) included."""
    from dataclasses import replace

    from srm_package.model import ShufflePolicy
    from srm_package.saved_state import worst_case_size
    from tests.quiz_courses import course_of

    lesson = course.lessons[0]
    shuffle = ShufflePolicy(questions=True, choices=True)
    lessons = []
    for copy in range(2):
        questions = tuple(replace(q, id=f"{q.id}-{copy}") for q in lesson.quiz.questions)
        lessons.append(replace(lesson, id=f"{lesson.id}-{copy}",
                               quiz=replace(lesson.quiz, id=f"{lesson.quiz.id}-{copy}", questions=questions,
                                            shuffle=shuffle)))
    long_course = course_of(*lessons, course_id="long")
    bound = worst_case_size(long_course)
    assert bound <= SUSPEND_DATA_LIMIT_12
    site = write_site(long_course, "scorm12", tmp_path / "long")
    session = lms(site, version="1.2")
    frame = session.frame_locator
    expect(frame.locator("html.quiz-ready")).to_have_count(1)
    for each in long_course.lessons:  # one lesson shown at a time: the course part is saved too
        open_lesson(frame, each.id)
        for question in each.quiz.questions:
            _longest_answer(frame, question)
    session.wait_until_finished()
    session.assert_clean()
    suspend = session.cmi()["suspend_data"]
    assert len(suspend) == bound, (len(suspend), bound)


def test_a_pooled_quiz_saves_at_most_the_budget_build_computes(lms, tmp_path, course):
    """One quiz holding two copies of every question side by side, shuffled, each pair but the
    first a group that asks one of the two: only the questions drawn save an answer, an
    arrangement and a place in the order, and the state scorm-again holds, every question asked
    answered with its longest answer, is exactly the worst case ``build`` checks. (The two copies
    of a pair cost the same, their indexes having as many digits, so any draw is the worst.)"""
    from dataclasses import replace

    from srm_package.model import QuestionGroup, ShufflePolicy
    from srm_package.saved_state import worst_case_size
    from tests.quiz_courses import course_of

    lesson = course.lessons[0]
    pairs = [tuple(replace(q, id=f"{q.id}-{copy}") for copy in range(2)) for q in lesson.quiz.questions]
    groups = tuple(QuestionGroup(f"pair-{n}", 1, (a.id, b.id)) for n, (a, b) in enumerate(pairs) if n)
    quiz = replace(lesson.quiz, questions=tuple(q for pair in pairs for q in pair), groups=groups,
                   shuffle=ShufflePolicy(questions=True, choices=True))
    pooled = course_of(replace(lesson, quiz=quiz), course_id="pooled")
    assert quiz.asked == len(pairs) + 1
    bound = worst_case_size(pooled)
    assert bound <= SUSPEND_DATA_LIMIT_12
    session = lms(write_site(pooled, "scorm12", tmp_path / "pooled"), version="1.2")
    frame = session.frame_locator
    expect(frame.locator("html.quiz-ready")).to_have_count(1)
    asked = [q for q in quiz.questions if question_box(frame, q).is_visible()]
    assert len(asked) == quiz.asked
    for question in asked:
        _longest_answer(frame, question)
    session.wait_until_finished()
    session.assert_clean()
    suspend = session.cmi()["suspend_data"]
    assert len(suspend) == bound, (len(suspend), bound)
