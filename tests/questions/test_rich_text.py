"""Images and formulas in the texts of the new question types: each goes through the format's
one text renderer (rich_text), as choice stems do: the page shows the image and MathML, Canvas
refers to the packaged file, Moodle XML embeds it beside the text; a match, shown as plain text,
refuses both."""

from __future__ import annotations

import shutil
from pathlib import Path

from lxml import etree

from srm_package.loader import load_course
from srm_package.package_files import read_entry
from srm_package.render import render_site
from srm_package.targets import builder
from tests.questions.common import one_question_course, problems

MEDIA = Path(__file__).resolve().parent.parent / "roots" / "media" / "figures"
IMAGE = "![a padlock](../figures/padlock.png)"

QUESTIONS = f"""\
- id: match-rich
  type: matching
  section: in-the-cloud
  stem: "Match each picture: {IMAGE}"
  pairs:
    - {{prompt: "The lock {IMAGE}", match: The customer}}
    - {{prompt: "Area $\\\\pi r^2$", match: AWS}}
- id: fill-rich
  type: fill_in
  section: in-the-cloud
  stem: "{IMAGE} The area is $\\\\pi r^2$ and the lock is [b1]."
  blanks: {{b1: [closed]}}
- id: number-rich
  type: numeric
  section: in-the-cloud
  stem: "What is $2^3$? {IMAGE}"
  answer: 8
- id: order-rich
  type: ordering
  section: in-the-cloud
  stem: Order these.
  items: ["{IMAGE} first", "$x^2$ second", third]
"""


def _course(tmp_path: Path):
    root = one_question_course(tmp_path / "course", QUESTIONS)
    shutil.copytree(MEDIA, root / "figures")
    return load_course(root).course


def test_the_page_shows_the_images_and_formulas_of_every_new_type(tmp_path):
    course = _course(tmp_path)
    page = render_site(course, "none")["index.html"].decode("utf-8")
    html = etree.HTML(page)
    for question_id in ("match-rich", "fill-rich", "number-rich", "order-rich"):
        (item,) = html.xpath(f"//li[@id='q-{question_id}']")
        images = item.xpath(".//img")
        assert images and all(img.get("src").startswith("media/") and img.get("alt") == "a padlock"
                              for img in images), question_id
    (prompt,) = html.xpath("(//li[@id='q-match-rich']//label[@class='match-prompt'])[2]")
    assert prompt.xpath(".//*[local-name()='math']")
    (sentence,) = html.xpath("//li[@id='q-fill-rich']//p[@class='fill-in-sentence']")
    assert sentence.xpath(".//img") and sentence.xpath(".//*[local-name()='math']")
    assert sentence.xpath(".//input[@data-blank='0']")
    (second,) = html.xpath("//li[@id='q-order-rich']//li[@data-item='1']")
    assert second.xpath(".//*[local-name()='math']")


def test_canvas_and_moodle_get_the_images_of_every_new_type(tmp_path):
    course = _course(tmp_path)
    entries = {name: read_entry(content) for name, content in builder("canvas-qti")(course).entries.items()}
    (assessment,) = [content for name, content in entries.items()
                     if name.endswith(".xml") and name.count("/") == 1 and "assessment_meta" not in name]
    qti = assessment.decode("utf-8")
    # every stem, the matching prompt and the fill-in sentence refer to the packaged file
    assert qti.count("$IMS-CC-FILEBASE$/media/padlock") >= 4
    assert any(name.startswith("media/padlock") for name in entries)
    (document,) = builder("moodle-xml")(course).entries.values()
    root = etree.fromstring(read_entry(document))
    for question_id in ("match-rich", "fill-rich", "number-rich", "order-rich"):
        (question,) = root.xpath(f"//question[idnumber='{question_id}']")
        assert question.xpath(".//file[@encoding='base64']"), question_id
        assert "@@PLUGINFILE@@/" in etree.tostring(question, encoding="unicode")
    (match,) = root.xpath("//question[idnumber='match-rich']")
    prompt = match.xpath("subquestion")[0]
    assert "@@PLUGINFILE@@/" in prompt.findtext("text") and prompt.xpath("file[@encoding='base64']")
    assert "\\(\\pi r^2\\)" in match.xpath("subquestion")[1].findtext("text")  # LaTeX for MathJax
    (fill,) = root.xpath("//question[idnumber='fill-rich']")
    assert "________" in fill.findtext("questiontext/text") and "\\(\\pi r^2\\)" in fill.findtext("questiontext/text")


