"""Independent re-readers that read our packages the way each LMS importer does.

Each follows the rules written down in ``shared/docs/lms-targets.md`` (1.2 Moodle XML,
1.3 Moodle's Common Cartridge converter, 2.1 Canvas's QTI import, 2.2 Canvas's
cartridge import), not our writer: nothing here imports ``srm_package.targets``.
Where an importer silently drops or changes something, the reader does the same,
so that a test comparing its result with the source catches the loss.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import lxml.html as lxml_html
from lxml import etree

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
NS = {"q": QTI}


class ImportFailure(Exception):
    """The importer would refuse the question or the file."""


@dataclass
class ReadChoice:
    ident: str
    text: str
    #: score fraction 0..1 as the LMS stores it
    fraction: float
    feedback: str = ""

    @property
    def correct(self) -> bool:
        return self.fraction > 0


@dataclass
class ReadQuestion:
    ident: str
    #: "single", "multiple", "true_false", "matching", "fill_in", "numeric" or "ordering"
    kind: str
    name: str
    stem: str
    points: float
    choices: list[ReadChoice]
    general_feedback: str = ""
    correct_feedback: str = ""
    incorrect_feedback: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    #: matching: (prompt, its right match) in order, and every match offered (distractors too)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    matches: list[str] = field(default_factory=list)
    #: fill-in: the accepted answers of each blank, by the blank's name in the LMS
    blanks: dict[str, list[str]] = field(default_factory=dict)
    case_sensitive: bool = False
    #: per blank (cloze) the marks it is worth
    blank_marks: dict[str, float] = field(default_factory=dict)
    #: numeric: the answer and the lowest and highest number accepted
    numeric: tuple[float, float, float] | None = None
    #: ordering: the items in their right order
    order: list[str] = field(default_factory=list)


# ===================================================================== Canvas QTI
_CANVAS_KINDS = {
    "multiple_choice_question": "single",
    "multiple_answers_question": "multiple",
    "true_false_question": "true_false",
}
# Canvas classifies question-level feedback by its ident, before anything else
_INCORRECT_FB = re.compile(r"wrong|incorrect|_IC$", re.IGNORECASE)
_CORRECT_FB = re.compile(r"correct|_C$", re.IGNORECASE)
_NEUTRAL_FB = re.compile(r"general_|_all", re.IGNORECASE)


@dataclass
class CanvasGroup:
    """A question group: Canvas asks ``pick_count`` of its questions, each worth ``question_points``."""

    title: str
    pick_count: int
    question_points: float
    #: the idents of its items
    questions: list[str]


@dataclass
class CanvasAssessment:
    ident: str
    title: str
    max_attempts: str
    questions: list[ReadQuestion]
    groups: list[CanvasGroup] = field(default_factory=list)


def read_canvas_qti(document: bytes) -> CanvasAssessment:
    """Read a QTI 1.2 assessment as Canvas's QTI import does (lms-targets 2.1)."""
    root = etree.fromstring(document)
    (assessment,) = root.xpath("q:assessment", namespaces=NS)
    meta = _fields(assessment.xpath("q:qtimetadata/q:qtimetadatafield", namespaces=NS))
    questions = [
        _canvas_item(item) for item in assessment.xpath(".//q:section/q:item", namespaces=NS)
    ]
    return CanvasAssessment(
        ident=assessment.get("ident"),
        title=assessment.get("title"),
        max_attempts=meta.get("cc_maxattempts", ""),
        questions=questions,
        groups=[_canvas_group(section) for section in assessment.xpath(
            ".//q:section[q:selection_ordering/q:selection/q:selection_number]", namespaces=NS)],
    )


def _canvas_group(section: etree._Element) -> CanvasGroup:
    """A section that selects some of its items becomes a question group (lms-targets 2.1)."""
    (selection,) = section.xpath("q:selection_ordering/q:selection", namespaces=NS)
    points = selection.xpath("string(q:selection_extension/q:points_per_item)", namespaces=NS)
    return CanvasGroup(
        title=section.get("title") or "",
        pick_count=int(selection.xpath("string(q:selection_number)", namespaces=NS)),
        question_points=float(points) if points else 1.0,
        questions=[item.get("ident") for item in section.xpath("q:item", namespaces=NS)],
    )


def read_canvas_bank(document: bytes) -> list[ReadQuestion]:
    root = etree.fromstring(document)
    return [_canvas_item(item) for item in root.xpath("q:objectbank/q:item", namespaces=NS)]


