"""Question groups (pools) in the native targets, read back the way each LMS importer reads them:
a Canvas question group (QTI zip and the cartridge's Canvas part), a Moodle XML category per
group, every question in the cartridge's own quiz and the Moodle backup, and the parity notes
that say so."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from srm_package.cli import main
from srm_package.loader import load_course
from srm_package.model import Course, QuestionGroup
from srm_package.questions.parity import notes
from srm_package.targets import canvas_qti, common_cartridge, moodle_xml, qti
from tests.conftest import SOURCE
from tests.importers import (
    CanvasGroup,
    read_canvas_qti_zip,
    read_cartridge_as_canvas,
    read_cartridge_as_moodle,
    read_moodle_xml,
)
from tests.test_qti import QTI_CC, QTI_FULL, assert_valid

POOL = ("ec2-os-patching", "rds-engine-patching", "customer-network-rules")
GROUPS_YAML = ("groups:\n  - id: responsibilities\n    pick: 2\n"
               f"    questions: [{', '.join(POOL)}]\n")


def with_groups(course: Course, *groups: QuestionGroup) -> Course:
    (lesson,) = course.lessons
    quiz = dataclasses.replace(lesson.quiz, groups=groups)
    return dataclasses.replace(course, lessons=(dataclasses.replace(lesson, quiz=quiz),))


@pytest.fixture(scope="module")
def pooled_source(tmp_path_factory) -> Path:
    """The seed course with three of its questions in a pool asking two."""
    root = tmp_path_factory.mktemp("pooled") / "source"
    (root / "lessons").mkdir(parents=True)
    for path in SOURCE.rglob("*"):
        if path.is_file():
            (root / path.relative_to(SOURCE)).write_bytes(path.read_bytes())
    quiz_file = root / "lessons" / "13-shared-responsibility-model.quiz.yaml"
    text = quiz_file.read_text("utf-8")
    quiz_file.write_text(text.replace("shuffle:\n", GROUPS_YAML + "shuffle:\n", 1), "utf-8")
    return root


@pytest.fixture(scope="module")
def pooled(pooled_source) -> Course:
    return load_course(pooled_source).course


def test_the_pooled_quiz_is_scored_over_the_questions_an_attempt_asks(pooled):
    (quiz,) = pooled.quizzes
    assert quiz.asked == 4 and quiz.points == 4 and quiz.all_points == 5
    assert canvas_qti.build_artifact(pooled).summary == "5 questions (4 asked per attempt), 4 points"


def test_canvas_reads_a_question_group_drawing_from_the_pool(schemas, pooled):
    entries = dict(canvas_qti.build_artifact(pooled).entries)
    (quiz,) = pooled.quizzes
    ident = qti.assessment_ident(quiz, pooled.id)
    assert_valid(schemas, QTI_FULL, entries[f"{ident}/{ident}.xml"])
    read = read_canvas_qti_zip(entries)
    assessment, meta = read.quizzes[ident], read.quiz_meta[ident]
    items = {question.id: qti.item_ident(quiz, question, pooled.id) for question in quiz.questions}
    assert assessment.groups == [CanvasGroup("responsibilities", 2, 1.0, [items[qid] for qid in POOL])]
    # every question is imported, the group (where its first question was) then the others;
    # the quiz is worth what an attempt is worth
    others = [q.id for q in quiz.questions if q.id not in POOL]
    assert [q.ident for q in assessment.questions] == [items[qid] for qid in (*POOL, *others)]
    assert float(meta["points_possible"]) == 4.0
    assert meta["shuffle_answers"] == "true"


def test_a_group_sits_where_its_first_question_is(pooled):
    (quiz,) = pooled.quizzes
    document = qti.assessment_document(quiz, profile=qti.Profile.CANVAS, scope=pooled.id)
    from lxml import etree

    root_section = etree.fromstring(document).find(f".//{{{qti.QTI_NS}}}section")
    children = [(child.tag.split("}")[1], child.get("title")) for child in root_section]
    # ec2-os-patching (1st) is in the pool: the group comes first, then the two other questions
    assert children == [("section", "responsibilities"), ("item", qti.item_title(quiz.questions[1])),
                        ("item", qti.item_title(quiz.questions[4]))]
    group = root_section[0]
    assert [item.get("title") for item in group.findall(f"{{{qti.QTI_NS}}}item")] == [
        qti.item_title(question) for question in quiz.questions if question.id in POOL]


def test_two_groups_get_their_own_points_and_picks(pooled):
    two = with_groups(pooled, QuestionGroup("first", 1, ("ec2-os-patching", "aws-only-responsibility")),
                      QuestionGroup("second", 2, ("rds-engine-patching", "customer-network-rules",
                                                  "encryption-in-transit")))
    read = read_canvas_qti_zip(dict(canvas_qti.build_artifact(two).entries))
    (assessment,) = read.quizzes.values()
    assert [(g.title, g.pick_count, len(g.questions)) for g in assessment.groups] == [("first", 1, 2), ("second", 2, 3)]
    assert len(assessment.questions) == 5
    (meta,) = read.quiz_meta.values()
    assert float(meta["points_possible"]) == 3.0


def test_the_cartridge_canvas_part_has_the_group_and_its_own_quiz_every_question(schemas, pooled):
    entries = dict(common_cartridge.build_artifact(pooled).entries)
    canvas = read_cartridge_as_canvas(entries)
    (assessment,) = canvas.quizzes.values()
    assert [(g.title, g.pick_count) for g in assessment.groups] == [("responsibilities", 2)]
    moodle = read_cartridge_as_moodle(entries)
    quizzes = [activity.quiz for _, activities in moodle.sections for activity in activities if activity.quiz]
    (moodle_quiz,) = quizzes
    assert len(moodle_quiz.questions) == 5
    (quiz,) = pooled.quizzes
    cc_document = entries[f"{qti.assessment_ident(quiz, pooled.id)}/assessment_qti.xml"]
    assert_valid(schemas, QTI_CC, cc_document)


def test_moodle_xml_puts_each_group_in_a_category_under_the_lesson(pooled):
    read = read_moodle_xml(moodle_xml.document(pooled))
    (lesson,) = pooled.lessons
    lesson_category = moodle_xml.category_path(lesson)
    group_category = f"{lesson_category}/responsibilities"
    assert read.categories == [lesson_category, group_category]
    by_category = {}
    for category, question in read.questions:
        by_category.setdefault(category, []).append(question)
    assert len(by_category[group_category]) == 3 and len(by_category[lesson_category]) == 2
    stems = {question.stem for question in by_category[group_category]}
    (quiz,) = pooled.quizzes
    assert stems == {moodle_xml.Texts().html(q.stem) for q in quiz.questions if q.id in POOL}


def test_the_parity_report_says_which_targets_ask_every_question_of_a_group(pooled):
    found = notes(pooled, ["scorm12", "scorm2004", "canvas-qti", "cc", "moodle-xml", "moodle-backup", "html"])
    assert [(note.target, note.part, note.group.id) for note in found] == [
        ("cc", "the cartridge quiz (read by Moodle)", "responsibilities"),
        ("moodle-backup", None, "responsibilities"),
    ]
    problem = found[0].as_problem()
    assert problem.file.endswith("13-shared-responsibility-model.quiz.yaml") and problem.line == 9
    assert "asks all 3 of its questions" in problem.message and "not 2 drawn per attempt" in problem.message
    assert found[0].as_dict()["group"] == "responsibilities" and found[0].as_dict()["question"] is None


def test_build_reports_the_notes_and_strict_refuses(tmp_path, pooled_source):
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(pooled_source), "-o", str(tmp_path / "dist"), "-t", "cc",
                                  "-t", "canvas-qti", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    by_target = {package["target"]: package["notes"] for package in report["written"]}
    assert [note["group"] for note in by_target["cc"]] == ["responsibilities"]
    assert by_target["canvas-qti"] == []
    strict = runner.invoke(main, ["build", str(pooled_source), "-o", str(tmp_path / "strict"), "-t", "cc",
                                  "--strict"], catch_exceptions=False)
    assert strict.exit_code == 1
    assert "group responsibilities asks all 3" in strict.stderr
    assert not (tmp_path / "strict").exists() or not any((tmp_path / "strict").iterdir())


def test_check_counts_the_questions_an_attempt_asks(pooled_source):
    result = CliRunner().invoke(main, ["check", str(pooled_source)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "5 question(s) (4 asked per attempt), 4 point(s)" in result.stdout


def test_the_moodle_backup_quiz_asks_and_grades_every_question(pooled):
    from lxml import etree

    from srm_package.package_files import read_entry
    from srm_package.targets import moodle_backup

    artifact = moodle_backup.build_artifact(pooled)
    assert artifact.summary == "1 page, 5 questions, 5 points"
    entries = {name: read_entry(entry) for name, entry in artifact.entries.items()}
    (quiz_xml,) = [data for name, data in entries.items() if name.endswith("/quiz.xml")]
    quiz = etree.fromstring(quiz_xml)
    assert len(quiz.findall(".//question_instance")) == 5
    assert float(quiz.findtext(".//quiz/sumgrades")) == 5.0 and float(quiz.findtext(".//quiz/grade")) == 5.0
    (grades_xml,) = [data for name, data in entries.items() if name.startswith("activities/quiz_")
                     and name.endswith("/grades.xml")]
    assert float(etree.fromstring(grades_xml).findtext(".//grade_item/grademax")) == 5.0


def test_the_student_packages_count_the_questions_an_attempt_asks(pooled):
    from srm_package.targets import html, scorm12

    assert scorm12.build_artifact(pooled).summary == "5 questions (4 asked per attempt), pass mark 80%"
    assert html.build_artifact(pooled).summary == "plain site, 1 lesson, 5 questions (4 asked per attempt); open index.html"
