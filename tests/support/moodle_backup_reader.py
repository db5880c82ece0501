"""An independent reader of Moodle backups (.mbz) that follows what Moodle's restore does.

Written from Moodle 4.5's restore code (``backup/util/helper/convert_helper.class.php``,
``backup_general_helper::get_backup_information``, ``restore_dbops``,
``backup/moodle2/restore_stepslib.php``, ``mod/quiz/backup/moodle2/restore_quiz_stepslib.php``,
``lib/filestorage/tgz_extractor.php``, and for files ``restore_load_included_files``,
``restore_dbops::send_files_to_pool``, ``backup_file_manager``), not from our writer: it uses the standard library's
tarfile and ElementTree and never imports ``srm_package``. Where the restore would stop, it
raises ``RestoreFailure``; what the restore ignores, it ignores.
"""

from __future__ import annotations

import io
import re
import tarfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

NULL = "$@NULL@$"
#: what restore_root_task and the section/activity tasks read unconditionally
ROOT_FILES = ("moodle_backup.xml", "files.xml", "roles.xml", "groups.xml", "scales.xml", "outcomes.xml",
              "questions.xml")


class RestoreFailure(Exception):
    """Moodle's restore would stop on this backup."""


#: (context id, component, file area, item id): where Moodle keeps the files of a text
Area = tuple[str, str, str, str]


@dataclass
class Answer:
    text: str
    fraction: float
    feedback: str
    id: str = ""


@dataclass
class BankQuestion:
    idnumber: str | None
    category: str
    qtype: str
    name: str
    text: str
    general_feedback: str
    default_mark: float
    stamp: str
    answers: list[Answer]
    options: dict[str, str | None]
    id: str = ""
    #: the context of its category, which its files belong to
    context: str = ""


@dataclass
class Slot:
    slot: int
    page: int
    maxmark: float
    question: BankQuestion


@dataclass
class RestoredQuiz:
    name: str
    settings: dict[str, str | None]
    slots: list[Slot]
    shuffle_questions: bool
    #: (text, mingrade, maxgrade) from the best band down
    feedbacks: list[tuple[str, float, float]]


@dataclass
class Activity:
    modname: str
    name: str
    idnumber: str | None
    directory: str


@dataclass
class Section:
    number: int
    name: str | None
    activities: list[Activity]


@dataclass
class RestoredCourse:
    information: dict[str, str | None]
    course: dict[str, str | None]
    sections: list[Section]
    pages: dict[str, str]
    quizzes: dict[str, RestoredQuiz]
    #: mod grade items by item name: their fields
    grade_items: dict[str, dict[str, str | None]]
    #: category name → (idnumber, stamp, parent is the top category)
    categories: dict[str, tuple[str | None, str, bool]]
    members: dict[str, bytes] = field(repr=False, default_factory=dict)
    #: page name → its context id (its content's files are in (context, mod_page, content, 0))
    page_contexts: dict[str, str] = field(default_factory=dict)
    #: the files the restore copies, by area then path in it: their content, None when it is missing
    files: dict[Area, dict[str, bytes | None]] = field(repr=False, default_factory=dict)

    def files_of(self, area: Area) -> dict[str, bytes | None]:
        return self.files.get(area, {})


def plugin_files(html: str) -> list[str]:
    """The file names a text shows from its own area (``@@PLUGINFILE@@/name``), in order."""
    return re.findall(r'@@PLUGINFILE@@/([^"\'\s<>?#]+)', html)


def members_of(archive: bytes) -> dict[str, bytes]:
    """The regular files of a gzip'd tar, read as Moodle's tgz_extractor reads them (plain ustar)."""
    members: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        for info in tar:
            if info.pax_headers:
                raise RestoreFailure(f"{info.name}: a pax header, which Moodle's tar reader does not read")
            if info.isreg():
                members[info.name] = tar.extractfile(info).read()  # type: ignore[union-attr]
    return members


def read_moodle_backup(archive: bytes) -> RestoredCourse:
    members = members_of(archive)
    for name in ROOT_FILES:
        if name not in members:
            raise RestoreFailure(f"missing {name}")
    index = members["moodle_backup.xml"]
    head = index[:200]
    if not (b'<?xml version="1.0" encoding="UTF-8"?>' in head and b"<moodle_backup>" in head
            and b"<information>" in head):
        raise RestoreFailure("moodle_backup.xml is not recognised as a Moodle 2 backup")
    information = _xml(members, "moodle_backup.xml").find("information")
    if information.findtext("details/detail/format") != "moodle2":
        raise RestoreFailure("not a moodle2 backup")
    course_dir = information.findtext("contents/course/directory")
    course = _fields(_xml(members, f"{course_dir}/course.xml"))
    included_categories = set()
    for name in members:
        if name.endswith("/inforef.xml"):
            included_categories |= {ref.findtext("id") for ref in
                                    _xml(members, name).findall("question_categoryref/question_category")}
    bank, categories = _question_bank(members, included_categories)
    activities = {a.findtext("moduleid"): a for a in information.findall("contents/activities/activity")}
    sections, pages, quizzes, grade_items, page_contexts = [], {}, {}, {}, {}
    for listed in information.findall("contents/sections/section"):
        row = _xml(members, f"{listed.findtext('directory')}/section.xml")
        found = []
        for module_id in filter(None, (row.findtext("sequence") or "").split(",")):
            entry = activities.get(module_id)
            if entry is None:
                raise RestoreFailure(f"section {row.get('id')} lists module {module_id}, which the index does not")
            directory, modname = entry.findtext("directory"), entry.findtext("modulename")
            module = _xml(members, f"{directory}/module.xml")
            if module.get("id") != module_id or module.findtext("sectionid") != row.get("id"):
                raise RestoreFailure(f"{directory}/module.xml does not match the index")
            activity = _xml(members, f"{directory}/{modname}.xml")
            instance = activity.find(modname)
            found.append(Activity(modname, instance.findtext("name"), _value(module.findtext("idnumber")),
                                  directory))
            if modname == "page":
                pages[instance.findtext("name")] = instance.findtext("content")
                page_contexts[instance.findtext("name")] = activity.get("contextid")
            elif modname == "quiz":
                quizzes[instance.findtext("name")] = _quiz(instance, activity.get("contextid"), bank)
            for item in _xml(members, f"{directory}/grades.xml").findall("grade_items/grade_item"):
                grade_items[item.findtext("itemname")] = _fields(item)
            if f"{directory}/roles.xml" not in members:
                raise RestoreFailure(f"missing {directory}/roles.xml")
        sections.append(Section(int(row.findtext("number")), _value(row.findtext("name")), found))
    return RestoredCourse(_fields(information), course, sections, pages, quizzes, grade_items, categories, members,
                          page_contexts, _restored_files(members))


