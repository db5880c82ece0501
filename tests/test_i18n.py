"""Courses in other languages (srm_package/i18n): catalogs, the author's wording, dates and
numbers in the course's locale, right-to-left pages, and the native texts of each target.

The catalogs are checked entry by entry against the template (every message translated,
each placeholder kept, the language's number of plural forms); every shipped language
builds every target, which our validator (official XSDs) then reads; the German and Arabic
test courses (tests/roots/german, tests/roots/arabic) are opened in Chromium.
"""

from __future__ import annotations

import math
import re
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html
from playwright.sync_api import expect

from srm_package import i18n
from srm_package.build import build
from srm_package.cli import main
from srm_package.errors import SourceError
from srm_package.loader import load_course
from srm_package.targets import TARGETS
from srm_package.validate import run_validation
from tests.support.axe import format_violations, run_axe
from tests.support.browser import OfflinePage
from tests.support.paths import AXE_SCRIPT, require_files
from tests.support.vnu import run_vnu

ROOTS = Path(__file__).resolve().parent / "roots"
PROJECT = ROOTS.parent.parent
EVERY_KIND = ROOTS / "every-kind"
GERMAN = ROOTS / "german"
ARABIC = ROOTS / "arabic"
#: what the issue asks for, at least
REQUIRED = ("en", "de", "fr", "es", "pt_BR", "vi", "ar", "zh_Hans")
CATALOGS = [locale for locale in i18n.shipped_locales() if locale != i18n.SOURCE_LOCALE]


# ------------------------------------------------------------------ the catalogs
def test_the_required_languages_are_shipped():
    assert set(REQUIRED) <= set(i18n.shipped_locales())


def _catalog(locale: str):
    with (i18n.LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=locale)


@pytest.mark.parametrize("locale", CATALOGS)
def test_each_catalog_translates_every_message_keeping_its_placeholders(locale):
    catalog = _catalog(locale)
    entries = {entry.context: entry for entry in catalog if entry.id}
    problems = [f"{key}: not in the catalog" for key in i18n.messages().keys() - entries.keys()]
    problems += [f"{key}: no longer a message" for key in entries.keys() - i18n.messages().keys()]
    for key, message in i18n.messages().items():
        entry = entries.get(key)
        if entry is None:
            continue
        wanted_id = (message.text, message.plural) if message.plural else message.text
        if entry.id != wanted_id:
            problems.append(f"{key}: translates {entry.id!r}, the code says {wanted_id!r}")
        if entry.fuzzy:
            problems.append(f"{key}: marked fuzzy")
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if message.plural and len(forms) != catalog.num_plurals:
            problems.append(f"{key}: {len(forms)} plural forms, {locale} has {catalog.num_plurals}")
        for number, form in enumerate(forms):
            if not form or not form.strip():
                problems.append(f"{key}[{number}]: not translated")
                continue
            found = i18n.placeholders(form)
            # a form for one number only ("سؤالان", two questions) may leave the count out;
            # the form that serves most numbers keeps every placeholder
            last = number == len(forms) - 1
            if (found != message.placeholders) if last else not found <= message.placeholders:
                problems.append(f"{key}[{number}]: placeholders {sorted(found)}, "
                                f"the message has {sorted(message.placeholders)}")
            try:  # what the page does with it at build time
                form % dict.fromkeys(message.placeholders, "x")
            except (KeyError, ValueError, TypeError) as error:
                problems.append(f"{key}[{number}]: not a valid format ({error!r}); write % as %%")
    assert not problems, "\n".join(problems)


def test_the_template_catalog_holds_exactly_the_messages_of_the_code():
    """``scripts/update-catalogs.sh`` was run after the last change of a message."""
    with (i18n.LOCALES_DIR.parent / "babel.cfg").open() as file:
        method_map, options_map = parse_mapping_cfg(file)
    found = {(context, message if isinstance(message, str) else tuple(message))
             for _file, _line, message, _comments, context in
             extract_from_dir(str(PROJECT), method_map, options_map)}
    listed = {(m.key, (m.text, m.plural) if m.plural else m.text) for m in i18n.messages().values()}
    assert found == listed


