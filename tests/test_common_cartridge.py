"""``cc``: a Common Cartridge 1.1 that Moodle restores and Canvas imports natively."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import replace

import lxml.html as lxml_html
import pytest
from lxml import etree

from srm_package.errors import BuildError
from srm_package.markup import inline_html
from srm_package.model import Course
from srm_package.targets import TARGETS, builder, common_cartridge, qti
from srm_package.targets.ims_cp import Resource, check_package
from tests.importers import (
    CC11_MARK,
    ImportFailure,
    read_cartridge_as_canvas,
    read_cartridge_as_moodle,
    relative_links,
)
from tests.quiz_courses import native_course, zipped
from tests.test_canvas_qti import SAFE_PATH
from tests.test_qti import QTI_CC, QTI_FULL, assert_valid

CC11_MANIFEST = "cc11/ccv1p1_imscp_v1p2_v1p0.xsd"
CC = {"cc": common_cartridge.CC_NS}


@pytest.fixture(params=["seed", "native"])
def course(request, seed_course) -> Course:
    return seed_course if request.param == "seed" else native_course()


@pytest.fixture
def entries(course) -> dict[str, bytes]:
    return dict(common_cartridge.build_artifact(course).entries)


def test_registered_named_and_summarised(course, seed_course):
    assert TARGETS["cc"] == "srm_package.targets.common_cartridge"
    artifact = builder("cc")(course)
    assert artifact.filename == f"{course.id}.imscc"
    assert artifact.kind == "zip"
    assert common_cartridge.build_artifact(seed_course).summary == "1 page, 5 questions, 5 points"


def test_every_document_validates(schemas, course, entries):
    assert_valid(schemas, CC11_MANIFEST, entries["imsmanifest.xml"])
    for quiz in course.quizzes:
        ident = qti.assessment_ident(quiz, course.id)
        cc_qti = entries[f"{ident}/assessment_qti.xml"]
        assert_valid(schemas, QTI_CC, cc_qti)
        assert_valid(schemas, QTI_FULL, cc_qti)
        assert_valid(schemas, QTI_FULL, entries[f"non_cc_assessments/{ident}.xml.qti"])


def test_manifest_follows_moodles_rules(entries):
    manifest = entries["imsmanifest.xml"]
    sniffed = re.sub(r"[\s\"']", "", manifest[:400].decode().lower())
    assert CC11_MARK in sniffed  # the default namespace within the first 400 bytes
    root = etree.fromstring(manifest)
    assert root.xpath("/cc:manifest/cc:metadata/cc:schemaversion/text()", namespaces=CC) == ["1.1.0"]
    # no resource-level metadata at all (Moodle's validation rejects most LOM there)
    assert not root.xpath("//cc:resource/cc:metadata", namespaces=CC)
    for resource in root.xpath("//cc:resource[@type=$t]", namespaces=CC, t=common_cartridge.ASSESSMENT_TYPE):
        files = resource.xpath("cc:file/@href", namespaces=CC)
        assert len(files) == 1 and files[0].endswith("/assessment_qti.xml")
        assert resource.get("href") is None
    assert all(SAFE_PATH.fullmatch(name) for name in entries)


def test_moodle_restores_sections_pages_and_quizzes(course, entries):
    restored = read_cartridge_as_moodle(entries)
    assert restored.title == course.title
    # section 0 ("General") holds the course overview page; lesson n is section n
    assert [(a.kind, a.title) for a in restored.sections[0][1]] == [("page", course.title)]
    assert len(restored.sections) == len(course.lessons) + 1
    for (summary, activities), lesson in zip(restored.sections[1:], course.lessons, strict=True):
        assert summary == f"Lesson {lesson.number}: {lesson.title}"
        kinds = [a.kind for a in activities]
        assert kinds == (["page", "quiz"] if lesson.quiz else ["page"])
        page = activities[0]
        assert "<h1" in page.page_html and inline_html(lesson.title) in page.page_html
        for link in relative_links(page.page_html):
            # Moodle copies linked files only when they exist beside the page
            target = posixpath.normpath(posixpath.join("wiki_content", link.split("#")[0]))
            assert target in entries, link
        if lesson.quiz:
            quiz = activities[1].quiz
            assert activities[1].title == lesson.quiz.title
            assert len(quiz.questions) == len(lesson.quiz.questions)  # no item dropped
            assert quiz.max_attempts == (lesson.quiz.max_attempts or 0)
            # the quiz's marks: cc_weighting carries each question's points
            assert sum(q.points for q in quiz.questions) == lesson.quiz.points
            for got, question in zip(quiz.questions, lesson.quiz.questions, strict=True):
                assert got.stem == inline_html(question.stem)
                assert [c.correct for c in got.choices] == [c.correct for c in question.response.choices]


def test_moodle_refuses_a_cartridge_without_the_namespace_up_front(entries):
    """The sniffing check is real: push the declaration past 500 bytes and detection fails."""
    manifest = entries["imsmanifest.xml"]
    padded = manifest.replace(b"?>\n", b"?>\n<!--" + b" " * 600 + b"-->\n", 1)
    with pytest.raises(ImportFailure, match="not detected"):
        read_cartridge_as_moodle({**entries, "imsmanifest.xml": padded})


def test_canvas_imports_pages_quiz_and_modules(course, entries):
    imported = read_cartridge_as_canvas(entries)
    assert imported.package_type == "canvas_cartridge"
    page_ids = {common_cartridge.page_identifier(course, lesson): lesson for lesson in course.lessons}
    assert set(imported.pages) == set(page_ids) | {common_cartridge.overview_identifier(course)}
    for page_id, lesson in page_ids.items():
        title, state = imported.pages[page_id]
        assert lesson.title in title and state == "active"
    quiz_ids = {qti.assessment_ident(quiz, course.id): quiz for quiz in course.quizzes}
    assert set(imported.quizzes) == set(quiz_ids) == set(imported.quiz_meta)
    for ident, quiz in quiz_ids.items():
        read = imported.quizzes[ident]
        assert [q.stem for q in read.questions] == [inline_html(q.stem) for q in quiz.questions]
        assert float(imported.quiz_meta[ident]["points_possible"]) == quiz.points
    assert [title for title, _ in imported.modules] == [
        f"Lesson {lesson.number}: {lesson.title}" for lesson in course.lessons
    ]
    for (_, items), lesson in zip(imported.modules, course.lessons, strict=True):
        expected = [("WikiPage", common_cartridge.page_identifier(course, lesson))]
        if lesson.quiz:
            expected.append(("Quizzes::Quiz", qti.assessment_ident(lesson.quiz, course.id)))
        assert [(kind, ref) for kind, ref, _, _ in items] == expected


def test_pages_need_no_stylesheet_ids_or_in_page_links(entries):
    """Moodle's import strips ids and <link> (lms-targets §7): the pages carry none and style inline."""
    pages = [v.decode() for k, v in entries.items() if k.startswith("wiki_content/")]
    assert pages and not [k for k in entries if k.endswith(".css")]
    for page in pages:
        assert "<link" not in page and "<script" not in page and ' id="' not in page
        assert 'href="#' not in page
        assert "style-src 'unsafe-inline'" in page and "default-src 'none'" in page
    callouts = [page for page in pages if 'class="callout' in page]
    assert all('class="callout callout-' in page and '" style="' in page for page in callouts)
    # a wide table scrolls in its own box: still reachable by keyboard, named by its section's
    # title now that the heading it pointed at has no id
    boxes = [box for page in pages for box in lxml_html.fromstring(page).find_class("table-wrap")]
    assert all(box.get("tabindex") == "0" and box.get("aria-label") and "aria-labelledby" not in box.attrib
               and "overflow-x: auto" in box.get("style") for box in boxes)
    if any("Customer-Managed Security" in page for page in pages):  # the seed course's table
        assert "Customer-Managed Security" in {box.get("aria-label") for box in boxes}


