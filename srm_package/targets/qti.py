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

Question text is inline Markdown rendered to HTML once (``markup.inline_html``)
and stored as ``mattext`` text, so lxml escapes it exactly once.
"""

from __future__ import annotations

from enum import Enum

from lxml import etree
from lxml.builder import ElementMaker

from srm_package.markup import inline_html
from srm_package.model import Question, QuestionKind, Quiz
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

E = ElementMaker(namespace=QTI_NS, nsmap={None: QTI_NS, "xsi": XSI_NS})


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
def assessment_document(quiz: Quiz, *, profile: Profile, scope: str = "") -> bytes:
    """A ``questestinterop`` with one assessment holding every question of ``quiz``."""
    metadata = []
    if profile is Profile.CC:
        metadata += [
            ("cc_profile", "cc.exam.v0p1"),
            ("qmd_assessmenttype", "Examination"),
            ("qmd_scoretype", "Percentage"),
        ]
    attempts = "unlimited" if quiz.max_attempts is None else str(quiz.max_attempts)
    metadata.append(("cc_maxattempts", attempts))
    assessment = E.assessment(
        _qtimetadata(metadata),
        E.section(
            *(build_item(quiz, q, profile=profile, scope=scope) for q in quiz.questions),
            ident=ROOT_SECTION,
        ),
        ident=assessment_ident(quiz, scope),
        title=quiz.title,
    )
    return _document(assessment, profile)


def question_bank(quiz: Quiz, *, scope: str = "") -> bytes:
    """The questions of ``quiz`` as a QTI 1.2 ``objectbank`` (Canvas item flavour).

    The SCORM targets ship it beside the SCO as a non-launchable ``imsqti_xmlv1p2``
    resource, so that the questions can be imported into an LMS question bank.
    Valid against the full QTI 1.2 schema and the CC 1.1 QTI profile.
    """
    bank = E.objectbank(
        _qtimetadata([("bank_title", quiz.title)]),
        *(build_item(quiz, q, profile=Profile.CANVAS, scope=scope) for q in quiz.questions),
        ident=bank_ident(quiz, scope),
    )
    return _document(bank, Profile.CANVAS)


def _document(child: etree._Element, profile: Profile) -> bytes:
    root = E.questestinterop(child)
    root.set(f"{{{XSI_NS}}}schemaLocation", _SCHEMA_LOCATION[profile])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ------------------------------------------------------------------ one item
def build_item(quiz: Quiz, question: Question, *, profile: Profile, scope: str = "") -> etree._Element:
    """One ``item``: metadata, stem and choices, response processing, feedback."""
    labels = choice_labels(question, profile, scope)
    return E.item(
        E.itemmetadata(_qtimetadata(_item_metadata(quiz, question, profile, labels, scope))),
        _presentation(question, labels, shuffle=quiz.shuffle.choices),
        E.resprocessing(
            E.outcomes(
                E.decvar(maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
            ),
            *_conditions(question, labels, profile),
        ),
        *_item_feedback(question, labels, profile),
        ident=item_ident(quiz, question, scope),
        title=question_name(question),
    )


def _item_metadata(
    quiz: Quiz, question: Question, profile: Profile, labels: dict[str, str], scope: str
) -> list[tuple[str, str]]:
    points = f"{float(question.points)}"
    if profile is Profile.CC:
        # cc_weighting becomes the question's mark in Moodle (integer 0-99);
        # points_possible is what Canvas's standard-cartridge importer reads
        return [
            ("cc_profile", CC_PROFILES[question.kind]),
            ("cc_weighting", str(question.points)),
            ("points_possible", points),
        ]
    return [
        ("question_type", CANVAS_QUESTION_TYPES[question.kind]),
        ("points_possible", points),
        ("original_answer_ids", ",".join(labels[c.id] for c in question.choices)),
        ("assessment_question_identifierref", stable_id("aq_", scope, quiz.id, question.id)),
    ]


def _presentation(question: Question, labels: dict[str, str], *, shuffle: bool) -> etree._Element:
    cardinality = "Multiple" if question.kind is QuestionKind.MULTIPLE else "Single"
    return E.presentation(
        _material(question.stem),
        E.response_lid(
            E.render_choice(
                *(
                    E.response_label(_material(choice.text), ident=labels[choice.id])
                    for choice in question.choices
                ),
                shuffle="Yes" if shuffle else "No",
            ),
            ident=RESPONSE_IDENT,
            rcardinality=cardinality,
        ),
    )


def _conditions(question: Question, labels: dict[str, str], profile: Profile) -> list[etree._Element]:
    conditions = []
    if question.explanation:
        conditions.append(_condition("Yes", E.other(), feedback=GENERAL_FEEDBACK))
    if profile is Profile.CANVAS:
        conditions += _canvas_conditions(question, labels)
    else:
        conditions += _cc_conditions(question, labels)
    return conditions


def _canvas_conditions(question: Question, labels: dict[str, str]) -> list[etree._Element]:
    """Canvas export order: answer feedback (continue), then the one scoring condition."""
    conditions = [
        _condition("Yes", _varequal(labels[c.id]), feedback=feedback_ident(labels[c.id]))
        for c in question.choices
        if c.feedback
    ]
    conditions.append(
        _condition("No", _correct_response(question, labels), score=True,
                   feedback=CORRECT_FEEDBACK if question.feedback.correct else None)
    )
    if question.feedback.incorrect:
        # reached only when the scoring condition above did not stop processing
        conditions.append(_condition("Yes", E.other(), feedback=INCORRECT_FEEDBACK))
    return conditions


def _cc_conditions(question: Question, labels: dict[str, str]) -> list[etree._Element]:
    """Moodle-safe order: each answer's score and feedback in one condition."""
    conditions = []
    multiple = question.kind is QuestionKind.MULTIPLE
    if multiple:
        # scoring first and continuing, so that the answer feedback below is still shown
        conditions.append(_condition("Yes", _correct_response(question, labels, case=True), score=True))
    for choice in question.choices:
        label = labels[choice.id]
        score = choice.correct and not multiple
        if score or choice.feedback:
            conditions.append(
                _condition(
                    "No",
                    _varequal(label, case=True),
                    score=score,
                    feedback=feedback_ident(label) if choice.feedback else None,
                )
            )
    return conditions


