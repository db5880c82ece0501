"""Run a SCO under the real LMS-side runtime (scorm-again) in Chromium and read back what it stored.

``open_sco`` loads ``harness/lms.html``, which creates ``window.API`` (1.2) or
``window.API_1484_11`` (2004) and puts the SCO in the ``#sco`` frame; the returned ``LmsSession``
reads the LMS-side CMI data, every API call, and every commit.

The runtime commits as Moodle's player does, with a synchronous request to the test server (an
inbox standing in for the LMS's server). What reached that server (``stored_cmi``) is what a real
LMS would hold and hand back on the next launch; it can differ from the runtime's memory (``cmi``),
e.g. when Chromium refused the request because the page was closing.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from playwright.sync_api import Frame, FrameLocator, Page

from tests.support.browser import OfflinePage
from tests.support.paths import HARNESS_DIR, SCORM_AGAIN_BUNDLES, require_files
from tests.support.server import StaticServer

ScormVersion = Literal["1.2", "2004"]
SCORM_VERSIONS: tuple[ScormVersion, ...] = ("1.2", "2004")

SCO_FRAME = "#sco"
_HARNESS_PREFIX = "lms-harness"
_SCORM_AGAIN_PREFIX = "scorm-again"  # lms.html loads /scorm-again/scorm12.js and scorm2004.js

# What a Moodle-like LMS hands a learner on the first launch; ``initial_cmi`` overrides it.
_FIRST_LAUNCH: dict[ScormVersion, dict[str, Any]] = {
    "1.2": {
        "core": {
            "student_id": "student-1",
            "student_name": "Learner, Test",
            "credit": "credit",
            "lesson_mode": "normal",
            "entry": "ab-initio",
        },
    },
    "2004": {
        "learner_id": "student-1",
        "learner_name": "Learner, Test",
        "credit": "credit",
        "mode": "normal",
        "entry": "ab-initio",
    },
}

# Setting a runtime value answers with "true"/"false"; these calls fail when they answer "false".
_BOOLEAN_METHODS = frozenset(
    {"LMSInitialize", "LMSFinish", "LMSSetValue", "LMSCommit"}
    | {"Initialize", "Terminate", "SetValue", "Commit"}
)
_GET_METHODS = frozenset({"LMSGetValue", "GetValue"})
_ERROR_2004_NOT_INITIALIZED = "403"  # reading a value never set: how a 2004 SCO detects a resume
# How Chromium words its refusal of a synchronous XMLHttpRequest while a page is being dismissed.
_BROWSER_REFUSAL = "Synchronous XHR in page dismissal"


@dataclass(frozen=True)
class ApiCall:
    """One call the SCO made on the runtime API, with scorm-again's answer and error code.

    ``violations`` lists rules Moodle or the SCORM spec enforce that scorm-again let through
    (see ``harness/strict-rules.js``); ``refusals`` says why commits this call made did not
    reach the LMS's server.
    """

    method: str
    args: tuple[Any, ...]
    result: Any
    error_code: str
    error_text: str
    violations: tuple[str, ...]
    refusals: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        if self.method in _BOOLEAN_METHODS:
            return self.result != "true"
        if self.method in _GET_METHODS:
            return self.error_code not in ("0", _ERROR_2004_NOT_INITIALIZED)
        return False

    @property
    def refused_by_the_browser(self) -> bool:
        """A commit or finish that failed only because Chromium refused the synchronous request
        (it does while a page is being dismissed: pagehide, or visibilitychange on closing)."""
        return (
            self.failed
            and bool(self.refusals)
            and all(_BROWSER_REFUSAL in refusal for refusal in self.refusals)
        )

    def __str__(self) -> str:
        args = ", ".join(repr(arg) for arg in self.args)
        text = f"{self.method}({args}) -> {self.result!r}"
        if self.error_code != "0":
            text += f" [error {self.error_code}: {self.error_text}]"
        for violation in self.violations:
            text += f" [strict: {violation}]"
        for refusal in self.refusals:
            text += f" [not delivered: {refusal}]"
        return text


@dataclass(frozen=True)
class Commit:
    """The data scorm-again sent to the LMS on one commit; ``delivered``: it reached the server
    (``refusal`` says why not, e.g. Chromium's refusal of a synchronous request in pagehide)."""

    payload: dict[str, Any]
    terminate: bool
    trigger: str | None
    delivered: bool = True
    refusal: str = ""

    @property
    def cmi(self) -> dict[str, Any]:
        return dict(self.payload.get("cmi", {}))


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _prune_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty strings and empty objects: an LMS sends only values it holds, and scorm-again
    would reject some empty values (such as a blank weighting) on load."""
    pruned: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = _prune_empty(value)
        if value not in ("", {}, None):
            pruned[key] = value
    return pruned


def _pick(data: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: copy.deepcopy(data[key]) for key in keys if key in data}


_KEPT_12 = ("suspend_data", "launch_data", "comments_from_lms", "student_data", "student_preference")
_KEPT_12_CORE = (
    "student_id",
    "student_name",
    "credit",
    "lesson_mode",
    "lesson_status",
    "lesson_location",
    "score",
)
_KEPT_2004 = (
    "learner_id",
    "learner_name",
    "credit",
    "mode",
    "launch_data",
    "scaled_passing_score",
    "completion_threshold",
    "max_time_allowed",
    "time_limit_action",
    "completion_status",
    "success_status",
    "score",
    "progress_measure",
    "location",
    "suspend_data",
    "learner_preference",
    "comments_from_lms",
    "objectives",
    "interactions",
)


def next_launch_cmi(version: ScormVersion, cmi: dict[str, Any], total_time: str) -> dict[str, Any]:
    """The CMI data a Moodle-like LMS hands the SCO on its next launch, given what it stored.

    As in Moodle, the stored data always comes back; ``entry`` is ``resume`` after
    ``exit`` = ``suspend``, ``ab-initio`` while nothing was attempted, else empty. 1.2
    interactions are write-only, so they are not handed back.
    """
    if version == "1.2":
        core = cmi.get("core", {})
        if core.get("exit") == "suspend":
            entry = "resume"
        elif core.get("lesson_status", "not attempted") == "not attempted":
            entry = "ab-initio"
        else:
            entry = ""
        launch = _pick(cmi, _KEPT_12)
        launch["core"] = {**_pick(core, _KEPT_12_CORE), "total_time": total_time, "entry": entry}
    else:
        if cmi.get("exit") == "suspend":
            entry = "resume"
        elif cmi.get("completion_status", "unknown") in ("unknown", "not attempted"):
            entry = "ab-initio"
        else:
            entry = ""
        launch = {**_pick(cmi, _KEPT_2004), "total_time": total_time, "entry": entry}
    pruned = _prune_empty(launch)
    # An empty entry is meaningful ("neither first launch nor resume"); keep it.
    if version == "1.2":
        pruned.setdefault("core", {})["entry"] = entry
    else:
        pruned["entry"] = entry
    return pruned


@dataclass(frozen=True)
class StoredCommit:
    """One commit as the LMS's server received it, with the total time it would add up."""

    cmi: dict[str, Any]
    terminate: bool
    total_time: str


class LmsSession:
    """One launched SCO; reads go to the live harness page, except what the LMS's server
    received (``delivered_commits``, ``stored_cmi``), which can be read after the tab is closed."""

    def __init__(
        self, page: Page, version: ScormVersion, sco_url: str, server: StaticServer, inbox: str
    ) -> None:
        self.page = page
        self.version = version
        self.sco_url = sco_url
        self.server = server
        self.inbox = inbox

    @property
    def frame_locator(self) -> FrameLocator:
        """Locators inside the SCO, e.g. ``session.frame_locator.get_by_role("radio", name=...)``."""
        return self.page.frame_locator(SCO_FRAME)

    @property
    def frame(self) -> Frame:
        """The SCO's current frame (looked up afresh, so it follows navigation inside the SCO)."""
        handle = self.page.locator(SCO_FRAME).element_handle()
        frame = handle.content_frame() if handle is not None else None
        if frame is None:
            raise AssertionError("the SCO frame is gone")
        return frame

    def _harness(self, expression: str) -> Any:
        return self.page.evaluate(f"() => window.lmsHarness.{expression}")

    def cmi(self) -> dict[str, Any]:
        """The runtime's CMI data now, as scorm-again renders it (no ``cmi`` wrapper); values set
        but never committed are included: ``stored_cmi`` is what the LMS's server holds."""
        return dict(self._harness("cmi()"))

    def delivered_commits(self) -> list[StoredCommit]:
        """Every commit that reached the LMS's server, oldest first."""
        commits = []
        for body in self.server.received(self.inbox):
            data = json.loads(body)
            commits.append(
                StoredCommit(
                    cmi=dict(data["payload"].get("cmi", {})),
                    terminate=bool(data["terminate"]),
                    total_time=str(data["totalTime"]),
                )
            )
        return commits

    def stored_cmi(self) -> dict[str, Any]:
        """What the LMS's server holds: the CMI data of the last commit that reached it (each
        commit carries the whole data), or {} when none did."""
        delivered = self.delivered_commits()
        return delivered[-1].cmi if delivered else {}

    def fail_next_commits(self, count: int) -> None:
        """Make the next ``count`` commits fail without reaching the server (a dropped connection)."""
        self.page.evaluate("count => window.lmsHarness.failNextCommits(count)", count)

    def total_time(self) -> str:
        return str(self._harness("totalTime()"))

    def calls(self) -> list[ApiCall]:
        return [
            ApiCall(
                method=raw["method"],
                args=tuple(raw["args"]),
                result=raw["result"],
                error_code=raw["errorCode"],
                error_text=raw["errorText"],
                violations=tuple(raw["violations"]),
                refusals=tuple(raw["refusals"]),
            )
            for raw in self._harness("calls()")
        ]

    def problems(self, left: bool = False) -> list[ApiCall]:
        """Calls scorm-again refused, and calls it allowed that break a strict rule. ``left``: the
        SCO was unloaded, so its pagehide commit and finish, refused by the browser, are expected."""
        return [
            call
            for call in self.calls()
            if call.violations or (call.failed and not (left and call.refused_by_the_browser))
        ]

    def assert_clean(self, left: bool = False) -> None:
        """Fail with the whole list if any call was refused or broke a strict rule (``left``:
        except what the browser refused while the SCO was being unloaded)."""
        problems = self.problems(left)
        assert not problems, "API calls with problems:\n" + "\n".join(map(str, problems))

    def values_set(self) -> dict[str, Any]:
        """Element → the last value the SCO set successfully, in call order."""
        values: dict[str, Any] = {}
        for call in self.calls():
            if call.method in ("LMSSetValue", "SetValue") and call.result == "true":
                values[str(call.args[0])] = call.args[1]
        return values

    def finished(self) -> bool:
        """Whether LMSFinish (1.2) or Terminate (2004) was called and succeeded."""
        return bool(self._harness("finished()"))

    def wait_until_finished(self, timeout_ms: float = 5_000) -> None:
        self.page.wait_for_function("() => window.lmsHarness.finished()", timeout=timeout_ms)

    def commits(self) -> list[Commit]:
        """Every commit the runtime attempted, delivered or not."""
        return [
            Commit(
                payload=raw["payload"],
                terminate=raw["terminate"],
                trigger=raw["trigger"],
                delivered=raw["delivered"],
                refusal=raw["refusal"],
            )
            for raw in self._harness("commits()")
        ]

    def log_messages(self) -> list[str]:
        """What scorm-again logged at ERROR level (kept off the console)."""
        return [f"{entry['level']}: {entry['message']}" for entry in self._harness("logMessages()")]

    def next_launch_cmi(self) -> dict[str, Any]:
        """What to pass as ``initial_cmi`` to relaunch this SCO (resume after a suspend): built
        from what reached the LMS's server, as a real LMS would; works after the tab is closed."""
        delivered = self.delivered_commits()
        if not delivered:
            raise AssertionError("no commit reached the LMS: there is nothing to relaunch from")
        return next_launch_cmi(self.version, delivered[-1].cmi, delivered[-1].total_time)

    def unload_sco(self) -> None:
        """Navigate the SCO frame away, as closing the activity would; its pagehide code runs."""
        self.page.evaluate("() => window.lmsHarness.unloadSco()")


def mount_harness(server: StaticServer) -> str:
    """Serve the harness page and scorm-again's bundles; returns the harness page's URL."""
    require_files(*SCORM_AGAIN_BUNDLES)
    server.mount(SCORM_AGAIN_BUNDLES[0].parent, prefix=_SCORM_AGAIN_PREFIX)
    return server.mount(HARNESS_DIR, prefix=_HARNESS_PREFIX) + "lms.html"


def open_sco(
    offline_page: OfflinePage,
    sco_dir: Path,
    launch: str = "index.html",
    version: ScormVersion = "1.2",
    initial_cmi: dict[str, Any] | None = None,
    settings: dict[str, Any] | None = None,
    api_already_finished: bool = False,
) -> LmsSession:
    """Launch ``sco_dir/launch`` inside the harness, as an LMS would; returns once it has loaded.

    ``initial_cmi`` (same shape as ``LmsSession.cmi()``) is merged over a first-launch default
    and loaded before the SCO starts; ``settings`` overrides scorm-again settings.
    ``api_already_finished``: hand the SCO an API an earlier session already finished, as Moodle
    4.5 does for the next SCO of a 2004 package (lms-targets §6): the SCO's Initialize is refused.
    """
    if version not in SCORM_VERSIONS:
        raise ValueError(f"version must be one of {SCORM_VERSIONS}, not {version!r}")
    harness_url = mount_harness(offline_page.server)
    sco_url = offline_page.serve(sco_dir) + launch
    inbox = offline_page.server.open_inbox()
    page = offline_page.page
    page.goto(harness_url, wait_until="load")
    config = {
        "version": version,
        "scoUrl": sco_url,
        "initialCmi": _merge(_FIRST_LAUNCH[version], initial_cmi or {}),
        "settings": settings or {},
        "commitUrl": inbox,
        "apiAlreadyFinished": api_already_finished,
    }
    page.evaluate("config => window.lmsHarness.launch(config)", config)
    return LmsSession(page, version, sco_url, offline_page.server, inbox)
