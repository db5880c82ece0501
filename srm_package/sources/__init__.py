"""Loading a course folder: ``course.yaml``, its lesson Markdown files and quiz YAML files.

Every file is read and checked even after a first mistake, so that one run of
``srm-package check`` lists all problems. The model is returned only when no
error is left; warnings travel with it.
"""

from __future__ import annotations

import dataclasses
import errno
import gc
import os
import stat
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TypeVar

from srm_package import i18n, model
from srm_package.errors import Problem, SourceError
from srm_package.limits import MAX_SOURCE_FILE_SIZE
from srm_package.parallel import fork_map
from srm_package.sources.attribution import read_citation, read_credits
from srm_package.sources.lesson_file import LessonSource, read_lesson
from srm_package.sources.media import FoundImage, ImageFinder, media_files
from srm_package.sources.memo import ReadMemo
from srm_package.sources.quiz_file import read_quiz
from srm_package.sources.rich_check import TextChecker
from srm_package.sources.text_rules import MARKUP_PROBLEM, markup_overflow
from srm_package.sources.ui_strings import read_ui
from srm_package.sources.yamlfields import Located, Problems, compose, decode_utf8

T = TypeVar("T")

COURSE_FILE = "course.yaml"
_COURSE_FIELDS = ("id", "title", "language", "author", "copyright", "last_updated", "credits",
                  "citation", "passing_score", "ui", "lessons")
_LESSON_ENTRY_FIELDS = ("file", "quiz")
#: below this many lessons, starting worker processes costs more than it saves
_PARALLEL_FROM = 8


@dataclass(frozen=True)
class LoadResult:
    course: model.Course
    warnings: tuple[Problem, ...]


def load_course(source_dir: Path, *, lesson_bodies: bool = True, memo: ReadMemo | None = None) -> LoadResult:
    """Read and check the course in ``source_dir``; raise ``SourceError`` listing every error.

    ``lesson_bodies=False`` is for builds whose packages hold quizzes only: each lesson is
    read as far as its front matter (no intro, no sections), so nothing in a lesson body
    is checked, nor are the quizzes' references to its sections. ``check`` reads everything.

    ``memo`` (the preview's) keeps what each lesson and quiz file gave between loads, so that
    only changed files are parsed again; lessons are then read in this process.
    """
    problems = Problems()
    if memo is not None:
        memo.new_round()
    with _collector_paused():
        course = _CourseReader(Path(source_dir), problems, lesson_bodies, memo).read()
    if problems.errors or course is None:
        if not problems.errors:  # defensive: a missing model must always be explained
            problems.error(str(Path(source_dir) / COURSE_FILE), 0, 0, "", "the course could not be read")
        raise SourceError(problems.errors)
    return LoadResult(course, tuple(problems.warnings))


