"""Fill-in-the-blank questions: source rules, every target's form (short answer, several blanks,
Moodle's cloze read back by moodle-xml-parser too), and the boxes in the sentence on the page."""

from __future__ import annotations

import html
import re

import pytest
from lxml import etree
from moodle_xml_parser.cloze_logic import parse_cloze_gap_content
from playwright.sync_api import expect

from srm_package.model import Question
from srm_package.questions.base import Form, Unsupported
from srm_package.questions.fill_in import TYPE, Blank, FillIn
from srm_package.targets import moodle_xml
from tests.importers import read_moodle_xml
from tests.questions.common import (
    bank_question,
    canvas_question,
    cc_canvas_question,
    cc_moodle_questions,
    loaded,
    moodle_document,
    moodle_question,
    problems,
    question,
)
from tests.questions.pages import open_all_types
from tests.quiz_courses import course_of, lesson_of
from tests.quiz_pages import write_site

CONTRACT = """\
- id: fill-of-in
  type: fill_in
  section: of-the-cloud
  stem: AWS is responsible for security [b1] the cloud; the customer for security [b2] the cloud.
  blanks:
    b1: [of]
    b2: [in, inside]
  case_sensitive: false
"""


# ------------------------------------------------------------------ sources
def test_the_contract_example_loads(tmp_path):
    read = loaded(tmp_path, CONTRACT)
    assert read.response == FillIn((Blank("b1", ("of",)), Blank("b2", ("in", "inside"))), False, False)


def test_blanks_come_in_the_order_of_the_stem_and_one_answer_needs_no_list(tmp_path):
    read = loaded(tmp_path, CONTRACT.replace("[b1] the cloud; the customer for security [b2]",
                                             "[b2] the cloud; the customer for security [b1]")
                  .replace("b1: [of]", "b1: of"))
    assert [(b.id, b.answers) for b in read.response.blanks] == [("b2", ("in", "inside")), ("b1", ("of",))]


def test_escaped_brackets_and_links_are_not_blanks(tmp_path):
    read = loaded(tmp_path, CONTRACT.replace("the cloud.", r"the \[cloud\] ([docs](https://aws.amazon.com)).")
                  .replace("the cloud;", "the [cloud](https://aws.amazon.com);"))
    assert [b.id for b in read.response.blanks] == ["b1", "b2"]


@pytest.mark.parametrize("old, new, expected", [
    pytest.param(*case, id=name) for name, case in {
        "unknown blank": ("[b2] the cloud.", "[b3] the cloud.", [
            (11, "questions[0].stem", "the stem has [b3], but blanks has no entry 'b3'; write \\[b3\\] for the "
             "brackets themselves"),
            (14, "questions[0].blanks.b2", "blank 'b2' is not in the stem; write [b2] where the learner types it")]),
        "blank twice": ("[b2] the cloud.", "[b1] the cloud.", [
            (11, "questions[0].stem", "blank [b1] is in the stem 2 times; each blank goes in once"),
            (14, "questions[0].blanks.b2", "blank 'b2' is not in the stem; write [b2] where the learner types it")]),
        "repeated answer": ("b2: [in, inside]", "b2: [in, In]", [
            (14, "questions[0].blanks.b2[1]", "accepted answer 'In' is given twice (first at line 14); answers are "
             "compared ignoring case")]),
        "no answer": ("b2: [in, inside]", "b2: []", [
            (14, "questions[0].blanks.b2", "a blank needs at least one accepted answer")]),
        "bad blank id": ("b2: [in, inside]", "B-2: [in]", [
            (14, "questions[0].blanks.B-2", "invalid blank id 'B-2': use lowercase letters, digits and '_', "
             "starting with a letter, at most 32 characters")]),
        "too long": ("b2: [in, inside]", "b2: [\"" + "x" * 101 + "\"]", [
            (14, "questions[0].blanks.b2[0]", "must be at most 100 characters; found 101")]),
        "two lines": ("b2: [in, inside]", "b2: [\"in\\nside\"]", [
            (14, "questions[0].blanks.b2[0]", "must be one line")]),
        "case_sensitive not a flag": ("case_sensitive: false", "case_sensitive: sometimes", [
            (15, "questions[0].case_sensitive", "expected true or false; found 'sometimes'")]),
    }.items()])
