"""The shared QTI 1.2 writer: schema validity, importer-style re-reading, escaping, stability."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import combinations
from pathlib import Path

import pytest
from lxml import etree

from srm_package.markup import inline_html
from srm_package.model import Course, Question, Quiz
from srm_package.questions.choice import choice_labels
from srm_package.targets import qti
from srm_package.targets.qti import Profile
from srm_package.targets.scorm_manifest import question_banks
from tests.importers import (
    ImportFailure,
    ReadQuestion,
    read_canvas_bank,
    read_canvas_qti,
    read_cc_quiz_as_moodle,
)
from tests.quiz_courses import TRICKY, native_course

QTI_FULL = "qti12/domainProfile_4/ims_qtiasiv1p2.xsd"
QTI_CC = "cc11/ccv1p1_qtiasiv1p2p1_v1p0.xsd"
IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def _schema(schemas: Path, rel: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(schemas / rel)))


def assert_valid(schemas: Path, rel: str, document: bytes) -> None:
    schema = _schema(schemas, rel)
    if not schema.validate(etree.fromstring(document)):
        raise AssertionError("\n".join(f"line {e.line}: {e.message}" for e in schema.error_log))


@pytest.fixture(params=["seed", "native"])
def course(request, seed_course) -> Course:
    return seed_course if request.param == "seed" else native_course()


def _quizzes(course: Course) -> tuple[Quiz, ...]:
    assert course.quizzes, "the course needs a quiz"
    return course.quizzes


def _html(markdown: str) -> str:
    return inline_html(markdown)


# ------------------------------------------------------------------ schemas
@pytest.mark.parametrize("profile", list(Profile))
def test_assessment_valid_against_full_qti_and_cc_profile(schemas, course, profile):
    for quiz in _quizzes(course):
        document = qti.assessment_document(quiz, profile=profile, scope=course.id)
        assert_valid(schemas, QTI_FULL, document)
        assert_valid(schemas, QTI_CC, document)


def test_question_bank_valid_against_full_qti_and_cc_profile(schemas, course):
    for quiz in _quizzes(course):
        assert_valid(schemas, QTI_FULL, qti.question_bank(quiz))
        assert_valid(schemas, QTI_CC, qti.question_bank(quiz, scope=course.id))


def test_schema_rejects_a_broken_item(schemas):
    """The validation above can fail: an unknown rcardinality is refused."""
    quiz = native_course().quizzes[0]
    document = qti.assessment_document(quiz, profile=Profile.CC).replace(
        b'rcardinality="Single"', b'rcardinality="Several"', 1
    )
    with pytest.raises(AssertionError, match="rcardinality"):
        assert_valid(schemas, QTI_FULL, document)


# ------------------------------------------------------------ re-reading
def _expect_common(read: ReadQuestion, question: Question) -> None:
    assert read.stem == _html(question.stem)
    assert [c.text for c in read.choices] == [_html(c.text) for c in question.response.choices]
    assert [c.correct for c in read.choices] == [c.correct for c in question.response.choices]
    assert read.kind == question.kind


def _expect_canvas(read: list[ReadQuestion], quiz: Quiz) -> None:
    """Everything of each question, as Canvas reads the Canvas flavour."""
    assert len(read) == len(quiz.questions)
    for got, question in zip(read, quiz.questions, strict=True):
        _expect_common(got, question)
        assert got.points == question.points
        assert [c.feedback for c in got.choices] == [_html(c.feedback) for c in question.response.choices]
        assert got.general_feedback == _html(question.explanation)
        assert got.correct_feedback == _html(question.feedback.correct)
        assert got.incorrect_feedback == _html(question.feedback.incorrect)
        assert got.extra["texttype"] == "text/html"


def test_canvas_reads_every_question_back(course):
    for quiz in _quizzes(course):
        read = read_canvas_qti(qti.assessment_document(quiz, profile=Profile.CANVAS, scope=course.id))
        assert read.title == quiz.title
        assert read.max_attempts == ("unlimited" if quiz.max_attempts is None else str(quiz.max_attempts))
        _expect_canvas(read.questions, quiz)


def test_canvas_reads_the_question_bank(course):
    for quiz in _quizzes(course):
        _expect_canvas(read_canvas_bank(qti.question_bank(quiz, scope=course.id)), quiz)


def test_the_scorm_bank_names_each_question_and_answer_as_the_canvas_quiz_does(course):
    """Same course, same identifiers: an LMS that has one of them recognises the other."""
    def idents(questions: list[ReadQuestion]) -> list[tuple[str, list[str]]]:
        return [(q.ident, [c.ident for c in q.choices]) for q in questions]

    banks = question_banks(course)
    for quiz, bank in zip(_quizzes(course), banks, strict=True):
        canvas = read_canvas_qti(qti.assessment_document(quiz, profile=Profile.CANVAS, scope=course.id))
        assert idents(read_canvas_bank(bank.content)) == idents(canvas.questions)
    # another course with the same quiz ids gets other identifiers
    other = question_banks(replace(course, id=f"{course.id}-copy"))[0].content
    assert not {q.ident for q in read_canvas_bank(other)} & {q.ident for q in read_canvas_bank(banks[0].content)}


def _moodle_feedback(markdown: str) -> str:
    # Moodle's converter appends a space to every feedback text it collects
    return f"{_html(markdown)} " if markdown else ""


def test_moodle_reads_every_cc_question_back(course):
    for quiz in _quizzes(course):
        read = read_cc_quiz_as_moodle(qti.assessment_document(quiz, profile=Profile.CC, scope=course.id))
        assert read.max_attempts == (quiz.max_attempts or 0)
        assert len(read.questions) == len(quiz.questions), "an item was dropped"
        for got, question in zip(read.questions, quiz.questions, strict=True):
            _expect_common(got, question)
            assert got.points == question.points  # cc_weighting = the question's mark
            assert [c.feedback for c in got.choices] == [_moodle_feedback(c.feedback) for c in question.response.choices]
            # only the explanation is general feedback: no answer feedback leaks into it
            assert got.general_feedback == _moodle_feedback(question.explanation)


def test_moodle_splits_a_multiple_response_score_over_the_correct_answers():
    quiz = native_course().quizzes[0]
    read = read_cc_quiz_as_moodle(qti.assessment_document(quiz, profile=Profile.CC))
    multiple = next(q for q in read.questions if q.kind == "multiple")
    assert [c.fraction for c in multiple.choices] == [0.5, 0.5, 0.0, 0.0]


def test_cc_true_false_labels_are_true_and_false():
    quiz = native_course().quizzes[0]
    read = read_cc_quiz_as_moodle(qti.assessment_document(quiz, profile=Profile.CC))
    true_false = next(q for q in read.questions if q.kind == "true_false")
    assert [c.ident for c in true_false.choices] == ["true", "false"]
    assert [c.fraction for c in true_false.choices] == [1.0, 0.0]


def test_canvas_refuses_an_item_without_a_correct_answer():
    """The re-reader is strict like Canvas: removing the score loses the answer."""
    quiz = native_course().quizzes[0]
    document = qti.assessment_document(quiz, profile=Profile.CANVAS)
    broken = document.replace(b">100</setvar>", b">0</setvar>")
    with pytest.raises(ImportFailure, match="correct answers"):
        read_canvas_qti(broken)


# ------------------------------------------------------------ identifiers
def test_answer_idents_are_numeric_and_never_look_like_question_feedback(course):
    for quiz in _quizzes(course):
        for profile in Profile:
            root = etree.fromstring(qti.assessment_document(quiz, profile=profile, scope=course.id))
            labels = root.xpath("//q:response_label/@ident", namespaces={"q": qti.QTI_NS})
            for label in labels:
                assert not re.search(r"correct|wrong|general_", label, re.IGNORECASE)
                assert label.isdigit() or (profile is Profile.CC and label in ("true", "false"))


def test_identifiers_are_stable_unique_and_safe(course):
    quiz = _quizzes(course)[0]
    root = etree.fromstring(qti.assessment_document(quiz, profile=Profile.CANVAS, scope=course.id))
    idents = root.xpath("//q:assessment/@ident | //q:item/@ident", namespaces={"q": qti.QTI_NS})
    assert len(idents) == len(set(idents)) == len(quiz.questions) + 1
    assert all(IDENT.fullmatch(ident) for ident in idents)
    again = etree.fromstring(qti.assessment_document(quiz, profile=Profile.CC, scope=course.id))
    assert again.xpath("//q:item/@ident", namespaces={"q": qti.QTI_NS}) == idents[1:]
    other = qti.assessment_ident(quiz, scope="another-course")
    assert other != idents[0]


def _forget_built_documents() -> None:
    qti.assessment_document.cache_clear()
    qti.question_bank.cache_clear()


def test_two_builds_are_byte_identical(course):
    for quiz in _quizzes(course):
        first = [qti.assessment_document(quiz, profile=profile, scope=course.id) for profile in Profile]
        bank = qti.question_bank(quiz)
        _forget_built_documents()
        assert first == [qti.assessment_document(quiz, profile=profile, scope=course.id) for profile in Profile]
        assert bank == qti.question_bank(quiz)


def test_a_document_is_built_once_and_shared_by_the_targets_that_ship_it():
    """scorm12 and scorm2004 ship the same banks, canvas-qti and cc the same Canvas assessment."""
    _forget_built_documents()
    quiz = native_course().quizzes[0]
    canvas = qti.assessment_document(quiz, profile=Profile.CANVAS, scope="course")
    assert qti.assessment_document(quiz, profile=Profile.CANVAS, scope="course") is canvas
    assert qti.question_bank(quiz) is qti.question_bank(quiz)
    assert qti.assessment_document.cache_info().hits == 1
    # another scope, profile or quiz is another document
    assert qti.assessment_document(quiz, profile=Profile.CANVAS, scope="other") != canvas
    assert qti.assessment_document(quiz, profile=Profile.CC, scope="course") != canvas
    shuffled = native_course(shuffle_choices=False).quizzes[0]
    assert qti.assessment_document(shuffled, profile=Profile.CANVAS, scope="course") != canvas


# ------------------------------------------------------------ tricky text
@pytest.mark.parametrize("profile", list(Profile))
def test_tricky_text_is_escaped_exactly_once(profile):
    quiz = native_course().quizzes[0]
    document = qti.assessment_document(quiz, profile=profile)
    root = etree.fromstring(document)
    stems = root.xpath("//q:presentation/q:material/q:mattext/text()", namespaces={"q": qti.QTI_NS})
    assert stems[0] == _html(TRICKY)
    assert "&lt;b&gt;bold&lt;/b&gt; &amp;" in stems[0]  # HTML for a literal <b>, once
    assert b"&amp;amp;lt;" not in document  # never escaped twice
    assert "日本語".encode() in document and b"&#" not in document  # UTF-8, no character refs
    assert quiz.title in root.xpath("//q:assessment/@title", namespaces={"q": qti.QTI_NS})


def test_long_explanation_survives_whole():
    quiz = native_course().quizzes[0]
    multiple = next(q for q in quiz.questions if q.kind == "multiple")
    read = read_canvas_qti(qti.assessment_document(quiz, profile=Profile.CANVAS))
    got = next(q for q in read.questions if q.kind == "multiple")
    assert got.general_feedback == _html(multiple.explanation)
    assert len(got.general_feedback) > 5000


@pytest.mark.parametrize("profile", list(Profile))
def test_each_item_has_exactly_one_scoring_condition(course, profile):
    """Canvas needs one SCORE-100 condition per item; more would read as several answers."""
    ns = {"q": qti.QTI_NS}
    for quiz in _quizzes(course):
        root = etree.fromstring(qti.assessment_document(quiz, profile=profile, scope=course.id))
        for item in root.xpath("//q:item", namespaces=ns):
            scoring = item.xpath("q:resprocessing/q:respcondition[q:setvar[. = '100']]", namespaces=ns)
            assert len(scoring) == 1


# ------------------------------------------------------------ scoring, as an importer runs it
def _qti(local: str) -> str:
    return f"{{{qti.QTI_NS}}}{local}"


def _holds(test: etree._Element, chosen: set[str]) -> bool:
    """One QTI 1.2 condition test over the chosen ``response_label`` idents."""
    tag = etree.QName(test).localname
    if tag == "varequal":
        value = (test.text or "").strip()
        if test.get("case", "No") == "Yes":
            return value in chosen
        return value.casefold() in {ident.casefold() for ident in chosen}
    if tag == "not":
        (inner,) = test
        return not _holds(inner, chosen)
    if tag == "and":
        return all(_holds(inner, chosen) for inner in test)
    if tag == "or":
        return any(_holds(inner, chosen) for inner in test)
    if tag == "other":
        return True
    raise AssertionError(f"the evaluator does not know <{tag}>")


def item_score(item: etree._Element, chosen: set[str]) -> float:
    """SCORE after the item's ``resprocessing`` for a learner who chose ``chosen``: conditions
    in order; a condition that holds applies its ``setvar`` and ends processing unless
    ``continue="Yes"``. Independent of how qti.py builds the conditions."""
    resprocessing = item.find(_qti("resprocessing"))
    (decvar,) = resprocessing.iter(_qti("decvar"))
    score = float(decvar.get("defaultval", "0"))
    for condition in resprocessing.iter(_qti("respcondition")):
        (conditionvar,) = condition.iter(_qti("conditionvar"))
        # several tests side by side are read differently by importers: ours never write them
        (test,) = conditionvar
        if not _holds(test, chosen):
            continue
        for setvar in condition.iter(_qti("setvar")):
            assert setvar.get("varname", "SCORE") == "SCORE"
            value = float(setvar.text)
            action = setvar.get("action", "Set")
            score = {"Set": value, "Add": score + value, "Subtract": score - value}[action]
        if condition.get("continue", "No") != "Yes":
            break
    return score


@pytest.mark.parametrize("profile", list(Profile))
def test_only_exactly_the_correct_choices_score(course, profile):
    """Every possible answer to every item, scored the way an importer evaluates the conditions:
    full points only for exactly the correct choices (choosing every option scores 0)."""
    for quiz in _quizzes(course):
        root = etree.fromstring(qti.assessment_document(quiz, profile=profile, scope=course.id))
        for item, question in zip(root.iter(_qti("item")), quiz.questions, strict=True):
            labels = choice_labels(question, profile, course.id)
            correct = {labels[c.id] for c in question.response.choices if c.correct}
            everything = [labels[c.id] for c in question.response.choices]
            if question.kind == "multiple":  # the native course has one
                assert item_score(item, set(everything)) == 0  # every option ticked
                answers = [set(pick) for n in range(len(everything) + 1) for pick in combinations(everything, n)]
            else:
                answers = [{label} for label in everything]
            for answer in answers:
                assert item_score(item, answer) == (100 if answer == correct else 0), (question.id, answer)


def test_the_scoring_evaluator_sees_a_missing_not():
    """The evaluator above is no rubber stamp: with the wrong choices' <not> taken away, every
    option ticked scores 100 and exactly the correct ones 0."""
    quiz = native_course().quizzes[0]
    question = next(q for q in quiz.questions if q.kind == "multiple")
    root = etree.fromstring(qti.assessment_document(quiz, profile=Profile.CANVAS))
    item = list(root.iter(_qti("item")))[quiz.questions.index(question)]
    labels = choice_labels(question, Profile.CANVAS)
    correct = {labels[c.id] for c in question.response.choices if c.correct}
    assert item_score(item, correct) == 100
    for negation in list(item.iter(_qti("not"))):
        (inner,) = negation
        negation.getparent().replace(negation, inner)
    assert item_score(item, set(labels.values())) == 100
    assert item_score(item, correct) == 0


@pytest.mark.parametrize("shuffle", [True, False])
@pytest.mark.parametrize("profile", list(Profile))
def test_choice_shuffling_follows_the_quiz(profile, shuffle):
    quiz = native_course(shuffle_choices=shuffle).quizzes[0]
    root = etree.fromstring(qti.assessment_document(quiz, profile=profile))
    flags = root.xpath("//q:render_choice/@shuffle", namespaces={"q": qti.QTI_NS})
    assert flags == ["Yes" if shuffle else "No"] * len(quiz.questions)


@pytest.mark.parametrize("profile", list(Profile))
def test_feedback_elements_are_there_exactly_for_the_feedback_written(course, profile):
    """No empty feedback for text the source leaves out, none missing, every link resolves."""
    ns = {"q": qti.QTI_NS}
    for quiz in _quizzes(course):
        root = etree.fromstring(qti.assessment_document(quiz, profile=profile, scope=course.id))
        for item, question in zip(root.xpath("//q:item", namespaces=ns), quiz.questions, strict=True):
            labels = choice_labels(question, profile, course.id)
            expected = [qti.GENERAL_FEEDBACK] if question.explanation else []
            if profile is Profile.CANVAS:
                expected += [qti.CORRECT_FEEDBACK] if question.feedback.correct else []
                expected += [qti.INCORRECT_FEEDBACK] if question.feedback.incorrect else []
            expected += [qti.feedback_ident(labels[c.id]) for c in question.response.choices if c.feedback]
            assert item.xpath("q:itemfeedback/@ident", namespaces=ns) == expected
            links = item.xpath(".//q:displayfeedback/@linkrefid", namespaces=ns)
            assert sorted(set(links)) == sorted(expected)
