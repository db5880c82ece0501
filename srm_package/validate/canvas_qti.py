"""Canvas QTI zips (Classic Quizzes import) as Canvas reads them (lms-targets §2.1).

Canvas recognises the zip by a resource type starting ``imsqti``; declaring the
manifest as "IMS Common Cartridge" sends it to the cartridge importer instead. The
quiz settings in ``assessment_meta.xml`` are applied only when that file sits at
``<assessment ident>/assessment_meta.xml``.
"""

from __future__ import annotations

import re

from lxml import etree

from srm_package.validate.context import PackageCheck
from srm_package.validate.manifest import MANIFEST, ManifestIndex, metadata_value
from srm_package.validate.qti import Flavour, check_qti
from srm_package.validate.safe_xml import children, descendants

META_FILE = "assessment_meta.xml"
LAR_TYPE_MARK = "learning-application-resource"


#: QTI 2.x and 3.0 resource types (``imsqti_item_xmlv2p1``, ``imsqti_test_xmlv3p0``...): another format
_LATER_QTI_TYPE = re.compile(r"imsqti_[a-z]+_xmlv([23])p(\d+)", re.IGNORECASE)


def is_qti_resource_type(resource_type: str) -> bool:
    """A QTI 1.2 resource, as Canvas recognises one (QTI 2.x and 3.0 types are not)."""
    lowered = resource_type.lower()
    return lowered.startswith(("imsqti", "ims_qti")) and later_qti_version(resource_type) is None


def later_qti_version(resource_type: str) -> str | None:
    """``2.1`` for a QTI 2.1 resource type (likewise 2.2, 3.0); ``None`` for any other."""
    matched = _LATER_QTI_TYPE.fullmatch(resource_type.strip())
    return f"{matched[1]}.{matched[2]}" if matched else None


def is_canvas_qti(root: etree._Element) -> bool:
    """A manifest listing a plain QTI 1.2 resource (not a cartridge's ``.../assessment`` type)."""
    return any(is_qti_resource_type(r.get("type", "")) and "imscc" not in r.get("type", "")
               for r in descendants(root, "resource"))


def later_qti_package(root: etree._Element) -> str | None:
    """The QTI version (``2.1``...) of a QTI 2.x/3.0 content package, which lists no QTI 1.2 resource."""
    versions = sorted({v for r in descendants(root, "resource") if (v := later_qti_version(r.get("type", "")))})
    return versions[0] if versions and not is_canvas_qti(root) else None


def check_canvas_qti(ctx: PackageCheck, root: etree._Element, index: ManifestIndex) -> None:
    ctx.ran("canvas.manifest-schema", "canvas.no-assessment", "canvas.meta-missing", "canvas.meta-folder")
    schema, element = metadata_value(root, "schema")
    if schema and "common cartridge" in schema.lower():
        ctx.report("canvas.manifest-schema",
                   f"metadata/schema is {schema!r}: Canvas would import the zip as a Common Cartridge, not as "
                   "a QTI quiz; use 'IMS Content'", MANIFEST, element.sourceline)
    meta_paths = {index.launch_of(r) or "": r for r in index.resources.values()
                  if LAR_TYPE_MARK in r.get("type", "") and (index.launch_of(r) or "").endswith(META_FILE)}
    for resource in index.resources.values():
        if is_qti_resource_type(resource.get("type", "")):
            _check_quiz(ctx, index, resource, meta_paths)


def _check_quiz(ctx: PackageCheck, index: ManifestIndex, resource: etree._Element,
                meta_paths: dict[str, etree._Element]) -> None:
    """One QTI resource: its document (whose tree is freed on return) and its settings file."""
    files = index.files_of(resource) or [index.launch_of(resource) or ""]
    qti_member = files[0]
    if not ctx.has(qti_member):
        return  # reported by manifest.file-missing
    tree = ctx.xml(qti_member)
    if tree is None:
        return
    idents = check_qti(ctx, qti_member, tree, Flavour.CANVAS)
    if not idents:
        ctx.report("canvas.no-assessment",
                   f"resource {resource.get('identifier')!r}: {qti_member} holds no <assessment>",
                   MANIFEST, resource.sourceline)
    for ident in idents:
        _check_meta(ctx, index, resource, ident, meta_paths)


def _check_meta(ctx: PackageCheck, index: ManifestIndex, resource: etree._Element, ident: str,
                meta_paths: dict[str, etree._Element]) -> None:
    expected = f"{ident}/{META_FILE}"
    if expected in meta_paths:
        return
    linked = [index.resources[d.get("identifierref")] for d in children(resource, "dependency")
              if d.get("identifierref") in index.resources]
    misplaced = [index.launch_of(r) for r in linked if (index.launch_of(r) or "").endswith(META_FILE)]
    if not misplaced and len(meta_paths) == 1:
        misplaced = list(meta_paths)
    if misplaced:
        ctx.report("canvas.meta-folder",
                   f"assessment {ident!r}: its settings are at {misplaced[0]!r}, but Canvas applies them only "
                   f"from {expected!r} (folder = assessment ident)", MANIFEST, resource.sourceline)
    else:
        ctx.report("canvas.meta-missing",
                   f"assessment {ident!r} has no {expected}; Canvas imports it with default quiz settings",
                   MANIFEST, resource.sourceline)
