"""``srm-package build --per-lesson``: one SCORM 1.2 and one SCORM 2004 package per lesson, each a
single SCO holding that lesson, its quiz and its own score, with identifiers of its own that stay
the same from build to build. (tests/test_scorm_e2e.py takes their quizzes under scorm-again.)"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree, html

from srm_package.cli import main
from srm_package.loader import load_course
from srm_package.render import MEDIA_FOLDER
from srm_package.rich_text import files_of
from tests.conftest import ROOT

COURSE_DIR = ROOT / "tests" / "roots" / "three-lessons"
COURSE_ID = "three-lessons"
LESSONS = ("services", "security", "summary")
SCORM = ("scorm12", "scorm2004")
MANIFEST_SCHEMA = {"scorm12": "scorm12/_combined.xsd", "scorm2004": "scorm2004/_combined.xsd"}
EPOCH = "1767225600"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dist")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = run("build", COURSE_DIR, "-o", folder, "-t", "scorm12", "-t", "scorm2004", "--per-lesson")
    assert result.exit_code == 0, result.output
    return folder


def packages_in(folder: Path) -> list[str]:
    """The packages in an output folder, sorted (not the build's hidden record)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def package_name(lesson_id: str, target: str) -> str:
    return f"{COURSE_ID}-{lesson_id}-{target}.zip"


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def manifest_of(path: Path) -> etree._Element:
    return etree.fromstring(entries(path)["imsmanifest.xml"])


def test_one_package_per_lesson_and_version(dist):
    assert packages_in(dist) == sorted(package_name(lesson, target) for lesson in LESSONS for target in SCORM)


def test_the_report_lists_every_package(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = run("build", COURSE_DIR, "-o", tmp_path, "-t", "scorm2004", "--per-lesson")
    assert result.exit_code == 0, result.output
    lines = [line.split("  ") for line in result.stdout.splitlines()]
    assert [(Path(wrote.removeprefix("wrote ")).name, summary) for wrote, _, summary in lines] == [
        (package_name("services", "scorm2004"), "3 questions, pass mark 60%"),
        (package_name("security", "scorm2004"), "3 questions, pass mark 60%"),
        (package_name("summary", "scorm2004"), "no quiz: completed once opened"),
    ]


@pytest.mark.parametrize("target", SCORM)
@pytest.mark.parametrize("lesson_id", LESSONS)
def test_each_package_is_one_sco_with_its_lesson(dist, target, lesson_id):
    files = entries(dist / package_name(lesson_id, target))
    manifest = etree.fromstring(files["imsmanifest.xml"])
    ns = {"cp": manifest.nsmap[None]}
    package_id = f"{COURSE_ID}-{lesson_id}"
    assert manifest.get("identifier") == package_id
    (organization,) = manifest.findall("cp:organizations/cp:organization", ns)
    assert organization.get("identifier") == f"{package_id}-org"
    (item,) = organization.findall("cp:item", ns)
    assert (item.get("identifier"), item.get("identifierref")) == (f"{package_id}-item", f"{package_id}-sco")
    course = load_course(COURSE_DIR).course
    lesson = next(each for each in course.lessons if each.id == lesson_id)
    assert item.findtext("cp:title", namespaces=ns) == lesson.title
    (sco,) = manifest.findall("cp:resources/cp:resource[@href]", ns)
    assert sco.get("href") == "index.html"
    # the page holds this lesson alone (as a course of one lesson: no outline, no course script)
    page = html.document_fromstring(files["index.html"])
    assert [a.get("id") for a in page.iter("article")] == [f"lesson-{lesson_id}"]
    assert "assets/course.js" not in files
    assert page.findtext(".//title") == f"{lesson.label} — {course.title}"
    banks = sorted(name for name in files if name.startswith("qti/"))
    assert banks == ([f"qti/{lesson.quiz.id}.xml"] if lesson.quiz else [])
    # of the course's images, only its lesson's (the first two lessons show one each)
    shown = (*lesson.images, *(lesson.quiz.images if lesson.quiz else ()))
    media = sorted(name for name in files if name.startswith(f"{MEDIA_FOLDER}/"))
    assert media == sorted(f"{MEDIA_FOLDER}/{file.name}" for file in files_of(course, shown))
    assert len(media) == (0 if lesson_id == "summary" else 1)
    # its own citation travels with it
    if lesson.citation:
        assert lesson.citation.label in page.text_content()
    # the pass mark goes into the manifest only when there is a quiz to pass
    text = files["imsmanifest.xml"].decode()
    assert ("masteryscore" in text or "minNormalizedMeasure" in text) == bool(lesson.quiz)


@pytest.mark.parametrize("target", SCORM)
def test_manifests_validate_against_the_official_schemas(schemas, dist, target):
    schema = etree.XMLSchema(etree.parse(str(schemas / MANIFEST_SCHEMA[target])))
    for lesson_id in LESSONS:
        assert schema.validate(manifest_of(dist / package_name(lesson_id, target))), schema.error_log


def test_identifiers_are_distinct_per_lesson(dist):
    for target in SCORM:
        seen: set[str] = set()
        for lesson_id in LESSONS:
            ids = {element.get("identifier") for element in manifest_of(dist / package_name(lesson_id, target)).iter()
                   if element.get("identifier")}
            assert not ids & seen, ids & seen
            seen |= ids


def test_a_rebuild_is_byte_identical(dist, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = run("build", COURSE_DIR, "-o", tmp_path, "-t", "scorm12", "-t", "scorm2004", "--per-lesson")
    assert result.exit_code == 0, result.output
    for name in packages_in(dist):
        assert (tmp_path / name).read_bytes() == (dist / name).read_bytes(), name


def test_the_default_stays_one_package_for_the_course(tmp_path):
    result = run("build", COURSE_DIR, "-o", tmp_path, "-t", "scorm12")
    assert result.exit_code == 0, result.output
    assert packages_in(tmp_path) == [f"{COURSE_ID}-scorm12.zip"]
    page = html.document_fromstring(entries(tmp_path / f"{COURSE_ID}-scorm12.zip")["index.html"])
    assert [a.get("id") for a in page.iter("article")] == [f"lesson-{lesson}" for lesson in LESSONS]


def test_other_targets_are_built_for_the_course_as_usual(tmp_path):
    result = run("build", COURSE_DIR, "-o", tmp_path, "-t", "scorm12", "-t", "cc", "--per-lesson")
    assert result.exit_code == 0, result.output
    assert packages_in(tmp_path) == sorted([f"{COURSE_ID}.imscc", *(package_name(lesson, "scorm12") for lesson in LESSONS)])


def test_per_lesson_without_a_scorm_target_is_a_usage_error(tmp_path):
    result = run("build", COURSE_DIR, "-o", tmp_path / "dist", "-t", "cc", "--per-lesson")
    assert result.exit_code == 2
    assert "--per-lesson applies to the SCORM targets (scorm12, scorm2004)" in result.stderr
    assert not (tmp_path / "dist").exists()


def test_validate_passes_the_per_lesson_packages(schemas, dist):
    result = run("validate", "--schemas", schemas, "--strict", dist)
    assert result.exit_code == 0, result.output
    assert "6 packages: all passed" in result.stdout


# ------------------------------------------------------------------ the output folder's record
def test_per_lesson_and_course_packages_replace_each_other(tmp_path, monkeypatch):
    """The record keeps each per-lesson package under its target, so that a build of the course
    package removes them, and a per-lesson build removes the course package."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "dist"
    per_lesson = sorted(package_name(lesson, "scorm12") for lesson in LESSONS)
    assert run("build", COURSE_DIR, "-o", out, "-t", "scorm12", "--per-lesson").exit_code == 0
    assert packages_in(out) == per_lesson

    result = run("build", COURSE_DIR, "-o", out, "-t", "scorm12")
    assert result.exit_code == 0, result.output
    assert packages_in(out) == [f"{COURSE_ID}-scorm12.zip"]
    assert sorted(line.split()[1].rsplit("/", 1)[-1] for line in result.stdout.splitlines()
                  if line.startswith("removed ")) == per_lesson

    result = run("build", COURSE_DIR, "-o", out, "-t", "scorm12", "--per-lesson")
    assert result.exit_code == 0, result.output
    assert packages_in(out) == per_lesson
    assert f"removed {out / f'{COURSE_ID}-scorm12.zip'}" in result.stdout


def test_a_lesson_taken_out_of_the_course_loses_its_packages(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    source, out = tmp_path / "source", tmp_path / "dist"
    shutil.copytree(COURSE_DIR, source)
    assert run("build", source, "-o", out, "--per-lesson", "-t", "scorm12", "-t", "scorm2004").exit_code == 0
    course_yaml = source / "course.yaml"
    text = course_yaml.read_text(encoding="utf-8")
    assert text.endswith("  - file: lessons/03-summary.md\n")
    course_yaml.write_text(text.removesuffix("  - file: lessons/03-summary.md\n"), encoding="utf-8")

    result = run("build", source, "-o", out, "--per-lesson", "-t", "scorm12", "-t", "scorm2004")
    assert result.exit_code == 0, result.output
    assert packages_in(out) == sorted(package_name(lesson, target) for lesson in LESSONS[:2] for target in SCORM)
    assert sorted(line for line in result.stdout.splitlines() if line.startswith("removed ")) == [
        f"removed {out / package_name('summary', target)}  (an earlier build wrote it; this build no longer "
        "produces it)" for target in SCORM]


def test_the_json_report_lists_every_package_with_its_own_notes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = run("build", COURSE_DIR, "-o", tmp_path, "--per-lesson", "-t", "scorm2004", "-t", "cc",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(item["target"], Path(item["path"]).name) for item in report["written"]] == [
        *(("scorm2004", package_name(lesson, "scorm2004")) for lesson in LESSONS),
        ("cc", f"{COURSE_ID}.imscc"),
    ]
    # the first lesson's ordering question is a matching question in the SCORM packages' QTI bank
    # and left out of the cartridge: each package's notes are about the questions it holds (the
    # course's cartridge: every lesson's)
    course = load_course(COURSE_DIR).course
    ordering = {q.id for q in course.lessons[0].quiz.questions if q.kind == "ordering"}
    assert ordering
    notes = {Path(item["path"]).name: {note["question"] for note in item["notes"]} for item in report["written"]}
    assert notes == {
        package_name("services", "scorm2004"): ordering,
        package_name("security", "scorm2004"): set(),
        package_name("summary", "scorm2004"): set(),
        f"{COURSE_ID}.imscc": ordering | {"security-both"},  # Moodle and Canvas grade it partly
    }