@contextmanager
def _collector_paused():
    """No cyclic garbage collection while reading: it would scan the growing model again
    and again (a fifth of the time of a large course) and find nothing, since reading
    builds no reference cycles. Reference counting still frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _CourseReader:
    def __init__(self, source_dir: Path, problems: Problems, lesson_bodies: bool = True,
                 memo: ReadMemo | None = None):
        self.dir = source_dir
        self.problems = problems
        self.lesson_bodies = lesson_bodies
        self.memo = memo
        self.images = ImageFinder(source_dir)
        #: the course's language and wording, once course.yaml has given them
        self.strings = i18n.ENGLISH
        #: the image files of the lessons read so far (entries read in workers send theirs back)
        self.found_images: list[FoundImage] = []

    def read_text(self, path: Path, where: Located | None = None) -> str | None:
        """The file's text; a problem at ``where`` (the entry naming the file) if it cannot be read."""
        try:
            data = read_source_file(path)
        except (OSError, UnreadableFile) as error:
            if isinstance(error, UnreadableFile):
                reason = str(error)
            elif isinstance(error, FileNotFoundError):
                reason = "file not found"
            else:
                reason = f"cannot read the file ({error.strerror})"
            if where is not None:
                where.error(f"{reason}: {path}")
            else:
                self.problems.error(str(path), 0, 0, "", reason)
            return None
        text = decode_utf8(data, str(path), self.problems)
        if text is not None and (at := markup_overflow(text)) is not None:
            line_start = text.rfind("\n", 0, at) + 1
            self.problems.error(str(path), text.count("\n", 0, at) + 1, at - line_start + 1, "", MARKUP_PROBLEM)
            return None
        return text

    def read(self) -> model.Course | None:
        if not self.dir.is_dir():
            self.problems.error(str(self.dir), 0, 0, "", "not a folder: give the folder holding course.yaml")
            return None
        shown = str(self.dir / COURSE_FILE)
        text = self.read_text(self.dir / COURSE_FILE)
        if text is None:
            return None
        root = compose(text, shown, self.problems)
        if root is None:
            return None
        fields = Located(root, shown, "", self.problems).as_mapping(_COURSE_FIELDS)
        if fields is None:
            return None

        course_id = fields.read("id", Located.identifier, required=True)
        title = fields.read("title", Located.text, required=True)
        language = fields.read("language", Located.text, required=True)
        if language is not None and not _looks_like_language_tag(language):
            fields.get("language").error(f"expected a language tag such as 'en' or 'en-GB'; found {language!r}")
            language = None
        ui = read_ui(fields.get("ui"), language) if language is not None else ()
        if language is not None and ui is not None:
            self.strings = i18n.CourseStrings(language, ui)
            if i18n.catalog_for(language) is None:
                found_language = fields.get("language")
                self.problems.warning(
                    found_language.file, found_language.line, found_language.column, "language",
                    f"srm-package has no strings in {language!r}: the page's own texts (buttons, "
                    f"progress, feedback words) will be in English; shipped languages: "
                    f"{', '.join(i18n.shipped_tags())}. Words in `ui:` replace any of them")
        author = fields.read("author", Located.text, required=True)
        copyright_line = fields.read("copyright", Located.text, required=True)
        updated = fields.read("last_updated", Located.date_like, required=True)
        credits = read_credits(fields.get("credits"))
        citation = read_citation(fields.get("citation"), i18n.citation_label(self.strings))
        passing = fields.get("passing_score")
        passing_score = passing.integer(0, 100) if passing is not None else 80
        found_lessons = fields.require("lessons")
        lessons = self._lessons(found_lessons) if found_lessons is not None else []
        required = (course_id, title, language, author, copyright_line, updated, credits, passing_score, ui)
        if None in required or self.problems.errors:
            return None
        return model.Course(
            course_id, title, language, author, copyright_line, model.YearMonth(*updated),
            credits, citation, passing_score, tuple(lessons), media_files(self.found_images), ui,
        )

    def _lessons(self, found: Located) -> list[model.Lesson]:
        items = found.as_sequence()
        if items is None:
            return []
        if not items:
            found.error("a course needs at least one lesson")
        lessons: list[model.Lesson] = []
        seen_ids: dict[str, str] = {}
        seen_numbers: dict[int, str] = {}
        quiz_ids: dict[str, str] = {}
        question_ids: dict[str, str] = {}
        # a memo is filled in this process: worker processes would fill their own copies
        parallel = len(items) >= _PARALLEL_FROM and self.memo is None
        entries = fork_map(self._entry, items) if parallel else map(self._entry, items)
        for item, (lesson, found, images) in zip(items, entries, strict=True):
            self.problems.items += found
            self.found_images += images
            if lesson is None:
                continue
            where = f"{item.file}:{item.line}"
            if lesson.id in seen_ids:
                item.error(f"duplicate lesson id {lesson.id!r} (also at {seen_ids[lesson.id]})")
                continue
            if lesson.number in seen_numbers:
                item.error(f"duplicate lesson number {lesson.number} (also at {seen_numbers[lesson.number]})")
            seen_ids[lesson.id] = where
            seen_numbers[lesson.number] = where
            if lesson.quiz and lesson.quiz.id in quiz_ids:
                item.error(f"quiz id {lesson.quiz.id!r} is used in two lessons ({quiz_ids[lesson.quiz.id]} and "
                           f"{lesson.id}); quiz ids are unique in the course")
            elif lesson.quiz:
                quiz_ids[lesson.quiz.id] = lesson.id
            for question in lesson.quiz.questions if lesson.quiz else ():
                if question.id in question_ids:
                    item.error(f"question id {question.id!r} is used in two lessons "
                               f"({question_ids[question.id]} and {lesson.id}); question ids are "
                               "unique in the course")
                question_ids.setdefault(question.id, lesson.id)
            lessons.append(_in_language(lesson, self.strings))
        return lessons

    def _entry(self, item: Located) -> tuple[model.Lesson | None, list[Problem], list[FoundImage]]:
        """One entry of ``lessons:`` read on its own: its lesson (or ``None``), the problems
        found and the image files its lesson and quiz show.

        Entries share nothing but the folder, so large courses read them in parallel
        (``fork_map``); the problems are then reported in course order all the same.
        """
        problems = Problems()
        reader = _CourseReader(self.dir, problems, self.lesson_bodies, self.memo)
        lesson = reader._lesson(dataclasses.replace(item, problems=problems))
        return lesson, problems.items, list(reader.images.found.values())

    def _lesson(self, item: Located) -> model.Lesson | None:
        fields = item.as_mapping(_LESSON_ENTRY_FIELDS)
        if fields is None:
            return None
        found_file = fields.require("file")
        lesson_path = self._path(found_file) if found_file else None
        found_quiz = fields.get("quiz")
        quiz_path = self._path(found_quiz) if found_quiz else None
        if lesson_path is None:
            return None
        text = self.read_text(self.dir / lesson_path, found_file)
        if text is None:
            return None
        shown = str(self.dir / lesson_path)
        source = self._recall(("lesson", shown, text, self.lesson_bodies), lambda problems: read_lesson(
            text, shown, problems, body=self.lesson_bodies, images=self.images), shows_images=text)
        if source is None or found_quiz is None:
            return source.lesson if source else None
        if quiz_path is None:
            return None
        quiz = self._quiz(quiz_path, found_quiz, source, text)
        return dataclasses.replace(source.lesson, quiz=quiz) if quiz is not None else None

    def _quiz(self, path: PurePosixPath, where: Located, source: LessonSource, lesson_text: str,
              ) -> model.Quiz | None:
        shown = str(self.dir / path)
        text = self.read_text(self.dir / path, where)
        if text is None:
            return None

        def read(problems: Problems) -> model.Quiz | None:
            root = compose(text, shown, problems, what="the quiz file")
            if root is None:
                return None
            return read_quiz(Located(root, shown, "", problems), source.lesson, source.section_lines,
                             TextChecker(shown, self.images))

        # the quiz is checked against its lesson, so the lesson's text is part of the key
        return self._recall(("quiz", shown, text, lesson_text, self.lesson_bodies), read, shows_images=text)

    def _recall(self, key: tuple, read: Callable[[Problems], T], *, shows_images: str = "") -> T:
        """``read``, or what it gave for ``key`` in the last load. A file that shows images is
        read again every time: its images may have changed while its text did not, and reading
        it is what lists them for ``Course.media``."""
        if self.memo is None or "![" in shows_images:
            return read(self.problems)
        return self.memo.recall(key, read, self.problems)

    def _path(self, found: Located) -> PurePosixPath | None:
        value = found.text()
        if value is None:
            return None
        path = PurePosixPath(value)
        if path.is_absolute() or ".." in path.parts or "\\" in value:
            found.error(f"{value!r} must be a relative path inside the source folder, with '/'")
            return None
        return path


