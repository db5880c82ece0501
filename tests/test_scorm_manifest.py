"""The SCORM 1.2 / 2004 manifests and package layout, on hand-built courses and the seed course.

The rendered site is a placeholder file dict here: these tests are about the manifest
and the zip entries, not the pages (tests/test_scorm_e2e.py plays the real ones).
"""

from __future__ import annotations

import re
import sys
import types

import pytest
from lxml import etree

from srm_package.errors import BuildError
from srm_package.model import (
    Course,
    Lesson,
    Question,
    Quiz,
    Recommendation,
    ScoreBand,
    Section,
    YearMonth,
)
from srm_package.questions.choice import Choice, Choices
from srm_package.targets import TARGETS, builder, scorm12, scorm2004
from srm_package.targets.scorm2004 import scaled_passing_score
from srm_package.targets.scorm_manifest import (
    MANIFEST_NAME,
    QuestionBank,
    ScormProfile,
    bank_href,
    bank_identifier,
    manifest_xml,
    package_entries,
    plain_title,
    scorm_artifact,
)
from tests.moodle_manifest import read_manifest
from tests.test_qti import assert_valid

PROFILES = {"scorm12": scorm12.PROFILE, "scorm2004": scorm2004.PROFILE}
SCHEMA_ROOT = {"scorm12": "scorm12/_combined.xsd", "scorm2004": "scorm2004/_combined.xsd"}
MOODLE_VERSION = {"scorm12": "SCORM_1.2", "scorm2004": "SCORM_1.3"}
NAMESPACE_PREFIXES = {"scorm12": {"adlcp"}, "scorm2004": {"adlcp", "adlseq", "adlnav", "imsss"}}
SITE = {
    "index.html": b"<!doctype html><title>placeholder</title>",
    "assets/quiz.js": b"// placeholder",
    "assets/style.css": b"/* placeholder */",
    "assets/img/diagram.png": b"\x89PNG placeholder",
}
TITLE = "Café & Cloud: “Security” in 日本"


def make_course(lessons: int = 2, passing: int = 80, title: str = TITLE, quizzes: bool = True,
                course_id: str = "demo_course") -> Course:
    def question(n: int) -> Question:
        choices = (Choice("right", "Right", True, ""), Choice("wrong", "Wrong", False, ""))
        return Question(f"q{n}", "Which?", Choices("single", choices), "", 1, "intro")

    def quiz(n: int) -> Quiz:
        return Quiz(f"lesson_{n}_quiz", f"Quiz {n}", "", (question(n),),
                    Recommendation((ScoreBand(0, "Keep going."),), "Review {section}."))

    return Course(
        id=course_id, title=title, language="en", author="A. Author", copyright="© 2026",
        last_updated=YearMonth(2026, 6), credits=(), citation=None, passing_score=passing,
        lessons=tuple(
            Lesson(f"lesson-{n}", n, f"Lesson {n}: Überblick", "", (),
                   (Section("intro", "Intro", ()),), quiz(n) if quizzes else None)
            for n in range(1, lessons + 1)
        ),
    )


def placeholder_banks(course: Course) -> list[QuestionBank]:
    return [QuestionBank(bank_identifier(course, quiz), bank_href(quiz), b"<questestinterop/>")
            for quiz in course.quizzes]


def manifest_for(course: Course, target: str) -> bytes:
    return manifest_xml(course, PROFILES[target], SITE, placeholder_banks(course))


targets = pytest.mark.parametrize("target", ["scorm12", "scorm2004"])


def test_registry_lists_scorm_targets_first():
    assert list(TARGETS)[:2] == ["scorm12", "scorm2004"]
    assert builder("scorm12") is scorm12.build_artifact
    assert builder("scorm2004") is scorm2004.build_artifact


@targets
@pytest.mark.parametrize("course", [
    make_course(),
    make_course(lessons=1, passing=100),
    make_course(lessons=3, quizzes=False),
    make_course(title="x" * 300),
], ids=["two-lessons", "one-lesson", "no-quiz", "long-title"])
def test_manifest_validates_against_official_schema(schemas, target, course):
    assert_valid(schemas, SCHEMA_ROOT[target], manifest_for(course, target))