def test_a_match_cannot_show_an_image_or_a_formula(tmp_path):
    found = problems(tmp_path, f"""\
- id: match-bad
  type: matching
  section: in-the-cloud
  stem: Match them.
  pairs:
    - {{prompt: One, match: "{IMAGE}"}}
    - {{prompt: Two, match: "$x^2$"}}
  distractors: ["$y$"]
""")
    messages = {(field, message.split(";")[0].split(" (")[0]) for _, field, message in found}
    assert ("questions[0].pairs[0].match", "images are allowed only in lesson bodies and question texts") in messages
    formula = "a match is shown as plain text in a drop-down list and cannot show a formula"
    assert ("questions[0].pairs[1].match", formula) in messages
    assert ("questions[0].distractors[0]", formula) in messages


def test_the_moodle_backup_puts_each_image_in_its_texts_area(tmp_path):
    """Every image a question text of a new type shows is in files.xml, in the area Moodle keeps
    that text's files in (a matching prompt's: qtype_match/subquestion), and validate finds
    every @@PLUGINFILE@@ reference answered."""
    import io
    import xml.etree.ElementTree as ET

    from srm_package.build import build
    from srm_package.validate import run_validation
    from tests.support.moodle_backup_reader import members_of

    root = one_question_course(tmp_path / "course", QUESTIONS)
    shutil.copytree(MEDIA, root / "figures")
    written = build(root, tmp_path / "out", ["moodle-backup"]).written
    (result,) = run_validation([written[0].path])
    assert result.kind == "moodle-backup" and result.findings == ()
    members = members_of(written[0].path.read_bytes())
    areas = {(f.findtext("component"), f.findtext("filearea")) for f in ET.fromstring(members["files.xml"])
             if f.findtext("filename").startswith("padlock")}
    assert areas == {("question", "questiontext"), ("qtype_match", "subquestion"), ("question", "answer")}
    bank = ET.parse(io.BytesIO(members["questions.xml"])).getroot()
    texts = " ".join(t.text or "" for t in bank.iter("questiontext"))
    assert texts.count("@@PLUGINFILE@@/padlock") >= 4  # three stems and the prompt

def test_the_rich_page_stays_accessible(offline_page, tmp_path):
    """Images in a prompt's label and in items, formulas in the sentence: axe and the Nu HTML
    Checker find nothing, before and after answering."""
    from playwright.sync_api import expect

    from tests.quiz_pages import write_site
    from tests.support.axe import format_violations, run_axe
    from tests.support.paths import AXE_SCRIPT, require_files
    from tests.support.vnu import run_vnu

    course = _course(tmp_path)
    site = write_site(course, "none", tmp_path / "site")
    assert not (errors := run_vnu([site / "index.html"])), "\n".join(map(str, errors))
    require_files(AXE_SCRIPT)
    offline_page.page.add_init_script(path=str(AXE_SCRIPT))
    offline_page.open(site)
    page = offline_page.page
    expect(page.locator("html.quiz-ready")).to_have_count(1)
    assert not (before := run_axe(page)), format_violations(before)
    # answered by the controls' ids (a label's accessible name holds the image's alt and the
    # formula's MathML text, which the shared drivers do not spell out)
    for select in page.locator("#q-match-rich select").all():
        select.select_option(index=1)
    page.locator("#q-fill-rich input[data-blank]").fill("open")
    page.locator("#q-number-rich input[data-number]").fill("7")
    for question_id in ("match-rich", "fill-rich", "number-rich", "order-rich"):
        page.locator(f"#q-{question_id} [data-check]").click()
    expect(page.locator("[data-result]")).to_be_visible()
    assert not (after := run_axe(page)), format_violations(after)
    assert offline_page.page_errors == [] and offline_page.console_errors == []

