"""The matching, fill-in, numeric and ordering questions in the Moodle course backup (.mbz), read
back the way Moodle's restore reads each type's part (``question/type/*/backup/moodle2``);
scripts/moodle-check.py restores the same backup in a real Moodle and takes its quiz."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from srm_package.build import build
from srm_package.markup import inline_html, inline_text
from srm_package.package import build_timestamp, tgz_bytes_to
from srm_package.targets import moodle_backup
from srm_package.validate import run_validation
from tests.questions.common import ALL_TYPES, all_types, question
from tests.support.moodle_backup_reader import members_of, read_moodle_backup


@pytest.fixture(scope="module")
def archive() -> bytes:
    course = all_types()
    stream = io.BytesIO()
    tgz_bytes_to(stream, moodle_backup.build_artifact(course).entries, build_timestamp(course))
    return stream.getvalue()


@pytest.fixture(scope="module")
def bank(archive) -> dict[str, ET.Element]:
    """Each question of the backup's bank by its ID number."""
    root = ET.fromstring(members_of(archive)["questions.xml"])
    return {entry.findtext("idnumber"): entry.find("question_version/question_versions/questions/question")
            for entry in root.iter("question_bank_entry")}


def _answers(question: ET.Element) -> list[tuple[str, float, str]]:
    return [(a.findtext("answertext"), float(a.findtext("fraction")), a.findtext("feedback"))
            for a in question.findall(f"plugin_qtype_{question.findtext('qtype')}_question/answers/answer")]


def test_every_question_is_in_the_backup_but_those_with_several_blanks(archive):
    restored = read_moodle_backup(archive)
    (quiz,) = restored.quizzes.values()
    several = {q.id for q in all_types().questions if q.kind == "fill_in" and len(q.response.blanks) > 1}
    assert several == {"fill-of-in", "fill-case"}
    carried = [q for q in all_types().questions if q.id not in several]
    assert [slot.question.idnumber for slot in quiz.slots] == [q.id for q in carried]
    assert [slot.maxmark for slot in quiz.slots] == [q.points for q in carried]
    # the quiz's and the course's totals are the points of the questions the backup holds
    total = sum(q.points for q in carried)
    assert float(quiz.settings["sumgrades"]) == float(quiz.settings["grade"]) == total
    course_total = ET.fromstring(members_of(archive)["gradebook.xml"]).find("grade_items/grade_item")
    assert float(course_total.findtext("grademax")) == total


def test_matching_is_moodles_match_with_a_row_per_prompt_then_per_distractor(bank):
    source = question("match-services")
    match = bank["match-services"]
    assert match.findtext("qtype") == "match"
    plugin = match.find("plugin_qtype_match_question")
    options = plugin.find("matchoptions")
    assert options.findtext("correctfeedback") == "All matched."
    assert options.findtext("incorrectfeedback") == options.findtext("partiallycorrectfeedback") == (
        "Think about how managed each service is.")
    rows = [(row.findtext("questiontext"), row.findtext("answertext")) for row in plugin.findall("matches/match")]
    assert rows == [(inline_html(p.prompt), inline_text(p.match)) for p in source.response.pairs] + [
        ("", "The OS vendor")]
    assert len({row.get("id") for row in plugin.findall("matches/match")}) == len(rows)


def test_one_blank_is_a_short_answer_and_several_are_left_out(bank):
    short = bank["fill-one"]
    assert short.findtext("qtype") == "shortanswer"
    assert short.findtext("questiontext") == "Amazon S3 Standard is designed for eleven ________ of durability."
    assert _answers(short) == [("nines", 1.0, ""), ("9s", 1.0, "")]
    assert short.findtext("plugin_qtype_shortanswer_question/shortanswer/usecase") == "0"
    assert "fill-of-in" not in bank and "fill-case" not in bank


