"""The one QTI 1.2 writer: items, assessments and question banks for every target.

``canvas-qti``, ``cc`` and the SCORM question bank all take their quiz XML from
here. Two profiles differ where the importers that read them differ
(``docs/lms-targets.md`` 2.1 and 1.3):

* ``Profile.CANVAS`` is the layout of Canvas's own export: ``question_type``,
  ``points_possible`` and numeric ``original_answer_ids`` metadata; one
  ``continue="Yes"`` condition per answer feedback, then the one scoring
  condition (``continue="No"``, SCORE 100).
* ``Profile.CC`` is the Common Cartridge 1.1 QTI profile as Moodle's cartridge
  importer reads it: ``cc_profile`` and ``cc_weighting`` metadata; true/false
  labels ``true``/``false``; per answer one ``continue="No"`` condition holding
  both its score and its feedback, so that the answer feedback neither wipes out
  the correct answer nor leaks into the general feedback; ``case="Yes"`` on
  ``varequal``, which Moodle needs to find the correct answers of a
  multiple-response item.

Each question type writes its own items (``srm_package.questions``) from the parts
below (``item_element``, ``presentation``, ``resprocessing``, ``condition``...), and
says which profiles cannot carry it: those items are left out of the document.

Question text is inline Markdown rendered to HTML once (``rich_text``, in the
profile's ``TEXT_STYLES``; the types receive the document's ``TextRenderer``) and
stored as ``mattext`` text, so lxml escapes it exactly once. Images are referenced,
never embedded: Canvas refuses ``data:`` images.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from functools import lru_cache

from lxml import etree

from srm_package import pools
from srm_package.model import MediaFile, Question, QuestionGroup, Quiz
from srm_package.questions import carries, question_type
from srm_package.questions.base import Form
from srm_package.rich_text import TextRenderer, TextStyle
from srm_package.targets.identifiers import question_name, stable_id

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
#: the response every item declares; Canvas's importer expects this name
RESPONSE_IDENT = "response1"
#: itemfeedback shown whatever the answer (the explanation)
GENERAL_FEEDBACK = "general_fb"
#: question-level feedback on a right / wrong answer, named as Canvas's export names them
CORRECT_FEEDBACK = "correct_fb"
INCORRECT_FEEDBACK = "general_incorrect_fb"
ROOT_SECTION = "root_section"


class Profile(str, Enum):
    CANVAS = "canvas"
    CC = "cc"


_SCHEMA_LOCATION = {
    Profile.CANVAS: f"{QTI_NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd",
    Profile.CC: f"{QTI_NS} http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd",
}
#: how each profile's documents write images and formulas (docs/targets.md):
#: * Canvas resolves ``$IMS-CC-FILEBASE$/<path>`` against the package's files (the whole
#:   path, then shorter and shorter ends of it), wherever the QTI file is; the files are in
#:   ``media/`` (QTI zip, SCORM) or ``web_resources/media/`` (cartridge). Canvas shows
#:   MathML and loads MathJax for it.
#: * Moodle's cartridge converter resolves the question text's images relative to the
#:   QTI file (``<ident>/assessment_qti.xml``); its MathJax filter renders ``\( \)``.
TEXT_STYLES = {
    Profile.CANVAS: TextStyle("$IMS-CC-FILEBASE$/media/", "mathml"),
    Profile.CC: TextStyle("../web_resources/media/", "tex"),
}

_QTI = f"{{{QTI_NS}}}"
#: attributes shared by many elements (SubElement copies them)
_HTML_TEXT = {"texttype": "text/html"}
_VAREQUAL = {"respident": RESPONSE_IDENT}
_VAREQUAL_CASE = {"respident": RESPONSE_IDENT, "case": "Yes"}
_SET_SCORE = {"action": "Set", "varname": "SCORE"}
_ADD_SCORE = {"action": "Add", "varname": "SCORE"}
_SCORE_VARIABLE = {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"}


# ------------------------------------------------------------------ identifiers
def assessment_ident(quiz: Quiz, scope: str = "") -> str:
    """The assessment's ident; also the Canvas folder name and CC resource id."""
    return stable_id("quiz_", scope, quiz.id)


def item_ident(quiz: Quiz, question: Question, scope: str = "") -> str:
    return stable_id("item_", scope, quiz.id, question.id)


def group_ident(quiz: Quiz, group: QuestionGroup, scope: str = "") -> str:
    return stable_id("group_", scope, quiz.id, group.id)


def bank_ident(quiz: Quiz, scope: str = "") -> str:
    return stable_id("bank_", scope, quiz.id)


