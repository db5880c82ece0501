"""Answering each question type on the page as a learner would (by role and label), right, wrong
or partly right, and what that answer is worth by the rules of docs/source-format.md.

``answer(root, question, how)`` gives the answer and returns ``Given``: the share of the points
it earns (worked out here from the source, not by the page) and its SCORM responses.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Locator

from srm_package.markup import inline_text
from srm_package.model import Question
from tests.quiz_pages import Root, question_box
from tests.quiz_pages import answer as answer_choices

LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Given:
    """What an answer is worth and how SCORM records it: the learner's response and the right one."""

    fraction: float
    learner12: str
    learner2004: str
    correct12: str
    correct2004: str


def answer(root: Root, question: Question, how: str) -> Given:
    """Answer ``question`` "right", "wrong" or "partial" (partly right, where the type has parts)."""
    return _DRIVERS[question.kind](root, question, how)


def _share(question: Question, right: int, parts: int) -> float:
    """All parts right: 1; else with partial credit right / parts, without it 0."""
    if right == parts:
        return 1.0
    return right / parts if question.response.partial_credit else 0.0


# ------------------------------------------------------------------ choice
def _choice(root: Root, question: Question, how: str) -> Given:
    choices = question.response.choices
    right = [c for c in choices if c.correct]
    wrong = [c for c in choices if not c.correct]
    if how == "right":
        chosen = right
    elif how == "partial":  # multiple: one right choice of several
        chosen = right[:1]
    else:
        chosen = wrong[:1]
    answer_choices(root, question, chosen)
    hits = len([c for c in chosen if c.correct])
    misses = len(chosen) - hits
    if hits == len(right) and not misses:
        fraction = 1.0
    elif question.response.partial_credit:
        fraction = max(0, hits - misses) / len(right)
    else:
        fraction = 0.0
    positions = [choices.index(c) for c in chosen]
    return Given(
        fraction,
        ",".join(LETTERS[p] for p in positions),
        "[,]".join(c.id.replace("-", "_") for c in chosen),
        ",".join(LETTERS[choices.index(c)] for c in right),
        "[,]".join(c.id.replace("-", "_") for c in right),
    )


# ---------------------------------------------------------------- matching
def _matching(root: Root, question: Question, how: str) -> Given:
    response = question.response
    matches = list(dict.fromkeys(pair.match for pair in response.pairs)) + list(response.distractors)
    right = [matches.index(pair.match) for pair in response.pairs]
    chosen = list(right)
    if how != "right":
        # a wrong match for every prompt (for "partial", every one but the first)
        for n in range(1 if how == "partial" else 0, len(chosen)):
            chosen[n] = next(m for m in range(len(matches)) if m != right[n])
    box = question_box(root, question)
    for pair, match in zip(response.pairs, chosen, strict=True):
        box.get_by_role("combobox", name=inline_text(pair.prompt), exact=True).select_option(
            label=inline_text(matches[match]))
    box.get_by_role("button", name="Check answer").click()
    hits = sum(a == b for a, b in zip(chosen, right, strict=True))

    def pairs12(answer: list[int]) -> str:
        return ",".join(f"{LETTERS[p]}.{LETTERS[m]}" for p, m in enumerate(answer))

    def pairs2004(answer: list[int]) -> str:
        return "[,]".join(f"p{p + 1}[.]m{m + 1}" for p, m in enumerate(answer))

    return Given(_share(question, hits, len(right)), pairs12(chosen), pairs2004(chosen), pairs12(right),
                 pairs2004(right))


# ----------------------------------------------------------------- fill in
def _fill_in(root: Root, question: Question, how: str) -> Given:
    blanks = question.response.blanks
    typed = [blank.answers[0] for blank in blanks]
    if how != "right":
        for n in range(1 if how == "partial" else 0, len(typed)):
            typed[n] = "zzz"
    box = question_box(root, question)
    for n, text in enumerate(typed):
        box.get_by_role("textbox", name=f"Blank {n + 1} of {len(blanks)}", exact=True).fill(text)
    box.get_by_role("button", name="Check answer").click()
    hits = sum(text == blank.answers[0] for text, blank in zip(typed, blanks, strict=True))
    first = [blank.answers[0] for blank in blanks]
    prefix = "{case_matters=" + str(question.response.case_sensitive).lower() + "}"
    if len(blanks) > 1:
        prefix += "{order_matters=true}"
    return Given(_share(question, hits, len(blanks)), ",".join(typed), "[,]".join(typed), ",".join(first),
                 prefix + "[,]".join(first))


# ----------------------------------------------------------------- numeric
def _numeric(root: Root, question: Question, how: str) -> Given:
    response = question.response
    number = response.answer if how == "right" else response.answer + 100
    plain = format(number.normalize(), "f")
    # the learner's own decimal separator: a comma where there is a decimal point
    typed = plain.replace(".", ",")
    box = question_box(root, question)
    box.get_by_role("textbox", name="Your answer").fill(typed)
    box.get_by_role("button", name="Check answer").click()
    low, high = (format(value.normalize(), "f") for value in (response.low, response.high))
    answer_text = format(response.answer.normalize(), "f")
    return Given(1.0 if how == "right" else 0.0, plain, plain, answer_text, f"{low}[:]{high}")


# ---------------------------------------------------------------- ordering
def arrange(box: Locator, order: list[int]) -> None:
    """Put the items in ``order`` (positions in the right order) with their Move up buttons only."""
    for place, position in enumerate(order):
        while True:
            shown = [int(x) for x in box.locator("li[data-item]").evaluate_all(
                "rows => rows.map(row => row.dataset.item)")]
            if shown.index(position) <= place:
                break
            box.locator(f'li[data-item="{position}"]').get_by_role("button", name="Move up").click()


def _ordering(root: Root, question: Question, how: str) -> Given:
    count = len(question.response.items)
    right = list(range(count))
    if how == "right":
        order = right
    elif how == "partial":  # the last two swapped: all but two in place
        order = right[:-2] + [right[-1], right[-2]]
    else:  # everything one place on: none in place
        order = right[1:] + right[:1]
    box = question_box(root, question)
    arrange(box, order)
    box.get_by_role("button", name="Check order").click()
    hits = sum(a == b for a, b in zip(order, right, strict=True))
    return Given(_share(question, hits, count), ",".join(LETTERS[p] for p in order),
                 "[,]".join(f"i{p + 1}" for p in order), ",".join(LETTERS[p] for p in right),
                 "[,]".join(f"i{p + 1}" for p in right))


_DRIVERS = {
    "single": _choice,
    "multiple": _choice,
    "true_false": _choice,
    "matching": _matching,
    "fill_in": _fill_in,
    "numeric": _numeric,
    "ordering": _ordering,
}
