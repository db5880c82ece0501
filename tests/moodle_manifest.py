"""Read an ``imsmanifest.xml`` the way Moodle's SCORM module does (lms-targets §1.1).

Moodle parses manifests with PHP's ``xml_parser``: not namespace-aware, every element
and attribute name upper-cased *with its literal prefix* (``ADLCP:SCORMTYPE``), text
pieces that are only whitespace dropped. Before parsing it turns every ``&`` that is not
followed by 2-6 word characters and ``;`` into ``&amp;`` (so ``&#233;`` survives only as
the literal text ``&#233;``). It then walks the tree: the first ``METADATA/SCHEMAVERSION``
decides the version, the organization and every item become rows ("scoes"), an item's
launch is its resource's ``XML:BASE`` + ``HREF``, a resource without ``ADLCP:SCORMTYPE`` is
an untracked asset, and ``ADLCP:MASTERYSCORE`` is read by that literal prefixed name.

This module re-implements those rules independently (expat without namespace processing)
so tests can check what Moodle would see, not what a namespace-aware reader sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.parsers import expat

_LOOSE_AMPERSAND = re.compile(r"&(?!\w{2,6};)")
_VERSION_12_OR_13 = re.compile(r"^(1\.2)$|^(CAM )?(1\.3)$")
_VERSION_2004 = re.compile(r"^2004 (3rd|4th) Edition$")


@dataclass
class Block:
    """One element as PHP's parser hands it over."""

    name: str
    attrs: dict[str, str]
    text: str | None = None
    children: list[Block] = field(default_factory=list)

    def child(self, name: str) -> Block | None:
        return next((c for c in self.children if c.name == name), None)


@dataclass
class MoodleSco:
    """A row of ``scorm_scoes`` plus the optional data Moodle keeps beside it."""

    identifier: str
    organization: str
    parent: str
    title: str = ""
    launch: str = ""
    scormtype: str = ""
    parameters: str = ""
    isvisible: str = "true"
    masteryscore: str | None = None
    #: (primary?, satisfiedByMeasure, minNormalizedMeasure) per objective, 2004 only
    objectives: list[tuple[bool, bool, str]] = field(default_factory=list)
    sequencing: dict[str, str] = field(default_factory=dict)


@dataclass
class MoodleManifest:
    version: str
    default_organization: str | None
    scoes: list[MoodleSco]
    missing_resources: list[str]

    @property
    def launchable(self) -> list[MoodleSco]:
        """The SCOs a learner can start: a launch URL and scormtype ``sco``."""
        return [s for s in self.scoes if s.launch and s.scormtype.lower() == "sco"]


def parse_blocks(xml: bytes) -> list[Block]:
    """Parse like ``xml2Array``: upper-cased literal names, whitespace-only text dropped."""
    text = _LOOSE_AMPERSAND.sub("&amp;", xml.decode("utf-8"))
    parser = expat.ParserCreate("UTF-8")  # no namespace_separator: prefixes stay literal
    stack: list[Block] = [Block("#document", {})]

    def start(name: str, attrs: dict[str, str]) -> None:
        block = Block(name.upper(), {key.upper(): value for key, value in attrs.items()})
        stack[-1].children.append(block)
        stack.append(block)

    def end(name: str) -> None:
        stack.pop()

    def data(piece: str) -> None:
        if piece.strip():
            stack[-1].text = (stack[-1].text or "") + piece

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    parser.Parse(text.encode("utf-8"), True)
    return stack[0].children


def read_manifest(xml: bytes) -> MoodleManifest:
    """What Moodle stores for this manifest: version, default organization, scoes."""
    walker = _Walker()
    walker.walk(parse_blocks(xml))
    return MoodleManifest(walker.version or "SCORM_1.2", walker.default_organization,
                          walker.scoes, walker.missing)