def test_mistakes_in_blanks_are_located(tmp_path, old, new, expected):
    assert problems(tmp_path, CONTRACT.replace(old, new)) == expected


# ------------------------------------------------------------------ targets
def test_one_blank_is_a_short_answer_in_canvas_and_the_cartridge():
    for read in (canvas_question("fill-one"), cc_canvas_question("fill-one"), bank_question("fill-one")):
        assert read.kind == "fill_in"
        assert read.blanks == {"": ["nines", "9s"]}
        assert "eleven ________ of durability" in read.stem
    (moodle,) = [q for q in cc_moodle_questions() if q.kind == "fill_in"]
    assert moodle.blanks == {"": ["nines", "9s"]}


def test_several_blanks_fill_canvas_blanks_named_in_the_text():
    read = canvas_question("fill-of-in")
    assert read.blanks == {"b1": ["of"], "b2": ["in", "inside"]}
    assert "security [b1] the cloud; the customer for security [b2] the cloud." in read.stem
    assert read.points == 2.0


def test_several_blanks_are_left_out_of_the_cartridge_quiz():
    assert len([q for q in cc_moodle_questions() if q.kind == "fill_in"]) == 1
    assert TYPE.carry(question("fill-of-in"), Form.QTI_CC) == Unsupported(
        "Common Cartridge 1.1 has fill-in-the-blank with one blank only")


def test_case_sensitive_blanks_are_reported_where_case_is_ignored():
    changes = TYPE.carry(question("fill-case"), Form.QTI_CANVAS).changes
    assert "Canvas compares answers ignoring case; the source asks for matching case" in changes


def test_moodle_one_blank_is_a_short_answer():
    read = moodle_question("fill-one")
    assert (read.kind, read.blanks, read.case_sensitive) == ("fill_in", {"": ["nines", "9s"]}, False)
    assert "eleven ________ of durability" in read.stem


def test_moodle_several_blanks_are_a_cloze_question():
    read = moodle_question("fill-of-in")
    assert read.blanks == {"1": ["of"], "2": ["in", "inside"]}
    assert read.blank_marks == {"1": 1.0, "2": 1.0} and read.points == 2.0
    case = moodle_question("fill-case")
    assert case.case_sensitive and case.blanks == {"1": ["IAM"], "2": ["Linux", "Windows"]}


def test_moodle_xml_parser_reads_the_same_cloze_gaps():
    """moodle-xml-parser (PyPI) parses cloze gaps on its own (it knows the question type by
    another name, "cloze", so its gap parser is given the question text as it would find it)."""
    root = etree.fromstring(moodle_document())
    (node,) = root.xpath("//question[@type='multianswer'][idnumber='fill-of-in']")
    text = html.unescape(node.findtext("questiontext/text"))
    gaps = [parse_cloze_gap_content(raw) for raw in re.findall(r"\{.*?}", text)]
    assert [(g.sub_type, g.sub_grade) for g in gaps] == [("SHORTANSWER", 1), ("SHORTANSWER", 1)]
    assert [[(o.answer, o.score) for o in g.options] for g in gaps] == [[("of", 100)], [("in", 100), ("inside", 100)]]


def test_cloze_codes_keep_answers_that_look_like_cloze_syntax():
    tricky = ("a~b", "c#d", "e}f", "g*h", "i\\j", "k&l", "<m>", "{1:SA:=x}", "100%")
    blanks = (Blank("b1", tricky[:5]), Blank("b2", tricky[5:]))
    source = Question("tricky", "Type [b1] and [b2] {not a code} {1:MC:=no}.", FillIn(blanks), "", 2, "basics")
    document = moodle_xml.document(course_of(lesson_of("tricky", 1, (source,))))
    ((_, read),) = read_moodle_xml(document).questions
    # every answer comes back as written ("g*h" travels as Moodle's literal asterisk, "g\\*h")
    assert read.blanks == {"1": ["a~b", "c#d", "e}f", "g*h", "i\\j"],
                           "2": ["k&l", "<m>", "{1:SA:=x}", "100%"]}
    assert "&amp;#123;not a code}" in document.decode("utf-8")


