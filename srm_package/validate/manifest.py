"""Checks every IMS content-packaging manifest gets (SCORM, Common Cartridge, Canvas QTI zip).

Identifiers unique, ``identifierref`` resolving, the default organization existing,
every listed and launched file present and inside the package, and every file of the
package listed (a warning: LMSs only copy what is listed, with some exceptions).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from srm_package.validate.context import PackageCheck
from srm_package.validate.links import Target, resolve
from srm_package.validate.safe_xml import child, children, descendants, local_name

MANIFEST = "imsmanifest.xml"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


@dataclass
class ManifestIndex:
    """What later checks need from the manifest: its resources and the files they list."""

    root: etree._Element
    resources: dict[str, etree._Element] = field(default_factory=dict)
    #: member names listed by any resource (file/@href and resource/@href)
    listed: set[str] = field(default_factory=set)

    def files_of(self, resource: etree._Element) -> list[str]:
        """The member names of a resource's ``file`` elements, in document order."""
        base = _base_of(resource)
        found = []
        for file_element in children(resource, "file"):
            resolved = resolve(file_element.get("href", ""), base)
            if resolved.target is Target.LOCAL:
                found.append(resolved.member)
        return found

    def launch_of(self, resource: etree._Element) -> str | None:
        resolved = resolve(resource.get("href", ""), _base_of(resource))
        return resolved.member if resolved.target is Target.LOCAL else None


def _base_of(resource: etree._Element) -> str:
    """The folder a resource's hrefs are relative to (``xml:base`` on resources and resource)."""
    parts = []
    parent = resource.getparent()
    for element in (parent, resource):
        if element is not None and element.get(_XML_BASE):
            parts.append(element.get(_XML_BASE).strip("/"))
    return "/".join(p for p in parts if p)


def check_manifest(ctx: PackageCheck, root: etree._Element) -> ManifestIndex:
    index = ManifestIndex(root)
    ctx.ran("manifest.duplicate-identifier", "manifest.identifierref", "manifest.default-organization",
            "manifest.href-outside", "manifest.file-missing", "manifest.launch-missing",
            "manifest.file-unlisted")
    _check_identifiers(ctx, root, index)
    _check_references(ctx, root, index)
    _check_files(ctx, root, index)
    return index


def _check_identifiers(ctx: PackageCheck, root: etree._Element, index: ManifestIndex) -> None:
    seen: dict[str, int] = {}
    for element in root.iter():
        identifier = element.get("identifier") if isinstance(element.tag, str) else None
        if identifier is None:
            continue
        if identifier in seen:
            ctx.report("manifest.duplicate-identifier",
                       f"identifier {identifier!r} is used again (first on line {seen[identifier]})",
                       MANIFEST, element.sourceline)
        else:
            seen[identifier] = element.sourceline
        if local_name(element) == "resource":
            index.resources.setdefault(identifier, element)


def _check_references(ctx: PackageCheck, root: etree._Element, index: ManifestIndex) -> None:
    organizations = child(root, "organizations")
    if organizations is not None and organizations.get("default"):
        known = {o.get("identifier") for o in children(organizations, "organization")}
        if organizations.get("default") not in known:
            ctx.report("manifest.default-organization",
                       f"organizations/@default {organizations.get('default')!r} names no organization",
                       MANIFEST, organizations.sourceline)
    for element in descendants(root, "item") + descendants(root, "dependency"):
        reference = element.get("identifierref")
        if reference is not None and reference not in index.resources:
            ctx.report("manifest.identifierref",
                       f"<{local_name(element)}> identifierref {reference!r} names no resource",
                       MANIFEST, element.sourceline)


def _check_files(ctx: PackageCheck, root: etree._Element, index: ManifestIndex) -> None:
    for resource in index.resources.values():
        base = _base_of(resource)
        if resource.get("href"):
            _check_href(ctx, index, resource, resource.get("href"), base, "manifest.launch-missing",
                        "the launch file")
        for file_element in children(resource, "file"):
            _check_href(ctx, index, file_element, file_element.get("href", ""), base,
                        "manifest.file-missing", "the listed file")
    unlisted = [name for name in ctx.names if name not in index.listed and name != MANIFEST]
    for name in unlisted:
        ctx.report("manifest.file-unlisted", "is in the package but no resource in imsmanifest.xml lists it",
                   name)


def _check_href(ctx: PackageCheck, index: ManifestIndex, element: etree._Element, href: str, base: str,
                missing_check: str, what: str) -> None:
    resolved = resolve(href, base)
    if resolved.target is Target.OUTSIDE:
        ctx.report("manifest.href-outside", f"href {href!r} points outside the package", MANIFEST,
                   element.sourceline)
    elif resolved.target is Target.LOCAL:
        index.listed.add(resolved.member)
        if not ctx.has(resolved.member):
            ctx.report(missing_check, f"{what} {resolved.member!r} is not in the package", MANIFEST,
                       element.sourceline)


def metadata_value(root: etree._Element, name: str) -> tuple[str | None, etree._Element | None]:
    """The text of ``metadata/<name>`` (``schema``, ``schemaversion``) and its element."""
    metadata = child(root, "metadata")
    element = child(metadata, name) if metadata is not None else None
    if element is None:
        return None, None
    return (element.text or "").strip(), element

