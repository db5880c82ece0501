"""``canvas-qti``: every lesson quiz as a Canvas Classic Quiz, in a QTI 1.2 zip.

Layout Canvas's QTI import reads (lms-targets 2.1)::

    imsmanifest.xml                 schema "IMS Content" (not a cartridge)
    <ident>/<ident>.xml             QTI assessment, Canvas flavour (qti.Profile.CANVAS)
    <ident>/assessment_meta.xml     quiz settings; the folder must be named after the ident
    media/<name>                    the images the questions show, each a webcontent resource
                                    (Canvas imports them as files of the quiz)

The manifest is plain IMS Content Packaging 1.2 (namespace ``imscp_v1p1``), so it is
checked against the official CP 1.2 schema; Canvas recognises QTI by the resource type.
"""

from __future__ import annotations

from lxml import etree
from lxml.builder import ElementMaker

from srm_package import pools
from srm_package.model import Course, Quiz
from srm_package.package import Artifact
from srm_package.package_files import Entry
from srm_package.rich_text import files_of
from srm_package.targets import qti
from srm_package.targets.canvas_meta import ASSESSMENT_META, assessment_meta
from srm_package.targets.identifiers import stable_id
from srm_package.targets.ims_cp import (
    LEARNING_APPLICATION_RESOURCE,
    Resource,
    check_package,
    media_resources,
    resources_element,
)

TARGET = "canvas-qti"
MANIFEST = "imsmanifest.xml"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
QTI_RESOURCE_TYPE = "imsqti_xmlv1p2"
MEDIA_FOLDER = "media"

M = ElementMaker(namespace=CP_NS, nsmap={None: CP_NS, "xsi": XSI_NS})


def build_artifact(course: Course) -> Artifact:
    entries: dict[str, Entry] = {}
    resources: list[Resource] = []
    documents = qti.assessment_documents(course.quizzes, profile=qti.Profile.CANVAS, scope=course.id,
                                         media_of=lambda quiz: files_of(course, quiz.images))
    for quiz, document in zip(course.quizzes, documents, strict=True):
        ident = qti.assessment_ident(quiz, course.id)
        qti_href, meta_href = f"{ident}/{ident}.xml", f"{ident}/{ASSESSMENT_META}"
        entries[qti_href] = document
        entries[meta_href] = assessment_meta(quiz, ident=ident, scope=course.id)
        meta_id = meta_identifier(course, quiz)
        resources += [
            Resource(ident, QTI_RESOURCE_TYPE, (qti_href,), dependencies=(meta_id,)),
            Resource(meta_id, LEARNING_APPLICATION_RESOURCE, (meta_href,), href=meta_href),
        ]
    # the question texts reach them as $IMS-CC-FILEBASE$/media/<name> (qti.TEXT_STYLES)
    quiz_images = files_of(course, (ref for quiz in course.quizzes for ref in quiz.images))
    image_resources, images = media_resources(course, MEDIA_FOLDER, quiz_images)
    resources += image_resources
    entries.update(images)
    entries[MANIFEST] = manifest(course, resources)
    check_package(entries, resources, TARGET)
    return Artifact(
        filename=f"{course.id}-canvas-qti.zip",
        kind="zip",
        entries=entries,
        summary=quiz_summary(course),
    )


def meta_identifier(course: Course, quiz: Quiz) -> str:
    return stable_id("meta_", course.id, quiz.id)


def manifest(course: Course, resources: list[Resource]) -> bytes:
    root = M.manifest(
        M.metadata(M.schema("IMS Content"), M.schemaversion("1.1.3")),
        M.organizations(),
        resources_element(M, resources),
        identifier=stable_id("manifest_", course.id, TARGET),
    )
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{CP_NS} http://www.imsglobal.org/xsd/imscp_v1p2.xsd")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def quiz_summary(course: Course) -> str:
    """E.g. "5 questions, 5 points" (with the quiz count when there are several, and how many
    an attempt asks when pools draw some)."""
    points = course.points
    text = f"{pools.question_count(course)}, {points} point{'s' * (points != 1)}"
    quizzes = len(course.quizzes)
    return text if quizzes == 1 else f"{quizzes} quizzes, {text}"
