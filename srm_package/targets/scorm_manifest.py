"""The IMS content-packaging manifest and package layout shared by SCORM 1.2 and 2004.

Every SCORM package holds exactly one SCO: ``index.html`` with every lesson and quiz
of the course and in-page navigation. Moodle 4.5 loses everything a second SCO of a
2004 package reports (measured, lms-targets §6), and with one SCO Moodle's default
"Highest grade" is the quiz score. Each quiz also travels as a QTI 1.2 question bank,
listed as its own resource that no item points at, so no LMS launches or tracks it.

The manifest is written for Moodle's parser, which is not namespace-aware: packaging
elements in the default namespace, extensions under the literal prefixes ``adlcp``,
``imsss``, ``adlnav`` and ``adlseq``, and UTF-8 text without numeric character
references (Moodle rewrites ``&#233;`` into ``&amp;#233;`` before parsing).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from lxml import etree

from srm_package import pools
from srm_package.errors import BuildError
from srm_package.model import Course, Quiz
from srm_package.package import Artifact
from srm_package.package_files import Entry

LAUNCH_PAGE = "index.html"
MANIFEST_NAME = "imsmanifest.xml"
QTI_RESOURCE_TYPE = "imsqti_xmlv1p2"
#: Moodle drops some characters from unzipped names; this set survives every reader
_ENTRY_NAME = re.compile(r"[a-z0-9._-]+(?:/[a-z0-9._-]+)*")
#: the SCORM 1.2 content-packaging schema caps titles at 200 characters
_TITLE_LIMIT = 200

Extensions = Callable[[Course], list[etree._Element]]


def _no_extensions(course: Course) -> list[etree._Element]:
    return []


@dataclass(frozen=True)
class ScormProfile:
    """What differs between SCORM versions; everything else is shared."""

    #: "scorm12" or "scorm2004": the page runtime and the package-name suffix
    runtime: str
    #: prefix → namespace; ``None`` is the content-packaging default namespace
    namespaces: Mapping[str | None, str]
    schemaversion: str
    #: the local name of ``adlcp:scormtype`` (1.2) / ``adlcp:scormType`` (2004)
    scormtype_attribute: str
    #: extension elements appended to the single item (pass mark, sequencing...)
    item_extensions: Extensions = _no_extensions
    #: extension elements appended to the organization
    organization_extensions: Extensions = _no_extensions

    def qname(self, prefix: str | None, local: str) -> str:
        return f"{{{self.namespaces[prefix]}}}{local}"


@dataclass(frozen=True)
class QuestionBank:
    """One quiz's QTI 1.2 file and the identifier of the resource that lists it."""

    identifier: str
    href: str
    content: bytes


# ------------------------------------------------------------------ identifiers
def manifest_identifier(course: Course) -> str:
    return course.id


def organization_identifier(course: Course) -> str:
    return f"{course.id}-org"


def item_identifier(course: Course) -> str:
    return f"{course.id}-item"


def sco_identifier(course: Course) -> str:
    return f"{course.id}-sco"


def bank_identifier(course: Course, quiz: Quiz) -> str:
    return f"{course.id}-qti-{quiz.id}"


def bank_href(quiz: Quiz) -> str:
    return f"qti/{quiz.id}.xml"


# ----------------------------------------------------------------------- titles
def plain_title(text: str) -> str:
    """One line of at most 200 characters, so no ``&#10;`` and no schema overflow."""
    line = " ".join(text.split())
    if len(line) <= _TITLE_LIMIT:
        return line
    return line[: _TITLE_LIMIT - 1].rstrip() + "…"


def item_title(course: Course) -> str:
    """The lesson title for a one-lesson course; else the course title (the SCO holds all)."""
    if len(course.lessons) == 1:
        return plain_title(course.lessons[0].title)
    return plain_title(course.title)