def _correct_response(question: Question, labels: dict[str, str], *, case: bool = False) -> etree._Element:
    if question.kind is not QuestionKind.MULTIPLE:
        (correct,) = question.correct_choices
        return _varequal(labels[correct.id], case=case)
    # all correct choices selected and no other: the 'and' is needed to be valid CC QTI
    parts = [
        _varequal(labels[c.id], case=case) if c.correct else E("not", _varequal(labels[c.id], case=case))
        for c in question.choices
    ]
    return E("and", *parts)


def _condition(
    continue_: str, test: etree._Element, *, score: bool = False, feedback: str | None = None
) -> etree._Element:
    condition = E.respcondition(E.conditionvar(test), {"continue": continue_})
    if score:
        condition.append(E.setvar("100", action="Set", varname="SCORE"))
    if feedback:
        condition.append(E.displayfeedback(feedbacktype="Response", linkrefid=feedback))
    return condition


def _varequal(label: str, *, case: bool = False) -> etree._Element:
    element = E.varequal(label, respident=RESPONSE_IDENT)
    if case:
        element.set("case", "Yes")
    return element


def _item_feedback(question: Question, labels: dict[str, str], profile: Profile) -> list[etree._Element]:
    feedback = []
    if question.explanation:
        feedback.append(_feedback(GENERAL_FEEDBACK, question.explanation))
    # Moodle's cartridge importer would merge question-level feedback into an answer's
    # or the general feedback, so only the Canvas profile carries it
    if profile is Profile.CANVAS and question.feedback.correct:
        feedback.append(_feedback(CORRECT_FEEDBACK, question.feedback.correct))
    if profile is Profile.CANVAS and question.feedback.incorrect:
        feedback.append(_feedback(INCORRECT_FEEDBACK, question.feedback.incorrect))
    feedback += [
        _feedback(feedback_ident(labels[c.id]), c.feedback) for c in question.choices if c.feedback
    ]
    return feedback


def _feedback(ident: str, markdown: str) -> etree._Element:
    return E.itemfeedback(E.flow_mat(_material(markdown)), ident=ident)


def _material(markdown: str) -> etree._Element:
    return E.material(E.mattext(inline_html(markdown), texttype="text/html"))


def _qtimetadata(fields: list[tuple[str, str]]) -> etree._Element:
    return E.qtimetadata(
        *(E.qtimetadatafield(E.fieldlabel(label), E.fieldentry(entry)) for label, entry in fields)
    )
