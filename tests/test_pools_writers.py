"""Question groups (pools) in the native targets, read back the way each LMS importer reads them:
a Canvas question group (QTI zip and the cartridge's Canvas part), a Moodle XML category per
group, every question in the cartridge's own quiz and the Moodle backup, and the parity notes
that say so."""

from __future__ import annotations

import dataclasses
import io
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


def backup_files(course: Course) -> dict[str, bytes]:
    from srm_package.package_files import read_entry
    from srm_package.targets import moodle_backup

    return {name: read_entry(entry) for name, entry in moodle_backup.build_artifact(course).entries.items()}


def test_the_moodle_backup_quiz_draws_from_the_group_category_with_random_slots(pooled):
    from lxml import etree

    from srm_package.targets import moodle_backup

    assert moodle_backup.build_artifact(pooled).summary == "1 page, 5 questions (4 asked per attempt), 4 points"
    files = backup_files(pooled)
    bank = etree.fromstring(files["questions.xml"])
    categories = {category.get("id"): category for category in bank.iter("question_category")}
    by_name = {category.findtext("name"): category for category in categories.values()}
    (lesson,) = pooled.lessons
    group_category, lesson_category = by_name["responsibilities"], by_name[lesson.label]
    assert group_category.findtext("parent") == lesson_category.get("id")
    assert group_category.findtext("idnumber") == f"{pooled.id}/{lesson.id}/responsibilities"
    assert sorted(e.findtext("idnumber") for e in group_category.iter("question_bank_entry")) == sorted(POOL)
    assert all(e.findtext("questioncategoryid") == group_category.get("id")
               for e in group_category.iter("question_bank_entry"))
    assert len(list(lesson_category.iter("question_bank_entry"))) == 2

    (quiz_name,) = [name for name in files if name.startswith("activities/quiz_") and name.endswith("/quiz.xml")]
    quiz = etree.fromstring(files[quiz_name])
    slots = quiz.findall(".//question_instance")
    # the group's two random slots where its first question was (1st), then the two other questions
    assert [slot.findtext("slot") for slot in slots] == ["1", "2", "3", "4"]
    assert [slot.find("question_set_reference") is not None for slot in slots] == [True, True, False, False]
    for slot in slots[:2]:
        reference = slot.find("question_set_reference")
        condition = json.loads(reference.findtext("filtercondition"))
        assert condition["filter"]["category"]["values"] == [int(group_category.get("id"))]
        assert condition["filter"]["category"]["filteroptions"] == {"includesubcategories": False}
        assert reference.findtext("questionscontextid") == group_category.findtext("contextid")
        assert float(slot.findtext("maxmark")) == 1.0
    assert float(quiz.findtext(".//quiz/sumgrades")) == 4.0 and float(quiz.findtext(".//quiz/grade")) == 4.0
    (grades_name,) = [name for name in files if name.startswith("activities/quiz_") and name.endswith("/grades.xml")]
    assert float(etree.fromstring(files[grades_name]).findtext(".//grade_item/grademax")) == 4.0
    inforef = etree.fromstring(files[quiz_name.replace("quiz.xml", "inforef.xml")])
    assert group_category.get("id") in [e.text for e in inforef.iter("id")]


def test_a_group_cut_down_to_what_a_target_carries_draws_at_most_what_is_left(pooled):
    from srm_package.pools import restricted

    (quiz,) = pooled.quizzes
    cut = restricted(quiz, tuple(q for q in quiz.questions if q.id != "rds-engine-patching"))
    assert cut.groups == (QuestionGroup("responsibilities", 2, ("ec2-os-patching", "customer-network-rules")),)
    cut = restricted(quiz, tuple(q for q in quiz.questions if q.id not in POOL[1:]))
    assert cut.groups == (QuestionGroup("responsibilities", 1, ("ec2-os-patching",)),)
    assert restricted(quiz, tuple(q for q in quiz.questions if q.id not in POOL)).groups == ()


def test_the_student_packages_count_the_questions_an_attempt_asks(pooled):
    from srm_package.targets import html, scorm12

    assert scorm12.build_artifact(pooled).summary == "5 questions (4 asked per attempt), pass mark 80%"
    assert html.build_artifact(pooled).summary == "plain site, 1 lesson, 5 questions (4 asked per attempt); open index.html"


def test_validate_passes_the_groups_and_names_a_group_that_picks_more_than_it_holds(tmp_path, pooled_source,
                                                                                   pooled):
    import zipfile

    runner = CliRunner()
    assert runner.invoke(main, ["build", str(pooled_source), "-o", str(tmp_path / "dist"), "-t", "canvas-qti",
                                "-t", "cc"]).exit_code == 0
    assert runner.invoke(main, ["validate", str(tmp_path / "dist")]).exit_code == 0
    (good,) = (tmp_path / "dist").glob("*-canvas-qti.zip")
    bad = tmp_path / "bad" / good.name
    bad.parent.mkdir()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if b"<selection_number>2</selection_number>" in data:
                data = data.replace(b"<selection_number>2</selection_number>", b"<selection_number>4</selection_number>")
            target.writestr(info, data)
    result = runner.invoke(main, ["validate", str(bad), "--format", "json"])
    assert result.exit_code == 1
    findings = [f for package in json.loads(result.stdout)["packages"] for f in package["findings"]]
    (quiz,) = pooled.quizzes
    ident = qti.group_ident(quiz, quiz.groups[0], pooled.id)
    assert [(f["check"], f["message"]) for f in findings if f["severity"] == "error"] == [
        ("qti.selection", f"section {ident!r} picks '4' of the 3 items it holds; pick a whole number from 1 to 3")]


def test_validate_checks_that_random_slots_draw_from_a_category_the_restore_brings_back(tmp_path, pooled):
    import tarfile

    from srm_package.validate import run_validation

    files = backup_files(pooled)
    from lxml import etree

    bank = etree.fromstring(files["questions.xml"])
    group_category = next(c for c in bank.iter("question_category") if c.findtext("name") == "responsibilities")
    for name in [n for n in files if n.endswith("inforef.xml")]:  # the quiz's and the course's
        inforef = etree.fromstring(files[name])
        for row in list(inforef.iter("question_category")):
            if row.findtext("id") == group_category.get("id"):
                row.getparent().remove(row)
        files[name] = etree.tostring(inforef, xml_declaration=True, encoding="UTF-8")
    good, bad = tmp_path / "good.mbz", tmp_path / "bad.mbz"
    for path, entries in ((good, backup_files(pooled)), (bad, files)):
        with tarfile.open(path, "w:gz") as archive:
            for name, data in sorted(entries.items()):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    (good_result, bad_result) = run_validation([good, bad])
    assert [f.check for f in good_result.findings] == []
    found = [(f.check, f.message) for f in bad_result.findings]
    assert [check for check, _ in found] == ["mbz.question-reference", "mbz.question-reference"]
    assert all("which no inforef.xml names" in message for _, message in found)
