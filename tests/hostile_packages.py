"""Small valid packages of every kind, and a corpus of broken or hostile ones made from them.

Each baseline is a hand-made package that passes ``srm-package validate`` with and
without the official schemas. Each corpus case changes one thing (one defect) and
names the check id that must catch it. Everything is generated in memory at test
time; the zip bombs are small on disk and only hostile when inflated or believed.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lxml import etree
from lxml.builder import ElementMaker

from srm_package.limits import RATIO_FLOOR
from tests.hostile_backups import backup_cases, backup_entries, tgz

Entries = dict[str, bytes]

CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
CC11 = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOM_RESOURCE = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource"
LOM_MANIFEST = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CANVAS_META = "http://canvas.instructure.com/xsd/cccv1p0"
LAR = "associatedcontent/imscc_xmlv1p1/learning-application-resource"
CC_ASSESSMENT = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
QUIZ_IDENT = "quiz_demo"
MANIFEST = "imsmanifest.xml"
XINCLUDE = "http://www.w3.org/2001/XInclude"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
QTI21 = "http://www.imsglobal.org/xsd/imsqti_v2p1"


def xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def edit_xml(data: bytes, change: Callable[[etree._Element], object]) -> bytes:
    """Parse ``data``, let ``change`` modify the root in place, serialise again."""
    root = etree.fromstring(data)
    change(root)
    return xml_bytes(root)


def find(root: etree._Element, local: str) -> etree._Element:
    return next(e for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == local)


def find_all(root: etree._Element, local: str) -> list[etree._Element]:
    return [e for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == local]


# ------------------------------------------------------------------ web pages
SITE_FILES = ["index.html", "page2.html", "assets/style.css", "assets/app.js", "assets/logo.png",
              "assets/glossary.txt"]


def page(body: str, head: str = "") -> bytes:
    return (f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Demo</title>\n'
            f'<link rel="stylesheet" href="assets/style.css">\n{head}</head>\n<body>\n{body}\n</body>\n'
            "</html>\n").encode()


INDEX_BODY = ('<h1 id="top">Shared responsibility</h1>\n<img src="assets/logo.png" alt="logo">\n'
              '<p><a href="page2.html#quiz">Quiz</a> · <a href="https://aws.amazon.com/compliance/">AWS</a> · '
              '<a href="#top">Top</a> · <a href="mailto:a@example.org">Mail</a></p>\n'
              '<script src="assets/app.js"></script>')


def site(index_body: str = INDEX_BODY, index_head: str = "") -> Entries:
    return {
        "index.html": page(index_body, index_head),
        "page2.html": page('<h1 id="quiz">Quiz</h1>\n<p><a href="index.html">Back</a></p>'),
        "assets/style.css": b"body { font-family: sans-serif; }\nh1 { background: url(logo.png) no-repeat; }\n",
        "assets/app.js": b"document.documentElement.classList.add('js');\n",
        "assets/logo.png": b"\x89PNG\r\n\x1a\n" + bytes(32),
        "assets/glossary.txt": b"Shared responsibility: who secures what.\n",
    }


# ------------------------------------------------------------------ SCORM
def scorm12_manifest(files: list[str] = SITE_FILES) -> bytes:
    m = ElementMaker(namespace=CP12, nsmap={None: CP12, "adlcp": ADLCP12})
    resource = m.resource(*(m.file(href=f) for f in files), identifier="res_sco", type="webcontent",
                          href="index.html")
    resource.set(f"{{{ADLCP12}}}scormtype", "sco")
    mastery = etree.Element(f"{{{ADLCP12}}}masteryscore")
    mastery.text = "80"
    return xml_bytes(m.manifest(
        m.metadata(m.schema("ADL SCORM"), m.schemaversion("1.2")),
        m.organizations(
            m.organization(m.title("Demo course"),
                           m.item(m.title("Lesson 1"), mastery, identifier="item_1", identifierref="res_sco"),
                           identifier="org_1"),
            default="org_1"),
        m.resources(resource),
        identifier="demo_manifest", version="1"))


def scorm12_entries() -> Entries:
    return {MANIFEST: scorm12_manifest(), **site()}


def scorm2004_manifest(files: list[str] = SITE_FILES) -> bytes:
    m = ElementMaker(namespace=CP, nsmap={None: CP, "adlcp": ADLCP, "imsss": IMSSS})
    ss = ElementMaker(namespace=IMSSS)
    resource = m.resource(*(m.file(href=f) for f in files), identifier="res_sco", type="webcontent",
                          href="index.html")
    resource.set(f"{{{ADLCP}}}scormType", "sco")
    return xml_bytes(m.manifest(
        m.metadata(m.schema("ADL SCORM"), m.schemaversion("2004 4th Edition")),
        m.organizations(
            m.organization(
                m.title("Demo course"),
                m.item(m.title("Lesson 1"),
                       ss.sequencing(ss.deliveryControls(tracked="true", completionSetByContent="true",
                                                         objectiveSetByContent="true")),
                       identifier="item_1", identifierref="res_sco"),
                ss.sequencing(ss.controlMode(choice="true", flow="true")),
                identifier="org_1"),
            default="org_1"),
        m.resources(resource),
        identifier="demo_manifest", version="1"))


def scorm2004_entries() -> Entries:
    return {MANIFEST: scorm2004_manifest(), **site()}


# ------------------------------------------------------------------ QTI
def qti_item(q: ElementMaker, ident: str, labels: list[str], correct: str | None, *,
             metadata: list[tuple[str, str]], case: bool = False) -> etree._Element:
    def varequal(label: str) -> etree._Element:
        element = q.varequal(label, respident="response1")
        if case:
            element.set("case", "Yes")
        return element

    conditions = []
    if correct is not None:
        conditions.append(q.respcondition(q.conditionvar(varequal(correct)),
                                          q.setvar("100", action="Set", varname="SCORE"), {"continue": "No"}))
    return q.item(
        q.itemmetadata(q.qtimetadata(*(q.qtimetadatafield(q.fieldlabel(k), q.fieldentry(v)) for k, v in metadata))),
        q.presentation(
            q.material(q.mattext("Who patches the <b>guest OS</b> on EC2?", texttype="text/html")),
            q.response_lid(q.render_choice(*(q.response_label(q.material(q.mattext(f"Choice {label}")),
                                                              ident=label) for label in labels)),
                           ident="response1", rcardinality="Single")),
        q.resprocessing(q.outcomes(q.decvar(maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")),
                        *conditions),
        ident=ident, title=f"Question {ident}")


def canvas_qti_document(labels: list[str] | None = None, correct: str | None = "1002") -> bytes:
    q = ElementMaker(namespace=QTI, nsmap={None: QTI})
    labels = labels or ["1001", "1002", "1003"]
    item = qti_item(q, "item_1", labels, correct,
                    metadata=[("question_type", "multiple_choice_question"), ("points_possible", "1.0"),
                              ("original_answer_ids", ",".join(labels))])
    return xml_bytes(q.questestinterop(q.assessment(
        q.qtimetadata(q.qtimetadatafield(q.fieldlabel("cc_maxattempts"), q.fieldentry("1"))),
        q.section(item, ident="root_section"),
        ident=QUIZ_IDENT, title="Demo quiz")))


def assessment_meta() -> bytes:
    c = ElementMaker(namespace=CANVAS_META, nsmap={None: CANVAS_META})
    return xml_bytes(c.quiz(c.title("Demo quiz"), c.quiz_type("assignment"), c.points_possible("1.0"),
                            c.allowed_attempts("1"), identifier=QUIZ_IDENT))


def canvas_manifest(meta_href: str = f"{QUIZ_IDENT}/assessment_meta.xml", schema: str = "IMS Content") -> bytes:
    m = ElementMaker(namespace=CP, nsmap={None: CP})
    return xml_bytes(m.manifest(
        m.metadata(m.schema(schema), m.schemaversion("1.1.3")),
        m.organizations(),
        m.resources(
            m.resource(m.file(href=f"{QUIZ_IDENT}/{QUIZ_IDENT}.xml"), m.dependency(identifierref="meta_1"),
                       identifier=QUIZ_IDENT, type="imsqti_xmlv1p2"),
            m.resource(m.file(href=meta_href), identifier="meta_1", type=LAR, href=meta_href)),
        identifier="canvas_manifest"))


def canvas_qti_entries() -> Entries:
    return {
        MANIFEST: canvas_manifest(),
        f"{QUIZ_IDENT}/{QUIZ_IDENT}.xml": canvas_qti_document(),
        f"{QUIZ_IDENT}/assessment_meta.xml": assessment_meta(),
    }


# ------------------------------------------------------------------ QTI 2.1 (a format validate does not check)
def qti21_item(identifier: str) -> bytes:
    """A QTI 2.1 choice item as the QTI 2.1 specification lays it out."""
    q = ElementMaker(namespace=QTI21, nsmap={None: QTI21})
    return xml_bytes(q.assessmentItem(
        q.responseDeclaration(q.correctResponse(q.value("B")), identifier="RESPONSE", cardinality="single",
                              baseType="identifier"),
        q.outcomeDeclaration(identifier="SCORE", cardinality="single", baseType="float"),
        q.itemBody(q.choiceInteraction(q.prompt("Who patches the guest OS on EC2?"),
                                       q.simpleChoice("AWS", identifier="A"),
                                       q.simpleChoice("The customer", identifier="B"),
                                       responseIdentifier="RESPONSE", shuffle="false", maxChoices="1")),
        q.responseProcessing(template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"),
        identifier=identifier, title=f"Question {identifier}", adaptive="false", timeDependent="false"))


def qti21_entries() -> Entries:
    """A QTI 2.1 content package of three items: Canvas reads it as it is; validate checks only QTI 1.2."""
    m = ElementMaker(namespace=CP, nsmap={None: CP})
    idents = ["item_1", "item_2", "item_3"]
    manifest = xml_bytes(m.manifest(
        m.metadata(m.schema("QTIv2.1 Package"), m.schemaversion("1.0.0")),
        m.organizations(),
        m.resources(*(m.resource(m.file(href=f"items/{i}.xml"), identifier=f"res_{i}", type="imsqti_item_xmlv2p1",
                                 href=f"items/{i}.xml") for i in idents)),
        identifier="qti21_manifest"))
    return {MANIFEST: manifest, **{f"items/{i}.xml": qti21_item(i) for i in idents}}


# ------------------------------------------------------------------ Common Cartridge 1.1
def cc_qti_document(profile: str | None = "cc.multiple_choice.v0p1", labels: list[str] | None = None,
                    correct: str = "a2", weighting: str = "1") -> bytes:
    q = ElementMaker(namespace=QTI, nsmap={None: QTI})
    labels = labels or ["a1", "a2", "a3"]
    metadata = [("cc_profile", profile)] if profile else []
    metadata.append(("cc_weighting", weighting))
    item = qti_item(q, "item_1", labels, correct, metadata=metadata, case=True)
    return xml_bytes(q.questestinterop(q.assessment(
        q.qtimetadata(q.qtimetadatafield(q.fieldlabel("cc_profile"), q.fieldentry("cc.exam.v0p1")),
                      q.qtimetadatafield(q.fieldlabel("qmd_assessmenttype"), q.fieldentry("Examination")),
                      q.qtimetadatafield(q.fieldlabel("cc_maxattempts"), q.fieldentry("1"))),
        q.section(item, ident="root_section"),
        ident=QUIZ_IDENT, title="Demo quiz")))


def cc_manifest() -> bytes:
    m = ElementMaker(namespace=CC11, nsmap={None: CC11, "lomimscc": LOM_MANIFEST})
    lom = ElementMaker(namespace=LOM_MANIFEST)
    return xml_bytes(m.manifest(
        m.metadata(m.schema("IMS Common Cartridge"), m.schemaversion("1.1.0"),
                   lom.lom(lom.general(lom.title(lom.string("Demo course", language="en"))))),
        m.organizations(m.organization(
            m.item(m.item(m.title("Lesson 1"),
                          m.item(m.title("Welcome"), identifier="item_page", identifierref="res_page"),
                          m.item(m.title("Quiz"), identifier="item_quiz", identifierref="res_quiz"),
                          identifier="module_1"),
                   identifier="root_item"),
            identifier="org_1", structure="rooted-hierarchy")),
        m.resources(
            m.resource(m.file(href="wiki_content/welcome.html"), m.dependency(identifierref="res_logo"),
                       identifier="res_page", type="webcontent", href="wiki_content/welcome.html"),
            m.resource(m.file(href="web_resources/logo.png"), identifier="res_logo", type="webcontent"),
            m.resource(m.file(href=f"{QUIZ_IDENT}/assessment_qti.xml"), identifier="res_quiz",
                       type=CC_ASSESSMENT)),
        identifier="cc_manifest"))


def cc_page(body: str) -> bytes:
    """A cartridge page: no stylesheet (the cartridge has none)."""
    return page(body).replace(b'<link rel="stylesheet" href="assets/style.css">\n', b"")


def cc_entries() -> Entries:
    return {
        MANIFEST: cc_manifest(),
        "wiki_content/welcome.html": cc_page('<h1>Welcome</h1>\n<img src="../web_resources/logo.png" alt="">'),
        "web_resources/logo.png": b"\x89PNG\r\n\x1a\n" + bytes(32),
        f"{QUIZ_IDENT}/assessment_qti.xml": cc_qti_document(),
    }


# ------------------------------------------------------------------ Moodle XML
def moodle_xml() -> bytes:
    def text(value: str) -> etree._Element:
        element = etree.Element("text")
        element.text = value
        return element

    def answer(fraction: str, value: str) -> etree._Element:
        element = etree.Element("answer", fraction=fraction, format="html")
        element.append(text(value))
        return element

    def question(kind: str, name: str, answers: list[tuple[str, str]], single: str | None,
                 idnumber: str) -> etree._Element:
        element = etree.Element("question", type=kind)
        etree.SubElement(element, "name").append(text(name))
        etree.SubElement(element, "questiontext", format="html").append(text("<p>Who patches the guest OS?</p>"))
        etree.SubElement(element, "idnumber").text = idnumber
        if single is not None:
            etree.SubElement(element, "single").text = single
        element.extend(answer(f, v) for f, v in answers)
        return element

    quiz = etree.Element("quiz")
    category = etree.SubElement(quiz, "question", type="category")
    etree.SubElement(category, "category").append(text("$course$/top/Lesson 1"))
    quiz.append(question("multichoice", "Q1", [("100", "Customer"), ("0", "AWS")], "true", "q1"))
    quiz.append(question("multichoice", "Q2", [("50", "IAM"), ("50", "Data"), ("-100", "Hardware")], "false",
                         "q2"))
    quiz.append(question("truefalse", "Q3", [("100", "true"), ("0", "false")], None, "q3"))
    return xml_bytes(quiz)


# ------------------------------------------------------------------ writing zips
Member = tuple["str | zipfile.ZipInfo", bytes]


def write_zip(path: Path | BinaryIO, entries: Entries | list[Member],
              compression: int = zipfile.ZIP_DEFLATED) -> Path | BinaryIO:
    items = list(entries.items()) if isinstance(entries, dict) else entries
    with zipfile.ZipFile(path, "w", compression=compression) as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are the point of some cases
        for name, data in items:
            archive.writestr(name, data)
    return path


#: (signature, offset of the field, offset of the name) in the local and the central header
_HEADERS = {"size": ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)),
            "flags": ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46))}


def _patch_headers(data: bytes, member: str, field: str, change: Callable[[int], int], fmt: str) -> bytes:
    out = bytearray(data)
    encoded = member.encode()
    for signature, field_offset, name_offset in _HEADERS[field]:
        start = 0
        while (start := out.find(signature, start)) != -1:
            if out[start + name_offset:start + name_offset + len(encoded)] == encoded:
                value = struct.unpack_from(fmt, out, start + field_offset)[0]
                struct.pack_into(fmt, out, start + field_offset, change(value))
            start += 4
    return bytes(out)


def patch_sizes(data: bytes, member: str, file_size: int) -> bytes:
    """Make the headers of ``member`` claim ``file_size`` uncompressed bytes (a lying bomb)."""
    return _patch_headers(data, member, "size", lambda _: file_size, "<I")


def set_flag(data: bytes, member: str, bit: int) -> bytes:
    """Set a general-purpose flag bit of ``member`` in both headers (e.g. 0x1: encrypted)."""
    return _patch_headers(data, member, "flags", lambda flags: flags | bit, "<H")


# ------------------------------------------------------------------ the corpus
@dataclass(frozen=True)
class Case:
    """One broken package: how to make it and what must catch it."""

    name: str
    #: the check id that must report the defect
    expect: str
    #: writes the package into the given folder and returns its path
    make: Callable[[Path], Path]
    exit_code: int = 1
    strict: bool = False
    #: the member file the message must name (None: the package itself)
    member: str | None = None
    #: further check ids this one defect necessarily triggers
    also: frozenset[str] = frozenset()


def _zip_case(file_name: str, build: Callable[[], Entries | list[Member]],
              compression: int = zipfile.ZIP_DEFLATED) -> Callable[[Path], Path]:
    return lambda folder: write_zip(folder / file_name, build(), compression)


def _raw_case(file_name: str, build: Callable[[], bytes]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / file_name
        path.write_bytes(build())
        return path
    return make


def _zip_bytes(entries: Entries | list[Member], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    write_zip(buffer, entries, compression)
    return buffer.getvalue()


def _with(base: Callable[[], Entries], **changes: bytes | None) -> Callable[[], Entries]:
    """``base`` with members replaced (bytes) or removed (None); names use '__' for '/'."""
    def build() -> Entries:
        entries = base()
        for key, value in changes.items():
            name = key.replace("__", "/").replace("_DOT_", ".")
            if value is None:
                entries.pop(name)
            else:
                entries[name] = value
        return entries
    return build


def _edit_member(base: Callable[[], Entries], member: str, change: Callable[[etree._Element], object]
                 ) -> Callable[[], Entries]:
    def build() -> Entries:
        entries = base()
        entries[member] = edit_xml(entries[member], change)
        return entries
    return build


def _extra(base: Callable[[], Entries], *members: Member) -> Callable[[], list[Member]]:
    return lambda: [*base().items(), *members]


def _set_text(local: str, value: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        find(root, local).text = value
    return change


def _drop_attribute(local: str, attribute: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        element = find(root, local)
        for key in list(element.attrib):
            if key.endswith(attribute):
                del element.attrib[key]
    return change


def _remove_first(local: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        element = find(root, local)
        element.getparent().remove(element)
    return change


def _second_sco(root: etree._Element) -> None:
    resources = find(root, "resources")
    organization = find(root, "organization")
    second_item = etree.SubElement(organization, f"{{{CP}}}item", identifier="item_2", identifierref="res_sco2")
    etree.SubElement(second_item, f"{{{CP}}}title").text = "Lesson 2"
    organization.insert(2, second_item)  # items before the organization's sequencing
    resource = etree.SubElement(resources, f"{{{CP}}}resource", identifier="res_sco2", type="webcontent",
                                href="page2.html")
    resource.set(f"{{{ADLCP}}}scormType", "sco")
    etree.SubElement(resource, f"{{{CP}}}file", href="page2.html")


def _feedback_after_score(root: etree._Element) -> None:
    processing = find(root, "resprocessing")
    condition = etree.SubElement(processing, f"{{{QTI}}}respcondition", {"continue": "Yes"})
    variable = etree.SubElement(condition, f"{{{QTI}}}conditionvar")
    etree.SubElement(variable, f"{{{QTI}}}varequal", respident="response1", case="Yes").text = "a2"
    etree.SubElement(condition, f"{{{QTI}}}displayfeedback", feedbacktype="Response", linkrefid="a2_fb")


def _resource_lom(root: etree._Element) -> None:
    resource = find(root, "resource")
    metadata = etree.Element(f"{{{CC11}}}metadata")
    lom = etree.SubElement(metadata, f"{{{LOM_RESOURCE}}}lom")
    etree.SubElement(lom, f"{{{LOM_RESOURCE}}}general")
    resource.insert(0, metadata)


def _moodle_edit(change: Callable[[etree._Element], object]) -> Callable[[], bytes]:
    return lambda: edit_xml(moodle_xml(), change)


def _moodle_fraction(question_index: int, answer_index: int, fraction: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        question = [q for q in root if q.get("type") != "category"][question_index]
        question.findall("answer")[answer_index].set("fraction", fraction)
    return change


def _remove_name(root: etree._Element) -> None:
    question = root.findall("question")[1]
    question.remove(question.find("name"))


def _doctype(declarations: str, body: bytes) -> bytes:
    """An XML document whose DOCTYPE carries ``declarations`` (test input, written as raw text on purpose)."""
    head, _, rest = body.partition(b"?>\n")
    root_name = etree.fromstring(body).tag.rpartition("}")[2]
    return head + b"?>\n" + f"<!DOCTYPE {root_name} [\n{declarations}\n]>\n".encode() + rest


def _xxe_manifest(secret: Path) -> Callable[[], Entries]:
    def build() -> Entries:
        entries = scorm12_entries()
        manifest = _doctype(f'<!ENTITY leak SYSTEM "{secret.as_uri()}">', entries[MANIFEST])
        entries[MANIFEST] = manifest.replace(b"<title>Demo course</title>", b"<title>&leak;</title>")
        return entries
    return build


def _external_doctype(system_url: str, body: bytes) -> bytes:
    """``body`` with a DOCTYPE naming an external DTD (written as raw text on purpose)."""
    head, _, rest = body.partition(b"?>\n")
    root_name = etree.fromstring(body).tag.rpartition("}")[2]
    return head + b"?>\n" + f'<!DOCTYPE {root_name} SYSTEM "{system_url}">\n'.encode() + rest


def _xinclude(href: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        include = etree.SubElement(find(root, "metadata"), f"{{{XINCLUDE}}}include", nsmap={"xi": XINCLUDE})
        include.set("href", href)
        include.set("parse", "text")
    return change


def _schema_location(location: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        namespace = etree.QName(root).namespace
        root.set(f"{{{XSI}}}schemaLocation", f"{namespace} {location}")
    return change


def _billion_laughs() -> bytes:
    levels = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    document = _doctype("\n".join(levels), moodle_xml())
    return document.replace(b"<text>Q1</text>", b"<text>&lol9;</text>")


def _zip_bomb_ratio() -> list[Member]:
    # the ratio rule starts above the largest document the validator reads (srm_package.limits)
    return [*scorm12_entries().items(), ("assets/video.bin", bytes(RATIO_FLOOR + 1024 * 1024))]


def _lying_total(folder: Path) -> Path:
    entries = scorm12_entries()
    entries["assets/huge.bin"] = b"x" * 64
    data = patch_sizes(_zip_bytes(entries), "assets/huge.bin", 0xFFFF_FFF0)
    path = folder / "lying-total.zip"
    path.write_bytes(data)
    return path


def _too_many(folder: Path) -> Path:
    entries = [*scorm12_entries().items(), *((f"assets/n{n:05d}.txt", b"") for n in range(10_001))]
    return write_zip(folder / "too-many.zip", entries, zipfile.ZIP_STORED)


def _truncated(folder: Path) -> Path:
    data = _zip_bytes(scorm12_entries())
    path = folder / "truncated.zip"
    path.write_bytes(data[: len(data) // 2])
    return path


def _bad_crc(folder: Path) -> Path:
    entries = scorm12_entries()
    data = bytearray(_zip_bytes(entries, zipfile.ZIP_STORED))
    offset = data.find(b"Shared responsibility: who")  # glossary.txt, stored uncompressed
    data[offset] ^= 0x20
    path = folder / "bad-crc.zip"
    path.write_bytes(bytes(data))
    return path


def _encrypted(folder: Path) -> Path:
    path = folder / "encrypted.zip"
    path.write_bytes(set_flag(_zip_bytes(scorm12_entries()), "assets/glossary.txt", 0x1))
    return path


def _symlink_member() -> Member:
    info = zipfile.ZipInfo("assets/passwd")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, b"/etc/passwd"


def _moodle_mangled() -> Entries:
    entries = scorm12_entries()
    entries["assets/q&a.txt"] = b"questions"
    entries[MANIFEST] = scorm12_manifest([*SITE_FILES, "assets/q&a.txt"])
    return entries


def _unknown_manifest() -> Entries:
    m = ElementMaker(namespace=CP, nsmap={None: CP})
    manifest = xml_bytes(m.manifest(m.organizations(), m.resources(
        m.resource(m.file(href="index.html"), identifier="r1", type="webcontent", href="index.html")),
        identifier="plain_cp"))
    return {MANIFEST: manifest, "index.html": cc_page("<p>plain</p>")}


def _set_attribute(local: str, name: str, value: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        find(root, local).set(name, value)
    return change


def _add_child(local: str, namespace: str, child: str, **attributes: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        etree.SubElement(find(root, local), f"{{{namespace}}}{child}", attributes)
    return change


def _rename_root(local: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        root.tag = f"{{{etree.QName(root).namespace}}}{local}"
    return change


def _canvas_without_meta() -> Entries:
    """A Canvas QTI zip with no assessment_meta.xml (and nothing pointing at one)."""
    def drop_meta(root: etree._Element) -> None:
        for element in [*find_all(root, "dependency"), find_all(root, "resource")[1]]:
            element.getparent().remove(element)
    entries = canvas_qti_entries()
    del entries[f"{QUIZ_IDENT}/assessment_meta.xml"]
    entries[MANIFEST] = edit_xml(entries[MANIFEST], drop_meta)
    return entries


def _objectbank_only() -> bytes:
    q = ElementMaker(namespace=QTI, nsmap={None: QTI})
    return xml_bytes(q.questestinterop(q.objectbank(ident="bank_1")))


def _second_correct(root: etree._Element) -> None:
    condition = find(root, "respcondition")
    copy = etree.fromstring(etree.tostring(condition))
    find(copy, "varequal").text = "1001"
    condition.addnext(copy)


def _greedy_group(root: etree._Element) -> None:
    """The item in a question group that picks three items of the one it holds."""
    item = find(root, "item")
    group = etree.Element(f"{{{QTI}}}section", ident="group_1", title="pool")
    selection = etree.SubElement(etree.SubElement(group, f"{{{QTI}}}selection_ordering"), f"{{{QTI}}}selection")
    etree.SubElement(selection, f"{{{QTI}}}selection_number").text = "3"
    item.addprevious(group)
    group.append(item)


def _nest_item(root: etree._Element) -> None:
    item = find(root, "item")
    inner = etree.Element(f"{{{QTI}}}section", ident="inner_section")
    item.addprevious(inner)
    inner.append(item)


def _cc13(manifest: bytes) -> bytes:
    return (manifest.replace(CC11.encode(), b"http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1")
            .replace(b"<schemaversion>1.1.0<", b"<schemaversion>1.3.0<"))


def _remove_answers(question_index: int) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        question = [q for q in root if q.get("type") != "category"][question_index]
        for answer in question.findall("answer"):
            question.remove(answer)
    return change


def _moodle_idnumber(question_index: int, idnumber: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        [q for q in root if q.get("type") != "category"][question_index].find("idnumber").text = idnumber
    return change


def write_folder(root: Path, entries: Entries) -> Path:
    """``entries`` written out as an unpacked package folder."""
    for member, data in entries.items():
        (root / member).parent.mkdir(parents=True, exist_ok=True)
        (root / member).write_bytes(data)
    return root


def _interrupted_build(folder: Path) -> Path:
    """A ``dist/`` where srm-package's record says a build was killed while its packages landed:
    the new SCORM zip is still in the staging folder, the old one in place."""
    import json

    dist = folder / "dist"
    staged = dist / ".srm-package-k1ll.part" / ".course-scorm12.zip.x.part"
    staged.parent.mkdir(parents=True)
    write_zip(dist / "course-scorm12.zip", scorm12_entries())
    write_zip(staged, scorm12_entries())
    record = {"packages": [{"file": "course-scorm12.zip", "target": "scorm12", "source": "/course/source",
                            "identity": [0, 0, 0, 0]}],
              "landing": {"staging": staged.parent.name,
                          "packages": [["course-scorm12.zip", f"{staged.parent.name}/{staged.name}"]]}}
    (dist / ".srm-package.json").write_text(json.dumps(record), encoding="utf-8")
    return dist


def _folder_case(name: str, build: Callable[[], Entries], link: tuple[str, Path] | None = None
                 ) -> Callable[[Path], Path]:
    """An unpacked package folder, with an optional symbolic link (member name, target)."""
    def make(folder: Path) -> Path:
        root = write_folder(folder / name, build())
        if link is not None:
            (root / link[0]).symlink_to(link[1])
        return root
    return make


def _empty_folder(folder: Path) -> Path:
    (folder / "empty").mkdir()
    return folder / "empty"


def _sparse_moodle_xml(folder: Path) -> Path:
    """A Moodle XML file over the 32 MiB document limit; sparse, so it costs no disk."""
    path = folder / "huge-moodle.xml"
    with path.open("wb") as stream:
        stream.write(moodle_xml())
        stream.truncate(33 * 1024 * 1024)
    return path


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.xml"
    os.mkfifo(path)
    return path


def corpus(secret: Path) -> list[Case]:
    """Every broken or hostile case; ``secret`` is a file an XXE would try to read."""
    s12, s2004, canvas, cartridge = scorm12_entries, scorm2004_entries, canvas_qti_entries, cc_entries
    quiz_file = f"{QUIZ_IDENT}/{QUIZ_IDENT}.xml"
    cc_quiz = f"{QUIZ_IDENT}/assessment_qti.xml"
    return [
        # ---- zip structure
        Case("manifest-missing", "zip.manifest-missing", _zip_case("no-manifest.zip", _with(s12, imsmanifest_DOT_xml=None))),
        Case("manifest-in-subfolder", "zip.manifest-location",
             _zip_case("subfolder.zip", lambda: {f"course/{k}": v for k, v in s12().items()}),
             member="course/imsmanifest.xml"),
        Case("zip-slip", "zip.path-traversal", _zip_case("slip.zip", _extra(s12, ("../../evil.sh", b"rm -rf ~"))),
             member="../../evil.sh"),
        Case("zip-slip-mid-path", "zip.path-traversal",
             _zip_case("slip-mid-path.zip", _extra(s12, ("assets/../../evil.sh", b"rm -rf ~"))),
             member="assets/../../evil.sh"),
        Case("absolute-path", "zip.absolute-path", _zip_case("absolute.zip", _extra(s12, ("/etc/cron.d/x", b"x"))),
             member="/etc/cron.d/x"),
        Case("backslash-name", "zip.backslash",
             _zip_case("backslash.zip", _extra(s12, ("assets\\notes.txt", b"x"))), member="assets\\notes.txt"),
        Case("empty-name", "zip.empty-name", _zip_case("empty-name.zip", _extra(s12, (zipfile.ZipInfo(""), b"x"))),
             member=""),
        Case("duplicate-name", "zip.duplicate-name",
             _zip_case("duplicate.zip", _extra(s12, ("index.html", page("<p>other</p>")))), member="index.html"),
        Case("symlink", "zip.symlink", _zip_case("symlink.zip", _extra(s12, _symlink_member())),
             member="assets/passwd"),
        Case("moodle-mangled-name", "zip.moodle-mangled-name", _zip_case("mangled.zip", _moodle_mangled),
             member="assets/q&a.txt"),
        Case("zip-bomb-ratio", "zip.compression-ratio", _zip_case("bomb.zip", _zip_bomb_ratio),
             member="assets/video.bin"),
        Case("zip-bomb-lying-total", "zip.too-large", _lying_total,
             also=frozenset({"zip.entry-too-large", "zip.compression-ratio"})),
        Case("too-many-entries", "zip.too-many-entries", _too_many),
        Case("truncated-zip", "zip.corrupt", _truncated),
        Case("bad-crc", "zip.corrupt", _bad_crc, member="assets/glossary.txt"),
        Case("encrypted-entry", "zip.encrypted", _encrypted, member="assets/glossary.txt",
             also=frozenset({"manifest.file-missing"})),
        Case("risky-name", "zip.risky-name", _zip_case("risky.zip", lambda: {
            **scorm12_entries(), "assets/my notes.txt": b"x",
            MANIFEST: scorm12_manifest([*SITE_FILES, "assets/my notes.txt"])}), exit_code=0,
             member="assets/my notes.txt"),
        Case("folder-symlink-out", "folder.symlink", _folder_case("unpacked", s12, ("assets/leak.txt", secret)),
             member="assets/leak.txt"),
        Case("folder-symlink-loop", "folder.symlink", _folder_case("looping", s12, ("assets/loop", Path("loop"))),
             member="assets/loop"),
        Case("interrupted-build", "folder.interrupted-build", _interrupted_build),
        Case("not-a-zip", "zip.not-a-zip", _raw_case("not-a-zip.zip", lambda: b"%PDF-1.7 this is not a zip\n")),
        # ---- XML safety
        Case("xxe", "xml.xxe", _zip_case("xxe.zip", _xxe_manifest(secret)), member=MANIFEST),
        Case("billion-laughs", "xml.entity-expansion", _raw_case("laughs-moodle.xml", _billion_laughs)),
        Case("external-dtd", "xml.external-dtd", _zip_case("external-dtd.zip", _with(
            s12, imsmanifest_DOT_xml=_external_doctype(secret.as_uri(), scorm12_manifest()))), member=MANIFEST),
        Case("external-dtd-network", "xml.external-dtd", _raw_case("remote-dtd-moodle.xml", lambda: _external_doctype(
            "http://attacker.example/evil.dtd", moodle_xml()))),
        Case("xinclude", "xml.xinclude", _zip_case("xinclude.zip", _edit_member(
            s12, MANIFEST, _xinclude(secret.as_uri()))), member=MANIFEST),
        Case("schema-location-on-disk", "xml.schema-location", _zip_case("schema-file.zip", _edit_member(
            s12, MANIFEST, _schema_location(secret.as_uri()))), member=MANIFEST),
        Case("schema-location-elsewhere", "xml.schema-remote", _zip_case("schema-remote.zip", _edit_member(
            canvas, quiz_file, _schema_location("https://schemas.attacker.example/qti.xsd"))), member=quiz_file,
             exit_code=0),
        Case("malformed-xml", "xml.malformed",
             _zip_case("malformed.zip", _with(s12, imsmanifest_DOT_xml=scorm12_manifest().replace(b"</resources>", b""))),
             member=MANIFEST),
        Case("non-utf8-bytes", "xml.encoding",
             _zip_case("latin1.zip", _with(s12, imsmanifest_DOT_xml=scorm12_manifest().replace(
                 b"Demo course", "Démo".encode("latin-1")))), member=MANIFEST),
        Case("non-utf8-declared", "xml.encoding", _raw_case("latin1-moodle.xml", lambda: etree.tostring(
            etree.fromstring(moodle_xml()), xml_declaration=True, encoding="ISO-8859-1"))),
        # ---- content packaging
        Case("missing-listed-file", "manifest.file-missing",
             _zip_case("missing-file.zip", _with(s12, assets__glossary_DOT_txt=None)), member=MANIFEST),
        Case("missing-launch-file", "manifest.launch-missing",
             _zip_case("missing-launch.zip", _edit_member(s12, MANIFEST, lambda r: find(r, "resource").set(
                 "href", "start.html"))), member=MANIFEST),
        Case("unresolved-identifierref", "manifest.identifierref",
             _zip_case("identifierref.zip", _edit_member(s12, MANIFEST, lambda r: find(r, "item").set(
                 "identifierref", "res_nowhere"))), member=MANIFEST),
        Case("dangling-dependency", "manifest.identifierref",
             _zip_case("dependency.zip", _edit_member(s12, MANIFEST, _add_child(
                 "resource", CP12, "dependency", identifierref="res_nowhere"))), member=MANIFEST),
        Case("duplicate-identifier", "manifest.duplicate-identifier",
             _zip_case("dup-id.zip", _edit_member(s12, MANIFEST, lambda r: find(r, "item").set(
                 "identifier", "org_1"))), member=MANIFEST),
        Case("file-not-listed", "manifest.file-unlisted",
             _zip_case("unlisted.zip", _with(s12, assets__extra_DOT_txt=b"extra")), exit_code=0,
             member="assets/extra.txt"),
        Case("file-not-listed-strict", "manifest.file-unlisted",
             _zip_case("unlisted-strict.zip", _with(s12, assets__extra_DOT_txt=b"extra")), strict=True,
             member="assets/extra.txt"),
        Case("default-organization", "manifest.default-organization",
             _zip_case("default-org.zip", _edit_member(s12, MANIFEST, _set_attribute("organizations", "default",
                                                                                       "org_9"))), member=MANIFEST),
        Case("href-outside", "manifest.href-outside",
             _zip_case("href-outside.zip", _edit_member(s12, MANIFEST, _add_child("resource", CP12, "file",
                                                                                  href="../shared/x.js"))),
             member=MANIFEST),
        Case("manifest-root", "manifest.root",
             _zip_case("manifest-root.zip", _edit_member(s12, MANIFEST, _rename_root("package"))), member=MANIFEST),
        Case("qti21-package", "manifest.unknown-kind", _zip_case("qti21.zip", qti21_entries), member=MANIFEST),
        Case("plain-content-package", "manifest.unknown-kind", _zip_case("plain-cp.zip", _unknown_manifest),
             member=MANIFEST),
        # ---- SCORM
        Case("bad-schemaversion", "scorm.schemaversion",
             _zip_case("schemaversion.zip", _edit_member(s12, MANIFEST, _set_text("schemaversion", "1.2.0"))),
             member=MANIFEST),
        Case("schemaversion-capitalisation", "scorm.schemaversion",
             _zip_case("schemaversion-2004.zip", _edit_member(s2004, MANIFEST, _set_text(
                 "schemaversion", "2004 4th edition"))), member=MANIFEST),
        Case("version-mismatch", "scorm.version-mismatch",
             _zip_case("mismatch.zip", _edit_member(s2004, MANIFEST, _set_text("schemaversion", "1.2"))),
             member=MANIFEST),
        Case("sco-without-scormtype", "scorm.scormtype-missing",
             _zip_case("no-scormtype.zip", _edit_member(s12, MANIFEST, _drop_attribute("resource", "scormtype"))),
             member=MANIFEST),
        Case("wrong-extension-prefix", "scorm.namespace-prefix",
             _zip_case("prefix.zip", _with(s12, imsmanifest_DOT_xml=scorm12_manifest().replace(
                 b"xmlns:adlcp=", b"xmlns:adl=").replace(b"adlcp:", b"adl:"))), member=MANIFEST),
        Case("masteryscore-out-of-range", "scorm.masteryscore",
             _zip_case("mastery.zip", _edit_member(s12, MANIFEST, _set_text("masteryscore", "120"))),
             member=MANIFEST),
        Case("no-sco", "scorm.no-sco",
             _zip_case("no-sco.zip", _edit_member(s12, MANIFEST, _set_attribute("resource", f"{{{ADLCP12}}}scormtype",
                                                                                "asset"))), member=MANIFEST),
        Case("scormtype-invalid", "scorm.scormtype-invalid",
             _zip_case("scormtype.zip", _edit_member(s12, MANIFEST, _set_attribute(
                 "resource", f"{{{ADLCP12}}}scormtype", "lesson"))), member=MANIFEST, also=frozenset({"scorm.no-sco"})),
        Case("numeric-character-reference", "scorm.char-reference",
             _zip_case("charref.zip", _with(s12, imsmanifest_DOT_xml=scorm12_manifest().replace(
                 b"Demo course", b"D&#233;mo course"))), exit_code=0, member=MANIFEST),
        Case("two-scos-in-2004", "scorm.multiple-sco",
             _zip_case("two-scos.zip", _edit_member(s2004, MANIFEST, _second_sco)), exit_code=0,
             member=MANIFEST),
        # ---- QTI and Canvas
        Case("qti-no-correct-answer", "qti.no-correct-answer",
             _zip_case("no-correct.zip", _with(canvas, quiz_demo__quiz_demo_DOT_xml=canvas_qti_document(correct=None))),
             member=quiz_file),
        Case("qti-unknown-choice", "qti.unknown-choice",
             _zip_case("unknown-choice.zip", _with(canvas, quiz_demo__quiz_demo_DOT_xml=canvas_qti_document(
                 correct="9999"))), member=quiz_file, also=frozenset({"qti.no-correct-answer"})),
        Case("qti-root", "qti.root", _zip_case("qti-root.zip", _with(
            canvas, quiz_demo__quiz_demo_DOT_xml=xml_bytes(etree.Element("quiz")))), member=quiz_file,
             also=frozenset({"canvas.no-assessment"})),
        Case("qti-duplicate-answer-ident", "qti.duplicate-ident",
             _zip_case("dup-answer.zip", _with(canvas, quiz_demo__quiz_demo_DOT_xml=canvas_qti_document(
                 labels=["1001", "1001", "1002"]))), member=quiz_file),
        Case("qti-no-choices", "qti.no-choices",
             _zip_case("no-choices.zip", _edit_member(canvas, quiz_file, _remove_first("render_choice"))),
             member=quiz_file),
        Case("qti-several-correct", "qti.several-correct",
             _zip_case("two-correct.zip", _edit_member(canvas, quiz_file, _second_correct)), member=quiz_file),
        Case("qti-group-picks-too-many", "qti.selection",
             _zip_case("greedy-group.zip", _edit_member(canvas, quiz_file, _greedy_group)), member=quiz_file),
        Case("canvas-no-assessment", "canvas.no-assessment",
             _zip_case("objectbank.zip", _with(canvas, quiz_demo__quiz_demo_DOT_xml=_objectbank_only())),
             member=MANIFEST),
        Case("canvas-meta-missing", "canvas.meta-missing", _zip_case("no-meta.zip", _canvas_without_meta),
             exit_code=0, member=MANIFEST),
        Case("canvas-meta-folder", "canvas.meta-folder",
             _zip_case("meta-folder.zip", lambda: {
                 MANIFEST: canvas_manifest(meta_href="settings/assessment_meta.xml"),
                 quiz_file: canvas_qti_document(), "settings/assessment_meta.xml": assessment_meta()}),
             member=MANIFEST),
        Case("canvas-answer-ident", "canvas.answer-ident",
             _zip_case("answer-ident.zip", _with(canvas, quiz_demo__quiz_demo_DOT_xml=canvas_qti_document(
                 labels=["wrong_1", "correct_2"], correct="correct_2"))), member=quiz_file),
        Case("canvas-declared-as-cartridge", "canvas.manifest-schema",
             _zip_case("canvas-cc.zip", _with(canvas, imsmanifest_DOT_xml=canvas_manifest(
                 schema="IMS Common Cartridge"))), member=MANIFEST),
        # ---- Common Cartridge
        Case("cc-namespace-late", "cc.namespace-position",
             _raw_zip_cc_comment(), member=MANIFEST),
        Case("cc-item-without-profile", "cc.profile-missing",
             _zip_case("no-profile.imscc", _with(cartridge, quiz_demo__assessment_qti_DOT_xml=cc_qti_document(
                 profile=None))), member=cc_quiz),
        Case("cc-schemaversion", "cc.schemaversion",
             _zip_case("cc-version.imscc", _edit_member(cartridge, MANIFEST, _set_text("schemaversion", "1.1"))),
             member=MANIFEST),
        Case("cc-resource-lom", "cc.resource-metadata",
             _zip_case("cc-lom.imscc", _edit_member(cartridge, MANIFEST, _resource_lom)), member=MANIFEST),
        Case("cc-protected", "cc.protected",
             _zip_case("cc-protected.imscc", _edit_member(cartridge, MANIFEST, _add_child(
                 "manifest", CC11, "authorizations", access="cartridge"))), member=MANIFEST),
        Case("cc-version-1.3", "cc.version-moodle",
             _zip_case("cc13.imscc", _with(cartridge, imsmanifest_DOT_xml=_cc13(cc_manifest()))), exit_code=0,
             member=MANIFEST),
        Case("cc-weighting", "cc.weighting",
             _zip_case("cc-weighting.imscc", _with(cartridge, quiz_demo__assessment_qti_DOT_xml=cc_qti_document(
                 weighting="150"))), exit_code=0, member=cc_quiz),
        Case("cc-nested-item", "cc.nested-item",
             _zip_case("cc-nested.imscc", _edit_member(cartridge, cc_quiz, _nest_item)), exit_code=0,
             member=cc_quiz),
        Case("cc-feedback-after-score", "cc.feedback-after-score",
             _zip_case("cc-feedback.imscc", _edit_member(cartridge, cc_quiz, _feedback_after_score)),
             member=cc_quiz),
        Case("cc-true-false-idents", "cc.true-false-idents",
             _zip_case("cc-tf.imscc", _with(cartridge, quiz_demo__assessment_qti_DOT_xml=cc_qti_document(
                 profile="cc.true_false.v0p1", labels=["yes", "no"], correct="yes"))), member=cc_quiz),
        Case("cc-filebase-token", "html.lms-token",
             _zip_case("filebase.imscc", _with(cartridge, wiki_content__welcome_DOT_html=cc_page(
                 '<img src="$IMS-CC-FILEBASE$/logo.png" alt="">'))), exit_code=0,
             member="wiki_content/welcome.html"),
        Case("cc-filebase-token-broken", "html.broken-link",
             _zip_case("filebase-broken.imscc", _with(cartridge, wiki_content__welcome_DOT_html=cc_page(
                 '<img src="$IMS-CC-FILEBASE$/nowhere.png" alt="">'))), member="wiki_content/welcome.html",
             also=frozenset({"html.lms-token"})),
        Case("cc-assessment-file-missing", "cc.assessment-file",
             _zip_case("cc-no-qti.imscc", _with(cartridge, quiz_demo__assessment_qti_DOT_xml=None)),
             member=MANIFEST, also=frozenset({"manifest.file-missing"})),
        Case("qti-image-not-in-package", "media.qti-image",
             _zip_case("qti-image.zip", _edit_member(canvas, f"{QUIZ_IDENT}/{QUIZ_IDENT}.xml", _set_text(
                 "mattext", '<img src="$IMS-CC-FILEBASE$/images/chart.png" alt="A chart"> Who patches it?'))),
             member=f"{QUIZ_IDENT}/{QUIZ_IDENT}.xml"),
        # ---- Moodle XML
        Case("moodle-single-without-100", "moodle.single-without-100",
             _raw_case("single-90.xml", _moodle_edit(_moodle_fraction(0, 0, "90")))),
        Case("moodle-multi-fractions", "moodle.fractions-sum",
             _raw_case("multi-90.xml", _moodle_edit(_moodle_fraction(1, 0, "40")))),
        Case("moodle-name-missing", "moodle.name-missing", _raw_case("no-name.xml", _moodle_edit(_remove_name))),
        Case("moodle-fraction", "moodle.fraction",
             _raw_case("fraction-150.xml", _moodle_edit(_moodle_fraction(1, 2, "-150")))),
        Case("moodle-no-answers", "moodle.no-answers", _raw_case("no-answers.xml", _moodle_edit(_remove_answers(0)))),
        Case("moodle-truefalse", "moodle.truefalse",
             _raw_case("truefalse.xml", _moodle_edit(_moodle_fraction(2, 1, "100")))),
        Case("moodle-duplicate-idnumber", "moodle.duplicate-idnumber",
             _raw_case("dup-idnumber.xml", _moodle_edit(_moodle_idnumber(1, "q1")))),
        Case("moodle-image-not-embedded", "media.moodle-image",
             _raw_case("image-not-embedded.xml", _moodle_edit(_set_text(
                 "text", '<p><img src="@@PLUGINFILE@@/chart.png" alt="A chart"></p>')))),
        Case("moodle-no-declaration", "moodle.xml-declaration",
             _raw_case("no-declaration.xml", lambda: etree.tostring(etree.fromstring(moodle_xml())))),
        # ---- HTML
        Case("network-script", "html.network-url",
             _zip_case("cdn-script.zip", _with(s12, index_DOT_html=page(
                 INDEX_BODY + '\n<script src="https://cdn.example.com/lib.js"></script>'))), member="index.html"),
        Case("network-image", "html.network-url",
             _zip_case("remote-img.zip", _with(s12, index_DOT_html=page(
                 INDEX_BODY + '\n<img src="//images.example.com/x.png" alt="">'))), member="index.html"),
        Case("network-font-import", "html.network-url",
             _zip_case("font-import.zip", _with(s12, assets__style_DOT_css=(
                 b'@import "https://fonts.example.com/css?family=Inter";\nbody { color: #222; }\n'))),
             member="assets/style.css"),
        Case("broken-local-link", "html.broken-link",
             _zip_case("broken-link.zip", _with(s12, page2_DOT_html=page('<a href="lesson-3.html">Next</a>'))),
             member="page2.html"),
        Case("page-not-utf8", "html.encoding",
             _zip_case("latin1-page.zip", _with(s12, page2_DOT_html=page("<p>Démo</p>").replace(
                 "é".encode(), "é".encode("latin-1")))), exit_code=0, member="page2.html"),
        Case("empty-page", "html.parse", _zip_case("empty-page.zip", _with(s12, page2_DOT_html=b" \n")),
             member="page2.html"),
        Case("link-outside-package", "html.link-outside",
             _zip_case("outside-link.zip", _with(s12, page2_DOT_html=page('<a href="../../other/index.html">x</a>'))),
             member="page2.html"),
        # ---- inputs
        Case("unknown-file-kind", "input.unknown-kind", _raw_case("notes.txt", lambda: b"just some notes\n")),
        Case("empty-folder", "input.empty-folder", _empty_folder),
        Case("document-too-large", "input.too-large", _sparse_moodle_xml),
        Case("pipe", "input.unreadable", _fifo),
        Case("unknown-xml-root", "input.unknown-kind", _raw_case("rss.xml", lambda: xml_bytes(etree.Element("rss")))),
        # ---- Moodle backups
        *backup_cases(Case),
    ]


def _raw_zip_cc_comment() -> Callable[[Path], Path]:
    """A cartridge whose manifest starts with a long comment, pushing the namespace past byte 400."""
    def build() -> Entries:
        entries = cc_entries()
        manifest = entries[MANIFEST]
        head, _, rest = manifest.partition(b"?>\n")
        comment = etree.tostring(etree.Comment(" generated by a tool that likes long preambles " * 10))
        entries[MANIFEST] = head + b"?>\n" + comment + b"\n" + rest
        return entries
    return _zip_case("late-namespace.imscc", build)


BASELINES: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "scorm12": ("scorm12", _zip_case("base-scorm12.zip", scorm12_entries)),
    "scorm2004": ("scorm2004", _zip_case("base-scorm2004.zip", scorm2004_entries)),
    "canvas-qti": ("canvas-qti", _zip_case("base-canvas-qti.zip", canvas_qti_entries)),
    "cc": ("cc11", _zip_case("base-cc.imscc", cc_entries)),
    "moodle-xml": ("moodle-xml", _raw_case("base-moodle.xml", moodle_xml)),
    "moodle-backup": ("moodle-backup", _raw_case("base-backup.mbz", lambda: tgz(backup_entries()))),
}
