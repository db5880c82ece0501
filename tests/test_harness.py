"""Proof that the browser test harness is real: a tiny hand-written SCO runs under scorm-again in
headless Chromium, and the LMS side holds exactly what it sent; axe and vnu find real faults.

The SCOs here are written by these tests only; they are not the project's generated pages.
"""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.axe import format_violations, run_axe
from tests.support.browser import OfflinePage
from tests.support.fixtures import LmsOpener
from tests.support.lms import LmsSession, ScormVersion, next_launch_cmi
from tests.support.server import StaticServer
from tests.support.vnu import run_vnu

# The runtime calls each version uses, and the values its quiz SCO reports.
_SCO_API = {
    "1.2": {
        "apiName": "API",
        "init": "LMSInitialize",
        "finish": "LMSFinish",
        "get": "LMSGetValue",
        "set": "LMSSetValue",
        "commit": "LMSCommit",
        "entry": "cmi.core.entry",
        "location": "cmi.core.lesson_location",
    },
    "2004": {
        "apiName": "API_1484_11",
        "init": "Initialize",
        "finish": "Terminate",
        "get": "GetValue",
        "set": "SetValue",
        "commit": "Commit",
        "entry": "cmi.entry",
        "location": "cmi.location",
    },
}

# A one-question SCO: restores its answer on resume, reports on Submit, suspends on
# "Save and exit", and finishes from pagehide if the learner leaves without either.
_QUIZ_SCO = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tiny quiz</title>
</head>
<body>
<main>
<h1>Tiny quiz</h1>
<fieldset>
<legend>What is 2 + 2?</legend>
<label><input type="radio" name="q1" value="a"> 3</label>
<label><input type="radio" name="q1" value="b"> 4</label>
</fieldset>
<button type="button" id="submit">Submit</button>
<button type="button" id="save">Save and exit</button>
<p id="status" role="status"></p>
</main>
<script>
"use strict";
const NAMES = __NAMES__;
const REPORTS = __REPORTS__;
function findApi(win) {
  for (let depth = 0; win && depth < 10; depth += 1) {
    if (win[NAMES.apiName]) { return win[NAMES.apiName]; }
    if (win.parent === win) { break; }
    win = win.parent;
  }
  return null;
}
const api = findApi(window);
let done = false;
api[NAMES.init]("");
REPORTS.start.forEach(([element, value]) => api[NAMES.set](element, value));
const entry = api[NAMES.get](NAMES.entry);
if (entry === "resume") {
  const saved = JSON.parse(api[NAMES.get]("cmi.suspend_data"));
  document.querySelector(`input[name=q1][value=${saved.q1}]`).checked = true;
}
document.getElementById("status").textContent =
  `Entry: ${entry || "(none)"}; location: ${api[NAMES.get](NAMES.location) || "(none)"}`;