def _canvas_item(item: etree._Element) -> ReadQuestion:
    meta = _fields(item.xpath("q:itemmetadata/q:qtimetadata/q:qtimetadatafield", namespaces=NS))
    reader = _CANVAS_READERS.get(meta.get("question_type", ""))
    if reader is not None:
        return reader(item, meta)
    labels = item.xpath(
        "q:presentation/q:response_lid/q:render_choice/q:response_label", namespaces=NS
    )
    original_ids = [x for x in meta.get("original_answer_ids", "").split(",") if x]
    for label in labels:
        if not label.get("ident").isdigit() or label.get("ident") not in original_ids:
            # Canvas then gives the answer a random id: the answer is no longer stable
            raise ImportFailure(f"answer ident {label.get('ident')!r} is not a kept numeric id")
    correct = _canvas_correct_idents(item)
    if not correct:
        raise ImportFailure("couldn't determine the correct answers")
    feedback = _feedback_texts(item)
    question_level = {
        "incorrect": [t for i, t in feedback.items() if _INCORRECT_FB.search(i)],
        "correct": [
            t for i, t in feedback.items() if not _INCORRECT_FB.search(i) and _CORRECT_FB.search(i)
        ],
        "neutral": [
            t
            for i, t in feedback.items()
            if not _INCORRECT_FB.search(i) and not _CORRECT_FB.search(i) and _NEUTRAL_FB.search(i)
        ],
    }
    classified = {
        i for i in feedback if _INCORRECT_FB.search(i) or _CORRECT_FB.search(i) or _NEUTRAL_FB.search(i)
    }
    answer_feedback: dict[str, str] = {}
    for condition in item.xpath("q:resprocessing/q:respcondition", namespaces=NS):
        tests = condition.xpath("q:conditionvar/q:varequal", namespaces=NS)
        for shown in condition.xpath("q:displayfeedback/@linkrefid", namespaces=NS):
            if shown in classified or len(tests) != 1:
                continue
            answer_feedback[tests[0].text] = feedback.get(shown, "")
    kind = _CANVAS_KINDS.get(meta.get("question_type", ""))
    if kind is None:
        kind = "single" if len(correct) == 1 else "multiple"
    points = max(0.0, float(meta.get("points_possible", "1")))
    return ReadQuestion(
        ident=item.get("ident"),
        kind=kind,
        name=item.get("title", ""),
        stem=_text(item, "q:presentation/q:material/q:mattext"),
        points=points,
        choices=[
            ReadChoice(
                ident=label.get("ident"),
                text=_text(label, "q:material/q:mattext"),
                fraction=1.0 if label.get("ident") in correct else 0.0,
                feedback=answer_feedback.get(label.get("ident"), ""),
            )
            for label in labels
        ],
        general_feedback=" ".join(question_level["neutral"]),
        correct_feedback=" ".join(question_level["correct"]),
        incorrect_feedback=" ".join(question_level["incorrect"]),
        extra={"texttype": _first_attr(item, "q:presentation/q:material/q:mattext", "texttype")},
    )


# Canvas's QTI import of the other types, as gems/plugins/qti_exporter reads Canvas's own export
# (Qti::AssociateInteraction "canvas_matching", FillInTheBlank#process_canvas, NumericInteraction,
# the short-answer conditions): what each keeps of an item.
def _canvas_base(item: etree._Element, meta: dict[str, str], kind: str, **parts) -> ReadQuestion:
    feedback = _feedback_texts(item)
    return ReadQuestion(
        ident=item.get("ident"),
        kind=kind,
        name=item.get("title", ""),
        stem=_text(item, "q:presentation/q:material/q:mattext"),
        points=max(0.0, float(meta.get("points_possible", "1"))),
        choices=[],
        general_feedback=feedback.get("general_fb", ""),
        correct_feedback=feedback.get("correct_fb", ""),
        incorrect_feedback=feedback.get("general_incorrect_fb", ""),
        **parts,
    )


def _scored_tests(item: etree._Element, *, adding: bool) -> list[etree._Element]:
    """The varequal tests of the conditions that add to SCORE (``adding``) or set it to more than 0."""
    action = "Add" if adding else "Set"
    found = []
    for condition in item.xpath("q:resprocessing/q:respcondition", namespaces=NS):
        setvars = condition.xpath(f"q:setvar[@action='{action}']", namespaces=NS)
        if setvars and float(setvars[0].text or "0") > 0:
            found += condition.xpath("q:conditionvar/q:varequal", namespaces=NS)
    return found


def _canvas_matching(item: etree._Element, meta: dict[str, str]) -> ReadQuestion:
    """A response_lid per prompt ("response_<answer id>"), the matches as its labels (plain
    text, numeric ids kept), the right match: the varequal of a condition adding to SCORE."""
    original_ids = [x for x in meta.get("original_answer_ids", "").split(",") if x]
    lids = item.xpath("q:presentation/q:response_lid", namespaces=NS)
    matches: dict[str, str] = {}
    for label in lids[0].xpath("q:render_choice/q:response_label", namespaces=NS) if lids else []:
        if not label.get("ident", "").isdigit():
            raise ImportFailure(f"match ident {label.get('ident')!r} is not numeric: Canvas makes up another")
        matches[label.get("ident")] = " ".join(_text(label, "q:material/q:mattext").split())
    right = {test.get("respident"): test.text for test in _scored_tests(item, adding=True)}
    pairs = []
    for lid in lids:
        answer_id = lid.get("ident", "").removeprefix("response_")
        if answer_id not in original_ids:
            raise ImportFailure(f"prompt {lid.get('ident')!r} is not one of the original answer ids")
        if lid.get("ident") not in right or right[lid.get("ident")] not in matches:
            raise ImportFailure(f"prompt {lid.get('ident')!r} has no right match")
        pairs.append((_text(lid, "q:material/q:mattext"), matches[right[lid.get("ident")]]))
    return _canvas_base(item, meta, "matching", pairs=pairs, matches=list(matches.values()))


