"""The quiz page as a SCO under the real LMS-side runtime (scorm-again, strict) for SCORM 1.2 and
2004: the exact CMI data the LMS holds afterwards, the calls it saw, and resuming.

Formats are checked against Moodle's rules (lms-targets.md §3, §4, §6), which are stricter than
scorm-again; the harness adds those rules to every call (``assert_clean``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from srm_package.markup import inline_text
from srm_package.model import Course, Question, ShufflePolicy
from srm_package.questions.choice import Choices
from srm_package.render import fingerprint, interaction_id
from tests.quiz_courses import (
    big_course,
    course_of,
    kinds_course,
    lesson_of,
    multi_lesson_course,
    no_quiz_course,
    single,
)
from tests.quiz_pages import (
    answer,
    answer_all,
    open_lesson,
    progress_line,
    progress_text,
    question_box,
    right_choices,
    write_site,
    wrong_choices,
)
from tests.support.axe import format_violations, run_axe
from tests.support.fixtures import LmsOpener
from tests.support.lms import LmsSession
from tests.support.paths import AXE_SCRIPT, require_files

VERSIONS = [pytest.param("1.2", id="scorm12"), pytest.param("2004", id="scorm2004")]
RUNTIME = {"1.2": "scorm12", "2004": "scorm2004"}

# what Moodle accepts (lms-targets §3 "Value formats at a glance")
TIMESPAN_12 = re.compile(r"\d{4}:[0-5]\d:[0-5]\d\.\d\d")
STORED_TIMESPAN_12 = re.compile(r"\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?")  # as scorm-again keeps it
CLOCK_12 = re.compile(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d")
DURATION_2004 = re.compile(r"PT(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?")
TIMESTAMP_2004 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
SUSPEND_DATA_LIMIT_12 = 4096


def many_choices_course() -> Course:
    """Answers at positions 10 and 11, which the saved state writes as one base-36 digit each;
    choices shuffled, so their saved orders hold such digits too."""
    far_single = single("far-single", "basics", right=11, choices=12)
    twelve = single("far-many", "details", choices=12).response.choices
    far_many = replace(
        single("far-many", "details", choices=12),
        response=Choices("multiple", tuple(replace(choice, correct=n in (10, 11)) for n, choice in enumerate(twelve))),
    )
    questions = (far_single, far_many, single("near", "basics"))
    return course_of(lesson_of("far", 1, questions, shuffle=ShufflePolicy(choices=True)))


def base36(number: int) -> str:
    """One answer position as the saved state writes it (quiz.js: a base-36 digit)."""
    return "0123456789abcdefghijklmnopqrstuvwxyz"[number]


def thirds_course() -> Course:
    """Three one-point questions: two right gives 66.67%, a score with decimals."""
    return course_of(lesson_of("thirds", 1, tuple(single(f"third-{n}", "basics") for n in range(3))))


@pytest.fixture(scope="module")
def scos(tmp_path_factory, seed_course) -> dict[tuple[str, str], Path]:
    root = tmp_path_factory.mktemp("scos")
    courses = {
        "seed": seed_course,
        "kinds": kinds_course(),
        "shuffled": kinds_course(shuffle=True),
        "reading": no_quiz_course(),
        "big": big_course(50),
        "multi": multi_lesson_course(),
        "thirds": thirds_course(),
        "far": many_choices_course(),
    }
    return {
        (name, version): write_site(course, RUNTIME[version], root / f"{name}-{RUNTIME[version]}")
        for name, course in courses.items()
        for version in ("1.2", "2004")
    }


def launch(lms: LmsOpener, scos, name: str, version: str, **kwargs: Any) -> LmsSession:
    session = lms(scos[(name, version)], version=version, **kwargs)
    expect(session.frame_locator.locator("html.quiz-ready")).to_have_count(1)
    return session


def leave_after(lms: LmsOpener, scos, version: str, questions: tuple[Question, ...],
                right: list[bool], name: str = "seed") -> LmsSession:
    """Launch, answer the first questions (right or wrong as given), then leave the SCO."""
    session = launch(lms, scos, name, version)
    answer_all(session.frame_locator, questions[: len(right)], right)
    session.unload_sco()
    return session


def resume_with(version: str, suspend_data: str) -> dict[str, Any]:
    """What an LMS hands a SCO coming back to an attempt that saved ``suspend_data``."""
    cmi: dict[str, Any] = {"suspend_data": suspend_data}
    if version == "1.2":
        cmi["core"] = {"entry": "resume", "lesson_status": "incomplete"}
    else:
        cmi.update(entry="resume", completion_status="incomplete")
    return cmi


def interactions(cmi: dict[str, Any]) -> list[dict[str, Any]]:
    stored = cmi.get("interactions", {})
    return [stored[str(n)] for n in range(len(stored))]


def set_calls(session: LmsSession) -> list[tuple[str, str]]:
    return [
        (str(call.args[0]), str(call.args[1]))
        for call in session.calls()
        if call.method in ("LMSSetValue", "SetValue")
    ]


def method_count(session: LmsSession, *methods: str) -> int:
    return sum(call.method in methods for call in session.calls())


def percent(questions: tuple[Question, ...], right: list[bool]) -> float:
    earned = sum(q.points for q, ok in zip(questions, right, strict=True) if ok)
    return round(earned * 100 / sum(q.points for q in questions), 2)


def raw_text(value: float) -> str:
    return f"{value:g}"


def check_interactions(version: str, course: Course, stored: list[dict[str, Any]],
                       answers: list[tuple[Question, list]], sent: dict[str, str],
                       first_index: int = 0) -> None:
    """Every field of every interaction, as the LMS holds it (latency as the SCO sent it)."""
    lesson = course.lessons[0]
    assert len(stored) == first_index + len(answers)
    for n, (question, chosen) in enumerate(answers, first_index):
        item = stored[n]
        is_right = sorted(c.id for c in chosen) == sorted(c.id for c in right_choices(question))
        assert item["id"] == interaction_id(lesson, question)
        assert re.fullmatch(r"[A-Za-z0-9_]+", item["id"])
        assert item["type"] == "choice"
        assert item["weighting"] == str(question.points)
        positions = {c.id: "abcdefghijklmnopqrstuvwxyz"[i] for i, c in enumerate(question.response.choices)}
        chosen_ids = [c.id for c in question.response.choices if c in chosen]
        right_ids = [c.id for c in right_choices(question)]
        latency = sent[f"cmi.interactions.{n}.latency"]
        if version == "1.2":
            assert item["student_response"] == ",".join(positions[i] for i in chosen_ids)
            assert item["correct_responses"]["0"]["pattern"] == ",".join(positions[i] for i in right_ids)
            assert item["result"] == ("correct" if is_right else "wrong")
            assert CLOCK_12.fullmatch(item["time"])
            assert TIMESPAN_12.fullmatch(latency), latency
        else:
            assert item["learner_response"] == "[,]".join(i.replace("-", "_") for i in chosen_ids)
            assert item["correct_responses"]["0"]["pattern"] == "[,]".join(
                i.replace("-", "_") for i in right_ids
            )
            assert item["result"] == ("correct" if is_right else "incorrect")
            assert TIMESTAMP_2004.fullmatch(item["timestamp"])
            assert DURATION_2004.fullmatch(latency), latency
            assert item["description"] == inline_text(question.stem)[:250]


def check_result(version: str, session: LmsSession, score: float, passed: bool) -> None:
    cmi = session.cmi()
    sent = session.values_set()
    if version == "1.2":
        assert cmi["core"]["lesson_status"] == ("passed" if passed else "failed")
        assert cmi["core"]["score"] == {"raw": raw_text(score), "min": "0", "max": "100"}
        assert cmi["core"]["exit"] == ""
        assert TIMESPAN_12.fullmatch(sent["cmi.core.session_time"])
    else:
        assert cmi["completion_status"] == "completed"
        assert cmi["success_status"] == ("passed" if passed else "failed")
        assert cmi["score"] == {
            "scaled": raw_text(round(score / 100, 4)), "raw": raw_text(score), "min": "0", "max": "100",
        }
        assert cmi["progress_measure"] == "1"
        assert cmi["exit"] == "normal"
        assert DURATION_2004.fullmatch(sent["cmi.session_time"])


def score_element(version: str) -> str:
    return "cmi.core.score.raw" if version == "1.2" else "cmi.score.raw"


def committed_raw(version: str, commit) -> str:
    score = commit.cmi.get("core", {}).get("score", {}) if version == "1.2" else commit.cmi.get("score", {})
    return score.get("raw", "")


# ------------------------------------------------------------------ a whole attempt
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    "pattern",
    [
        pytest.param([True] * 5, id="all-right"),
        pytest.param([False] * 5, id="all-wrong"),
        pytest.param([True, False, True, True, False], id="mixed"),
    ],
)
def test_attempt_reports_exactly(lms, scos, seed_course, version, pattern):
    session = launch(lms, scos, "seed", version)
    questions = seed_course.lessons[0].quiz.questions
    commits_before = method_count(session, "LMSCommit", "Commit")
    for number, (question, is_right) in enumerate(zip(questions, pattern, strict=True), 1):
        chosen = right_choices(question) if is_right else wrong_choices(question)
        answer(session.frame_locator, question, chosen)
        if number < len(questions):
            # each answer is committed at once, and no score is sent before the last one
            assert method_count(session, "LMSCommit", "Commit") == commits_before + number
            assert score_element(version) not in session.values_set()
    session.wait_until_finished()
    session.assert_clean()

    score = percent(questions, pattern)
    check_result(version, session, score, passed=score >= seed_course.passing_score)
    answers = [
        (q, right_choices(q) if ok else wrong_choices(q)) for q, ok in zip(questions, pattern, strict=True)
    ]
    check_interactions(version, seed_course, interactions(session.cmi()), answers, session.values_set())
    # commit after every answer, the score only in the final one, finish exactly once
    # (the runtime sends one more commit of its own when the session terminates)
    commits = [commit for commit in session.commits() if not commit.terminate]
    assert len(commits) == 1 + len(questions)  # the first launch's state, then one per answer
    assert [committed_raw(version, c) for c in commits[:-1]] == [""] * (len(commits) - 1)
    assert committed_raw(version, commits[-1]) == raw_text(score)
    assert method_count(session, "LMSFinish", "Terminate") == 1
    expect(session.frame_locator.locator("[data-lms-result]")).to_have_text(
        "Your result has been sent to your learning platform."
    )
    # leaving the page afterwards sends nothing more
    calls = len(session.calls())
    session.unload_sco()
    assert len(session.calls()) == calls


@pytest.mark.parametrize("version", VERSIONS)
def test_first_launch_marks_the_attempt_incomplete_with_an_empty_state(lms, scos, version):
    session = launch(lms, scos, "seed", version)
    session.assert_clean()
    sent = set_calls(session)
    status = "cmi.core.lesson_status" if version == "1.2" else "cmi.completion_status"
    assert sent[0] == (status, "incomplete")
    suspend = dict(sent)["cmi.suspend_data"]
    assert suspend.startswith("2|") and suspend != ""
    assert method_count(session, "LMSCommit", "Commit") == 1
    assert not session.finished()


@pytest.mark.parametrize("version", VERSIONS)
def test_question_kinds_and_points(lms, scos, version):
    course = kinds_course()
    session = launch(lms, scos, "kinds", version)
    questions = course.lessons[0].quiz.questions
    pattern = [True, False, True]  # the 2-point multiple-answer question is wrong
    answer_all(session.frame_locator, questions, pattern)
    session.wait_until_finished()
    session.assert_clean()
    score = percent(questions, pattern)
    assert score == 50
    check_result(version, session, score, passed=False)
    answers = [
        (q, right_choices(q) if ok else wrong_choices(q)) for q, ok in zip(questions, pattern, strict=True)
    ]
    check_interactions(version, course, interactions(session.cmi()), answers, session.values_set())
    many = interactions(session.cmi())[1]
    if version == "1.2":
        assert (many["student_response"], many["correct_responses"]["0"]["pattern"]) == ("a,b,c", "a,c")
    else:
        assert many["correct_responses"]["0"]["pattern"] == "first_right[,]second_right"


# ------------------------------------------------------------------ pass mark from the LMS
def test_scorm2004_honours_scaled_passing_score(lms, scos, seed_course):
    session = launch(lms, scos, "seed", "2004", initial_cmi={"scaled_passing_score": "0.5"})
    questions = seed_course.lessons[0].quiz.questions
    answer_all(session.frame_locator, questions, [True, False, True, True, False])
    session.wait_until_finished()
    session.assert_clean()
    check_result("2004", session, 60, passed=True)  # 60% fails the course's 80, passes the LMS's 50
    expect(session.frame_locator.locator("[data-course-verdict]")).to_have_text(
        "Passed: you reached the pass mark of 50%."
    )
    expect(session.frame_locator.locator("[data-pass-mark]")).to_have_text("50%")
    assert session.frame_locator.locator("[data-score-meter]").evaluate("m => [m.value, m.low]") == [60, 50]


def test_scorm12_honours_mastery_score(lms, scos, seed_course):
    session = launch(lms, scos, "seed", "1.2", initial_cmi={"student_data": {"mastery_score": "60"}})
    questions = seed_course.lessons[0].quiz.questions
    answer_all(session.frame_locator, questions, [True, False, True, True, False])
    session.wait_until_finished()
    session.assert_clean()
    check_result("1.2", session, 60, passed=True)


# ------------------------------------------------------------------ resume
def check_suspended(version: str, cmi: dict[str, Any], next_question: Question) -> None:
    """What the LMS holds after a learner left mid-quiz: exit suspend, a session time, the state
    and where to come back to, and no score (it is committed only when the quiz is complete)."""
    if version == "1.2":
        core = cmi["core"]
        assert (core["exit"], core["lesson_status"]) == ("suspend", "incomplete")
        assert core["score"]["raw"] == ""
        assert core["lesson_location"] == f"q-{next_question.id}"
        assert STORED_TIMESPAN_12.fullmatch(core["session_time"]), core["session_time"]
    else:
        assert (cmi["exit"], cmi["completion_status"], cmi["success_status"]) == (
            "suspend", "incomplete", "unknown",
        )
        assert cmi["score"]["raw"] == ""
        assert cmi["location"] == f"q-{next_question.id}"
        assert DURATION_2004.fullmatch(cmi["session_time"]), cmi["session_time"]
    assert 0 < len(cmi["suspend_data"]) < SUSPEND_DATA_LIMIT_12


def check_resumed_after_two_answers(session: LmsSession, questions: tuple[Question, ...]) -> None:
    """The first question (answered right) and the second (wrong) came back locked, with feedback."""
    frame = session.frame_locator
    for question, verdict in ((questions[0], "Correct"), (questions[1], "Incorrect")):
        box = question_box(frame, question)
        expect(box.locator("[data-verdict]:visible")).to_have_text(verdict)
        expect(box.locator("[data-explanation]")).to_be_visible()
        expect(box.locator("input:disabled")).to_have_count(len(question.response.choices) - 1)
    for question in questions[2:]:
        expect(question_box(frame, question).locator("input:disabled")).to_have_count(0)
    assert progress_text(frame) == progress_line(1, 5, "20", done=False)
    note = frame.locator("#srm-resume")
    expect(note).to_be_visible()
    assert note.get_by_role("link").get_attribute("href") == f"#q-{questions[2].id}"


@pytest.mark.parametrize("version", VERSIONS)
def test_leaving_mid_quiz_suspends_and_resume_restores(lms, scos, seed_course, version):
    questions = seed_course.lessons[0].quiz.questions
    first = leave_after(lms, scos, version, questions, [True, False])
    # the pagehide finish is refused (Chromium blocks the LMS's synchronous request while the
    # page goes): what the LMS holds came with the answers
    first.assert_clean(left=True)
    check_suspended(version, first.stored_cmi(), questions[2])
    sent_time = first.values_set()["cmi.core.session_time" if version == "1.2" else "cmi.session_time"]
    assert (TIMESPAN_12 if version == "1.2" else DURATION_2004).fullmatch(sent_time)

    again = launch(lms, scos, "seed", version, initial_cmi=first.next_launch_cmi())
    frame = again.frame_locator
    check_resumed_after_two_answers(again, questions)
    # nothing is re-sent for the restored answers
    assert not [c for c in set_calls(again) if c[0].startswith("cmi.interactions")]

    answer_all(frame, questions[2:], [True, True, True])
    again.wait_until_finished()
    again.assert_clean()
    check_result(version, again, 80, passed=True)
    stored = interactions(again.cmi())
    # 2004 hands interactions back, so new ones follow them; 1.2's are write-only and start at 0
    first_index = 0 if version == "1.2" else 2
    rest = [(q, right_choices(q)) for q in questions[2:]]
    check_interactions(version, seed_course, stored, rest, again.values_set(), first_index=first_index)


@pytest.mark.parametrize("version", VERSIONS)
def test_closing_the_tab_mid_quiz_loses_nothing(lms, offline_page, scos, seed_course, version):
    """Closing the tab: Chromium refuses the LMS's synchronous commit in pagehide and in the
    visibilitychange that comes with closing, so suspend and the session time must be there before."""
    questions = seed_course.lessons[0].quiz.questions
    first = launch(lms, scos, "seed", version)
    answer_all(first.frame_locator, questions[:2], [True, False])
    first.page.close()
    check_suspended(version, first.stored_cmi(), questions[2])
    relaunch = first.next_launch_cmi()
    assert (relaunch["core"] if version == "1.2" else relaunch)["entry"] == "resume"

    offline_page.new_tab()
    again = launch(lms, scos, "seed", version, initial_cmi=relaunch)
    check_resumed_after_two_answers(again, questions)
    again.assert_clean()


@pytest.mark.parametrize("version", VERSIONS)
def test_resume_keeps_the_shuffled_order(lms, scos, version):
    course = kinds_course(shuffle=True)
    questions = course.lessons[0].quiz.questions
    order_js = """els => els.map(q => q.dataset.question + ':' +
        [...q.querySelectorAll('input[data-choice]')].map(i => i.value).join(','))"""
    first = launch(lms, scos, "shuffled", version)
    order = first.frame_locator.locator("li[data-question]").evaluate_all(order_js)
    answer(first.frame_locator, questions[0], right_choices(questions[0]))
    first.unload_sco()
    first.assert_clean(left=True)
    again = launch(lms, scos, "shuffled", version, initial_cmi=first.next_launch_cmi())
    assert again.frame_locator.locator("li[data-question]").evaluate_all(order_js) == order
    again.assert_clean()


@pytest.mark.parametrize("version", VERSIONS)
def test_resume_restores_answers_from_the_eleventh_choice_on(lms, scos, version):
    questions = many_choices_course().lessons[0].quiz.questions
    first = leave_after(lms, scos, version, questions, [True, True], name="far")
    first.assert_clean(left=True)
    again = launch(lms, scos, "far", version, initial_cmi=first.next_launch_cmi())
    frame = again.frame_locator
    for question in questions[:2]:
        box = question_box(frame, question)
        expect(box.locator("[data-verdict]:visible")).to_have_text("Correct")
        checked = box.locator("input:checked").evaluate_all("inputs => inputs.map(i => i.value)")
        assert sorted(checked) == sorted(c.id for c in right_choices(question))
    assert progress_text(frame) == progress_line(2, 3, "66", done=False)
    again.assert_clean()


@pytest.mark.parametrize("version", VERSIONS)
def test_relaunch_after_completion_shows_the_result_and_sends_nothing_new(lms, scos, seed_course, version):
    questions = seed_course.lessons[0].quiz.questions
    first = launch(lms, scos, "seed", version)
    answer_all(first.frame_locator, questions, [True] * 5)
    first.wait_until_finished()
    again = launch(lms, scos, "seed", version, initial_cmi=first.next_launch_cmi())
    frame = again.frame_locator
    expect(frame.locator("[data-result]")).to_be_visible()
    assert frame.locator("[data-score-percent]").inner_text() == "100%"
    sent = [name for name, _ in set_calls(again)]
    assert not [name for name in sent if "score" in name or "interactions" in name or "status" in name]
    again.unload_sco()
    again.assert_clean(left=True)
    cmi = again.stored_cmi()
    status = cmi["core"]["lesson_status"] if version == "1.2" else cmi["success_status"]
    assert status == "passed"
    # a finished attempt is not suspended
    assert (cmi["core"]["exit"] if version == "1.2" else cmi["exit"]) == ("" if version == "1.2" else "normal")


@pytest.mark.parametrize("version", VERSIONS)
def test_relaunch_sends_the_score_a_lost_session_never_sent(lms, scos, seed_course, version):
    """Every answer was saved, but the final commit with the score never reached the LMS."""
    questions = seed_course.lessons[0].quiz.questions
    pattern = [True, False, True, True, False]
    first = launch(lms, scos, "seed", version)
    answer_all(first.frame_locator, questions, pattern)
    first.wait_until_finished()
    saved = first.cmi()["suspend_data"]
    again = launch(lms, scos, "seed", version, initial_cmi=resume_with(version, saved))
    again.wait_until_finished()
    again.assert_clean()
    check_result(version, again, percent(questions, pattern), passed=False)
    assert not [name for name, _ in set_calls(again) if name.startswith("cmi.interactions")]
    expect(again.frame_locator.locator("[data-result]")).to_be_visible()


@pytest.mark.parametrize("version", VERSIONS)
def test_axe_inside_the_lms_frame(lms, offline_page, scos, seed_course, version):
    """WCAG 2.1 AA with what only an LMS brings up: the resume note and the "result sent" line."""
    require_files(AXE_SCRIPT)
    # an init script reaches every frame and is not the page's own code, so the SCO's CSP allows it
    offline_page.page.add_init_script(path=str(AXE_SCRIPT))
    questions = seed_course.lessons[0].quiz.questions
    first = leave_after(lms, scos, version, questions, [True, False])
    again = launch(lms, scos, "seed", version, initial_cmi=first.next_launch_cmi())
    expect(again.frame_locator.locator("#srm-resume")).to_be_visible()
    violations = run_axe(again.frame)
    assert not violations, format_violations(violations)
    answer_all(again.frame_locator, questions[2:], [True, True, True])
    again.wait_until_finished()
    expect(again.frame_locator.locator("[data-lms-result]")).to_be_visible()
    violations = run_axe(again.frame)
    assert not violations, format_violations(violations)


@pytest.mark.parametrize("version", VERSIONS)
def test_new_attempt_overwrites_old_state_with_an_empty_one(lms, scos, seed_course, version):
    questions = seed_course.lessons[0].quiz.questions
    stale = leave_after(lms, scos, version, questions, [True, True, True]).next_launch_cmi()
    if version == "1.2":
        stale["core"]["entry"] = "ab-initio"
    else:
        stale["entry"] = "ab-initio"
        stale.pop("interactions", None)
    again = launch(lms, scos, "seed", version, initial_cmi=stale)
    assert progress_text(again.frame_locator) == progress_line(0, 5, "0", done=False)
    state = dict(set_calls(again))["cmi.suspend_data"]
    assert state != "" and state.split("|")[2] == ",,,,"
    again.assert_clean()


@pytest.mark.parametrize("version", VERSIONS)
def test_damaged_or_foreign_state_is_ignored(lms, scos, seed_course, version):
    own = fingerprint(seed_course)
    first = seed_course.lessons[0].quiz.questions[0]
    last_choice = "2|" + own + "|" + base36(len(first.response.choices) - 1) + ",,,,||,,,,"
    one_past_the_last = "2|" + own + "|" + base36(len(first.response.choices)) + ",,,,||,,,,"
    # the state written here is one the page reads: the last choice comes back as the answer
    session = launch(lms, scos, "seed", version, initial_cmi=resume_with(version, last_choice))
    expect(session.frame_locator.locator("#srm-resume")).to_be_visible()
    checked = question_box(session.frame_locator, first).locator("input:checked")
    assert checked.get_attribute("value") == first.response.choices[-1].id
    # the last one is a state the page wrote before the state format changed (version 1)
    for damaged in ("not a state", "2|00000000|0,0,0,0,0||,,,,", "2|" + "x" * 20, one_past_the_last,
                    f"1|{own}|0,0,0,0,0||,,,,"):
        session = launch(lms, scos, "seed", version, initial_cmi=resume_with(version, damaged))
        assert progress_text(session.frame_locator) == progress_line(0, 5, "0", done=False)
        session.assert_clean()
        assert session.frame_locator.locator("#srm-resume").is_hidden()
        expect(session.frame_locator.locator("input:disabled")).to_have_count(0)


def test_fifty_questions_fit_in_scorm12_suspend_data(lms, scos):
    course = big_course(50)
    session = launch(lms, scos, "big", "1.2")
    frame = session.frame_locator
    questions = course.lessons[0].quiz.questions
    for question in questions[:49]:
        question_box(frame, question).locator("input[data-choice]").last.check()
    state = session.cmi()["suspend_data"]
    assert len(state) < SUSPEND_DATA_LIMIT_12
    # the worst case: every question answered with several digits of shuffled order saved
    question_box(frame, questions[49]).locator("input[data-choice]").last.check()
    session.wait_until_finished()
    session.assert_clean()
    state = session.cmi()["suspend_data"]
    assert 0 < len(state) < 1000, len(state)
    assert len(interactions(session.cmi())) == 50


# ------------------------------------------------------------------ reading only, review mode
@pytest.mark.parametrize("version", VERSIONS)
def test_course_without_questions_is_completed(lms, scos, version):
    session = launch(lms, scos, "reading", version)
    session.unload_sco()
    session.assert_clean(left=True)
    cmi = session.stored_cmi()
    if version == "1.2":
        assert cmi["core"]["lesson_status"] == "completed"
        assert cmi["core"]["score"]["raw"] == ""
    else:
        assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "unknown")
    assert method_count(session, "LMSFinish", "Terminate") == 1


@pytest.mark.parametrize("version", VERSIONS)
def test_review_mode_changes_nothing(lms, scos, seed_course, version):
    questions = seed_course.lessons[0].quiz.questions
    cmi = leave_after(lms, scos, version, questions, [True, True]).next_launch_cmi()
    if version == "1.2":
        cmi["core"]["lesson_mode"] = "review"
    else:
        cmi["mode"] = "review"
    again = launch(lms, scos, "seed", version, initial_cmi=cmi)
    frame = again.frame_locator
    expect(frame.locator("#srm-lms-status")).to_have_text("Review mode: your answers are not recorded.")
    assert progress_text(frame) == progress_line(2, 5, "40", done=False)
    answer(frame, questions[2], right_choices(questions[2]))
    again.unload_sco()
    assert set_calls(again) == []
    assert method_count(again, "LMSCommit", "Commit") == 0
    again.assert_clean(left=True)


@pytest.mark.parametrize("version", VERSIONS)
def test_browse_mode_sends_nothing(lms, scos, seed_course, version):
    """Browse (a teacher's preview; Moodle recorded a grade of 100 for one when a score came):
    the page says nothing is recorded and sets nothing, not even at the last answer."""
    questions = seed_course.lessons[0].quiz.questions
    mode = {"core": {"lesson_mode": "browse"}} if version == "1.2" else {"mode": "browse"}
    session = launch(lms, scos, "seed", version, initial_cmi=mode)
    frame = session.frame_locator
    expect(frame.locator("#srm-lms-status")).to_have_text("Browse mode: your answers are not recorded.")
    answer_all(frame, questions, [True] * len(questions))
    expect(frame.locator("[data-result]")).to_be_visible()  # the result is still shown
    expect(frame.locator("[data-lms-result]")).to_be_hidden()
    session.unload_sco()
    assert set_calls(session) == []
    assert method_count(session, "LMSCommit", "Commit") == 0
    session.assert_clean(left=True)


# ------------------------------------------------------------------ nothing lost, nothing broken
def hide_page(session: LmsSession) -> None:
    """The learner switches to another tab: the page becomes hidden while it can still reach the LMS."""
    session.frame.evaluate(
        """() => {
            Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
            document.dispatchEvent(new Event('visibilitychange'));
        }"""
    )


def session_time_of(version: str, cmi: dict[str, Any]) -> str:
    return cmi["core"]["session_time"] if version == "1.2" else cmi["session_time"]


def commit_failure(version: str) -> str:
    """The LMS's code for a commit that did not reach its server (scorm-again's, as in Moodle)."""
    return "101" if version == "1.2" else "391"


def status_line(session: LmsSession):
    return session.frame_locator.locator("#srm-lms-status")


def template_text(session: LmsSession, variant: str, **values: str) -> str:
    """A learner text of the LMS status line as the template holds it, with values filled in."""
    text = status_line(session).get_attribute(f"data-template-{variant}")
    assert text, variant
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


@pytest.mark.parametrize("version", VERSIONS)
def test_hidden_page_saves_the_session_time_and_suspend(lms, scos, version):
    session = launch(lms, scos, "seed", version)
    before = method_count(session, "LMSCommit", "Commit")
    hide_page(session)
    assert method_count(session, "LMSCommit", "Commit") == before + 1
    assert not session.finished()
    stored = session.stored_cmi()
    assert (stored["core"]["exit"] if version == "1.2" else stored["exit"]) == "suspend"
    assert session_time_of(version, stored) == session_time_of(version, session.cmi())
    session.assert_clean()


@pytest.mark.parametrize("version", VERSIONS)
def test_initialize_refused_says_results_are_not_recorded(lms, offline_page, scos, seed_course, version):
    require_files(AXE_SCRIPT)
    offline_page.page.add_init_script(path=str(AXE_SCRIPT))
    session = launch(lms, scos, "seed", version, api_already_finished=True)
    status = status_line(session)
    expect(status).to_have_text(
        "Your learning platform did not accept this session, so your results will not be recorded. "
        "Close this activity and open it again to try once more."
    )
    expect(status).to_have_class(re.compile(r"\bis-problem\b"))
    violations = run_axe(session.frame)
    assert not violations, format_violations(violations)
    questions = seed_course.lessons[0].quiz.questions
    answer_all(session.frame_locator, questions, [True] * len(questions))
    assert progress_text(session.frame_locator) == progress_line(5, 5, "100", done=True)
    expect(session.frame_locator.locator("[data-lms-result]")).to_be_hidden()
    # the SCO tried once and then left the LMS alone
    assert [call.method for call in session.calls() if call.failed] == [
        "LMSInitialize" if version == "1.2" else "Initialize"
    ]
    assert method_count(session, "LMSSetValue", "SetValue", "LMSCommit", "Commit") == 0
    assert session.delivered_commits() == []


CLOCK_START = datetime(2026, 3, 2, 9, 0, 0)


def launch_with_paused_timers(lms: LmsOpener, offline_page, scos, version: str) -> LmsSession:
    """The seed SCO with the page's clock paused once it has loaded: the commit retries' pauses
    pass at ``clock.run_for`` only, however slow the machine."""
    offline_page.page.clock.install(time=CLOCK_START)
    session = launch(lms, scos, "seed", version)
    session.page.clock.pause_at(CLOCK_START + timedelta(hours=1))
    return session


@pytest.mark.parametrize("version", VERSIONS)
def test_a_failed_commit_is_retried_and_its_message_goes(lms, offline_page, scos, seed_course, version):
    session = launch_with_paused_timers(lms, offline_page, scos, version)
    questions = seed_course.lessons[0].quiz.questions
    delivered = len(session.delivered_commits())
    session.fail_next_commits(2)
    answer(session.frame_locator, questions[0], right_choices(questions[0]))
    status = status_line(session)
    problem = template_text(session, "problem", detail=commit_failure(version))
    expect(status).to_contain_text(problem.split(")")[0])
    assert len(session.delivered_commits()) == delivered
    session.page.clock.run_for(1_000)  # the first retry fails too
    expect(status).to_be_visible()
    session.page.clock.run_for(2_000)  # the second goes through, and the message goes with it
    expect(status).to_be_hidden()
    assert len(session.delivered_commits()) == delivered + 1
    assert interactions(session.stored_cmi())[0]["result"] == "correct"
    attempts = [call for call in session.calls() if call.method in ("LMSCommit", "Commit")]
    assert [call.result for call in attempts[-3:]] == ["false", "false", "true"]
    assert session.problems() == [call for call in attempts if call.failed]

    answer_all(session.frame_locator, questions[1:], [True] * 4)
    session.wait_until_finished()
    check_result(version, session, 100, passed=True)
    expect(session.frame_locator.locator("[data-lms-result]")).to_be_visible()
    expect(status).to_be_hidden()


@pytest.mark.parametrize("version", VERSIONS)
def test_a_failed_score_commit_is_sent_on_a_retry(lms, offline_page, scos, seed_course, version):
    """The last answer's commit (the one with the score) fails once: the session is not finished
    on a failure, the retry sends the score, and "sent" then shows alone."""
    session = launch_with_paused_timers(lms, offline_page, scos, version)
    questions = seed_course.lessons[0].quiz.questions
    answer_all(session.frame_locator, questions[:-1], [True] * 4)
    session.fail_next_commits(1)
    answer(session.frame_locator, questions[-1], right_choices(questions[-1]))
    sent = session.frame_locator.locator("[data-lms-result]")
    expect(status_line(session)).to_be_visible()
    expect(sent).to_be_hidden()
    assert not session.finished()
    assert committed_raw(version, session.delivered_commits()[-1]) == ""  # no score stored yet

    session.page.clock.run_for(1_000)
    expect(sent).to_be_visible()
    expect(status_line(session)).to_be_hidden()
    session.wait_until_finished()
    check_result(version, session, 100, passed=True)
    assert committed_raw(version, session.delivered_commits()[-1]) == "100"
    # back from the browser's page cache after the session ended: say so
    session.frame.evaluate("() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))")
    expect(status_line(session)).to_have_text(template_text(session, "ended"))
    # finished once: leaving afterwards sends nothing
    calls = len(session.calls())
    session.unload_sco()
    assert len(session.calls()) == calls
    assert method_count(session, "LMSFinish", "Terminate") == 1


@pytest.mark.parametrize("version", VERSIONS)
def test_after_the_retries_the_message_stays_until_a_later_save(lms, offline_page, scos, seed_course, version):
    session = launch_with_paused_timers(lms, offline_page, scos, version)
    questions = seed_course.lessons[0].quiz.questions
    session.fail_next_commits(4)  # the answer's commit and its three retries
    answer(session.frame_locator, questions[0], right_choices(questions[0]))
    session.page.clock.run_for(1_000 + 2_000 + 4_000)
    session.page.clock.run_for(60_000)  # no fifth try
    attempts = [call for call in session.calls() if call.method in ("LMSCommit", "Commit")]
    assert [call.result for call in attempts[1:]] == ["false"] * 4
    expect(status_line(session)).to_be_visible()
    answer(session.frame_locator, questions[1], right_choices(questions[1]))
    expect(status_line(session)).to_be_hidden()
    # the later save carried the first answer too
    assert [item["result"] for item in interactions(session.stored_cmi())] == ["correct", "correct"]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    "failure",
    [
        # the LMS starts refusing commits (a lost connection, an expired session...)
        "() => { window[api].lastErrorCode = '101'; return 'false'; }",
        # or a broken LMS script throws
        "() => { window[api].lastErrorCode = '101'; return window.noSuchObject.commit(); }",
    ],
    ids=["refuses", "throws"],
)
def test_lms_errors_are_shown_and_the_quiz_keeps_working(lms, scos, seed_course, version, failure):
    session = launch(lms, scos, "seed", version)
    warnings: list[str] = []
    session.page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    api, commit = ("API", "LMSCommit") if version == "1.2" else ("API_1484_11", "Commit")
    session.page.evaluate(
        f"""([api, commit]) => {{ window[api][commit] = {failure}; }}""",
        [api, commit],
    )
    question = seed_course.lessons[0].quiz.questions[0]
    answer(session.frame_locator, question, right_choices(question))
    status = status_line(session)
    expect(status).to_be_visible()
    if "noSuchObject" in failure:
        # learners get a plain sentence; the script's error stays in the console for whoever debugs
        expect(status).to_have_text(template_text(session, "broken"))
        assert "TypeError" not in status.inner_text()
        assert any("Commit threw: TypeError" in text for text in warnings), warnings
    else:
        assert "problem while saving" in status.inner_text()
        assert "(error 101" in status.inner_text()
    assert question_box(session.frame_locator, question).locator("[data-verdict]:visible").inner_text() == (
        "Correct"
    )
    assert progress_text(session.frame_locator).startswith("Progress: 1/5 correct (20%).")


@pytest.mark.parametrize("version", VERSIONS)
def test_api_is_found_from_a_nested_frame(lms, scos, seed_course, version, tmp_path):
    wrapper = tmp_path / "wrapper"
    write_site(seed_course, RUNTIME[version], wrapper / "content")
    (wrapper / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Wrapper</title></head>'
        '<body><iframe id="inner" title="Lesson" src="content/index.html" width="1000" height="700"></iframe></body></html>',
        encoding="utf-8",
    )
    session = lms(wrapper, version=version)
    inner = session.frame_locator.frame_locator("#inner")
    expect(inner.locator("html.quiz-ready")).to_have_count(1)
    answer_all(inner, seed_course.lessons[0].quiz.questions, [True] * 5)
    session.wait_until_finished()
    session.assert_clean()
    check_result(version, session, 100, passed=True)


# ------------------------------------------------------------------ several quizzes, decimals
@pytest.mark.parametrize("version", VERSIONS)
def test_several_quizzes_make_one_score(lms, scos, version):
    course = multi_lesson_course()
    first_quiz, second_quiz = (lesson.quiz for lesson in course.lessons if lesson.quiz)
    session = launch(lms, scos, "multi", version)
    frame = session.frame_locator
    answer_all(frame, first_quiz.questions, [True, True])
    # one quiz done: its result shows, but the course score waits for the other quiz
    expect(frame.locator(f"#quiz-{first_quiz.id}--result")).to_be_visible()
    assert score_element(version) not in session.values_set()
    expect(frame.locator("#srm-course-result")).to_be_hidden()
    open_lesson(frame, "second")  # one lesson is shown at a time
    answer_all(frame, second_quiz.questions, [False])
    session.wait_until_finished()
    session.assert_clean()
    check_result(version, session, 40, passed=False)  # 2 of 5 points: the 3-point question was missed
    expect(frame.locator("#srm-course-result")).to_be_visible()
    expect(frame.locator("[data-course-score]")).to_have_text("Course score: 40% (2 of 5 points).")
    ids = [item["id"] for item in interactions(session.cmi())]
    assert ids == ["first__first_q1", "first__first_q2", "second__second_q1"]


@pytest.mark.parametrize("version", VERSIONS)
def test_score_with_decimals(lms, scos, version):
    questions = thirds_course().lessons[0].quiz.questions
    session = launch(lms, scos, "thirds", version)
    answer_all(session.frame_locator, questions, [True, False, True])
    session.wait_until_finished()
    session.assert_clean()
    check_result(version, session, 66.67, passed=False)
    # the LMS gets two decimals; the learner reads a whole number, rounded down
    expect(session.frame_locator.locator("[data-score-percent]")).to_have_text("66%")


def test_time_formats(offline_page, scos):
    """The adapter's formats at their edges, against Moodle's patterns."""
    offline_page.open(scos[("seed", "1.2")])
    results = offline_page.page.evaluate(
        """() => {
            const f = window.SrmScormRuntime.formats;
            const spans = [0, 4, 5, 12500, 59996, 61000, 3600000, 3723450, 36000000000];
            return {
                timespan12: spans.map(f.timespan12),
                duration2004: spans.map(f.duration2004),
                clock12: f.clock12(new Date(2026, 0, 2, 3, 4, 5, 678)),
                timestamp2004: f.timestamp2004(new Date(2026, 0, 2, 3, 4, 5, 678)),
                decimals: [f.decimal(200 / 3, 2), f.decimal(0.6667, 4), f.decimal(100, 2), f.decimal(0.29 * 100, 2)],
            };
        }"""
    )
    assert results["timespan12"] == [
        "0000:00:00.00", "0000:00:00.00", "0000:00:00.01", "0000:00:12.50", "0000:01:00.00",
        "0000:01:01.00", "0001:00:00.00", "0001:02:03.45", "9999:00:00.00",
    ]
    assert all(TIMESPAN_12.fullmatch(value) for value in results["timespan12"])
    assert results["duration2004"] == [
        "PT0S", "PT0S", "PT0.01S", "PT12.5S", "PT1M", "PT1M1S", "PT1H", "PT1H2M3.45S", "PT10000H",
    ]
    assert all(DURATION_2004.fullmatch(value) for value in results["duration2004"])
    assert results["clock12"] == "03:04:05"
    assert results["timestamp2004"] == "2026-01-02T03:04:05"
    assert results["decimals"] == ["66.67", "0.6667", "100", "29"]


@pytest.mark.parametrize("version", VERSIONS)
def test_api_is_found_from_a_popup(lms, offline_page, scos, seed_course, version, tmp_path):
    """An LMS that launches the SCO in a new window: the API is in window.top.opener."""
    blank = tmp_path / "blank"
    blank.mkdir()
    (blank / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Player</title></head></html>',
        encoding="utf-8",
    )
    session = lms(blank, version=version)
    url = offline_page.serve(scos[("seed", version)]) + "index.html"
    with session.page.context.expect_page() as opened:
        session.page.evaluate("url => { window.open(url, 'sco-window'); }", url)
    popup = opened.value
    expect(popup.locator("html.quiz-ready")).to_have_count(1)
    expect(popup.locator("#srm-lms-status")).to_be_hidden()
    answer_all(popup, seed_course.lessons[0].quiz.questions, [True] * 5)
    session.wait_until_finished()
    session.assert_clean()
    check_result(version, session, 100, passed=True)
