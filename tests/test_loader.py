"""The loader on good and bad sources: every mistake is located by file, line and field."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from srm_package import model
from srm_package.errors import SourceError
from srm_package.limits import MAX_SOURCE_FILE_SIZE
from srm_package.loader import load_course
from srm_package.sources.text_rules import MARKUP_PROBLEM

COURSE = """\
id: demo-course
title: Demo Course
language: en
author: Ada Lovelace
copyright: © 2026 Ada Lovelace
last_updated: 2026-06
passing_score: 70
lessons:
  - file: lessons/one.md
    quiz: lessons/one.quiz.yaml
"""

LESSON = """\
---
id: lesson-one
number: 1
title: Lesson One
subtitle: A first lesson
---

Intro text.

## Basics {#basics}

Some *text*.

- item one
- item two

## More Things

::: key-principle
Keep it simple.
:::

::: comparison
Left side
: left text

Right side
: right text
:::

| A | B |
|---|---|
| 1 | 2 |
"""

QUIZ = """\
title: Quiz One
recommendation:
  bands:
    - min: 80
      message: Ready.
    - min: 0
      message: Study more.
  review: Review "{section}".
questions:
  - id: q-one
    section: basics
    stem: Pick one.
    choices:
      - id: a
        text: Right
        correct: true
        feedback: Yes.
      - id: b
        text: Wrong
        feedback: No.
  - id: q-two
    type: true_false
    section: more-things
    stem: Simple is good.
    choices:
      - id: "true"
        correct: true
      - id: "false"
