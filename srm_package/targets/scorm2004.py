"""SCORM 2004 4th Edition: ``<course-id>-scorm2004.zip``.

The pass mark is the primary objective's ``minNormalizedMeasure`` with
``satisfiedByMeasure``, which conformant LMSs hand to the SCO as
``cmi.scaled_passing_score`` (Moodle stores it but does not apply it, so the SCO
sets ``cmi.success_status`` itself). The sequencing written here only describes the
one SCO: flow lets an LMS start it without a menu click, content-set delivery
controls stop an LMS from marking an untaken quiz as passed when the learner leaves,
and the LMS's previous/continue buttons are hidden because there is nowhere to go.
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from srm_package.model import Course
from srm_package.package import Artifact
from srm_package.targets.scorm_manifest import ScormProfile, scorm_artifact

CP_NAMESPACE = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP_NAMESPACE = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ_NAMESPACE = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV_NAMESPACE = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS_NAMESPACE = "http://www.imsglobal.org/xsd/imsss"

_SS = f"{{{IMSSS_NAMESPACE}}}"
_NAV = f"{{{ADLNAV_NAMESPACE}}}"


def scaled_passing_score(course: Course) -> str:
    """The pass mark as a normalized measure: 80 → ``0.8``, 100 → ``1``."""
    return format((Decimal(course.passing_score) / 100).normalize(), "f")


def _item_extensions(course: Course) -> list[etree._Element]:
    sequencing = etree.Element(f"{_SS}sequencing")
    if course.questions:
        objectives = etree.SubElement(sequencing, f"{_SS}objectives")
        primary = etree.SubElement(objectives, f"{_SS}primaryObjective", satisfiedByMeasure="true")
        etree.SubElement(primary, f"{_SS}minNormalizedMeasure").text = scaled_passing_score(course)
    etree.SubElement(sequencing, f"{_SS}deliveryControls", tracked="true",
                     completionSetByContent="true", objectiveSetByContent="true")
    presentation = etree.Element(f"{_NAV}presentation")
    interface = etree.SubElement(presentation, f"{_NAV}navigationInterface")
    for control in ("previous", "continue"):
        etree.SubElement(interface, f"{_NAV}hideLMSUI").text = control
    return [sequencing, presentation]


def _organization_extensions(course: Course) -> list[etree._Element]:
    sequencing = etree.Element(f"{_SS}sequencing")
    etree.SubElement(sequencing, f"{_SS}controlMode", choice="true", flow="true")
    return [sequencing]


PROFILE = ScormProfile(
    runtime="scorm2004",
    namespaces={
        None: CP_NAMESPACE,
        "adlcp": ADLCP_NAMESPACE,
        "adlseq": ADLSEQ_NAMESPACE,
        "adlnav": ADLNAV_NAMESPACE,
        "imsss": IMSSS_NAMESPACE,
    },
    schemaversion="2004 4th Edition",
    scormtype_attribute="scormType",
    item_extensions=_item_extensions,
    organization_extensions=_organization_extensions,
)


def build_artifact(course: Course) -> Artifact:
    return scorm_artifact(course, PROFILE)
