"""The simulated LMS (srm_package/preview/static/lms.js) answers as the SCORM run-time
references say a strict LMS does: each refused call with its error code."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from srm_package.preview.server import STATIC_DIR


@pytest.fixture(scope="module")
def lms_page(chromium: Browser) -> Iterator[Page]:
    page = chromium.new_page()
    page.add_script_tag(path=str(STATIC_DIR / "lms.js"))
    yield page
    page.close()


RUN = """([version, calls, mode]) => {
    const Lms = window.SrmPreviewLms;
    const attempt = new Lms.Attempt(version, {masteryScore: 80, scaledPassingScore: "0.8"});
    const session = new Lms.Session(attempt, mode || "normal");
    const api = session.api;
    const names = Lms.VERSIONS[version].fn;
    return calls.map(([fn, ...args]) => {
        const result = api[names[fn]](...args);
        return [result, api[names.lastError]()];
    });
}"""


def run(page: Page, version: str, calls: list[list[str]], mode: str = "normal") -> list[list[str]]:
    return page.evaluate(RUN, [version, calls, mode])


INIT = ["initialize", ""]

CASES_12 = [
    # (call, expected result, expected error code)
    (["get", "cmi.core.lesson_status"], "", "301"),  # before LMSInitialize
    (INIT, "true", "0"),
    (INIT, "false", "101"),  # twice
    (["get", "cmi.core.student_id"], "learner-1", "0"),
    (["get", "cmi.core.entry"], "ab-initio", "0"),
    (["get", "cmi.student_data.mastery_score"], "80", "0"),
    (["set", "cmi.core.entry", "resume"], "false", "403"),  # read-only
    (["get", "cmi.core.exit"], "", "404"),  # write-only
    (["set", "cmi.core._children", "x"], "false", "402"),  # keyword
    (["get", "cmi.core.lesson_status._children"], "", "202"),  # an element without children
    (["get", "cmi.core.nothing._children"], "", "201"),
    (["get", "cmi.core.score._children"], "raw,min,max", "0"),
    (["get", "cmi.core._count"], "", "203"),
    (["get", "cmi.core.student_id._count"], "", "203"),
    (["get", "cmi.no_such_thing"], "", "201"),
    (["set", "cmi.core.lesson_status", "not attempted"], "false", "405"),
    (["set", "cmi.core.lesson_status", "done"], "false", "405"),
    (["set", "cmi.core.lesson_status", "incomplete"], "true", "0"),
    (["set", "cmi.core.score.raw", "101"], "false", "405"),
    (["set", "cmi.core.score.raw", "66.5"], "true", "0"),
    (["set", "cmi.core.session_time", "1:00:00"], "false", "405"),
    (["set", "cmi.core.session_time", "0001:02:03.5"], "true", "0"),
    (["set", "cmi.suspend_data", "x" * 4097], "false", "405"),  # CMIString4096
    (["set", "cmi.interactions.1.id", "q1"], "false", "201"),  # skips index 0
    (["set", "cmi.interactions.0.id", "has space"], "false", "405"),
    (["set", "cmi.interactions.0.id", "q1"], "true", "0"),
    (["get", "cmi.interactions._count"], "1", "0"),
    (["get", "cmi.interactions.0.id"], "", "404"),  # interactions are write-only in 1.2
    (["set", "cmi.interactions.0.type", "choice"], "true", "0"),
    (["set", "cmi.interactions.0.student_response", "a,B"], "false", "405"),
    (["set", "cmi.interactions.0.student_response", "a,b"], "true", "0"),
    (["set", "cmi.interactions.0.result", "incorrect"], "false", "405"),  # 2004's word
    (["set", "cmi.interactions.0.result", "wrong"], "true", "0"),
    (["commit", "x"], "false", "201"),
    (["commit", ""], "true", "0"),
    (["terminate", ""], "true", "0"),
    (["get", "cmi.core.lesson_status"], "", "301"),  # after LMSFinish
]

CASES_2004 = [
    (["get", "cmi.location"], "", "122"),
    (["terminate", ""], "false", "112"),
    (INIT, "true", "0"),
    (INIT, "false", "103"),
    (["get", "cmi._version"], "1.0", "0"),
    (["get", "cmi.location"], "", "403"),  # not initialized yet
    (["get", "cmi.scaled_passing_score"], "0.8", "0"),
    (["set", "cmi.mode", "review"], "false", "404"),
    (["get", "cmi.exit"], "", "405"),
    (["get", "cmi.core.lesson_status"], "", "401"),  # a 1.2 element
    (["set", "cmi.completion_status", "done"], "false", "406"),
    (["set", "cmi.score.scaled", "1.5"], "false", "407"),
    (["set", "cmi.progress_measure", "-0.1"], "false", "407"),
    (["set", "cmi.session_time", "0000:00:05.00"], "false", "406"),  # a 1.2 timespan
    (["set", "cmi.session_time", "PT5.25S"], "true", "0"),
    (["set", "cmi.interactions.0.type", "choice"], "false", "408"),  # id first
    (["set", "cmi.interactions.0.id", "q1"], "true", "0"),
    (["set", "cmi.interactions.0.learner_response", "a"], "false", "408"),  # type first
    (["set", "cmi.interactions.0.type", "choice"], "true", "0"),
    (["set", "cmi.interactions.0.learner_response", "a[,]a"], "false", "406"),  # not unique
    (["set", "cmi.interactions.0.learner_response", "a[,]b"], "true", "0"),
    (["get", "cmi.interactions.0.learner_response"], "a[,]b", "0"),
    (["get", "cmi.interactions.3.id"], "", "301"),
    (["set", "cmi.interactions.2.id", "q3"], "false", "351"),
    (["set", "cmi.interactions.0.result", "wrong"], "false", "406"),
    (["set", "cmi.interactions.0.timestamp", "2026-12-03T10:00:00.000Z"], "false", "406"),
    (["set", "cmi.interactions.0.timestamp", "2026-12-03T10:00:00"], "true", "0"),
    (["set", "cmi.interactions.0.correct_responses.0.pattern", "a[,]c"], "true", "0"),
    (["set", "cmi.interactions.0.correct_responses.1.pattern", "a[,]c"], "false", "351"),  # a duplicate
    (["set", "cmi.interactions._count", "3"], "false", "404"),
    (["set", "cmi.score.scaled", "0.9"], "true", "0"),
    (["get", "cmi.success_status"], "passed", "0"),  # the LMS decides from scaled_passing_score
    (["terminate", ""], "true", "0"),
    (["terminate", ""], "false", "113"),
    (["set", "cmi.location", "x"], "false", "133"),
    (["commit", ""], "false", "143"),
]


@pytest.mark.parametrize(("version", "cases"), [("1.2", CASES_12), ("2004", CASES_2004)])
def test_the_api_accepts_and_refuses_as_the_reference_says(lms_page: Page, version: str, cases) -> None:
    answers = run(lms_page, version, [call for call, _, _ in cases])
    for (call, result, code), answer in zip(cases, answers, strict=True):
        assert answer == [result, code], f"{call[:2]}: got {answer}, expected {[result, code]}"


@pytest.mark.parametrize(("version", "type_", "good", "bad"), [
    ("2004", "true-false", "true", "yes"),
    ("2004", "fill-in", "{lang=en}cloud[,]{lang=de}Wolke", "{lang=no such}x"),
    ("2004", "numeric", "12.5", "twelve"),
    ("2004", "matching", "a[.]b[,]c[.]d", "a[.]"),
    ("2004", "sequencing", "c[,]a[,]b", ""),
    ("2004", "likert", "agree", "agree[,]disagree"),
    ("1.2", "true-false", "t", "true"),
    ("1.2", "matching", "a.b,c.d", "a-b"),
    ("1.2", "numeric", "12.5", "12,5"),
    ("1.2", "sequencing", "c,a,b", "ca b"),
])
def test_responses_are_checked_by_interaction_type(lms_page: Page, version: str, type_: str, good: str,
                                                   bad: str) -> None:
    field = "student_response" if version == "1.2" else "learner_response"
    calls = [INIT, ["set", "cmi.interactions.0.id", "q1"], ["set", "cmi.interactions.0.type", type_],
             ["set", f"cmi.interactions.0.{field}", good], ["set", f"cmi.interactions.0.{field}", bad]]
    answers = run(lms_page, version, calls)
    assert answers[3] == ["true", "0"]
    assert answers[4] == ["false", "405" if version == "1.2" else "406"]


def test_2004_numeric_pattern_is_a_range(lms_page: Page) -> None:
    calls = [INIT, ["set", "cmi.interactions.0.id", "q1"], ["set", "cmi.interactions.0.type", "numeric"],
             ["set", "cmi.interactions.0.correct_responses.0.pattern", "1.5[:]2.5"],
             ["set", "cmi.interactions.0.correct_responses.1.pattern", "3[:]1"]]
    assert run(lms_page, "2004", calls)[3:] == [["true", "0"], ["false", "406"]]


def test_suspend_data_beyond_what_every_2004_lms_keeps_is_flagged(lms_page: Page) -> None:
    diagnostic = lms_page.evaluate("""() => {
        const Lms = window.SrmPreviewLms;
        const api = new Lms.Session(new Lms.Attempt("2004", {masteryScore: null, scaledPassingScore: null})).api;
        api.Initialize("");
        api.SetValue("cmi.suspend_data", "x".repeat(64001));
        return [api.GetLastError(), api.GetDiagnostic("")];
    }""")
    assert diagnostic[0] == "0" and "64000" in diagnostic[1]


def test_resume_and_mastery_follow_the_1_2_rules(lms_page: Page) -> None:
    result = lms_page.evaluate("""() => {
        const Lms = window.SrmPreviewLms;
        const attempt = new Lms.Attempt("1.2", {masteryScore: 80, scaledPassingScore: null});
        let api = new Lms.Session(attempt).api;
        api.LMSInitialize("");
        api.LMSSetValue("cmi.suspend_data", "state");
        api.LMSSetValue("cmi.core.lesson_location", "q-3");
        api.LMSSetValue("cmi.core.score.raw", "50");
        api.LMSSetValue("cmi.core.lesson_status", "completed");
        api.LMSSetValue("cmi.core.session_time", "0000:01:00");
        api.LMSSetValue("cmi.core.exit", "suspend");
        api.LMSFinish("");
        api = new Lms.Session(attempt).api;
        api.LMSInitialize("");
        return [api.LMSGetValue("cmi.core.entry"), api.LMSGetValue("cmi.suspend_data"),
                api.LMSGetValue("cmi.core.lesson_location"), api.LMSGetValue("cmi.core.lesson_status"),
                api.LMSGetValue("cmi.core.total_time")];
    }""")
    # mastery score overrides the SCO's status: 50 < 80 is failed
    assert result == ["resume", "state", "q-3", "failed", "0000:01:00.00"]


def test_review_mode_stores_nothing(lms_page: Page) -> None:
    stored = lms_page.evaluate("""() => {
        const Lms = window.SrmPreviewLms;
        const attempt = new Lms.Attempt("2004", {masteryScore: null, scaledPassingScore: null});
        const api = new Lms.Session(attempt, "review").api;
        api.Initialize("");
        const mode = api.GetValue("cmi.mode");
        const credit = api.GetValue("cmi.credit");
        api.SetValue("cmi.location", "x");
        api.Commit("");
        api.Terminate("");
        return [mode, credit, Object.keys(attempt.stored).length];
    }""")
    assert stored == ["review", "no-credit", 0]