def _canvas_short_answer(item: etree._Element, meta: dict[str, str]) -> ReadQuestion:
    answers = [test.text or "" for test in _scored_tests(item, adding=False)]
    if not answers:
        raise ImportFailure("a short answer question without accepted answers")
    # Canvas compares answers trimmed and lower-cased (Quizzes::QuizQuestion::ShortAnswerQuestion)
    return _canvas_base(item, meta, "fill_in", blanks={"": answers})


def _canvas_fill_in_blanks(item: etree._Element, meta: dict[str, str]) -> ReadQuestion:
    """Every label of a blank's response_lid is an accepted answer (weight 100), whatever the conditions."""
    blanks = {}
    for lid in item.xpath("q:presentation/q:response_lid", namespaces=NS):
        blank = lid.get("ident", "").removeprefix("response_")
        blanks[blank] = [_text(label, "q:material/q:mattext")
                         for label in lid.xpath("q:render_choice/q:response_label", namespaces=NS)]
    question = _canvas_base(item, meta, "fill_in", blanks=blanks)
    for blank in blanks:
        if f"[{blank}]" not in question.stem:
            raise ImportFailure(f"blank [{blank}] is not in the question text")
    return question


def _canvas_numerical(item: etree._Element, meta: dict[str, str]) -> ReadQuestion:
    """An exact answer (varequal under or) with a margin (varlte minus it), as NumericInteraction reads it."""
    exact = item.xpath("q:resprocessing/q:respcondition/q:conditionvar/q:or/q:varequal", namespaces=NS)
    upper = item.xpath("q:resprocessing/q:respcondition/q:conditionvar/q:or/q:and/q:varlte", namespaces=NS)
    lower = item.xpath("q:resprocessing/q:respcondition/q:conditionvar/q:or/q:and/q:vargte", namespaces=NS)
    if not exact:
        raise ImportFailure("a numerical question without an exact answer")
    answer = float(exact[0].text)
    margin = float(upper[0].text) - answer if upper else 0.0
    if lower and abs((answer - float(lower[0].text)) - margin) > 1e-9:
        raise ImportFailure("Canvas keeps one margin: the range must be the same on both sides")
    return _canvas_base(item, meta, "numeric", numeric=(answer, answer - margin, answer + margin))


_CANVAS_READERS = {
    "matching_question": _canvas_matching,
    "short_answer_question": _canvas_short_answer,
    "fill_in_multiple_blanks_question": _canvas_fill_in_blanks,
    "numerical_question": _canvas_numerical,
}


def _canvas_correct_idents(item: etree._Element) -> set[str]:
    """Idents selected by a ``continue="No"`` condition that sets a positive SCORE."""
    correct: set[str] = set()
    for condition in item.xpath("q:resprocessing/q:respcondition", namespaces=NS):
        if condition.get("continue", "No") != "No":
            continue
        scores = [
            float(s.text)
            for s in condition.xpath("q:setvar[@varname='SCORE' or not(@varname)]", namespaces=NS)
        ]
        if not scores or max(scores) <= 0:
            continue
        correct.update(
            v.text
            for v in condition.xpath(".//q:varequal[not(parent::q:not)]", namespaces=NS)
        )
    return correct


# ============================================================ Moodle: CC 1.1 quiz
_CC_KINDS = {
    "cc.multiple_choice.v0p1": "single",
    "cc.multiple_response.v0p1": "multiple",
    "cc.true_false.v0p1": "true_false",
}


@dataclass
class MoodleQuiz:
    title: str
    max_attempts: int
    questions: list[ReadQuestion]


def read_cc_quiz_as_moodle(document: bytes, title: str = "") -> MoodleQuiz:
    """Read a CC QTI assessment as Moodle's cartridge converter does (lms-targets 1.3)."""
    root = etree.fromstring(document)
    meta = _fields(root.xpath("/q:questestinterop/q:assessment/q:qtimetadata/q:qtimetadatafield", namespaces=NS))
    attempts = meta.get("cc_maxattempts", "").strip()
    attempts = "0" if attempts == "unlimited" else attempts
    questions = []
    # only items directly under assessment/section are read
    for item in root.xpath("/q:questestinterop/q:assessment/q:section/q:item", namespaces=NS):
        question = _moodle_cc_item(root, item)
        if question is not None:
            questions.append(question)
    return MoodleQuiz(title=title, max_attempts=int(attempts or 0), questions=questions)


