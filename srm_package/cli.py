"""The ``srm-package`` command line: thin click commands over the library.

Exit codes follow click: 0 success, 1 a failed check/build/validation, 2 a usage
error; and the shell's 130 for Ctrl-C, 143 for SIGTERM (see ``signals``). Problems go to
stderr; a mistake in the user's files never shows a traceback.
"""

from __future__ import annotations

import errno
import json
import sys
from pathlib import Path
from typing import NoReturn

import click

from srm_package import __version__
from srm_package.errors import BuildError, Problem, SourceError

_SOURCE_DIR = click.Path(file_okay=False, path_type=Path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="srm-package")
def main() -> None:
    """Turn Markdown lessons and YAML quizzes into SCORM, QTI, Common Cartridge and Moodle XML."""


def _report_problems(problems: tuple[Problem, ...]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def _check_targets(targets: tuple[str, ...]) -> list[str]:
    """The targets named with ``--target`` (default: all), refusing unknown ones (exit 2)."""
    from srm_package.targets import TARGETS

    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        raise click.BadParameter(
            f"unknown target {unknown[0]!r}; choose from {', '.join(TARGETS)}", param_hint="--target"
        )
    return list(dict.fromkeys(targets)) or list(TARGETS)


_TARGET_OPTION = click.option("-t", "--target", "targets", multiple=True, metavar="TARGET",
                              help="Also list what this target (repeatable; 'all' for every one) would leave "
                                   "out or change of the questions. See build --list-targets.")


@main.command()
@click.argument("source_dir", type=_SOURCE_DIR, default="source")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json prints one object for CI tools.")
@_TARGET_OPTION
def check(source_dir: Path, output_format: str, targets: tuple[str, ...]) -> None:
    """Load and validate the course in SOURCE_DIR (default: source/) without building.

    With -t TARGET (repeatable; -t all for every target) it also lists, as warnings at each
    question, what those targets would leave out or change.
    """
    from srm_package import pools
    from srm_package.loader import load_course
    from srm_package.questions.parity import notes
    from srm_package.targets import TARGETS

    names = list(TARGETS) if "all" in targets else _check_targets(targets) if targets else []
    try:
        loaded = load_course(source_dir)
    except SourceError as error:
        if output_format == "json":
            click.echo(json.dumps({"ok": False, "problems": [p.as_dict() for p in error.problems]}, indent=2))
        else:
            _report_problems(error.problems)
            click.echo(f"{len(error.problems)} problem(s) found in {source_dir}", err=True)
        sys.exit(1)
    course = loaded.course
    warnings = (*loaded.warnings, *(note.as_problem() for note in notes(course, names)))
    summary = {
        "course": course.id,
        "title": course.title,
        "lessons": len(course.lessons),
        "sections": sum(len(lesson.sections) for lesson in course.lessons),
        "questions": len(course.questions),
        "asked_per_attempt": pools.asked_per_attempt(course),
        "points": course.points,
        "passing_score": course.passing_score,
    }
    if output_format == "json":
        payload = {"ok": True, "summary": summary, "problems": [p.as_dict() for p in warnings]}
        click.echo(json.dumps(payload, indent=2))
        return
    _report_problems(warnings)
    click.echo(
        f"{course.title} ({course.id}): {summary['lessons']} lesson(s), {summary['sections']} section(s), "
        f"{summary['questions']} question(s){pools.drawn_note(course)}, {summary['points']} point(s), "
        f"pass mark {course.passing_score}%"
    )
    for lesson in course.lessons:
        questions = len(lesson.quiz.questions) if lesson.quiz else 0
        click.echo(f"  {lesson.label} "
                   f"({len(lesson.sections)} sections, {questions} questions)")


@main.command()
@click.argument("source_dir", type=_SOURCE_DIR, default="source")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default="dist", show_default=True, help="Folder the packages are written to (not inside SOURCE_DIR).")
@click.option("-t", "--target", "targets", multiple=True, metavar="TARGET",
              help="Build only this target (repeatable). Default: all. See --list-targets.")
@click.option("--per-lesson", is_flag=True,
              help="SCORM: one package per lesson (<course-id>-<lesson-id>-scorm12.zip...), each its "
                   "own gradebook item, instead of one for the course.")
@click.option("--list-targets", is_flag=True, help="List the targets and exit.")
@click.option("--strict", is_flag=True,
              help="Fail (and write nothing) if a target would leave out or change a question.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json prints one object for CI tools.")
