"""The compiled-template cache: used between runs, never stale, never a reason to fail."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import jinja2.bccache
import pytest
from jinja2 import Environment
from jinja2.bccache import bc_magic

from srm_package import render
from srm_package.render import _TEMPLATE_OPTIONS, TEMPLATES_DIR
from srm_package.template_cache import CACHE_NAME, user_cache_dir


def environment(templates: Path, cache_dir: Path | None, options=None) -> Environment:
    """A fresh environment like render's, so that nothing is remembered between calls."""
    return render._make_environment(templates, options or _TEMPLATE_OPTIONS, cache_dir=cache_dir)


def render_site_page(env: Environment, course) -> str:
    page = render._Page(course, single_lesson=True)
    return env.get_template("lesson_page.html.j2").render(
        course=course, page=page, csp="", stylesheet_href="site.css", scripts=[], page_title="t",
        lesson=course.lessons[0])


def forbid_compiling(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("a cached template was compiled again")

    monkeypatch.setattr(Environment, "compile", refuse)


def test_compiled_templates_are_reused_by_the_next_run(tmp_path, seed_course, monkeypatch):
    cache_dir = tmp_path / "cache"
    first = render_site_page(environment(TEMPLATES_DIR, cache_dir), seed_course)
    entries = sorted((cache_dir / "templates").iterdir())
    assert entries and all(entry.name.endswith(".cache") for entry in entries)
    assert all((entry.stat().st_mode & 0o077) == 0 for entry in [cache_dir / "templates", *entries])
    forbid_compiling(monkeypatch)
    assert render_site_page(environment(TEMPLATES_DIR, cache_dir), seed_course) == first


def test_an_edited_template_is_compiled_afresh(tmp_path, seed_course):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    cache_dir = tmp_path / "cache"
    before = render_site_page(environment(templates, cache_dir), seed_course)
    footer = templates / "_footer.html.j2"
    footer.write_text(footer.read_text(encoding="utf-8").replace("Last updated:", "Updated:"),
                      encoding="utf-8")
    after = render_site_page(environment(templates, cache_dir), seed_course)
    assert "Last updated:" in before and "Last updated:" not in after and "Updated:" in after


def test_other_options_use_other_entries(tmp_path, seed_course):
    cache_dir = tmp_path / "cache"
    render_site_page(environment(TEMPLATES_DIR, cache_dir), seed_course)
    names = {entry.name for entry in (cache_dir / "templates").iterdir()}
    other = {**_TEMPLATE_OPTIONS, "trim_blocks": False}
    loose = render_site_page(environment(TEMPLATES_DIR, cache_dir, other), seed_course)
    added = {entry.name for entry in (cache_dir / "templates").iterdir()} - names
    assert len(added) == len(names)
    assert loose != render_site_page(environment(TEMPLATES_DIR, tmp_path / "fresh"), seed_course)


def test_damaged_entries_are_compiled_again(tmp_path, seed_course):
    cache_dir = tmp_path / "cache"
    expected = render_site_page(environment(TEMPLATES_DIR, cache_dir), seed_course)
    entries = list((cache_dir / "templates").iterdir())
    for number, entry in enumerate(entries):
        good = entry.read_bytes()
        # the right header with garbage after it, a cut-off file, or nothing at all
        damaged = [good[: len(bc_magic)] + b"\x80garbage", good[: len(good) // 2], b""]
        entry.write_bytes(damaged[number % 3])
    assert render_site_page(environment(TEMPLATES_DIR, cache_dir), seed_course) == expected


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_folder_is_no_error(tmp_path, seed_course):
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    cache_dir.chmod(0o500)
    try:
        assert "Last updated:" in render_site_page(environment(TEMPLATES_DIR, cache_dir), seed_course)
    finally:
        cache_dir.chmod(0o700)


def test_a_full_disk_is_no_error(tmp_path, seed_course, monkeypatch):
    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(jinja2.bccache.tempfile, "NamedTemporaryFile", no_space)
    cache_dir = tmp_path / "cache"
    assert "Last updated:" in render_site_page(environment(TEMPLATES_DIR, cache_dir), seed_course)
    assert list((cache_dir / "templates").iterdir()) == []


def test_a_file_in_the_way_is_no_error(tmp_path, seed_course):
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder", encoding="utf-8")
    assert "Last updated:" in render_site_page(environment(TEMPLATES_DIR, blocker), seed_course)
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_the_cache_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert user_cache_dir() == tmp_path / "xdg" / CACHE_NAME
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for ignored in ("", "relative/cache"):  # the specification: ignore relative paths
        monkeypatch.setenv("XDG_CACHE_HOME", ignored)
        assert user_cache_dir() == tmp_path / "home" / ".cache" / CACHE_NAME
    # the folder is made only when something is written into it
    assert not (tmp_path / "home").exists()


def test_the_renderer_uses_the_user_cache():
    cache = render._environment().bytecode_cache
    assert cache is not None
    assert Path(cache.directory).parent == user_cache_dir()