function finish(steps) {
  if (done) { return; }
  done = true;
  steps.forEach(([element, value]) => api[NAMES.set](element, value));
  api[NAMES.commit]("");
  api[NAMES.finish]("");
}
function chosen() {
  const input = document.querySelector("input[name=q1]:checked");
  return input ? input.value : "";
}
document.getElementById("submit").addEventListener("click", () => {
  const answer = chosen();
  finish(REPORTS.submit[answer === "b" ? "right" : "wrong"]
    .map(([element, value]) => [element, value.replace("{answer}", answer)]));
  document.getElementById("status").textContent = "Submitted";
});
document.getElementById("save").addEventListener("click", () => {
  finish(REPORTS.suspend.map(([element, value]) =>
    [element, value.replace("{state}", JSON.stringify({ q1: chosen() }))]));
});
window.addEventListener("pagehide", () => finish(REPORTS.leave));
</script>
</body>
</html>
"""

_REPORTS: dict[str, dict[str, Any]] = {
    "1.2": {
        "start": [["cmi.core.lesson_status", "incomplete"]],
        "submit": {
            outcome: [
                ["cmi.interactions.0.id", "q1"],
                ["cmi.interactions.0.type", "choice"],
                ["cmi.interactions.0.correct_responses.0.pattern", "b"],
                ["cmi.interactions.0.student_response", "{answer}"],
                ["cmi.interactions.0.result", result],
                ["cmi.core.score.min", "0"],
                ["cmi.core.score.max", "100"],
                ["cmi.core.score.raw", raw],
                ["cmi.core.lesson_status", status],
                ["cmi.core.session_time", "0000:00:05.00"],
                ["cmi.core.exit", ""],
            ]
            for outcome, result, raw, status in (
                ("right", "correct", "100", "passed"),
                ("wrong", "wrong", "0", "failed"),
            )
        },
        "suspend": [
            ["cmi.core.lesson_location", "q1"],
            ["cmi.suspend_data", "{state}"],
            ["cmi.core.session_time", "0000:00:03.00"],
            ["cmi.core.exit", "suspend"],
        ],
        "leave": [["cmi.core.exit", "suspend"]],
    },
    "2004": {
        "start": [["cmi.completion_status", "incomplete"]],
        "submit": {
            outcome: [
                ["cmi.interactions.0.id", "q1"],
                ["cmi.interactions.0.type", "choice"],
                ["cmi.interactions.0.correct_responses.0.pattern", "q1_b"],
                ["cmi.interactions.0.learner_response", "q1_{answer}"],
                ["cmi.interactions.0.result", result],
                ["cmi.interactions.0.timestamp", "2026-01-02T03:04:05"],
                ["cmi.score.min", "0"],
                ["cmi.score.max", "100"],
                ["cmi.score.raw", raw],
                ["cmi.score.scaled", scaled],
                ["cmi.success_status", status],
                ["cmi.completion_status", "completed"],
                ["cmi.session_time", "PT5S"],
                ["cmi.exit", "normal"],
            ]
            for outcome, result, raw, scaled, status in (
                ("right", "correct", "100", "1", "passed"),
                ("wrong", "incorrect", "0", "0", "failed"),
            )
        },
        "suspend": [
            ["cmi.location", "q1"],
            ["cmi.suspend_data", "{state}"],
            ["cmi.session_time", "PT3S"],
            ["cmi.exit", "suspend"],
        ],
        "leave": [["cmi.exit", "suspend"]],
    },
}

# A SCO that makes a fixed list of SetValue calls on load and then finishes.
_SCRIPTED_SCO = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Scripted SCO</title></head>
<body>
<p>Scripted</p>
<script>
"use strict";
const NAMES = __NAMES__;
const api = window.parent[NAMES.apiName];
api[NAMES.init]("");
__STEPS__.forEach(([element, value]) => api[NAMES.set](element, value));
if (__FINISH__) { api[NAMES.finish](""); }
__AFTER__.forEach(([element, value]) => api[NAMES.set](element, value));
</script>
</body>
</html>
"""


def write_quiz_sco(directory: Path, version: ScormVersion) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    page = _QUIZ_SCO.replace("__NAMES__", json.dumps(_SCO_API[version])).replace(
        "__REPORTS__", json.dumps(_REPORTS[version])
    )
    (directory / "index.html").write_text(page, encoding="utf-8")
    return directory


