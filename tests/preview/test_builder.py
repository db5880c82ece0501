"""The preview's builds in-process: only changed files parsed, the last good build kept while
the sources are broken, problems as ``check`` prints them."""

from __future__ import annotations

from pathlib import Path

from srm_package.errors import SourceError
from srm_package.loader import load_course
from srm_package.preview.builder import PreviewBuilder, with_reload_script
from srm_package.sources.memo import ReadMemo

LESSON = "lessons/13-shared-responsibility-model.md"
QUIZ = "lessons/13-shared-responsibility-model.quiz.yaml"


def test_a_memo_load_equals_a_plain_load_and_parses_only_what_changed(seed_copy: Path) -> None:
    memo = ReadMemo()
    first = load_course(seed_copy, memo=memo)
    assert (memo.hits, memo.misses) == (0, 2)  # the lesson and its quiz
    again = load_course(seed_copy, memo=memo)
    assert (memo.hits, memo.misses) == (2, 0)
    assert again == first
    quiz = seed_copy / QUIZ
    quiz.write_text(quiz.read_text().replace("Shared Responsibility Model Quiz", "The Quiz"))
    changed = load_course(seed_copy, memo=memo)
    assert (memo.hits, memo.misses) == (1, 1)  # the lesson came from the memo
    assert changed == load_course(seed_copy)
    assert changed.course.lessons[0].quiz.title == "The Quiz"


def test_a_memo_reports_the_problems_of_an_unchanged_file_on_every_load(seed_copy: Path) -> None:
    quiz = seed_copy / QUIZ
    quiz.write_text(quiz.read_text().replace("points: 1", "points: 0", 1))
    memo = ReadMemo()
    errors = []
    for _ in range(2):
        try:
            load_course(seed_copy, memo=memo)
        except SourceError as error:
            errors.append(error.problems)
    assert len(errors) == 2 and errors[0] == errors[1] and errors[0]
    assert memo.hits == 2


def test_a_broken_build_keeps_the_last_good_one_and_a_fix_clears_the_problems(seed_copy: Path) -> None:
    builder = PreviewBuilder(seed_copy, runtimes=("scorm12",))
    good = builder.rebuild()
    assert (good.epoch, good.problems) == (1, ())
    page = builder.site("scorm12")["index.html"]
    quiz = seed_copy / QUIZ
    text = quiz.read_text()
    quiz.write_text(text.replace("section: customer-responsibility", "section: nowhere", 1))
    broken = builder.rebuild()
    assert broken.epoch == 1 and broken.course is good.course
    try:
        load_course(seed_copy)
    except SourceError as error:
        assert broken.problems == tuple(str(problem) for problem in error.problems)
    assert broken.problems[0].startswith(f"{quiz}:")
    assert builder.site("scorm12")["index.html"] == page  # still served
    quiz.write_text(text)
    fixed = builder.rebuild()
    assert (fixed.epoch, fixed.problems) == (1, ())  # the same course: nothing to reload
    assert fixed.version == broken.version + 1
    quiz.write_text(text.replace("Shared Responsibility Model Quiz", "Edited Quiz"))
    edited = builder.rebuild()
    assert edited.epoch == 2 and b"Edited Quiz" in builder.site("scorm12")["index.html"]


def test_a_runtime_is_rendered_when_first_asked_for_then_kept_up_to_date(seed_copy: Path) -> None:
    builder = PreviewBuilder(seed_copy, runtimes=("scorm12",))
    builder.rebuild()
    assert builder.site("nonsense") is None
    plain = builder.site("html")
    assert b'data-epoch="1"' in plain["index.html"] and "assets/scorm-runtime.js" not in plain
    lesson = seed_copy / LESSON
    lesson.write_text(lesson.read_text().replace("Security and compliance", "Safety and compliance"))
    builder.rebuild()
    assert b"Safety and compliance" in builder.site("html")["index.html"]
    assert b'data-epoch="2"' in builder.site("html")["index.html"]


def test_nothing_to_show_before_a_first_good_build(tmp_path: Path) -> None:
    builder = PreviewBuilder(tmp_path / "missing")
    snapshot = builder.rebuild()
    assert snapshot.epoch == 0 and snapshot.course is None
    assert "not a folder" in snapshot.problems[0]
    assert builder.site("scorm12") is None


def test_the_reload_script_goes_before_the_last_body_end() -> None:
    page = b"<html><body><p>&lt;/body&gt;</p></body>\n</html>\n"
    assert with_reload_script(page, 7) == (
        b'<html><body><p>&lt;/body&gt;</p><script src="/__srm__/livereload.js" data-epoch="7" defer>'
        b"</script>\n</body>\n</html>\n")


def test_cached_articles_render_the_same_site_and_only_changed_lessons(tmp_path: Path) -> None:
    import subprocess
    import sys

    from srm_package.render import ArticleCache, render_site
    from tests.conftest import ROOT, SOURCE

    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_course.py"), "10", "40", str(tmp_path)],
                   check=True, capture_output=True)
    for source in (SOURCE, tmp_path / "source"):
        course = load_course(source).course
        cache = ArticleCache()
        for runtime in ("scorm12", "scorm2004", "none"):
            assert render_site(course, runtime, article_cache=cache) == render_site(course, runtime)
    source = tmp_path / "source"
    lesson = sorted((source / "lessons").glob("*.md"))[3]
    lesson.write_text(lesson.read_text().replace("## ", "## Changed ", 1))
    cache.new_round()
    changed = load_course(source).course
    assert render_site(changed, "scorm12", article_cache=cache) == render_site(changed, "scorm12")
    assert (cache.hits, cache.misses) == (9, 1)
