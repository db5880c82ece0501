"""The files of a Moodle backup: every text's ``@@PLUGINFILE@@`` files are there, and restored.

Moodle keeps a file in a *file area* (context, component, file area, item id) and a text
refers to the files of its own area as ``@@PLUGINFILE@@/<path>``. A backup lists every file
in ``files.xml`` and stores its content as ``files/<2 hex>/<SHA-1>``; the restore copies an
activity's, section's or course's file only when an ``inforef.xml`` names its record, and a
question's always (``restore_load_included_files``). So, for the texts whose areas are
known here (an activity's ``intro``, a Page's ``content``, a quiz's overall feedback, a
section's and the course's summary, and each question's text, general and combined
feedback, answers, answer feedback and hints, from ``backup/moodle2`` and
``question/type/*/backup``):

* ``mbz.file-record``: the file a text shows has a record in its area;
* ``mbz.file-content``: a record's content is in the backup (unless the index says the
  backup was made without files);
* ``mbz.file-not-restored``: a record that needs ``inforef.xml`` is named there.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import NamedTuple
from urllib.parse import unquote

from lxml import etree

from srm_package.validate.context import PackageCheck
from srm_package.validate.moodle_backup_slots import CHECKS as SLOT_CHECKS
from srm_package.validate.moodle_backup_slots import SlotReferences
from srm_package.validate.safe_xml import child, children, descendants, local_name, text_of

_CHECKS = ("mbz.file-record", "mbz.file-content", "mbz.file-not-restored")
#: what follows ``@@PLUGINFILE@@`` in an attribute: the file's path in its area
_REFERENCE = re.compile(r"@@PLUGINFILE@@(/[^\"'\s<>?#]*)")
#: components whose files the restore loads without an inforef.xml entry
_WITHOUT_INFOREF = ("user", "group", "grouping", "badges", "grade", "question")
#: combined feedback: in the ``question`` component by question id, for every type that has it
_COMBINED_FEEDBACK = ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")


class Area(NamedTuple):
    context_id: str
    component: str
    filearea: str
    item_id: str


class Text(NamedTuple):
    """A text of the backup, the area its files are in, and where it is."""

    area: Area
    content: str
    member: str
    line: int | None


def check_backup_files(ctx: PackageCheck, information: etree._Element) -> None:
    """Run the file checks on a backup whose index ``information`` was read."""
    ctx.ran(*_CHECKS, *SLOT_CHECKS)
    tree = ctx.xml("files.xml") if ctx.has("files.xml") else None
    if tree is None:
        return
    records = _records(tree.getroot())
    with_contents = text_of(child(information, "include_files")) != "0"
    if with_contents:
        _check_contents(ctx, records)
    # the quiz slots' references are checked from the same reading of each document
    slots = SlotReferences()
    _check_inforef(ctx, records, slots)
    for text in _texts(ctx, information, slots):
        for path in _references(text.content):
            folder, _, name = path.rpartition("/")
            if (text.area, f"{folder}/", name) not in records:
                component, filearea, item = text.area[1:]
                ctx.report("mbz.file-record", f"a text shows @@PLUGINFILE@@{path}, but files.xml has no file "
                                              f"{path!r} in its area ({component}/{filearea}, item {item}, "
                                              f"context {text.area.context_id}): Moodle shows a broken image",
                           text.member, text.line)
    slots.check(ctx)


class _Record(NamedTuple):
    id: str
    contenthash: str
    line: int | None
    #: a file from a repository: its content is not in the backup
    external: bool


def _records(root: etree._Element) -> dict[tuple[Area, str, str], _Record]:
    """files.xml's file records (folders left out) by area, folder path and name."""
    found = {}
    for row in children(root, "file"):
        field = {local_name(node): text_of(node) for node in row}
        name = field.get("filename", "")
        if name in ("", "."):
            continue
        area = Area(field.get("contextid", ""), field.get("component", ""), field.get("filearea", ""),
                    field.get("itemid", ""))
        found[(area, field.get("filepath", "/"), name)] = _Record(
            row.get("id", ""), field.get("contenthash", ""), row.sourceline,
            field.get("repositoryid", "$@NULL@$") not in ("", "$@NULL@$"))
    return found


def _check_contents(ctx: PackageCheck, records: dict[tuple[Area, str, str], _Record]) -> None:
    for (area, folder, name), found in records.items():
        if found.external:
            continue
        content = f"files/{found.contenthash[:2]}/{found.contenthash}"
        if not re.fullmatch(r"[0-9a-f]{40}", found.contenthash) or not ctx.has(content):
            ctx.report("mbz.file-content", f"the file {folder}{name} ({area.component}/{area.filearea}) has no "
                                           f"content in the backup: {content} is missing, so the restore leaves "
                                           "it out", "files.xml", found.line)


