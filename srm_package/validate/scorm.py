"""SCORM 1.2 / 2004 manifests as Moodle's SCORM parser reads them (lms-targets §1.1, §3, §4, §6).

Moodle takes the version from ``metadata/schemaversion`` alone and silently falls
back to 1.2 on any other value; its parser matches literal prefixed names
(``ADLCP:SCORMTYPE``), so extension prefixes must be exactly ``adlcp``, ``adlseq``,
``adlnav`` and ``imsss``; a launched resource without ``scormtype`` becomes an
untracked asset; and a SCORM 2004 package with several SCOs loses the data of all
but the first in Moodle 4.5.
"""

from __future__ import annotations

from lxml import etree

from srm_package.validate import schemas
from srm_package.validate.context import PackageCheck
from srm_package.validate.manifest import MANIFEST, ManifestIndex, metadata_value
from srm_package.validate.safe_xml import attribute, descendants, local_name, namespace_of

CP2004_NAMESPACE = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP12_NAMESPACE = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
ADLCP2004_NAMESPACE = "http://www.adlnet.org/xsd/adlcp_v1p3"
#: extension namespace → the literal prefix Moodle's parser matches
EXTENSION_PREFIXES = {
    ADLCP12_NAMESPACE: "adlcp",
    ADLCP2004_NAMESPACE: "adlcp",
    "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq",
    "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav",
    "http://www.imsglobal.org/xsd/imsss": "imsss",
}
SCHEMAVERSIONS = {
    "scorm12": ("1.2",),
    "scorm2004": ("1.3", "CAM 1.3", "2004 3rd Edition", "2004 4th Edition"),
}
MANIFEST_SCHEMA = {"scorm12": schemas.SCORM12_MANIFEST, "scorm2004": schemas.SCORM2004_MANIFEST}
_CHECKS = ("scorm.schemaversion", "scorm.version-mismatch", "scorm.namespace-prefix", "scorm.char-reference",
           "scorm.no-sco", "scorm.scormtype-missing", "scorm.scormtype-invalid", "scorm.masteryscore")


def is_scorm(root: etree._Element) -> bool:
    schema, _ = metadata_value(root, "schema")
    declared = set(root.nsmap.values()) | {namespace_of(e) for e in root.iter()}
    return (schema or "").upper() == "ADL SCORM" or bool(declared & {ADLCP12_NAMESPACE, ADLCP2004_NAMESPACE})


def version_of(root: etree._Element) -> str:
    """``scorm12`` or ``scorm2004``, from the namespaces (the schemaversion is checked separately)."""
    declared = set(root.nsmap.values()) | {namespace_of(e) for e in root.iter()}
    if namespace_of(root) == CP2004_NAMESPACE or ADLCP2004_NAMESPACE in declared:
        return "scorm2004"
    return "scorm12"


def check_scorm(ctx: PackageCheck, raw: bytes, root: etree._Element, index: ManifestIndex) -> None:
    version = version_of(root)
    ctx.ran(*_CHECKS)
    if version == "scorm2004":
        ctx.ran("scorm.multiple-sco")
    _check_schemaversion(ctx, root, version)
    _check_prefixes(ctx, root)
    if b"&#" in raw:
        line = raw.count(b"\n", 0, raw.index(b"&#")) + 1
        ctx.report("scorm.char-reference", "numeric character reference: Moodle rewrites '&#' to '&amp;#' "
                                           "before parsing, so the text shows garbled; write UTF-8 text",
                   MANIFEST, line)
    _check_scos(ctx, root, index, version)
    for element in descendants(root, "masteryscore"):
        _check_mastery(ctx, element)