def test_every_message_has_a_key():
    assert len(i18n.messages()) >= 45
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", key) for key in i18n.messages())


def test_the_source_format_lists_every_key_an_author_can_override():
    listed = re.findall(r"(?m)^\| `([a-z0-9_]+)` \| (.*) \|$", (PROJECT / "docs" / "source-format.md").read_text())
    shown = {key: text for key, text in listed if key in i18n.messages()}
    assert shown.keys() == i18n.messages().keys()
    for key, message in i18n.messages().items():
        assert shown[key].replace("\\|", "|").startswith(i18n.author_form(message.text)), key


# ------------------------------------------------------------------ language tags
@pytest.mark.parametrize(("tag", "catalog"), [
    ("en", "en"), ("en-GB", "en"), ("de", "de"), ("de-AT", "de"), ("de-CH", "de"), ("fr-CA", "fr"),
    ("es-MX", "es"), ("pt-BR", "pt_BR"), ("pt", "pt_BR"), ("vi", "vi"), ("ar", "ar"), ("ar-MA", "ar"),
    ("zh", "zh_Hans"), ("zh-CN", "zh_Hans"), ("zh-Hans", "zh_Hans"), ("zh-Hans-SG", "zh_Hans"),
    ("zh-TW", None), ("zh-Hant", None), ("ja", None), ("he", None), ("xx", None),
])
def test_a_language_tag_finds_its_catalog(tag, catalog):
    assert i18n.catalog_for(tag) == catalog