def test_points_that_blanks_cannot_share_are_reported():
    changes = TYPE.carry(question("fill-case"), Form.MOODLE_XML).changes
    assert any("worth 2 marks instead of 1" in change for change in changes)
    assert TYPE.carry(question("fill-of-in"), Form.MOODLE_XML).changes == ()


# --------------------------------------------------------------------- page
def test_boxes_sit_in_the_sentence_with_labels(offline_page):
    page = open_all_types(offline_page)
    box = page.locator("#q-fill-of-in")
    sentence = box.locator(".fill-in-sentence")
    expect(sentence).to_contain_text("AWS is responsible for security")
    expect(sentence.get_by_role("textbox")).to_have_count(2)
    first = box.get_by_role("textbox", name="Blank 1 of 2", exact=True)
    assert first.get_attribute("aria-describedby") == "q-fill-of-in--sentence"
    expect(box.locator("legend")).to_contain_text("Fill in the blanks.")


def test_typed_by_keyboard_trimmed_any_case_and_checked_with_enter(offline_page):
    page = open_all_types(offline_page)
    box = page.locator("#q-fill-of-in")
    box.get_by_role("textbox", name="Blank 1 of 2", exact=True).focus()
    page.keyboard.type("  OF ")
    page.keyboard.press("Tab")
    page.keyboard.type("outside")
    page.keyboard.press("Enter")
    expect(box.locator("[data-verdict]:visible")).to_have_text("Partly correct: 1 of 2 points")
    expect(box.locator(".blank.is-right")).to_have_count(1)
    expect(box.locator(".blank.is-wrong [data-correct-part]")).to_have_text("Right answer: in")
    expect(box.locator("input[readonly]")).to_have_count(2)


def test_case_matters_where_the_source_says_so(offline_page):
    page = open_all_types(offline_page)
    box = page.locator("#q-fill-case")
    box.get_by_role("textbox", name="Blank 1 of 2", exact=True).fill("iam")
    box.get_by_role("textbox", name="Blank 2 of 2", exact=True).fill("Linux")
    box.get_by_role("button", name="Check answer").click()
    expect(box.locator("[data-verdict]:visible")).to_have_text("Incorrect")  # no partial credit here
    expect(box.locator(".blank.is-wrong")).to_have_count(1)


def test_empty_boxes_are_not_checked(offline_page):
    page = open_all_types(offline_page)
    box = page.locator("#q-fill-one")
    box.get_by_role("textbox", name="Blank 1 of 1").fill("   ")
    box.get_by_role("button", name="Check answer").click()
    expect(box.locator("[data-need-answer]")).to_be_visible()
    box.get_by_role("textbox", name="Blank 1 of 1").fill("9S")
    box.get_by_role("button", name="Check answer").click()
    expect(box.locator("[data-verdict]:visible")).to_have_text("Correct")


def test_unicode_forms_of_the_same_text_are_the_same_answer(offline_page, tmp_path):
    """"café" typed with a combining accent (NFD) equals the accepted "café" (NFC)."""
    source = Question("accent", "Order a [drink].", FillIn((Blank("drink", ("café",)),)), "", 1, "basics")
    site = write_site(course_of(lesson_of("accent", 1, (source,))), "none", tmp_path / "site")
    offline_page.open(site)
    box = offline_page.page.locator("#q-accent")
    box.get_by_role("textbox", name="Blank 1 of 1").fill("CAFE\u0301")
    box.get_by_role("button", name="Check answer").click()
    expect(box.locator("[data-verdict]:visible")).to_have_text("Correct")