def test_numeric_is_numerical_with_its_tolerance_and_no_units(bank):
    numerical = bank["half-life"]
    assert numerical.findtext("qtype") == "numerical"
    plugin = numerical.find("plugin_qtype_numerical_question")
    assert _answers(numerical) == [("3.5", 1.0, "")]
    (answer,) = plugin.findall("answers/answer")
    (record,) = plugin.findall("numerical_records/numerical_record")
    assert record.findtext("answer") == answer.get("id") and record.findtext("tolerance") == "0.25"
    assert plugin.findtext("numerical_options/numerical_option/showunits") == "3"
    assert plugin.find("numerical_units") is not None and not list(plugin.find("numerical_units"))


def test_ordering_stores_each_items_place_as_its_fraction(bank):
    for question_id, grading in (("order-layers", "-1"), ("order-stack", "0")):
        ordering = bank[question_id]
        assert ordering.findtext("qtype") == "ordering"
        items = question(question_id).response.items
        assert _answers(ordering) == [(inline_html(item), float(n), "") for n, item in enumerate(items, 1)]
        options = ordering.find("plugin_qtype_ordering_question/ordering")
        assert (options.findtext("gradingtype"), options.findtext("selecttype")) == (grading, "0")
    feedback = bank["order-layers"].find("plugin_qtype_ordering_question/ordering")
    assert feedback.findtext("incorrectfeedback") == "S3 is fully managed; EC2 is the least."


def test_right_and_wrong_feedback_of_typed_answers_go_on_the_answers(tmp_path: Path):
    """Moodle's short-answer and numerical types have no right/wrong feedback of their own: the
    right answers carry the one, a ``*`` answer at 0% (Moodle's catch-all) the other."""
    from dataclasses import replace

    from srm_package.model import QuestionFeedback

    feedback = QuestionFeedback(correct="Well done.", incorrect="Not *quite*.")
    course = all_types()
    lesson = course.lessons[0]
    questions = tuple(replace(q, feedback=feedback) if q.id in ("fill-one", "nines") else q
                      for q in lesson.quiz.questions)
    course = replace(course, lessons=(replace(lesson, quiz=replace(lesson.quiz, questions=questions)),))
    stream = io.BytesIO()
    tgz_bytes_to(stream, moodle_backup.build_artifact(course).entries, build_timestamp(course))
    root = ET.fromstring(members_of(stream.getvalue())["questions.xml"])
    found = {entry.findtext("idnumber"): entry.find("question_version/question_versions/questions/question")
             for entry in root.iter("question_bank_entry")}
    assert _answers(found["fill-one"]) == [("nines", 1.0, "Well done."), ("9s", 1.0, "Well done."),
                                           ("*", 0.0, "Not <em>quite</em>.")]
    assert _answers(found["nines"]) == [("11", 1.0, "Well done."), ("*", 0.0, "Not <em>quite</em>.")]
    records = found["nines"].findall("plugin_qtype_numerical_question/numerical_records/numerical_record")
    assert [r.findtext("tolerance") for r in records] == ["0", "0"]
    # and the same in the Moodle XML file
    from srm_package.package_files import read_entry
    from srm_package.targets import moodle_xml

    (document,) = moodle_xml.build_artifact(course).entries.values()
    root = ET.fromstring(read_entry(document))
    for question_id, texts in (("fill-one", ["nines", "9s", "*"]), ("nines", ["11", "*"])):
        (node,) = [q for q in root.iter("question") if q.findtext("idnumber") == question_id]
        assert [(a.get("fraction"), a.findtext("text"), a.findtext("feedback/text")) for a in node.findall("answer")] == [
            *(("100", text, "Well done.") for text in texts[:-1]), ("0", "*", "Not <em>quite</em>.")]


def test_the_backup_of_every_type_validates(tmp_path):
    written = build(ALL_TYPES, tmp_path, ["moodle-backup"]).written
    (result,) = run_validation([written[0].path])
    assert result.kind == "moodle-backup" and result.findings == ()