def feedback_ident(label: str) -> str:
    return f"{label}_fb"


# ------------------------------------------------------------------ documents
# Elements are added with ``etree.SubElement`` under their parent rather than made
# with an ``ElementMaker``: an item has ~80 small elements, and the builder's
# per-element overhead made it ~3x slower (benchmarks/results.md, Profile).
#
# Documents are kept per (quiz, profile, scope) for the rest of the process: the two
# SCORM targets ship the same question banks, and ``canvas-qti`` and ``cc`` the same
# Canvas assessments. (Hashing a frozen quiz costs ~10 µs; building it ~1 ms.)
_KEPT_DOCUMENTS = 512
#: from this many questions, building them is worth starting worker processes (~5 ms)
_PARALLEL_QUESTIONS = 400


@lru_cache(maxsize=_KEPT_DOCUMENTS)
def assessment_document(quiz: Quiz, *, profile: Profile, scope: str = "",
                        media: tuple[MediaFile, ...] = ()) -> bytes:
    """A ``questestinterop`` with one assessment holding every question of ``quiz``
    (``media``: the image files its texts show, ``rich_text.files_of``)."""
    metadata = []
    if profile is Profile.CC:
        metadata += [
            ("cc_profile", "cc.exam.v0p1"),
            ("qmd_assessmenttype", "Examination"),
            ("qmd_scoretype", "Percentage"),
        ]
    attempts = "unlimited" if quiz.max_attempts is None else str(quiz.max_attempts)
    metadata.append(("cc_maxattempts", attempts))
    root = _document_root(profile)
    assessment = sub(root, "assessment", attrib={"ident": assessment_ident(quiz, scope), "title": quiz.title})
    qtimetadata(assessment, metadata)
    section = sub(assessment, "section", attrib={"ident": ROOT_SECTION})
    text = TextRenderer(TEXT_STYLES[profile], media)
    # Canvas's flavour draws from each group (a question group where the group's first
    # question is); the cartridge profile's section holds items only: every question
    group_sections: dict[str, etree._Element] = {}
    # a group draws only from the questions Canvas carries
    carried = pools.carried(quiz, Form.QTI_CANVAS) if profile is Profile.CANVAS and quiz.groups else None
    for question in quiz.questions:
        group = carried.group_of(question) if carried else None
        parent = section
        if group is not None:
            if group.id not in group_sections:
                group_sections[group.id] = question_group(section, carried, group, scope)
            parent = group_sections[group.id]
        add_item(parent, quiz, question, profile=profile, scope=scope, text=text)
    return _serialise(root)


def question_group(parent: etree._Element, quiz: Quiz, group: QuestionGroup, scope: str) -> etree._Element:
    """A Canvas question group: a ``section`` asking ``pick`` of the items put in it, each worth
    the group's points (lms-targets 2.1; Canvas's own export writes groups so)."""
    section = sub(parent, "section", attrib={"ident": group_ident(quiz, group, scope), "title": group.id})
    selection = sub(sub(section, "selection_ordering"), "selection")
    sub(selection, "selection_number", str(group.pick))
    sub(sub(selection, "selection_extension"), "points_per_item", f"{float(quiz.group_points(group))}")
    return section


@lru_cache(maxsize=_KEPT_DOCUMENTS)
def question_bank(quiz: Quiz, *, scope: str = "", media: tuple[MediaFile, ...] = ()) -> bytes:
    """The questions of ``quiz`` as a QTI 1.2 ``objectbank`` (Canvas item flavour).

    The SCORM targets ship it beside the SCO as a non-launchable ``imsqti_xmlv1p2``
    resource, so that the questions can be imported into an LMS question bank.
    Valid against the full QTI 1.2 schema and the CC 1.1 QTI profile.
    """
    root = _document_root(Profile.CANVAS)
    bank = sub(root, "objectbank", attrib={"ident": bank_ident(quiz, scope)})
    qtimetadata(bank, [("bank_title", quiz.title)])
    text = TextRenderer(TEXT_STYLES[Profile.CANVAS], media)
    for question in quiz.questions:
        add_item(bank, quiz, question, profile=Profile.CANVAS, scope=scope, form=Form.QTI_BANK, text=text)
    return _serialise(root)


