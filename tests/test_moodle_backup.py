"""The ``moodle-backup`` target: a Moodle course backup that Moodle's restore takes as it is.

Read back with an independent reader that follows Moodle's restore (tests/support/
moodle_backup_reader.py: tarfile and ElementTree, no srm_package), checked by our own
``validate``, compared with the sources; and restored in a real Moodle when MOODLE_DIR is
set (scripts/moodle-check.py, which CI cannot run).
"""

from __future__ import annotations

import gzip
import io
import os
import struct
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path

import pytest

from srm_package.build import build
from srm_package.loader import load_course
from srm_package.markup import inline_html
from srm_package.model import Course
from srm_package.package import build_timestamp, epoch_seconds, tgz_bytes_to
from srm_package.questions import choice
from srm_package.targets import moodle_backup
from srm_package.validate import run_validation
from tests.conftest import ROOT, SOURCE
from tests.quiz_courses import HOSTILE, hostile_course, multi_lesson_course
from tests.support.moodle_backup_reader import RestoreFailure, members_of, read_moodle_backup

EVERY_KIND = ROOT / "tests" / "roots" / "every-kind"
#: mod_quiz\question\display_options
DURING, IMMEDIATELY_AFTER, LATER_WHILE_OPEN, AFTER_CLOSE = 0x10000, 0x01000, 0x00100, 0x00010


def archive_of(course: Course) -> bytes:
    artifact = moodle_backup.build_artifact(course)
    stream = io.BytesIO()
    tgz_bytes_to(stream, artifact.entries, build_timestamp(course))
    return stream.getvalue()


@pytest.fixture(scope="module")
def every_kind() -> Course:
    return load_course(EVERY_KIND).course


# --------------------------------------------------------------- what Moodle restores
def test_seed_backup_restores_as_sections_a_page_and_a_quiz(seed_course):
    restored = read_moodle_backup(archive_of(seed_course))
    lesson = seed_course.lessons[0]
    assert restored.course["fullname"] == seed_course.title and restored.course["format"] == "topics"
    assert [(s.number, s.name, [(a.modname, a.name) for a in s.activities]) for s in restored.sections] == [
        (0, None, []),
        (1, "Lesson 13: Shared Responsibility Model",
         [("page", "Lesson 13: Shared Responsibility Model"), ("quiz", "Shared Responsibility Model Quiz")]),
    ]
    quiz = restored.quizzes[lesson.quiz.title]
    assert [slot.question.idnumber for slot in quiz.slots] == [q.id for q in lesson.quiz.questions]
    assert float(quiz.settings["sumgrades"]) == float(quiz.settings["grade"]) == 5
    item = restored.grade_items[lesson.quiz.title]
    assert (float(item["grademax"]), float(item["gradepass"]), item["hidden"]) == (5, 4, "0")
    assert restored.categories[lesson.label][::2] == (f"{seed_course.id}/{lesson.id}", True)


def test_every_question_kind_with_its_answers_marks_and_feedback(every_kind):
    restored = read_moodle_backup(archive_of(every_kind))
    for lesson in every_kind.lessons:
        quiz = restored.quizzes[lesson.quiz.title]
        assert [slot.slot for slot in quiz.slots] == list(range(1, len(lesson.quiz.questions) + 1))
        for question, slot in zip(lesson.quiz.questions, quiz.slots, strict=True):
            found = slot.question
            assert (slot.maxmark, found.default_mark, slot.page) == (question.points, question.points, 1)
            assert (found.idnumber, found.category, found.text) == (question.id, lesson.label,
                                                                     inline_html(question.stem))
            assert found.general_feedback == inline_html(question.explanation)
            assert [a.feedback for a in found.answers] == [inline_html(c.feedback) for c in question.response.choices]
            if question.kind == "true_false":
                assert found.qtype == "truefalse"
                assert [(a.text, a.fraction) for a in found.answers] == [
                    ("True" if c.id == "true" else "False", float(c.correct)) for c in question.response.choices]
                continue
            assert (found.qtype, found.options["single"]) == (
                "multichoice", "1" if question.kind == "single" else "0")
            right = 1 / len(question.response.correct_choices)
            wrong = 0.0 if question.kind == "single" else -1.0
            assert [(a.text, a.fraction) for a in found.answers] == [
                (inline_html(c.text), right if c.correct else wrong) for c in question.response.choices]
            assert found.options["shuffleanswers"] == str(int(lesson.quiz.shuffle.choices))
            assert found.options["correctfeedback"] == inline_html(question.feedback.correct)