def _restored_files(members: dict[str, bytes]) -> dict[Area, dict[str, bytes | None]]:
    """files.xml's files that the restore copies: those an inforef.xml names, and every file of
    the question components; their content from ``files/<2 hex>/<sha1>`` (folders left out)."""
    named = set()
    for name in members:
        if name.endswith("inforef.xml"):
            named |= {ref.findtext("id") for ref in _xml(members, name).findall("fileref/file")}
    files: dict[Area, dict[str, bytes | None]] = {}
    for row in _xml(members, "files.xml").findall("file"):
        component, name = row.findtext("component"), row.findtext("filename")
        if name == "." or not (row.get("id") in named or component == "question" or component.startswith("qtype_")):
            continue
        area = (row.findtext("contextid"), component, row.findtext("filearea"), row.findtext("itemid"))
        digest = row.findtext("contenthash")
        path = (row.findtext("filepath") + name).removeprefix("/")  # as @@PLUGINFILE@@/<path> names it
        files.setdefault(area, {})[path] = members.get(f"files/{digest[:2]}/{digest}")
    return files


def _question_bank(members: dict[str, bytes], included: set[str | None]
                   ) -> tuple[dict[str, BankQuestion], dict[str, tuple[str | None, str, bool]]]:
    """Question bank entries by id (only categories some inforef.xml names are restored)."""
    root = _xml(members, "questions.xml")
    tops = {c.get("id") for c in root.findall("question_category") if c.findtext("parent") == "0"}
    if len(tops) > 1:
        raise RestoreFailure("more than one top category in a context")
    bank, categories = {}, {}
    for category in root.findall("question_category"):
        if category.get("id") not in included:
            continue
        name = category.findtext("name")
        categories[name] = (_value(category.findtext("idnumber")), category.findtext("stamp"),
                            category.findtext("parent") in tops)
        for entry in category.findall("question_bank_entries/question_bank_entry"):
            if entry.findtext("questioncategoryid") != category.get("id"):
                raise RestoreFailure(f"bank entry {entry.get('id')} is filed under another category")
            (question,) = entry.findall("question_version/question_versions/questions/question")
            qtype = question.findtext("qtype")
            plugin = question.find(f"plugin_qtype_{qtype}_question")
            if plugin is None:
                raise RestoreFailure(f"question {question.get('id')} has no {qtype} part")
            answers = [Answer(a.findtext("answertext"), float(a.findtext("fraction")), a.findtext("feedback"),
                              a.get("id"))
                       for a in plugin.findall("answers/answer")]
            options = plugin.find(qtype)
            bank[entry.get("id")] = BankQuestion(
                _value(entry.findtext("idnumber")), name, qtype, question.findtext("name"),
                question.findtext("questiontext"), question.findtext("generalfeedback"),
                float(question.findtext("defaultmark")), question.findtext("stamp"), answers,
                _fields(options) if options is not None else {}, question.get("id"), category.findtext("contextid"))
            if qtype == "truefalse":
                ids = [a.get("id") for a in plugin.findall("answers/answer")]
                if {options.findtext("trueanswer"), options.findtext("falseanswer")} != set(ids):
                    raise RestoreFailure(f"true/false question {question.get('id')}: answers do not match")
    return bank, categories


def _quiz(row: ET.Element, context_id: str | None, bank: dict[str, BankQuestion]) -> RestoredQuiz:
    slots = []
    for instance in row.findall("question_instances/question_instance"):
        reference = instance.find("question_reference")
        if reference.findtext("usingcontextid") != context_id:
            raise RestoreFailure("a slot's question reference belongs to another context")
        question = bank.get(reference.findtext("questionbankentryid"))
        if question is None:
            raise RestoreFailure(f"slot {instance.findtext('slot')} references a question not in the bank")
        slots.append(Slot(int(instance.findtext("slot")), int(instance.findtext("page")),
                          float(instance.findtext("maxmark")), question))
    feedbacks = [(f.findtext("feedbacktext"), float(f.findtext("mingrade")), float(f.findtext("maxgrade")))
                 for f in row.findall("feedbacks/feedback")]
    shuffle = row.findtext("sections/section/shufflequestions") == "1"
    return RestoredQuiz(row.findtext("name"), _fields(row), slots, shuffle, feedbacks)


def _xml(members: dict[str, bytes], name: str) -> ET.Element:
    if name not in members:
        raise RestoreFailure(f"missing {name}")
    return ET.fromstring(members[name])


def _value(text: str | None) -> str | None:
    return None if text == NULL else text


def _fields(element: ET.Element) -> dict[str, str | None]:
    """The scalar children of a row (``$@NULL@$`` read as None, as the restore does)."""
    return {child.tag: _value(child.text or "") for child in element if len(child) == 0}
