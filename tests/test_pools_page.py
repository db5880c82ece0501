"""Question groups (pools) on the student page, in Chromium: each attempt draws ``pick`` of each
group's questions (tests/roots/pooled-quiz: one question always asked, two of four, one of two:
four questions for five points), hides the rest and counts only the questions asked; SCORM 1.2
and 2004 under scorm-again save the draw and resume it, score over the questions asked and
record interactions for them only; "Try again" on the html site draws again.

The page's random source is seeded through ``window.SrmRandom`` (set before the page's scripts
run), so each draw here is the same on every run; the product uses Math.random."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FrameLocator, Page, expect

from srm_package.loader import load_course
from srm_package.model import Course, Question, Quiz
from srm_package.render import fingerprint, interaction_id
from tests.questions.test_scorm_all_types import RUNTIME, VERSIONS, check_score, interactions
from tests.quiz_pages import (
    answer,
    progress_line,
    progress_text,
    question_box,
    right_choices,
    write_sites,
    wrong_choices,
)
from tests.support.axe import format_violations, run_axe
from tests.support.browser import OfflinePage
from tests.support.fixtures import LmsOpener
from tests.support.lms import LmsSession
from tests.test_quiz_browser import allow_axe
from tests.test_scorm_runtime import resume_with

POOLED = Path(__file__).resolve().parent / "roots" / "pooled-quiz"

#: a small seeded generator (mulberry32) as the page's random source: a test's draws are fixed
_SEEDED_RANDOM = """window.SrmRandom = (function (seed) {
  return function () {
    seed = (seed + 0x6D2B79F5) | 0;
    var t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
})(%d);"""

#: the questions shown, in page order: [id, its number text]
_SHOWN_JS = """list => [...list.querySelectorAll('li.question')].filter(e => !e.hidden)
  .map(e => [e.dataset.question, e.querySelector('[data-question-number]').textContent])"""


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(POOLED).course


@pytest.fixture(scope="module")
def sites(tmp_path_factory, course) -> dict[str, Path]:
    return write_sites(course, tmp_path_factory.mktemp("pooled"))


def quiz_of(course: Course) -> Quiz:
    (quiz,) = course.quizzes
    return quiz


def seed(offline_page: OfflinePage, value: int) -> None:
    """The page's random source from now on (a later seed's script runs last and wins)."""
    offline_page.page.add_init_script(_SEEDED_RANDOM % value)


def launch(lms: LmsOpener, sites, version: str, **kwargs: Any) -> LmsSession:
    session = lms(sites[RUNTIME[version]], version=version, **kwargs)
    expect(session.frame_locator.locator("html.quiz-ready")).to_have_count(1)
    return session


def shown(root: Page | FrameLocator, quiz: Quiz) -> list[Question]:
    """The questions the page asks, in the order shown; checks that they are numbered 1 to N
    among themselves and that they are a draw the quiz can make."""
    rows = root.locator("ol.questions").evaluate(_SHOWN_JS)
    by_id = {q.id: q for q in quiz.questions}
    asked = [by_id[qid] for qid, _ in rows]
    assert [number for _, number in rows] == [f"Question {n} of {quiz.asked}" for n in range(1, len(rows) + 1)]
    ids = {q.id for q in asked}
    assert len(ids) == len(asked) == quiz.asked
    assert {q.id for q in quiz.always_asked} <= ids
    for group in quiz.groups:
        assert len(ids & set(group.question_ids)) == group.pick, group.id
    return asked


def answer_as(root: Page | FrameLocator, question: Question, right: bool) -> None:
    answer(root, question, right_choices(question) if right else wrong_choices(question))


def score_over_asked(asked: list[Question], right: list[bool], quiz: Quiz) -> float:
    earned = sum(q.points for q, ok in zip(asked, right, strict=True) if ok)
    assert sum(q.points for q in asked) == quiz.points
    return round(earned * 100 / quiz.points, 2)


# ------------------------------------------------------------------ the draw
@pytest.mark.parametrize("version", VERSIONS)
def test_each_fresh_attempt_draws_from_the_groups_and_counts_the_questions_asked(
        lms, offline_page, sites, course, version):
    quiz = quiz_of(course)
    seed(offline_page, 3)
    first = launch(lms, sites, version)
    frame = first.frame_locator
    drawn = shown(frame, quiz)
    # the questions not drawn are in the page but hidden
    for question in quiz.questions:
        box = expect(question_box(frame, question))
        if question in drawn:
            box.to_be_visible()
        else:
            box.to_be_hidden()
    expect(frame.locator(".quiz-meta")).to_contain_text("4 questions · 5 points")
    assert progress_text(frame) == progress_line(0, 4, "0", done=False)
    # the draw is saved at once, as the order shown (indexes in the quiz)
    state = first.cmi()["suspend_data"].split("|")
    assert state[3] == ".".join(str(quiz.questions.index(q)) for q in drawn)
    first.assert_clean()

    # a new LMS attempt (no saved state) draws again: another seed, another draw
    seed(offline_page, 8)
    second = launch(lms, sites, version)
    again = shown(second.frame_locator, quiz)
    assert {q.id for q in again} != {q.id for q in drawn}
    second.assert_clean()


def test_the_product_draws_with_math_random(offline_page, sites, course):
    """Without a seeded source the page still draws a valid attempt (Math.random)."""
    offline_page.open(sites["none"])
    shown(offline_page.page, quiz_of(course))
    assert offline_page.page_errors == []


# ------------------------------------------------------------------ score, interactions, resume
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("all_right", [True, False], ids=["right", "wrong"])
def test_the_lms_scores_and_records_only_the_questions_asked(lms, offline_page, sites, course, version, all_right):
    quiz = quiz_of(course)
    seed(offline_page, 3)
    session = launch(lms, sites, version)
    frame = session.frame_locator
    asked = shown(frame, quiz)
    for question in asked:
        answer_as(frame, question, all_right)
    session.wait_until_finished()
    session.assert_clean()
    score = score_over_asked(asked, [all_right] * len(asked), quiz)
    assert score == (100 if all_right else 0)
    check_score(version, session, score, passed=all_right)
    assert [item["id"] for item in interactions(session.cmi())] == [
        interaction_id(course.lessons[0], q) for q in asked]
    expect(frame.locator("[data-score-points]")).to_have_text(f"{5 if all_right else 0} of 5 points")
    assert progress_text(frame) == progress_line(4 if all_right else 0, 4, "100" if all_right else "0", done=True)


@pytest.mark.parametrize("version", VERSIONS)
def test_resume_keeps_the_draw_the_order_and_the_answers(lms, offline_page, sites, course, version):
    quiz = quiz_of(course)
    # what seed 5 draws afresh: the relaunch below runs with it, so a redraw would show that
    seed(offline_page, 5)
    redrawn = shown(launch(lms, sites, version).frame_locator, quiz)
    seed(offline_page, 4)
    first = launch(lms, sites, version)
    asked = shown(first.frame_locator, quiz)
    assert {q.id for q in asked} != {q.id for q in redrawn}
    right = [True, False, True, True]
    answer_as(first.frame_locator, asked[0], right[0])
    answer_as(first.frame_locator, asked[1], right[1])
    checked = [question_box(first.frame_locator, q).locator("input:checked").get_attribute("value")
               for q in asked[:2]]
    choice_orders = [question_box(first.frame_locator, q).locator("input[data-choice]").evaluate_all(
        "els => els.map(e => e.value)") for q in asked]
    first.unload_sco()
    first.assert_clean(left=True)

    # seed 5 again: what comes back is the saved draw, not seed 5's
    seed(offline_page, 5)
    again = launch(lms, sites, version, initial_cmi=first.next_launch_cmi())
    frame = again.frame_locator
    assert shown(frame, quiz) == asked
    for question, order in zip(asked, choice_orders, strict=True):
        assert question_box(frame, question).locator("input[data-choice]").evaluate_all(
            "els => els.map(e => e.value)") == order
    for question, value in zip(asked[:2], checked, strict=True):
        assert question_box(frame, question).locator("input:checked").get_attribute("value") == value
    assert progress_text(frame) == progress_line(1, 4, "25", done=False)
    expect(frame.locator("#srm-resume")).to_be_visible()

    for question, is_right in zip(asked[2:], right[2:], strict=True):
        answer_as(frame, question, is_right)
    again.wait_until_finished()
    again.assert_clean()
    score = score_over_asked(asked, right, quiz)
    check_score(version, again, score, passed=score >= course.passing_score)
    recorded = [item["id"] for item in interactions(again.cmi())]
    ids = [interaction_id(course.lessons[0], q) for q in asked]
    # 2004 hands the first session's interactions back; 1.2's new session records its own
    assert recorded == (ids if version == "2004" else ids[2:])


# ------------------------------------------------------------------ a saved draw that cannot be
def _state(course: Course, order: list[int], answers: dict[int, str] | None = None) -> str:
    """A saved state of the pooled quiz: ``order`` the indexes asked, ``answers`` by index."""
    count = len(quiz_of(course).questions)
    given = [(answers or {}).get(n, "") for n in range(count)]
    return f"2|{fingerprint(course)}|{','.join(given)}|{'.'.join(map(str, order))}|{',' * (count - 1)}"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_saved_draw_the_groups_cannot_make_starts_afresh(lms, sites, course, version):
    # source order: what-is-a-region (always), four region questions (pick 2), two zone ones (pick 1)
    good = _state(course, [0, 2, 1, 5], {2: "0"})
    session = launch(lms, sites, version, initial_cmi=resume_with(version, good))
    expect(session.frame_locator.locator("#srm-resume")).to_be_visible()
    assert [q.id for q in shown(session.frame_locator, quiz_of(course))] == [
        "what-is-a-region", "region-choice", "region-scope", "zone-power"]
    assert progress_text(session.frame_locator) == progress_line(1, 4, "25", done=False)
    bad = {
        "the question in no group left out": _state(course, [2, 1, 5]),
        "three of a pick-2 group": _state(course, [0, 1, 2, 3, 5]),
        "none of a pick-1 group": _state(course, [0, 1, 2]),
        "twice the same": _state(course, [0, 1, 1, 5]),
        "past the last question": _state(course, [0, 1, 2, 7]),
        "no draw saved": _state(course, []),
        "an answer to a question not asked": _state(course, [0, 1, 2, 5], {3: "0"}),
        "not a number": _state(course, [0, 1, 2, 5]).replace("0.1.2.5", "0.1.2.x"),
    }
    for why, state in bad.items():
        session = launch(lms, sites, version, initial_cmi=resume_with(version, state))
        frame = session.frame_locator
        assert frame.locator("#srm-resume").is_hidden(), why
        assert progress_text(frame) == progress_line(0, 4, "0", done=False), why
        shown(frame, quiz_of(course))  # a fresh, valid draw
        session.assert_clean()


# ------------------------------------------------------------------ the html site
def test_try_again_draws_again_on_the_html_site(offline_page, sites, course):
    quiz = quiz_of(course)
    seed(offline_page, 6)
    offline_page.open(sites["none"])
    page = offline_page.page
    expect(page.locator("html.quiz-ready")).to_have_count(1)
    first = shown(page, quiz)
    right = [True, True, False, True]
    for question, is_right in zip(first, right, strict=True):
        answer_as(page, question, is_right)
    score = score_over_asked(first, right, quiz)
    expect(page.locator("[data-score-percent]")).to_have_text(f"{int(score)}%")
    earned = sum(q.points for q, ok in zip(first, right, strict=True) if ok)
    expect(page.locator("[data-score-points]")).to_have_text(f"{earned} of 5 points")
    assert progress_text(page) == progress_line(3, 4, "75", done=True)
    page.get_by_role("button", name="Try again").click()
    second = shown(page, quiz)
    assert {q.id for q in second} != {q.id for q in first}
    assert progress_text(page) == progress_line(0, 4, "0", done=False)
    expect(page.locator("[data-result]")).to_be_hidden()
    for question in second:  # the new draw is unanswered, the old one's answers are gone
        expect(question_box(page, question).locator("input:checked")).to_have_count(0)
    assert offline_page.page_errors == []


def test_a_pooled_page_has_no_axe_violations(offline_page, sites, course):
    allow_axe(offline_page)
    seed(offline_page, 7)
    offline_page.open(sites["none"])
    page = offline_page.page
    expect(page.locator("html.quiz-ready")).to_have_count(1)
    asked = shown(page, quiz_of(course))
    answer_as(page, asked[0], True)
    answer_as(page, asked[1], False)
    violations = run_axe(page)
    assert not violations, format_violations(violations)
