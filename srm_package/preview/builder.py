"""The preview's builds: the course loaded again on every save (only changed files parsed, see
``sources/memo.py``), its student pages rendered in memory with the same ``render_site`` the
packages use (only changed lessons rendered again), and the problems of a broken build, listed as ``check`` lists them.

A broken build never replaces the last good one: pages keep showing it, with the problems
over it. Each good build gets a new ``epoch``; pages carry the epoch they were rendered from
and reload when the builder has a newer one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from srm_package.errors import BuildError, SourceError
from srm_package.loader import load_course
from srm_package.model import Course
from srm_package.package_files import Entry
from srm_package.render import ArticleCache
from srm_package.sources.memo import ReadMemo

#: URL name → ``render_site`` run-time
RUNTIMES = {"scorm12": "scorm12", "scorm2004": "scorm2004", "html": "none"}
RELOAD_SCRIPT = "/__srm__/livereload.js"


@dataclass(frozen=True)
class Snapshot:
    #: good builds so far (0: none yet)
    epoch: int
    #: changes so far: a good build or another list of problems
    version: int
    #: the last good build's course
    course: Course | None
    #: the current build's problems as ``check`` prints them (empty when it built)
    problems: tuple[str, ...]


class PreviewBuilder:
    def __init__(self, source_dir: Path, runtimes: tuple[str, ...] = ("scorm12",)) -> None:
        self.source_dir = Path(source_dir)
        self.memo = ReadMemo()
        #: each lesson's rendered article by its content: only changed lessons are rendered again
        self.articles = ArticleCache()
        self.snapshot = Snapshot(0, 0, None, ())
        self.warnings: tuple[str, ...] = ()
        self.stopped = False
        self._changed = threading.Condition()
        #: render.py keeps per-course caches that are not made for threads: one render at a time
        self._render_lock = threading.Lock()
        self._wanted = set(runtimes)
        self._sites: dict[str, dict[str, Entry]] = {}

    # ----------------------------------------------------------------- building
    def rebuild(self) -> Snapshot:
        """Load and render again; publish the result (or the problems) to waiting pages."""
        try:
            loaded = load_course(self.source_dir, memo=self.memo)
        except SourceError as error:
            return self._publish(problems=tuple(str(problem) for problem in error.problems))
        course = loaded.course
        self.warnings = tuple(str(problem) for problem in loaded.warnings)
        if course == self.snapshot.course:  # saved without a change that shows (or fixed back)
            return self._publish(problems=())
        with self._render_lock:
            try:
                # only this thread publishes builds, so the next epoch is known
                epoch = self.snapshot.epoch + 1
                self.articles.new_round()
                sites = {name: self._render(course, name, epoch) for name in sorted(self._wanted)}
            except BuildError as error:
                return self._publish(problems=(f"{self.source_dir}: {error}",))
        return self._publish(course=course, sites=sites)

    def _publish(self, *, problems: tuple[str, ...] = (), course: Course | None = None,
                 sites: dict[str, dict[str, bytes]] | None = None) -> Snapshot:
        with self._changed:
            old = self.snapshot
            if course is not None and sites is not None:
                self._sites = sites
                new = Snapshot(old.epoch + 1, old.version + 1, course, ())
            elif problems == old.problems:
                return old
            else:
                new = Snapshot(old.epoch, old.version + 1, old.course, problems)
            self.snapshot = new
            self._changed.notify_all()
            return new

    def _render(self, course: Course, name: str, epoch: int) -> dict[str, Entry]:
        from srm_package.render import render_site

        site = render_site(course, RUNTIMES[name], article_cache=self.articles)
        site["index.html"] = with_reload_script(site["index.html"], epoch)
        return site

    # ------------------------------------------------------------------ serving
    def site(self, name: str) -> dict[str, Entry] | None:
        """The last good build's files for run-time ``name`` (rendered now if first asked for);
        ``None`` before any good build or for an unknown name."""
        if name not in RUNTIMES:
            return None
        with self._changed:
            course, epoch = self.snapshot.course, self.snapshot.epoch
            site = self._sites.get(name)
        if course is None or site is not None:
            return site
        with self._render_lock:
            site = self._render(course, name, epoch)
        with self._changed:
            if self.snapshot.course is course:
                self._wanted.add(name)  # rebuilt from now on with the others
                self._sites[name] = site
        return site

    def wait_for_change(self, seen_version: int | None, timeout: float) -> Snapshot:
        """The snapshot once its version differs from ``seen_version`` (or after ``timeout``)."""
        with self._changed:
            self._changed.wait_for(lambda: self.snapshot.version != seen_version or self.stopped, timeout)
            return self.snapshot

    def stop(self) -> None:
        """Wake every waiting page connection so that the server can close it."""
        with self._changed:
            self.stopped = True
            self._changed.notify_all()


def with_reload_script(page: bytes, epoch: int) -> bytes:
    """``page`` with the external reload script before ``</body>``: the page's CSP allows
    scripts of its own origin only, so the preview runs under the CSP the packages ship with."""
    tag = f'<script src="{RELOAD_SCRIPT}" data-epoch="{epoch}" defer></script>\n'.encode()
    head, body_end, tail = page.rpartition(b"</body>")
    if not body_end:
        raise AssertionError("the rendered page has no </body>")
    return head + tag + body_end + tail