def assessment_documents(quizzes: Sequence[Quiz], *, profile: Profile, scope: str = "",
                         media_of: Callable[[Quiz], tuple[MediaFile, ...]] | None = None) -> list[bytes]:
    """``assessment_document`` of each quiz; for a large course, on every core (``fork_map``).

    ``media_of`` gives each quiz's image files. When a whole build already runs its
    targets side by side, this maps in place.
    """
    def build(quiz: Quiz) -> bytes:
        return assessment_document(quiz, profile=profile, scope=scope, media=media_of(quiz) if media_of else ())

    if sum(len(quiz.questions) for quiz in quizzes) < _PARALLEL_QUESTIONS:
        return [build(quiz) for quiz in quizzes]
    from srm_package.parallel import fork_map

    return fork_map(build, quizzes)


def _document_root(profile: Profile) -> etree._Element:
    root = etree.Element(_QTI + "questestinterop", nsmap={None: QTI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", _SCHEMA_LOCATION[profile])
    return root


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def sub(parent: etree._Element, local: str, text: str | None = None,
        attrib: dict[str, str] | None = None) -> etree._Element:
    """Append the QTI element ``local`` to ``parent``, with its text and attributes."""
    element = etree.SubElement(parent, _QTI + local, attrib)
    if text is not None:
        element.text = text
    return element


# ------------------------------------------------------------------ one item
def add_item(parent: etree._Element, quiz: Quiz, question: Question, *, profile: Profile,
             scope: str = "", form: Form | None = None, text: TextRenderer | None = None) -> etree._Element | None:
    """Append ``question``'s ``item`` to ``parent``, as its type writes it; ``None`` when the
    type says that ``form`` (default: the profile's own) cannot carry it. ``text`` writes the
    question's texts (default: the profile's style, no image files)."""
    if not carries(question, form or FORMS[profile]):
        return None
    handler = question_type(question)
    return handler.qti_item(parent, quiz, question, profile=profile, scope=scope,
                            text=text or TextRenderer(TEXT_STYLES[profile]))


#: the form each profile writes for an assessment (the SCORM question bank is ``Form.QTI_BANK``)
FORMS = {Profile.CANVAS: Form.QTI_CANVAS, Profile.CC: Form.QTI_CC}

#: the item metadata fields per profile (see ``item_metadata``)
ITEM_FIELDS = {
    # cc_weighting becomes the question's mark in Moodle (integer 0-99);
    # points_possible is what Canvas's standard-cartridge importer reads
    Profile.CC: ("cc_profile", "cc_weighting", "points_possible"),
    Profile.CANVAS: ("question_type", "points_possible", "original_answer_ids", "assessment_question_identifierref"),
}


def item_title(question: Question) -> str:
    return question_name(question)


def item_metadata(quiz: Quiz, question: Question, profile: Profile, scope: str, *, canvas_type: str,
                  cc_profile: str, answer_ids: Sequence[str]) -> tuple[str, ...]:
    """The ``fieldentry`` of each of the profile's ``ITEM_FIELDS``."""
    points = f"{float(question.points)}"
    if profile is Profile.CC:
        return (cc_profile, str(question.points), points)
    return (canvas_type, points, ",".join(answer_ids), stable_id("aq_", scope, quiz.id, question.id))


# ------------------------------------------------------------ whole questions
# For the types whose items are built directly (not from a template): the parts below,
# filled from the question.
def open_item(parent: etree._Element, quiz: Quiz, question: Question, profile: Profile, scope: str,
              text: TextRenderer, *, canvas_type: str, answer_ids: Sequence[str], cc_profile: str = "",
              stem_html: str | None = None) -> tuple[etree._Element, etree._Element]:
    """The question's ``item`` under ``parent`` with its metadata, and its ``presentation`` holding
    the stem (``stem_html``, default: the stem rendered by ``text``)."""
    metadata = item_metadata(quiz, question, profile, scope, canvas_type=canvas_type, cc_profile=cc_profile,
                             answer_ids=answer_ids)
    item = item_element(parent, profile, item_ident(quiz, question, scope), item_title(question), metadata)
    return item, presentation(item, text.inline(question.stem, quiz.images) if stem_html is None else stem_html)


def scoring(resprocessing: etree._Element, question: Question, profile: Profile,
            test: Callable[[etree._Element], None]) -> None:
    """The one condition that sets SCORE to 100 (``test`` fills its ``conditionvar``), with the
    question's right and wrong feedback around it as Canvas exports them."""
    canvas = profile is Profile.CANVAS
    feedback = CORRECT_FEEDBACK if canvas and question.feedback.correct else None
    test(condition(resprocessing, "No", score=True, feedback=feedback))
    if canvas and question.feedback.incorrect:
        # reached only when the scoring condition above did not stop processing
        sub(condition(resprocessing, "Yes", feedback=INCORRECT_FEEDBACK), "other")


def close_item(item: etree._Element, quiz: Quiz, question: Question, profile: Profile,
               text: TextRenderer) -> etree._Element:
    """The question's explanation and right/wrong feedback as ``itemfeedback``s (``question_feedback``)."""
    question_feedback(item, profile, *(text.inline(markdown, quiz.images) if markdown else None for markdown in (
        question.explanation, question.feedback.correct, question.feedback.incorrect)))
    return item


# ------------------------------------------------------------------ item parts
# The pieces every type's item is made of, in the order QTI wants them: the item with its
# metadata, the presentation with the stem, the response processing (opening with the
# explanation's condition), the question-level feedback. Types put their own elements
# between them. Like the choice layout, these place strings as given and never test them.
def item_element(parent: etree._Element | None, profile: Profile, ident: str, title: str,
                 metadata: Sequence[str]) -> etree._Element:
    """The ``item`` with its metadata, under ``parent`` (or a standalone section)."""
    if parent is None:
        parent = etree.Element(_QTI + "section", nsmap={None: QTI_NS})
    item = sub(parent, "item", attrib={"ident": ident, "title": title})
    qtimetadata(sub(item, "itemmetadata"), zip(ITEM_FIELDS[profile], metadata, strict=True))
    return item


def presentation(item: etree._Element, stem_html: str) -> etree._Element:
    """The item's ``presentation``, holding the stem; the type adds its responses."""
    element = sub(item, "presentation")
    material(element, stem_html)
    return element


def resprocessing(item: etree._Element, *, explanation: bool) -> etree._Element:
    """The ``resprocessing`` with its SCORE variable, then the explanation's condition if any."""
    element = sub(item, "resprocessing")
    sub(sub(element, "outcomes"), "decvar", attrib=_SCORE_VARIABLE)
    if explanation:
        sub(condition(element, "Yes", feedback=GENERAL_FEEDBACK), "other")
    return element


def question_feedback(item: etree._Element, profile: Profile, explanation: str | None,
                      correct: str | None, incorrect: str | None) -> None:
    """The explanation's ``itemfeedback``; in the Canvas profile also the question-level ones."""
    if explanation is not None:
        feedback(item, GENERAL_FEEDBACK, explanation)
    # Moodle's cartridge importer would merge question-level feedback into an answer's
    # or the general feedback, so only the Canvas profile carries it
    if profile is Profile.CANVAS and correct is not None:
        feedback(item, CORRECT_FEEDBACK, correct)
    if profile is Profile.CANVAS and incorrect is not None:
        feedback(item, INCORRECT_FEEDBACK, incorrect)


def condition(
    resprocessing: etree._Element, continue_: str, *, score: bool = False, feedback: str | None = None,
    add: str | None = None,
) -> etree._Element:
    """Append a ``respcondition``; returns its ``conditionvar``, for the caller to add the test to.

    ``score`` sets SCORE to 100; ``add`` adds that much to it (a part of a question).
    """
    element = sub(resprocessing, "respcondition", attrib={"continue": continue_})
    test = sub(element, "conditionvar")
    if score:
        sub(element, "setvar", "100", _SET_SCORE)
    if add is not None:
        sub(element, "setvar", add, _ADD_SCORE)
    if feedback:
        sub(element, "displayfeedback", attrib={"feedbacktype": "Response", "linkrefid": feedback})
    return test


def varequal(test: etree._Element, label: str, *, case: bool = False, respident: str = RESPONSE_IDENT) -> None:
    if respident == RESPONSE_IDENT:
        sub(test, "varequal", label, _VAREQUAL_CASE if case else _VAREQUAL)
    else:
        sub(test, "varequal", label, {"respident": respident, "case": "Yes"} if case else {"respident": respident})


def feedback(item: etree._Element, ident: str, html: str) -> None:
    """An ``itemfeedback`` holding ``html``."""
    material(sub(sub(item, "itemfeedback", attrib={"ident": ident}), "flow_mat"), html)


def material(parent: etree._Element, html: str) -> None:
    sub(sub(parent, "material"), "mattext", html, _HTML_TEXT)


def plain_material(parent: etree._Element, text: str) -> None:
    """Material of plain text (Canvas reads matching answers only as text)."""
    sub(sub(parent, "material"), "mattext", text)


def qtimetadata(parent: etree._Element, fields: Iterable[tuple[str, str]]) -> None:
    metadata = sub(parent, "qtimetadata")
    for label, entry in fields:
        field = sub(metadata, "qtimetadatafield")
        sub(field, "fieldlabel", label)
        sub(field, "fieldentry", entry)
