"""Which kind of input a path is, and which kind of package a manifest describes.

Files are recognised by suffix, then by their first bytes; folders are a package
when they hold ``imsmanifest.xml`` (an unpacked package) or ``index.html`` (the plain
``html`` site) at their root, and are otherwise scanned for packages (e.g. ``dist/``).
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from lxml import etree

from srm_package.validate import canvas_qti, cc, scorm

ZIP_SUFFIXES = (".zip", ".imscc")
XML_SUFFIXES = (".xml",)
MOODLE_BACKUP_SUFFIXES = (".mbz",)
#: how deep a folder argument is searched for packages
MAX_SCAN_DEPTH = 4


class InputKind(str, Enum):
    ZIP = "zip"
    XML = "xml"
    MOODLE_BACKUP = "mbz"
    PACKAGE_FOLDER = "package-folder"
    SITE = "html"
    FOLDER = "folder"
    UNKNOWN = "unknown"


def input_kind(path: Path) -> InputKind:
    if path.is_dir():
        if (path / "imsmanifest.xml").is_file():
            return InputKind.PACKAGE_FOLDER
        if (path / "index.html").is_file():
            return InputKind.SITE
        return InputKind.FOLDER
    suffix = path.suffix.lower()
    if suffix in ZIP_SUFFIXES:
        return InputKind.ZIP
    if suffix in XML_SUFFIXES:
        return InputKind.XML
    if suffix in MOODLE_BACKUP_SUFFIXES:
        return InputKind.MOODLE_BACKUP
    return _sniff(path)


def _sniff(path: Path) -> InputKind:
    if not path.is_file():  # a pipe or device: reading it might never end
        return InputKind.UNKNOWN
    try:
        with path.open("rb") as stream:
            head = stream.read(64)
    except OSError:
        return InputKind.UNKNOWN
    if head.startswith(b"PK\x03\x04"):
        return InputKind.ZIP
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml"):
        return InputKind.XML
    return InputKind.UNKNOWN


def scan(folder: Path, depth: int = 0) -> list[tuple[Path, InputKind]]:
    """The packages inside ``folder``: zips, XML files, package folders and sites (hidden names skipped)."""
    found: list[tuple[Path, InputKind]] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_symlink():
            continue
        kind = input_kind(path)
        if kind is InputKind.FOLDER:
            if depth < MAX_SCAN_DEPTH:
                found += scan(path, depth + 1)
        elif kind is not InputKind.UNKNOWN and (path.is_dir() or path.suffix.lower() in ZIP_SUFFIXES + XML_SUFFIXES + MOODLE_BACKUP_SUFFIXES):
            found.append((path, kind))
    return found


def manifest_kind(root: etree._Element) -> str:
    """``scorm12``, ``scorm2004``, ``cc``, ``canvas-qti``, ``qti21`` (QTI 2.x/3.0) or ``unknown``.

    A cartridge namespace wins, unless the manifest lists plain QTI resources and does not
    call itself a Common Cartridge: text2qti's Canvas QTI zips use the CC 1.1 namespace with
    the schema "IMS Content", and Canvas, which detects a cartridge by that schema alone,
    imports them as QTI (lms-targets §2.1, §2.2). SCORM next (SCORM packages may carry QTI
    question banks as assets); then a plain QTI 1.2 resource makes a Canvas QTI zip; then
    QTI 2.x/3.0 resources a later QTI package; then the schema name "Common Cartridge".
    """
    canvas = canvas_qti.is_canvas_qti(root)
    if cc.version_of(root) is not None and (cc.declares_cartridge(root) or not canvas):
        return "cc"
    if scorm.is_scorm(root):
        return scorm.version_of(root)
    if canvas:
        return "canvas-qti"
    later = canvas_qti.later_qti_package(root)
    if later is not None:
        return "qti" + later.replace(".", "")
    if cc.is_cc(root):
        return "cc"
    return "unknown"
