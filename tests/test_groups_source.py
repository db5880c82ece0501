"""Question groups (pools) in a quiz file: what the loader accepts and how it says what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from srm_package import model
from srm_package.loader import load_course
from tests.test_loader import QUIZ, QUIZ_FILE, problems_of, write_course

#: two more single-answer questions like q-one, so that a group has something to draw from
MORE_QUESTIONS = "".join(f"""\
  - id: q-{name}
    section: basics
    stem: Pick one of {name}.
    choices:
      - id: a
        text: Right
        correct: true
      - id: b
        text: Wrong
""" for name in ("three", "four"))


def quiz_with(groups: str, *, questions: str = MORE_QUESTIONS) -> str:
    return QUIZ + questions + groups


def group_problems(tmp_path: Path, groups: str, **kwargs: str) -> list[tuple[str, int, str, str]]:
    return problems_of(write_course(tmp_path, {QUIZ_FILE: quiz_with(groups, **kwargs)}))


def test_a_group_is_read_with_the_questions_an_attempt_asks_and_its_points(tmp_path: Path) -> None:
    root = write_course(tmp_path, {QUIZ_FILE: quiz_with(
        "groups:\n  - id: pool\n    pick: 2\n    questions: [q-one, q-three, q-four]\n")})
    (quiz,) = load_course(root).course.quizzes
    assert quiz.groups == (model.QuestionGroup("pool", 2, ("q-one", "q-three", "q-four")),)
    assert quiz.groups[0].source.line == 48
    assert [q.id for q in quiz.always_asked] == ["q-two"]
    assert quiz.asked == 3
    assert quiz.points == 3 and quiz.all_points == 4
    assert quiz.group_of(quiz.questions[2]) is quiz.groups[0]
    assert quiz.group_of(quiz.questions[1]) is None


def test_a_quiz_without_groups_asks_every_question(tmp_path: Path) -> None:
    (quiz,) = load_course(write_course(tmp_path, {QUIZ_FILE: quiz_with("")})).course.quizzes
    assert quiz.groups == () and quiz.asked == 4 and quiz.points == quiz.all_points == 4


@pytest.mark.parametrize(("groups", "expected"), [
    ("groups:\n  - id: pool\n    pick: 4\n    questions: [q-one, q-three, q-four]\n",
     [(QUIZ_FILE, 49, "groups[0].pick", "pick is 4 but the group has 3 questions; pick at most 3")]),
    ("groups:\n  - id: pool\n    pick: 0\n    questions: [q-one, q-three]\n",
     [(QUIZ_FILE, 49, "groups[0].pick", "must be at least 1; found 0")]),
    ("groups:\n  - id: pool\n    questions: [q-one, q-three]\n",
     [(QUIZ_FILE, 48, "groups[0].pick", "missing required field 'pick'")]),
    ("groups:\n  - id: pool\n    pick: 1\n    questions: [q-one, q-thre]\n",
     [(QUIZ_FILE, 50, "groups[0].questions[1]", "no question 'q-thre' in this quiz (did you mean 'q-three'?)")]),
    ("groups:\n  - id: pool\n    pick: 1\n    questions: []\n",
     [(QUIZ_FILE, 50, "groups[0].questions", "a group needs at least one question")]),
    ("groups:\n  - id: a\n    pick: 1\n    questions: [q-one, q-three]\n"
     "  - id: b\n    pick: 1\n    questions: [q-four, q-one]\n",
     [(QUIZ_FILE, 53, "groups[1].questions[1]",
       "question 'q-one' is already in group 'a' (line 50); a question belongs to at most one group")]),
    ("groups:\n  - id: a\n    pick: 1\n    questions: [q-one, q-one]\n",
     [(QUIZ_FILE, 50, "groups[0].questions[1]",
       "question 'q-one' is already in this group (line 50); a question belongs to at most one group")]),
    ("groups:\n  - id: a\n    pick: 1\n    questions: [q-one]\n  - id: a\n    pick: 1\n    questions: [q-three]\n",
     [(QUIZ_FILE, 51, "groups[1].id", "duplicate group id 'a' (first at line 48)")]),
    ("groups:\n  - id: a\n    pick: 1\n    size: 2\n    questions: [q-one]\n",
     [(QUIZ_FILE, 50, "groups[0].size", "unknown key 'size'; expected one of: id, pick, questions")]),
    ("groups: responsibilities\n",
     [(QUIZ_FILE, 47, "groups", "expected a list; found 'responsibilities'")]),
])
def test_bad_groups_are_located(tmp_path: Path, groups: str, expected: list) -> None:
    assert group_problems(tmp_path, groups) == expected


def test_the_questions_of_a_group_have_equal_points_and_the_error_says_why(tmp_path: Path) -> None:
    heavy = MORE_QUESTIONS.replace("    section: basics\n    stem: Pick one of four.",
                                   "    section: basics\n    points: 3\n    stem: Pick one of four.")
    problems = group_problems(tmp_path, "groups:\n  - id: pool\n    pick: 1\n    questions: [q-three, q-four]\n",
                              questions=heavy)
    assert problems == [(QUIZ_FILE, 51, "groups[0].questions",
                         "the questions of group 'pool' have different points (q-three: 1, q-four: 3); give them "
                         "equal points: Canvas scores every question of a group alike, and each attempt must be "
                         "worth the same")]


def test_a_question_in_error_is_not_also_reported_missing_from_its_group(tmp_path: Path) -> None:
    broken = MORE_QUESTIONS.replace("    stem: Pick one of three.\n", "")
    problems = group_problems(tmp_path, "groups:\n  - id: pool\n    pick: 1\n    questions: [q-three, q-four]\n",
                              questions=broken)
    assert [(line, field) for _, line, field, _ in problems] == [(29, "questions[2].stem")]
