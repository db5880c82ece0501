"""A small hand-made Moodle backup (.mbz), and broken or hostile ones made from it.

The baseline is the least a course backup holds for Moodle's restore (an index, the root
files, the course, one section with one Page), written here by hand, not by our target.
Each case changes one thing and names the check that must catch it (see hostile_packages).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

Entries = dict[str, bytes]
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _doc(root: etree._Element) -> bytes:
    etree.indent(root)
    return _DECLARATION + etree.tostring(root, encoding="UTF-8")


def _row(parent: etree._Element | None, tag: str, **fields: str) -> etree._Element:
    row = etree.Element(tag) if parent is None else etree.SubElement(parent, tag)
    for name, value in fields.items():
        etree.SubElement(row, name).text = value
    return row


def _index(activity_directory: str = "activities/page_7") -> bytes:
    root = etree.Element("moodle_backup")
    information = _row(root, "information", name="demo.mbz", moodle_version="2024100700",
                       moodle_release="4.5", backup_version="2024100700", backup_release="4.5",
                       backup_date="1767225600", original_course_id="3")
    _row(etree.SubElement(information, "details"), "detail", type="course", format="moodle2", mode="10")
    contents = etree.SubElement(information, "contents")
    _row(etree.SubElement(contents, "activities"), "activity", moduleid="7", sectionid="5", modulename="page",
         title="Demo page", directory=activity_directory)
    _row(etree.SubElement(contents, "sections"), "section", sectionid="5", title="Week 1",
         directory="sections/section_5")
    _row(contents, "course", courseid="3", title="demo", directory="course")
    settings = etree.SubElement(information, "settings")
    for name, value in (("users", "0"), ("activities", "1")):
        _row(settings, "setting", level="root", name=name, value=value)
    return _doc(root)


def _empty(tag: str, *children: str) -> bytes:
    root = etree.Element(tag)
    for name in children:
        etree.SubElement(root, name)
    return _doc(root)


def backup_entries() -> Entries:
    page = etree.Element("activity", id="2", moduleid="7", modulename="page", contextid="30")
    _row(page, "page", name="Demo page", content="<p>Hello</p>", contentformat="1")
    return {
        "moodle_backup.xml": _index(),
        "files.xml": _empty("files"),
        "roles.xml": _empty("roles_definition"),
        "groups.xml": _empty("groups"),
        "scales.xml": _empty("scales_definition"),
        "outcomes.xml": _empty("outcomes_definition"),
        "questions.xml": _empty("question_categories"),
        "course/course.xml": _doc(_row(None, "course", shortname="demo", fullname="Demo", format="topics")),
        "course/roles.xml": _empty("roles", "role_overrides", "role_assignments"),
        "sections/section_5/section.xml": _doc(_row(None, "section", number="1", name="Week 1", sequence="7")),
        "activities/page_7/module.xml": _doc(_row(None, "module", modulename="page", sectionid="5")),
        "activities/page_7/page.xml": _doc(page),
        "activities/page_7/roles.xml": _empty("roles", "role_overrides", "role_assignments"),
        "activities/page_7/grades.xml": _empty("activity_gradebook", "grade_items"),
    }


#: a tiny PNG the Page of ``backup_with_image`` shows, its SHA-1 and where its content is stored
PICTURE = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + bytes(20)
PICTURE_SHA1 = hashlib.sha1(PICTURE).hexdigest()
PICTURE_CONTENT = f"files/{PICTURE_SHA1[:2]}/{PICTURE_SHA1}"


def backup_with_image(*, record: bool = True, content: bool = True, inforef: bool = True,
                      area: str = "content") -> Entries:
    """The baseline whose Page shows ``@@PLUGINFILE@@/chart.png`` from its own file area (as
    Moodle's backup writes it): the file's record in files.xml (in ``area``), its content, and
    the page's inforef.xml naming the record; each can be left out."""
    entries = backup_entries()
    page = etree.Element("activity", id="2", moduleid="7", modulename="page", contextid="30")
    _row(page, "page", name="Demo page", content='<p><img src="@@PLUGINFILE@@/chart.png" alt="A chart"></p>',
         contentformat="1")
    entries["activities/page_7/page.xml"] = _doc(page)
    files = etree.Element("files")
    if record:
        _row(files, "file", contenthash=PICTURE_SHA1, contextid="30", component="mod_page", filearea=area,
             itemid="0", filepath="/", filename="chart.png", userid="$@NULL@$", filesize=str(len(PICTURE)),
             mimetype="image/png", repositoryid="$@NULL@$").set("id", "41")
    entries["files.xml"] = _doc(files)
    if inforef:
        references = etree.Element("inforef")
        _row(etree.SubElement(references, "fileref"), "file", id="41")
        entries["activities/page_7/inforef.xml"] = _doc(references)
    if content:
        entries[PICTURE_CONTENT] = PICTURE
    return entries


def backup_with_quiz(entry: str = "98") -> Entries:
    """The baseline plus a quiz whose one slot asks question bank entry ``entry`` (the bank holds 98)."""
    entries = backup_entries()
    index = etree.fromstring(entries["moodle_backup.xml"])
    activities = index.find("information/contents/activities")
    _row(activities, "activity", moduleid="8", sectionid="5", modulename="quiz", title="Demo quiz",
         directory="activities/quiz_8")
    entries["moodle_backup.xml"] = _doc(index)
    quiz = etree.Element("activity", id="3", moduleid="8", modulename="quiz", contextid="31")
    slots = etree.SubElement(_row(quiz, "quiz", name="Demo quiz"), "question_instances")
    slot = _row(slots, "question_instance", slot="1", page="1", maxmark="1.0000000")
    _row(slot, "question_reference", usingcontextid="31", component="mod_quiz", questionarea="slot",
         questionbankentryid=entry)
    entries["activities/quiz_8/quiz.xml"] = _doc(quiz)
    for name, data in (("module.xml", _doc(_row(None, "module", modulename="quiz", sectionid="5"))),
                       ("roles.xml", _empty("roles", "role_overrides", "role_assignments")),
                       ("grades.xml", _empty("activity_gradebook", "grade_items"))):
        entries[f"activities/quiz_8/{name}"] = data
    bank = etree.Element("question_categories")
    category = _row(bank, "question_category", name="Demo", contextid="30", contextlevel="50")
    category.set("id", "11")
    _row(etree.SubElement(category, "question_bank_entries"), "question_bank_entry",
         questioncategoryid="11").set("id", "98")
    entries["questions.xml"] = _doc(bank)
    return entries


def tgz(entries: Entries, extra: Callable[[tarfile.TarFile], None] | None = None,
        tar_format: int = tarfile.USTAR_FORMAT) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tar_format) as tar:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1767225600
            tar.addfile(info, io.BytesIO(data))
        if extra is not None:
            extra(tar)
    return gzip.compress(raw.getvalue(), mtime=0)


