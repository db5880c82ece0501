"""``moodle-backup``: the course as a Moodle course backup (``.mbz``), for Moodle's own Restore.

Moodle's Common Cartridge converter hard-codes every imported quiz (4 marks, grade 10,
review off) and loses a page's ids and stylesheet (lms-targets §7); a backup is restored as
it is. This one is what Moodle 4.5's backup writes for such a course without user data
(``backup/moodle2``, read and compared with backups Moodle made): section 0, then one
section per lesson named by its label, holding the lesson as a Page and its quiz as a Quiz
whose questions are in the course's question bank, one category per lesson.

The archive is a gzip'd ustar tar (``package.tgz_bytes_to``), which Moodle's ``mbz_packer``
restores as readily as a zip. Its index, ``moodle_backup.xml``, names every section and
activity folder and the settings of a backup "without users"; ids come from the source
ids (``moodle_backup_ids``), times from the build timestamp, so rebuilds are byte-identical.
"""

from __future__ import annotations

from lxml import etree

from srm_package import pools
from srm_package.model import Course
from srm_package.package import Artifact, build_timestamp, epoch_seconds
from srm_package.package_files import Entry
from srm_package.questions.base import Form
from srm_package.targets.canvas_qti import quiz_summary
from srm_package.targets.identifiers import stable_id
from srm_package.targets.moodle_backup_activities import (
    Activity,
    lesson_activities,
    page_files,
    quiz_files,
)
from srm_package.targets.moodle_backup_files import BackupFiles
from srm_package.targets.moodle_backup_ids import SYSTEM_CONTEXT, BackupIds
from srm_package.targets.moodle_backup_questions import category_ids, questions_document
from srm_package.targets.moodle_backup_xml import NULL, decimal, document, element, empty_document, record

INDEX = "moodle_backup.xml"
#: the Moodle release whose backup format this is (``backup::VERSION`` / ``RELEASE`` of 4.5)
BACKUP_VERSION = 2024100700
BACKUP_RELEASE = "4.5"
#: not a Moodle site: a restore never takes the backup for one made on the same site
_ORIGIN = "https://srm-package.invalid"
_FORMAT = "topics"
_MODE_GENERAL = 10  # backup::MODE_GENERAL
#: a backup without user data (Moodle's "users: no"): only what describes the course
_ROOT_SETTINGS = (
    ("imscc11", 0), ("users", 0), ("anonymize", 0), ("role_assignments", 0), ("activities", 1),
    ("blocks", 0), ("files", 1), ("filters", 0), ("comments", 0), ("badges", 0), ("calendarevents", 0),
    ("userscompletion", 0), ("logs", 0), ("grade_histories", 0), ("questionbank", 1), ("groups", 0),
    ("competencies", 0), ("customfield", 0), ("contentbankcontent", 0), ("xapistate", 0), ("legacyfiles", 0),
)


def build_artifact(course: Course) -> Artifact:
    filename = f"{course.id}.mbz"
    ids = BackupIds(course.id)
    time = epoch_seconds(build_timestamp(course))
    files = BackupFiles(ids, time, course.author)
    sections: list[tuple[int, int, str]] = [(ids("course_sections", ""), 0, "")]
    activities: list[Activity] = []
    entries: dict[str, Entry] = {}
    for number, lesson in enumerate(course.lessons, 1):
        sections.append((ids("course_sections", lesson.id), number, lesson.label))
        page, *quiz = lesson_activities(lesson, ids, number)
        activities.append(page)
        entries.update(page_files(course, lesson, page, files, time))
        if lesson.quiz is not None:
            activities += quiz
            entries.update(quiz_files(course, lesson, lesson.quiz, quiz[0], ids, time,
                                      grade_sortorder=len(activities)))
    for section_id, number, name in sections:
        sequence = [a.module_id for a in activities if a.section_id == section_id]
        entries.update(_section_files(course, section_id, number, name, sequence, time))
    entries.update(_course_files(course, ids, time))
    entries.update(_root_files(course, ids, files, time))
    entries[INDEX] = index_document(course, ids, time, filename, sections, activities)
    pages = len(course.lessons)
    return Artifact(filename=filename, kind="tgz", entries=entries,
                    summary=f"{pages} page{'s' * (pages != 1)}, {quiz_summary(course)}")


