"""Ordering questions: source rules, every target's form, and Move up / Move down on the page."""

from __future__ import annotations

from dataclasses import replace

import pytest
from playwright.sync_api import expect

from srm_package.model import ShufflePolicy
from srm_package.questions.base import Form, Unsupported
from srm_package.questions.ordering import TYPE, Ordering
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
from tests.questions.drivers import arrange
from tests.questions.pages import open_all_types
from tests.quiz_courses import course_of, lesson_of
from tests.quiz_pages import write_site

CONTRACT = """\
- id: order-layers
  type: ordering
  section: of-the-cloud
  stem: Order from the most to the least managed service.
  items: [Amazon S3, Amazon RDS, Amazon EC2]
"""


# ------------------------------------------------------------------ sources
def test_the_contract_example_loads(tmp_path):
    assert loaded(tmp_path, CONTRACT).response == Ordering(("Amazon S3", "Amazon RDS", "Amazon EC2"), False)


@pytest.mark.parametrize("old, new, expected", [
    ("[Amazon S3, Amazon RDS, Amazon EC2]", "[Amazon S3]",
     [(12, "questions[0].items", "needs at least 2 items; found 1")]),
    ("[Amazon S3, Amazon RDS, Amazon EC2]", "[Amazon S3, Amazon RDS, '**Amazon S3**']",
     [(12, "questions[0].items[2]", "'Amazon S3' is given twice (first at line 12)")]),
    ("items:", "item:", [(12, "questions[0].item", "unknown key 'item' (did you mean 'items'?); expected one of: "
                          "id, type, section, points, stem, explanation, feedback, items, partial_credit"),
                         (8, "questions[0].items", "missing required field 'items'")]),
], ids=["one item", "repeated item", "typo"])
def test_mistakes_are_located(tmp_path, old, new, expected):
    assert problems(tmp_path, CONTRACT.replace(old, new)) == expected


@pytest.mark.parametrize("count", [2, 3, 5, 9])
def test_the_page_never_starts_in_the_right_order(count):
    items = tuple(f"Item {n}" for n in range(count))
    source = question("order-layers")
    for n in range(40):
        shuffled = TYPE.start_order(replace(source, id=f"order-{n}", response=Ordering(items)))
        assert sorted(shuffled) == list(range(count)) and shuffled != list(range(count))
        # the same question always starts the same way, so pages are byte-identical
        assert shuffled == TYPE.start_order(replace(source, id=f"order-{n}", response=Ordering(items)))


# ------------------------------------------------------------------ targets
def test_canvas_gets_a_matching_question_of_positions():
    for read in (canvas_question("order-layers"), cc_canvas_question("order-layers"), bank_question("order-layers")):
        assert read.kind == "matching"
        assert read.pairs == [("1", "Amazon S3"), ("2", "Amazon RDS"), ("3", "Amazon EC2")]
        assert read.incorrect_feedback == "S3 is fully managed; EC2 is the least."
    changes = TYPE.carry(question("order-layers"), Form.QTI_CANVAS).changes
    assert changes[0].startswith("Canvas has no ordering type: it is written as a matching question")
    assert "partial credit" in changes[1]
    assert len(TYPE.carry(question("order-stack"), Form.QTI_CANVAS).changes) == 1


def test_moodle_gets_an_ordering_question_graded_as_the_source_says():
    layers, stack = moodle_question("order-layers"), moodle_question("order-stack")
    assert layers.order == ["Amazon S3", "Amazon RDS", "Amazon EC2"]
    assert (layers.extra["gradingtype"], stack.extra["gradingtype"]) == ("ALL_OR_NOTHING", "ABSOLUTE_POSITION")
    assert layers.extra["selecttype"] == "ALL" and stack.points == 2.0


def test_the_cartridge_quiz_leaves_it_out():
    assert not [q for q in cc_moodle_questions() if q.name.startswith("Order")]
    assert TYPE.carry(question("order-layers"), Form.QTI_CC) == Unsupported("Common Cartridge 1.1 has no ordering type")


# --------------------------------------------------------------------- page
def order_of(box) -> list[str]:
    return [text.strip() for text in box.locator(".order-text").all_inner_texts()]


def test_moving_by_keyboard_keeps_focus_and_says_where_the_item_went(offline_page):
    page = open_all_types(offline_page)
    box = page.locator("#q-order-layers")
    start = order_of(box)
    assert start != ["Amazon S3", "Amazon RDS", "Amazon EC2"]
    # the first item's Move up is disabled: Tab reaches its Move down first
    down = box.locator("li[data-item]").first.get_by_role("button", name="Move down")
    expect(box.locator("li[data-item]").first.get_by_role("button", name="Move up")).to_be_disabled()
    down.focus()
    moved = start[0]
    page.keyboard.press("Enter")
    assert order_of(box) == [start[1], start[0], start[2]]
    expect(box.locator("[data-order-status]")).to_have_text(f"{moved}: now number 2 of 3.")
    # focus stays on the moved item's Move down button
    focused = page.evaluate("document.activeElement.closest('li').querySelector('.order-text').textContent")
    assert focused == moved
    assert page.evaluate("document.activeElement.dataset.move") == "down"
    page.keyboard.press("Space")
    assert order_of(box) == [start[1], start[2], start[0]]
    # at the bottom its Move down is disabled, so focus moves to its Move up
    assert page.evaluate("document.activeElement.dataset.move") == "up"
    assert page.evaluate("document.activeElement.closest('li').querySelector('.order-text').textContent") == moved
    expect(box.locator("[data-order-status]")).to_have_text(f"{moved}: now number 3 of 3.")


def test_checking_marks_each_item_and_gives_the_right_places(offline_page):
    page = open_all_types(offline_page)
    box = page.locator("#q-order-stack")
    arrange(box, [0, 1, 3, 2])
    box.get_by_role("button", name="Check order").click()
    expect(box.locator("[data-verdict]:visible")).to_have_text("Partly correct: 1 of 2 points")
    expect(box.locator("li.is-right")).to_have_count(2)
    expect(box.locator("li.is-wrong [data-correct-part]")).to_have_text(["Belongs at number 4", "Belongs at number 3"])
    expect(box.locator("[data-move]:visible")).to_have_count(0)


def test_shuffled_quizzes_start_each_attempt_in_another_wrong_order(offline_page, tmp_path):
    source = question("order-stack")
    lesson = lesson_of("ordering", 1, (source,), sections=("in-the-cloud",),
                       shuffle=ShufflePolicy(choices=True))
    site = write_site(course_of(lesson), "none", tmp_path / "site")
    seen = set()
    for _ in range(6):
        offline_page.open(site)
        order = tuple(order_of(offline_page.page.locator("#q-order-stack")))
        assert order != source.response.items
        seen.add(order)
    assert len(seen) > 1