def test_every_organization_item_holds_content(course, entries):
    """Open edX makes a chapter of every depth-2 item: none may be empty."""
    root = etree.fromstring(entries["imsmanifest.xml"])
    (top,) = root.xpath("/cc:manifest/cc:organizations/cc:organization/cc:item", namespaces=CC)
    for item in top.xpath("cc:item", namespaces=CC):
        assert item.get("identifierref") or item.xpath("cc:item[@identifierref]", namespaces=CC)
    overview = lxml_html.document_fromstring(entries["wiki_content/course-overview.html"]).text_content()
    assert course.title in overview and all(lesson.label in overview for lesson in course.lessons)


def test_a_resource_listed_twice_or_without_its_file_is_refused():
    """The loader refuses duplicate ids; a course built another way is still caught here."""
    course = native_course()
    twice = replace(course, lessons=(course.lessons[0], replace(course.lessons[1], id=course.lessons[0].id)))
    with pytest.raises(BuildError, match="cc: two resources share the identifier 'page_"):
        common_cartridge.build_artifact(twice)
    resource = Resource("res", "webcontent", ("a.html", "b.html"))
    with pytest.raises(BuildError, match=r"res lists missing files \['b.html'\]"):
        check_package({"a.html": b""}, [resource], "cc")


def test_two_builds_are_byte_identical(course):
    first = zipped(common_cartridge.build_artifact(course).entries)
    assert first == zipped(common_cartridge.build_artifact(course).entries)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert "imsmanifest.xml" in archive.namelist()
