"""SCORM 1.2: ``<course-id>-scorm12.zip``, the version Moodle fully supports.

The pass mark goes in ``adlcp:masteryscore``: with it Moodle recomputes the status
as passed/failed from the raw score ("Mastery score overrides status"), so it is
written only when the course has a quiz, using the same threshold as the quiz page.
"""

from __future__ import annotations

from lxml import etree

from srm_package.model import Course
from srm_package.package import Artifact
from srm_package.targets.scorm_manifest import ScormProfile, scorm_artifact

CP_NAMESPACE = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_NAMESPACE = "http://www.adlnet.org/xsd/adlcp_rootv1p2"


def _mastery_score(course: Course) -> list[etree._Element]:
    if not course.questions:
        return []
    element = etree.Element(f"{{{ADLCP_NAMESPACE}}}masteryscore")
    element.text = str(course.passing_score)
    return [element]


PROFILE = ScormProfile(
    runtime="scorm12",
    namespaces={None: CP_NAMESPACE, "adlcp": ADLCP_NAMESPACE},
    schemaversion="1.2",
    scormtype_attribute="scormtype",
    item_extensions=_mastery_score,
)


def build_artifact(course: Course) -> Artifact:
    return scorm_artifact(course, PROFILE)
