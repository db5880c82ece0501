"""The activities of the Moodle backup: each lesson's Page and its Quiz (``activities/<mod>_<id>/``).

Each folder holds what Moodle's own backup writes for that module without user data
(``backup/moodle2/backup_activity_task.class.php``): ``module.xml`` (the course module),
``<mod>.xml`` (the activity), ``inforef.xml`` (the question categories and grade items it
uses), ``grades.xml`` (its grade item), and empty ``roles.xml`` and ``grade_history.xml``.

The quiz is set the way the seed quiz behaves: every question on one page, *immediate
feedback* per question, its marks = the source points, maximum grade = the total, pass
grade = the course's pass mark, and review options that show the choices' feedback, the
explanation and the right answer as soon as a question is checked and after the attempt.
Moodle's restore keeps ``sumgrades`` and the grade item as written (restore_quiz_stepslib).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from lxml import etree

from srm_package import pools
from srm_package.model import Course, Lesson, Quiz
from srm_package.questions.base import Form
from srm_package.rich_text import files_of, renderer_for
from srm_package.targets.moodle_backup_files import BackupFiles, FileArea
from srm_package.targets.moodle_backup_ids import BackupIds
from srm_package.targets.moodle_backup_questions import (
    bank_entry,
    category_ids,
    group_category_id,
)
from srm_package.targets.moodle_backup_xml import NULL, decimal, document, element, empty_document, record
from srm_package.targets.moodle_xml import TEXT_STYLE
from srm_package.targets.portable_page import lesson_fragment

#: the module versions whose backup layout this writes (Moodle 4.5's mod_page and mod_quiz)
MODULE_VERSION = 2024100700
_HTML = 1
#: mod_quiz\question\display_options: when a review option applies
_DURING, _IMMEDIATELY_AFTER, _LATER_WHILE_OPEN, _AFTER_CLOSE = 0x10000, 0x01000, 0x00100, 0x00010
_ALWAYS = _DURING | _IMMEDIATELY_AFTER | _LATER_WHILE_OPEN | _AFTER_CLOSE
#: overall feedback (the score bands) exists only once the attempt is finished
_AFTER_ATTEMPT = _IMMEDIATELY_AFTER | _LATER_WHILE_OPEN | _AFTER_CLOSE
_GRADE_HIGHEST = 1  # QUIZ_GRADEHIGHEST: the best attempt counts
_PAGE_DISPLAY_OPEN = 5  # RESOURCELIB_DISPLAY_OPEN: the page's content in the course's page


@dataclass(frozen=True)
class Activity:
    """One course module: where it is, what it is, and the ids that tie its files together."""

    modulename: str  # "page" or "quiz"
    module_id: int
    instance_id: int
    context_id: int
    section_id: int
    section_number: int
    title: str
    #: the course module's ID number (also the quiz grade item's): stable, from source ids
    idnumber: str

    @property
    def directory(self) -> str:
        return f"activities/{self.modulename}_{self.module_id}"


def lesson_activities(lesson: Lesson, ids: BackupIds, section_number: int) -> list[Activity]:
    """The lesson's Page, then its Quiz if it has one."""
    section_id = ids("course_sections", lesson.id)
    activities = [Activity("page", ids("course_modules", lesson.id, "page"), ids("page", lesson.id),
                           ids("context", lesson.id, "page"), section_id, section_number, lesson.label,
                           f"page-{lesson.id}")]
    if lesson.quiz is not None:
        activities.append(Activity("quiz", ids("course_modules", lesson.id, "quiz"), ids("quiz", lesson.quiz.id),
                                   ids("context", lesson.id, "quiz"), section_id, section_number,
                                   lesson.quiz.title, f"quiz-{lesson.quiz.id}"))
    return activities


def page_files(course: Course, lesson: Lesson, activity: Activity, files: BackupFiles,
               time: int) -> dict[str, bytes]:
    """The Page's folder. Its content shows the lesson's images from the Page's own file area
    (``mod_page``/``content``, no item id), which its ``inforef.xml`` names so that they are restored."""
    root = etree.Element("activity", id=str(activity.instance_id), moduleid=str(activity.module_id),
                         modulename="page", contextid=str(activity.context_id))
    shown = files.add(FileArea(activity.context_id, "mod_page", "content", 0), files_of(course, lesson.images))
    inforef = etree.Element("inforef")
    if shown:
        references = element(inforef, "fileref")
        for file_id in shown:
            record(references, "file", {"id": file_id})
    record(root, "page", {
        "name": activity.title,
        "intro": "",
        "introformat": _HTML,
        "content": lesson_fragment(course, lesson, TEXT_STYLE),
        "contentformat": _HTML,
        "legacyfiles": 0,
        "legacyfileslast": NULL,
        "display": _PAGE_DISPLAY_OPEN,
        # PHP serialize()d display options: no description above the page, its date below
        "displayoptions": 'a:2:{s:10:"printintro";i:0;s:17:"printlastmodified";i:1;}',
        "revision": 1,
        "timemodified": time,
    }, id=activity.instance_id)
    return _activity_files(activity, time, document(root), inforef=inforef, grade_items=etree.Element("grade_items"))