class UnreadableFile(Exception):
    """A source path that names something other than a regular file within the size limit."""


_FILE_KINDS = {stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
               stat.S_IFSOCK: "a socket"}


def read_source_file(path: Path, limit: int = MAX_SOURCE_FILE_SIZE) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes (symbolic links followed).

    Anything else is refused before it is read: a named pipe would wait for a writer forever
    and ``/dev/zero`` never ends. The file is opened without blocking and checked again on
    the open descriptor, so one swapped in after the first look is refused as well.
    """
    _check_kind(os.stat(path), limit)
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(descriptor, "rb") as file:
        _check_kind(os.fstat(descriptor), limit)
        data = file.read(limit + 1)
    if len(data) > limit:  # it grew after the look
        raise UnreadableFile(_too_large(limit))
    return data


def _check_kind(found: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(found.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
    if not stat.S_ISREG(found.st_mode):
        kind = _FILE_KINDS.get(stat.S_IFMT(found.st_mode), "a special file")
        raise UnreadableFile(f"not a regular file ({kind})")
    if found.st_size > limit:
        raise UnreadableFile(_too_large(limit))


def _too_large(limit: int) -> str:
    return f"the file is larger than {limit // 1024} KiB, the most a source file may hold"


def _in_language(lesson: model.Lesson, strings: i18n.CourseStrings) -> model.Lesson:
    """``lesson`` with the texts the tool words for it in the course's language: its label,
    its citation's label and the true/false choices whose author left them out (read as "")."""
    quiz = lesson.quiz
    if quiz is not None and any(_unworded(question) for question in quiz.questions):
        quiz = dataclasses.replace(quiz, questions=tuple(
            _worded(question, strings) if _unworded(question) else question for question in quiz.questions))
    citation = lesson.citation
    if citation is not None and not citation.label:
        citation = dataclasses.replace(citation, label=i18n.citation_label(strings))
    return dataclasses.replace(lesson, quiz=quiz, citation=citation,
                               label=i18n.lesson_label(strings, lesson.number, lesson.title))


def _unworded(question: model.Question) -> bool:
    """A true/false question with a choice left for the course's language to word (the choice
    family's module is not imported here: the loader imports only the families a course uses)."""
    return question.kind == "true_false" and any(not choice.text for choice in question.response.choices)


def _worded(question: model.Question, strings: i18n.CourseStrings) -> model.Question:
    choices = tuple(choice if choice.text else dataclasses.replace(choice, text=i18n.true_false_text(strings, choice.id))
                    for choice in question.response.choices)
    return dataclasses.replace(question, response=dataclasses.replace(question.response, choices=choices))


def _looks_like_language_tag(value: str) -> bool:
    parts = value.split("-")
    return 2 <= len(parts[0]) <= 3 and parts[0].isalpha() and parts[0].isascii() and all(
        part.isalnum() and part.isascii() and 1 <= len(part) <= 8 for part in parts[1:]
    )