def write_scripted_sco(
    directory: Path,
    version: ScormVersion,
    steps: list[tuple[str, str]],
    finish: bool = False,
    after_finish: list[tuple[str, str]] | None = None,
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    page = (
        _SCRIPTED_SCO.replace("__NAMES__", json.dumps(_SCO_API[version]))
        .replace("__STEPS__", json.dumps(steps))
        .replace("__FINISH__", json.dumps(finish))
        .replace("__AFTER__", json.dumps(after_finish or []))
    )
    (directory / "index.html").write_text(page, encoding="utf-8")
    return directory


def _filled(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without empty strings and empty objects, to compare only what was stored."""
    kept: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = _filled(value)
        if value not in ("", {}):
            kept[key] = value
    return kept


def _answer(session: LmsSession, option: str) -> None:
    session.frame_locator.get_by_role("radio", name=option).check()
    session.frame_locator.get_by_role("button", name="Submit").click()
    session.wait_until_finished()


# --- SCORM 1.2 ---------------------------------------------------------------------------


def test_scorm12_lms_holds_exactly_what_the_sco_reported(lms: LmsOpener, tmp_path: Path) -> None:
    session = lms(write_quiz_sco(tmp_path / "sco", "1.2"), version="1.2")
    _answer(session, "4")

    cmi = session.cmi()
    assert cmi["core"]["lesson_status"] == "passed"
    assert cmi["core"]["score"] == {"raw": "100", "min": "0", "max": "100"}
    assert _filled(cmi["interactions"]) == {
        "0": {
            "id": "q1",
            "type": "choice",
            "student_response": "b",
            "result": "correct",
            "correct_responses": {"0": {"pattern": "b"}},
        }
    }
    session.assert_clean()
    assert session.values_set()["cmi.core.score.raw"] == "100"
    assert session.finished()
    methods = [call.method for call in session.calls()]
    assert methods[0] == "LMSInitialize" and methods[-2:] == ["LMSCommit", "LMSFinish"]
    final = session.commits()[-1]
    assert final.terminate and final.cmi["core"]["score"]["raw"] == "100"
    assert final.cmi["core"]["lesson_status"] == "passed"


def test_scorm12_wrong_answer_is_stored_as_failed(lms: LmsOpener, tmp_path: Path) -> None:
    session = lms(write_quiz_sco(tmp_path / "sco", "1.2"), version="1.2")
    _answer(session, "3")
    cmi = session.cmi()
    assert (cmi["core"]["lesson_status"], cmi["core"]["score"]["raw"]) == ("failed", "0")
    assert cmi["interactions"]["0"]["result"] == "wrong"
    session.assert_clean()


def test_scorm12_runtime_rejects_an_invalid_score(lms: LmsOpener, tmp_path: Path) -> None:
    steps = [("cmi.core.score.raw", "abc"), ("cmi.core.score.raw", "150")]
    session = lms(write_scripted_sco(tmp_path / "sco", "1.2", steps), version="1.2")

    rejected = [call for call in session.calls() if call.method == "LMSSetValue"]
    assert [(call.args[1], call.result, call.error_code) for call in rejected] == [
        ("abc", "false", "405"),
        ("150", "false", "405"),
    ]
    assert session.cmi()["core"]["score"]["raw"] == ""
    assert session.problems() == rejected
    with pytest.raises(AssertionError, match="405"):
        session.assert_clean()
    assert not session.finished()


# --- SCORM 2004 --------------------------------------------------------------------------


def test_scorm2004_lms_holds_exactly_what_the_sco_reported(lms: LmsOpener, tmp_path: Path) -> None:
    session = lms(write_quiz_sco(tmp_path / "sco", "2004"), version="2004")
    _answer(session, "3")

    cmi = session.cmi()
    assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "failed")
    assert cmi["score"] == {"scaled": "0", "raw": "0", "min": "0", "max": "100"}
    assert _filled(cmi["interactions"]) == {
        "0": {
            "id": "q1",
            "type": "choice",
            "timestamp": "2026-01-02T03:04:05",
            "learner_response": "q1_a",
            "result": "incorrect",
            "correct_responses": {"0": {"pattern": "q1_b"}},
        }
    }
    session.assert_clean()
    assert session.finished()
    assert session.commits()[-1].cmi["success_status"] == "failed"


def test_scorm2004_runtime_rejects_a_bad_session_time(lms: LmsOpener, tmp_path: Path) -> None:
    steps = [("cmi.session_time", "PT1.234S"), ("cmi.session_time", "00:00:05")]
    session = lms(write_scripted_sco(tmp_path / "sco", "2004", steps), version="2004")
    sets = [call for call in session.calls() if call.method == "SetValue"]
    assert [(call.result, call.error_code) for call in sets] == [("false", "406"), ("false", "406")]
    assert all(call.error_text for call in sets)
    assert session.problems() == sets


def test_scorm2004_calls_after_terminate_are_errors(lms: LmsOpener, tmp_path: Path) -> None:
    sco = write_scripted_sco(
        tmp_path / "sco", "2004", [], finish=True, after_finish=[("cmi.score.raw", "50")]
    )
    session = lms(sco, version="2004")
    last = session.calls()[-1]
    assert (last.method, last.result, last.error_code) == ("SetValue", "false", "133")
    assert last.violations == ("SetValue called after the session was finished",)


# --- What Moodle refuses but scorm-again allows ------------------------------------------


@pytest.mark.parametrize(
    ("version", "steps", "finish", "expected"),
    [
        ("1.2", [("cmi.core.exit", "normal")], False, "cmi.core.exit"),
        ("1.2", [("cmi.suspend_data", "x" * 4097)], False, "4096"),
        ("1.2", [("cmi.core.session_time", "1:00:00")], False, "session_time"),
        (
            "1.2",
            [("cmi.interactions.0.id", "q1"), ("cmi.interactions.0.result", "incorrect")],
            False,
            "result",
        ),
        (
            "1.2",
            [
                ("cmi.interactions.0.id", "q1"),
                ("cmi.interactions.0.type", "choice"),
                ("cmi.interactions.0.student_response", "q1_b"),
            ],
            False,
            "single characters",
        ),
        ("1.2", [], True, "after the session was finished"),
        (
            "2004",
            [
                ("cmi.interactions.0.id", "q1"),
                ("cmi.interactions.0.type", "choice"),
                ("cmi.interactions.0.learner_response", "q1-b"),
            ],
            False,
            "hyphen",
        ),
        (
            "2004",
            [("cmi.interactions.0.id", "q1"), ("cmi.interactions.0.timestamp", "2026-01-02T03:04:05.678Z")],
            False,
            "timestamps",
        ),
        ("2004", [("cmi.suspend_data", "")], False, "empty"),
    ],
)
def test_strict_rules_flag_values_scorm_again_lets_through(
    lms: LmsOpener,
    tmp_path: Path,
    version: ScormVersion,
    steps: list[tuple[str, str]],
    finish: bool,
    expected: str,
) -> None:
    # The "after finish" case sets one value after LMSFinish.
    after = [("cmi.core.lesson_location", "x")] if finish else []
    session = lms(write_scripted_sco(tmp_path / "sco", version, steps, finish, after), version=version)
    last = session.calls()[-1]
    assert last.result == "true", "scorm-again itself should accept this call"
    assert any(expected in violation for violation in last.violations), str(last)
    assert session.problems() == [last]


# --- Resume --------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_suspend_and_resume_round_trip(lms: LmsOpener, tmp_path: Path, version: ScormVersion) -> None:
    sco = write_quiz_sco(tmp_path / "sco", version)
    first = lms(sco, version=version)
    first.frame_locator.get_by_role("radio", name="4").check()
    first.frame_locator.get_by_role("button", name="Save and exit").click()
    first.wait_until_finished()
    first.assert_clean()

    relaunch = first.next_launch_cmi()
    saved = relaunch["core"] if version == "1.2" else relaunch
    location = "lesson_location" if version == "1.2" else "location"
    assert (saved["entry"], saved[location]) == ("resume", "q1")
    assert json.loads(relaunch["suspend_data"]) == {"q1": "b"}

    second = lms(sco, version=version, initial_cmi=relaunch)
    status = second.frame_locator.get_by_role("status")
    assert status.inner_text() == "Entry: resume; location: q1"
    assert second.frame_locator.get_by_role("radio", name="4").is_checked()
    second.frame_locator.get_by_role("button", name="Submit").click()
    second.wait_until_finished()
    second.assert_clean()
    cmi = second.cmi()
    if version == "1.2":
        assert cmi["core"]["entry"] == "resume"
        assert cmi["core"]["lesson_status"] == "passed"
        assert second.total_time() == "00:00:08"  # 3 s suspended + 5 s now
    else:
        assert cmi["entry"] == "resume"
        assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "passed")
        assert second.total_time() == "PT8S"


def test_the_lms_commits_with_a_synchronous_request_and_the_server_keeps_it(
    lms: LmsOpener, tmp_path: Path
) -> None:
    session = lms(write_quiz_sco(tmp_path / "sco", "1.2"), version="1.2")
    _answer(session, "4")
    delivered = session.delivered_commits()
    assert [commit.terminate for commit in delivered] == [False, True]  # Commit, then LMSFinish
    assert all(commit.delivered for commit in session.commits())
    assert session.stored_cmi()["core"]["score"]["raw"] == "100"
    assert session.stored_cmi()["interactions"] == session.cmi()["interactions"]
    assert delivered[-1].total_time == session.total_time()


def test_a_commit_from_pagehide_never_reaches_the_lms(lms: LmsOpener, tmp_path: Path) -> None:
    """Chromium refuses a synchronous request while a page is being dismissed, and the harness
    commits synchronously, as Moodle does: a SCO that saves only in pagehide loses it here too."""
    session = lms(write_quiz_sco(tmp_path / "sco", "1.2"), version="1.2")
    session.unload_sco()
    # the SCO did its part: exit set in the runtime, LMSCommit and LMSFinish called
    assert session.cmi()["core"]["exit"] == "suspend"
    leaving = [call for call in session.calls() if call.method in ("LMSCommit", "LMSFinish")]
    assert [call.method for call in leaving] == ["LMSCommit", "LMSFinish"]
    assert all(call.refused_by_the_browser for call in leaving), leaving
    assert "Synchronous XHR in page dismissal" in str(leaving[0])
    # but nothing reached the LMS, so it would not resume
    assert not session.finished()
    assert session.delivered_commits() == [] and session.stored_cmi() == {}
    with pytest.raises(AssertionError, match="Synchronous XHR in page dismissal"):
        session.assert_clean()
    session.assert_clean(left=True)


def test_failed_commits_reach_the_sco_as_errors(lms: LmsOpener, tmp_path: Path) -> None:
    session = lms(write_quiz_sco(tmp_path / "sco", "2004"), version="2004")
    session.fail_next_commits(1)
    session.frame_locator.get_by_role("radio", name="4").check()
    session.frame_locator.get_by_role("button", name="Submit").click()
    commit, terminate = [call for call in session.calls() if call.method in ("Commit", "Terminate")]
    assert (commit.result, commit.error_code) == ("false", "391")
    assert not commit.refused_by_the_browser  # failed on purpose, not by the browser
    assert terminate.result == "true"  # the next request goes through again
    assert [c.delivered for c in session.commits()] == [False, True]
    assert len(session.delivered_commits()) == 1


@pytest.mark.parametrize(("version", "code"), [("1.2", "101"), ("2004", "104")])
def test_an_api_already_finished_refuses_initialize(
    lms: LmsOpener, tmp_path: Path, version: ScormVersion, code: str
) -> None:
    session = lms(write_scripted_sco(tmp_path / "sco", version, []), version=version, api_already_finished=True)
    (init,) = session.calls()
    assert (init.method, init.result, init.error_code) == (_SCO_API[version]["init"], "false", code)
    assert session.commits() == [] and session.delivered_commits() == []


def test_next_launch_after_a_normal_exit_is_not_a_resume() -> None:
    stored = {
        "core": {"lesson_status": "passed", "exit": "", "lesson_location": "", "score": {"raw": "90"}},
        "suspend_data": "",
        "interactions": {"0": {"id": "q1"}},
    }
    launch = next_launch_cmi("1.2", stored, "00:01:00")
    assert launch == {
        "core": {
            "lesson_status": "passed",
            "score": {"raw": "90"},
            "total_time": "00:01:00",
            "entry": "",
        }
    }
    fresh = next_launch_cmi("2004", {"completion_status": "unknown", "exit": ""}, "PT0S")
    assert fresh == {"completion_status": "unknown", "total_time": "PT0S", "entry": "ab-initio"}


# --- axe-core and vnu ------------------------------------------------------------------------

_GOOD_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Good page</title></head>
<body>
<main>
<h1>Good page</h1>
<p><img src="dot.svg" alt="A black dot" width="10" height="10"></p>
</main>
</body>
</html>
"""
_DOT_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="5"/></svg>'
)


def _write_pages(directory: Path) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    pages = {
        "good.html": _GOOD_PAGE,
        "no-alt.html": _GOOD_PAGE.replace(' alt="A black dot"', ""),
        "broken.html": _GOOD_PAGE.replace("<title>Good page</title>", "").replace("</p>", "</div>"),
        "dot.svg": _DOT_SVG,
    }
    for name, text in pages.items():
        (directory / name).write_text(text, encoding="utf-8")
    return {name: directory / name for name in pages}


def test_axe_finds_an_image_without_alt_and_passes_a_good_page(
    offline_page: OfflinePage, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    _write_pages(site)
    offline_page.open(site, "no-alt.html")
    violations = run_axe(offline_page.page)
    assert [violation.rule for violation in violations] == ["image-alt"]
    assert violations[0].impact == "critical" and violations[0].targets == ("img",)

    offline_page.open(site, "good.html")
    assert run_axe(offline_page.page) == []


def test_axe_runs_inside_the_sco_frame(lms: LmsOpener, tmp_path: Path) -> None:
    session = lms(write_quiz_sco(tmp_path / "sco", "2004"), version="2004")
    violations = run_axe(session.frame)
    assert violations == [], format_violations(violations)


def test_vnu_reports_a_broken_page_and_passes_a_valid_one(tmp_path: Path) -> None:
    pages = _write_pages(tmp_path / "site")
    errors = run_vnu([pages["good.html"], pages["broken.html"]])
    assert errors, "vnu found nothing wrong with broken.html"
    assert {error.file for error in errors} == {pages["broken.html"]}
    messages = " ".join(error.message for error in errors)
    assert "“title”" in messages and "Stray end tag “div”" in messages


# --- Isolation -------------------------------------------------------------------------------


def test_requests_off_the_local_server_are_blocked_and_recorded(
    offline_page: OfflinePage, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    _write_pages(site)
    (site / "leaky.html").write_text(
        _GOOD_PAGE.replace(
            "</main>",
            '<img src="http://cdn.example.invalid/logo.png" alt="Logo"></main>'
            '<script>fetch("https://api.example.invalid/track").catch(() => {});</script>',
        ),
        encoding="utf-8",
    )
    offline_page.open(site, "leaky.html")
    offline_page.page.wait_for_load_state("networkidle")
    assert sorted(offline_page.blocked_requests) == [
        "http://cdn.example.invalid/logo.png",
        "https://api.example.invalid/track",
    ]
    # The local image still loaded: only foreign requests are stopped.
    assert offline_page.page.locator("img[alt='A black dot']").evaluate("img => img.naturalWidth") == 10
    offline_page.blocked_requests.clear()  # seen and expected: don't fail at teardown


def test_script_errors_inside_the_sco_are_recorded(
    lms: LmsOpener, offline_page: OfflinePage, tmp_path: Path
) -> None:
    sco = tmp_path / "sco"
    sco.mkdir()
    (sco / "index.html").write_text(
        "<!DOCTYPE html><title>x</title><script>undefinedFunction();</script>", encoding="utf-8"
    )
    lms(sco)
    assert any("undefinedFunction" in error for error in offline_page.page_errors)


def test_server_refuses_paths_outside_its_mounts(static_server: StaticServer, tmp_path: Path) -> None:
    (tmp_path / "inside").mkdir()
    (tmp_path / "inside" / "index.html").write_text("inside", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    base = static_server.mount(tmp_path / "inside")
    prefix = base.removeprefix(static_server.origin).strip("/")

    def status(path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", static_server.port, timeout=5)
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()

    assert status(f"/{prefix}/") == (200, b"inside")
    assert status(f"/{prefix}/../secret.txt")[0] == 404
    assert status(f"/{prefix}/%2e%2e/secret.txt")[0] == 404
    assert status("/no-such-mount/index.html")[0] == 404