def build(source_dir: Path, out_dir: Path, targets: tuple[str, ...], per_lesson: bool, list_targets: bool,
          strict: bool, output_format: str) -> None:
    """Build the LMS packages of the course in SOURCE_DIR (default: source/) into dist/.

    Each question a target leaves out or writes differently is reported (as a warning at
    the question); --strict makes that an error.
    """
    from srm_package.build import build as run_build
    from srm_package.output_folder import inside
    from srm_package.signals import Stopped, exit_code
    from srm_package.targets import PER_LESSON, TARGETS

    if list_targets:
        for name in TARGETS:
            click.echo(name)
        return
    names = _check_targets(targets)
    if per_lesson and targets and not PER_LESSON.intersection(names):
        raise click.UsageError(f"--per-lesson applies to the SCORM targets ({', '.join(sorted(PER_LESSON))}); "
                               "add one with -t or leave -t out")
    if inside(out_dir, source_dir):
        raise click.BadParameter(f"{out_dir} is inside the source folder {source_dir}: packages would be "
                                 "written among the sources; choose a folder outside it", param_hint="'-o'")
    as_json = output_format == "json"

    def failed(message: str, problems: tuple[Problem, ...] = (), code: int = 1) -> NoReturn:
        if as_json:
            click.echo(json.dumps({"ok": False, "message": message,
                                   "problems": [p.as_dict() for p in problems]}, indent=2))
        else:
            _report_problems(problems)
            click.echo(message, err=True)
        sys.exit(code)

    try:
        report = run_build(source_dir, out_dir, names if targets else None,
                           on_wait=lambda message: click.echo(message, err=True), strict=strict,
                           per_lesson=per_lesson)
    except SourceError as error:
        failed(f"build failed: {len(error.problems)} problem(s) in {source_dir}; nothing written", error.problems)
    except (KeyboardInterrupt, Stopped) as stop:
        how = "terminated (SIGTERM)" if exit_code(stop) == 143 else "interrupted"
        failed(f"build {how}; nothing written", code=exit_code(stop))
    except (BuildError, OSError) as error:
        failed(f"build failed: {_os_message(error)}; nothing written")
    if as_json:
        payload = {
            "ok": True,
            "written": [{"target": item.target, "path": str(item.path), "size": item.size,
                         "summary": item.artifact.summary, "notes": [note.as_dict() for note in item.notes]}
                        for item in report.written],
            "skipped": [{"target": name, "reason": why} for name, why in report.skipped],
            "removed": [str(out_dir / path.name) for path in report.removed],
            "left_changed": [str(out_dir / path.name) for path in report.changed],
            "repaired": report.repaired.describe() if report.repaired else None,
            "problems": [p.as_dict() for p in report.warnings],
        }
        click.echo(json.dumps(payload, indent=2))
        return
    _report_problems(report.warnings)
    notes = [note for item in report.written for note in item.notes]
    _report_problems(tuple(note.as_problem() for note in notes))
    if notes:
        click.echo(f"{len(notes)} note(s) above: questions a target left out or changed "
                   "(build --strict makes them errors)", err=True)
    if report.repaired:
        click.echo(f"warning: {out_dir}: {report.repaired.describe()}; built "
                   f"{', '.join(report.repaired.targets)} again", err=True)
    for item in report.written:
        shown = item.path.name + ("/" if item.path.is_dir() else "")
        click.echo(f"wrote {out_dir / shown}  {_human(item.size)}  {item.artifact.summary}".rstrip())
    for name, why in report.skipped:
        click.echo(f"skipped {name}: {why}, so its package would be empty")
    for path in report.removed:
        click.echo(f"removed {out_dir / path.name}  "
                   "(an earlier build wrote it; this build no longer produces it)")
    for path in report.changed:
        click.echo(f"warning: left {out_dir / path.name}: an earlier build wrote it and this build no longer "
                   "produces it, but it was changed since", err=True)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--id", "course_id", metavar="ID",
              help="The course id LMSs remember the packages by. Default: from FOLDER's name.")
@click.option("--title", default="My Course", show_default=True, help="The course title.")
@click.option("--language", default="en", show_default=True, help="A language tag: en, en-GB, de...")
@click.option("--author", default="Course Author", show_default=True, help="Shown in every page footer.")
def new(folder: Path, course_id: str | None, title: str, language: str, author: str) -> None:
    """Start a course in FOLDER (new or empty): a lesson and quiz showing every part of the format."""
    from srm_package.commands.new import CourseOptions, NewCourseError, default_id, write_course

    options = CourseOptions(course_id or default_id(folder), title, language, author)
    try:
        written = write_course(folder, options)
    except NewCourseError as error:
        raise click.UsageError(str(error)) from None
    except OSError as error:
        click.echo(f"new failed: {_os_message(error)}; nothing written", err=True)
        sys.exit(1)
    for path in written:
        click.echo(f"wrote {folder / path}")
    click.echo(f"next: srm-package preview {folder}")


@main.command()
@click.argument("source_dir", type=_SOURCE_DIR, default="source")
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--scorm", "version", type=click.Choice(["1.2", "2004"]), default="1.2", show_default=True,
              help="The SCORM version the simulated LMS starts with (switchable in its panel).")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the web browser.")
def preview(source_dir: Path, port: int, version: str, open_browser: bool) -> None:
    """Serve the course in SOURCE_DIR (default: source/) in a simulated LMS; rebuild on every save."""
    from srm_package.commands.preview import serve

    if not source_dir.is_dir():
        click.echo(f"{source_dir}: not a folder: give the folder holding course.yaml", err=True)
        sys.exit(1)
    try:
        serve(source_dir, port=port, version=version, open_browser=open_browser,
              say=click.echo, warn=lambda line: click.echo(line, err=True))
    except OSError as error:
        hint = "; choose another with --port" if error.errno == errno.EADDRINUSE else ""
        click.echo(f"preview failed: {_os_message(error)}{hint}", err=True)
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path), metavar="PATH...")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "junit"]), default="text",
              show_default=True, help="json for scripts, junit for CI test reports.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--schemas", "schemas_dir", envvar="SRM_PACKAGE_SCHEMAS",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of the official XSDs (default: $SRM_PACKAGE_SCHEMAS); without it only "
                   "the structural and LMS rules run.")
def validate(paths: tuple[Path, ...], output_format: str, strict: bool, schemas_dir: Path | None) -> None:
    """Check packages (.zip, .imscc, Moodle .xml, or folders of them such as dist/) before an LMS sees them."""
    from srm_package.validate import run_validation
    from srm_package.validate.report import format_json, format_junit, format_text, has_errors

    results = run_validation(paths, schemas_dir, strict)
    if output_format == "json":
        click.echo(format_json(results, strict), nl=False)
    elif output_format == "junit":
        click.echo(format_junit(results), nl=False)
    else:
        click.echo(format_text(results), nl=False)
    sys.exit(1 if has_errors(results) else 0)


def _os_message(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    return str(error)


def _human(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    return f"{size / 1024:.1f} KiB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MiB"
