"""The registry of question types is complete: every type answers for every form of every target
(a form or an Unsupported, never a KeyError in the middle of a build), has its template and script,
and every package holds exactly the questions its forms carry."""

from __future__ import annotations

import json
import re

import pytest
from lxml import etree

from srm_package.questions import KINDS, QUESTION_TYPES, families, question_type
from srm_package.questions.base import Carried, Form, QuestionType, Unsupported
from srm_package.render import STATIC_DIR, TEMPLATES_DIR, _Page, quiz_data
from srm_package.rich_text import TextRenderer
from srm_package.targets import QUESTION_FORMS, TARGETS, moodle_xml, qti
from srm_package.targets.identifiers import question_name
from srm_package.targets.moodle_backup_files import BackupFiles
from srm_package.targets.moodle_backup_ids import BackupIds
from tests.questions.common import all_types, entries, unzip

#: a question of every ``type:`` the registry knows, from the all-types course
SAMPLES = {kind: next(q for q in all_types().questions if q.kind == kind) for kind in KINDS}
FAMILIES = families()


def test_the_test_course_has_every_type_with_and_without_partial_credit():
    assert set(SAMPLES) == set(KINDS)
    for family in FAMILIES:
        mine = [q for q in all_types().questions if q.kind in family.kinds]
        credits = {family.partial_credit(q) for q in mine}
        assert credits == ({False, True} if family.family != "numeric" else {False}), family.family


def test_every_target_names_the_forms_it_writes():
    assert set(QUESTION_FORMS) == set(TARGETS)
    for target, forms in QUESTION_FORMS.items():
        assert forms and all(Form(form) for form in forms), target


def test_the_registry_names_each_family_and_its_kinds():
    """Each registry line and its module agree; the registry itself imports no family."""
    import subprocess
    import sys

    assert [(f.family, f.kinds) for f in FAMILIES] == list(QUESTION_TYPES.items())
    loaded = subprocess.run([sys.executable, "-c", "import sys, srm_package.questions, srm_package.loader; "
                             "print(' '.join(m for m in sys.modules if m.startswith('srm_package.questions.')))"],
                            capture_output=True, text=True, check=True).stdout.split()
    assert not [module for module in loaded if module.rsplit(".", 1)[1] in QUESTION_TYPES]


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("form", list(Form))
def test_every_type_answers_for_every_form(kind, form):
    """A form the type carries is written; one it does not is an Unsupported with a reason."""
    question = SAMPLES[kind]
    handler = question_type(question)
    carry = handler.carry(question, form)
    assert isinstance(carry, (Carried, Unsupported))
    if isinstance(carry, Unsupported):
        assert carry.reason and not carry.reason.endswith(".")
        assert form is not Form.PAGE, "the page carries every type"
        return
    assert all(change and not change.endswith(".") for change in carry.changes)
    quiz = all_types().lessons[0].quiz
    if form is Form.PAGE:
        page = _Page(all_types(), single_lesson=True)
        json.dumps(handler.page_data(question, page))
        assert list(handler.element_ids(question, page))
    elif form is Form.MOODLE_XML:
        root = etree.Element("quiz")
        element = handler.moodle_question(root, quiz, question, moodle_xml.Texts())
        assert element.get("type") and element.findtext("name/text") == question_name(question)
    elif form is Form.MOODLE_BACKUP:
        entries = etree.Element("question_bank_entries")
        lesson = all_types().lessons[0]
        ids = BackupIds(all_types().id)
        entry = handler.moodle_backup_entry(entries, all_types(), lesson, quiz, question, ids, 0,
                                            BackupFiles(ids, 0, "author"), TextRenderer(moodle_xml.TEXT_STYLE))
        assert entry.findtext("idnumber") == question.id
    else:
        profile = qti.Profile.CC if form is Form.QTI_CC else qti.Profile.CANVAS
        section = etree.Element(f"{{{qti.QTI_NS}}}section")
        item = handler.qti_item(section, quiz, question, profile=profile, scope="test",
                                text=TextRenderer(qti.TEXT_STYLES[profile]))
        assert item.get("ident") == qti.item_ident(quiz, question, "test")


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.family)
def test_every_family_has_its_template_and_script(family: QuestionType):
    template = (TEMPLATES_DIR / "questions" / f"{family.family}.html.j2").read_text(encoding="utf-8")
    assert "{% macro form(quiz, question, number, total, page) %}" in template
    assert "{% macro feedback(quiz, question, page) %}" in template
    script = (STATIC_DIR / "questions" / f"{family.family}.js").read_text(encoding="utf-8")
    registered = set(re.findall(r'register\("([a-z_]+)"', script))
    assert registered == set(family.kinds)
    assert family.scorm_interaction in {"choice", "matching", "fill-in", "numeric", "sequencing"}