"""

QUIZ_FILE = "lessons/one.quiz.yaml"
LESSON_FILE = "lessons/one.md"
FILES = {"course.yaml": COURSE, LESSON_FILE: LESSON, QUIZ_FILE: QUIZ}


def write_course(root: Path, changed: dict[str, str | bytes | None] | None = None) -> Path:
    """Write the demo course into ``root``, with ``changed`` files replaced (``None``: left out)."""
    files = {**FILES, **(changed or {})}
    for name, content in files.items():
        if content is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def problems_of(root: Path) -> list[tuple[str, int, str, str]]:
    with pytest.raises(SourceError) as caught:
        load_course(root)
    return [(str(Path(p.file).relative_to(root)), p.line, p.field, p.message) for p in caught.value.problems]


@pytest.mark.parametrize(("written", "parsed"), [("2026-06-05", model.YearMonth(2026, 6, 5)),
                                                  ("2026-6", model.YearMonth(2026, 6))])
def test_last_updated_forms(tmp_path: Path, written: str, parsed: model.YearMonth) -> None:
    root = write_course(tmp_path, {"course.yaml": _course("last_updated: 2026-06", f"last_updated: {written}")})
    assert load_course(root).course.last_updated == parsed


def test_passing_score_left_out_is_the_documented_80(tmp_path: Path) -> None:
    without = _course("passing_score: 70\n", "")
    assert "passing_score" not in without
    assert load_course(write_course(tmp_path, {"course.yaml": without})).course.passing_score == 80


def test_demo_course_loads(tmp_path: Path) -> None:
    course = load_course(write_course(tmp_path)).course
    assert (course.id, course.passing_score, course.last_updated) == ("demo-course", 70, model.YearMonth(2026, 6))
    (lesson,) = course.lessons
    assert [s.id for s in lesson.sections] == ["basics", "more-things"]
    assert lesson.intro == (model.Paragraph("Intro text."),)
    basics, more = lesson.sections
    assert basics.blocks[1] == model.ListBlock(False, ((model.Paragraph("item one"),), (model.Paragraph("item two"),)))
    assert more.blocks[0] == model.Callout("key-principle", "", (model.Paragraph("Keep it simple."),))
    assert [c.heading for c in more.blocks[1].columns] == ["Left side", "Right side"]
    assert more.blocks[2] == model.Table(("A", "B"), (("1", "2"),), ("", ""))
    q_one, q_two = lesson.quiz.questions
    assert q_one.kind == "single" and q_one.points == 1
    assert [c.text for c in q_two.response.choices] == ["True", "False"]
    assert lesson.quiz.id == "lesson-one-quiz"
    assert [b.min_percent for b in lesson.quiz.recommendation.bands] == [80, 0]


def test_lesson_citation_and_credits(tmp_path: Path) -> None:
    front = ("subtitle: A first lesson\ncitation:\n  text: '*A Book*, chapter 2.'\ncredits:\n"
             "  - Figures by B. Painter.\n  - Reviewed by C. Reader.\n")
    course = load_course(write_course(tmp_path, {LESSON_FILE: _lesson("subtitle: A first lesson\n", front)})).course
    (lesson,) = course.lessons
    assert lesson.citation == model.Citation("Source", "*A Book*, chapter 2.")
    assert lesson.credits == ("Figures by B. Painter.", "Reviewed by C. Reader.")
    # the course keeps its own, which these do not touch
    assert (course.citation, course.credits) == (None, ())


def test_lesson_without_citation_or_credits(tmp_path: Path) -> None:
    (lesson,) = load_course(write_course(tmp_path)).course.lessons
    assert (lesson.citation, lesson.credits) == (None, ())


def test_quiz_only_build_reads_the_lesson_citation_too(tmp_path: Path) -> None:
    front = "subtitle: A first lesson\ncitation:\n  label: From\n  text: A book.\n"
    root = write_course(tmp_path, {LESSON_FILE: _lesson("subtitle: A first lesson\n", front)})
    (lesson,) = load_course(root, lesson_bodies=False).course.lessons
    assert lesson.citation == model.Citation("From", "A book.")


def _quiz(old: str, new: str) -> str:
    assert old in QUIZ, old
    return QUIZ.replace(old, new, 1)


def _lesson(old: str, new: str) -> str:
    assert old in LESSON, old
    return LESSON.replace(old, new, 1)


def _course(old: str, new: str) -> str:
    assert old in COURSE, old
    return COURSE.replace(old, new, 1)


# (case id, changed files, expected problems: file, line, field, message)
BAD_INPUTS = [
    ("yaml syntax", {QUIZ_FILE: _quiz("title: Quiz One", "title: [Quiz One")},
     [(QUIZ_FILE, 2, "", "YAML syntax error: while parsing a flow sequence did not find expected ',' or ']'")]),
    ("unknown key with hint", {QUIZ_FILE: _quiz("    stem: Pick one.", "    stme: Pick one.")},
     [(QUIZ_FILE, 12, "questions[0].stme", "unknown key 'stme' (did you mean 'stem'?); expected one of: "
       "id, type, section, points, stem, explanation, feedback, choices"),
      (QUIZ_FILE, 10, "questions[0].stem", "missing required field 'stem'")]),
    ("missing required field", {"course.yaml": _course("author: Ada Lovelace\n", "")},
     [("course.yaml", 1, "author", "missing required field 'author'")]),
    ("wrong type: points", {QUIZ_FILE: _quiz("    section: basics\n", "    section: basics\n    points: many\n")},
     [(QUIZ_FILE, 12, "questions[0].points", "expected a whole number; found 'many'")]),
    ("points above 99", {QUIZ_FILE: _quiz("    section: basics\n", "    section: basics\n    points: 150\n")},
     [(QUIZ_FILE, 12, "questions[0].points", "must be between 1 and 99; found 150")]),
    ("wrong type: correct", {QUIZ_FILE: _quiz("        correct: true\n        feedback: Yes.",
                                                                 "        correct: sure\n        feedback: Yes.")},
     [(QUIZ_FILE, 16, "questions[0].choices[0].correct", "expected true or false; found 'sure'")]),
    ("duplicate question id", {QUIZ_FILE: _quiz("  - id: q-two", "  - id: q-one")},
     [(QUIZ_FILE, 21, "questions[1].id", "duplicate question id 'q-one' (first at line 10)")]),
    ("duplicate choice id", {QUIZ_FILE: _quiz("      - id: b", "      - id: a")},
     [(QUIZ_FILE, 18, "questions[0].choices[1].id", "duplicate choice id 'a' (first at line 14)")]),
    ("single answer with two correct", {QUIZ_FILE: _quiz("        text: Wrong\n", "        text: Wrong\n        correct: true\n")},
     [(QUIZ_FILE, 14, "questions[0].choices", "a single-answer question needs exactly one correct choice; "
       "found 2 (use type: multiple for several)")]),
    ("single answer with none correct", {QUIZ_FILE: _quiz("        correct: true\n        feedback: Yes.", "        feedback: Yes.")},
     [(QUIZ_FILE, 14, "questions[0].choices", "a single-answer question needs exactly one correct choice; "
       "found 0 (use type: multiple for several)")]),
    ("fewer than two choices", {QUIZ_FILE: _quiz("      - id: b\n        text: Wrong\n        feedback: No.\n", "")},
     [(QUIZ_FILE, 14, "questions[0].choices", "a question needs at least two choices; found 1")]),
    ("unknown section", {QUIZ_FILE: _quiz("section: basics", "section: basic")},
     [(QUIZ_FILE, 11, "questions[0].section", "no section 'basic' in lesson 'lesson-one' (did you mean "
       "'basics'?); sections: basics, more-things")]),
    ("passing score above 100", {"course.yaml": _course("passing_score: 70", "passing_score: 120")},
     [("course.yaml", 7, "passing_score", "must be between 0 and 100; found 120")]),
    ("negative passing score", {"course.yaml": _course("passing_score: 70", "passing_score: -5")},
     [("course.yaml", 7, "passing_score", "must be between 0 and 100; found -5")]),
    ("lesson file missing", {LESSON_FILE: None},
     [("course.yaml", 9, "lessons[0].file", "file not found: {root}/lessons/one.md")]),
    ("quiz file missing", {QUIZ_FILE: None},
     [("course.yaml", 10, "lessons[0].quiz", "file not found: {root}/lessons/one.quiz.yaml")]),
    ("lesson path names a folder", {"course.yaml": _course("file: lessons/one.md", "file: lessons")},
     [("course.yaml", 9, "lessons[0].file", "cannot read the file (Is a directory): {root}/lessons")]),
    ("control character", {QUIZ_FILE: _quiz("Pick one.", "Pick\x07one.")},
     [(QUIZ_FILE, 12, "", "character U+0007 is not allowed in YAML (control characters are not allowed)")]),
    ("control character in front matter", {LESSON_FILE: _lesson("title: Lesson One", "title: Lesson\x07One")},
     [(LESSON_FILE, 4, "", "character U+0007 is not allowed in YAML (control characters are not allowed)")]),
    ("non-UTF-8 quiz", {QUIZ_FILE: _quiz("Pick one.", "Pick \u00e9.").encode("latin-1")},
     [(QUIZ_FILE, 12, "", "not UTF-8 text (byte 0xe9); save the file as UTF-8")]),
    ("bad id", {QUIZ_FILE: _quiz("id: q-one", "id: Q One")},
     [(QUIZ_FILE, 10, "questions[0].id", "invalid id 'Q One': use lowercase letters, digits, '-' and '_', "
       "starting with a letter, at most 64 characters")]),
    ("unknown question type", {QUIZ_FILE: _quiz("type: true_false", "type: truefalse")},
     [(QUIZ_FILE, 22, "questions[1].type", "unknown question type 'truefalse' (did you mean 'true_false'?); "
       "use one of: single, multiple, true_false, matching, fill_in, numeric, ordering")]),
    ("true_false with other ids", {QUIZ_FILE: _quiz('      - id: "false"', "      - id: nope\n        text: Nope")},
     [(QUIZ_FILE, 26, "questions[1].choices", "a true_false question has exactly two choices with ids "
       "'true' and 'false'")]),
    ("no front matter", {LESSON_FILE: LESSON.split("---\n", 2)[2]},
     [(LESSON_FILE, 1, "front matter", "a lesson must start with front matter between two '---' lines "
       "(id, number, title, subtitle)")]),
    ("lesson citation without text", {LESSON_FILE: _lesson("subtitle: A first lesson\n",
                                                            "subtitle: A first lesson\ncitation:\n  label: Source\n")},
     [(LESSON_FILE, 7, "citation.text", "missing required field 'text'")]),
    ("lesson citation not a mapping", {LESSON_FILE: _lesson("subtitle: A first lesson\n",
                                                             "subtitle: A first lesson\ncitation: A book\n")},
     [(LESSON_FILE, 6, "citation", "expected a mapping of label, text; found 'A book'")]),
    ("lesson citation unknown key", {LESSON_FILE: _lesson("subtitle: A first lesson\n",
                                                           "subtitle: A first lesson\ncitation:\n  txt: A book\n")},
     [(LESSON_FILE, 7, "citation.txt", "unknown key 'txt' (did you mean 'text'?); expected one of: label, text"),
      (LESSON_FILE, 7, "citation.text", "missing required field 'text'")]),
    ("lesson credits not a list", {LESSON_FILE: _lesson("subtitle: A first lesson\n",
                                                         "subtitle: A first lesson\ncredits: Me\n")},
     [(LESSON_FILE, 6, "credits", "expected a list; found 'Me'")]),
    ("empty lesson credit", {LESSON_FILE: _lesson("subtitle: A first lesson\n",
                                                   "subtitle: A first lesson\ncredits:\n  - Me\n  -\n")},
     [(LESSON_FILE, 8, "credits[1]", "expected text; the value is empty")]),
    ("image in a lesson credit", {LESSON_FILE: _lesson("subtitle: A first lesson\n",
                                                        "subtitle: A first lesson\ncredits:\n  - '![me](me.png)'\n")},
     [(LESSON_FILE, 7, "credits[0]", "images are allowed only in lesson bodies and question texts "
                                      "(stem, choices, feedback, explanation)")]),
    ("front matter missing title", {LESSON_FILE: _lesson("title: Lesson One\n", "")},
     [(LESSON_FILE, 2, "title", "missing required field 'title'")]),
    ("lesson number not a number", {LESSON_FILE: _lesson("number: 1", "number: first")},
     [(LESSON_FILE, 3, "number", "expected a whole number; found 'first'")]),
    ("unknown call-out kind", {LESSON_FILE: _lesson("::: key-principle", "::: key-principal")},
     [(LESSON_FILE, 19, "call-out", "unknown call-out kind 'key-principal' (did you mean 'key-principle'?); "
       "known kinds: key-principle, exam-tip, note, warning, comparison")]),
    ("comparison with one column", {LESSON_FILE: _lesson("Right side\n: right text\n", "")},
     [(LESSON_FILE, 23, "comparison", "a comparison needs at least two columns; found 1")]),
    ("h1 in body", {LESSON_FILE: _lesson("## More Things", "# More Things")},
     [(LESSON_FILE, 17, "heading", "'#' headings are not allowed in the body: the lesson title comes from "
       "the front matter; use '##' for sections"),
      (QUIZ_FILE, 23, "questions[1].section", "no section 'more-things' in lesson 'lesson-one'; "
       "sections: basics")]),
    ("h2 inside a call-out", {LESSON_FILE: _lesson("Keep it simple.", "## Simple")},
     [(LESSON_FILE, 20, "heading", "a '##' heading starts a section, so it cannot stand inside a list, "
       "quote or ':::' block; use '###'")]),
    ("duplicate explicit section id", {LESSON_FILE: _lesson("## More Things", "## More Things {#basics}")},
     [(LESSON_FILE, 17, "heading id", "duplicate id 'basics' in this lesson"),
      (QUIZ_FILE, 23, "questions[1].section", "no section 'more-things' in lesson 'lesson-one'; "
       "sections: basics")]),
    ("invalid explicit section id", {LESSON_FILE: _lesson("## More Things", "## More Things {#More}")},
     [(LESSON_FILE, 17, "heading id", "invalid id 'More': use lowercase letters, digits, '-' and '_', "
       "starting with a letter, at most 64 characters")]),
    ("missing image", {LESSON_FILE: _lesson("Some *text*.", "Some ![diagram](d.png).")},
     [(LESSON_FILE, 12, "image", "lessons/d.png: no such file")]),
    ("missing image in a question stem", {QUIZ_FILE: _quiz("stem: Pick one.", "stem: Pick one. ![chart](chart.png)")},
     [(QUIZ_FILE, 12, "questions[0].stem", "lessons/chart.png: no such file")]),
    ("image in a choice's feedback leaving the folder",
     {QUIZ_FILE: _quiz("feedback: No.", "feedback: '[![x](../../x.png)](https://example.com)'")},
     [(QUIZ_FILE, 20, "questions[0].choices[1].feedback", "'../../x.png' leaves the course folder")]),
    ("image in the instructions", {QUIZ_FILE: _quiz("title: Quiz One\n", "title: Quiz One\ninstructions: Pick ![x](x.png).\n")},
     [(QUIZ_FILE, 2, "instructions", "images are allowed only in lesson bodies and question texts (stem, "
       "choices, feedback, explanation)")]),
    ("lowest band above 0", {QUIZ_FILE: _quiz("    - min: 0\n", "    - min: 50\n")},
     [(QUIZ_FILE, 4, "recommendation.bands", "the lowest band must start at 0, so that every score gets a message")]),
    ("bands not a list", {QUIZ_FILE: _quiz("  bands:\n", "  bands: {}\n  old_bands:\n")},
     [(QUIZ_FILE, 4, "recommendation.old_bands", "unknown key 'old_bands' (did you mean 'bands'?); expected one of: bands, review"),
      (QUIZ_FILE, 3, "recommendation.bands", "expected a list; found a mapping")]),
    ("no bands", {QUIZ_FILE: _quiz("  bands:\n", "  bands: []\n  old_bands:\n")},
     [(QUIZ_FILE, 4, "recommendation.old_bands", "unknown key 'old_bands' (did you mean 'bands'?); expected one of: bands, review"),
      (QUIZ_FILE, 3, "recommendation.bands", "needs at least one band")]),
    ("review without {section}", {QUIZ_FILE: _quiz('  review: Review "{section}".', "  review: Review it.")},
     [(QUIZ_FILE, 8, "recommendation.review", "the review message must name the section with '{section}'")]),
    ("duplicate YAML key", {"course.yaml": _course("title: Demo Course\n", "title: Demo Course\ntitle: Again\n")},
     [("course.yaml", 3, "title", "duplicate key 'title' (first at line 2)")]),
    ("path escaping the source folder", {"course.yaml": _course("file: lessons/one.md", "file: ../one.md")},
     [("course.yaml", 9, "lessons[0].file", "'../one.md' must be a relative path inside the source folder, with '/'")]),
    ("bad last_updated", {"course.yaml": _course("last_updated: 2026-06", "last_updated: June 2026")},
     [("course.yaml", 6, "last_updated", "expected a date as YYYY-MM or YYYY-MM-DD; found 'June 2026'")]),
    ("impossible month", {"course.yaml": _course("last_updated: 2026-06", "last_updated: 2026-13")},
     [("course.yaml", 6, "last_updated", "expected a date as YYYY-MM or YYYY-MM-DD; found '2026-13'")]),
    ("impossible day", {"course.yaml": _course("last_updated: 2026-06", "last_updated: 2026-02-30")},
     [("course.yaml", 6, "last_updated", "expected a date as YYYY-MM or YYYY-MM-DD; found '2026-02-30'")]),
    ("choice text left empty", {QUIZ_FILE: _quiz("        text: Right\n", "        text:\n")},
     [(QUIZ_FILE, 15, "questions[0].choices[0].text", "missing required field 'text'")]),
    ("choice 'true' without text in a single-answer question", {QUIZ_FILE: _quiz("        text: Right\n", "")
                                                                .replace("      - id: a\n", '      - id: "true"\n')},
     [(QUIZ_FILE, 14, "questions[0].choices[0].text", "missing required field 'text'")]),
    ("quiz file of comments only", {QUIZ_FILE: "# questions to come\n"},
     [(QUIZ_FILE, 1, "", "the quiz file is empty")]),
    ("front matter of comments only", {LESSON_FILE: "---\n# to do\n---\n" + LESSON.split("---\n", 2)[2]},
     [(LESSON_FILE, 2, "", "the front matter is empty")]),
    ("course.yaml of comments only", {"course.yaml": "# to do\n"},
     [("course.yaml", 1, "", "the file is empty")]),
    ("quiz id used twice", {"course.yaml": COURSE + "  - file: lessons/two.md\n    quiz: lessons/two.quiz.yaml\n",
                            "lessons/two.md": _lesson("id: lesson-one", "id: lesson-two").replace("number: 1", "number: 2"),
                            "lessons/two.quiz.yaml": "id: lesson-one-quiz\n" + QUIZ.replace("q-", "q2-")},
     [("course.yaml", 11, "lessons[1]", "quiz id 'lesson-one-quiz' is used in two lessons (lesson-one and "
       "lesson-two); quiz ids are unique in the course")]),
    ("course.yaml not a mapping", {"course.yaml": "- lessons/one.md\n"},
     [("course.yaml", 1, "", "expected a mapping of id, title, language, author, copyright, last_updated, "
       "credits, citation, passing_score, ui, lessons; found a list")]),
    ("no lessons", {"course.yaml": COURSE.split("lessons:")[0] + "lessons: []\n"},
     [("course.yaml", 8, "lessons", "a course needs at least one lesson")]),
    ("lesson listed twice", {"course.yaml": COURSE + "  - file: lessons/one.md\n"},
     [("course.yaml", 11, "lessons[1]", "duplicate lesson id 'lesson-one' (also at {root}/course.yaml:9)")]),
    ("lesson number used twice", {"course.yaml": COURSE + "  - file: lessons/two.md\n",
                                  "lessons/two.md": _lesson("id: lesson-one", "id: lesson-two")},
     [("course.yaml", 11, "lessons[1]", "duplicate lesson number 1 (also at {root}/course.yaml:9)")]),
    ("language not a tag", {"course.yaml": _course("language: en", "language: english")},
     [("course.yaml", 3, "language", "expected a language tag such as 'en' or 'en-GB'; found 'english'")]),
    ("last_updated a list", {"course.yaml": _course("last_updated: 2026-06", "last_updated: [2026, 6]")},
     [("course.yaml", 6, "last_updated", "expected a date (YYYY-MM or YYYY-MM-DD); found a list")]),
    ("blank text", {"course.yaml": _course("title: Demo Course", "title: '  '")},
     [("course.yaml", 2, "title", "must not be empty")]),
    ("empty credit", {"course.yaml": COURSE + "credits:\n  -\n"},
     [("course.yaml", 12, "credits[0]", "expected text; the value is empty")]),
    ("number given as a list", {"course.yaml": _course("passing_score: 70", "passing_score: [70]")},
     [("course.yaml", 7, "passing_score", "expected a single value; found a list")]),
    ("unsupported tag", {"course.yaml": _course("passing_score: 70", "passing_score: !percent 70")},
     [("course.yaml", 7, "passing_score", "unsupported YAML tag '!percent'")]),
    ("value its tag refuses", {"course.yaml": _course("passing_score: 70", "passing_score: !!int seventy")},
     [("course.yaml", 7, "passing_score", "invalid value 'seventy': invalid literal for int() with base 10: 'seventy'")]),
    ("key that is not a name", {"course.yaml": COURSE + "~: x\n"},
     [("course.yaml", 11, "", "keys must be plain names")]),
    ("no sections", {LESSON_FILE: LESSON.split("## Basics")[0], QUIZ_FILE: None, "course.yaml": _course(
        "    quiz: lessons/one.quiz.yaml\n", "")},
     [(LESSON_FILE, 7, "body", "the lesson has no '##' section")]),
    ("heading without text", {LESSON_FILE: _lesson("## More Things", "## {#more-things}")},
     [(LESSON_FILE, 17, "heading", "the heading has no text")]),
    ("definition list outside a comparison", {LESSON_FILE: _lesson("Intro text.", "Term\n: meaning")},
     [(LESSON_FILE, 8, "definition list", "definition lists are only allowed inside a '::: comparison' block")]),
    ("comparison holding more than its list", {LESSON_FILE: _lesson("::: comparison\n", "::: comparison\nFirst this.\n\n")},
     [(LESSON_FILE, 23, "comparison", "a comparison holds one definition list: each term ('AWS is responsible for') "
       "on its own line, its text on the next line after ': '")]),
    ("call-out without a kind", {LESSON_FILE: _lesson("::: key-principle", ":::\n")},
     [(LESSON_FILE, 19, "call-out", "a ':::' block needs a kind; known kinds: key-principle, exam-tip, note, "
       "warning, comparison")]),
    ("no questions", {QUIZ_FILE: QUIZ.split("questions:")[0] + "questions: []\n"},
     [(QUIZ_FILE, 9, "questions", "a quiz needs at least one question")]),
    ("multiple answer with none correct", {QUIZ_FILE: _quiz("  - id: q-one\n", "  - id: q-one\n    type: multiple\n")
                                           .replace("        correct: true\n        feedback: Yes.", "        feedback: Yes.")},
     [(QUIZ_FILE, 15, "questions[0].choices", "a multiple-answer question needs at least one correct choice; found 0")]),
    ("true_false with both correct", {QUIZ_FILE: QUIZ.replace('      - id: "false"', '      - id: "false"\n        correct: true')},
     [(QUIZ_FILE, 26, "questions[1].choices", "a true_false question needs exactly one correct choice; found 2")]),
    ("two bands with one min", {QUIZ_FILE: _quiz("    - min: 80", "    - min: 0")},
     [(QUIZ_FILE, 6, "recommendation.bands[1]", "two bands start at 0% (first at line 4)")]),
    ("lessons not a list", {"course.yaml": _course("lessons:\n  - file: lessons/one.md\n    quiz: lessons/one.quiz.yaml\n",
                                                   "lessons: lessons/one.md\n")},
     [("course.yaml", 8, "lessons", "expected a list; found 'lessons/one.md'")]),
    # --- what no package can carry or no build should spend its time on
    *[(f"escape {escape} in a stem", {QUIZ_FILE: _quiz("stem: Pick one.", f'stem: "Pick {escape} one."')},
       [(QUIZ_FILE, 12, "questions[0].stem", f"character U+{code:04X} is not allowed in text ({kind}: packages "
         "cannot carry it)")])
      for escape, code, kind in [("\\e", 0x1B, "a control character"), ("\\x01", 0x01, "a control character"),
                                 ("\\uFFFE", 0xFFFE, "a noncharacter"), ("\\0", 0, "a control character"),
                                 ("\\x85", 0x85, "a control character")]],
    ("escape in front matter", {LESSON_FILE: _lesson("title: Lesson One", 'title: "Lesson\\eOne"')},
     [(LESSON_FILE, 4, "title", "character U+001B is not allowed in text (a control character: packages cannot "
       "carry it)")]),
    ("control character typed into the body", {LESSON_FILE: _lesson("item two", "item\x01two")},
     [(LESSON_FILE, 15, 7, "text", "character U+0001 is not allowed in text (a control character: packages cannot "
       "carry it)")]),
    ("NUL in a lesson path", {"course.yaml": _course("file: lessons/one.md", 'file: "lessons/one\\0.md"')},
     [("course.yaml", 9, "lessons[0].file", "character U+0000 is not allowed in text (a control character: "
       "packages cannot carry it)")]),
    ("NUL in a quiz path", {"course.yaml": _course("quiz: lessons/one.quiz.yaml", 'quiz: "lessons/one.quiz\\0.yaml"')},
     [("course.yaml", 10, "lessons[0].quiz", "character U+0000 is not allowed in text (a control character: "
       "packages cannot carry it)")]),
    ("quiz file over the size limit", {QUIZ_FILE: QUIZ + "# " + "x" * MAX_SOURCE_FILE_SIZE + "\n"},
     [("course.yaml", 10, "lessons[0].quiz", "the file is larger than 256 KiB, the most a source file may hold: "
       "{root}/lessons/one.quiz.yaml")]),
    ("course.yaml over the size limit", {"course.yaml": COURSE + "# " + "x" * MAX_SOURCE_FILE_SIZE + "\n"},
     [("course.yaml", 0, "", "the file is larger than 256 KiB, the most a source file may hold")]),
    ("feedback longer than one text may be", {QUIZ_FILE: _quiz("feedback: No.", "feedback: '" + "*" * 10_001 + "'")},
     [(QUIZ_FILE, 20, "questions[0].choices[1].feedback", "the text is 10,001 characters long; one text may hold "
       "at most 10,000")]),
    ("paragraph longer than one text may be", {LESSON_FILE: _lesson("Some *text*.", "[" * 10_001)},
     [(LESSON_FILE, 12, "text", "the text is 10,001 characters long; one text may hold at most 10,000")]),
    ("box title longer than one text may be", {LESSON_FILE: _lesson("::: key-principle", "::: note " + "_" * 10_001)},
     [(LESSON_FILE, 19, "text", "the text is 10,001 characters long; one text may hold at most 10,000")]),
    ("quiz with more Markdown punctuation than a file may hold",
     {QUIZ_FILE: _quiz("stem: Pick one.", "stem: '" + "*" * 9000 + "'").replace("feedback: Yes.", "feedback: '" + "[" * 9000 + "'")
      .replace("feedback: No.", "feedback: '" + "_" * 9000 + "'")},
     [(QUIZ_FILE, 20, 2020, "", MARKUP_PROBLEM)]),
    ("lesson with more Markdown punctuation than a file may hold",
     {LESSON_FILE: _lesson("Some *text*.", "\n\n".join(["[_" * 4500] * 3))},
     [(LESSON_FILE, 16, 2001, "", MARKUP_PROBLEM)]),
    # --- links to files: no package holds them, validate reports them as broken
    ("link to a file on the second line of a paragraph",
     {LESSON_FILE: _lesson("Some *text*.", "Some *text*, see\nthe [notes](notes.pdf) and [the web](https://aws.amazon.com).")},
     [(LESSON_FILE, 13, "link", "the link to 'notes.pdf' points at a file, and packages hold none but their own "
       "pages; link to a web address (https://...) instead")]),
    ("link to a page of the package", {LESSON_FILE: _lesson("| 1 | 2 |", "| [1](index.html) | 2 |")},
     [(LESSON_FILE, 33, "link", "the link to 'index.html' points at a file, and packages hold none but their own "
       "pages; link to a web address (https://...) instead")]),
    ("link out of the folder in a stem", {QUIZ_FILE: _quiz("stem: Pick one.", "stem: Pick one (see [this](../one.md)).")},
     [(QUIZ_FILE, 12, "questions[0].stem", "the link to '../one.md' points at a file, and packages hold none but "
       "their own pages; link to a web address (https://...) instead")]),
    ("link to a file in a score band's message", {QUIZ_FILE: _quiz("message: Ready.", "message: Read [the notes](notes.md).")},
     [(QUIZ_FILE, 5, "recommendation.bands[0].message", "the link to 'notes.md' points at a file, and packages hold "
       "none but their own pages; link to a web address (https://...) instead")]),
    # --- ':::' boxes left open
    ("box left open before a section", {LESSON_FILE: _lesson("Some *text*.", "::: note\nSome *text*.")},
     [(LESSON_FILE, 12, "call-out", "this ':::' box is not closed: end it with a ':::' line before the '##' "
       "heading at line 18")]),
    ("box left open before another box", {LESSON_FILE: _lesson("Keep it simple.\n:::\n", "Keep it simple.\n")},
     [(LESSON_FILE, 19, "call-out", "this ':::' box is not closed: end it with a ':::' line")]),
    ("box left open at the end", {LESSON_FILE: LESSON + "\n::: warning\nLast words.\n"},
     [(LESSON_FILE, 35, "call-out", "this ':::' box is not closed: end it with a ':::' line")]),
]


@pytest.mark.parametrize("changes, expected", [c[1:] for c in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_is_located(tmp_path: Path, changes: dict, expected: list) -> None:
    root = write_course(tmp_path, changes)
    # (file, line, field, message), or (file, line, column, field, message) where the column matters
    wanted = [(*where[:2], *where[-2:-1], where[-1].replace("{root}", str(root))) for where in expected]
    columns = [where[2] for where in expected if len(where) == 5]
    assert problems_of(root) == wanted
    if columns:
        with pytest.raises(SourceError) as caught:
            load_course(root)
        assert [p.column for p in caught.value.problems] == columns


def test_all_problems_of_a_run_are_reported_at_once(tmp_path: Path) -> None:
    quiz = _quiz("section: basics", "section: nowhere").replace("title: Quiz One", "title: ")
    course = _course("passing_score: 70", "passing_score: 101")
    found = problems_of(write_course(tmp_path, {QUIZ_FILE: quiz, "course.yaml": course}))
    assert [(f, field) for f, _, field, _ in found] == [
        ("course.yaml", "passing_score"), (QUIZ_FILE, "title"), (QUIZ_FILE, "questions[0].section")]


def test_raw_html_is_a_warning_and_kept_as_text(tmp_path: Path) -> None:
    lesson = _lesson("Some *text*.", "Some <b>bold</b> text.\n\n<div class=\"x\">block</div>")
    loaded = load_course(write_course(tmp_path, {LESSON_FILE: lesson}))
    assert [(Path(w.file).name, w.line, w.field, w.severity) for w in loaded.warnings] == [
        ("one.md", 12, "html", "warning"), ("one.md", 12, "html", "warning"), ("one.md", 14, "html", "warning")]
    blocks = loaded.course.lessons[0].sections[0].blocks
    assert blocks[0] == model.Paragraph("Some <b>bold</b> text.")
    from srm_package.markup import inline_html

    assert "<div" not in inline_html(blocks[1].text) and "&lt;div" in inline_html(blocks[1].text)


def test_raw_html_in_quiz_text_is_a_warning_as_in_lessons(tmp_path: Path) -> None:
    quiz = _quiz("stem: Pick one.", "stem: Pick <b>one</b>.").replace("feedback: No.", "feedback: 'No <br> way.'")
    loaded = load_course(write_course(tmp_path, {QUIZ_FILE: quiz}))
    assert [(str(Path(w.file).relative_to(tmp_path)), w.line, w.field, w.message, w.severity)
            for w in loaded.warnings] == [
        (QUIZ_FILE, 12, "questions[0].stem", "raw HTML '<b>' is not interpreted; it is shown as text", "warning"),
        (QUIZ_FILE, 12, "questions[0].stem", "raw HTML '</b>' is not interpreted; it is shown as text", "warning"),
        (QUIZ_FILE, 20, "questions[0].choices[1].feedback", "raw HTML '<br>' is not interpreted; it is shown as text",
         "warning")]
    assert loaded.course.questions[0].stem == "Pick <b>one</b>."  # kept, and escaped by every renderer


def test_links_to_the_web_and_to_sections_are_fine(tmp_path: Path) -> None:
    links = "[a](https://aws.amazon.com/compliance/) [b](#basics) [c](mailto:ada@example.com) <https://x.org> [d]"
    lesson = _lesson("Some *text*.", links)
    quiz = _quiz("stem: Pick one.", "stem: Pick one ([docs](https://docs.aws.amazon.com)).")
    loaded = load_course(write_course(tmp_path, {LESSON_FILE: lesson, QUIZ_FILE: quiz}))
    assert not loaded.warnings and loaded.course.lessons[0].sections[0].blocks[0] == model.Paragraph(links)


def test_source_folder_missing(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        load_course(tmp_path / "nowhere")
    assert "not a folder" in caught.value.problems[0].message


def test_headings_get_stable_derived_ids(tmp_path: Path) -> None:
    lesson = LESSON + "\n## Café & Ünïcode!\n\ntext\n\n## Café & Ünïcode!\n\nagain\n"
    course = load_course(write_course(tmp_path, {LESSON_FILE: lesson})).course
    assert [s.id for s in course.lessons[0].sections] == ["basics", "more-things", "cafe-unicode", "cafe-unicode-2"]


def test_repeated_headings_count_on_past_taken_ids(tmp_path: Path) -> None:
    lesson = LESSON + "\n## Same {#same-2}\n\nx\n" + "".join(f"\n## Same\n\n{n}\n" for n in range(3))
    course = load_course(write_course(tmp_path, {LESSON_FILE: lesson})).course
    assert [s.id for s in course.lessons[0].sections][2:] == ["same-2", "same", "same-3", "same-4"]


def test_problem_text_format(tmp_path: Path) -> None:
    root = write_course(tmp_path, {"course.yaml": _course("passing_score: 70", "passing_score: 120")})
    with pytest.raises(SourceError) as caught:
        load_course(root)
    assert str(caught.value.problems[0]) == f"{root}/course.yaml:7:16: passing_score: must be between 0 and 100; found 120"


def test_multiple_answer_question(tmp_path: Path) -> None:
    quiz = _quiz("  - id: q-one\n", "  - id: q-one\n    type: multiple\n").replace(
        "        text: Wrong\n", "        text: Also right\n        correct: true\n")
    question = load_course(write_course(tmp_path, {QUIZ_FILE: textwrap.dedent(quiz)})).course.questions[0]
    assert question.kind == "multiple"
    assert [c.id for c in question.response.correct_choices] == ["a", "b"]


def test_hostile_yaml_nesting_is_refused_not_crashed(tmp_path: Path) -> None:
    deep = "title: " + "[" * 9000 + "]" * 9000 + "\n"  # within the file's budget of Markdown punctuation
    ((file, line, field, message),) = problems_of(write_course(tmp_path, {QUIZ_FILE: deep}))
    assert (file, line, field) == (QUIZ_FILE, 1, "")
    # our own limit; from PyYAML 6.0.4 libyaml refuses first, while scanning ahead
    assert message in ("the YAML nests more than 100 levels deep",
                       "YAML syntax error: while increasing flow level exceeded maximum nesting depth")
    # ten columns a level: deep enough, and well within the size limit of a source file
    indented = "title: x\nrecommendation:\n" + "".join(" " * (10 * depth) + "a:\n" for depth in range(1, 120))
    ((file, line, field, message),) = problems_of(write_course(tmp_path, {QUIZ_FILE: indented}))
    assert (file, line, field, message) == (QUIZ_FILE, 1, "", "the YAML nests more than 100 levels deep")


def test_python_tags_are_not_executed(tmp_path: Path) -> None:
    quiz = _quiz("title: Quiz One", 'title: !!python/object/apply:os.system ["echo pwned"]')
    assert problems_of(write_course(tmp_path, {QUIZ_FILE: quiz})) == [
        (QUIZ_FILE, 1, "title", "expected text; found a list")]


def test_question_feedback_defaults_come_from_the_quiz(tmp_path: Path) -> None:
    quiz = _quiz("title: Quiz One\n", "title: Quiz One\nfeedback:\n  correct: Well done.\n  incorrect: Not yet.\n")
    quiz = quiz.replace("    stem: Simple is good.\n", "    stem: Simple is good.\n    feedback:\n      incorrect: Think again.\n")
    q_one, q_two = load_course(write_course(tmp_path, {QUIZ_FILE: quiz})).course.questions
    assert q_one.feedback == model.QuestionFeedback("Well done.", "Not yet.")
    assert q_two.feedback == model.QuestionFeedback("Well done.", "Think again.")


def test_the_examples_of_the_format_documentation_load(tmp_path: Path) -> None:
    """docs/source-format.md: its course.yaml, lesson and quiz load together, call-outs included."""
    doc = (Path(__file__).parent.parent / "docs" / "source-format.md").read_text(encoding="utf-8")
    blocks = [(info, textwrap.dedent(body)) for info, body in
              re.findall(r"^ *```(\w+)\n(.*?)^ *```$", doc, flags=re.MULTILINE | re.DOTALL)]
    course, ui_example, quiz, *questions = (body for info, body in blocks if info == "yaml")
    # each question type's example is a question of the quiz
    quiz += "".join(textwrap.indent(textwrap.dedent(question), "  ") for question in questions)
    lesson, *snippets = (body for info, body in blocks if info == "markdown")
    # the quiz example points at a section of the full lesson that the lesson example leaves out
    lesson += "\n## Customer Responsibility {#customer-responsibility}\n\n" + "\n".join(snippets)
    write_course(tmp_path, {"course.yaml": course, LESSON_FILE: None, QUIZ_FILE: None,
                            "lessons/13-shared-responsibility-model.md": lesson,
                            "lessons/13-shared-responsibility-model.quiz.yaml": quiz})
    # the images the examples show
    figures = Path(__file__).parent / "roots" / "media" / "figures"
    (tmp_path / "figures").mkdir()
    for name, source in (("tasks.png", "padlock.png"), ("divider.png", "padlock.png"), ("layers.svg", "layers.svg")):
        (tmp_path / "figures" / name).write_bytes((figures / source).read_bytes())
    loaded = load_course(tmp_path)
    assert not loaded.warnings
    (only,) = loaded.course.lessons
    blocks_of_last = only.sections[-1].blocks
    assert [type(b).__name__ for b in blocks_of_last] == [
        "Callout", "Callout", "Comparison", "Paragraph", "Paragraph", "Figure", "Paragraph", "MathBlock"]
    assert only.quiz is not None and only.quiz.max_attempts == 2
    assert [q.kind for q in only.quiz.questions] == ["single", "matching", "fill_in", "numeric", "ordering"]
    assert [(g.id, g.pick, g.question_ids) for g in only.quiz.groups] == [
        ("customer-tasks", 2, ("fill-of-in", "nines", "order-layers"))]
    # the example of ui: (Languages) in place of the course example's own
    with_ui = re.sub(r"(?m)^ui:.*\n(?:  .*\n)*", ui_example, course)
    assert with_ui != course
    (tmp_path / "course.yaml").write_text(with_ui, encoding="utf-8")
    reloaded = load_course(tmp_path)
    assert not reloaded.warnings
    assert [text.key for text in reloaded.course.ui] == ["question_count", "question_count", "question_number",
                                                         "try_again"]

