"""IMS Common Cartridge as Moodle's and Canvas's importers read it (lms-targets §1.3, §2.2, §4).

Moodle detects a CC 1.1 cartridge by the default namespace in the first bytes of the
manifest, validates the manifest against the CC 1.1 XSDs (so resource-level LOM other
than ``educational`` aborts the restore), rejects protected cartridges, reads a quiz
from the first file of an assessment resource and drops items without a known
``cc_profile``. Canvas needs the schema "IMS Common Cartridge" and an exact version.
"""

from __future__ import annotations

from lxml import etree

from srm_package.validate import schemas
from srm_package.validate.context import PackageCheck
from srm_package.validate.manifest import MANIFEST, ManifestIndex, metadata_value
from srm_package.validate.qti import Flavour, check_qti
from srm_package.validate.safe_xml import child, children, descendants, local_name, namespace_of

#: manifest namespace → (CC version, schemaversion Canvas expects)
CC_NAMESPACES = {
    "http://www.imsglobal.org/xsd/imscc/imscp_v1p1": ("1.0", "1.0.0"),
    "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1": ("1.1", "1.1.0"),
    "http://www.imsglobal.org/xsd/imsccv1p2/imscp_v1p1": ("1.2", "1.2.0"),
    "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1": ("1.3", "1.3.0"),
}
MANIFEST_SCHEMA = {"1.1": schemas.CC11_MANIFEST, "1.3": schemas.CC13_MANIFEST}
MOODLE_VERSIONS = ("1.0", "1.1")
#: Moodle reads this many bytes; the declaration must sit well inside them
NAMESPACE_WINDOW = 400
CANVAS_QTI_SUFFIX = ".xml.qti"


def is_cc(root: etree._Element) -> bool:
    return namespace_of(root) in CC_NAMESPACES or declares_cartridge(root)


def declares_cartridge(root: etree._Element) -> bool:
    """``metadata/schema`` names a Common Cartridge, which is how Canvas detects one (lms-targets §2.2)."""
    schema, _ = metadata_value(root, "schema")
    return "common cartridge" in (schema or "").lower()


def version_of(root: etree._Element) -> str | None:
    known = CC_NAMESPACES.get(namespace_of(root))
    return known[0] if known else None


def check_cc(ctx: PackageCheck, raw: bytes, root: etree._Element, index: ManifestIndex) -> None:
    ctx.ran("cc.namespace-position", "cc.schemaversion", "cc.version-moodle", "cc.protected",
            "cc.resource-metadata", "cc.assessment-file")
    namespace = namespace_of(root)
    _check_namespace_position(ctx, raw, namespace)
    _check_version(ctx, root, namespace)
    for element in descendants(root, "authorizations"):
        ctx.report("cc.protected", "the cartridge declares <authorizations>; Moodle refuses protected "
                                   "cartridges", MANIFEST, element.sourceline)
    for resource in index.resources.values():
        _check_resource_metadata(ctx, resource)
        if _is_qti_resource(resource):
            _check_assessment(ctx, resource, index)
    for name in ctx.names:
        if name.endswith(CANVAS_QTI_SUFFIX):  # Canvas-cartridge quizzes (non_cc_assessments/)
            _check_canvas_quiz(ctx, name)


def _check_canvas_quiz(ctx: PackageCheck, name: str) -> None:
    """A Canvas-flavoured quiz of a Canvas cartridge; its settings sit in ``<ident>/assessment_meta.xml``."""
    tree = ctx.xml(name)
    if tree is None:
        return
    ctx.ran("canvas.meta-missing")
    for ident in check_qti(ctx, name, tree, Flavour.CANVAS):
        if not ctx.has(f"{ident}/assessment_meta.xml"):
            ctx.report("canvas.meta-missing", f"assessment {ident!r} has no {ident}/assessment_meta.xml; "
                                              "Canvas imports it with default quiz settings", name)


def _check_namespace_position(ctx: PackageCheck, raw: bytes, namespace: str) -> None:
    # Moodle's test: lower-case, strip whitespace and quotes, look for xmlns=<namespace>
    window = raw[:NAMESPACE_WINDOW].decode("utf-8", "replace").lower()
    squeezed = "".join(ch for ch in window if not ch.isspace() and ch not in "\"'")
    if f"xmlns={namespace.lower()}" not in squeezed:
        ctx.report("cc.namespace-position",
                   f"the default namespace {namespace!r} is not declared on <manifest> within the first "
                   f"{NAMESPACE_WINDOW} bytes; Moodle then does not recognise the cartridge version",
                   MANIFEST, 1)


def _check_version(ctx: PackageCheck, root: etree._Element, namespace: str) -> None:
    version, expected = CC_NAMESPACES.get(namespace, (None, None))
    schema, schema_element = metadata_value(root, "schema")
    schemaversion, version_element = metadata_value(root, "schemaversion")
    if schema != "IMS Common Cartridge" or (expected and schemaversion != expected):
        line = (version_element if version_element is not None else schema_element or root).sourceline
        ctx.report("cc.schemaversion",
                   f"metadata schema {schema!r} / schemaversion {schemaversion!r}: Canvas detects a cartridge "
                   f"only by 'IMS Common Cartridge' and {expected or 'a known version'!r}", MANIFEST, line)
    if version not in MOODLE_VERSIONS:
        ctx.report("cc.version-moodle",
                   f"Common Cartridge {version or 'of unknown version'}: Moodle imports only 1.0 and 1.1",
                   MANIFEST, root.sourceline)


def _check_resource_metadata(ctx: PackageCheck, resource: etree._Element) -> None:
    metadata = child(resource, "metadata")
    if metadata is None:
        return
    for lom in children(metadata, "lom"):
        for part in lom:
            if isinstance(part.tag, str) and local_name(part) != "educational":
                ctx.report("cc.resource-metadata",
                           f"resource {resource.get('identifier')!r} has LOM <{local_name(part)}>; Moodle's "
                           "schema check aborts the restore (only <educational> is allowed)",
                           MANIFEST, part.sourceline)


def _is_qti_resource(resource: etree._Element) -> bool:
    kind = resource.get("type", "")
    return kind.startswith("imsqti_xmlv1p2/imscc_xmlv1p") or kind.endswith(("/assessment", "/question-bank"))


def _check_assessment(ctx: PackageCheck, resource: etree._Element, index: ManifestIndex) -> None:
    files = index.files_of(resource)
    first = files[0] if files else None
    if first is None or not ctx.has(first):
        ctx.report("cc.assessment-file",
                   f"resource {resource.get('identifier')!r} ({resource.get('type')}) has no first <file> "
                   "in the package; Moodle reads the quiz from it", MANIFEST, resource.sourceline)
        return
    tree = ctx.xml(first)
    if tree is None:
        return
    if local_name(tree.getroot()) != "questestinterop":
        ctx.report("cc.assessment-file",
                   f"resource {resource.get('identifier')!r}: its first file {first} is not a QTI document; "
                   "Moodle reads the quiz from the first file", MANIFEST, resource.sourceline)
        return
    check_qti(ctx, first, tree, Flavour.CC)
