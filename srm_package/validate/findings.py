"""What the validator reports: the catalogue of checks (stable ids) and the findings.

Every check has a stable id (``area.what``) and one severity, so CI logs, JSON and
JUnit reports can be matched across versions. Messages say what is wrong, where,
and which LMS it breaks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


E, W = Severity.ERROR, Severity.WARNING

#: check id → (severity, what the check proves when it passes)
CHECKS: dict[str, tuple[Severity, str]] = {
    # the paths given on the command line
    "input.unknown-kind": (E, "the file is a package kind the validator knows"),
    "input.empty-folder": (E, "the folder holds at least one package"),
    "input.unreadable": (E, "the file can be read"),
    "input.too-large": (E, "the file is within the size limit"),
    # zip container
    "zip.not-a-zip": (E, "the file is a zip archive"),
    "zip.corrupt": (E, "every entry is complete and passes its CRC check"),
    "zip.encrypted": (E, "no entry is encrypted"),
    "zip.too-many-entries": (E, "the entry count is within the limit"),
    "zip.too-large": (E, "the total uncompressed size is within the limit"),
    "zip.entry-too-large": (E, "every entry's uncompressed size is within the limit"),
    "zip.compression-ratio": (E, "no entry expands more than the compression-ratio limit"),
    "zip.path-traversal": (E, "no entry name climbs out of the package with '..'"),
    "zip.absolute-path": (E, "no entry name is absolute"),
    "zip.backslash": (E, "entry names use '/' only"),
    "zip.empty-name": (E, "no entry has an empty name"),
    "zip.duplicate-name": (E, "entry names are unique"),
    "zip.symlink": (E, "no entry is a symbolic link"),
    "zip.moodle-mangled-name": (E, "no entry name has a character Moodle drops on unzip"),
    "zip.risky-name": (W, "entry names are plain ASCII without spaces"),
    "folder.symlink": (E, "no symbolic link in the package folder points outside it or loops"),
    "folder.interrupted-build": (E, "no srm-package build was killed while its packages landed in the folder"),
    "zip.manifest-missing": (E, "the package has an imsmanifest.xml"),
    "zip.manifest-location": (E, "imsmanifest.xml is at the root of the zip"),
    # every XML document
    "xml.encoding": (E, "the XML document is UTF-8"),
    "xml.malformed": (E, "the XML document is well-formed"),
    "xml.xxe": (E, "the XML document declares no external entity"),
    "xml.entity-expansion": (E, "the XML document declares no entities (no entity-expansion bomb)"),
    "xml.external-dtd": (E, "the XML document names no external DTD"),
    "xml.xinclude": (E, "the XML document has no XInclude"),
    "xml.schema-location": (E, "xsi:schemaLocation names no file outside the package"),
    "xml.schema-remote": (W, "xsi:schemaLocation on the network names the standards bodies' own schema hosts"),
    "schema.invalid": (E, "the XML document is valid against its official schema"),
    "schema.unavailable": (E, "the official schema for the document is in the schema folder"),
    # IMS content packaging (every manifest)
    "manifest.root": (E, "imsmanifest.xml has a <manifest> root"),
    "manifest.unknown-kind": (E, "the manifest is SCORM, Common Cartridge or a Canvas QTI zip"),
    "manifest.duplicate-identifier": (E, "identifiers in the manifest are unique"),
    "manifest.identifierref": (E, "every identifierref names a resource of the manifest"),
    "manifest.default-organization": (E, "organizations/@default names an organization"),
    "manifest.href-outside": (E, "every href stays inside the package"),
    "manifest.file-missing": (E, "every file the manifest lists is in the package"),
    "manifest.launch-missing": (E, "every resource's launch file (href) is in the package"),
    "manifest.file-unlisted": (W, "every file in the package is listed in the manifest"),
    # SCORM
    "scorm.schemaversion": (E, "metadata/schemaversion is a value Moodle recognises"),
    "scorm.version-mismatch": (E, "schemaversion and namespaces name the same SCORM version"),
    "scorm.namespace-prefix": (E, "packaging elements are unprefixed and extensions use adlcp/adlseq/adlnav/imsss"),
    "scorm.char-reference": (W, "the manifest has no numeric character references Moodle corrupts"),
    "scorm.no-sco": (E, "at least one resource is a SCO"),
    "scorm.scormtype-missing": (E, "every launched resource declares adlcp:scormtype"),
    "scorm.scormtype-invalid": (E, "adlcp:scormtype is 'sco' or 'asset'"),
    "scorm.masteryscore": (E, "adlcp:masteryscore is a number from 0 to 100"),
    "scorm.multiple-sco": (W, "a SCORM 2004 package has one SCO (Moodle 4.5 loses the others' data)"),
    # QTI 1.2 (Canvas QTI zips, cartridges, SCORM question banks, standalone files)
    "qti.root": (E, "the QTI document has a <questestinterop> root"),
    "qti.duplicate-ident": (E, "item and answer idents are unique"),
    "qti.no-choices": (E, "every choice item has answers"),
    "qti.unknown-choice": (E, "every scoring condition names an answer of its item"),
    "qti.no-correct-answer": (E, "every choice item has a correct answer"),
    "qti.several-correct": (E, "a single-answer item has exactly one correct answer"),
    "qti.selection": (E, "a section that draws items picks a whole number from 1 to the items it holds"),
    # Canvas QTI zip
    "canvas.manifest-schema": (E, "the QTI zip is not declared as a Common Cartridge"),
    "canvas.no-assessment": (E, "every QTI resource holds an assessment"),
    "canvas.meta-missing": (W, "every assessment has an assessment_meta.xml"),
    "canvas.meta-folder": (E, "assessment_meta.xml is in a folder named after the assessment ident"),
    "canvas.answer-ident": (E, "answer idents avoid 'correct', 'wrong' and 'general_'"),
    # Common Cartridge
    "cc.namespace-position": (E, "the CC namespace is declared within the first 400 bytes"),
    "cc.schemaversion": (E, "schema is 'IMS Common Cartridge' with a version Canvas recognises"),
    "cc.version-moodle": (W, "the cartridge version is one Moodle imports (1.0 or 1.1)"),
    "cc.protected": (E, "the cartridge is not protected (Moodle rejects authorizations)"),
    "cc.resource-metadata": (E, "resource-level LOM holds only 'educational'"),
    "cc.assessment-file": (E, "an assessment's first file is its QTI document"),
    "cc.profile-missing": (E, "every item has a cc_profile Moodle imports"),
    "cc.weighting": (W, "cc_weighting is an integer from 0 to 99"),
    "cc.feedback-after-score": (E, "no feedback-only condition follows the scoring one"),
    "cc.true-false-idents": (E, "true/false answers have idents 'true' and 'false'"),
    "cc.nested-item": (W, "items are directly under assessment/section"),
    # Moodle XML
    "moodle.xml-declaration": (E, "the XML declaration is on line 1"),
    "moodle.name-missing": (E, "every question has name/text"),
    "moodle.no-answers": (E, "every choice question has answers"),
    "moodle.fraction": (E, "every answer fraction is a number from -100 to 100"),
    "moodle.single-without-100": (E, "every single-answer question has a 100% answer"),
    "moodle.fractions-sum": (E, "a multiple-answer question's positive fractions add up to 100"),
    "moodle.truefalse": (E, "a true/false question has one 100% answer"),
    "moodle.duplicate-idnumber": (E, "question idnumbers are unique"),
    # Moodle course backups (.mbz)
    "mbz.not-an-archive": (E, "the backup is a gzip'd tar or a zip"),
    "mbz.corrupt": (E, "the backup archive reads completely"),
    "mbz.member-type": (E, "every member of the backup is a file or a folder"),
    "mbz.tar-extension": (W, "member names fit plain tar headers (Moodle ignores pax and GNU extensions)"),
    "mbz.index-missing": (E, "moodle_backup.xml is at the root of the backup"),
    "mbz.not-moodle2": (E, "moodle_backup.xml starts the way Moodle recognises a Moodle 2+ backup"),
    "mbz.index-invalid": (E, "moodle_backup.xml lists its folders inside the backup"),
    "mbz.file-missing": (E, "every file Moodle's restore reads for what the index lists is in the backup"),
    "mbz.file-record": (E, "every file a backup text shows (@@PLUGINFILE@@) is in files.xml, in that text's area"),
    "mbz.file-content": (E, "every file files.xml lists is stored in the backup (files/<sha1>)"),
    "mbz.file-not-restored": (E, "every activity, section and course file is named in an inforef.xml"),
    "mbz.question-reference": (E, "every quiz slot asks a question, or draws from a category, that the backup holds"),
    # HTML pages and their CSS
    "html.encoding": (W, "the page is UTF-8"),
    "html.parse": (E, "the page parses as HTML"),
    "html.network-url": (E, "scripts, styles and images load from the package, not the network"),
    "html.link-outside": (E, "local links stay inside the package"),
    "html.broken-link": (E, "local links and assets resolve to files in the package"),
    "html.lms-token": (W, "pages use relative paths, not $IMS-CC-FILEBASE$"),
    # the validator itself
    "validator.crash": (E, "the validator finished this package"),
}


@dataclass(frozen=True)
class Finding:
    """One problem: which check, how bad, in which package, member file and line."""

    check: str
    severity: Severity
    package: str
    member: str | None
    line: int | None
    message: str

    @property
    def location(self) -> str:
        where = self.package
        if self.member:
            where += f"!{self.member}"
        if self.line:
            where += f":{self.line}"
        return where

    def __str__(self) -> str:
        return f"{self.location}: {self.severity.value} [{self.check}] {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "check": self.check,
            "severity": self.severity.value,
            "package": self.package,
            "member": self.member,
            "line": self.line,
            "message": self.message,
        }

    def promoted(self) -> Finding:
        """``--strict``: the same finding as an error."""
        return replace(self, severity=Severity.ERROR)


def severity_of(check: str) -> Severity:
    return CHECKS[check][0]


@dataclass(frozen=True)
class PackageResult:
    """Everything validated for one path: its kind, the checks run (in order) and the findings."""

    path: str
    kind: str
    checks: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    def findings_of(self, check: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.check == check)