class _Walker:
    """Visits blocks in Moodle's recursion order, keeping its per-parse state."""

    def __init__(self) -> None:
        self.version = ""
        self.default_organization: str | None = None
        self.scoes: list[MoodleSco] = []
        self.missing: list[str] = []
        self.resources: dict[str, dict[str, str]] = {}
        self.organization = ""
        self.parents: list[MoodleSco] = []

    def walk(self, blocks: list[Block]) -> None:
        handlers = {
            "METADATA": self._metadata,
            "MANIFEST": self._manifest,
            "ORGANIZATIONS": self._organizations,
            "ORGANIZATION": self._organization,
            "ITEM": self._item,
            "TITLE": self._title,
            "ADLCP:MASTERYSCORE": self._mastery_score,
            "IMSSS:SEQUENCING": self._sequencing,
        }
        for block in blocks:
            if block.name in handlers:
                handlers[block.name](block)

    def _metadata(self, block: Block) -> None:
        for child in block.children:
            if child.name == "SCHEMAVERSION" and not self.version:
                self.version = _version(child.text)

    def _manifest(self, block: Block) -> None:
        self.organization = ""
        self.resources = {
            resource.attrs.get("IDENTIFIER", ""): resource.attrs
            for group in block.children if group.name == "RESOURCES"
            for resource in group.children if resource.name == "RESOURCE"
        }
        self.walk(block.children)
        if not self.scoes:  # no items at all: every resource with an href is a SCO
            for identifier, attrs in self.resources.items():
                if attrs.get("HREF"):
                    self.scoes.append(MoodleSco(identifier, "", "/", identifier, attrs["HREF"],
                                                attrs.get("ADLCP:SCORMTYPE", "")))

    def _organizations(self, block: Block) -> None:
        if self.default_organization is None and "DEFAULT" in block.attrs:
            self.default_organization = block.attrs["DEFAULT"]
        self.walk(block.children)

    def _organization(self, block: Block) -> None:
        row = MoodleSco(block.attrs["IDENTIFIER"], "", "/")
        self.scoes.append(row)
        self.organization = row.identifier
        self.parents = [row]
        self.walk(block.children)
        self.parents.pop()

    def _item(self, block: Block) -> None:
        attrs = block.attrs
        row = MoodleSco(attrs["IDENTIFIER"], self.organization, self.parents[-1].identifier,
                        parameters=attrs.get("PARAMETERS", ""),
                        isvisible=attrs.get("ISVISIBLE", "true"))
        reference = attrs.get("IDENTIFIERREF")
        if reference is None:
            row.scormtype = "asset"
        elif reference not in self.resources:
            self.missing.append(reference)
        else:
            resource = self.resources[reference]
            row.launch = resource.get("XML:BASE", "") + resource.get("HREF", "")
            row.scormtype = resource.get("ADLCP:SCORMTYPE") or "asset"
        self.scoes.append(row)
        self.parents.append(row)
        self.walk(block.children)
        self.parents.pop()

    def _title(self, block: Block) -> None:
        self.parents[-1].title = block.text or ""

    def _mastery_score(self, block: Block) -> None:
        self.parents[-1].masteryscore = block.text or ""

    def _sequencing(self, block: Block) -> None:
        row = self.parents[-1]
        for part in block.children:
            if part.name == "IMSSS:CONTROLMODE":
                row.sequencing.update({k.lower(): v for k, v in part.attrs.items()})
            if part.name == "IMSSS:OBJECTIVES":
                for objective in part.children:
                    measure = objective.child("IMSSS:MINNORMALIZEDMEASURE")
                    row.objectives.append((
                        objective.name == "IMSSS:PRIMARYOBJECTIVE",
                        objective.attrs.get("SATISFIEDBYMEASURE") == "true",
                        "1.0" if measure is None else (measure.text or "0"),
                    ))


def _version(value: str | None) -> str:
    """``1.2`` → SCORM_1.2; ``1.3``/``CAM 1.3``/``2004 3rd|4th Edition`` → SCORM_1.3; else 1.2."""
    if value is not None:
        match = _VERSION_12_OR_13.match(value)
        if match:
            return "SCORM_" + next(g for g in reversed(match.groups()) if g)
        if _VERSION_2004.match(value):
            return "SCORM_1.3"
    return "SCORM_1.2"
