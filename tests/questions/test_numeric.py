"""Numeric questions: source rules, every target's form, and the number box on the page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from srm_package.questions.base import Form, Unsupported
from srm_package.questions.numeric import TYPE, Numeric
from tests.questions.common import (
    bank_question,
    canvas_question,
    cc_canvas_question,
    cc_moodle_questions,
    loaded,
    moodle_question,
    problems,
    question,
)
from tests.questions.pages import open_all_types

CONTRACT = """\
- id: nines
  type: numeric
  section: durability
  stem: How many nines of durability does S3 Standard offer?
  answer: 11
  tolerance: 0
"""


# ------------------------------------------------------------------ sources
def test_the_contract_example_loads(tmp_path):
    assert loaded(tmp_path, CONTRACT).response == Numeric(Decimal(11), Decimal(0))


@pytest.mark.parametrize("written, answer, tolerance", [
    ("answer: 3.5\n  tolerance: 0.25", "3.5", "0.25"),
    ("answer: -0.125", "-0.125", "0"),
    ("answer: '42'", "42", "0"),
    ("answer: .5", "0.5", "0"),
])
def test_numbers_are_kept_exactly(tmp_path, written, answer, tolerance):
    read = loaded(tmp_path, CONTRACT.replace("answer: 11\n  tolerance: 0", written)).response
    assert (read.answer, read.tolerance) == (Decimal(answer), Decimal(tolerance))


@pytest.mark.parametrize("old, new, expected", [
    ("answer: 11", "answer: eleven",
     [(12, "questions[0].answer", "expected a number written plainly, such as 11, -2 or 3.5; found 'eleven'")]),
    ("answer: 11", "answer: 1e3",
     [(12, "questions[0].answer", "expected a number written plainly, such as 11, -2 or 3.5; found '1e3'")]),
    ("answer: 11", "answer: 1234567890.1234567",
     [(12, "questions[0].answer", "at most 15 digits; found '1234567890.1234567'")]),
    ("tolerance: 0", "tolerance: -1", [(13, "questions[0].tolerance", "must be 0 or more; found -1")]),
    ("  answer: 11\n", "", [(8, "questions[0].answer", "missing required field 'answer'")]),
    ("tolerance: 0", "partial_credit: true",
     [(13, "questions[0].partial_credit", "unknown key 'partial_credit'; expected one of: id, type, section, "
       "points, stem, explanation, feedback, answer, tolerance")]),
], ids=["words", "exponent", "too many digits", "negative tolerance", "no answer", "no partial credit"])
def test_mistakes_are_located(tmp_path, old, new, expected):
    assert problems(tmp_path, CONTRACT.replace(old, new)) == expected


# ------------------------------------------------------------------ targets
def test_canvas_gets_an_exact_answer_with_its_margin():
    for read in (canvas_question("half-life"), cc_canvas_question("half-life"), bank_question("half-life")):
        assert (read.kind, read.numeric, read.points) == ("numeric", (3.5, 3.25, 3.75), 2.0)
    assert canvas_question("nines").numeric == (11.0, 11.0, 11.0)


def test_moodle_gets_a_numerical_question_with_its_tolerance():
    read = moodle_question("half-life")
    assert (read.kind, read.numeric, read.points) == ("numeric", (3.5, 3.25, 3.75), 2.0)


def test_the_cartridge_quiz_leaves_it_out():
    assert not [q for q in cc_moodle_questions() if q.kind == "numeric"]
    assert TYPE.carry(question("nines"), Form.QTI_CC) == Unsupported("Common Cartridge 1.1 has no numeric type")


# --------------------------------------------------------------------- page
@pytest.mark.parametrize("typed, verdict", [
    ("3,5", "Correct"), ("3.5", "Correct"), (" 3,75 ", "Correct"), ("+3.25", "Correct"), ("3.76", "Incorrect"),
    ("−3.5", "Incorrect"),
])
def test_either_decimal_separator_is_read(offline_page, typed, verdict):
    page = open_all_types(offline_page)
    box = page.locator("#q-half-life")
    field = box.get_by_role("textbox", name="Your answer")
    field.fill(typed)
    field.press("Enter")
    expect(box.locator("[data-verdict]:visible")).to_have_text(verdict)
    if verdict == "Incorrect":
        expect(box.locator("[data-correct-part]")).to_have_text("Right answer: 3.5 (from 3.25 to 3.75)")


@pytest.mark.parametrize("typed", ["eleven", "1,2.3", "", "3,5,1", "1e3"])
def test_what_is_not_a_number_is_refused_not_graded(offline_page, typed):
    page = open_all_types(offline_page)
    box = page.locator("#q-nines")
    box.get_by_role("textbox", name="Your answer").fill(typed)
    box.get_by_role("button", name="Check answer").click()
    expect(box.locator("[data-need-answer]")).to_have_text(
        "Enter a number, such as 12, 3.5 or 3,5, then choose “Check answer”.")
    expect(box.locator("[data-verdict]:visible")).to_have_count(0)
    box.get_by_role("textbox", name="Your answer").fill("11")
    box.get_by_role("button", name="Check answer").click()
    expect(box.locator("[data-verdict]:visible")).to_have_text("Correct")
    expect(box.locator("[data-need-answer]")).to_be_hidden()
