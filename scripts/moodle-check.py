#!/usr/bin/env python3
"""Check the ``moodle-backup`` target in a real Moodle: restore it, read it back, take its quizzes.

CI cannot run Moodle, so this runs where one is installed (``../shared/moodle/setup-moodle.sh``):

    MOODLE_DIR=/path/to/moodle python scripts/moodle-check.py [SOURCE_DIR ...]

For each course (default: ``source/``, ``tests/roots/every-kind/`` and ``tests/roots/all-types/``)
it builds the ``.mbz``,
restores it as a new course through Moodle's own restore API, and compares what Moodle
made of it with the sources: sections and their names, pages, quizzes (questions, their
types, answers and marks, sumgrades, maximum grade, pass grade, behaviour, attempts,
shuffling, review options), the question bank and the grade items. Then a student takes
every quiz three times through Moodle's quiz API (all right, all wrong, the first two
right) and the grades are checked against the points in the sources (matching, fill-in, numeric and
ordering questions are answered with Moodle's own right response, and a wrong one). A
question the backup leaves out (the parity report says which and why) is left out of
these expectations too. Then it restores
the same ``.mbz`` again into that course: the question bank must stay as it was (no
question added again), the new quizzes must use the same questions and grade the same.
Finally it imports the course's Moodle XML file into a new course's question bank with
"Get category from file": a category per lesson, and one per question group below it, each
holding its questions.

Images: every ``@@PLUGINFILE@@`` file of a Page's content and of each question's texts must be
in Moodle's file storage, in that text's own file area, with the content of the source file;
then, logged in as a student in headless Chromium (``playwright``, ``/usr/bin/chromium``), the
Page and the review of that student's attempt must show every image of the lesson and of the
question texts, loaded (``naturalWidth > 0``) from ``pluginfile.php``, which serves each one
byte for byte as in the sources.

Moodle's side is ``scripts/moodle-check.php``; every expectation is computed here from the
sources (texts as the Moodle XML target writes them: images as ``@@PLUGINFILE@@/<name>``,
formulas as LaTeX).

Prints one line per check; exit 0 when all pass, 1 when one fails, 2 without MOODLE_DIR.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from srm_package import pools  # noqa: E402
from srm_package.build import build  # noqa: E402
from srm_package.loader import load_course  # noqa: E402
from srm_package.markup import inline_html, inline_text  # noqa: E402
from srm_package.model import Course, MediaFile, Question, QuestionGroup, Quiz  # noqa: E402
from srm_package.questions import carries  # noqa: E402
from srm_package.questions.base import Form  # noqa: E402
from srm_package.rich_text import files_of, renderer_for  # noqa: E402
from srm_package.targets.moodle_xml import TEXT_STYLE  # noqa: E402

PHP_SCRIPT = Path(__file__).with_suffix(".php")
DEFAULT_SOURCES = (ROOT / "source", ROOT / "tests" / "roots" / "every-kind", ROOT / "tests" / "roots" / "media",
                   ROOT / "tests" / "roots" / "all-types", ROOT / "tests" / "roots" / "pooled-quiz")
CHROMIUM = "/usr/bin/chromium"
#: the password moodle-check.php gives the students it creates
STUDENT_PASSWORD = "Student#Local1"
#: mod_quiz\question\display_options: during the attempt, and immediately after it
DURING, IMMEDIATELY_AFTER = 0x10000, 0x01000
#: attempts that show a pool draws: with 2 of 3 questions, all alike by chance one time in 81
DRAWS = 5
_QTYPES = {"single": ("multichoice", 1), "multiple": ("multichoice", 0), "true_false": ("truefalse", None),
           "matching": ("match", None), "fill_in": ("shortanswer", None), "numeric": ("numerical", None),
           "ordering": ("ordering", None)}
_CHOICE_KINDS = ("single", "multiple", "true_false")
#: how a one-blank question's stem shows its blank in Moodle
_BLANK = re.compile(r"(?<![\\!])\[[a-z][a-z0-9_]*\](?![(\[:])")


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
    course = carried_course(load_course(source).course)
    with tempfile.TemporaryDirectory(prefix="srm-moodle-check-") as out:
        written = build(source, Path(out), ["moodle-backup"]).written
        backup = written[0].path
        found = check_new_course(moodle_dir, source, course, backup, check)
        check_restored_again(moodle_dir, course, backup, found, check)
        check_moodle_xml(moodle_dir, source, Path(out), check)


def check_moodle_xml(moodle_dir: Path, source: Path, out: Path, check: Check) -> None:
    """Import the course's Moodle XML file into a new course, "Get category from file" ticked:
    a category per lesson holding its questions in no group, and below it one per group."""
    course = load_course(source).course
    (written,) = build(source, out / "xml", ["moodle-xml"]).written
    imported = php(moodle_dir, "import-xml", str(written.path))
    print(f"  … {written.path.name} imported into the question bank of a new course {imported['courseid']}")
    if not check("Moodle XML import (question/format/xml, category from file)", imported["imported"]):
        return
    found = {category["path"]: category for category in imported["categories"]}
    for lesson in course.lessons:
        if lesson.quiz is None:
            continue
        quiz = lesson.quiz
        expected = [(lesson.label, f"{course.id}/{lesson.id}", quiz.always_asked)]
        expected += [(f"{lesson.label}/{group.id}", f"{course.id}/{lesson.id}/{group.id}", quiz.group_questions(group))
                     for group in quiz.groups]
        for path, idnumber, questions in expected:
            carried = sorted(q.id for q in questions if carries(q, Form.MOODLE_XML))
            category = found.get(path)
            # a cloze question's blanks are bank entries of their own, without an ID number
            held = [qid for qid in category["questions"] if qid is not None] if category else None
            check.equal(f"  category {path!r}: its ID number and questions",
                        (idnumber, carried), (category["idnumber"], held) if category else None)


def carried_course(course: Course) -> Course:
    """``course`` with only the questions the backup carries (``build`` reports the others)."""
    from dataclasses import replace

    lessons = []
    for lesson in course.lessons:
        if lesson.quiz is not None:
            kept = pools.carried(lesson.quiz, Form.MOODLE_BACKUP)
            left_out = [q.id for q in lesson.quiz.questions if q not in kept.questions]
            if left_out:
                print(f"  (left out of the backup, as build reports: {', '.join(left_out)})")
            lesson = replace(lesson, quiz=kept)
        lessons.append(lesson)
    return replace(course, lessons=tuple(lessons))


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
    reviews: list[tuple[Quiz, str, int]] = []
    for lesson in course.lessons:
        if lesson.quiz is None:
            continue
        quiz = quizzes.get(lesson.quiz.title)
        if check(f"quiz {lesson.quiz.title!r} restored", quiz is not None):
            check_quiz(course, lesson.quiz, quiz, check, found["exif_remover"]["types"])
            attempts = take_quiz(moodle_dir, course, lesson.quiz, quiz, check)
            reviews.append((lesson.quiz, *attempts["all right"]))
    if course.media:
        check_images_shown(course, found, reviews, check)
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
        check.equal(f"{title}: the second quiz uses the first one's questions (random slots: their group's)",
                    [slot["questionid"] if slot["qtype"] != "random" else "random" for slot in first["slots"]],
                    [slot["questionid"] if slot["qtype"] != "random" else "random" for slot in again[0]["slots"]])
        check_quiz(course, lesson.quiz, again[0], check, after["exif_remover"]["types"])
        take_quiz(moodle_dir, course, lesson.quiz, again[0], check)


def moodle_text(course: Course, markdown: str, quiz: Quiz | None = None) -> str:
    """A text as the backup writes it: HTML, images as ``@@PLUGINFILE@@/<name>``, formulas as LaTeX."""
    return renderer_for(course, TEXT_STYLE).inline(markdown, quiz.images if quiz else ())


_PLUGINFILE = re.compile(r'@@PLUGINFILE@@/([^"\'\s<>?#]+)')


#: what Moodle's EXIF remover did to a file of a type it rewrites (see ``exif_remover`` of inspect)
REWRITTEN = "(rewritten by Moodle's EXIF remover)"


def stored_images(text: str | None, files: list[dict], media: dict[str, MediaFile],
                  rewritten: list[str]) -> tuple[dict, dict]:
    """What a text shows (each ``@@PLUGINFILE@@`` name with its source file's SHA-1) and what
    Moodle's file storage holds in the text's area (name → SHA-1). A file of a type Moodle's
    EXIF remover rewrites as it stores it counts as REWRITTEN when its content differs."""
    shown = {unquote(name) for name in _PLUGINFILE.findall(text or "")}
    expected = {name: media[name].sha1 if name in media else "(no such file in the sources)" for name in shown}
    held = {}
    for file in files:
        source = media.get(file["name"])
        changed = source is not None and file["contenthash"] != source.sha1 and file["mimetype"] in rewritten
        held[file["name"]] = REWRITTEN if changed else file["contenthash"]
        if changed and file["name"] in expected:
            expected[file["name"]] = REWRITTEN
    return expected, held


def check_stored(label: str, areas: list[tuple[str, str | None, list[dict]]], media: dict[str, MediaFile],
                 rewritten: list[str], check: Check) -> None:
    """Each (area, text, its files): the images the text shows are exactly the files of its area,
    with the sources' content (or rewritten by the EXIF remover). Silent for texts without
    images in areas without files."""
    expected, found = {}, {}
    for area, text, files in areas:
        shows, holds = stored_images(text, files, media, rewritten)
        if shows or holds:
            expected[area], found[area] = shows, holds
    if expected:
        count = sum(len(files) for files in found.values())
        changed = sorted(name for files in found.values() for name, held in files.items() if held == REWRITTEN)
        check(f"{label}: every image in Moodle's file storage, in its text's own area, as in the sources (SHA-1)",
              expected == found, f"{count} file(s) in {', '.join(found)}"
              + (f"; {', '.join(changed)} {REWRITTEN}" if changed else "") if expected == found
              else f"expected {expected!r}, Moodle has {found!r}")


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
        check_stored(f"page {lesson.label!r}", [("content", content, page["files"])],
                     {media.name: media for media in course.media}, found["exif_remover"]["types"], check)


def check_bank(course: Course, found: dict, check: Check) -> None:
    categories = {c["name"]: c for c in found["question_categories"]}
    for lesson in course.lessons:
        if lesson.quiz is None:
            continue
        quiz = lesson.quiz
        category = categories.get(lesson.label)
        check(f"question category {lesson.label!r} under top, {len(quiz.always_asked)} questions",
              category is not None and category["parent_is_top"]
              and category["questions"] == len(quiz.always_asked)
              and category["idnumber"] == f"{course.id}/{lesson.id}", json.dumps(category))
        for group in quiz.groups:
            category = categories.get(group.id)
            check(f"question category {group.id!r} of a group, below the lesson's, {len(group.question_ids)} questions",
                  category is not None and not category["parent_is_top"]
                  and category["questions"] == len(group.question_ids)
                  and category["idnumber"] == f"{course.id}/{lesson.id}/{group.id}", json.dumps(category))


def check_grade_items(course: Course, found: dict, check: Check) -> None:
    items = {item["itemname"]: item for item in found["grade_items"] if item["itemmodule"] == "quiz"}
    for quiz in course.quizzes:
        item = items.get(quiz.title)
        expected = {"grademax": float(quiz.points), "gradepass": quiz.points * course.passing_score / 100,
                    "hidden": 0}
        actual = {key: item[key] for key in expected} if item else None
        check.equal(f"grade item {quiz.title!r} right after the restore (max, pass at "
                    f"{course.passing_score}%, visible)", expected, actual)


def check_quiz(course: Course, quiz: Quiz, found: dict, check: Check, rewritten: list[str]) -> None:
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
                [moodle_text(course, band.message) for band in quiz.recommendation.bands],
                [feedback["text"] for feedback in found["feedbacks"]])
    slots = found["slots"]
    expected = expected_slots(quiz)
    if not check.equal(f"{name}: slots (a random one per question a group picks)", len(expected), len(slots)):
        return
    media = {media.name: media for media in course.media}
    for (question, group), slot in zip(expected, slots, strict=True):
        if group is not None:
            check.equal(f"  slot {slot['slot']}: a random question of group {group.id}, its mark",
                        ("random", float(question.points)), (slot["qtype"], slot["maxmark"]))
            continue
        check_question(course, quiz, question, slot, check)
        files = slot["files"]
        check_stored(f"  question {question.id}", [
            ("questiontext", slot["questiontext"], files["questiontext"]),
            ("generalfeedback", slot["generalfeedback"], files["generalfeedback"]),
            *((area, files["texts"][area], files[area])
              for area in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")),
            *(area for number, answer in enumerate(slot["answers"], 1)
              for area in ((f"answer {number}", answer["text"], answer["files"]),
                           (f"answer {number} feedback", answer["feedback"], answer["feedback_files"]))),
        ], media, rewritten, check)


def expected_slots(quiz: Quiz) -> list[tuple[Question, QuestionGroup | None]]:
    """The quiz's slots in order: a question of no group, or ``pick`` random slots in place of a
    group (where its first question is), each with that question (for its points) and the group."""
    slots: list[tuple[Question, QuestionGroup | None]] = []
    placed: set[str] = set()
    for question in quiz.questions:
        group = quiz.group_of(question)
        if group is None:
            slots.append((question, None))
        elif group.id not in placed:
            placed.add(group.id)
            slots += [(question, group)] * group.pick
    return slots


def expected_answers(course: Course, quiz: Quiz, question: Question) -> list[tuple[str, float]]:
    """Each answer as Moodle should hold it: its text and its fraction (the Moodle XML target's rules)."""
    feedback_answer = [("*", 0.0)] if question.feedback.incorrect else []  # Moodle's catch-all
    if question.kind == "fill_in":
        (blank,) = question.response.blanks
        return [(text.replace("*", "\\*"), 1.0) for text in blank.answers] + feedback_answer
    if question.kind == "numeric":
        return [(_number(question.response.answer), 1.0)] + feedback_answer
    if question.kind == "ordering":  # the fraction is the item's place
        return [(moodle_text(course, item, quiz), float(n)) for n, item in enumerate(question.response.items, 1)]
    if question.kind == "matching":
        return []
    if question.kind == "true_false":
        return [("True" if c.id == "true" else "False", 1.0 if c.correct else 0.0) for c in question.response.choices]
    right = 1 / len(question.response.correct_choices)
    # a wrong choice takes away all (all or nothing) or one share (partial credit)
    wrong = 0.0 if question.kind == "single" else -right if question.response.partial_credit else -1.0
    return [(moodle_text(course, c.text, quiz), right if c.correct else wrong) for c in question.response.choices]


def _number(value: object) -> str:
    """A number as the source wrote it: no exponent, no trailing zeros."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def check_question(course: Course, quiz: Quiz, question: Question, slot: dict, check: Check) -> None:
    qtype, single = _QTYPES[question.kind]
    stem = _BLANK.sub("________", question.stem) if question.kind == "fill_in" else question.stem
    check.equal(f"  question {question.id}: type, mark, text, explanation, ID number",
                (qtype, single, float(question.points), moodle_text(course, stem, quiz),
                 moodle_text(course, question.explanation, quiz), question.id),
                (slot["qtype"], slot["single"], slot["maxmark"], slot["questiontext"], slot["generalfeedback"],
                 slot["idnumber"]))
    answers = [(a["text"], round(a["fraction"], 5)) for a in slot["answers"]]
    check.equal(f"  question {question.id}: answers and fractions",
                [(text, round(fraction, 5)) for text, fraction in expected_answers(course, quiz, question)], answers)
    response = question.response
    if question.kind == "matching":
        expected = [(moodle_text(course, pair.prompt, quiz), inline_text(pair.match)) for pair in response.pairs]
        expected += [("", inline_text(distractor)) for distractor in response.distractors]
        check.equal(f"  question {question.id}: prompts and their matches, then the distractors", expected,
                    [(sub["text"], sub["answer"]) for sub in slot["subquestions"]])
    elif question.kind == "numeric":
        check.equal(f"  question {question.id}: tolerance", float(response.tolerance), slot["answers"][0]["tolerance"])
    elif question.kind == "fill_in":
        check.equal(f"  question {question.id}: case sensitivity", int(response.case_sensitive),
                    int(slot["options"]["usecase"]))
    elif question.kind == "ordering":
        check.equal(f"  question {question.id}: grading (absolute position / all or nothing), every item shown",
                    (0 if response.partial_credit else -1, 0),
                    (int(slot["options"]["gradingtype"]), int(slot["options"]["selecttype"])))


def take_quiz(moodle_dir: Path, course: Course, quiz: Quiz, found: dict, check: Check) -> dict[str, tuple[str, int]]:
    """Three attempts as a student: all right, all wrong, the first two questions right; each
    case's student and attempt id. Choices: the ids of the right ones, or of one wrong one; the
    other types: Moodle makes the response ("right" or "wrong", see moodle-check.php)."""
    answers = {q.id: expected_answers(course, quiz, q) for q in quiz.questions}
    pairs = list(zip(expected_slots(quiz), found["slots"], strict=True))
    # a random slot's question is known only once drawn: Moodle answers it ("right"/"wrong")
    right = {s["slot"]: [a["id"] for a, (_, f) in zip(s["answers"], answers[q.id], strict=True) if f > 0]
             if q.kind in _CHOICE_KINDS and g is None else "right" for (q, g), s in pairs}
    wrong = {s["slot"]: [next(a["id"] for a, (_, f) in zip(s["answers"], answers[q.id], strict=True) if f <= 0)]
             if q.kind in _CHOICE_KINDS and g is None else "wrong" for (q, g), s in pairs}
    mixed = {slot: right[slot] if slot <= 2 else wrong[slot] for slot in right}
    points = [q.points for (q, _), _ in pairs]
    cases = [("all right", right, sum(points)), ("all wrong", wrong, 0), ("first two right", mixed, sum(points[:2]))]
    attempts = {}
    for label, responses, earned in cases:
        # a new student each time, so that the gradebook holds this attempt's grade
        student = f"srm-{course.id}-{found['id']}-{label.replace(' ', '-')}"
        result = php(moodle_dir, "attempt", str(found["id"]), student, json.dumps(responses))
        attempts[label] = (student, result["attemptid"])
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
                    moodle_text(course, quiz.recommendation.band_for(percent).message), result["overallfeedback"])
        if quiz.groups:
            check_draw(quiz, pairs, result, f"{quiz.title}: attempt {label}", check)
    if quiz.groups:
        draws = set()
        for number in range(1, DRAWS + 1):
            student = f"srm-{course.id}-{found['id']}-draw-{number}"
            result = php(moodle_dir, "attempt", str(found["id"]), student, json.dumps(right))
            check(f"{quiz.title}: draw {number}: all right → {quiz.points}/{quiz.points}",
                  abs(result["sumgrades"] - quiz.points) < 1e-6, f"Moodle: sumgrades {result['sumgrades']:g}")
            draws.add(check_draw(quiz, pairs, result, f"{quiz.title}: draw {number}", check))
        check(f"{quiz.title}: {DRAWS} attempts drew more than one set of questions", len(draws) > 1,
              "; ".join(" ".join(draw) for draw in sorted(draws)))
    return attempts


def check_draw(quiz: Quiz, pairs: list, result: dict, label: str, check: Check) -> tuple[str, ...]:
    """The questions an attempt's random slots asked: each of its group, none twice; returns them."""
    asked = [result["checked"][str(slot["slot"])]["idnumber"] for (_, group), slot in pairs if group is not None]
    groups = [group for (_, group), _ in pairs if group is not None]
    check(f"{label}: each random slot asked a question of its group, none twice",
          all(qid in group.question_ids for qid, group in zip(asked, groups, strict=True))
          and len(set(asked)) == len(asked), ", ".join(asked))
    return tuple(asked)


def check_images_shown(course: Course, found: dict, reviews: list[tuple[Quiz, str, int]], check: Check) -> None:
    """In headless Chromium, logged in as each quiz's all-right student: each Page and the review of
    that attempt show the images their texts show, loaded from pluginfile.php, byte for byte the
    sources' files. Requests that leave the site (Moodle's MathJax from its CDN) are refused."""
    from playwright.sync_api import sync_playwright

    wwwroot = found["wwwroot"].rstrip("/")
    text = renderer_for(course, TEXT_STYLE)
    pages = {page["name"]: page for page in found["pages"]}
    rewritten = found["exif_remover"]["types"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            for number, (quiz, student, attempt) in enumerate(reviews):
                context = browser.new_context()
                context.route(re.compile(rf"^(?!{re.escape(wwwroot)}/)"), lambda route: route.abort())
                tab = context.new_page()
                tab.goto(f"{wwwroot}/login/index.php")
                tab.fill("#username", student)
                tab.fill("#password", STUDENT_PASSWORD)
                tab.click("#loginbtn")
                tab.wait_for_load_state()
                if not check(f"log in as {student}", "/login/" not in tab.url, tab.url):
                    continue
                if number == 0:  # the Pages, once: every student of the course sees the same
                    for lesson in course.lessons:
                        page = pages.get(lesson.label)
                        if page is not None and lesson.images:
                            expected = {media.name for media in files_of(course, lesson.images)}
                            _check_shown(tab, f"page {lesson.label!r}", f"{wwwroot}/mod/page/view.php?id={page['cmid']}",
                                         expected, course, rewritten, check)
                expected = {media.name for question in quiz.questions
                            for markdown in _review_texts(question) for media in text.rendered(markdown, quiz.images).files}
                if expected:
                    _check_shown(tab, f"{quiz.title}: review of the all-right attempt",
                                 f"{wwwroot}/mod/quiz/review.php?attempt={attempt}", expected, course, rewritten, check)
                context.close()
        finally:
            browser.close()


def _review_texts(question: Question) -> list[str]:
    """The texts the review of an all-right attempt shows: the question, every choice, the right
    choices' feedback, the correct-answer feedback and the explanation (for the other types: the
    question, its prompts or items, the correct-answer feedback and the explanation)."""
    texts = [question.stem, question.explanation]
    if question.kind == "matching":
        return texts + [pair.prompt for pair in question.response.pairs] + [question.feedback.correct]
    if question.kind == "ordering":
        return texts + list(question.response.items) + [question.feedback.correct]
    if question.kind in ("fill_in", "numeric"):  # the right answers' feedback
        return texts + [question.feedback.correct]
    if question.kind != "true_false":
        texts += [choice.text for choice in question.response.choices] + [question.feedback.correct]
    return texts + [choice.feedback for choice in question.response.correct_choices]


def _check_shown(tab, label: str, url: str, expected: set[str], course: Course, rewritten: list[str],
                 check: Check) -> None:
    """``url`` shows exactly the images ``expected``, each loaded, each served as the source file
    (a file Moodle's EXIF remover rewrote: an image of the same format and size)."""
    media = {media.name: media for media in course.media}
    tab.goto(url)
    tab.wait_for_function("Array.from(document.images).every((image) => image.complete)")
    images = tab.evaluate("""Array.from(document.images).filter((image) => image.src.includes('/pluginfile.php/'))
        .map((image) => ({src: image.currentSrc || image.src, width: image.naturalWidth}))""")
    names = [unquote(urlsplit(image["src"]).path.rsplit("/", 1)[-1]) for image in images]
    check.equal(f"{label}: the images shown (from pluginfile.php)", sorted(expected), sorted(set(names)))
    served, changed = [], []
    for image, name in zip(images, names, strict=True):
        response = tab.context.request.get(image["src"])
        source = media.get(name)
        same = source is not None and response.status == 200 and response.body() == Path(source.path).read_bytes()
        if not same and source is not None and response.status == 200 and source.media_type in rewritten:
            same = _same_picture(response.body(), source)
            changed.append(name)
        served.append(image["width"] > 0 and same)
    check(f"{label}: every image loaded (naturalWidth > 0) and served as in the sources, byte for byte",
          bool(served) and all(served), f"{sum(served)} of {len(images)}"
          + (f"; {', '.join(changed)} {REWRITTEN}: same format and size" if changed else ""))


def _same_picture(data: bytes, source: MediaFile) -> bool:
    """Whether ``data`` is an image of the source's type and size (what the EXIF remover keeps)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return Image.MIME.get(image.format or "") == source.media_type and image.size == (source.width, source.height)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
