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

Question text is inline Markdown rendered to HTML once (``rich_text``, in the
profile's ``TEXT_STYLES``) and stored as ``mattext`` text, so lxml escapes it exactly
once. Images are referenced, never embedded: Canvas refuses ``data:`` images.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from functools import lru_cache
from typing import NamedTuple

from lxml import etree

from srm_package.model import MediaFile, Question, QuestionKind, Quiz
from srm_package.rich_text import TextRenderer, TextStyle
from srm_package.targets.element_template import TemplateCache
from srm_package.targets.identifiers import answer_numbers, question_name, stable_id

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
CANVAS_QUESTION_TYPES = {
    QuestionKind.SINGLE: "multiple_choice_question",
    QuestionKind.MULTIPLE: "multiple_answers_question",
    QuestionKind.TRUE_FALSE: "true_false_question",
}
CC_PROFILES = {
    QuestionKind.SINGLE: "cc.multiple_choice.v0p1",
    QuestionKind.MULTIPLE: "cc.multiple_response.v0p1",
    QuestionKind.TRUE_FALSE: "cc.true_false.v0p1",
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
_SCORE_VARIABLE = {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"}


# ------------------------------------------------------------------ identifiers
def assessment_ident(quiz: Quiz, scope: str = "") -> str:
    """The assessment's ident; also the Canvas folder name and CC resource id."""
    return stable_id("quiz_", scope, quiz.id)


def item_ident(quiz: Quiz, question: Question, scope: str = "") -> str:
    return stable_id("item_", scope, quiz.id, question.id)


def bank_ident(quiz: Quiz, scope: str = "") -> str:
    return stable_id("bank_", scope, quiz.id)


def choice_labels(question: Question, profile: Profile, scope: str = "") -> dict[str, str]:
    """``response_label`` ident per choice id.

    Numbers everywhere (Canvas keeps numeric answer ids, and a number can never
    contain "correct", "wrong" or "general_", which Canvas would read as
    question-level feedback); ``true``/``false`` for a CC true/false item, as
    Moodle's cartridge importer requires.
    """
    if profile is Profile.CC and question.kind is QuestionKind.TRUE_FALSE:
        return {choice.id: choice.id for choice in question.choices}
    return {cid: str(n) for cid, n in answer_numbers(scope, question).items()}


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
    assessment = _sub(root, "assessment", attrib={"ident": assessment_ident(quiz, scope), "title": quiz.title})
    _qtimetadata(assessment, metadata)
    section = _sub(assessment, "section", attrib={"ident": ROOT_SECTION})
    text = TextRenderer(TEXT_STYLES[profile], media)
    for question in quiz.questions:
        add_item(section, quiz, question, profile=profile, scope=scope, text=text)
    return _serialise(root)


@lru_cache(maxsize=_KEPT_DOCUMENTS)
def question_bank(quiz: Quiz, *, scope: str = "", media: tuple[MediaFile, ...] = ()) -> bytes:
    """The questions of ``quiz`` as a QTI 1.2 ``objectbank`` (Canvas item flavour).

    The SCORM targets ship it beside the SCO as a non-launchable ``imsqti_xmlv1p2``
    resource, so that the questions can be imported into an LMS question bank.
    Valid against the full QTI 1.2 schema and the CC 1.1 QTI profile.
    """
    root = _document_root(Profile.CANVAS)
    bank = _sub(root, "objectbank", attrib={"ident": bank_ident(quiz, scope)})
    _qtimetadata(bank, [("bank_title", quiz.title)])
    text = TextRenderer(TEXT_STYLES[Profile.CANVAS], media)
    for question in quiz.questions:
        add_item(bank, quiz, question, profile=Profile.CANVAS, scope=scope, text=text)
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


def _sub(parent: etree._Element, local: str, text: str | None = None,
         attrib: dict[str, str] | None = None) -> etree._Element:
    """Append the QTI element ``local`` to ``parent``, with its text and attributes."""
    element = etree.SubElement(parent, _QTI + local, attrib)
    if text is not None:
        element.text = text
    return element


# ------------------------------------------------------------------ one item
class ItemShape(NamedTuple):
    """What decides which elements an item has. Items of one shape differ only in strings."""

    profile: Profile
    kind: QuestionKind
    shuffle: bool
    #: per choice: is it correct, has it feedback
    choices: tuple[tuple[bool, bool], ...]
    explanation: bool
    correct_feedback: bool
    incorrect_feedback: bool


class ItemValues(NamedTuple):
    """Every string of an item that its shape does not fix; Markdown already rendered to HTML."""

    ident: str
    title: str
    #: the ``fieldentry`` of each of the profile's ``_ITEM_FIELDS``
    metadata: tuple[str, ...]
    stem: str
    #: per choice: its ``response_label`` ident, its text, its feedback
    labels: tuple[str, ...]
    choices: tuple[str, ...]
    choice_feedback: tuple[str, ...]
    explanation: str
    correct_feedback: str
    incorrect_feedback: str


#: the item metadata fields per profile (their entries are ``ItemValues.metadata``)
_ITEM_FIELDS = {
    # cc_weighting becomes the question's mark in Moodle (integer 0-99);
    # points_possible is what Canvas's standard-cartridge importer reads
    Profile.CC: ("cc_profile", "cc_weighting", "points_possible"),
    Profile.CANVAS: ("question_type", "points_possible", "original_answer_ids", "assessment_question_identifierref"),
}


def add_item(parent: etree._Element, quiz: Quiz, question: Question, *, profile: Profile,
             scope: str = "", text: TextRenderer | None = None) -> etree._Element:
    """Append one ``item`` to ``parent``: metadata, stem and choices, response processing, feedback.

    ``text`` writes the question's texts (default: the profile's style, no image files).
    The item is a filled-in copy of the one built first for its shape (``element_template``).
    """
    text = text or TextRenderer(TEXT_STYLES[profile])
    item = _ITEMS.fill(item_shape(quiz, question, profile), item_values(quiz, question, profile, scope, text))
    parent.append(item)
    return item


def item_shape(quiz: Quiz, question: Question, profile: Profile) -> ItemShape:
    return ItemShape(
        profile=profile,
        kind=question.kind,
        shuffle=quiz.shuffle.choices,
        choices=tuple((choice.correct, bool(choice.feedback)) for choice in question.choices),
        explanation=bool(question.explanation),
        correct_feedback=bool(question.feedback.correct),
        incorrect_feedback=bool(question.feedback.incorrect),
    )


def item_values(quiz: Quiz, question: Question, profile: Profile, scope: str,
                text: TextRenderer | None = None) -> ItemValues:
    text = text or TextRenderer(TEXT_STYLES[profile])

    def html(markdown: str) -> str:
        return text.inline(markdown, quiz.images)

    labels = choice_labels(question, profile, scope)
    points = f"{float(question.points)}"
    if profile is Profile.CC:
        metadata = (CC_PROFILES[question.kind], str(question.points), points)
    else:
        metadata = (
            CANVAS_QUESTION_TYPES[question.kind],
            points,
            ",".join(labels[c.id] for c in question.choices),
            stable_id("aq_", scope, quiz.id, question.id),
        )
    return ItemValues(
        ident=item_ident(quiz, question, scope),
        title=question_name(question),
        metadata=metadata,
        stem=html(question.stem),
        labels=tuple(labels[c.id] for c in question.choices),
        choices=tuple(html(c.text) for c in question.choices),
        choice_feedback=tuple(html(c.feedback) for c in question.choices),
        explanation=html(question.explanation),
        correct_feedback=html(question.feedback.correct),
        incorrect_feedback=html(question.feedback.incorrect),
    )


# ------------------------------------------------------------------ item layout
# These functions lay an item out from its shape and strings alone: they run once per
# shape, with markers for strings (see element_template), so they branch on ``shape``
# only and place strings as they are.
def layout_item(shape: ItemShape, values: ItemValues, parent: etree._Element | None = None) -> etree._Element:
    """The ``item`` element, built directly (under ``parent``, or standalone)."""
    if parent is None:
        parent = etree.Element(_QTI + "section", nsmap={None: QTI_NS})
    item = _sub(parent, "item", attrib={"ident": values.ident, "title": values.title})
    _qtimetadata(_sub(item, "itemmetadata"), zip(_ITEM_FIELDS[shape.profile], values.metadata, strict=True))
    _presentation(item, shape, values)
    resprocessing = _sub(item, "resprocessing")
    _sub(_sub(resprocessing, "outcomes"), "decvar", attrib=_SCORE_VARIABLE)
    _conditions(resprocessing, shape, values)
    _item_feedback(item, shape, values)
    return item


_ITEMS: TemplateCache[ItemShape, ItemValues] = TemplateCache(layout_item)


def _presentation(item: etree._Element, shape: ItemShape, values: ItemValues) -> None:
    presentation = _sub(item, "presentation")
    _material(presentation, values.stem)
    cardinality = "Multiple" if shape.kind is QuestionKind.MULTIPLE else "Single"
    response = _sub(presentation, "response_lid", attrib={"ident": RESPONSE_IDENT, "rcardinality": cardinality})
    render_choice = _sub(response, "render_choice", attrib={"shuffle": "Yes" if shape.shuffle else "No"})
    for label, text in zip(values.labels, values.choices, strict=True):
        _material(_sub(render_choice, "response_label", attrib={"ident": label}), text)


def _conditions(resprocessing: etree._Element, shape: ItemShape, values: ItemValues) -> None:
    if shape.explanation:
        _sub(_condition(resprocessing, "Yes", feedback=GENERAL_FEEDBACK), "other")
    if shape.profile is Profile.CANVAS:
        _canvas_conditions(resprocessing, shape, values)
    else:
        _cc_conditions(resprocessing, shape, values)


def _canvas_conditions(resprocessing: etree._Element, shape: ItemShape, values: ItemValues) -> None:
    """Canvas export order: answer feedback (continue), then the one scoring condition."""
    for label, (_, has_feedback) in zip(values.labels, shape.choices, strict=True):
        if has_feedback:
            _varequal(_condition(resprocessing, "Yes", feedback=feedback_ident(label)), label)
    scoring = _condition(resprocessing, "No", score=True,
                         feedback=CORRECT_FEEDBACK if shape.correct_feedback else None)
    _correct_response(scoring, shape, values)
    if shape.incorrect_feedback:
        # reached only when the scoring condition above did not stop processing
        _sub(_condition(resprocessing, "Yes", feedback=INCORRECT_FEEDBACK), "other")


def _cc_conditions(resprocessing: etree._Element, shape: ItemShape, values: ItemValues) -> None:
    """Moodle-safe order: each answer's score and feedback in one condition."""
    multiple = shape.kind is QuestionKind.MULTIPLE
    if multiple:
        # scoring first and continuing, so that the answer feedback below is still shown
        _correct_response(_condition(resprocessing, "Yes", score=True), shape, values, case=True)
    for label, (correct, has_feedback) in zip(values.labels, shape.choices, strict=True):
        score = correct and not multiple
        if score or has_feedback:
            feedback = feedback_ident(label) if has_feedback else None
            _varequal(_condition(resprocessing, "No", score=score, feedback=feedback), label, case=True)


def _correct_response(test: etree._Element, shape: ItemShape, values: ItemValues, *, case: bool = False) -> None:
    if shape.kind is not QuestionKind.MULTIPLE:
        (correct,) = (label for label, (right, _) in zip(values.labels, shape.choices, strict=True) if right)
        _varequal(test, correct, case=case)
        return
    # all correct choices selected and no other: the 'and' is needed to be valid CC QTI
    every = _sub(test, "and")
    for label, (correct, _) in zip(values.labels, shape.choices, strict=True):
        _varequal(every if correct else _sub(every, "not"), label, case=case)


def _condition(
    resprocessing: etree._Element, continue_: str, *, score: bool = False, feedback: str | None = None
) -> etree._Element:
    """Append a ``respcondition``; returns its ``conditionvar``, for the caller to add the test to."""
    condition = _sub(resprocessing, "respcondition", attrib={"continue": continue_})
    test = _sub(condition, "conditionvar")
    if score:
        _sub(condition, "setvar", "100", _SET_SCORE)
    if feedback:
        _sub(condition, "displayfeedback", attrib={"feedbacktype": "Response", "linkrefid": feedback})
    return test


def _varequal(test: etree._Element, label: str, *, case: bool = False) -> None:
    _sub(test, "varequal", label, _VAREQUAL_CASE if case else _VAREQUAL)


def _item_feedback(item: etree._Element, shape: ItemShape, values: ItemValues) -> None:
    if shape.explanation:
        _feedback(item, GENERAL_FEEDBACK, values.explanation)
    # Moodle's cartridge importer would merge question-level feedback into an answer's
    # or the general feedback, so only the Canvas profile carries it
    if shape.profile is Profile.CANVAS and shape.correct_feedback:
        _feedback(item, CORRECT_FEEDBACK, values.correct_feedback)
    if shape.profile is Profile.CANVAS and shape.incorrect_feedback:
        _feedback(item, INCORRECT_FEEDBACK, values.incorrect_feedback)
    for label, html, (_, has_feedback) in zip(values.labels, values.choice_feedback, shape.choices, strict=True):
        if has_feedback:
            _feedback(item, feedback_ident(label), html)


def _feedback(item: etree._Element, ident: str, html: str) -> None:
    _material(_sub(_sub(item, "itemfeedback", attrib={"ident": ident}), "flow_mat"), html)


def _material(parent: etree._Element, html: str) -> None:
    _sub(_sub(parent, "material"), "mattext", html, _HTML_TEXT)


def _qtimetadata(parent: etree._Element, fields: Iterable[tuple[str, str]]) -> None:
    metadata = _sub(parent, "qtimetadata")
    for label, entry in fields:
        field = _sub(metadata, "qtimetadatafield")
        _sub(field, "fieldlabel", label)
        _sub(field, "fieldentry", entry)
