"""Copy-and-fill templates: a filled copy is exactly what the layout builds directly."""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from srm_package.model import (
    Question,
    QuestionFeedback,
    Quiz,
    Recommendation,
    ScoreBand,
    ShufflePolicy,
)
from srm_package.questions import choice
from srm_package.questions.choice import Choice, Choices
from srm_package.targets import moodle_xml, qti
from srm_package.targets.element_template import ElementTemplate, TemplateCache, flatten, marked
from tests.quiz_courses import native_course


class Pair(NamedTuple):
    name: str
    parts: tuple[str, ...]


def _layout(values: Pair) -> etree._Element:
    root = etree.Element("root", name=values.name)
    etree.SubElement(root, "joined").text = "{" + ",".join(values.parts) + "}_x"
    for part in values.parts:
        etree.SubElement(root, "part", ref=f"{part}_fb").text = part
    return root


def test_flatten_and_marked_keep_the_order_of_the_strings():
    values = Pair("n", ("a", "b"))
    assert flatten(values) == ["n", "a", "b"]
    markers = marked(values)
    assert isinstance(markers, Pair) and len(markers.parts) == 2
    assert len(set(flatten(markers))) == 3


@pytest.mark.parametrize("parts", [("a", "b"), ("{0}", "}{"), ("\ue000" + "1\ue001", ""), ("é & <x>", "日本")])
def test_a_filled_copy_equals_a_direct_build(parts):
    """Braces, marker-like and empty strings land literally, in text and attributes."""
    template = ElementTemplate(_layout, Pair("first", ("x", "y")))
    values = Pair("second", parts)
    assert etree.tostring(template.fill(values)) == etree.tostring(_layout(values))


def test_the_template_is_not_changed_by_filling():
    template = ElementTemplate(_layout, Pair("first", ("x", "y")))
    one = etree.tostring(template.fill(Pair("a", ("1", "2"))))
    template.fill(Pair("b", ("3", "4")))
    assert etree.tostring(template.fill(Pair("a", ("1", "2")))) == one


def test_values_of_another_shape_are_refused():
    template = ElementTemplate(_layout, Pair("first", ("x", "y")))
    with pytest.raises(ValueError, match="3 strings, got 4"):
        template.fill(Pair("n", ("a", "b", "c")))


def test_the_cache_builds_once_per_shape_and_keeps_the_latest():
    built: list[int] = []

    def layout(shape: int, values: Pair) -> etree._Element:
        built.append(shape)
        return _layout(values)

    cache = TemplateCache(layout, size=2)
    for shape in (1, 1, 2, 1, 3, 1):
        cache.fill(shape, Pair(str(shape), ("a",)))
    assert built == [1, 2, 3, 1]  # 1 was the oldest when 3 arrived


# ------------------------------------------------------------- QTI items
# Random text holds no '$' nor '![': the loader lets through only formulas that convert and
# images it found (tests/test_media.py has those); a valid formula is among the samples.
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="$"), max_size=30).filter(
    lambda text: "![" not in text) | st.sampled_from(
    ["", "{0}", "a *b* & <c>", "\ue0003\ue001", "x" * 150, "so $x^2 < y$ and $$\\frac{a}{b}$$"]
)


@st.composite
def questions(draw) -> Question:
    kind = draw(st.sampled_from(choice.TYPE.kinds))
    ids = ["true", "false"] if kind == "true_false" else [f"c{n}" for n in range(draw(st.integers(2, 6)))]
    if kind == "multiple":
        correct = draw(st.lists(st.booleans(), min_size=len(ids), max_size=len(ids)).filter(any))
    else:
        right = draw(st.integers(0, len(ids) - 1))
        correct = [n == right for n in range(len(ids))]
    choices = tuple(
        Choice(id=cid, text=draw(_TEXT), correct=ok, feedback=draw(_TEXT)) for cid, ok in zip(ids, correct, strict=True)
    )
    return Question(
        id=draw(st.sampled_from(["q1", "q-2", "other"])),
        stem=draw(_TEXT),
        response=Choices(kind, choices, draw(st.booleans()) and kind == "multiple"),
        explanation=draw(_TEXT),
        points=draw(st.integers(0, 20)),
        section_id="s",
        feedback=QuestionFeedback(correct=draw(_TEXT), incorrect=draw(_TEXT)),
    )


def _quiz(question: Question, shuffle: bool) -> Quiz:
    return Quiz(
        id="quiz",
        title="Quiz",
        instructions="",
        questions=(question,),
        recommendation=Recommendation(bands=(ScoreBand(0, "Done."),), review=""),
        shuffle=ShufflePolicy(choices=shuffle),
    )


@settings(max_examples=300, deadline=None)
@given(first=questions(), second=questions(), shuffle=st.booleans(), profile=st.sampled_from(list(qti.Profile)))
def test_a_templated_item_equals_the_item_built_directly(first, second, shuffle, profile):
    """Whatever came first for a shape, every item comes out as its direct layout."""
    for question in (first, second):
        quiz = _quiz(question, shuffle)
        parent = etree.Element(f"{{{qti.QTI_NS}}}section", nsmap={None: qti.QTI_NS})
        templated = qti.add_item(parent, quiz, question, profile=profile, scope="course")
        direct = choice.layout_item(
            choice.item_shape(quiz, question, profile), choice.item_values(quiz, question, profile, "course")
        )
        assert etree.tostring(templated) == etree.tostring(direct)


def test_items_of_one_shape_share_a_template_and_differ_in_their_strings():
    quiz = native_course().quizzes[0]
    plain = next(q for q in quiz.questions if q.id == "plain-single")
    other = replace(plain, id="another", stem="Another {stem} & more")
    assert choice.item_shape(quiz, plain, qti.Profile.CANVAS) == choice.item_shape(quiz, other, qti.Profile.CANVAS)
    parent = etree.Element(f"{{{qti.QTI_NS}}}section", nsmap={None: qti.QTI_NS})
    one = qti.add_item(parent, quiz, plain, profile=qti.Profile.CANVAS)
    two = qti.add_item(parent, quiz, other, profile=qti.Profile.CANVAS)
    assert one.get("ident") != two.get("ident")
    assert two.findtext(".//{*}presentation/{*}material/{*}mattext") == "Another {stem} &amp; more"
    assert etree.tostring(one).count(b"<") == etree.tostring(two).count(b"<")


@settings(max_examples=200, deadline=None)
@given(first=questions(), second=questions(), shuffle=st.booleans())
def test_a_templated_moodle_question_equals_the_question_built_directly(first, second, shuffle):
    for question in (first, second):
        quiz = _quiz(question, shuffle)
        root = etree.Element("quiz")
        texts = moodle_xml.Texts()
        choice.TYPE.moodle_question(root, quiz, question, texts)
        values, files = choice.moodle_values(quiz, question, texts)
        shape = choice.MoodleShape(question.kind, len(question.response.choices), files)
        direct = choice.layout_moodle(shape, values)

        assert etree.tostring(root[0]) == etree.tostring(direct)