def index_document(course: Course, ids: BackupIds, time: int, filename: str,
                   sections: list[tuple[int, int, str]], activities: list[Activity]) -> bytes:
    """``moodle_backup.xml``: what the backup holds, where, and with which settings."""
    root = etree.Element("moodle_backup")
    information = record(root, "information", {
        "name": filename,
        "moodle_version": BACKUP_VERSION,
        "moodle_release": BACKUP_RELEASE,
        "backup_version": BACKUP_VERSION,
        "backup_release": BACKUP_RELEASE,
        "backup_date": time,
        "mnet_remoteusers": 0,
        "include_files": 1,
        "include_file_references_to_external_content": 0,
        "original_wwwroot": _ORIGIN,
        "original_site_identifier_hash": stable_id("", "site", course.id, length=32),
        "original_course_id": ids("course", ""),
        "original_course_format": _FORMAT,
        "original_course_fullname": course.title,
        "original_course_shortname": course.id,
        "original_course_startdate": time,
        "original_course_enddate": 0,
        "original_course_contextid": ids("context", "course"),
        "original_system_contextid": SYSTEM_CONTEXT,
    })
    record(element(information, "details"), "detail", {
        "type": "course", "format": "moodle2", "interactive": 1, "mode": _MODE_GENERAL, "execution": 1,
        "executiontime": 0,
    }, backup_id=stable_id("", "backup", course.id, length=32))
    contents = element(information, "contents")
    listed = element(contents, "activities")
    for activity in activities:
        record(listed, "activity", {
            "moduleid": activity.module_id, "sectionid": activity.section_id, "modulename": activity.modulename,
            "title": activity.title, "directory": activity.directory, "insubsection": "",
        })
    listed = element(contents, "sections")
    for section_id, number, name in sections:
        record(listed, "section", {
            "sectionid": section_id, "title": name or str(number), "directory": f"sections/section_{section_id}",
            "parentcmid": "", "modname": "",
        })
    record(contents, "course", {"courseid": ids("course", ""), "title": course.id, "directory": "course"})
    settings = element(information, "settings")
    for name, value in (("filename", filename), *_ROOT_SETTINGS):
        record(settings, "setting", {"level": "root", "name": name, "value": value})
    for section_id, _, _ in sections:
        for suffix, value in (("included", 1), ("userinfo", 0)):
            record(settings, "setting", {"level": "section", "section": f"section_{section_id}",
                                         "name": f"section_{section_id}_{suffix}", "value": value})
    for activity in activities:
        key = f"{activity.modulename}_{activity.module_id}"
        for suffix, value in (("included", 1), ("userinfo", 0)):
            record(settings, "setting", {"level": "activity", "activity": key, "name": f"{key}_{suffix}",
                                         "value": value})
    return document(root)


def _section_files(course: Course, section_id: int, number: int, name: str, sequence: list[int],
                   time: int) -> dict[str, bytes]:
    section = record(None, "section", {
        "number": number,
        "name": name or NULL,  # section 0 keeps the course format's own name ("General")
        "summary": "",
        "summaryformat": 1,
        "sequence": ",".join(map(str, sequence)),
        "visible": 1,
        "availabilityjson": NULL,
        "component": NULL,
        "itemid": NULL,
        "timemodified": time,
    }, id=section_id)
    folder = f"sections/section_{section_id}"
    return {f"{folder}/section.xml": document(section), f"{folder}/inforef.xml": empty_document("inforef")}