@pytest.mark.parametrize(("tag", "direction"), [
    ("ar", "rtl"), ("ar-EG", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("az-Arab", "rtl"),
    ("en", "ltr"), ("de", "ltr"), ("zh-Hans", "ltr"), ("vi", "ltr"),
])
def test_right_to_left_languages(tag, direction):
    assert i18n.text_direction(tag) == direction


# ------------------------------------------------------------------ dates, numbers, plurals
@pytest.mark.parametrize(("tag", "month", "day", "percent", "number"), [
    ("en", "June, 2026", "June 3, 2026", "44.5%", "1,234.5"),
    ("de", "Juni 2026", "3. Juni 2026", "44,5\xa0%", "1.234,5"),
    ("de-CH", "Juni 2026", "3. Juni 2026", "44.5%", "1'234.5"),
    ("fr", "juin 2026", "3 juin 2026", "44,5\xa0%", "1\u202f234,5"),
    ("es", "junio de 2026", "3 de junio de 2026", "44,5\xa0%", "1.234,5"),
    ("pt-BR", "junho de 2026", "3 de junho de 2026", "44,5%", "1.234,5"),
    ("vi", "tháng 6 năm 2026", "3 tháng 6 2026", "44,5%", "1.234,5"),
    ("zh-Hans", "2026年6月", "2026年6月3日", "44.5%", "1,234.5"),
])
def test_dates_and_numbers_are_written_as_the_locale_writes_them(tag, month, day, percent, number):
    strings = i18n.CourseStrings(tag)
    assert strings.month(2026, 6) == month
    assert strings.month(2026, 6, 3) == day
    assert strings.percent(44.5) == percent
    assert strings.number(1234.5) == number


def test_arabic_dates_name_the_month_in_arabic():
    strings = i18n.CourseStrings("ar")
    assert "يونيو" in strings.month(2026, 6) and "2026" in strings.month(2026, 6)


@pytest.mark.parametrize(("tag", "counts"), [
    ("en", {1: "1 question", 2: "2 questions", 0: "0 questions"}),
    ("de", {1: "1 Frage", 2: "2 Fragen"}),
    ("fr", {0: "0 question", 1: "1 question", 2: "2 questions"}),
    ("pt-BR", {1: "1 questão", 5: "5 questões"}),
    ("vi", {1: "1 câu hỏi", 7: "7 câu hỏi"}),
    ("ar", {1: "سؤال واحد", 2: "سؤالان", 3: "3 أسئلة", 11: "11 سؤالًا", 100: "100 سؤال"}),
    ("zh-Hans", {1: "1 道题", 6: "6 道题"}),
])
def test_counts_follow_each_languages_plural_rules(tag, counts):
    strings = i18n.CourseStrings(tag)
    for count, shown in counts.items():
        form = strings.npgettext("question_count", "%(n)s question", "%(n)s questions", count)
        assert form % {"n": count} == shown


# ------------------------------------------------------------------ a course in each language
def _course_in(tmp_path: Path, language: str, source: Path = EVERY_KIND, ui: str = "") -> Path:
    root = tmp_path / f"course-{language}"
    shutil.copytree(source, root)
    course_yaml = root / "course.yaml"
    text = re.sub(r"(?m)^language: .*$", f"language: {language}", course_yaml.read_text(encoding="utf-8"))
    course_yaml.write_text(text + ui, encoding="utf-8")
    return root


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("tag", i18n.shipped_tags())
def test_a_course_in_each_shipped_language_builds_every_target(tmp_path, schemas, tag):
    root = _course_in(tmp_path, tag)
    dist = tmp_path / "dist"
    warnings = build(root, dist, list(TARGETS)).warnings
    assert not [w for w in warnings if w.field in ("language", "ui")]
    strings = i18n.CourseStrings(tag)
    page = (dist / "every-kind-html" / "index.html").read_text(encoding="utf-8")
    document = lxml_html.fromstring(page)
    assert document.get("lang") == tag
    assert document.get("dir") == strings.direction
    shown = document.text_content()
    for key, english in (("try_again", "Try again"), ("your_result", "Your result"),
                         ("skip_to_content", "Skip to main content")):
        assert strings.pgettext(key, english) in shown, key
    label = i18n.lesson_label(strings, 1, "Question Kinds & \"Marks\"")
    assert label in shown
    if tag != "en":
        assert "Try again" not in shown and "Your result" not in shown
    # native texts: the Canvas true/false answers and the Moodle category of the lesson
    canvas = b"".join(_entries(dist / "every-kind-canvas-qti.zip").values()).decode("utf-8")
    assert f">{i18n.true_false_text(strings, 'true')}<" in canvas.replace("&lt;p&gt;", ">").replace(
        "&lt;/p&gt;", "<")
    moodle = etree.parse(str(dist / "every-kind-moodle.xml"))
    assert f"$course$/top/{label}" in moodle.xpath("//question[@type='category']/category/text/text()")
    with tarfile.open(dist / "every-kind.mbz") as backup:
        questions = etree.fromstring(backup.extractfile("questions.xml").read())
        sections = [etree.fromstring(backup.extractfile(name).read()).findtext("name")
                    for name in backup.getnames() if name.endswith("/section.xml")]
    answers = questions.xpath("//answertext/text()")
    assert i18n.true_false_text(strings, "true") in answers and i18n.true_false_text(strings, "false") in answers
    assert label in sections
    for result in run_validation([dist], schemas):
        assert not result.findings, (result.path, [str(f) for f in result.findings])


def test_an_unsupported_language_builds_in_english_and_check_warns(tmp_path):
    root = _course_in(tmp_path, "ja")
    result = CliRunner().invoke(main, ["check", str(root)])
    assert result.exit_code == 0, result.output
    assert re.search(r"course\.yaml:\d+:\d+: warning: language: srm-package has no strings in 'ja'", result.output)
    warnings = build(root, tmp_path / "dist", ["html"]).warnings
    page = (tmp_path / "dist" / "every-kind-html" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ja" dir="ltr">' in page and "Try again" in page and "Lesson 1" in page
    assert [w.field for w in warnings if w.field in ("language", "ui")] == ["language"]


def test_a_right_to_left_language_without_a_catalog_is_still_right_to_left(tmp_path):
    root = _course_in(tmp_path, "he")
    build(root, tmp_path / "dist", ["html", "cc"])
    page = (tmp_path / "dist" / "every-kind-html" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="he" dir="rtl">' in page
    cartridge = _entries(tmp_path / "dist" / "every-kind.imscc")
    wiki = [data for name, data in cartridge.items() if name.startswith("wiki_content/")]
    assert wiki and all(b'<html lang="he" dir="rtl">' in data and b'class="srm-lesson" dir="rtl"' in data
                        for data in wiki)


# ------------------------------------------------------------------ the author's wording
def test_the_authors_wording_replaces_the_catalogs(tmp_path):
    ui = ("ui:\n  try_again: Retake the quiz\n  question_number: \"{number}/{total}\"\n"
          "  question_count:\n    one: \"{n} Frage (eine!)\"\n    other: \"{n} Fragen insgesamt\"\n"
          "  lesson_label: \"Kapitel {number} – {title}\"\n  true: Stimmt\n  course_score: 100% = {percent}\n")
    root = _course_in(tmp_path, "de", ui=ui)
    build(root, tmp_path / "dist", ["html", "canvas-qti"])
    page = (tmp_path / "dist" / "every-kind-html" / "index.html").read_text(encoding="utf-8")
    shown = lxml_html.fromstring(page).text_content()
    assert "Retake the quiz" in shown and "Erneut versuchen" not in shown
    assert 'data-template="{number}/{total}">1/4<' in page
    assert "4 Fragen insgesamt" in shown
    assert "Kapitel 1 – Question Kinds" in shown
    assert 'data-template="100% = {percent}"' in page
    canvas = b"".join(_entries(tmp_path / "dist" / "every-kind-canvas-qti.zip").values()).decode("utf-8")
    assert "Stimmt" in canvas and "Wahr" not in canvas


def test_the_german_test_course_words_its_retry_button(tmp_path):
    build(GERMAN, tmp_path, ["html"])
    page = (tmp_path / "german-course-html" / "index.html").read_text(encoding="utf-8")
    assert "data-retry>Quiz wiederholen</button>" in page


#: course.yaml of every-kind has 14 lines: ``ui:`` is line 15
UI_MISTAKES = [
    ("ui:\n  try_agian: Again\n", 16, "ui.try_agian", "unknown key 'try_agian' (did you mean 'try_again'?)"),
    ("ui:\n  question_number: \"Frage {nummer} von {total}\"\n", 16, "ui.question_number",
     "unknown placeholder {nummer}; this text may use: {number}, {total}"),
    ("ui:\n  question_count:\n    one: \"{n} Frage\"\n", 17, "ui.question_count",
     "give a text for each plural form of 'de' (one, other), or one text for every count; missing: other"),
    ("ui:\n  question_count:\n    one: \"{n} Frage\"\n    few: \"{n} Fragen\"\n    other: \"{n}\"\n", 18,
     "ui.question_count.few", "unknown key 'few'"),
    ("ui:\n  try_again:\n    one: Again\n", 17, "ui.try_again", "expected text; found a mapping"),
    ("ui:\n  try_again: \"\"\n", 16, "ui.try_again", "must not be empty"),
    ("ui: Retake\n", 15, "ui", "expected a mapping of"),
]


@pytest.mark.parametrize(("ui", "line", "field", "message"), UI_MISTAKES, ids=[m[2] + str(i) for i, m in
                                                                             enumerate(UI_MISTAKES)])
def test_mistakes_in_the_authors_wording_are_located(tmp_path, ui, line, field, message):
    root = _course_in(tmp_path, "de", ui=ui)
    with pytest.raises(SourceError) as raised:
        load_course(root)
    problems = [p for p in raised.value.problems if p.field == field]
    assert problems, [str(p) for p in raised.value.problems]
    assert problems[0].file == str(root / "course.yaml")
    assert problems[0].line == line
    assert problems[0].message.startswith(message)
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(tmp_path / "dist")])
    assert result.exit_code == 1 and not (tmp_path / "dist").exists()


def test_a_placeholder_left_out_is_a_warning(tmp_path):
    root = _course_in(tmp_path, "de", ui="ui:\n  question_number: Frage {number}\n")
    warnings = [w for w in load_course(root).warnings if w.field.startswith("ui")]
    assert [(w.line, w.field) for w in warnings] == [(16, "ui.question_number")]
    assert "leaves out {total}" in warnings[0].message


def test_a_citation_without_a_label_reads_source_in_the_courses_language(tmp_path):
    root = tmp_path / "german"
    shutil.copytree(GERMAN, root)
    citation = "citation:\n  text: Ein Lehrbuch, Kapitel 4.\n"
    (root / "course.yaml").write_text((root / "course.yaml").read_text(encoding="utf-8") + citation,
                                      encoding="utf-8")
    lesson_file = next((root / "lessons").glob("*.md"))
    lesson_file.write_text(lesson_file.read_text(encoding="utf-8").replace("\n---\n", f"\n{citation}---\n", 1),
                           encoding="utf-8")
    course = load_course(root).course
    assert course.citation.label == "Quelle"
    assert course.lessons[0].citation.label == "Quelle"  # a lesson's too, read apart from the course


# ------------------------------------------------------------------ in Chromium
@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    dist = tmp_path_factory.mktemp("i18n-sites")
    # each course into its own folder: a build removes the packages an earlier one left there
    build(GERMAN, dist / "german", ["html"])
    build(ARABIC, dist / "arabic", ["html"])
    for tag in i18n.shipped_tags():
        build(_course_in(dist / "sources", tag), dist / tag, ["html"])
    return {"german": dist / "german" / "german-course-html", "arabic": dist / "arabic" / "arabic-course-html",
            **{tag: dist / tag / "every-kind-html" for tag in i18n.shipped_tags()}}


def _answer_all(page) -> None:
    """Answer every question shown (a course of several lessons shows one lesson): the first
    choice of each (both boxes of a multiple)."""
    for question in page.locator("li.question:visible").all():
        boxes = question.locator("input[type=checkbox]")
        if boxes.count():
            boxes.nth(0).check()
            boxes.nth(1).check()
            question.locator("[data-check]").click()
        else:
            question.locator("input[type=radio]").first.check()


@pytest.mark.parametrize("tag", i18n.shipped_tags())
def test_each_language_reads_on_the_page_after_the_script_fills_it(offline_page: OfflinePage, sites, tag):
    strings = i18n.CourseStrings(tag)
    page = offline_page.page
    offline_page.open(sites[tag])
    number = strings.pgettext("question_number", "Question {number} of {total}")
    expect(page.locator("[data-question-number]").first).to_have_text(
        number.replace("{number}", "1").replace("{total}", "4"))
    _answer_all(page)
    progress = page.locator("[data-progress]").first.inner_text()
    template = strings.pgettext("progress_count", "Progress: {correct}/{total} correct ({percent}).")
    assert _filled(template).match(progress), (progress, template)
    assert strings.pgettext("progress_hint_done", "All questions answered.") in progress
    expect(page.locator("[data-retry]").first).to_have_text(strings.pgettext("try_again", "Try again"))
    # the course of two lessons: its outline, its progress, the first quiz's mark and the pager
    expect(page.locator("#srm-toc-title")).to_have_text(strings.pgettext("outline_title", "Course outline"))
    completed = page.locator("[data-course-progress] > span").first.text_content()
    assert _filled(strings.pgettext("lessons_completed", "{completed} of {lessons} lessons completed")).fullmatch(
        completed), completed
    mark = page.locator("[data-mark=score]").first.text_content()
    assert _filled(strings.pgettext("outline_quiz_score", "Quiz {percent}")).fullmatch(mark), mark
    expect(page.locator(".lesson-pager:visible .pager-direction")).to_have_text(
        strings.pgettext("next_lesson", "Next lesson"))


def _filled(template: str) -> re.Pattern[str]:
    """What ``template`` reads once the page script has put something in each ``{name}``."""
    return re.compile(".+?".join(re.escape(part) for part in re.split(r"\{\w+\}", template)))


def test_the_german_page_writes_and_reads_numbers_the_german_way(offline_page: OfflinePage, sites):
    page = offline_page.page
    offline_page.open(sites["german"])
    expect(page.locator(".last-updated")).to_have_text("Zuletzt aktualisiert: Juni 2026")
    expect(page.locator(".quiz-meta")).to_have_text("3 Fragen · 4 Punkte · Bestehensgrenze 70\xa0%")
    page.locator("#q-updates-ec2 input").first.check()  # right: 2 of 4 points
    page.locator("#q-daten input").nth(1).check()  # wrong
    for choice in ("daten", "rechenzentrum"):  # wrong
        page.locator(f"#q-pflichten--{choice}").check()
    page.locator("#q-pflichten [data-check]").click()
    expect(page.locator("[data-progress]")).to_have_text(
        "Fortschritt: 1/3 richtig (33\xa0%). Alle Fragen beantwortet.")  # the share of questions right
    expect(page.locator("[data-score-points]")).to_have_text("2 von 4 Punkten")
    expect(page.locator("[data-course-verdict]")).to_have_text(
        "Noch nicht bestanden: Die Bestehensgrenze liegt bei 70\xa0%.")
    expect(page.locator("[data-retry]")).to_have_text("Quiz wiederholen")
    parsed = page.evaluate("""() => ["3,5", "3.5", "1.500", "1.500,25", "1 500", "-0,25", "drei", "1,2,3"]
        .map((text) => window.SrmLocale.parseNumber(text))""")
    assert parsed[:6] == [3.5, 3.5, 1500, 1500.25, 1500, -0.25]
    assert math.isnan(parsed[6]) and math.isnan(parsed[7])
    assert page.evaluate("window.SrmLocale.formatPercent(44.44)") == "44,44\xa0%"
    # the exact decimal text, for an answer sent to the LMS
    assert page.evaluate("""() => ["1.500,250", "-0,5", "٣٫٥", "x"].map((text) =>
        window.SrmLocale.normalizeNumber(text))""") == ["1500.25", "-0.5", "3.5", None]


def _box(locator) -> dict:
    return locator.evaluate("(el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right}; }")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_arabic_page_is_right_to_left_and_passes_axe(offline_page: OfflinePage, sites, width):
    require_files(AXE_SCRIPT)
    page = offline_page.page
    page.add_init_script(path=str(AXE_SCRIPT))
    page.set_viewport_size({"width": width, "height": 900})
    offline_page.open(sites["arabic"])
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    expect(page.locator(".lesson-number")).to_have_text("الدرس 1")
    expect(page.locator(".callout-title")).to_have_text("مبدأ أساسي")
    # mirrored: text starts at the right; a choice's box sits at the right of its label
    title = _box(page.locator(".lesson-title"))
    content = _box(page.locator("main"))
    assert content["right"] - title["right"] < 60
    choice = page.locator("#q-patch-ec2 .choice").first
    assert _box(choice.locator("input"))["left"] > _box(choice.locator(".choice-text"))["right"]
    if width > 1000:  # the outline stands at the right of the lesson
        assert _box(page.locator("nav.toc"))["left"] > content["right"]
    # code and formulas stay left to right
    assert page.evaluate("getComputedStyle(document.querySelector('pre')).direction") == "ltr"
    assert page.evaluate("getComputedStyle(document.querySelector('math')).direction") == "ltr"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    violations = run_axe(page)
    assert not violations, format_violations(violations)
    _answer_all(page)
    expect(page.locator("[data-result]")).to_be_visible()
    expect(page.locator(".score-points")).to_have_text("4 من 4 نقطة")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    violations = run_axe(page)
    assert not violations, format_violations(violations)


@pytest.mark.parametrize("width", [1280, 390])
def test_an_arabic_course_of_several_lessons_mirrors_its_outline_and_pager(offline_page: OfflinePage, sites,
                                                                            width):
    require_files(AXE_SCRIPT)
    page = offline_page.page
    page.add_init_script(path=str(AXE_SCRIPT))
    page.set_viewport_size({"width": width, "height": 900})
    offline_page.open(sites["ar"])  # the two lessons of tests/roots/every-kind, in Arabic
    content = _box(page.locator("main"))
    summary = page.locator("[data-outline-details] > summary")
    if width > 1000:  # the outline stands at the right of the lesson
        assert _box(page.locator("nav.outline"))["left"] > content["right"]
    else:  # folded above it; its chevron at the summary's inline end, the left
        summary.click()
        chevron = summary.evaluate("(el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el, '::after');"
                                   " return {left: parseFloat(s.left) + r.left, transform: s.transform}; }")
        assert chevron["left"] - _box(summary)["left"] < 30, chevron
        # its borders (inline end, block end) are the left and bottom ones here: turned 135°
        # (not −135° as in a left-to-right page) it points up, the outline being open
        assert chevron["transform"] == "matrix(-0.707107, 0.707107, -0.707107, -0.707107, 0, 0)", chevron
    # the next lesson is to the left, its arrow pointing left
    pager = page.locator(".lesson-pager:visible")
    following = _box(pager.locator(".pager-next"))
    assert following["left"] - content["left"] < 40, (following, content)
    arrow = pager.locator(".pager-next .pager-direction").evaluate("(el) => getComputedStyle(el, '::after').content")
    assert "\u2190" in arrow, arrow
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    violations = run_axe(page)
    assert not violations, format_violations(violations)


def test_the_german_and_arabic_pages_pass_the_nu_html_checker(sites):
    errors = run_vnu([sites["german"] / "index.html", sites["arabic"] / "index.html"])
    assert not errors, "\n".join(map(str, errors))


# ------------------------------------------------------------------ every question type
def test_every_question_type_is_worded_in_the_course_language(offline_page: OfflinePage, tmp_path):
    """tests/roots/all-types in German: the widgets' own texts, and a number typed the German way."""
    root = _course_in(tmp_path, "de", source=ROOTS / "all-types")
    build(root, tmp_path / "dist", ["html"])
    site = tmp_path / "dist" / "all-types-html"
    page_text = (site / "index.html").read_text(encoding="utf-8")
    shown = lxml_html.fromstring(page_text).text_content()
    for german in ("Nach oben", "Nach unten", "Reihenfolge prüfen", "Passendes auswählen", "Lücke 1 von",
                   "Ihre Antwort", "Füllen Sie die Lücke", "3,5 (von 3,25 bis 3,75)"):
        assert german in shown, german
    for english in ("Move up", "Check order", "Choose a match", "Blank 1 of", "Your answer<", "Right answer:"):
        assert english not in page_text, english
    page = offline_page.page
    offline_page.open(site)
    box = page.locator("#q-half-life")
    box.locator("input[data-number]").fill("3,6")  # German decimal comma: within 3.5 ± 0.25
    box.locator("[data-check]").click()
    expect(box.locator('[data-verdict="correct"]')).to_be_visible()
    expect(box.locator('[data-verdict="correct"]')).to_have_text("Richtig")
    status = page.locator("#q-order-layers [data-order-status]")
    page.locator("#q-order-layers [data-move='down']").first.click()
    expect(status).to_contain_text("jetzt an Stelle 2 von 3")
