"""``cc``: the course as an IMS Common Cartridge 1.1 (``.imscc``) for Moodle and Canvas.

One file, two readings (lms-targets 1.3, 2.2):

* **Moodle** (course Restore) reads the standard part: the organization, where each
  item at depth 2 becomes a course section, numbered from 0 in order and named "New
  section" (the item's title goes into the section summary; measured, lms-targets §7).
  The first one is the course overview page (section 0, "General"), so that lesson *n*
  lands in section *n*; below each lesson come its page (``webcontent`` HTML → Page)
  and its quiz (``…/assessment`` → Quiz, read from the CC-profile QTI, the first and
  only ``file`` of the resource). Moodle's converter fixes every quiz at 4 marks, grade
  10 and no review: the ``moodle-backup`` target is the native Moodle course.
* **Canvas** sees ``course_settings/canvas_export.txt`` and switches to its own
  cartridge importer: Pages from ``wiki_content/``, the Quiz from
  ``non_cc_assessments/<ident>.xml.qti`` + ``<ident>/assessment_meta.xml``, Modules
  from ``course_settings/module_meta.xml``. Moodle ignores those files.

Pages are ``portable_page`` documents: no ids, no stylesheet, presentation inline, because
Moodle's import strips ids and ``<link>`` and Canvas keeps only a page's body.

The manifest declares the CC 1.1 namespace as the default one, first thing after the
XML declaration, so that Moodle's version sniffing (first 500 bytes) finds it, and it
carries no resource-level metadata (Moodle validates the manifest and aborts on LOM
other than ``educational``).
"""

from __future__ import annotations

from lxml import etree
from lxml.builder import ElementMaker

from srm_package.model import Course, Lesson, Quiz
from srm_package.package import Artifact
from srm_package.package_files import Entry
from srm_package.render import MEDIA_FOLDER
from srm_package.rich_text import files_of
from srm_package.targets import qti
from srm_package.targets.canvas_meta import (
    ASSESSMENT_META,
    Module,
    ModuleItem,
    assessment_meta,
    module_meta,
    wiki_page,
)
from srm_package.targets.canvas_qti import meta_identifier, quiz_summary
from srm_package.targets.identifiers import stable_id
from srm_package.targets.ims_cp import (
    LEARNING_APPLICATION_RESOURCE,
    Resource,
    check_package,
    media_resources,
    resources_element,
)
from srm_package.targets.portable_page import course_overview_document, lesson_document

TARGET = "cc"
MANIFEST = "imsmanifest.xml"
CC_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOM_NS = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA_LOCATION = (
    f"{CC_NS} http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd "
    f"{LOM_NS} http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd"
)
ASSESSMENT_TYPE = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
CANVAS_EXPORT_FLAG = "course_settings/canvas_export.txt"
MODULE_META = "course_settings/module_meta.xml"
_CANVAS_FLAG_TEXT = (
    b"Canvas cartridge files (course_settings/, wiki_content/, non_cc_assessments/)\n"
    b"written by srm-package; other LMSs read the standard cartridge part.\n"
)

M = ElementMaker(namespace=CC_NS, nsmap={None: CC_NS, "lomimscc": LOM_NS, "xsi": XSI_NS})
L = ElementMaker(namespace=LOM_NS)


def build_artifact(course: Course) -> Artifact:
    overview_id, overview_href = overview_identifier(course), "wiki_content/course-overview.html"
    entries: dict[str, Entry] = {overview_href: wiki_page(course_overview_document(course), identifier=overview_id)}
    resources = [Resource(overview_id, "webcontent", (overview_href,), href=overview_href)]
    # pages and the Moodle quiz reach them as ../web_resources/media/<name>, the Canvas quiz
    # as $IMS-CC-FILEBASE$/media/<name> (render.CARTRIDGE_PAGE_TEXT, qti.TEXT_STYLES)
    image_resources, images = media_resources(course, f"web_resources/{MEDIA_FOLDER}")
    resources += image_resources
    entries.update(images)
    folders: list[etree._Element] = []
    modules: list[Module] = []
    for lesson in course.lessons:
        page_id, page_href = page_identifier(course, lesson), f"wiki_content/{lesson.id}.html"
        entries[page_href] = wiki_page(lesson_document(course, lesson), identifier=page_id)
        resources.append(Resource(page_id, "webcontent", (page_href,), href=page_href))
        children = [(page_id, lesson.label, "WikiPage")]
        if lesson.quiz is not None:
            quiz_resources, quiz_entries = _quiz_part(course, lesson.quiz)
            resources += quiz_resources
            entries.update(quiz_entries)
            children.append((quiz_resources[0].identifier, lesson.quiz.title, "Quizzes::Quiz"))
        folders.append(_lesson_folder(course, lesson, children))
        modules.append(_module(course, lesson, children))
    entries[MODULE_META] = module_meta(modules)
    entries[CANVAS_EXPORT_FLAG] = _CANVAS_FLAG_TEXT
    resources.append(
        Resource(
            stable_id("settings_", course.id),
            LEARNING_APPLICATION_RESOURCE,
            (CANVAS_EXPORT_FLAG, MODULE_META),
            href=CANVAS_EXPORT_FLAG,
        )
    )
    entries[MANIFEST] = manifest(course, [_overview_item(course, overview_id), *folders], resources)
    check_package(entries, resources, TARGET)
    pages = len(course.lessons)
    return Artifact(
        filename=f"{course.id}.imscc",
        kind="zip",
        entries=entries,
        summary=f"{pages} page{'s' * (pages != 1)}, {quiz_summary(course)}",
    )