def _check_inforef(ctx: PackageCheck, records: dict[tuple[Area, str, str], _Record], slots: SlotReferences) -> None:
    named: set[str] = set()
    for member in ctx.names:
        if member == "inforef.xml" or member.endswith("/inforef.xml"):
            tree = ctx.xml(member)
            if tree is not None:
                named |= {text_of(child(file, "id")) for file in descendants(tree.getroot(), "file")}
                slots.inforef(tree.getroot())
    for (area, folder, name), found in records.items():
        if area.component in _WITHOUT_INFOREF or area.component.startswith("qtype_") or found.id in named:
            continue
        ctx.report("mbz.file-not-restored", f"the file {folder}{name} ({area.component}/{area.filearea}) is named "
                                             "in no inforef.xml (fileref), so the restore leaves it out",
                   "files.xml", found.line)


def _references(content: str) -> Iterator[str]:
    if "@@PLUGINFILE@@" not in content:
        return
    for match in _REFERENCE.finditer(html.unescape(content)):
        yield unquote(match.group(1))


# ------------------------------------------------------------------ the texts
def _texts(ctx: PackageCheck, information: etree._Element, slots: SlotReferences) -> Iterator[Text]:
    contents = child(information, "contents")
    if contents is None:
        return
    course_context = text_of(child(information, "original_course_contextid"))
    for holder in children(contents, "activities"):
        for activity in children(holder, "activity"):
            folder = text_of(child(activity, "directory")).strip("/")
            module = text_of(child(activity, "modulename"))
            yield from _activity_texts(ctx, f"{folder}/{module}.xml", module, slots)
    for holder in children(contents, "sections"):
        for section in children(holder, "section"):
            member = f"{text_of(child(section, 'directory')).strip('/')}/section.xml"
            root = _root(ctx, member)
            if root is not None:
                yield from _fields(root, ("summary",), Area(course_context, "course", "section", root.get("id", "")),
                                   member)
    for course in children(contents, "course"):
        member = f"{text_of(child(course, 'directory')).strip('/')}/course.xml"
        root = _root(ctx, member)
        if root is not None:
            yield from _fields(root, ("summary",), Area(root.get("contextid", course_context), "course", "summary", "0"),
                               member)
    root = _root(ctx, "questions.xml")
    if root is not None:
        slots.bank(root)
        yield from _question_texts(root)


def _root(ctx: PackageCheck, member: str) -> etree._Element | None:
    tree = ctx.xml(member) if ctx.has(member) else None
    return None if tree is None else tree.getroot()


def _activity_texts(ctx: PackageCheck, member: str, module: str, slots: SlotReferences) -> Iterator[Text]:
    root = _root(ctx, member)
    row = child(root, module) if root is not None else None
    if row is None:
        return
    if module == "quiz":
        slots.quiz(member, root)
    context = root.get("contextid", "")
    component = f"mod_{module}"
    yield from _fields(row, ("intro",), Area(context, component, "intro", "0"), member)
    if module == "page":
        yield from _fields(row, ("content",), Area(context, component, "content", "0"), member)
    for feedback in descendants(row, "feedback") if module == "quiz" else ():
        yield from _fields(feedback, ("feedbacktext",), Area(context, component, "feedback", feedback.get("id", "")),
                           member)


def _question_texts(root: etree._Element) -> Iterator[Text]:
    member = "questions.xml"
    for category in children(root, "question_category"):
        context = text_of(child(category, "contextid"))
        for question in descendants(category, "question"):
            own = question.get("id", "")

            def area(filearea: str, item: str = own, context: str = context) -> Area:
                return Area(context, "question", filearea, item)

            yield from _fields(question, ("questiontext",), area("questiontext"), member)
            yield from _fields(question, ("generalfeedback",), area("generalfeedback"), member)
            for node in question.iter():
                name = local_name(node)
                if name in _COMBINED_FEEDBACK and len(node) == 0 and "@@PLUGINFILE@@" in (node.text or ""):
                    yield Text(area(name), node.text or "", member, node.sourceline)
                elif name == "answer" and node.get("id"):
                    yield from _fields(node, ("answertext",), area("answer", node.get("id", "")), member)
                    yield from _fields(node, ("feedback",), area("answerfeedback", node.get("id", "")), member)
                elif name == "question_hint" and node.get("id"):
                    yield from _fields(node, ("hint",), area("hint", node.get("id", "")), member)


def _fields(row: etree._Element, names: tuple[str, ...], area: Area, member: str) -> Iterator[Text]:
    for name in names:
        for node in children(row, name):
            if node.text and "@@PLUGINFILE@@" in node.text:
                yield Text(area, node.text, member, node.sourceline)
