"""``srm-package check``: summary and exit 0 on the seed, file:line errors and exit 1 on a broken copy."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from srm_package.cli import main
from tests.conftest import SOURCE


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "srm_package", *args], capture_output=True, text=True)


def test_check_seed_prints_summary() -> None:
    result = run("check", str(SOURCE))
    assert result.returncode == 0, result.stderr
    assert "1 lesson(s), 4 section(s), 5 question(s), 5 point(s), pass mark 80%" in result.stdout
    assert "Lesson 13: Shared Responsibility Model" in result.stdout
    assert result.stderr == ""


def test_check_defaults_to_source_folder(tmp_path: Path, monkeypatch) -> None:
    shutil.copytree(SOURCE, tmp_path / "source")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0 and "5 question(s)" in result.output


def test_broken_quiz_gives_located_errors_and_exit_1(tmp_path: Path) -> None:
    copy = shutil.copytree(SOURCE, tmp_path / "source")
    quiz = copy / "lessons" / "13-shared-responsibility-model.quiz.yaml"
    lines = quiz.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("section:"))
    lines[index] = lines[index].replace("section:", "sektion:")
    quiz.write_text("".join(lines), encoding="utf-8")
    result = run("check", str(copy))
    assert result.returncode == 1
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{quiz}:{index + 1}:")
    assert "unknown key 'sektion' (did you mean 'section'?)" in first
    assert "Traceback" not in result.stderr


def test_check_json(tmp_path: Path) -> None:
    ok = json.loads(run("check", "--format", "json", str(SOURCE)).stdout)
    assert ok["ok"] is True and ok["summary"]["questions"] == 5 and ok["summary"]["passing_score"] == 80
    broken = shutil.copytree(SOURCE, tmp_path / "source")
    (broken / "course.yaml").write_text("id: [oops\n", encoding="utf-8")
    result = run("check", "--format", "json", str(broken))
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    assert payload["problems"][0]["line"] == 2 and payload["problems"][0]["file"].endswith("course.yaml")


def test_usage_errors_exit_2_and_version() -> None:
    assert run("check", "--format", "xml").returncode == 2
    assert run("no-such-command").returncode == 2
    version = run("--version")
    assert version.returncode == 0 and "srm-package, version" in version.stdout
    for command in ([], ["check"], ["build"]):
        helped = run(*command, "--help")
        assert helped.returncode == 0 and "Usage:" in helped.stdout


_WITH_EXIT_HANDLER = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('exit handler ran', file=sys.stderr))\n"
    "from srm_package.__main__ import main\n"
    "sys.argv = ['srm-package', *sys.argv[1:]]\n"
    "main()\n"
)


def test_the_program_keeps_exit_codes_output_and_exit_handlers(tmp_path: Path) -> None:
    def program(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", _WITH_EXIT_HANDLER, *args], capture_output=True, text=True)

    fine = program("check", str(SOURCE))
    assert fine.returncode == 0
    assert fine.stdout.rstrip().endswith("(4 sections, 5 questions)")  # every line got through the pipe
    assert fine.stderr == "exit handler ran\n"
    broken = tmp_path / "source"
    shutil.copytree(SOURCE, broken)
    (broken / "course.yaml").write_text("id: [\n", encoding="utf-8")
    failed = program("check", str(broken))
    assert failed.returncode == 1 and "course.yaml:" in failed.stderr
    assert failed.stderr.endswith("exit handler ran\n")
    misused = program("check", "--format", "xml")
    assert misused.returncode == 2 and "Invalid value for '--format'" in misused.stderr
    assert misused.stderr.endswith("exit handler ran\n")


# A regression in these cases hangs or eats memory: the child gets a time and a memory bound.
_BOUNDED_CLI = (
    "import resource, sys\n"
    "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
    "sys.argv[0] = 'srm-package'\n"
    "from srm_package.cli import main\n"
    "main()\n"
)


def _hostile_sources(root: Path, case: str) -> tuple[str, int, str, str]:
    """Write the demo course with one hostile change; return where the problem is reported."""
    from tests.test_loader import COURSE, LESSON_FILE, QUIZ, QUIZ_FILE, write_course

    seen = "character U+{:04X} is not allowed in text (a control character: packages cannot carry it)"
    if case.startswith("escape "):
        escape = case.removeprefix("escape ")
        write_course(root, {QUIZ_FILE: QUIZ.replace("stem: Pick one.", f'stem: "Pick {escape} one."')})
        code = {"\\e": 0x1B, "\\x01": 0x01, "\\0": 0}.get(escape)
        message = seen.format(code) if code is not None else (
            "character U+FFFE is not allowed in text (a noncharacter: packages cannot carry it)")
        return QUIZ_FILE, 12, "questions[0].stem", message
    if case == "NUL in a lesson path":
        write_course(root, {"course.yaml": COURSE.replace("file: lessons/one.md", 'file: "lessons/one\\0.md"')})
        return "course.yaml", 9, "lessons[0].file", seen.format(0)
    if case == "quiz is a named pipe":
        write_course(root, {QUIZ_FILE: None})
        os.mkfifo(root / QUIZ_FILE)
        return "course.yaml", 10, "lessons[0].quiz", f"not a regular file (a named pipe): {root / QUIZ_FILE}"
    if case == "lesson is a link to /dev/zero":
        write_course(root, {LESSON_FILE: None})
        (root / LESSON_FILE).symlink_to("/dev/zero")
        return "course.yaml", 9, "lessons[0].file", f"not a regular file (a device): {root / LESSON_FILE}"
    assert case == "1,000,000 '*' in one feedback line"
    write_course(root, {QUIZ_FILE: QUIZ.replace("feedback: No.", "feedback: " + "*" * 1_000_000)})
    return "course.yaml", 10, "lessons[0].quiz", ("the file is larger than 256 KiB, the most a source file may "
                                                  f"hold: {root / QUIZ_FILE}")


@pytest.mark.parametrize("case", ["escape \\e", "escape \\x01", "escape \\uFFFE", "escape \\0", "NUL in a lesson path",
                                  "quiz is a named pipe", "lesson is a link to /dev/zero",
                                  "1,000,000 '*' in one feedback line"])
def test_hostile_sources_are_located_errors_and_nothing_is_written(tmp_path: Path, case: str) -> None:
    root = tmp_path / "source"
    file, line, field, message = _hostile_sources(root, case)
    dist = tmp_path / "dist"
    for command in (["check", str(root)], ["build", str(root), "-o", str(dist)]):
        result = subprocess.run([sys.executable, "-c", _BOUNDED_CLI, *command], capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        first = result.stderr.splitlines()[0]
        assert first.startswith(f"{root / file}:{line}:"), first
        assert first.endswith(f" {field}: {message}"), first
        assert not dist.exists()
