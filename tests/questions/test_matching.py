"""Matching questions: source rules, every target's form, and the page widget by keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from srm_package.questions.base import Carried, Form, Unsupported
from srm_package.questions.matching import TYPE, Matching, Pair
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
- id: match-services
  type: matching
  section: in-the-cloud
  stem: Match each service to the party that patches its operating system.
  pairs:
    - prompt: Amazon EC2
      match: The customer
    - prompt: Amazon RDS
      match: AWS
  distractors: [The OS vendor]
"""


# ------------------------------------------------------------------ sources
def test_the_contract_example_loads(tmp_path):
    read = loaded(tmp_path, CONTRACT)
    assert read.kind == "matching"
    assert read.response == Matching(
        (Pair("Amazon EC2", "The customer"), Pair("Amazon RDS", "AWS")), ("The OS vendor",), False)
    assert read.response.matches == ("The customer", "AWS", "The OS vendor")
    assert read.response.answers == (0, 1)
    assert TYPE.partial_credit(read) is False


def test_two_prompts_may_share_a_match():
    shared = question("match-services").response
    assert shared.matches == ("The customer", "AWS", "The OS vendor")
    assert shared.answers == (0, 1, 1)


@pytest.mark.parametrize("changed, expected", [
    ("""\
  pairs:
    - prompt: Amazon EC2
      match: The customer
  distractors: [The OS vendor]
""", [(13, "questions[0].pairs", "a matching question needs at least two pairs; found 1")]),
    ("""\
  pairs:
    - prompt: Amazon EC2
      match: The customer
    - prompt: Amazon *EC2*
      match: AWS
""", [(15, "questions[0].pairs[1].prompt", "prompt 'Amazon EC2' is given twice (first at line 13)")]),
    ("""\
  pairs:
    - prompt: Amazon EC2
      match: The customer
    - prompt: Amazon RDS
      match: AWS
  distractors: [AWS]
""", [(17, "questions[0].distractors[0]", "distractor 'AWS' is also the match of a pair")]),
    ("""\
  pairs:
    - prompt: Amazon EC2
      match: The customer
    - prompt: Amazon RDS
      match: The *customer*
""", [(16, "questions[0].pairs[1].match", "match 'The customer' is written in two ways ('The customer' and "
       "'The *customer*'); matches are shown as plain text, so write it the same way")]),
    ("""\
  pairs:
    - prompt: Amazon EC2
      matches: The customer
    - prompt: Amazon RDS
      match: AWS
""", [(14, "questions[0].pairs[0].matches", "unknown key 'matches' (did you mean 'match'?); expected one of: "
       "prompt, match"),
      (13, "questions[0].pairs[0].match", "missing required field 'match'")]),
    ("""\
  partial_credit: maybe
  pairs:
    - {prompt: Amazon EC2, match: The customer}
    - {prompt: Amazon RDS, match: AWS}
""", [(12, "questions[0].partial_credit", "expected true or false; found 'maybe'")]),
    ("""\
  choices:
    - {id: a, text: A, correct: true}
""", [(12, "questions[0].choices", "unknown key 'choices'; expected one of: id, type, section, points, stem, "
       "explanation, feedback, pairs, distractors, partial_credit"),
      (8, "questions[0].pairs", "missing required field 'pairs'")]),
], ids=["one pair", "repeated prompt", "distractor is a match", "match written twice", "typo in a pair",
        "partial_credit not a flag", "choices on a matching question"])
def test_mistakes_are_located(tmp_path, changed, expected):
    head = "\n".join(CONTRACT.splitlines()[:4]) + "\n"
    assert problems(tmp_path, head + changed) == expected


# ------------------------------------------------------------------ targets
def test_canvas_gets_a_matching_question_with_its_distractor():
    for read in (canvas_question("match-services"), cc_canvas_question("match-services")):
        assert read.kind == "matching"
        assert read.points == 2.0
        assert read.pairs == [("Amazon EC2", "The customer"), ("Amazon RDS", "AWS"), ("AWS Lambda", "AWS")]
        assert read.matches == ["The customer", "AWS", "The OS vendor"]
        assert read.correct_feedback == "All matched."
        assert read.incorrect_feedback == "Think about how managed each service is."
        assert read.general_feedback == "The more managed the service, the more AWS patches."


def test_the_scorm_bank_carries_it_as_canvas_does():
    assert bank_question("match-layers").pairs == canvas_question("match-layers").pairs


def test_moodle_gets_a_matching_question_with_its_distractor():
    read = moodle_question("match-services")
    assert read.kind == "matching"
    assert read.pairs == [("Amazon EC2", "The customer"), ("Amazon RDS", "AWS"), ("AWS Lambda", "AWS")]
    assert read.matches == ["The customer", "AWS", "The OS vendor"]
    assert (read.points, read.extra["penalty"]) == (2.0, "0.3333333")
    assert read.correct_feedback == "All matched."


def test_the_cartridge_quiz_leaves_it_out_and_says_so():
    assert not [q for q in cc_moodle_questions() if q.name.startswith("Match each")]
    assert TYPE.carry(question("match-services"), Form.QTI_CC) == Unsupported(
        "Common Cartridge 1.1 has no matching type")


@pytest.mark.parametrize("form", [Form.QTI_CANVAS, Form.MOODLE_XML])
def test_all_or_nothing_is_reported_where_the_lms_gives_partial_credit(form):
    changes = TYPE.carry(question("match-services"), form).changes
    assert len(changes) == 1 and "partial credit for each right pair" in changes[0]
    assert TYPE.carry(question("match-layers"), form) == Carried()


# --------------------------------------------------------------------- page
def test_options_are_listed_alphabetically_not_in_pair_order(offline_page):
    page = open_all_types(offline_page)
    select = page.get_by_role("combobox", name="Amazon EC2", exact=True)
    assert select.locator("option").all_inner_texts() == ["Choose a match", "AWS", "The customer", "The OS vendor"]


def test_answered_by_keyboard_with_partial_credit(offline_page):
    page = open_all_types(offline_page)
    box = page.locator("#q-match-layers")
    first = box.get_by_role("combobox", name="Physical facilities")
    first.focus()
    for name, presses in (("Physical facilities", 1), ("Customer data", 1), ("Security group rules", 1)):
        focused = box.get_by_role("combobox", name=name)
        expect(focused).to_be_focused()
        for _ in range(presses):  # the first option after "Choose a match": AWS
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
    expect(box.get_by_role("button", name="Check answer")).to_be_focused()
    page.keyboard.press("Enter")
    feedback = box.locator("[data-feedback]")
    expect(feedback).to_be_focused()
    expect(box.locator("[data-verdict]:visible")).to_have_text("Partly correct: 1 of 3 points")
    # each row says whether it is right, and what the right match of a wrong one is
    expect(box.locator(".match-row.is-right")).to_have_count(1)
    expect(box.locator(".match-row.is-wrong [data-correct-part]:visible")).to_have_text(
        ["Right match: The customer", "Right match: The customer"])
    expect(box.locator("select:disabled")).to_have_count(3)


def test_every_list_needs_a_match_before_checking(offline_page):
    page = open_all_types(offline_page)
    box = page.locator("#q-match-services")
    box.get_by_role("combobox", name="Amazon EC2").select_option(label="The customer")
    box.get_by_role("button", name="Check answer").click()
    expect(box.locator("[data-need-answer]")).to_be_visible()
    expect(box.locator("[data-verdict]:visible")).to_have_count(0)
