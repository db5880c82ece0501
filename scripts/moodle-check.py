#!/usr/bin/env python3
"""Check the ``moodle-backup`` target in a real Moodle: restore it, read it back, take its quizzes.

CI cannot run Moodle, so this runs where one is installed (``../shared/moodle/setup-moodle.sh``):

    MOODLE_DIR=/path/to/moodle python scripts/moodle-check.py [SOURCE_DIR ...]

For each course (default: ``source/`` and ``tests/roots/every-kind/``) it builds the ``.mbz``,
restores it as a new course through Moodle's own restore API, and compares what Moodle
made of it with the sources: sections and their names, pages, quizzes (questions, their
types, answers and marks, sumgrades, maximum grade, pass grade, behaviour, attempts,
shuffling, review options), the question bank and the grade items. Then a student takes
every quiz three times through Moodle's quiz API (all right, all wrong, the first two
right) and the grades are checked against the points in the sources. Finally it restores
the same ``.mbz`` again into that course: the question bank must stay as it was (no
question added again), the new quizzes must use the same questions and grade the same. Moodle's side is
``scripts/moodle-check.php``; every expectation is computed here from the sources.

Prints one line per check; exit 0 when all pass, 1 when one fails, 2 without MOODLE_DIR.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from srm_package.build import build  # noqa: E402
from srm_package.loader import load_course  # noqa: E402
from srm_package.markup import inline_html, inline_text  # noqa: E402
from srm_package.model import Course, Question, QuestionKind, Quiz  # noqa: E402

PHP_SCRIPT = Path(__file__).with_suffix(".php")
DEFAULT_SOURCES = (ROOT / "source", ROOT / "tests" / "roots" / "every-kind")
#: mod_quiz\question\display_options: during the attempt, and immediately after it
DURING, IMMEDIATELY_AFTER = 0x10000, 0x01000
_QTYPES = {QuestionKind.SINGLE: ("multichoice", 1), QuestionKind.MULTIPLE: ("multichoice", 0),
           QuestionKind.TRUE_FALSE: ("truefalse", None)}


class Check:
    """Collects results: ``check(label, ok, detail)`` prints and remembers one line."""

    def __init__(self) -> None:
        self.failures = 0

    def __call__(self, label: str, ok: bool, detail: str = "") -> bool:
        print(f"  {'ok  ' if ok else 'FAIL'} {label}{': ' + detail if detail else ''}", flush=True)
        self.failures += not ok
        return ok

    def equal(self, label: str, expected: object, found: object) -> bool:
        return self(label, expected == found, f"{found!r}" if expected == found
                    else f"expected {expected!r}, Moodle has {found!r}")


def main(argv: list[str]) -> int:
    moodle_dir = os.environ.get("MOODLE_DIR", "")
    if not moodle_dir or not (Path(moodle_dir) / "config.php").is_file():
        print("moodle-check: set MOODLE_DIR to a Moodle installation (its folder with config.php)",
              file=sys.stderr)
        return 2
    sources = [Path(arg) for arg in argv] or list(DEFAULT_SOURCES)
    check = Check()
    for source in sources:
        check_course(Path(moodle_dir), source, check)
    print(f"\n{'all checks passed' if not check.failures else f'{check.failures} check(s) FAILED'}")
    return 1 if check.failures else 0


def php(moodle_dir: Path, *args: str) -> dict:
    """Run a subcommand of moodle-check.php in Moodle; its ``SRM-JSON:`` line, decoded."""
    result = subprocess.run(["php", str(PHP_SCRIPT), str(moodle_dir), *args], cwd=moodle_dir,
                            capture_output=True, text=True, timeout=900, check=False)
    for line in result.stdout.splitlines():
        if line.startswith("SRM-JSON: "):
            return json.loads(line[len("SRM-JSON: "):])
    raise RuntimeError(f"moodle-check.php {args[0]} failed (exit {result.returncode}):\n"
                       f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


def check_course(moodle_dir: Path, source: Path, check: Check) -> None:
    course = load_course(source).course
    with tempfile.TemporaryDirectory(prefix="srm-moodle-check-") as out:
        written, _ = build(source, Path(out), ["moodle-backup"])
        backup = written[0].path
        found = check_new_course(moodle_dir, source, course, backup, check)
        check_restored_again(moodle_dir, course, backup, found, check)


def check_new_course(moodle_dir: Path, source: Path, course: Course, backup: Path, check: Check) -> dict:
    """Restore ``backup`` as a new course, compare it with the sources, take every quiz."""
    restored = php(moodle_dir, "restore", str(backup))
    found = php(moodle_dir, "inspect", str(restored["courseid"]))
    print(f"\n{source.relative_to(ROOT) if source.is_relative_to(ROOT) else source} → {backup.name} "
          f"({backup.stat().st_size} bytes), restored on Moodle "
          f"{found['moodle_release']} (PHP {found['php_version']}) as course {restored['courseid']}")
    check("restore as a new course", restored["restored"] and restored["format"] == "moodle2"
          and not restored["precheck"], f"format {restored['format']}, precheck {restored['precheck'] or 'clean'}")
    # a course restored again gets " copy N" appended: Moodle keeps course names unique
    check("course names", found["fullname"].startswith(course.title) and found["shortname"].startswith(course.id),
          f"{found['fullname']!r}, {found['shortname']!r}")
    check.equal("course format", "topics", found["format"])
    check_sections(course, found, check)
    check_pages(course, found, check)
    check_bank(course, found, check)
    check_grade_items(course, found, check)
    quizzes = {quiz["name"]: quiz for quiz in found["quizzes"]}
    for lesson in course.lessons:
        if lesson.quiz is None:
            continue
        quiz = quizzes.get(lesson.quiz.title)
        if check(f"quiz {lesson.quiz.title!r} restored", quiz is not None):
            check_quiz(course, lesson.quiz, quiz, check)
            take_quiz(moodle_dir, course, lesson.quiz, quiz, check)
    return found


def check_restored_again(moodle_dir: Path, course: Course, backup: Path, before: dict, check: Check) -> None:
    """Restore the same ``backup`` again into that course: Moodle adds the activities again, but
    its question bank must match every question (category by stamp, question by its identity
    hash) instead of adding it again, and the new quizzes must use those questions and grade
    as the first ones did."""
    courseid = before["courseid"]
    restored = php(moodle_dir, "restore", str(backup), str(courseid))
    after = php(moodle_dir, "inspect", str(courseid))
    print(f"  … the same {backup.name} restored again into course {courseid}")
    check("restore again into the same course", restored["restored"] and not restored["precheck"],
          f"precheck {restored['precheck'] or 'clean'}")
    check.equal("question bank after the second restore: the same categories, ID numbers and "
                "question counts (no question added again)", before["question_categories"], after["question_categories"])
    earlier = {quiz["id"] for quiz in before["quizzes"]}
    for lesson in course.lessons:
        if lesson.quiz is None:
            continue
        title = lesson.quiz.title
        first = next((q for q in before["quizzes"] if q["name"] == title), None)
        again = [q for q in after["quizzes"] if q["name"] == title and q["id"] not in earlier]
        if first is None:  # already reported by the first restore's checks
            continue
        if not check(f"quiz {title!r} restored again beside the first", len(again) == 1,
                     f"{len(again)} new quiz{'' if len(again) == 1 else 'zes'} of that name"):
            continue
        check.equal(f"{title}: the second quiz uses the first one's questions",
                    [slot["questionid"] for slot in first["slots"]], [slot["questionid"] for slot in again[0]["slots"]])
        check_quiz(course, lesson.quiz, again[0], check)
        take_quiz(moodle_dir, course, lesson.quiz, again[0], check)


def check_sections(course: Course, found: dict, check: Check) -> None:
    expected = [("General", [])] + [
        (lesson.label, [("page", lesson.label)] + ([("quiz", lesson.quiz.title)] if lesson.quiz else []))
        for lesson in course.lessons
    ]
    # section 0 has no name of its own: the course format shows "General"
    actual = [(section["name"] or section["displayname"], [(m["modname"], m["name"]) for m in section["modules"]])
              for section in found["sections"]]
    check.equal("sections, their names and activities", expected, actual)
    check("every activity visible", all(m["visible"] for s in found["sections"] for m in s["modules"]))


def check_pages(course: Course, found: dict, check: Check) -> None:
    pages = {page["name"]: page for page in found["pages"]}
    for lesson in course.lessons:
        page = pages.get(lesson.label)
        if not check(f"page {lesson.label!r} restored", page is not None):
            continue
        content = page["content"]
        titles = [inline_text(section.title) for section in lesson.sections]
        missing = [title for title in titles if inline_html(title) not in content]
        check(f"page {lesson.label!r}: HTML, every section title", page["contentformat"] == 1 and not missing,
              f"{len(content)} characters" + (f"; missing {missing}" if missing else ""))
        bad = [marker for marker in (' id="', 'href="#', "<link", "<script") if marker in content]
        check(f"page {lesson.label!r}: no ids, in-page links, stylesheets or scripts", not bad,
              f"found {bad}" if bad else "none")


def check_bank(course: Course, found: dict, check: Check) -> None:
    categories = {c["name"]: c for c in found["question_categories"]}
    for lesson in course.lessons:
        if lesson.quiz is None:
            continue
        category = categories.get(lesson.label)
        check(f"question category {lesson.label!r} under top, {len(lesson.quiz.questions)} questions",
              category is not None and category["parent_is_top"]
              and category["questions"] == len(lesson.quiz.questions)
              and category["idnumber"] == f"{course.id}/{lesson.id}", json.dumps(category))


def check_grade_items(course: Course, found: dict, check: Check) -> None:
    items = {item["itemname"]: item for item in found["grade_items"] if item["itemmodule"] == "quiz"}
    for quiz in course.quizzes:
        item = items.get(quiz.title)
        expected = {"grademax": float(quiz.points), "gradepass": quiz.points * course.passing_score / 100,
                    "hidden": 0}
        actual = {key: item[key] for key in expected} if item else None
        check.equal(f"grade item {quiz.title!r} right after the restore (max, pass at "
                    f"{course.passing_score}%, visible)", expected, actual)


def check_quiz(course: Course, quiz: Quiz, found: dict, check: Check) -> None:
    name = quiz.title
    check.equal(f"{name}: sumgrades = maximum grade = total points", (quiz.points, quiz.points),
                (found["sumgrades"], found["grade"]))
    check.equal(f"{name}: behaviour, attempts, best attempt counts, one page",
                ("immediatefeedback", quiz.max_attempts or 0, 1, 0),
                (found["preferredbehaviour"], found["attempts"], found["grademethod"], found["questionsperpage"]))
    check.equal(f"{name}: shuffle questions, shuffle choices", (int(quiz.shuffle.questions), int(quiz.shuffle.choices)),
                (found["shufflequestions"], found["shuffleanswers"]))
    shown = DURING | IMMEDIATELY_AFTER
    review = {field: bool(found[f"review{field}"] & shown == shown)
              for field in ("attempt", "correctness", "marks", "specificfeedback", "generalfeedback", "rightanswer")}
    expected_review = dict.fromkeys(review, True) | {"rightanswer": quiz.show_correct_answers}
    check.equal(f"{name}: review options while checking and right after the attempt", expected_review, review)
    check.equal(f"{name}: overall feedback = score bands",
                [inline_html(band.message) for band in quiz.recommendation.bands],
                [feedback["text"] for feedback in found["feedbacks"]])
    slots = found["slots"]
    if not check.equal(f"{name}: questions", len(quiz.questions), len(slots)):
        return
    for question, slot in zip(quiz.questions, slots, strict=True):
        check_question(question, slot, check)


def expected_answers(question: Question) -> list[tuple[str, float]]:
    """Each choice as Moodle should hold it: its text and its fraction (the Moodle XML target's rules)."""
    if question.kind is QuestionKind.TRUE_FALSE:
        return [("True" if c.id == "true" else "False", 1.0 if c.correct else 0.0) for c in question.choices]
    right = 1 / len(question.correct_choices)
    wrong = 0.0 if question.kind is QuestionKind.SINGLE else -1.0
    return [(inline_html(c.text), right if c.correct else wrong) for c in question.choices]


def check_question(question: Question, slot: dict, check: Check) -> None:
    qtype, single = _QTYPES[question.kind]
    check.equal(f"  question {question.id}: type, mark, text, explanation, ID number",
                (qtype, single, float(question.points), inline_html(question.stem),
                 inline_html(question.explanation), question.id),
                (slot["qtype"], slot["single"], slot["maxmark"], slot["questiontext"], slot["generalfeedback"],
                 slot["idnumber"]))
    answers = [(a["text"], round(a["fraction"], 5)) for a in slot["answers"]]
    check.equal(f"  question {question.id}: answers and fractions",
                [(text, round(fraction, 5)) for text, fraction in expected_answers(question)], answers)


def take_quiz(moodle_dir: Path, course: Course, quiz: Quiz, found: dict, check: Check) -> None:
    """Three attempts as a student: all right, all wrong, the first two questions right."""
    right = {s["slot"]: [a["id"] for a, (_, f) in zip(s["answers"], expected_answers(q), strict=True) if f > 0]
             for q, s in zip(quiz.questions, found["slots"], strict=True)}
    wrong = {s["slot"]: [next(a["id"] for a, (_, f) in zip(s["answers"], expected_answers(q), strict=True) if f <= 0)]
             for q, s in zip(quiz.questions, found["slots"], strict=True)}
    mixed = {slot: right[slot] if slot <= 2 else wrong[slot] for slot in right}
    points = [q.points for q in quiz.questions]
    cases = [("all right", right, sum(points)), ("all wrong", wrong, 0), ("first two right", mixed, sum(points[:2]))]
    for label, responses, earned in cases:
        # a new student each time, so that the gradebook holds this attempt's grade
        student = f"srm-{course.id}-{found['id']}-{label.replace(' ', '-')}"
        result = php(moodle_dir, "attempt", str(found["id"]), student, json.dumps(responses))
        percent = 100 * earned / quiz.points
        expected_grade = found["grade"] * earned / quiz.points
        check(f"{quiz.title}: attempt {label}: {earned}/{quiz.points} marks → {percent:.0f} % of "
              f"{found['grade']:g}", result["state"] == "finished" and abs(result["sumgrades"] - earned) < 1e-6
              and abs(result["grade"] - expected_grade) < 1e-4,
              f"Moodle: sumgrades {result['sumgrades']:g}, grade {result['grade']:g}")
        check(f"{quiz.title}: attempt {label}: gradebook", abs(result["gradebook"] - expected_grade) < 1e-4,
              f"{result['gradebook']:g} of {result['gradebook_max']:g}, pass {result['gradebook_pass']:g}")
        visible = {"feedback": True, "generalfeedback": True, "rightanswer": quiz.show_correct_answers}
        check.equal(f"{quiz.title}: attempt {label}: choice feedback, explanation, right answer shown while "
                    "checking and in the review", (visible, visible),
                    tuple({key: result[when][key] for key in visible} for when in ("during", "review")))
        check.equal(f"{quiz.title}: attempt {label}: overall feedback",
                    inline_html(quiz.recommendation.band_for(percent).message), result["overallfeedback"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
