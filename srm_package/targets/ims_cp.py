"""IMS content-packaging resources, shared by the Canvas QTI zip and the Common Cartridge.

Both manifests list their files the same way (``resource`` → ``file`` + ``dependency``);
only the namespace differs, so the caller passes its ``ElementMaker``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lxml import etree
from lxml.builder import ElementMaker

from srm_package.errors import BuildError
from srm_package.model import Course, MediaFile
from srm_package.package_files import Entry, FileSource
from srm_package.targets.identifiers import stable_id

#: Canvas's and Common Cartridge's "associated content" (Canvas settings, quiz metadata)
LEARNING_APPLICATION_RESOURCE = "associatedcontent/imscc_xmlv1p1/learning-application-resource"


@dataclass(frozen=True)
class Resource:
    identifier: str
    type: str
    files: tuple[str, ...]
    #: the launchable file; ``None`` for resources an LMS must not open (CC assessments)
    href: str | None = None
    dependencies: tuple[str, ...] = ()


def media_resources(course: Course, folder: str, files: Iterable[MediaFile] | None = None,
                    ) -> tuple[list[Resource], dict[str, Entry]]:
    """Each image of the course (or ``files``) as a ``webcontent`` resource of its own in
    ``folder``, as Canvas's exports list files: importers copy them into the course's files."""
    resources, entries = [], {}
    for media in course.media if files is None else files:
        href = f"{folder}/{media.name}"
        entries[href] = FileSource(media.path, media.size)
        resources.append(Resource(stable_id("media_", course.id, media.name), "webcontent", (href,), href=href))
    return resources, entries


def resources_element(maker: ElementMaker, resources: Iterable[Resource]) -> etree._Element:
    return maker.resources(*(_resource(maker, resource) for resource in resources))


def _resource(maker: ElementMaker, resource: Resource) -> etree._Element:
    attributes = {"identifier": resource.identifier, "type": resource.type}
    if resource.href is not None:
        attributes["href"] = resource.href
    return maker.resource(
        *(maker.file(href=href) for href in resource.files),
        *(maker.dependency(identifierref=ref) for ref in resource.dependencies),
        attributes,
    )


def check_package(entries: Mapping[str, bytes], resources: Iterable[Resource], target: str) -> None:
    """Every file a resource lists is in the package, and no identifier is used twice."""
    seen: set[str] = set()
    for resource in resources:
        if resource.identifier in seen:
            raise BuildError(f"{target}: two resources share the identifier {resource.identifier!r}")
        seen.add(resource.identifier)
        missing = [href for href in resource.files if href not in entries]
        if missing:
            raise BuildError(f"{target}: resource {resource.identifier} lists missing files {missing}")