def _moodle_cc_item(root: etree._Element, item: etree._Element) -> ReadQuestion | None:
    ident = item.get("ident", "")
    profile = ""
    for f in item.xpath("q:itemmetadata/q:qtimetadata/q:qtimetadatafield", namespaces=NS):
        if _text(f, "q:fieldlabel") == "cc_profile":
            profile = _text(f, "q:fieldentry")
    if profile == "cc.fib.v0p1":
        return _moodle_cc_fib(item)
    kind = _CC_KINDS.get(profile)
    if kind is None:
        return None  # an item without a known cc_profile is silently dropped
    flow = item.xpath("q:presentation/q:flow/q:material/q:mattext", namespaces=NS)
    stems = flow or item.xpath("q:presentation/q:material/q:mattext", namespaces=NS)
    grade = 1
    weights = item.xpath(
        ".//q:qtimetadatafield[q:fieldlabel='cc_weighting']/q:fieldentry", namespaces=NS
    )
    if weights:
        value = _php_int(weights[0].text or "")
        if 0 <= value <= 99:
            grade = value
    conditions = item.xpath("q:resprocessing/q:respcondition", namespaces=NS)
    labels = item.xpath(
        "q:presentation/q:response_lid/q:render_choice/q:response_label", namespaces=NS
    ) or item.xpath(
        "q:presentation/q:flow/q:response_lid/q:render_choice/q:response_label", namespaces=NS
    )
    multi_correct: dict[str, bool] = {}
    multi_score = 0.0
    if kind == "multiple":
        found = item.xpath(
            ".//q:setvar[@varname='SCORE'][.=100]/../q:conditionvar//q:varequal[@case='Yes'][not(parent::q:not)]",
            namespaces=NS,
        )
        if found:
            multi_score = round(1.0 / len(found), 7)
            multi_correct = {v.text: True for v in found}
    choices = []
    for label in labels:
        answer_ident = label.get("ident", "")
        score = _moodle_cc_score(conditions, answer_ident)
        if kind == "multiple" and answer_ident in multi_correct:
            score = multi_score
        choices.append(
            ReadChoice(
                ident=answer_ident,
                text=_text(label, "q:material/q:mattext"),
                fraction=score,
                feedback=_moodle_cc_feedback(item, conditions, answer_ident),
            )
        )
    if kind == "true_false" and sorted(c.ident for c in choices) != ["false", "true"]:
        raise ImportFailure("Unknown answer identifier detected in true/false quiz question")
    general = []
    for condition in conditions:
        if condition.get("continue", "").lower() == "yes":
            general += condition.xpath("q:displayfeedback/@linkrefid", namespaces=NS)
    return ReadQuestion(
        ident=ident,
        kind=kind,
        name=item.get("title", ""),
        stem=(stems[0].text or "") if stems else "",
        points=float(grade),
        choices=choices,
        general_feedback="".join(_moodle_feedback_text(item, f) for f in general),
    )


def _moodle_cc_fib(item: etree._Element) -> ReadQuestion:
    """cc.fib → Moodle shortanswer: the direct varequal children of the first condition setting
    SCORE to 100 are the right answers, compared ignoring case (entity11.quiz get_answers_fib)."""
    scoring = item.xpath("q:resprocessing/q:respcondition[q:setvar[.='100']]", namespaces=NS)
    answers = [v.text or "" for v in scoring[0].xpath("q:conditionvar/q:varequal", namespaces=NS)] if scoring else []
    weights = item.xpath(".//q:qtimetadatafield[q:fieldlabel='cc_weighting']/q:fieldentry", namespaces=NS)
    return ReadQuestion(
        ident=item.get("ident", ""),
        kind="fill_in",
        name=item.get("title", ""),
        stem=_text(item, "q:presentation/q:material/q:mattext"),
        points=float(_php_int(weights[0].text or "")) if weights else 1.0,
        choices=[],
        blanks={"": [a for a in answers if a]},
        case_sensitive=False,
    )


def _moodle_cc_score(conditions: list[etree._Element], answer_ident: str) -> float:
    # the last condition whose first varequal names the answer decides; PHP empty() on setvar
    score = ""
    for condition in conditions:
        tests = condition.xpath("q:conditionvar/q:varequal", namespaces=NS)
        first = (tests[0].text or "") if tests else ""
        if first.lower() == answer_ident.lower():
            setvars = condition.xpath("q:setvar", namespaces=NS)
            score = (setvars[0].text or "") if setvars else ""
    return 0.0 if score in ("", "0") else 1.0


def _moodle_cc_feedback(item: etree._Element, conditions: list[etree._Element], answer_ident: str) -> str:
    shown: list[str] = []
    for condition in conditions:
        tests = condition.xpath("q:conditionvar/q:varequal", namespaces=NS)
        first = (tests[0].text or "") if tests else ""
        if first.lower() == answer_ident.lower():
            shown += condition.xpath("q:displayfeedback/@linkrefid", namespaces=NS)
    return "".join(_moodle_feedback_text(item, ident) for ident in shown)


