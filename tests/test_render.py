"""The student pages as HTML: content, escaping, strict CSP, anchors and the quiz data."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import replace

import pytest
from lxml import html as lxml_html

from srm_package import render
from srm_package.errors import BuildError
from srm_package.markup import inline_text
from srm_package.model import (
    Block,
    Callout,
    Citation,
    Comparison,
    ComparisonColumn,
    Heading,
    ListBlock,
    Paragraph,
    Quote,
    Section,
    Table,
)
from srm_package.render import (
    CONTENT_SECURITY_POLICY,
    _lesson_page_ids,
    _Page,
    _site_ids,
    quiz_data,
    render_lesson_page,
    render_site,
    stylesheet,
)
from srm_package.targets.portable_page import lesson_document
from tests.quiz_courses import (
    HOSTILE,
    HOSTILE_TAG,
    course_of,
    hostile_course,
    kinds_course,
    lesson_of,
    multi_lesson_course,
    no_quiz_course,
    rich_lesson_course,
    single,
)

RUNTIMES = ("scorm12", "scorm2004", "none")


def parse(page: bytes | str):
    return lxml_html.document_fromstring(page)


def text_of(element) -> str:
    """The visible text with whitespace collapsed, as a reader would compare it."""
    return " ".join(element.text_content().split())


def index_of(course, runtime: str = "none"):
    return parse(render_site(course, runtime)["index.html"])


def block_texts(blocks: tuple[Block, ...]) -> list[str]:
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            texts.append(block.text)
        elif isinstance(block, Table):
            texts.extend(block.header)
            texts.extend(cell for row in block.rows for cell in row)
        elif isinstance(block, ListBlock):
            for item in block.items:
                texts.extend(block_texts(item))
        elif isinstance(block, (Callout, Quote)):
            texts.extend(block_texts(block.blocks))
        elif isinstance(block, Comparison):
            for column in block.columns:
                texts.append(column.heading)
                texts.extend(block_texts(column.blocks))
        elif hasattr(block, "text"):
            texts.append(block.text)
    return texts


def collapsed(markdown: str) -> str:
    return " ".join(inline_text(markdown).split())


# ------------------------------------------------------------------ seed course
@pytest.mark.parametrize("runtime", RUNTIMES)
def test_every_seed_item_is_on_the_page(seed_course, runtime):
    page = text_of(index_of(seed_course, runtime))
    wanted = [seed_course.copyright, "Last updated: June, 2026"]
    wanted += [collapsed(line) for line in seed_course.credits]
    for lesson in seed_course.lessons:
        wanted += [f"Lesson {lesson.number}", lesson.title, collapsed(lesson.subtitle)]
        wanted.append(f"{lesson.citation.label}: {collapsed(lesson.citation.text)}")
        wanted += [collapsed(line) for line in lesson.credits]
        wanted += [collapsed(text) for text in block_texts(lesson.intro)]
        for section in lesson.sections:
            wanted.append(collapsed(section.title))
            wanted += [collapsed(text) for text in block_texts(section.blocks)]
        quiz = lesson.quiz
        wanted += [quiz.title, collapsed(quiz.instructions)]
        wanted += [collapsed(band.message) for band in quiz.recommendation.bands]
        for question in quiz.questions:
            wanted += [collapsed(question.stem), collapsed(question.explanation)]
            for choice in question.response.choices:
                wanted += [collapsed(choice.text), collapsed(choice.feedback)]
    missing = [text for text in wanted if text not in page]
    assert not missing, missing


def test_seed_progress_line_and_callouts(seed_course):
    document = index_of(seed_course)
    progress = document.get_element_by_id("quiz-shared-responsibility-quiz--progress")
    assert text_of(progress) == (
        "Progress: 0/5 correct (0%). Answer all questions to see the final recommendation."
    )
    assert progress.get("role") == "status"
    titles = [text_of(p) for p in document.find_class("callout-title")]
    assert titles == ["Key principle", "Exam rule of thumb"]
    columns = [text_of(p) for p in document.find_class("comparison-heading")]
    assert columns == ["AWS is responsible for", "Customer is responsible for"]


def test_review_messages_link_to_their_sections(seed_course):
    document = index_of(seed_course)
    items = document.xpath("//li[@data-review-section]")
    lesson = seed_course.lessons[0]
    wanted = [s for s in lesson.sections if s.id in {q.section_id for q in lesson.quiz.questions}]
    assert [item.get("data-review-section") for item in items] == [s.id for s in wanted]
    for item, section in zip(items, wanted, strict=True):
        (link,) = item.xpath(".//a")
        assert link.get("href") == f"#{section.id}"
        assert text_of(item) == f'Review the section "{collapsed(section.title)}".'


# ------------------------------------------------------------------ safety
@pytest.mark.parametrize("runtime", RUNTIMES)
def test_hostile_text_renders_as_text(runtime):
    site = render_site(hostile_course(), runtime)
    document = parse(site["index.html"])
    scripts = document.xpath("//script")
    assert all(s.get("src") or s.get("type") == "application/json" for s in scripts)
    assert not document.xpath("//img | //button[not(@data-check) and not(@data-retry)]")
    assert not document.xpath("//label//button")
    # the text is there, literally, wherever it was written
    page = text_of(document)
    assert page.count(HOSTILE) >= 12
    assert HOSTILE_TAG in page
    stem = document.xpath("//span[@class='question-stem']")[0]
    assert text_of(stem) == f"Stem {HOSTILE}"
    code = document.xpath("//pre/code")[0]
    assert code.get("class") == 'language-python" onclick="x'
    assert code.get("onclick") is None
    assert document.get("lang") == "de"


def test_json_data_cannot_close_its_script_element():
    course = course_of(lesson_of("l", 1, (single("q", "basics", stem="</script><script>alert(1)"),)))
    page = render_site(course, "scorm12")["index.html"].decode()
    block = re.search(r'<script type="application/json" id="srm-quiz-data">(.*?)</script>', page, re.S)
    assert block is not None
    assert "<" not in block.group(1)
    assert json.loads(block.group(1))["quizzes"][0]["questions"][0]["description"] == (
        "</script><script>alert(1)"
    )


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_no_inline_code_or_style_and_a_strict_csp(runtime):
    for course in (hostile_course(), kinds_course(), rich_lesson_course(), multi_lesson_course()):
        document = index_of(course, runtime)
        assert_strict_page(document)


def assert_strict_page(document) -> None:
    (csp,) = document.xpath("//meta[@http-equiv='Content-Security-Policy']")
    assert csp.get("content") == CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "style-src 'self'" in CONTENT_SECURITY_POLICY
    assert not document.xpath("//style | //*[@style]")
    for script in document.xpath("//script"):
        assert script.get("src") or script.get("type") == "application/json"
        if script.get("src"):
            assert not (script.text or "").strip()
    handlers = [
        (element.tag, name)
        for element in document.iter()
        if isinstance(element.tag, str)
        for name in element.attrib
        if name.lower().startswith("on")
    ]
    assert not handlers
    assert not document.xpath("//*[starts-with(@href, 'javascript:')]")


def test_lesson_page_is_strict_and_has_no_quiz(seed_course):
    lesson = seed_course.lessons[0]
    text = render_lesson_page(seed_course, lesson, stylesheet_href="../styles/site.css")
    document = parse(text)
    assert_strict_page(document)
    assert not document.xpath("//script")
    assert document.xpath("//link[@rel='stylesheet']/@href") == ["../styles/site.css"]
    assert not document.find_class("quiz")
    assert not document.xpath("//input")
    page = text_of(document)
    for section in lesson.sections:
        assert collapsed(section.title) in page
    assert "Last updated: June, 2026" in page
    assert document.get("lang") == seed_course.language
    assert_links_resolve(document)


def test_stylesheet_is_the_site_css(seed_course):
    assert stylesheet() == render_site(seed_course, "none")["assets/site.css"]
    assert b"@media print" in stylesheet()
    assert b"@import" not in stylesheet() and b"url(http" not in stylesheet()


# ------------------------------------------------------------------ structure
@pytest.mark.parametrize("runtime", RUNTIMES)
def test_site_files_and_names(seed_course, runtime):
    site = render_site(seed_course, runtime)
    # the seed course has choice questions only: the number formats, (the runtime,) the engine
    # and the choice script, in that order
    scripts = ["assets/locale.js", "assets/quiz.js", "assets/questions/choice.js"]
    if runtime != "none":
        scripts.insert(1, "assets/scorm-runtime.js")
    expected = {"index.html", "assets/site.css", *scripts}
    assert set(site) == expected
    assert all(re.fullmatch(r"[a-z0-9._/-]+", name) for name in site)
    document = parse(site["index.html"])
    sources = document.xpath("//script/@src")
    assert sources == scripts
    assert all(document.xpath("//script[@src]/@defer"))
    for href in document.xpath("//link/@href") + sources:
        assert href in site


def test_rendering_is_deterministic(seed_course):
    assert render_site(seed_course, "scorm2004") == render_site(seed_course, "scorm2004")
    assert render_site(kinds_course(shuffle=True), "scorm12") == render_site(
        kinds_course(shuffle=True), "scorm12"
    )


def test_unknown_runtime_is_refused(seed_course):
    with pytest.raises(ValueError, match="runtime"):
        render_site(seed_course, "scorm3000")


def test_course_without_quiz():
    plain = render_site(no_quiz_course(), "none")
    assert set(plain) == {"index.html", "assets/site.css"}
    assert not parse(plain["index.html"]).xpath("//script")
    # a SCO still needs the runtime to report that the lesson was completed
    scorm = render_site(no_quiz_course(), "scorm12")
    assert "assets/scorm-runtime.js" in scorm
    data = json.loads(parse(scorm["index.html"]).get_element_by_id("srm-quiz-data").text)
    assert data["quizzes"] == []


def assert_links_resolve(document) -> None:
    ids = set(document.xpath("//@id"))
    for href in document.xpath("//a/@href"):
        if href.startswith("#"):
            assert href[1:] in ids, href
    for attribute in ("aria-labelledby", "aria-describedby", "for"):
        for value in document.xpath(f"//@{attribute}"):
            for ref in value.split():
                assert ref in ids, (attribute, ref)


@pytest.mark.parametrize(
    "course", [hostile_course(), kinds_course(), rich_lesson_course(), multi_lesson_course()]
)
def test_links_and_labels_resolve(course, seed_course):
    assert_links_resolve(index_of(course))
    assert_links_resolve(index_of(seed_course, "scorm12"))


def test_headings_start_at_one_and_never_skip(seed_course):
    for course in (seed_course, multi_lesson_course(), rich_lesson_course()):
        levels = [int(h.tag[1]) for h in index_of(course).xpath("//h1|//h2|//h3|//h4|//h5|//h6")]
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_multi_lesson_anchors_are_namespaced():
    document = index_of(multi_lesson_course())
    assert text_of(document.xpath("//h1")[0]) == "Test Course"
    for lesson in ("first", "second", "reading"):
        assert document.get_element_by_id(f"{lesson}--basics") is not None
        assert document.get_element_by_id(f"lesson-{lesson}") is not None
    data = quiz_data(multi_lesson_course(), "scorm12")
    assert [q["section"] for quiz in data["quizzes"] for q in quiz["questions"]] == [
        "first--basics", "first--details", "second--basics",
    ]
    # several quizzes: one course result holds the verdict
    assert document.get_element_by_id("srm-course-result") is not None
    assert len(document.xpath("//*[@data-course-verdict]")) == 1


def test_tables_have_header_cells_and_a_name():
    document = index_of(rich_lesson_course())
    tables = document.xpath("//table")
    assert len(tables) == 2
    for table in tables:
        assert table.xpath(".//thead/tr/th[@scope='col']")
        assert all(row.xpath("./th[@scope='row']") for row in table.xpath(".//tbody/tr"))
    intro, captioned = tables
    assert intro.get("aria-labelledby") == "lesson-rich--title"
    assert text_of(captioned.xpath("./caption")[0]) == "A captioned table"
    assert captioned.getparent().get("aria-label") == "A captioned table"
    assert intro.xpath(".//td/@class") == ["align-right"]
    assert document.xpath("//ol/@start") == ["3"]
    assert text_of(document.xpath("//pre/code")[0]) == "x = 1 < 2"
    titles = [text_of(p) for p in document.find_class("callout-title")]
    assert titles == ["Exam tip", "Custom kind"]


def test_column_alignment_shorter_than_the_rows():
    table = Table(header=("A", "B", "C"), rows=(("1", "2", "3", "4"), ("5", "6")), align=("", "center"))
    lesson = replace(lesson_of("l", 1, ()), intro=(table,))
    for page in (index_of(course_of(lesson)), parse(render_lesson_page(course_of(lesson), lesson,
                                                                        stylesheet_href="site.css"))):
        (rendered,) = page.xpath("//table")
        cells = [[cell.get("class") for cell in row] for row in rendered.xpath(".//tr")]
        assert cells == [[None, "align-center", None], [None, "align-center", None, None],
                         [None, "align-center"]]


def test_table_after_a_heading_is_named_by_it(seed_course):
    document = index_of(seed_course)
    tables = document.xpath("//table")
    assert [t.get("aria-labelledby") for t in tables] == ["customer-managed-security", "service-types"]


# ------------------------------------------------------------------ the quiz
def test_question_markup_by_kind():
    document = index_of(kinds_course())
    single_q = document.get_element_by_id("q-pick-one")
    assert len(single_q.xpath(".//input[@type='radio'][@name='q-pick-one']")) == 4
    assert not single_q.xpath(".//button")
    many = document.get_element_by_id("q-pick-many")
    assert len(many.xpath(".//input[@type='checkbox']")) == 3
    assert text_of(many.xpath(".//button[@data-check]")[0]) == "Check answer"
    for question in document.xpath("//li[@data-question]"):
        assert question.xpath("./fieldset/legend")
        for box in question.xpath(".//input"):
            assert question.xpath(f".//label[@for='{box.get('id')}']")
        feedback = question.xpath("./div[@data-feedback]")[0]
        assert feedback.get("aria-live") == "polite"
        hidden = feedback.xpath("./*")
        assert hidden and all(child.get("hidden") is not None for child in hidden)


def test_quiz_data_for_the_runtime(seed_course):
    data = quiz_data(seed_course, "scorm2004")
    assert data["runtime"] == "scorm2004"
    assert data["passingScore"] == seed_course.passing_score
    assert re.fullmatch(r"[0-9a-f]{8}", data["fingerprint"])
    (quiz,) = data["quizzes"]
    questions = seed_course.lessons[0].quiz.questions
    assert [q["id"] for q in quiz["questions"]] == [q.id for q in questions]
    assert quiz["bands"] == [100, 80, 0]
    for entry, question in zip(quiz["questions"], questions, strict=True):
        assert re.fullmatch(r"[A-Za-z0-9_]+", entry["interaction"])
        assert entry["interaction"] == "shared_responsibility_model__" + question.id.replace("-", "_")
        assert entry["points"] == question.points
        assert [c["correct"] for c in entry["choices"]] == [c.correct for c in question.response.choices]
        assert [c["response12"] for c in entry["choices"]] == list("abcd")[: len(question.response.choices)]
        for choice, model_choice in zip(entry["choices"], question.response.choices, strict=True):
            assert choice["response2004"] == model_choice.id.replace("-", "_")
            assert re.fullmatch(r"[A-Za-z0-9_]{1,36}", choice["response2004"])
        assert len(entry["description"]) <= 250


def test_fingerprint_follows_the_quiz_shape():
    one = quiz_data(kinds_course(), "scorm12")["fingerprint"]
    assert one == quiz_data(kinds_course(shuffle=True), "scorm12")["fingerprint"]
    other = course_of(lesson_of("kinds", 1, (single("pick-one", "basics"),)))
    assert quiz_data(other, "scorm12")["fingerprint"] != one


def test_the_quiz_data_carries_the_groups_and_the_fingerprint_follows_them():
    """A changed pool must not restore an old draw; a quiz without groups keeps the fingerprint
    it had before groups existed (learners' saved attempts survive the upgrade)."""
    from srm_package.model import QuestionGroup

    questions = tuple(single(f"q{n}", "basics") for n in range(4))
    course = course_of(lesson_of("pools", 1, questions))
    (lesson,) = course.lessons

    def with_groups(*groups: QuestionGroup):
        return replace(course, lessons=(replace(lesson, quiz=replace(lesson.quiz, groups=groups)),))

    data = quiz_data(with_groups(QuestionGroup("pool", 2, ("q3", "q1", "q2"))), "scorm12")
    assert data["quizzes"][0]["groups"] == [{"pick": 2, "members": [1, 2, 3]}]
    assert quiz_data(course, "scorm12")["quizzes"][0]["groups"] == []
    prints = {render.fingerprint(with_groups(*groups)) for groups in [
        (), (QuestionGroup("pool", 2, ("q1", "q2", "q3")),), (QuestionGroup("pool", 1, ("q1", "q2", "q3")),),
        (QuestionGroup("pool", 2, ("q0", "q2", "q3")),)]}
    assert len(prints) == 4
    # the shape hashed for a quiz without groups is what it always was
    shape = [[lesson.id, [[q.id, render.question_type(q).structure(q)] for q in questions]]]
    assert render.fingerprint(course) == hashlib.sha256(json.dumps(shape).encode("utf-8")).hexdigest()[:8]


def test_colliding_interaction_ids_are_refused():
    course = course_of(lesson_of("l", 1, (single("same-id", "basics"), single("same_id", "basics"))))
    with pytest.raises(BuildError, match="interaction id"):
        render_site(course, "scorm12")


def test_too_many_choices_for_scorm12():
    course = course_of(lesson_of("l", 1, (single("wide", "basics", choices=27),)))
    with pytest.raises(BuildError, match="SCORM 1.2"):
        render_site(course, "scorm12")
    assert "index.html" in render_site(course, "scorm2004")


def test_section_id_clashing_with_a_page_id_is_refused():
    course = course_of(lesson_of("l", 1, (single("q", "basics"),), sections=("basics", "srm-main")))
    with pytest.raises(BuildError, match="srm-main"):
        render_site(course, "none")


def nested_headings_course(*, credits: bool = True):
    """Headings inside every kind of container, in the introduction and the sections; three
    lessons of which only the middle one has a quiz (one quiz, several lessons)."""
    def heading(anchor: str, level: int = 3) -> Heading:
        return Heading(level, f"Heading {anchor}", anchor)

    nested = (
        heading("top"),
        Quote((heading("in-quote", 4), Paragraph("quoted"))),
        ListBlock(False, ((Paragraph("plain item"),), (Paragraph("item"), heading("in-list", 4)))),
        Callout("note", "", (heading("in-callout", 4),)),
        Comparison(columns=(ComparisonColumn("Left", (heading("in-column", 4),)),
                            ComparisonColumn("Right", (Paragraph("right"),)))),
    )
    first = lesson_of("first", 1, ())
    first = replace(first, intro=(heading("intro-heading"), *first.intro),
                    sections=(Section("basics", "Basics", nested), *first.sections[1:]))
    second = lesson_of("second", 2, (single("only-q", "basics"),))
    course = course_of(first, second, lesson_of("third", 3, ()))
    return course if credits else replace(course, credits=())


def rendered_ids(page: bytes | str) -> list[str]:
    document = parse(page)
    return [element.get("id") for element in document.iter()
            if isinstance(element.tag, str) and element.get("id") is not None]


ID_COURSES = {
    "hostile": hostile_course, "kinds": kinds_course, "rich": rich_lesson_course,
    "multi": multi_lesson_course, "no-quiz": no_quiz_course, "nested": nested_headings_course,
    "nested-no-credits": lambda: nested_headings_course(credits=False),
    "one-lesson-no-credits": lambda: replace(kinds_course(), credits=()),
    "lesson-sources": lambda: sourced_course(),
}


@pytest.mark.parametrize("runtime", RUNTIMES)
@pytest.mark.parametrize("name", [*ID_COURSES, "seed"])
def test_listed_ids_are_the_rendered_ids(name, runtime, seed_course):
    """The uniqueness check reads the ids from the model; they must be exactly the page's."""
    course = seed_course if name == "seed" else ID_COURSES[name]()
    single_lesson = len(course.lessons) == 1
    page = _Page(course, single_lesson=single_lesson)
    with_data = runtime != "none" or bool(course.questions)
    site = render_site(course, runtime)
    with_scripts = any(path.endswith(".js") for path in site)  # the locale data goes with any script
    listed = list(_site_ids(page, lms=runtime != "none", with_data=with_data, with_scripts=with_scripts))
    assert listed == rendered_ids(site["index.html"])
    lesson_page = _Page(course, single_lesson=True)
    for lesson in course.lessons:
        html = render_lesson_page(course, lesson, stylesheet_href="site.css")
        assert list(_lesson_page_ids(lesson_page, lesson)) == rendered_ids(html)


def test_nested_heading_clashing_with_a_section_is_refused():
    course = nested_headings_course()
    first = course.lessons[0]
    clash = replace(first, sections=(*first.sections, Section("in-callout", "Clash", ())))
    course = replace(course, lessons=(clash, *course.lessons[1:]))
    for runtime in RUNTIMES:
        with pytest.raises(BuildError, match="first--in-callout"):
            render_site(course, runtime)
    with pytest.raises(BuildError, match="'in-callout'"):
        render_lesson_page(course, clash, stylesheet_href="site.css")


# ------------------------------------------------------------------ shared rendering
SHARED_COURSES = {
    "seed": None, "kinds": kinds_course, "multi": multi_lesson_course, "nested": nested_headings_course,
    "no-quiz": no_quiz_course, "hostile": hostile_course,
}


@pytest.mark.parametrize("name", SHARED_COURSES)
def test_sites_rendered_in_any_order_equal_fresh_renders(name, seed_course):
    """The lessons are rendered once and shared: every site must still be what a
    rendering from scratch gives, whichever runtime came first."""
    def course():
        return seed_course if name == "seed" else SHARED_COURSES[name]()

    fresh = {}
    for runtime in RUNTIMES:
        render._shared_renderings.clear()
        fresh[runtime] = render_site(course(), runtime)
    for order in (RUNTIMES, RUNTIMES[::-1], ("none", "scorm12", "scorm2004")):
        render._shared_renderings.clear()
        one = course()
        for runtime in order:
            assert render_site(one, runtime) == fresh[runtime], (order, runtime)


def test_lessons_are_rendered_once_per_course_and_variant(seed_course):
    several = multi_lesson_course()
    for runtime in RUNTIMES:
        render_site(several, runtime)
    # several quizzes: the verdict is outside the lessons, so one rendering serves every runtime
    assert list(render._shared(several)._articles) == [None]
    # one quiz holds the verdict, whose LMS note only SCORM pages carry
    for course in (seed_course, nested_headings_course()):
        for runtime in RUNTIMES:
            render_site(course, runtime)
        assert sorted(render._shared(course)._articles) == [False, True]


def test_lesson_pages_share_one_page_context(monkeypatch):
    built: list[bool] = []
    original = render._Page.__post_init__

    def counting(page) -> None:
        built.append(page.single_lesson)
        original(page)

    monkeypatch.setattr(render._Page, "__post_init__", counting)
    course = multi_lesson_course()
    pages = [render_lesson_page(course, lesson, stylesheet_href="site.css") for lesson in course.lessons]
    assert built == [True]
    render_site(course, "none")
    assert built == [True, False]
    # the same lesson alone and among others: anchors namespaced only among others
    assert 'id="basics"' in pages[0] and 'id="first--basics"' not in pages[0]


def test_shared_renderings_are_per_course_object_and_bounded():
    first, equal = multi_lesson_course(), multi_lesson_course()
    assert first == equal and first is not equal
    assert render._shared(first) is render._shared(first)
    assert render._shared(first) is not render._shared(equal)
    for _ in range(5):
        render_site(kinds_course(), "none")
    assert len(render._shared_renderings) == render._SHARED_LIMIT == 2
    # the least recently used course goes first
    kept = render._shared(first)
    render._shared(equal)
    render._shared(first)
    render._shared(kinds_course())
    assert render._shared_renderings[id(first)] is kept
    assert id(equal) not in render._shared_renderings


def test_text_that_looks_like_the_articles_slot_stays_text():
    slot = render._ARTICLES_SLOT
    lesson = lesson_of("l", 1, (single("q", "basics", stem=f"Stem {slot}"),))
    lesson = replace(lesson, title=f"Lesson {slot}",
                     sections=(Section("basics", f"Section {slot}", (Paragraph(slot),)),))
    course = replace(course_of(lesson, lesson_of("other", 2, ())), title=f"Course {slot}",
                     credits=(f"Credit {slot}",))
    for runtime in RUNTIMES:
        page = render_site(course, runtime)["index.html"].decode()
        assert page.count(slot) == 0
        document = parse(page)
        assert text_of(document.xpath("//h1")[0]) == f"Course {slot}"
        assert text_of(document.get_element_by_id("l--basics")) == f"Section {slot}"
        assert len(document.xpath("//article")) == 2
        data = json.loads(document.get_element_by_id("srm-quiz-data").text)
        assert data["quizzes"][0]["questions"][0]["description"] == f"Stem {slot}"
        assert f"Credit {slot}" in text_of(document)


def test_lms_notes_only_for_scorm(seed_course):
    assert index_of(seed_course, "none").xpath("//*[@id='srm-lms-status']") == []
    status = index_of(seed_course, "scorm12").get_element_by_id("srm-lms-status")
    assert status.get("role") == "status" and status.get("hidden") is not None
    assert "Not connected to an LMS" in status.get("data-template-standalone")
    refused = status.get("data-template-refused")
    assert "did not accept this session" in refused and "will not be recorded" in refused
    # plain words for learners: no placeholder for a script's error text
    assert "{" not in status.get("data-template-broken")
    assert "{detail}" in status.get("data-template-problem")
    assert "Reload the page" in status.get("data-template-ended")


# ------------------------------------------------------------------ the html target
def test_html_target_is_the_plain_site(seed_course, tmp_path):
    from click.testing import CliRunner

    from srm_package.cli import main
    from srm_package.targets import TARGETS, builder

    assert TARGETS["html"] == "srm_package.targets.html"
    artifact = builder("html")(seed_course)
    assert artifact.filename == "aws-cloud-practitioner-html"
    assert artifact.kind == "dir"
    assert dict(artifact.entries) == render_site(seed_course, "none")
    assert artifact.summary.startswith("plain site, 1 lesson, 5 questions")

    result = CliRunner().invoke(main, ["build", "source", "-o", str(tmp_path), "-t", "html"])
    assert result.exit_code == 0, result.output
    written = tmp_path / "aws-cloud-practitioner-html"
    assert sorted(p.relative_to(written).as_posix() for p in written.rglob("*") if p.is_file()) == [
        "assets/locale.js", "assets/questions/choice.js", "assets/quiz.js", "assets/site.css", "index.html",
    ]
    assert (written / "index.html").read_bytes() == artifact.entries["index.html"]


# ------------------------------------------------------------------ in a parallel build
def test_the_sites_are_built_by_one_worker(tmp_path, monkeypatch):
    """The shared rendering lives in one process, so a parallel build keeps the three
    sites together in one worker; the report still follows the order of the targets."""
    from benchmarks import make_course
    from srm_package import build as build_module
    from srm_package import parallel
    from srm_package.targets import TARGETS

    if not hasattr(os, "fork"):
        pytest.skip("needs os.fork")
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    monkeypatch.setattr(parallel, "_other_threads_running", lambda: False)
    real_builder = build_module.builder
    log = tmp_path / "pids"

    def builder(name):
        def build_and_note(course):
            with log.open("a", encoding="utf-8") as notes:  # workers are other processes
                notes.write(f"{name} {os.getpid()}\n")
            return real_builder(name)(course)
        return build_and_note

    monkeypatch.setattr(build_module, "builder", builder)
    make_course.generate(9, 40, tmp_path / "course")
    written = build_module.build(tmp_path / "course" / "source", tmp_path / "dist").written
    pids = dict(line.split() for line in log.read_text(encoding="utf-8").splitlines())
    assert sorted(pids) == sorted(TARGETS)
    assert len(set(pids.values())) == 2, "the build did not fork"
    assert pids["scorm12"] == pids["scorm2004"] == pids["html"]
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    serial = build_module.build(tmp_path / "course" / "source", tmp_path / "serial").written
    assert [w.path.name for w in written] == [w.path.name for w in serial]


def sourced_course():
    """Three lessons: the first with its own citation and credits, the second with a citation
    only, the third with neither; the course keeps a citation of its own."""
    first = replace(lesson_of("first", 1, (single("first-q", "basics"),)),
                    citation=Citation("Primary Source", "*Book One*, chapter 1."),
                    credits=("Figures by B. Painter.", "Reviewed by C. Reader."))
    second = replace(lesson_of("second", 2, ()), citation=Citation("Source", "Notes on lesson two."))
    return replace(course_of(first, second, lesson_of("third", 3, ())),
                   citation=Citation("Course source", "The whole syllabus."))


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_lesson_citation_and_credits_are_shown_with_their_lesson(runtime):
    document = index_of(sourced_course(), runtime)
    first, second, third = (document.get_element_by_id(f"lesson-{name}")
                            for name in ("first", "second", "third"))
    (sources,) = first.find_class("lesson-sources")
    assert text_of(sources) == ("Primary Source: Book One, chapter 1. Credits "
                                "Figures by B. Painter. Reviewed by C. Reader.")
    # after the lesson's text, before its quiz
    children = list(first)
    assert children.index(sources) < children.index(first.get_element_by_id("quiz-first-quiz"))
    (credits,) = sources.xpath(".//ul")
    assert credits.get("aria-labelledby") == "lesson-first--credits-title"
    assert text_of(second.find_class("lesson-sources")[0]) == "Source: Notes on lesson two."
    assert not third.find_class("lesson-sources")
    # the course footer keeps the course's own citation, copyright and last updated
    (footer,) = document.find_class("site-footer")
    assert "Course source: The whole syllabus." in text_of(footer)
    assert "Book One" not in text_of(footer)


def test_lesson_sources_travel_with_the_lesson_page():
    course = sourced_course()
    html = render_lesson_page(course, course.lessons[0], stylesheet_href="site.css")
    assert "Primary Source: Book One, chapter 1." in text_of(parse(html))
    portable = lesson_document(course, course.lessons[0])
    text = text_of(parse(portable))
    assert "Primary Source: Book One, chapter 1." in text and "Figures by B. Painter." in text
    assert "Course source: The whole syllabus." in text
