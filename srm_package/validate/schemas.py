"""The official XSDs (``--schemas DIR``): which one validates which document, compiled once.

The mapping is the one in the schema folder's README. Schemas are trusted input
(the user names the folder); they are still parsed without network access.
"""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

SCORM12_MANIFEST = "scorm12/_combined.xsd"
SCORM2004_MANIFEST = "scorm2004/_combined.xsd"
CC11_MANIFEST = "cc11/ccv1p1_imscp_v1p2_v1p0.xsd"
CC13_MANIFEST = "cc13/_combined.xsd"
IMSCP_MANIFEST = "imscp12/imscp_v1p2.xsd"
QTI_FULL = "qti12/domainProfile_4/ims_qtiasiv1p2.xsd"
QTI_CC_PROFILE = "cc11/ccv1p1_qtiasiv1p2p1_v1p0.xsd"

QTI_NAMESPACE = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
#: documents other than manifests, recognised by their root namespace
BY_ROOT_NAMESPACE: dict[str, tuple[str, ...]] = {
    QTI_NAMESPACE: (QTI_FULL,),
    "http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1": ("cc11/ccv1p1_imswl_v1p1.xsd",),
    "http://www.imsglobal.org/xsd/imsccv1p1/imsdt_v1p1": ("cc11/ccv1p1_imsdt_v1p1.xsd",),
    "http://www.imsglobal.org/xsd/imslticc_v1p0": ("cc11/imslticc_v1p0p1.xsd",),
    "http://www.imsglobal.org/xsd/imsccv1p3/imswl_v1p3": ("cc13/ccv1p3_imswl_v1p3.xsd",),
    "http://www.imsglobal.org/xsd/imsccv1p3/imsdt_v1p3": ("cc13/ccv1p3_imsdt_v1p3.xsd",),
}


class SchemaUnavailable(Exception):
    """The schema file is missing from the folder or does not compile."""


@functools.lru_cache(maxsize=32)
def _compiled(path: Path) -> etree.XMLSchema:
    if not path.is_file():
        raise SchemaUnavailable(f"{path} does not exist")
    try:
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        return etree.XMLSchema(etree.parse(str(path), parser))
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError, OSError) as error:
        raise SchemaUnavailable(f"{path} does not compile: {error}") from None


def schema(schemas_dir: Path, relative: str) -> etree.XMLSchema:
    """The compiled schema ``relative`` to ``schemas_dir`` (cached per resolved path)."""
    return _compiled((schemas_dir / relative).resolve())


def violations(xml_schema: etree.XMLSchema, tree: etree._ElementTree) -> list[tuple[int, str]]:
    """(line, message) for every schema error in ``tree``; empty when valid."""
    if xml_schema.validate(tree):
        return []
    return [(error.line, error.message) for error in xml_schema.error_log]