def _moodle_feedback_text(item: etree._Element, ident: str) -> str:
    texts = item.xpath(
        "q:itemfeedback[@ident=$ident]/q:flow_mat/q:material/q:mattext", namespaces=NS, ident=ident
    )
    # Moodle appends a space after each feedback text it collects
    return f"{texts[0].text} " if texts and texts[0].text else ""


def _php_int(text: str) -> int:
    match = re.match(r"\s*([+-]?\d+)", text)
    return int(match.group(1)) if match else 0


# ===================================================================== Moodle XML
@dataclass
class MoodleXmlFile:
    categories: list[str]
    #: questions with the category in force when each was read
    questions: list[tuple[str, ReadQuestion]]


def read_moodle_xml(document: bytes) -> MoodleXmlFile:
    """Read a Moodle XML file as question/format/xml does (lms-targets 1.2)."""
    first_line = document.split(b"\n", 1)[0]
    if not first_line.startswith(b"<?xml"):
        raise ImportFailure("the XML declaration must be on the first line")
    document.decode("utf-8")  # must be UTF-8
    root = etree.fromstring(document)
    if root.tag != "quiz":
        raise ImportFailure("the root element must be <quiz>")
    category = ""
    categories: list[str] = []
    questions: list[tuple[str, ReadQuestion]] = []
    for node in root.findall("question"):
        qtype = node.get("type")
        if qtype == "category":
            category = node.findtext("category/text", "")
            categories.append(category)
            continue
        if node.find("name/text") is None:
            raise ImportFailure("question without a name")
        reader = _MOODLE_READERS.get(qtype)
        if reader is None:
            raise ImportFailure(f"unexpected question type {qtype!r}")
        questions.append((category, reader(node)))
    return MoodleXmlFile(categories=categories, questions=questions)


def moodle_bool(text: str | None) -> bool:
    return (text or "").strip() not in ("", "0", "false")


def _moodle_common(node: etree._Element, kind: str, choices: list[ReadChoice]) -> ReadQuestion:
    return ReadQuestion(
        ident=node.findtext("idnumber", ""),
        kind=kind,
        name=node.findtext("name/text", ""),
        stem=node.findtext("questiontext/text", ""),
        points=float(node.findtext("defaultgrade", "1")),
        choices=choices,
        general_feedback=node.findtext("generalfeedback/text", ""),
        correct_feedback=node.findtext("correctfeedback/text", ""),
        incorrect_feedback=node.findtext("incorrectfeedback/text", ""),
        extra={
            "questiontext_format": node.find("questiontext").get("format", ""),
            "penalty": node.findtext("penalty", ""),
            "shuffleanswers": node.findtext("shuffleanswers", ""),
            "single": node.findtext("single", ""),
        },
    )


def _moodle_multichoice(node: etree._Element) -> ReadQuestion:
    single = moodle_bool(node.findtext("single", "true"))
    choices = [
        ReadChoice(
            ident="",
            text=answer.findtext("text", ""),
            fraction=float(answer.get("fraction", "0")) / 100,
            feedback=answer.findtext("feedback/text", ""),
        )
        for answer in node.findall("answer")
    ]
    fractions = [c.fraction for c in choices]
    if single and max(fractions) != 1.0:
        raise ImportFailure("fractionsnomax: a single-answer question needs a 100% answer")
    if not single and round(sum(f for f in fractions if f > 0), 2) != 1.0:
        raise ImportFailure("fractionsaddwrong: the positive grades must add up to 100%")
    return _moodle_common(node, "single" if single else "multiple", choices)


def _moodle_truefalse(node: etree._Element) -> ReadQuestion:
    choices = []
    for answer in node.findall("answer"):
        text = answer.findtext("text", "")
        if text not in ("true", "false"):
            raise ImportFailure(f"true/false answer text must be 'true' or 'false', not {text!r}")
        choices.append(
            ReadChoice(
                ident=text,
                text=text,
                fraction=float(answer.get("fraction", "0")) / 100,
                feedback=answer.findtext("feedback/text", ""),
            )
        )
    return _moodle_common(node, "true_false", choices)


def _moodle_matching(node: etree._Element) -> ReadQuestion:
    """Subquestions with text are the prompts, each with its answer; those without text add
    a wrong answer (import_match). Answers are plain text; Moodle offers each once."""
    pairs, matches = [], []
    for sub in node.findall("subquestion"):
        prompt, match = sub.findtext("text", ""), sub.findtext("answer/text", "")
        if prompt:
            pairs.append((prompt, match))
        if match not in matches:
            matches.append(match)
    if len(pairs) < 2:
        raise ImportFailure("a matching question needs at least two subquestions with text")
    question = _moodle_common(node, "matching", [])
    question.pairs, question.matches = pairs, matches
    return question


def _moodle_shortanswer(node: etree._Element) -> ReadQuestion:
    answers = [a.findtext("text", "").replace("\\*", "*") for a in node.findall("answer")
               if float(a.get("fraction", "0")) == 100]
    question = _moodle_common(node, "fill_in", [])
    question.blanks = {"": answers}
    question.case_sensitive = moodle_bool(node.findtext("usecase", "0"))
    return question