def quiz_files(course: Course, lesson: Lesson, quiz: Quiz, activity: Activity, ids: BackupIds, time: int,
               grade_sortorder: int) -> dict[str, bytes]:
    # only the questions the backup carries: their slots, their marks, the quiz's total
    quiz = pools.carried(quiz, Form.MOODLE_BACKUP)
    inforef = etree.Element("inforef")
    grade_item_id = ids("grade_items", quiz.id)
    record(element(inforef, "grade_itemref"), "grade_item", {"id": grade_item_id})
    categories = element(inforef, "question_categoryref")
    lesson_categories = [ids("question_categories", lesson.id)]
    lesson_categories += [group_category_id(lesson, group, ids) for group in quiz.groups]
    for category in (category_ids(course, ids)[0], *lesson_categories):
        record(categories, "question_category", {"id": category})
    grade_items = etree.Element("grade_items")
    _grade_item(grade_items, course, quiz, activity, ids, grade_item_id, time, grade_sortorder)
    return _activity_files(activity, time, quiz_document(course, lesson, quiz, activity, ids, time),
                           inforef=inforef, grade_items=grade_items)


def quiz_document(course: Course, lesson: Lesson, quiz: Quiz, activity: Activity, ids: BackupIds,
                  time: int) -> bytes:
    root = etree.Element("activity", id=str(activity.instance_id), moduleid=str(activity.module_id),
                         modulename="quiz", contextid=str(activity.context_id))
    total = quiz.points  # of the questions an attempt asks
    text = renderer_for(course, TEXT_STYLE)  # formulas for Moodle's MathJax filter, as in the questions
    right_answer = _ALWAYS if quiz.show_correct_answers else 0
    row = record(root, "quiz", {
        "name": quiz.title,
        "intro": text.inline(quiz.instructions),
        "introformat": _HTML,
        "timeopen": 0,
        "timeclose": 0,
        "timelimit": 0,
        "overduehandling": "autosubmit",
        "graceperiod": 0,
        "preferredbehaviour": "immediatefeedback",
        "canredoquestions": 0,
        "attempts_number": quiz.max_attempts or 0,  # 0: unlimited
        "attemptonlast": 0,
        "grademethod": _GRADE_HIGHEST,
        "decimalpoints": 2,
        "questiondecimalpoints": -1,
        "reviewattempt": _ALWAYS,
        "reviewcorrectness": _ALWAYS,
        "reviewmaxmarks": _ALWAYS,
        "reviewmarks": _ALWAYS,
        "reviewspecificfeedback": _ALWAYS,
        "reviewgeneralfeedback": _ALWAYS,
        "reviewrightanswer": right_answer,
        "reviewoverallfeedback": _AFTER_ATTEMPT,
        "questionsperpage": 0,  # never a page break: one page, like the seed's quiz
        "navmethod": "free",
        "shuffleanswers": int(quiz.shuffle.choices),
        "sumgrades": decimal(total),
        "grade": decimal(total),
        "timecreated": time,
        "timemodified": time,
        "password": "",
        "subnet": "",
        "browsersecurity": "-",
        "delay1": 0,
        "delay2": 0,
        "showuserpicture": 0,
        "showblocks": 0,
        "completionattemptsexhausted": 0,
        "completionminattempts": 0,
        "allowofflineattempts": 0,
    }, id=activity.instance_id)
    element(row, "quiz_grade_items")
    _slots(element(row, "question_instances"), course, lesson, quiz, activity, ids)
    record(element(row, "sections"), "section", {
        "firstslot": 1,
        "heading": "",
        "shufflequestions": int(quiz.shuffle.questions),
    }, id=ids("quiz_sections", quiz.id))
    _overall_feedback(element(row, "feedbacks"), course, quiz, ids)
    for empty in ("overrides", "grades", "attempts"):
        element(row, empty)
    return document(root)


def _slots(slots: etree._Element, course: Course, lesson: Lesson, quiz: Quiz, activity: Activity,
           ids: BackupIds) -> None:
    """A slot per question in source order; in place of a group (where its first question is),
    ``pick`` random slots drawing from the group's category, as Moodle's "Add a random
    question" makes them (``question_set_reference``, mod/quiz/classes/structure.php)."""
    number = 0

    def slot(key: tuple[str, ...], points: int) -> etree._Element:
        nonlocal number
        number += 1
        return record(slots, "question_instance", {
            "quizid": activity.instance_id,
            "slot": number,
            "page": 1,
            "displaynumber": NULL,
            "requireprevious": 0,
            "maxmark": decimal(points, 7),
            "quizgradeitemid": NULL,
        }, id=ids("quiz_slots", quiz.id, *key))

    groups_placed: set[str] = set()
    for question in quiz.questions:
        group = quiz.group_of(question)
        if group is None:
            entry = bank_entry(lesson, question, ids)
            record(slot((question.id,), entry.points), "question_reference", {
                "usingcontextid": activity.context_id,
                "component": "mod_quiz",
                "questionarea": "slot",
                "questionbankentryid": entry.entry_id,
                "version": NULL,  # always the latest version
            }, id=ids("question_references", quiz.id, question.id))
        elif group.id not in groups_placed:
            groups_placed.add(group.id)
            category = group_category_id(lesson, group, ids)
            for draw in range(1, group.pick + 1):
                record(slot((group.id, str(draw)), question.points), "question_set_reference", {
                    "usingcontextid": activity.context_id,
                    "component": "mod_quiz",
                    "questionarea": "slot",
                    "questionscontextid": ids("context", "course"),
                    "filtercondition": random_filter(category, ids("context", "course")),
                }, id=ids("question_set_references", quiz.id, group.id, str(draw)))