@targets
def test_seed_course_manifest_validates(schemas, seed_course, target):
    assert_valid(schemas, SCHEMA_ROOT[target], manifest_for(seed_course, target))


@targets
def test_moodle_finds_version_one_sco_and_launch_url(target):
    course = make_course()
    seen = read_manifest(manifest_for(course, target))

    assert seen.version == MOODLE_VERSION[target]
    assert seen.missing_resources == []
    organization, item = seen.scoes  # the organization row, then the single item
    assert seen.default_organization == organization.identifier == "demo_course-org"
    assert organization.title == TITLE
    assert [sco.identifier for sco in seen.launchable] == [item.identifier]
    assert item.launch == "index.html"
    assert item.scormtype == "sco"
    assert item.parent == organization.identifier
    assert item.title == TITLE  # several lessons: the one SCO is the whole course


def test_moodle_reads_the_scorm12_mastery_score():
    item = read_manifest(manifest_for(make_course(passing=75), "scorm12")).launchable[0]
    assert item.masteryscore == "75"
    assert item.objectives == []


def test_moodle_reads_the_scorm2004_primary_objective():
    seen = read_manifest(manifest_for(make_course(passing=75), "scorm2004"))
    organization, item = seen.scoes
    assert item.masteryscore is None
    assert item.objectives == [(True, True, "0.75")]
    assert organization.sequencing == {"choice": "true", "flow": "true"}


@targets
def test_a_one_lesson_course_titles_its_item_after_the_lesson(target):
    seen = read_manifest(manifest_for(make_course(lessons=1), target))
    assert seen.launchable[0].title == "Lesson 1: Überblick"


@targets
def test_no_quiz_means_no_pass_mark(target):
    """Without a quiz a mastery score would let Moodle overwrite the status with 'failed'."""
    xml = manifest_for(make_course(quizzes=False), target)
    item = read_manifest(xml).launchable[0]
    assert item.masteryscore is None
    assert item.objectives == []
    assert b"imsqti_xmlv1p2" not in xml


@targets
def test_packaging_elements_unprefixed_and_extension_prefixes_exact(target):
    xml = manifest_for(make_course(), target)
    root = etree.fromstring(xml)
    assert root.nsmap[None] == PROFILES[target].namespaces[None]
    assert set(root.nsmap) - {None} == NAMESPACE_PREFIXES[target]
    # every namespace is declared once, on the root, so each tag keeps its literal prefix
    assert xml.count(b"xmlns") == len(root.nsmap)
    used = {m.group(1).decode() for m in re.finditer(rb"</?([A-Za-z]+):", xml)}
    assert used <= NAMESPACE_PREFIXES[target]
    for element in root.iter(f"{{{root.nsmap[None]}}}*"):
        assert element.prefix is None


@targets
def test_utf8_text_without_numeric_character_references(target):
    course = make_course(title="Sécurité\n\tand <tags> & “quotes” 🚀")
    xml = manifest_for(course, target)
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert b"&#" not in xml
    assert "Sécurité and &lt;tags&gt; &amp; “quotes” 🚀".encode() in xml


@targets
def test_every_sco_file_listed_and_banks_are_separate_assets(target):
    course = make_course()
    root = etree.fromstring(manifest_for(course, target))
    ns = {"cp": root.nsmap[None], "adlcp": root.nsmap["adlcp"]}
    scormtype = f"{{{ns['adlcp']}}}{PROFILES[target].scormtype_attribute}"
    sco, *banks = root.findall("cp:resources/cp:resource", ns)

    assert sco.get("type") == "webcontent"
    assert sco.get(scormtype) == "sco"
    assert sco.get("href") == "index.html"
    assert [f.get("href") for f in sco.findall("cp:file", ns)] == sorted(SITE)

    assert [bank.get("identifier") for bank in banks] == [
        "demo_course-qti-lesson_1_quiz", "demo_course-qti-lesson_2_quiz"]
    for bank in banks:
        assert bank.get("type") == "imsqti_xmlv1p2"
        assert bank.get(scormtype) == "asset"
        assert bank.get("href") is None  # nothing to launch
        assert [f.get("href") for f in bank.findall("cp:file", ns)] == [
            f"qti/{bank.get('identifier').split('-qti-')[1]}.xml"]
    items = root.findall(".//cp:item", ns)
    assert [i.get("identifierref") for i in items] == [sco.get("identifier")]