#: a SHORTANSWER cloze code as qtype_multianswer's ANSWER_REGEX reads it (answers end at an
#: unescaped ~ # or }, an "&" of a numeric reference does not end one)
_CLOZE_CODE = re.compile(r"\{([0-9]*):(SHORTANSWER|SA|MW|SHORTANSWER_C|SAC|MWC):((?:[^}\\]|\\.)*)\}")


def _moodle_multianswer(node: etree._Element) -> ReadQuestion:
    """Cloze: each code is a blank worth its number of marks; the question is worth their sum."""
    text = node.findtext("questiontext/text", "")
    blanks, marks, cases = {}, {}, set()
    for number, match in enumerate(_CLOZE_CODE.finditer(text), 1):
        weight, kind, body = match.groups()
        answers = []
        for alternative in re.split(r"(?<![\\&])~", body):
            if alternative.startswith("="):
                answer = html.unescape(alternative[1:]).replace("\\}", "}").replace("\\#", "#")
                answers.append(answer.replace("\\*", "*"))
        blanks[str(number)] = answers
        marks[str(number)] = float(weight or "1")
        cases.add(kind in ("SHORTANSWER_C", "SAC", "MWC"))
    if not blanks:
        raise ImportFailure("a cloze question without answer codes")
    question = _moodle_common(node, "fill_in", [])
    question.blanks, question.blank_marks = blanks, marks
    question.case_sensitive = cases == {True}
    question.points = sum(marks.values())  # import_multianswer reads no defaultgrade
    return question


def _moodle_numerical(node: etree._Element) -> ReadQuestion:
    (answer,) = [a for a in node.findall("answer") if float(a.get("fraction", "0")) == 100]
    value, tolerance = float(answer.findtext("text", "")), float(answer.findtext("tolerance", "0"))
    question = _moodle_common(node, "numeric", [])
    question.numeric = (value, value - tolerance, value + tolerance)
    return question


def _moodle_ordering(node: etree._Element) -> ReadQuestion:
    """The answers in the file's order are the right order (qtype_ordering import_from_xml)."""
    question = _moodle_common(node, "ordering", [])
    question.order = [a.findtext("text", "") for a in node.findall("answer")]
    question.extra["gradingtype"] = node.findtext("gradingtype", "RELATIVE")
    question.extra["selecttype"] = node.findtext("selecttype", "RANDOM")
    return question


_MOODLE_READERS = {
    "multichoice": _moodle_multichoice,
    "truefalse": _moodle_truefalse,
    "matching": _moodle_matching,
    "shortanswer": _moodle_shortanswer,
    "multianswer": _moodle_multianswer,
    "numerical": _moodle_numerical,
    "ordering": _moodle_ordering,
}


# ====================================================================== helpers
def _fields(fields: list[etree._Element]) -> dict[str, str]:
    return {_text(f, "q:fieldlabel"): _text(f, "q:fieldentry") for f in fields}


def _text(node: etree._Element, path: str) -> str:
    found = node.xpath(path, namespaces=NS)
    return (found[0].text or "") if found else ""


def _first_attr(node: etree._Element, path: str, attr: str) -> str:
    found = node.xpath(path, namespaces=NS)
    return found[0].get(attr, "") if found else ""


def _feedback_texts(item: etree._Element) -> dict[str, str]:
    return {
        fb.get("ident"): _text(fb, "q:flow_mat/q:material/q:mattext")
        for fb in item.xpath("q:itemfeedback", namespaces=NS)
    }


# ========================================================= packages (zip entries)
CANVAS_NS = {"c": "http://canvas.instructure.com/xsd/cccv1p0"}
_CANVAS_META_TEXT = ("title", "description", "quiz_type", "scoring_policy")
_CANVAS_META_VALUES = ("points_possible", "allowed_attempts", "shuffle_answers", "show_correct_answers", "available")


def _local(node: etree._Element, path: str) -> list[etree._Element]:
    """Namespace-blind lookup, like Canvas's CSS selectors: ``path`` is a '/'-joined list of local names."""
    steps = "/".join(f"*[local-name()='{step}']" for step in path.split("/"))
    return node.xpath(steps)


def _local_text(node: etree._Element, path: str) -> str | None:
    found = _local(node, path)
    return (found[0].text or "") if found else None


def identify_canvas_package(manifest: bytes) -> str:
    """Canvas's package identification for a zip with ``imsmanifest.xml`` (lms-targets 2.2)."""
    root = etree.fromstring(manifest)
    schema = _local_text(root, "metadata/schema") or ""
    if re.search(r"IMS(?: Thin)? Common Cartridge", schema, re.IGNORECASE):
        flags = root.xpath("//*[local-name()='resource'][@href='course_settings/canvas_export.txt']")
        if flags:
            return "canvas_cartridge"
        version = _local_text(root, "metadata/schemaversion")
        return {"1.0.0": "cc_1_0", "1.1.0": "cc_1_1", "1.2.0": "cc_1_2", "1.3.0": "cc_1_3"}.get(version or "", "")
    types = root.xpath("//*[local-name()='resource']/@type")
    if any(t.startswith(("imsqti", "ims_qti")) for t in types):
        return "qti"
    return "unknown_ims_cp_package"