def test_the_page_engine_chooses_by_kind_not_by_markup():
    """The quiz data names each question's kind; the engine script looks handlers up by it only."""
    data = quiz_data(all_types(), "none")
    assert [q["kind"] for q in data["quizzes"][0]["questions"]] == [q.kind for q in all_types().questions]
    engine = (STATIC_DIR / "quiz.js").read_text(encoding="utf-8")
    assert "types[questionData.kind]" in engine
    assert 'input.type === "radio"' not in engine and "checkButton ?" not in engine


def _bank_titles(target: str) -> set[str]:
    files = entries(target)
    (name,) = [n for n in files if n.startswith("qti/")]
    return _titles(files[name])


def _titles(document: bytes) -> set[str]:
    root = etree.fromstring(document)
    return {item.get("title") for item in root.iter(f"{{{qti.QTI_NS}}}item")}


def _carried(form: Form) -> set[str]:
    return {question_name(q) for q in all_types().questions
            if not isinstance(question_type(q).carry(q, form), Unsupported)}


def test_each_package_holds_the_questions_its_forms_carry():
    everything = {question_name(q) for q in all_types().questions}
    canvas = entries("canvas-qti")
    (assessment,) = [n for n in canvas if n.endswith(".xml") and n.count("/") == 1 and "assessment_meta" not in n]
    assert _titles(canvas[assessment]) == _carried(Form.QTI_CANVAS) == everything
    cartridge = entries("cc")
    (cc_part,) = [n for n in cartridge if n.endswith("/assessment_qti.xml")]
    (canvas_part,) = [n for n in cartridge if n.startswith("non_cc_assessments/")]
    assert _titles(cartridge[cc_part]) == _carried(Form.QTI_CC) < everything
    assert _titles(cartridge[canvas_part]) == everything
    for target in ("scorm12", "scorm2004"):
        assert _bank_titles(target) == _carried(Form.QTI_BANK) == everything
        page = entries(target)["index.html"].decode("utf-8")
        assert set(re.findall(r'data-question="([^"]+)"', page)) == {q.id for q in all_types().questions}
    (moodle,) = entries("moodle-xml").values()
    ids = set(etree.fromstring(moodle).xpath("//question[@type!='category']/idnumber/text()"))
    assert ids == {q.id for q in all_types().questions}
    backup = entries("moodle-backup")["questions.xml"]
    in_bank = set(etree.fromstring(backup).xpath("//question_bank_entry/idnumber/text()"))
    assert in_bank == {q.id for q in all_types().questions
                       if not isinstance(question_type(q).carry(q, Form.MOODLE_BACKUP), Unsupported)}
    assert in_bank and in_bank < {q.id for q in all_types().questions}


def test_scripts_of_unused_types_are_not_shipped(seed_course):
    from srm_package.render import render_site

    seed = render_site(seed_course, "scorm12")
    assert sorted(name for name in seed if name.startswith("assets/questions/")) == ["assets/questions/choice.js"]
    everything = set(unzip(_zip("scorm12")))
    assert {f"assets/questions/{f.family}.js" for f in FAMILIES} <= everything


def _zip(target: str) -> bytes:
    from tests.quiz_courses import zipped

    return zipped(entries(target))