def _check_schemaversion(ctx: PackageCheck, root: etree._Element, version: str) -> None:
    value, element = metadata_value(root, "schemaversion")
    line = element.sourceline if element is not None else root.sourceline
    expected = SCHEMAVERSIONS[version]
    other = "scorm12" if version == "scorm2004" else "scorm2004"
    if value in SCHEMAVERSIONS[other]:
        ctx.report("scorm.version-mismatch",
                   f"schemaversion {value!r} says {other} but the namespaces are {version}'s; Moodle follows "
                   "the schemaversion and gives the SCO the wrong run-time API", MANIFEST, line)
    elif value not in expected:
        shown = "missing" if value is None else repr(value)
        ctx.report("scorm.schemaversion",
                   f"metadata/schemaversion is {shown}; Moodle recognises only "
                   f"{', '.join(repr(v) for v in expected)} here and otherwise treats the package as SCORM 1.2",
                   MANIFEST, line)


def _check_prefixes(ctx: PackageCheck, root: etree._Element) -> None:
    cp_namespace = namespace_of(root)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        namespace = namespace_of(element)
        if namespace == cp_namespace and element.prefix is not None:
            ctx.report("scorm.namespace-prefix",
                       f"<{element.prefix}:{local_name(element)}>: packaging elements must be unprefixed; "
                       "Moodle's parser is not namespace-aware", MANIFEST, element.sourceline)
        elif namespace in EXTENSION_PREFIXES and element.prefix != EXTENSION_PREFIXES[namespace]:
            _wrong_prefix(ctx, element, element.prefix, local_name(element), EXTENSION_PREFIXES[namespace])
        for key in element.attrib:
            attr_namespace = key[1:].partition("}")[0] if key.startswith("{") else ""
            if attr_namespace in EXTENSION_PREFIXES:
                prefixes = [p for p, uri in element.nsmap.items() if uri == attr_namespace]
                if EXTENSION_PREFIXES[attr_namespace] not in prefixes:
                    _wrong_prefix(ctx, element, prefixes[0] if prefixes else None, key.rpartition("}")[2],
                                  EXTENSION_PREFIXES[attr_namespace])


def _wrong_prefix(ctx: PackageCheck, element: etree._Element, prefix: str | None, name: str,
                  expected: str) -> None:
    ctx.report("scorm.namespace-prefix",
               f"{prefix or '(default)'}:{name} must use the prefix '{expected}:'; Moodle's parser matches "
               "the literal prefixed name", MANIFEST, element.sourceline)


def _check_scos(ctx: PackageCheck, root: etree._Element, index: ManifestIndex, version: str) -> None:
    launched: dict[str, etree._Element] = {}
    for item in descendants(root, "item"):
        resource = index.resources.get(item.get("identifierref", ""))
        if resource is not None and resource.get("href"):
            launched.setdefault(resource.get("identifier"), resource)
    missing = False
    for resource in launched.values():
        if attribute(resource, "scormtype") is None:
            missing = True
            ctx.report("scorm.scormtype-missing",
                       f"resource {resource.get('identifier')!r} is launched by an item but has no "
                       "adlcp:scormtype; Moodle makes it an untracked asset: no score, no status",
                       MANIFEST, resource.sourceline)
    scos = []
    for resource in index.resources.values():
        value = attribute(resource, "scormtype")
        if value is None:
            continue
        if value.lower() not in ("sco", "asset"):
            ctx.report("scorm.scormtype-invalid", f"adlcp:scormtype is {value!r}; use 'sco' or 'asset'",
                       MANIFEST, resource.sourceline)
        elif value.lower() == "sco":
            scos.append(resource)
    if not scos and not missing:
        ctx.report("scorm.no-sco", "no resource has adlcp:scormtype 'sco': nothing reports to the LMS",
                   MANIFEST, root.sourceline)
    if version == "scorm2004" and len(scos) > 1:
        ctx.report("scorm.multiple-sco",
                   f"{len(scos)} SCOs: Moodle 4.5 reuses a terminated API object for the second SCO and "
                   "stores nothing it reports; put everything in one SCO", MANIFEST, scos[1].sourceline)


def _check_mastery(ctx: PackageCheck, element: etree._Element) -> None:
    text = (element.text or "").strip()
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 100:
        ctx.report("scorm.masteryscore", f"adlcp:masteryscore is {text!r}; it must be a number from 0 to 100",
                   MANIFEST, element.sourceline)