def _case(file_name: str, build: Callable[[], bytes]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / file_name
        path.write_bytes(build())
        return path
    return make


def _without(name: str) -> Callable[[], bytes]:
    return lambda: tgz({k: v for k, v in backup_entries().items() if k != name})


def _replaced(name: str, data: bytes) -> Callable[[], bytes]:
    return lambda: tgz({**backup_entries(), name: data})


def _symlink(tar: tarfile.TarFile) -> None:
    info = tarfile.TarInfo("files/ab/passwd")
    info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
    tar.addfile(info)


def _extended_name() -> bytes:
    return tgz({**backup_entries(), "files/" + "x" * 120: b"data"}, tar_format=tarfile.PAX_FORMAT)


def backup_cases(case: type) -> list:
    """The corpus cases for ``.mbz`` files; ``case`` is hostile_packages.Case."""
    baseline = backup_entries
    index = "moodle_backup.xml"
    return [
        case("mbz-not-an-archive", "mbz.not-an-archive", _case("text.mbz", lambda: b"not a backup at all\n")),
        case("mbz-truncated", "mbz.corrupt", _case("truncated.mbz", lambda: tgz(baseline())[:-40])),
        case("mbz-symlink", "mbz.member-type", _case("link.mbz", lambda: tgz(baseline(), _symlink)),
             member="files/ab/passwd"),
        case("mbz-pax-name", "mbz.tar-extension", _case("pax.mbz", _extended_name), exit_code=0,
             member="files/" + "x" * 120),
        case("mbz-slip", "zip.path-traversal", _case("slip.mbz", lambda: tgz({**baseline(), "../evil.sh": b"x"})),
             member="../evil.sh"),
        case("mbz-index-missing", "mbz.index-missing", _case("no-index.mbz", _without(index))),
        case("mbz-single-quoted-declaration", "mbz.not-moodle2",
             _case("lxml-declaration.mbz", _replaced(index, _index().replace(b'"1.0"', b"'1.0'", 1)
                                                      .replace(b'"UTF-8"', b"'UTF-8'", 1))), member=index),
        case("mbz-folder-outside", "mbz.index-invalid",
             _case("outside.mbz", _replaced(index, _index("../activities/page_7"))), member=index),
        case("mbz-activity-file-missing", "mbz.file-missing",
             _case("no-page.mbz", _without("activities/page_7/page.xml")), member="activities/page_7/page.xml"),
        case("mbz-image-without-record", "mbz.file-record",
             _case("no-record.mbz", lambda: tgz(backup_with_image(record=False))),
             member="activities/page_7/page.xml"),
        case("mbz-image-in-another-area", "mbz.file-record",
             _case("other-area.mbz", lambda: tgz(backup_with_image(area="intro"))),
             member="activities/page_7/page.xml"),
        case("mbz-image-content-missing", "mbz.file-content",
             _case("no-content.mbz", lambda: tgz(backup_with_image(content=False))), member="files.xml"),
        case("mbz-slot-without-question", "mbz.question-reference",
             _case("lost-slot.mbz", lambda: tgz(backup_with_quiz(entry="99"))), member="activities/quiz_8/quiz.xml"),
        case("mbz-image-not-in-inforef", "mbz.file-not-restored",
             _case("no-inforef.mbz", lambda: tgz(backup_with_image(inforef=False))), member="files.xml"),
    ]