def _canvas_quiz_meta(document: bytes) -> dict[str, str]:
    root = etree.fromstring(document)
    meta = {name: root.findtext(f"c:{name}", None, CANVAS_NS) for name in _CANVAS_META_TEXT + _CANVAS_META_VALUES}
    meta["identifier"] = root.get("identifier")
    assignment = root.find("c:assignment", CANVAS_NS)
    meta["assignment_points"] = assignment.findtext("c:points_possible", None, CANVAS_NS) if assignment is not None else None
    return {k: v for k, v in meta.items() if v is not None}


def _apply_quiz_meta(entries: dict[str, bytes], manifest: etree._Element, quizzes: dict[str, CanvasAssessment]) -> dict[str, dict[str, str]]:
    """Canvas applies ``<ident>/assessment_meta.xml`` listed in a learning-application resource."""
    metas: dict[str, dict[str, str]] = {}
    for resource in manifest.xpath("//*[local-name()='resource']"):
        if not resource.get("type", "").endswith("learning-application-resource"):
            continue
        for href in resource.xpath("*[local-name()='file']/@href"):
            if not href.endswith("assessment_meta.xml"):
                continue
            for ident in quizzes:
                if href == f"{ident}/assessment_meta.xml":
                    metas[ident] = _canvas_quiz_meta(entries[href])
    return metas


@dataclass
class CanvasImport:
    package_type: str
    quizzes: dict[str, CanvasAssessment]
    quiz_meta: dict[str, dict[str, str]]
    #: wiki pages by migration id: (title, workflow_state)
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: modules: (title, [(content_type, identifierref, title, workflow_state)])
    modules: list[tuple[str, list[tuple[str, str, str, str]]]] = field(default_factory=list)


def read_canvas_qti_zip(entries: dict[str, bytes]) -> CanvasImport:
    """Canvas's QTI zip import: QTI resources, then their assessment_meta (lms-targets 2.1)."""
    manifest = etree.fromstring(entries["imsmanifest.xml"])
    quizzes: dict[str, CanvasAssessment] = {}
    for resource in manifest.xpath("//*[local-name()='resource']"):
        if not resource.get("type", "").startswith(("imsqti", "ims_qti")):
            continue
        (href,) = resource.xpath("*[local-name()='file']/@href")
        quiz = read_canvas_qti(entries[href])
        quizzes[quiz.ident] = quiz
    return CanvasImport(
        package_type=identify_canvas_package(entries["imsmanifest.xml"]),
        quizzes=quizzes,
        quiz_meta=_apply_quiz_meta(entries, manifest, quizzes),
    )


def read_cartridge_as_canvas(entries: dict[str, bytes]) -> CanvasImport:
    """Canvas's cartridge importer (lms-targets 2.2): wiki_content/, non_cc_assessments/, module_meta."""
    manifest = etree.fromstring(entries["imsmanifest.xml"])
    quizzes = {}
    for name in sorted(entries):
        if name.startswith("non_cc_assessments/") and name.endswith(".xml.qti"):
            quiz = read_canvas_qti(entries[name])
            quizzes[quiz.ident] = quiz
    pages = {}
    for name in sorted(entries):
        if name.startswith("wiki_content/"):
            page = lxml_html.document_fromstring(entries[name])
            meta = {m.get("name"): m.get("content") for m in page.iter("meta") if m.get("name")}
            pages[meta.get("identifier", "")] = (page.findtext(".//title") or "", meta.get("workflow_state", ""))
    modules = []
    settings = entries.get("course_settings/module_meta.xml")
    if settings is not None:
        root = etree.fromstring(settings)
        for module in root.findall("c:module", CANVAS_NS):
            items = [
                tuple(item.findtext(f"c:{name}", "", CANVAS_NS) for name in ("content_type", "identifierref", "title", "workflow_state"))
                for item in module.iterfind(".//c:item", CANVAS_NS)
            ]
            modules.append((module.findtext("c:title", "", CANVAS_NS), items))
    return CanvasImport(
        package_type=identify_canvas_package(entries["imsmanifest.xml"]),
        quizzes=quizzes,
        quiz_meta=_apply_quiz_meta(entries, manifest, quizzes),
        pages=pages,
        modules=modules,
    )


@dataclass
class MoodleActivity:
    #: "page", "quiz", "file", "url"...
    kind: str
    title: str
    resource: str
    quiz: MoodleQuiz | None = None
    page_html: str = ""


@dataclass
class MoodleCourse:
    title: str
    #: sections in order (number = index): (summary, activities)
    sections: list[tuple[str, list[MoodleActivity]]]


CC11_MARK = "xmlns=http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"