@targets
def test_manifest_is_deterministic(target):
    assert manifest_for(make_course(), target) == manifest_for(make_course(), target)


@pytest.mark.parametrize(("passing", "scaled"), [
    (80, "0.8"), (100, "1"), (0, "0"), (75, "0.75"), (5, "0.05")])
def test_scaled_passing_score(passing, scaled):
    assert scaled_passing_score(make_course(passing=passing)) == scaled


def test_plain_title_is_one_line_of_at_most_200_characters():
    assert plain_title("  a\n b\t c ") == "a b c"
    long = plain_title("word " * 100)
    assert len(long) == 200 and long.endswith("…")


# ------------------------------------------------------------------- package entries
@targets
def test_package_entries_put_the_manifest_at_the_root(target):
    course = make_course()
    entries = package_entries(course, PROFILES[target], SITE, placeholder_banks(course))
    assert set(entries) == {MANIFEST_NAME, *SITE, "qti/lesson_1_quiz.xml", "qti/lesson_2_quiz.xml"}
    assert entries["qti/lesson_1_quiz.xml"] == b"<questestinterop/>"
    assert read_manifest(entries[MANIFEST_NAME]).launchable[0].launch == "index.html"


@pytest.mark.parametrize("name", [
    "Index2.html", "a b.html", "a:b.html", "../up.html", "a//b.html", "./a.html", "/abs.html",
    "dir/", "café.html", "a&b.html"])
def test_unsafe_entry_names_are_refused(name):
    course = make_course()
    with pytest.raises(BuildError, match="unsafe file name"):
        package_entries(course, scorm12.PROFILE, {**SITE, name: b""}, placeholder_banks(course))


def test_a_site_without_a_launch_page_is_refused():
    course = make_course()
    site = {k: v for k, v in SITE.items() if k != "index.html"}
    with pytest.raises(BuildError, match="no index.html"):
        package_entries(course, scorm12.PROFILE, site, placeholder_banks(course))


def test_a_site_may_not_bring_its_own_manifest():
    course = make_course()
    with pytest.raises(BuildError, match=MANIFEST_NAME):
        package_entries(course, scorm12.PROFILE, {**SITE, MANIFEST_NAME: b""}, [])


def test_a_bank_may_not_overwrite_a_page():
    course = make_course()
    banks = placeholder_banks(course)
    with pytest.raises(BuildError, match="two files"):
        package_entries(course, scorm12.PROFILE, {**SITE, banks[0].href: b""}, banks)


@targets
def test_scorm_artifact_names_and_summarises_the_package(monkeypatch, target):
    """The assembly step, with stand-ins for the renderer and the QTI writer."""
    calls: list[str] = []

    def render_site(course: Course, runtime: str) -> dict[str, bytes]:
        calls.append(runtime)
        return dict(SITE)

    monkeypatch.setitem(sys.modules, "srm_package.render",
                        types.SimpleNamespace(render_site=render_site))
    monkeypatch.setitem(sys.modules, "srm_package.targets.qti",
                        types.SimpleNamespace(question_bank=lambda quiz, scope, media: f"{scope}/{quiz.id}".encode()))
    profile: ScormProfile = PROFILES[target]
    artifact = scorm_artifact(make_course(passing=70), profile)

    assert calls == [target]
    assert artifact.filename == f"demo_course-{target}.zip"
    assert artifact.kind == "zip"
    assert artifact.summary == "2 questions, pass mark 70%"
    assert artifact.entries["qti/lesson_2_quiz.xml"] == b"demo_course/lesson_2_quiz"
