"""End to end: build the real source/, unzip each SCORM package, launch it the way Moodle would
(launch URL and pass mark read from the manifest by the Moodle-style reader) under the real
scorm-again runtime in Chromium, take the quiz as a student, and check what the LMS holds.

The same tests run on the packages of ``build --per-lesson``: the seed's one lesson, and the two
lessons with a quiz of tests/roots/three-lessons (the first ends with an ordering question), each
a package with its own score.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from srm_package.build import build
from srm_package.loader import load_course
from srm_package.model import Course, Question
from tests.conftest import ROOT, SOURCE
from tests.moodle_manifest import MoodleManifest, read_manifest
from tests.questions.drivers import answer as drive
from tests.support.browser import OfflinePage
from tests.support.fixtures import LmsOpener
from tests.support.lms import LmsSession, ScormVersion

TARGET_OF: dict[ScormVersion, str] = {"1.2": "scorm12", "2004": "scorm2004"}
WRONG_RESULT: dict[ScormVersion, str] = {"1.2": "wrong", "2004": "incorrect"}


THREE_LESSONS = ROOT / "tests" / "roots" / "three-lessons"
#: package → (sources, built per lesson, the lesson it holds: None for the whole course)
PACKAGES = {
    "course": (SOURCE, False, None),
    "seed-lesson": (SOURCE, True, "shared-responsibility-model"),
    "services-lesson": (THREE_LESSONS, True, "services"),
    "security-lesson": (THREE_LESSONS, True, "security"),
}


@dataclass(frozen=True)
class UnpackedPackage:
    folder: Path
    manifest: MoodleManifest
    #: the files the manifest lists under the SCO's resource
    sco_files: frozenset[str]
    #: the questions of the package, in page order
    questions: tuple[Question, ...]


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[tuple[str, ScormVersion], UnpackedPackage]:
    unpacked = {}
    for name, (source, per_lesson, lesson_id) in PACKAGES.items():
        dist = tmp_path_factory.mktemp(f"dist-{name}")
        written = build(source, dist, list(TARGET_OF.values()), per_lesson=per_lesson).written
        course = load_course(source).course
        if lesson_id is not None:
            lesson = next(lesson for lesson in course.lessons if lesson.id == lesson_id)
            course = course.lesson_course(lesson)
        for version, target in TARGET_OF.items():
            (zip_path,) = [w.path for w in written if w.path.name == f"{course.id}-{target}.zip"]
            folder = tmp_path_factory.mktemp(f"{name}-{target}")
            with zipfile.ZipFile(zip_path) as archive:
                archive.extractall(folder)
            manifest_bytes = (folder / "imsmanifest.xml").read_bytes()
            unpacked[(name, version)] = UnpackedPackage(folder, read_manifest(manifest_bytes),
                                                        _sco_files(manifest_bytes), course.questions)
    return unpacked


def _sco_files(manifest: bytes) -> frozenset[str]:
    from lxml import etree

    root = etree.fromstring(manifest)
    ns = {"cp": root.nsmap[None]}
    sco = root.find("cp:resources/cp:resource[@href]", ns)
    return frozenset(f.get("href") for f in sco.findall("cp:file", ns))


def launch_like_moodle(lms: LmsOpener, package: UnpackedPackage, version: ScormVersion) -> LmsSession:
    """Start the one launchable SCO with the pass mark the LMS took from the manifest."""
    (sco,) = package.manifest.launchable
    if version == "1.2":
        initial: dict[str, Any] = {"student_data": {"mastery_score": sco.masteryscore}}
    else:
        ((primary, by_measure, measure),) = sco.objectives
        assert primary and by_measure
        initial = {"scaled_passing_score": measure}  # what a conformant 2004 LMS hands over
    return lms(package.folder, launch=sco.launch, version=version, initial_cmi=initial)


def take_quiz(session: LmsSession, questions: tuple[Question, ...], right: int) -> list[bool]:
    """Answer the first ``right`` questions correctly and the rest wrongly, by clicking."""
    outcomes = []
    for number, question in enumerate(questions):
        correct = number < right
        drive(session.frame_locator, question, "right" if correct else "wrong")
        outcomes.append(correct)
    session.wait_until_finished()
    return outcomes


def sco_requests(offline_page: OfflinePage) -> list[str]:
    requests: list[str] = []
    offline_page.page.on("request", lambda request: requests.append(request.url))
    return requests


def _filled(interactions: dict[str, Any]) -> list[dict[str, Any]]:
    return [interactions[key] for key in sorted(interactions, key=int) if key.isdigit()]


def expected_result(questions: tuple[Question, ...], right: int, pass_mark: float) -> tuple[float, str]:
    """The score (two decimals) and status when the first ``right`` questions are right."""
    earned = sum(question.points for question in questions[:right])
    percent = round(earned * 100 / sum(question.points for question in questions), 2)
    return percent, "passed" if percent >= pass_mark else "failed"


@pytest.mark.parametrize("version", ["1.2", "2004"])
@pytest.mark.parametrize("outcome", ["all-right", "mostly-wrong"])
@pytest.mark.parametrize("package_name", list(PACKAGES))
def test_student_takes_the_quiz_and_the_lms_holds_the_grade(
    lms: LmsOpener, offline_page: OfflinePage, packages, version: ScormVersion, outcome: str,
    package_name: str,
):
    package = packages[(package_name, version)]
    questions = package.questions
    right = len(questions) if outcome == "all-right" else (len(questions) - 1) // 2
    (sco,) = package.manifest.launchable
    mastery = float(sco.masteryscore) if version == "1.2" else float(sco.objectives[0][2]) * 100
    percent, status = expected_result(questions, right, mastery)
    assert status == ("passed" if outcome == "all-right" else "failed")
    requested = sco_requests(offline_page)

    session = launch_like_moodle(lms, package, version)
    outcomes = take_quiz(session, questions, right)

    session.assert_clean()  # no refused call, no value Moodle would reject
    assert session.finished()
    cmi = session.cmi()
    if version == "1.2":
        core = cmi["core"]
        assert core["lesson_status"] == status
        assert float(core["score"]["raw"]) == percent
        assert (core["score"]["min"], core["score"]["max"]) == ("0", "100")
        # Moodle's "Mastery score overrides status" recomputes the status from the manifest's
        # mastery score: it must agree with what the page decided (expected_result used it)
    else:
        assert cmi["completion_status"] == "completed"
        assert cmi["success_status"] == status
        assert float(cmi["score"]["raw"]) == percent
        assert float(cmi["score"]["scaled"]) == percent / 100
        assert (cmi["score"]["min"], cmi["score"]["max"]) == ("0", "100")

    interactions = _filled(cmi["interactions"])
    assert [i["result"] for i in interactions] == [
        "correct" if ok else WRONG_RESULT[version] for ok in outcomes]
    assert len({i["id"] for i in interactions}) == len(questions)

    # Moodle grades whatever raw score was committed: only the final one may ever be sent
    raws = [_raw(commit.cmi, version) for commit in session.commits()]
    assert {raw for raw in raws if raw not in ("", None)} == {raw for raw in raws[-1:]}
    assert float(raws[-1]) == percent
    assert session.commits()[-1].terminate

    # every file the page loaded is one the manifest lists under the SCO
    base = session.sco_url.rsplit("/", 1)[0] + "/"
    loaded = {url[len(base):] for url in requested if url.startswith(base)}
    assert "index.html" in loaded
    assert loaded <= package.sco_files


def _raw(cmi: dict[str, Any], version: ScormVersion) -> str | None:
    score = cmi.get("core", {}).get("score", {}) if version == "1.2" else cmi.get("score", {})
    return score.get("raw")


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_score_equal_to_the_pass_mark_passes(lms: LmsOpener, packages, seed_course: Course,
                                               version: ScormVersion):
    """4 of 5 is exactly the 80% pass mark: the page, and the LMS's own threshold, say passed."""
    session = launch_like_moodle(lms, packages[("course", version)], version)
    take_quiz(session, seed_course.questions, 4)
    session.assert_clean()
    cmi = session.cmi()
    if version == "1.2":
        assert (cmi["core"]["lesson_status"], float(cmi["core"]["score"]["raw"])) == ("passed", 80)
    else:
        assert (cmi["success_status"], float(cmi["score"]["raw"])) == ("passed", 80)
