"""The state of one package's validation: its files, the checks run and what they found."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from srm_package.validate import schemas
from srm_package.validate.files import MemberError, PackageFiles
from srm_package.validate.findings import CHECKS, Finding, PackageResult, severity_of
from srm_package.validate.limits import Limits
from srm_package.validate.safe_xml import local_name, parse_xml
from srm_package.validate.xml_references import references

_XML_CHECKS = ("xml.encoding", "xml.malformed", "xml.xxe", "xml.entity-expansion", "xml.external-dtd", "xml.xinclude",
               "xml.schema-location", "xml.schema-remote")


@dataclass
class PackageCheck:
    """Collects the checks run on one package and their findings, and reads its members once."""

    label: str
    limits: Limits
    schemas_dir: Path | None
    files: PackageFiles | None = None
    kind: str = "unknown"
    checks: dict[str, None] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    #: member → whether it was read (False: refused, and reported); the bytes are not kept
    _read: dict[str, bool] = field(default_factory=dict)
    #: member → whether it parsed (False: refused, and reported); the tree is not kept
    _parsed: dict[str | None, bool] = field(default_factory=dict)
    #: member → the local name of its root element, once parsed
    _roots: dict[str | None, str] = field(default_factory=dict)
    #: QTI member → the (line, reference) of every image it shows, noted by the QTI checks
    qti_images: dict[str, list[tuple[int | None, str]]] = field(default_factory=dict)

    # ---------------------------------------------------------------- reporting
    def ran(self, *check_ids: str) -> None:
        """Record that these checks were run on this package (passed unless reported)."""
        for check_id in check_ids:
            if check_id not in CHECKS:
                raise KeyError(f"unknown check id {check_id!r}")
            self.checks.setdefault(check_id, None)

    def report(self, check_id: str, message: str, member: str | None = None, line: int | None = None) -> None:
        """One finding of ``check_id`` (``member``: the file inside the package, if any)."""
        self.ran(check_id)
        self.findings.append(Finding(check_id, severity_of(check_id), self.label, member, line, message))

    def result(self) -> PackageResult:
        return PackageResult(self.label, self.kind, tuple(self.checks), tuple(self.findings))

    # ------------------------------------------------------------------ reading
    @property
    def names(self) -> tuple[str, ...]:
        return self.files.names if self.files is not None else ()

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, member: str) -> bytes | None:
        """A member's bytes (at most the document limit); ``None`` after reporting why not.

        Nothing is kept: a package's members are read one at a time, and a member read
        again (rare) is read again, its problems reported only the first time.
        """
        if self.files is None or self._read.get(member) is False:
            return None
        data: bytes | None = None
        try:
            data = self.files.read(member, self.limits.max_document_size)
        except MemberError as error:
            self.report(error.check, error.message, member)
        except OSError as error:
            self.report("input.unreadable", f"cannot be read: {error.strerror or error}", member)
        self._read[member] = data is not None
        return data

    def was_read(self, member: str) -> bool:
        return self._read.get(member, False)

    def parsed(self, member: str) -> bool:
        return member in self._parsed

    def root_name(self, member: str) -> str | None:
        """The local name of a parsed member's root element; ``None`` if it was not parsed (or failed to)."""
        return self._roots.get(member)

    def xml(self, member: str | None, data: bytes | None = None) -> etree._ElementTree | None:
        """Member ``member`` (``None``: the file itself, given as ``data``) parsed safely.

        ``None`` when unreadable or refused; the reasons are reported once. The tree is
        the caller's: it is freed when the caller is done with it, so a large package
        never holds all its documents at once. Asked for again (two resources naming one
        file), the member is parsed again without reporting its problems twice.
        """
        first_time = member not in self._parsed
        if not first_time and not self._parsed[member]:
            return None
        self.ran(*_XML_CHECKS)
        if data is None and member is not None:
            data = self.read(member)
        tree = None
        if data is not None:
            parsed = parse_xml(data)
            tree = parsed.tree
            if first_time:
                for problem in parsed.problems:
                    self.report(problem.check, problem.message, member, problem.line)
                for reference in references(tree, data, member) if tree is not None else ():
                    self.report(reference.check, reference.message, member, reference.line)
            del data  # the bytes go as soon as the tree exists
            if tree is not None:
                self._roots[member] = local_name(tree.getroot())
        self._parsed[member] = tree is not None
        return tree

    # ------------------------------------------------------------------ schemas
    def validate_schema(self, member: str | None, tree: etree._ElementTree, relative: str) -> None:
        """Validate ``tree`` against ``relative`` when a schema folder was given."""
        if self.schemas_dir is None:
            return
        self.ran("schema.invalid")
        try:
            xml_schema = schemas.schema(self.schemas_dir, relative)
        except schemas.SchemaUnavailable as error:
            self.report("schema.unavailable", str(error), member)
            return
        for line, message in schemas.violations(xml_schema, tree)[:20]:
            self.report("schema.invalid", f"{message} (schema {relative})", member, line or None)