def test_quiz_settings_grades_and_review_options_come_from_the_sources(every_kind):
    restored = read_moodle_backup(archive_of(every_kind))
    for quiz in every_kind.quizzes:
        found = restored.quizzes[quiz.title]
        settings = found.settings
        assert settings["preferredbehaviour"] == "immediatefeedback"
        assert float(settings["sumgrades"]) == float(settings["grade"]) == quiz.points
        assert settings["attempts_number"] == str(quiz.max_attempts or 0)
        assert settings["questionsperpage"] == "0" and settings["grademethod"] == "1"
        assert (found.shuffle_questions, settings["shuffleanswers"]) == (quiz.shuffle.questions,
                                                                         str(int(quiz.shuffle.choices)))
        every_time = DURING | IMMEDIATELY_AFTER | LATER_WHILE_OPEN | AFTER_CLOSE
        for field in ("attempt", "correctness", "maxmarks", "marks", "specificfeedback", "generalfeedback"):
            assert int(settings[f"review{field}"]) == every_time, field
        assert int(settings["reviewrightanswer"]) == (every_time if quiz.show_correct_answers else 0)
        assert int(settings["reviewoverallfeedback"]) == every_time & ~DURING
        item = restored.grade_items[quiz.title]
        assert float(item["grademax"]) == quiz.points
        assert float(item["gradepass"]) == pytest.approx(quiz.points * every_kind.passing_score / 100)
        # the score bands as overall feedback, each from its minimum up to the next
        bands = quiz.recommendation.bands
        assert [text for text, _, _ in found.feedbacks] == [inline_html(b.message) for b in bands]
        assert found.feedbacks[0][2] == quiz.points + 1 and found.feedbacks[-1][1] == 0
        assert all(lower == upper for (_, lower, _), (_, _, upper) in pairwise(found.feedbacks))


def test_pages_carry_the_lesson_without_ids_in_page_links_or_stylesheets(every_kind):
    restored = read_moodle_backup(archive_of(every_kind))
    for lesson in every_kind.lessons:
        content = restored.pages[lesson.label]
        assert all(inline_html(section.title) in content for section in lesson.sections)
        assert ' id="' not in content and 'href="#' not in content
        assert "<link" not in content and "<script" not in content and "<style" not in content
    kinds = restored.pages[every_kind.lessons[0].label]
    assert 'class="callout callout-key-principle" style="' in kinds
    assert '<table class="comparison"' in kinds and "<th scope=\"col\"" in kinds
    assert "See the table section below." in kinds  # the in-page link became its text


def test_hostile_text_is_escaped_once():
    restored = read_moodle_backup(archive_of(hostile_course()))
    (quiz,) = restored.quizzes.values()
    question = quiz.slots[0].question
    assert "<script>" not in question.text and "&lt;script&gt;" in question.text
    assert quiz.name == f"Quiz {HOSTILE}"
    (page,) = restored.pages.values()
    assert "<script>" not in page and "&lt;script&gt;" in page


# ------------------------------------------------------------------ the archive
def test_the_index_names_every_part_and_moodle_recognises_it(seed_course):
    members = members_of(archive_of(seed_course))
    index = members["moodle_backup.xml"]
    assert index.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<moodle_backup>\n  <information>')
    restored = read_moodle_backup(archive_of(seed_course))
    named = {a.directory for s in restored.sections for a in s.activities}
    assert {name.rsplit("/", 1)[0] for name in members if name.startswith("activities/")} == named
    assert restored.information["backup_release"] == "4.5" and restored.information["include_files"] == "1"