def overview_identifier(course: Course) -> str:
    return stable_id("page_", course.id)


def page_identifier(course: Course, lesson: Lesson) -> str:
    return stable_id("page_", course.id, lesson.id)


def _quiz_part(course: Course, quiz: Quiz) -> tuple[list[Resource], dict[str, Entry]]:
    """The assessment twice, as Canvas's own exporter writes it: CC profile + Canvas flavour."""
    ident = qti.assessment_ident(quiz, course.id)
    cc_href, meta_href = f"{ident}/assessment_qti.xml", f"{ident}/{ASSESSMENT_META}"
    canvas_href = f"non_cc_assessments/{ident}.xml.qti"
    meta_id = meta_identifier(course, quiz)
    media = files_of(course, quiz.images)
    entries: dict[str, Entry] = {
        cc_href: qti.assessment_document(quiz, profile=qti.Profile.CC, scope=course.id, media=media),
        canvas_href: qti.assessment_document(quiz, profile=qti.Profile.CANVAS, scope=course.id, media=media),
        meta_href: assessment_meta(quiz, ident=ident, scope=course.id),
    }
    resources = [
        # the QTI file must be the first (here: only) file, and the resource has no href
        Resource(ident, ASSESSMENT_TYPE, (cc_href,), dependencies=(meta_id,)),
        Resource(meta_id, LEARNING_APPLICATION_RESOURCE, (meta_href, canvas_href), href=meta_href),
    ]
    return resources, entries


def _lesson_folder(course: Course, lesson: Lesson, children: list[tuple[str, str, str]]) -> etree._Element:
    return M.item(
        M.title(lesson.label),
        *(
            M.item(M.title(title), identifier=stable_id("org_item_", course.id, ref), identifierref=ref)
            for ref, title, _ in children
        ),
        identifier=stable_id("lesson_", course.id, lesson.id),
    )


def _overview_item(course: Course, page_id: str) -> etree._Element:
    """The first item: Moodle makes it section 0 ("General", with this page in it), so that lesson
    *n* lands in section *n*; it holds a page, so Open edX makes no empty chapter of it."""
    return M.item(M.title(course.title), identifier=stable_id("intro_", course.id), identifierref=page_id)


def _module(course: Course, lesson: Lesson, children: list[tuple[str, str, str]]) -> Module:
    return Module(
        identifier=stable_id("module_", course.id, lesson.id),
        title=lesson.label,
        items=tuple(
            ModuleItem(
                identifier=stable_id("module_item_", course.id, ref),
                content_type=content_type,
                title=title,
                identifierref=ref,
                # quizzes arrive unpublished in Canvas (see canvas_meta.assessment_meta)
                published=content_type == "WikiPage",
            )
            for ref, title, content_type in children
        ),
    )


def manifest(course: Course, folders: list[etree._Element], resources: list[Resource]) -> bytes:
    root = M.manifest(
        M.metadata(
            M.schema("IMS Common Cartridge"),
            M.schemaversion("1.1.0"),
            L.lom(
                L.general(
                    L.title(L.string(course.title, language=course.language)),
                    L.language(course.language),
                )
            ),
        ),
        M.organizations(
            M.organization(
                M.item(
                    *folders,
                    identifier=stable_id("root_", course.id),
                ),
                identifier=stable_id("org_", course.id),
                structure="rooted-hierarchy",
            )
        ),
        resources_element(M, resources),
        identifier=stable_id("manifest_", course.id, TARGET),
    )
    root.set(f"{{{XSI_NS}}}schemaLocation", _SCHEMA_LOCATION)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