def read_cartridge_as_moodle(entries: dict[str, bytes]) -> MoodleCourse:
    """Moodle's imscc11 converter (lms-targets 1.3): version sniffing, sections, activities."""
    manifest_bytes = entries["imsmanifest.xml"]
    sniffed = re.sub(r"[\s\"']", "", manifest_bytes[:500].decode("utf-8", "replace").lower())
    if CC11_MARK not in sniffed:
        raise ImportFailure("not detected as Common Cartridge 1.1")
    cc = {"imscc": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1", "lomimscc": "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"}
    manifest = etree.fromstring(manifest_bytes)
    if manifest.xpath("/imscc:manifest/*[local-name()='authorizations']", namespaces=cc):
        raise ImportFailure("protected cartridges are rejected")
    resources = {r.get("identifier"): r for r in manifest.xpath("/imscc:manifest/imscc:resources/imscc:resource", namespaces=cc)}
    title = "".join(manifest.xpath("/imscc:manifest/imscc:metadata/lomimscc:lom/lomimscc:general/lomimscc:title/lomimscc:string/text()", namespaces=cc))
    sections = []
    roots = manifest.xpath("/imscc:manifest/imscc:organizations/imscc:organization/imscc:item", namespaces=cc)
    for root_item in roots:
        # depth 2: each item becomes a section, the first one section 0
        for topic in root_item.xpath("imscc:item", namespaces=cc):
            summary = "" if topic.get("identifierref") else topic.findtext(f"{{{cc['imscc']}}}title", "")
            activities = []
            for node in [topic, *topic.xpath(".//imscc:item", namespaces=cc)]:
                ref = node.get("identifierref")
                if not ref:
                    continue
                activities.append(_moodle_activity(entries, resources, node.findtext(f"{{{cc['imscc']}}}title", ""), ref, cc))
            sections.append((summary, activities))
    return MoodleCourse(title=title or "Untitled Course", sections=sections)


def _moodle_activity(entries: dict[str, bytes], resources: dict, title: str, ref: str, cc: dict[str, str]) -> MoodleActivity:
    resource = resources.get(ref)
    if resource is None:
        return MoodleActivity("label", title, ref)
    kind = resource.get("type")
    files = resource.xpath("imscc:file/@href", namespaces=cc)
    if kind == "imsqti_xmlv1p2/imscc_xmlv1p1/assessment":
        quiz = read_cc_quiz_as_moodle(entries[files[0]], title=title)  # the first file is the QTI
        return MoodleActivity("quiz", title, ref, quiz=quiz)
    if kind == "webcontent" and (resource.get("href") or "").endswith((".html", ".htm", ".xhtml")):
        href = resource.get("href")
        html = entries[href].decode("utf-8")
        return MoodleActivity("page", title, ref, page_html=html)
    return MoodleActivity("file", title, ref)


def relative_links(html: str) -> list[str]:
    """The relative ``src``/``href`` values of a page (Moodle copies these files along)."""
    page = lxml_html.document_fromstring(html)
    links = [v for el in page.iter() for k, v in el.attrib.items() if k in ("src", "href")]
    return [v for v in links if not re.match(r"[a-z]+:|#|/", v)]


# ======================================================================= images
def html_images(html: str) -> list[str]:
    """The ``src`` of every ``<img>`` in an HTML fragment (a question text, a page)."""
    if "<img" not in html:
        return []
    return [img.get("src", "") for img in lxml_html.fragment_fromstring(html, create_parent="div").iter("img")]


def moodle_embedded_files(holder: etree._Element) -> dict[str, bytes]:
    """The files Moodle's XML import stores with one text (``import_text_with_files``):
    the ``<file encoding="base64">`` children of the element holding that ``<text>``."""
    import base64

    return {file.get("name", ""): base64.b64decode(file.text or "") for file in holder.findall("file")
            if file.get("encoding") == "base64"}


def canvas_file_for(entries: dict[str, bytes], src: str) -> str | None:
    """The package file Canvas's importer links an image to (lms-targets 2.1, docs/targets.md):
    ``$IMS-CC-FILEBASE$/<path>`` or a plain path, matched whole or by its end."""
    from urllib.parse import unquote

    path = unquote(src)
    path = re.sub(r"^\$IMS[-_]CC[-_]FILEBASE\$/", "", path)
    parts = [part for part in path.split("/") if part not in ("", ".", "..")]
    while parts:  # "a/b/c.png", then "b/c.png", then "c.png"
        candidate = "/".join(parts)
        matches = sorted(name for name in entries if name == candidate or name.endswith("/" + candidate))
        if matches:
            return matches[0]
        parts = parts[1:]
    return None


def moodle_cc_file_for(entries: dict[str, bytes], src: str, base: str) -> str | None:
    """The cartridge file Moodle's converter links an image to: the path relative to the
    folder ``base`` of the page or QTI file, ``$IMS-CC-FILEBASE$`` removed (entities.class.php)."""
    import posixpath

    path = posixpath.normpath(posixpath.join(base, src.replace("$IMS-CC-FILEBASE$", "")))
    return path if path in entries else None