def random_filter(category: int, context: int) -> str:
    """A random slot's ``filtercondition``: any question of ``category`` (not its subcategories),
    in Moodle 4.3+'s form; the restore maps the category's id and rewrites ``cat``."""
    return json.dumps({
        "filter": {"category": {"jointype": 1, "values": [category], "filteroptions": {"includesubcategories": False}}},
        "cat": f"{category},{context}",
        "qpage": 0,
        "qperpage": 100,
        "tabname": "questions",
        "sortdata": [],
        "jointype": 2,
    }, separators=(",", ":"))


def _overall_feedback(feedbacks: etree._Element, course: Course, quiz: Quiz, ids: BackupIds) -> None:
    """The score bands as overall feedback: band *n* from its minimum up to the next band's.

    Moodle picks the feedback with ``mingrade <= grade < maxgrade`` (in quiz grade units),
    and its own form gives the top band ``grade + 1`` as its maximum.
    """
    bands = quiz.recommendation.bands
    text = renderer_for(course, TEXT_STYLE)
    upper = quiz.points + 1
    for position, band in enumerate(bands):
        lower = 0 if position == len(bands) - 1 else quiz.points * band.min_percent / 100
        record(feedbacks, "feedback", {
            "feedbacktext": text.inline(band.message),
            "feedbacktextformat": _HTML,
            "mingrade": decimal(lower),
            "maxgrade": decimal(upper),
        }, id=ids("quiz_feedback", quiz.id, str(position)))
        upper = lower


def _grade_item(parent: etree._Element, course: Course, quiz: Quiz, activity: Activity, ids: BackupIds,
                item_id: int, time: int, sortorder: int) -> None:
    record(parent, "grade_item", {
        "categoryid": ids("grade_categories", ""),
        "itemname": quiz.title,
        "itemtype": "mod",
        "itemmodule": "quiz",
        "iteminstance": activity.instance_id,
        "itemnumber": 0,
        "iteminfo": NULL,
        "idnumber": activity.idnumber,
        "calculation": NULL,
        "gradetype": 1,  # GRADE_TYPE_VALUE
        "grademax": decimal(quiz.points),
        "grademin": decimal(0),
        "scaleid": NULL,
        "outcomeid": NULL,
        "gradepass": decimal(quiz.points * course.passing_score / 100),
        "multfactor": decimal(1),
        "plusfactor": decimal(0),
        "aggregationcoef": decimal(0),
        "aggregationcoef2": decimal(0),
        "weightoverride": 0,
        "sortorder": sortorder,
        "display": 0,
        "decimals": NULL,
        "hidden": 0,
        "locked": 0,
        "locktime": 0,
        "needsupdate": 0,
        "timecreated": time,
        "timemodified": time,
    }, id=item_id).append(etree.Element("grade_grades"))


def _activity_files(activity: Activity, time: int, content: bytes, *, inforef: etree._Element,
                    grade_items: etree._Element) -> dict[str, bytes]:
    module = record(None, "module", {
        "modulename": activity.modulename,
        "sectionid": activity.section_id,
        "sectionnumber": activity.section_number,
        "idnumber": activity.idnumber,
        "added": time,
        "score": 0,
        "indent": 0,
        "visible": 1,
        "visibleoncoursepage": 1,
        "visibleold": 1,
        "groupmode": 0,
        "groupingid": 0,
        "completion": 0,
        "completiongradeitemnumber": NULL,
        "completionpassgrade": 0,
        "completionview": 0,
        "completionexpected": 0,
        "availability": NULL,
        "showdescription": 0,
        "downloadcontent": 1,
        "lang": NULL,
    }, id=activity.module_id, version=MODULE_VERSION)
    element(module, "tags")
    gradebook = etree.Element("activity_gradebook")
    gradebook.append(grade_items)
    element(gradebook, "grade_letters")
    folder = activity.directory
    return {
        f"{folder}/{activity.modulename}.xml": content,
        f"{folder}/module.xml": document(module),
        f"{folder}/inforef.xml": document(inforef),
        f"{folder}/grades.xml": document(gradebook),
        f"{folder}/roles.xml": empty_document("roles", "role_overrides", "role_assignments"),
        f"{folder}/grade_history.xml": empty_document("grade_history", "grade_grades"),
    }