# --------------------------------------------------------------------- manifest
def manifest_xml(
    course: Course, profile: ScormProfile, sco_files: Iterable[str], banks: Sequence[QuestionBank]
) -> bytes:
    """The ``imsmanifest.xml`` of a one-SCO package, as UTF-8 bytes."""
    cp = profile.namespaces[None]

    def sub(parent: etree._Element, local: str, text: str | None = None, **attrs: str):
        element = etree.SubElement(parent, f"{{{cp}}}{local}", attrs)
        element.text = text
        return element

    root = etree.Element(
        f"{{{cp}}}manifest",
        {"identifier": manifest_identifier(course), "version": _manifest_version(course)},
        nsmap=dict(profile.namespaces),
    )
    metadata = sub(root, "metadata")
    sub(metadata, "schema", "ADL SCORM")
    sub(metadata, "schemaversion", profile.schemaversion)

    organizations = sub(root, "organizations", default=organization_identifier(course))
    organization = sub(organizations, "organization", identifier=organization_identifier(course))
    sub(organization, "title", plain_title(course.title))
    item = sub(organization, "item", identifier=item_identifier(course),
               identifierref=sco_identifier(course))
    sub(item, "title", item_title(course))
    item.extend(profile.item_extensions(course))
    organization.extend(profile.organization_extensions(course))

    resources = sub(root, "resources")
    scormtype = profile.qname("adlcp", profile.scormtype_attribute)
    sco = sub(resources, "resource", identifier=sco_identifier(course), type="webcontent",
              href=LAUNCH_PAGE)
    sco.set(scormtype, "sco")
    for href in sorted(sco_files):
        sub(sco, "file", href=href)
    for bank in banks:
        # no href: nothing to launch, and Moodle's no-items fallback cannot pick it as a SCO
        resource = sub(resources, "resource", identifier=bank.identifier, type=QTI_RESOURCE_TYPE)
        resource.set(scormtype, "asset")
        sub(resource, "file", href=bank.href)

    # encoding="UTF-8" writes every character as itself: no numeric references
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _manifest_version(course: Course) -> str:
    updated = course.last_updated
    day = f"-{updated.day:02d}" if updated.day else ""
    return f"{updated.year:04d}-{updated.month:02d}{day}"


# ---------------------------------------------------------------------- package
def question_banks(course: Course) -> list[QuestionBank]:
    """Every quiz of the course as a QTI 1.2 question bank (written by ``targets.qti``).

    Its items carry the identifiers of the same questions in ``canvas-qti`` and ``cc``
    (scoped by the course id, like theirs)."""
    from srm_package.rich_text import files_of
    from srm_package.targets.qti import question_bank

    return [QuestionBank(bank_identifier(course, quiz), bank_href(quiz),
                         question_bank(quiz, scope=course.id, media=files_of(course, quiz.images)))
            for quiz in course.quizzes]


def package_entries(
    course: Course, profile: ScormProfile, site: Mapping[str, Entry], banks: Sequence[QuestionBank]
) -> dict[str, Entry]:
    """The zip entries: the rendered site, the question banks and the manifest at the root."""
    if LAUNCH_PAGE not in site:
        raise BuildError(f"{profile.runtime}: the rendered site has no {LAUNCH_PAGE}")
    entries = dict(site)
    for bank in banks:
        if bank.href in entries:
            raise BuildError(f"{profile.runtime}: two files would be named {bank.href}")
        entries[bank.href] = bank.content
    if MANIFEST_NAME in entries:
        raise BuildError(f"{profile.runtime}: the rendered site may not contain {MANIFEST_NAME}")
    entries[MANIFEST_NAME] = manifest_xml(course, profile, site, banks)
    check_entry_names(entries, profile.runtime)
    return entries


def check_entry_names(names: Iterable[str], target: str) -> None:
    """Refuse any name outside ``[a-z0-9._/-]`` or with empty, ``.`` or ``..`` segments."""
    for name in sorted(names):
        if not _ENTRY_NAME.fullmatch(name) or any(part in (".", "..") for part in name.split("/")):
            raise BuildError(f"{target}: unsafe file name in the package: {name!r}")


def summary(course: Course) -> str:
    if not course.questions:
        return "no quiz: completed once opened"
    return f"{pools.question_count(course)}, pass mark {course.passing_score}%"


def scorm_artifact(course: Course, profile: ScormProfile) -> Artifact:
    """The finished ``<course-id>-<runtime>.zip`` of ``course``."""
    from srm_package.render import render_site

    site = render_site(course, profile.runtime)
    entries = package_entries(course, profile, site, question_banks(course))
    return Artifact(f"{course.id}-{profile.runtime}.zip", "zip", entries, summary(course))