def _course_files(course: Course, ids: BackupIds, time: int) -> dict[str, bytes]:
    row = record(None, "course", {
        "shortname": course.id,
        "fullname": course.title,
        "idnumber": "",
        "summary": "",
        "summaryformat": 1,
        "format": _FORMAT,
        "showgrades": 1,
        "newsitems": 0,
        "startdate": time,
        "enddate": 0,
        "marker": 0,
        "maxbytes": 0,
        "legacyfiles": 0,
        "showreports": 0,
        "visible": 1,
        "groupmode": 0,
        "groupmodeforce": 0,
        "defaultgroupingid": 0,
        "lang": "",  # the site's or the student's language, not a forced one
        "theme": "",
        "timecreated": time,
        "timemodified": time,
        "requested": 0,
        "showactivitydates": 0,
        "showcompletionconditions": 1,
        "pdfexportfont": NULL,
        "enablecompletion": 0,
        "completionnotify": 0,
    }, id=ids("course", ""), contextid=ids("context", "course"))
    for container in ("tags", "customfields"):
        element(row, container)
    options = element(row, "courseformatoptions")
    for name, value in (("hiddensections", 1), ("coursedisplay", 0)):
        record(options, "courseformatoption", {"format": _FORMAT, "sectionid": 0, "name": name, "value": value})
    inforef = etree.Element("inforef")
    categories = element(inforef, "question_categoryref")
    for category in category_ids(course, ids):
        record(categories, "question_category", {"id": category})
    return {
        "course/course.xml": document(row),
        "course/inforef.xml": document(inforef),
        "course/roles.xml": empty_document("roles", "role_overrides", "role_assignments"),
        "course/enrolments.xml": empty_document("enrolments", "enrols"),
        "course/completiondefaults.xml": empty_document("course_completion_defaults"),
    }


def _root_files(course: Course, ids: BackupIds, files: BackupFiles, time: int) -> dict[str, Entry]:
    """The files at the root; the question bank first, as it puts its texts' images in ``files``."""
    return {
        "questions.xml": questions_document(course, ids, files, time),
        **files.entries(),
        "gradebook.xml": _gradebook(course, ids, time),
        "roles.xml": empty_document("roles_definition"),
        "scales.xml": empty_document("scales_definition"),
        "outcomes.xml": empty_document("outcomes_definition"),
        "groups.xml": empty_document("groups", "groupcustomfields", ("groupings", "groupingcustomfields")),
        "completion.xml": empty_document("course_completion"),
        "grade_history.xml": empty_document("grade_history", "grade_grades"),
    }


def _gradebook(course: Course, ids: BackupIds, time: int) -> bytes:
    """The course's grade category and course total (the quizzes' items are in their folders);
    the total counts the questions the backup carries."""
    carried_points = sum(pools.carried(quiz, Form.MOODLE_BACKUP).points for quiz in course.quizzes)
    root = etree.Element("gradebook")
    element(root, "attributes")
    category = ids("grade_categories", "")
    record(element(root, "grade_categories"), "grade_category", {
        "parent": NULL, "depth": 1, "path": f"/{category}/", "fullname": "?",
        "aggregation": 13,  # natural: the total is the sum of the quiz grades
        "keephigh": 0, "droplow": 0, "aggregateonlygraded": 1, "aggregateoutcomes": 0,
        "timecreated": time, "timemodified": time, "hidden": 0,
    }, id=category)
    record(element(root, "grade_items"), "grade_item", {
        "categoryid": NULL, "itemname": NULL, "itemtype": "course", "itemmodule": NULL,
        "iteminstance": category, "itemnumber": NULL, "iteminfo": NULL, "idnumber": NULL, "calculation": NULL,
        "gradetype": 1, "grademax": decimal(carried_points), "grademin": decimal(0), "scaleid": NULL,
        "outcomeid": NULL, "gradepass": decimal(0), "multfactor": decimal(1), "plusfactor": decimal(0),
        "aggregationcoef": decimal(0), "aggregationcoef2": decimal(0), "weightoverride": 0, "sortorder": 1,
        "display": 0, "decimals": NULL, "hidden": 0, "locked": 0, "locktime": 0, "needsupdate": 0,
        "timecreated": time, "timemodified": time,
    }, id=ids("grade_items", "")).append(etree.Element("grade_grades"))
    element(root, "grade_letters")
    record(element(root, "grade_settings"), "grade_setting", {"name": "minmaxtouse", "value": 1}, id="")
    return document(root)