def test_archive_is_a_plain_ustar_tgz_with_fixed_metadata(seed_course, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    written = build(SOURCE, tmp_path, ["moodle-backup"]).written
    data = written[0].path.read_bytes()
    stamp = epoch_seconds(build_timestamp(seed_course))
    flags, mtime = data[3], struct.unpack("<I", data[4:8])[0]
    assert data[:3] == b"\x1f\x8b\x08" and flags == 0 and mtime == stamp  # no file name in the header
    raw = gzip.decompress(data)
    with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
        infos = tar.getmembers()
    assert [i.name for i in infos] == sorted(i.name for i in infos)
    assert all(i.isreg() and i.mode == 0o644 and i.uid == i.gid == 0 and i.uname == i.gname == ""
               and i.mtime == stamp for i in infos)
    assert all(raw[offset + 257:offset + 263] == b"ustar\x00" for offset in _header_offsets(raw))


def _header_offsets(raw: bytes) -> list[int]:
    offsets, offset = [], 0
    while raw[offset:offset + 512].strip(b"\0"):
        offsets.append(offset)
        size = int(raw[offset + 124:offset + 136].strip(b"\0 ") or b"0", 8)
        offset += 512 + (size + 511) // 512 * 512
    return offsets


def test_rebuilds_are_byte_identical_and_follow_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first = build(EVERY_KIND, tmp_path / "a", ["moodle-backup"]).written[0].path.read_bytes()
    second = build(EVERY_KIND, tmp_path / "b", ["moodle-backup"]).written[0].path.read_bytes()
    assert first == second
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225700")
    third = build(EVERY_KIND, tmp_path / "c", ["moodle-backup"]).written[0].path.read_bytes()
    assert third != first
    assert members_of(third).keys() == members_of(first).keys()


def test_ids_come_from_source_ids_so_adding_a_lesson_keeps_the_others():
    course = multi_lesson_course()
    fewer = Course(**{**course.__dict__, "lessons": course.lessons[1:]})
    def folders(c: Course) -> dict[str, str]:
        return {a.name: a.directory for s in read_moodle_backup(archive_of(c)).sections for a in s.activities}
    assert folders(fewer).items() <= folders(course).items()
    assert read_moodle_backup(archive_of(fewer)).categories.items() <= read_moodle_backup(
        archive_of(course)).categories.items()


def test_our_validator_passes_the_backup_and_reads_every_member(tmp_path):
    for source in (SOURCE, EVERY_KIND):
        written = build(source, tmp_path / source.name, ["moodle-backup"]).written
        (result,) = run_validation([written[0].path])
        assert result.kind == "moodle-backup" and result.findings == ()
        assert {"mbz.file-missing", "xml.malformed", "zip.path-traversal"} <= set(result.checks)


def test_reader_refuses_what_the_restore_refuses(seed_course):
    members = members_of(archive_of(seed_course))
    members["moodle_backup.xml"] = members["moodle_backup.xml"].replace(b'"1.0"', b"'1.0'", 1)
    stream = io.BytesIO()
    tgz_bytes_to(stream, members, (2026, 1, 1, 0, 0, 0))
    with pytest.raises(RestoreFailure, match="not recognised"):
        read_moodle_backup(stream.getvalue())


# ------------------------------------------------------ restoring the same backup again
#: question fields that hold a user or an id, which the restore rewrites: Moodle leaves them
#: out of a question's identity hash, but only when they are set (isset() in
#: restore_qtype_plugin::remove_excluded_question_data)
REWRITTEN_BY_THE_RESTORE = ("createdby", "modifiedby", "trueanswer", "falseanswer")


def questions_by_idnumber(archive: bytes) -> dict[str, ET.Element]:
    root = ET.fromstring(members_of(archive)["questions.xml"])
    return {entry.findtext("idnumber"): entry.find("question_version/question_versions/questions/question")
            for entry in root.iter("question_bank_entry")}


def hashed_values(question: ET.Element) -> list[str]:
    """What Moodle's identity hash of a question takes from the backup: every field's value
    (its type's options and answers too) but the ids (attributes here) and the rewritten ones."""
    return sorted(leaf.text or "" for leaf in question.iter()
                  if len(leaf) == 0 and leaf.tag not in REWRITTEN_BY_THE_RESTORE)


def test_restoring_the_backup_again_reuses_its_questions(every_kind):
    """Pins the values Moodle's match of questions depends on. Restoring a backup again into the
    same course, Moodle 4.5 reuses a question category with the same stamp and, in it, a question
    whose identity hash matches (restore_dbops::prechek_precheck_qbanks_by_level): a sha1 of the
    question's field values, the backup's against the copy in Moodle's database. A NULL author
    (``createdby``/``modifiedby``) stayed in the backup's hash as "" while the database copy
    holds the restoring user (and is left out), so every second restore added every question
    again (measured; scripts/moodle-check.py checks the real restore). The other values in the
    hash (times, stamp, texts, fractions) must come from the sources and the build timestamp
    only, so that a question hashes the same in every build of the same sources."""
    assert {q.kind for quiz in every_kind.quizzes for q in quiz.questions} == set(choice.TYPE.kinds)
    time = str(epoch_seconds(build_timestamp(every_kind)))
    for question in questions_by_idnumber(archive_of(every_kind)).values():
        qtype = question.findtext("qtype")
        options = question.find(f"plugin_qtype_{qtype}_question/{qtype}")
        rewritten = {leaf.tag: leaf.text for leaf in (*question, *options) if leaf.tag in REWRITTEN_BY_THE_RESTORE}
        assert {"createdby", "modifiedby"} <= rewritten.keys()
        assert all(value.isdigit() for value in rewritten.values()), rewritten  # set: never $@NULL@$
        assert question.findtext("timecreated") == question.findtext("timemodified") == time
    # a lesson's questions hash the same whatever the other lessons hold
    course = multi_lesson_course()
    fewer = Course(**{**course.__dict__, "lessons": course.lessons[1:]})
    hashed = {idnumber: hashed_values(q) for idnumber, q in questions_by_idnumber(archive_of(course)).items()}
    assert {idnumber: hashed_values(q) for idnumber, q in questions_by_idnumber(archive_of(fewer)).items()}.items() \
        <= hashed.items()


# ------------------------------------------------------------------ a real Moodle
def test_a_real_moodle_restores_it_and_grades_the_quizzes():
    """scripts/moodle-check.py: restore in Moodle, compare with the sources, take each quiz."""
    moodle_dir = os.environ.get("MOODLE_DIR")
    if not moodle_dir:
        pytest.skip("MOODLE_DIR is not set: no local Moodle to restore the backup in "
                    "(see ../shared/moodle/setup-moodle.sh and docs/moodle.md)")
    completed = subprocess.run([sys.executable, str(ROOT / "scripts" / "moodle-check.py")], cwd=ROOT,
                               capture_output=True, text=True, timeout=1800, check=False,
                               env={**os.environ, "MOODLE_DIR": moodle_dir})
    assert completed.returncode == 0, completed.stdout[-6000:] + completed.stderr[-3000:]
    assert completed.stdout.rstrip().endswith("all checks passed")
    assert " FAIL " not in completed.stdout
    for phrase in ("5/5 marks → 100 % of 5", "0/5 marks → 0 % of 5", "2/5 marks → 40 % of 5"):
        assert phrase in completed.stdout
    # tests/roots/media: its Page's and its questions' images stored in their areas and shown
    assert "page 'Lesson 1: Capacity Planning': every image in Moodle's file storage" in completed.stdout
    assert "review of the all-right attempt: every image loaded (naturalWidth > 0)" in completed.stdout


def test_moodle_check_refuses_to_run_without_moodle_dir():
    completed = subprocess.run([sys.executable, str(ROOT / "scripts" / "moodle-check.py")], cwd=ROOT,
                               capture_output=True, text=True, timeout=120, check=False,
                               env={k: v for k, v in os.environ.items() if k != "MOODLE_DIR"})
    assert completed.returncode == 2 and "MOODLE_DIR" in completed.stderr
    assert Path(ROOT / "scripts" / "moodle-check.php").is_file()
