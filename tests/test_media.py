"""Figures, formulas and code (tests/roots/media): read, checked, and carried by every target.

The course has a PNG and an SVG figure and a decorative icon in its lesson, inline and
display math, highlighted Python, and a quiz with a JPEG in a stem, a PNG in a choice
and formulas in stems, choices and feedback. Every package is read back the way its
importer reads it (tests/importers.py), checked against the official schemas, and the
pages are opened in Chromium.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree
from moodle_xml_parser.parser import parse_bytes
from playwright.sync_api import expect

from srm_package.build import build
from srm_package.errors import BuildError, SourceError
from srm_package.loader import load_course
from srm_package.model import CodeBlock, Course, Figure, MathBlock
from srm_package.targets import TARGETS
from srm_package.validate import run_validation
from tests.hostile_backups import tgz
from tests.importers import (
    canvas_file_for,
    html_images,
    moodle_cc_file_for,
    moodle_embedded_files,
    read_canvas_qti_zip,
    read_cartridge_as_canvas,
    read_cartridge_as_moodle,
    read_moodle_xml,
)
from tests.support.axe import format_violations, run_axe
from tests.support.browser import OfflinePage
from tests.support.moodle_backup_reader import members_of, plugin_files, read_moodle_backup
from tests.support.paths import AXE_SCRIPT, require_files
from tests.support.vnu import run_vnu

ROOT = Path(__file__).resolve().parent / "roots" / "media"
FIGURES = ROOT / "figures"
SCHEMAS = {
    "scorm12": "scorm12/_combined.xsd",
    "scorm2004": "scorm2004/_combined.xsd",
    "canvas-qti": "imscp12/imscp_v1p2.xsd",
    "cc": "cc11/ccv1p1_imscp_v1p2_v1p0.xsd",
}
QTI_FULL = "qti12/domainProfile_4/ims_qtiasiv1p2.xsd"
QTI_CC = "cc11/ccv1p1_qtiasiv1p2p1_v1p0.xsd"
ZIPS = {"scorm12": "media-course-scorm12.zip", "scorm2004": "media-course-scorm2004.zip",
        "canvas-qti": "media-course-canvas-qti.zip", "cc": "media-course.imscc"}


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(ROOT).course


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dist")
    build(ROOT, folder, list(TARGETS))  # the default build: every target
    return folder


def entries_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def assert_valid(schemas: Path, relative: str, document: bytes, name: str) -> None:
    schema = etree.XMLSchema(etree.parse(str(schemas / relative)))
    if not schema.validate(etree.fromstring(document)):
        raise AssertionError("\n".join(f"{name} line {e.line}: {e.message}" for e in schema.error_log))


def figure(name: str) -> bytes:
    return (FIGURES / name).read_bytes()


# ------------------------------------------------------------------- the model
def test_the_lesson_reads_into_figures_formulas_and_code(course):
    lesson = course.lessons[0]
    layers, sizing, code = lesson.sections
    figures = [block for block in layers.blocks if isinstance(block, Figure)]
    assert [(f.src, f.caption) for f in figures] == [
        ("../figures/layers.svg", "The layers of the shared responsibility model"),
        ("../figures/shared-responsibility-chart.png", "Tasks per party"),
    ]
    assert figures[1].alt.startswith("Bar chart: 60 tasks")
    assert [b.tex for b in sizing.blocks if isinstance(b, MathBlock)] == ["L = \\frac{u}{1 - u}"]
    assert [(b.language, b.code.splitlines()[0]) for b in code.blocks if isinstance(b, CodeBlock)] == [
        ("python", "def queue_length(arrivals: float, service: float) -> float:")]


def test_each_image_file_is_one_media_file_named_after_it(course):
    names = [media.name for media in course.media]
    assert [name.rsplit("-", 1)[0] for name in names] == ["layers", "padlock", "server", "shared-responsibility-chart"]
    # the padlock is shown by the lesson and by a choice: one file
    assert {ref.digest for ref in course.lessons[0].images} & {ref.digest for ref in course.lessons[0].quiz.images}
    by_name = {media.name.rsplit("-", 1)[0]: media for media in course.media}
    assert (by_name["layers"].media_type, by_name["layers"].width, by_name["layers"].height) == ("image/svg+xml", 320, 180)
    assert (by_name["server"].media_type, by_name["server"].width) == ("image/jpeg", 120)


def test_identical_files_under_two_names_are_stored_once(tmp_path):
    shutil.copytree(ROOT, tmp_path / "course")
    root = tmp_path / "course"
    shutil.copy(root / "figures" / "padlock.png", root / "figures" / "a-copy.png")
    quiz = root / "lessons" / "01-capacity.quiz.yaml"
    quiz.write_text(quiz.read_text().replace("../figures/padlock.png", "../figures/a-copy.png"))
    course = load_course(root).course
    padlocks = [m for m in course.media if m.digest == load_course(ROOT).course.media[1].digest]
    assert [m.name.rsplit("-", 1)[0] for m in padlocks] == ["a-copy"]  # the first path in order names it


# ------------------------------------------------------------------- packages
def test_scorm_packages_list_and_store_the_images(dist, schemas, course):
    for target in ("scorm12", "scorm2004"):
        path = dist / ZIPS[target]
        entries = entries_of(path)
        assert_valid(schemas, SCHEMAS[target], entries["imsmanifest.xml"], target)
        manifest = etree.fromstring(entries["imsmanifest.xml"])
        listed = manifest.xpath("//*[local-name()='resource'][@href='index.html']/*[local-name()='file']/@href")
        for media in course.media:
            name = f"media/{media.name}"
            assert entries[name] == Path(media.path).read_bytes()
            assert listed.count(name) == 1
        with zipfile.ZipFile(path) as archive:
            methods = {info.filename: info.compress_type for info in archive.infolist()}
        assert {methods[n] for n in methods if n.endswith((".png", ".jpg"))} == {zipfile.ZIP_STORED}
        assert methods[next(n for n in methods if n.endswith(".svg"))] == zipfile.ZIP_DEFLATED
        for name in entries:
            if name.startswith("qti/"):
                assert_valid(schemas, QTI_FULL, entries[name], name)
        page = entries["index.html"].decode()
        for src in html_images(page):
            assert src in entries, src


def test_the_plain_site_holds_the_images(dist, course):
    site = dist / "media-course-html"
    for media in course.media:
        assert (site / "media" / media.name).read_bytes() == Path(media.path).read_bytes()


def test_the_canvas_zip_references_only_files_it_holds(dist, schemas, course):
    entries = entries_of(dist / ZIPS["canvas-qti"])
    assert_valid(schemas, SCHEMAS["canvas-qti"], entries["imsmanifest.xml"], "canvas-qti manifest")
    imported = read_canvas_qti_zip(entries)
    (quiz,) = imported.quizzes.values()
    shown = {}
    for question in quiz.questions:
        for text in (question.stem, *(c.text for c in question.choices), *(c.feedback for c in question.choices)):
            for src in html_images(text):
                shown[src] = canvas_file_for(entries, src)
    assert set(shown) == {"$IMS-CC-FILEBASE$/media/" + m.name for m in course.media
                          if m.name.startswith(("server", "padlock"))}
    assert None not in shown.values()
    # only the quiz's images travel in the quiz zip, each a webcontent resource
    assert sorted(n for n in entries if n.startswith("media/")) == sorted(shown.values())
    manifest = etree.fromstring(entries["imsmanifest.xml"])
    for name in shown.values():
        assert manifest.xpath(f"//*[local-name()='resource'][@type='webcontent']/*[local-name()='file'][@href='{name}']")
    for name in entries:
        if name.endswith(f"{quiz.ident}.xml"):
            assert_valid(schemas, QTI_FULL, entries[name], name)
    # formulas reach Canvas as MathML
    stem = quiz.questions[1].stem
    assert "<math" in stem and "$" not in stem


def test_the_cartridge_references_only_files_it_holds(dist, schemas, course):
    entries = entries_of(dist / ZIPS["cc"])
    assert_valid(schemas, SCHEMAS["cc"], entries["imsmanifest.xml"], "cc manifest")
    for name in entries:
        if name.endswith("assessment_qti.xml"):
            assert_valid(schemas, QTI_CC, entries[name], name)
    # Moodle: the page and the quiz's question text, relative to their own folders
    moodle = read_cartridge_as_moodle(entries)
    activities = [activity for _, section in moodle.sections for activity in section]
    page = next(a for a in activities if a.kind == "page" and a.title.startswith("Lesson 1"))
    page_images = html_images(page.page_html)
    assert page_images and all(moodle_cc_file_for(entries, src, "wiki_content") for src in page_images)
    quiz = next(a for a in activities if a.kind == "quiz")
    qti_folder = next(n for n in entries if n.endswith("assessment_qti.xml")).rsplit("/", 1)[0]
    stem_images = html_images(quiz.quiz.questions[0].stem)
    assert stem_images and all(moodle_cc_file_for(entries, src, qti_folder) for src in stem_images)
    assert "\\(" in quiz.quiz.questions[1].stem  # LaTeX for Moodle's MathJax filter
    # Canvas: its own quiz copy and the wiki page
    canvas = read_cartridge_as_canvas(entries)
    (canvas_quiz,) = canvas.quizzes.values()
    for question in canvas_quiz.questions:
        for text in (question.stem, *(c.text for c in question.choices)):
            for src in html_images(text):
                assert canvas_file_for(entries, src) in entries, src
    for src in page_images:
        assert canvas_file_for(entries, src) in entries
    # every image file once, in web_resources, listed as webcontent
    stored = sorted(n for n in entries if n.startswith("web_resources/media/"))
    assert stored == sorted(f"web_resources/media/{m.name}" for m in course.media)


def test_moodle_xml_embeds_each_image_in_the_text_that_shows_it(dist, course):
    document = (dist / "media-course-moodle.xml").read_bytes()
    read_moodle_xml(document)  # imports
    parsed = parse_bytes(document)  # the independent parser
    stem = next(q for q in parsed["multichoice"] if "Who patches" in q.name).text_pre_parse
    assert '<img src="@@PLUGINFILE@@/server-' in stem
    root = etree.fromstring(document)
    question = next(q for q in root.findall("question") if q.findtext("idnumber") == "who-patches")
    files = moodle_embedded_files(question.find("questiontext"))
    (name,) = files
    assert f"@@PLUGINFILE@@/{name}" in question.findtext("questiontext/text")
    assert files[name] == figure("server.jpg")
    choice = question.findall("answer")[1]
    assert list(moodle_embedded_files(choice).values()) == [figure("padlock.png")]
    assert moodle_embedded_files(question.find("generalfeedback")) == {}
    formulas = next(q for q in root.findall("question") if q.findtext("idnumber") == "utilisation")
    assert "\\(u\\) when \\(\\lambda = 5\\)" in formulas.findtext("questiontext/text")
    assert "\\[u = \\frac{\\lambda}{\\mu}\\]" in formulas.findtext("incorrectfeedback/text")


def test_the_moodle_backup_carries_each_image_in_the_area_of_the_text_that_shows_it(dist, course):
    """Read as Moodle's restore reads it (tests/support/moodle_backup_reader.py): the Page's
    images in its own content area, named by its inforef.xml; a question's in the areas of its
    text and of the answer that shows it; every content once, under its SHA-1."""
    restored = read_moodle_backup((dist / "media-course.mbz").read_bytes())
    lesson = course.lessons[0]
    by_stem = {media.name.rsplit("-", 1)[0]: media for media in course.media}
    content = restored.pages[lesson.label]
    page_area = (restored.page_contexts[lesson.label], "mod_page", "content", "0")
    page_files = restored.files_of(page_area)
    assert sorted(plugin_files(content)) == sorted(page_files) == sorted(
        by_stem[stem].name for stem in ("layers", "shared-responsibility-chart", "padlock"))
    assert {name: data for name, data in page_files.items()} == {
        by_stem[stem].name: figure(file) for stem, file in (("layers", "layers.svg"), ("padlock", "padlock.png"),
                                                            ("shared-responsibility-chart",
                                                             "shared-responsibility-chart.png"))}
    (quiz,) = restored.quizzes.values()
    who, utilisation = (slot.question for slot in quiz.slots)

    def area(question, filearea: str, item: str | None = None) -> dict[str, bytes | None]:
        return restored.files_of((question.context, "question", filearea, item or question.id))

    assert plugin_files(who.text) == [by_stem["server"].name]
    assert area(who, "questiontext") == {by_stem["server"].name: figure("server.jpg")}
    customer, aws = who.answers
    assert plugin_files(aws.text) == [by_stem["padlock"].name]
    assert area(who, "answer", aws.id) == {by_stem["padlock"].name: figure("padlock.png")}
    assert area(who, "answer", customer.id) == {} and area(who, "generalfeedback") == {}
    # the restore copies exactly these files: nothing else in any area
    assert sum(len(files) for files in restored.files.values()) == 5
    # formulas stay LaTeX for Moodle's MathJax filter, images or not
    assert "\\(u\\) when \\(\\lambda = 5\\)" in utilisation.text
    assert "\\[u = \\frac{\\lambda}{\\mu}\\]" in utilisation.options["incorrectfeedback"]
    assert "\\[L = \\frac{u}{1 - u}\\]" in content and "<math" not in content
    # its code box scrolls on a phone: it stays reachable and named for keyboard users
    assert '<pre class="code" role="group" tabindex="0" aria-label="Code: python"' in content
    # each content once, under its SHA-1, however many areas hold it (the padlock: two)
    members = members_of((dist / "media-course.mbz").read_bytes())
    stored = {name: data for name, data in members.items() if name.startswith("files/")}
    assert sorted(stored) == sorted(f"files/{m.sha1[:2]}/{m.sha1}" for m in course.media)
    assert all(hashlib.sha1(data).hexdigest() == name.rsplit("/", 1)[1] for name, data in stored.items())


def test_a_rebuild_is_byte_identical(dist, tmp_path):
    build(ROOT, tmp_path, list(TARGETS))
    for name in (*ZIPS.values(), "media-course-moodle.xml", "media-course.mbz"):
        assert (tmp_path / name).read_bytes() == (dist / name).read_bytes(), name


def test_our_validator_passes_every_package(dist, schemas):
    results = run_validation([dist], schemas)
    assert len(results) == 7
    for result in results:
        assert not result.findings, (result.path, [str(f) for f in result.findings])


def test_the_validator_reports_images_that_are_not_in_the_package(dist, tmp_path):
    for target in ("canvas-qti", "cc"):
        entries = entries_of(dist / ZIPS[target])
        removed = next(n for n in entries if n.endswith(".jpg"))
        broken = tmp_path / ZIPS[target]
        with zipfile.ZipFile(broken, "w") as archive:
            for name, data in entries.items():
                if name != removed:
                    archive.writestr(name, data.replace(f' href="{removed}"'.encode(), b' href="index.html"'))
        (result,) = run_validation([broken])
        checks = {finding.check for finding in result.findings}
        assert "media.qti-image" in checks, [str(f) for f in result.findings]
    document = (dist / "media-course-moodle.xml").read_bytes()
    root = etree.fromstring(document)
    for file in root.iter("file"):
        file.getparent().remove(file)
    broken_xml = tmp_path / "broken-moodle.xml"
    broken_xml.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    (result,) = run_validation([broken_xml])
    assert {f.check for f in result.findings} == {"media.moodle-image"}
    # another tool's QTI zip: a text2qti-style reference to a file it does not carry
    other = tmp_path / "other.zip"
    entries = entries_of(dist / ZIPS["canvas-qti"])
    with zipfile.ZipFile(other, "w") as archive:
        for name, data in entries.items():
            if name.endswith(".xml") and b"questestinterop" in data:
                data = data.replace(b"$IMS-CC-FILEBASE$/media/server-", b"%24IMS-CC-FILEBASE%24/images/gone-")
            archive.writestr(name, data)
    (result,) = run_validation([other])
    assert [f.check for f in result.findings] == ["media.qti-image"]
    # the backup without the JPEG's content, then without the padlock's records
    members = members_of((dist / "media-course.mbz").read_bytes())
    jpeg = next(m for m in load_course(ROOT).course.media if m.name.endswith(".jpg"))
    broken_backup = tmp_path / "no-content.mbz"
    broken_backup.write_bytes(tgz({n: d for n, d in members.items() if not n.endswith(jpeg.sha1)}))
    (result,) = run_validation([broken_backup])
    assert [(f.check, f.member) for f in result.findings] == [("mbz.file-content", "files.xml")]
    files = etree.fromstring(members["files.xml"])
    for row in files.findall("file"):
        if row.findtext("filename").startswith("padlock-"):
            files.remove(row)
    broken_backup = tmp_path / "no-records.mbz"
    broken_backup.write_bytes(tgz({**members, "files.xml": etree.tostring(files, xml_declaration=True,
                                                                          encoding="UTF-8")}))
    (result,) = run_validation([broken_backup])
    # the page and the question's answer show the padlock: both are reported, where they show it
    assert sorted((f.check, f.member.split("/")[0]) for f in result.findings) == [
        ("mbz.file-record", "activities"), ("mbz.file-record", "questions.xml")]


# ----------------------------------------------------------------- the checks
def _course_with(tmp_path: Path, *, lesson: tuple[str, str] | None = None, quiz: tuple[str, str] | None = None,
                 files: dict[str, bytes] | None = None) -> Path:
    root = tmp_path / "course"
    shutil.copytree(ROOT, root)
    for change, name in ((lesson, "01-capacity.md"), (quiz, "01-capacity.quiz.yaml")):
        if change is None:
            continue
        old, new = change
        path = root / "lessons" / name
        text = path.read_text()
        assert old in text, old
        path.write_text(text.replace(old, new, 1))
    for name, data in (files or {}).items():
        (root / name).write_bytes(data)
    return root


def _problems(root: Path) -> list[tuple[str, int, str, str, str]]:
    try:
        loaded = load_course(root)
    except SourceError as error:
        problems = error.problems
    else:
        problems = loaded.warnings
    return [(Path(p.file).name, p.line, p.field, p.severity, p.message) for p in problems]


LESSON_FIGURE = "![Bar chart: 60 tasks for the customer, 100 for AWS, 40 shared](../figures/shared-responsibility-chart.png"
SVG_HEAD = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
BAD = [
    ("missing file", dict(lesson=(LESSON_FIGURE, "![Chart](../figures/nope.png")),
     [("01-capacity.md", 18, "image", "error", "figures/nope.png: no such file")]),
    ("leaving the folder", dict(lesson=(LESSON_FIGURE, "![Chart](../../outside.png")),
     [("01-capacity.md", 18, "image", "error", "'../../outside.png' leaves the course folder")]),
    ("a URL", dict(lesson=(LESSON_FIGURE, "![Chart](https://example.com/c.png")),
     [("01-capacity.md", 18, "image", "error", "'https://example.com/c.png' is not a file in the course folder: "
       "images are packaged, never loaded from elsewhere (save it into the course folder)")]),
    ("unsupported type", dict(lesson=(LESSON_FIGURE, "![Chart](../figures/c.bmp"), files={"figures/c.bmp": b"BM"}),
     [("01-capacity.md", 18, "image", "error", "figures/c.bmp: unsupported image type '.bmp'; use PNG, JPEG, "
       "GIF, WebP or SVG (.png, .jpg, .jpeg, .gif, .webp, .svg)")]),
    ("not what its extension says", dict(lesson=(LESSON_FIGURE, "![Chart](../figures/server.png"),
                                         files={"figures/server.png": (FIGURES / "server.jpg").read_bytes()}),
     [("01-capacity.md", 18, "image", "error", "figures/server.png is a JPEG file, not what its extension '.png' "
       "says; rename it to .jpg")]),
    ("not an image", dict(lesson=(LESSON_FIGURE, "![Chart](../figures/notes.png"), files={"figures/notes.png": b"hello"}),
     [("01-capacity.md", 18, "image", "error", "figures/notes.png is not an image (its content is none of PNG, "
       "JPEG, GIF, WebP, SVG)")]),
    ("no alt text", dict(quiz=("![A server rack with three units]", "![]")),
     [("01-capacity.quiz.yaml", 13, "questions[0].stem", "error", "the image '../figures/server.jpg' has no alt "
       "text: describe what it shows, ![a bar chart of ...](../figures/server.jpg); mark a purely decorative "
       "image with ![](../figures/server.jpg){.decorative}")]),
    ("an attribute other than decorative", dict(lesson=("{.decorative}", "{width=20}")),
     [("01-capacity.md", 20, "image", "error", "only {.decorative} may follow an image; found width"),
      ("01-capacity.md", 20, "image", "error", "the image '../figures/padlock.png' has no alt text: describe what "
       "it shows, ![a bar chart of ...](../figures/padlock.png); mark a purely decorative image with "
       "![](../figures/padlock.png){.decorative}")]),
    ("SVG with a script", dict(files={"figures/layers.svg": SVG_HEAD + b"<script>alert(1)</script></svg>"}),
     [("01-capacity.md", 14, "image", "error", "figures/layers.svg line 1: an SVG image may not hold a <script>")]),
    ("SVG with an event handler", dict(files={"figures/layers.svg": SVG_HEAD + b'<rect onclick="x()"/></svg>'}),
     [("01-capacity.md", 14, "image", "error", "figures/layers.svg line 1: event handler attribute 'onclick' is "
       "not allowed in an image")]),
    ("SVG with an external reference", dict(files={
        "figures/layers.svg": SVG_HEAD + b'<image href="https://example.com/x.png"/></svg>'}),
     [("01-capacity.md", 14, "image", "error", "figures/layers.svg line 1: <image> refers to "
       "'https://example.com/x.png'; an SVG image may only refer to its own parts ('#id')")]),
    ("SVG with a CSS import", dict(files={"figures/layers.svg": SVG_HEAD + b'<style>@import "x.css";</style></svg>'}),
     [("01-capacity.md", 14, "image", "error", "figures/layers.svg line 1: the SVG's CSS loads '@import'; an SVG "
       "image may only refer to its own parts")]),
    ("invalid LaTeX inline", dict(quiz=("$u = 2$", "$u = \\\\frac{2}$")),
     [("01-capacity.quiz.yaml", 32, "questions[1].choices[1].text", "error", "invalid LaTeX in $u = \\frac{2}$: a "
       "fraction needs a numerator and a denominator (each in {...})")]),
    ("invalid LaTeX in a display formula", dict(lesson=("L = \\frac{u}{1 - u}", "L = u^")),
     [("01-capacity.md", 27, "math", "error", "invalid LaTeX in $L = u^$: '^' needs a superscript after it")]),
    ("unknown command", dict(lesson=("$u = \\frac{\\lambda}{\\mu}$", "$u = \\lamda$")),
     [("01-capacity.md", 24, "math", "error", "invalid LaTeX in $u = \\lamda$: unknown command \\lamda")]),
    ("unknown code language", dict(lesson=("```python", "```pythn")),
     [("01-capacity.md", 37, "code", "warning", "unknown code language 'pythn': the code is shown without "
       "highlighting (see Pygments' list of languages, e.g. python, javascript, yaml)")]),
    ("a reference-style image", dict(lesson=("The chart below compares the work on each side.",
                                             "See ![the chart][c].\n\n[c]: ../figures/padlock.png")),
     [("01-capacity.md", 16, "image", "error", "reference-style images ![alt][name] are not supported; write "
       "![alt](path)")]),
    ("an image in the instructions", dict(quiz=("instructions: Select one answer per question.",
                                                 "instructions: See ![x](../figures/padlock.png).")),
     [("01-capacity.quiz.yaml", 2, "instructions", "error", "images are allowed only in lesson bodies and question "
       "texts (stem, choices, feedback, explanation)")]),
]


@pytest.mark.parametrize("changes, expected", [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_check_reports_each_mistake_at_its_line(tmp_path, changes, expected):
    assert _problems(_course_with(tmp_path, **changes)) == expected


def test_a_large_image_is_a_warning(tmp_path, monkeypatch):
    from srm_package.sources import media

    monkeypatch.setattr(media, "WARN_BYTES", 2000)
    assert _problems(ROOT) == [("01-capacity.quiz.yaml", 13, "questions[0].stem", "warning",
                                "figures/server.jpg is 0.0 MiB; images over 0 MiB make pages slow to load and Moodle "
                                "XML files large (resize or compress it)")]


def test_hostile_latex_and_svg_are_refused_not_crashed(tmp_path):
    deep = "{" * 3000 + "x" + "}" * 3000
    root = _course_with(tmp_path, lesson=("L = \\frac{u}{1 - u}", deep[:3990]),
                        files={"figures/layers.svg": b'<!DOCTYPE svg [<!ENTITY a "aaaa">]>' + SVG_HEAD + b"&a;</svg>"})
    messages = [message for *_, message in _problems(root)]
    assert any("declares XML entities" in m for m in messages), messages
    assert any(m.startswith("invalid LaTeX") for m in messages), messages


def test_a_text_with_a_formula_renders_no_markup_from_the_formula():
    from srm_package.formulas import mathml

    out = mathml("\\text{<script>alert(1)</script>} + x", display=False)
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_a_file_changed_during_the_build_stops_it(tmp_path, course):
    from srm_package.package_files import FileSource, write_zip_entry

    media = course.media[0]
    copy = tmp_path / media.name
    copy.write_bytes(Path(media.path).read_bytes() + b"more")
    with zipfile.ZipFile(io.BytesIO(), "w") as archive, pytest.raises(BuildError, match="changed while"):
        write_zip_entry(archive, zipfile.ZipInfo("x"), FileSource(str(copy), media.size))


def test_quiz_only_builds_carry_the_quiz_images(tmp_path, course):
    build(ROOT, tmp_path, ["canvas-qti", "moodle-xml"])
    entries = entries_of(tmp_path / ZIPS["canvas-qti"])
    assert sorted(posixpath.basename(n) for n in entries if n.startswith("media/")) == sorted(
        m.name for m in course.media if m.name.startswith(("server", "padlock")))


# ------------------------------------------------------------------ in Chromium
def _allow_axe(offline_page: OfflinePage) -> None:
    require_files(AXE_SCRIPT)
    offline_page.page.add_init_script(path=str(AXE_SCRIPT))


def _loaded_images(frame) -> list[dict]:
    return frame.evaluate("""() => [...document.images].map((img) => ({
        src: img.getAttribute("src"), complete: img.complete, width: img.naturalWidth}))""")


def _check_page(offline_page: OfflinePage, frame, responses: list) -> None:
    expect(frame.locator("math").first).to_be_visible()
    images = _loaded_images(frame)
    assert len(images) == 5  # 2 figures and an icon in the lesson, 1 in a stem, 1 in a choice
    assert all(image["complete"] and image["width"] > 0 for image in images), images
    assert not [r for r in responses if r.status >= 400], [r.url for r in responses if r.status >= 400]
    # MathML is laid out by the browser (a formula has a size), and no formula is left as TeX
    # (formulas in feedback that is still hidden have no box yet)
    sizes = frame.evaluate("""() => [...document.querySelectorAll('math')].filter((m) => m.checkVisibility())
        .map((m) => [m.getBoundingClientRect().width, m.getBoundingClientRect().height])""")
    assert len(sizes) >= 7 and all(width > 0 and height > 0 for width, height in sizes), sizes
    assert "\\frac" not in frame.locator("main").inner_text()
    # highlighted code: token spans, coloured by the stylesheet
    keyword = frame.locator("pre.code .k").first
    assert keyword.evaluate("(el) => getComputedStyle(el).color") == "rgb(255, 158, 203)"
    violations = run_axe(frame)
    assert not violations, format_violations(violations)


def test_the_html_site_shows_images_math_and_code(offline_page: OfflinePage, dist):
    _allow_axe(offline_page)
    responses: list = []
    offline_page.page.on("response", lambda response: responses.append(response))
    offline_page.open(dist / "media-course-html")
    _check_page(offline_page, offline_page.page, responses)


@pytest.mark.parametrize("target, version", [("scorm12", "1.2"), ("scorm2004", "2004")])
def test_the_scorm_packages_show_images_math_and_code_in_the_lms(lms, offline_page, dist, tmp_path, target, version):
    folder = tmp_path / target
    with zipfile.ZipFile(dist / ZIPS[target]) as archive:
        archive.extractall(folder)
    _allow_axe(offline_page)
    responses: list = []
    offline_page.page.on("response", lambda response: responses.append(response))
    session = lms(folder, version=version)
    frame = session.frame
    frame.wait_for_load_state("load")
    _check_page(offline_page, frame, responses)


def test_wide_code_scrolls_from_the_keyboard_on_a_phone(offline_page: OfflinePage, dist):
    """Code and display formulas scroll inside their own box on a phone; keyboard users reach
    that box with Tab and scroll it with the arrow keys (WCAG 2.1.1, axe scrollable-region-focusable)."""
    page = offline_page.page
    page.set_viewport_size({"width": 390, "height": 844})
    offline_page.open(dist / "media-course-html")
    code = page.locator("pre.code")
    assert code.evaluate("(el) => el.scrollWidth > el.clientWidth")  # it does scroll at 390 px
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('pre.code')"):
            break
    else:
        raise AssertionError("Tab never reached the code block")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Code: python"
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    # Chromium animates key scrolling: wait for the box to move rather than read it at once.
    page.wait_for_function("() => document.querySelector('pre.code').scrollLeft > 0", timeout=10_000)
    formula = page.locator(".math-display")
    assert (formula.get_attribute("tabindex"), formula.get_attribute("aria-label")) == ("0", "Formula")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_pages_pass_the_nu_html_checker(dist, tmp_path):
    cartridge = entries_of(dist / ZIPS["cc"])
    page = tmp_path / "wiki.html"
    page.write_bytes(cartridge["wiki_content/capacity.html"])
    errors = run_vnu([dist / "media-course-html" / "index.html", page])
    assert not errors, "\n".join(map(str, errors))


def test_model_without_the_loader_is_refused_cleanly(course):
    """A text showing an image the loader never found cannot be written silently."""
    from srm_package.render import render_site

    lesson = replace(course.lessons[0], images=())
    with pytest.raises(BuildError, match="not found by the loader"):
        render_site(replace(course, lessons=(lesson,)), "none")
