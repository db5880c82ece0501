"""The parity report: what each target leaves out or changes, in ``build`` (text and JSON), as
errors with ``--strict``, and as located warnings in ``check``."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from srm_package.cli import main
from srm_package.questions.parity import notes
from srm_package.targets import TARGETS
from tests.conftest import SOURCE
from tests.questions.common import ALL_TYPES, QUIZ_FILE, all_types

#: the line of each question of the all-types quiz file
LINES = {"aws-duties": 41, "match-services": 58, "order-layers": 128}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_build_reports_each_question_a_target_leaves_out(tmp_path):
    code, out, err = run("build", str(ALL_TYPES), "-o", str(tmp_path / "dist"))
    assert code == 0, err
    lines = err.splitlines()
    quiz = str(ALL_TYPES / QUIZ_FILE)
    assert (f"{quiz}:{LINES['order-layers']}:5: warning: questions[11]: cc: ordering question order-layers left "
            "out of the cartridge quiz (read by Moodle): Common Cartridge 1.1 has no ordering type") in lines
    assert (f"{quiz}:{LINES['match-services']}:5: warning: questions[4]: moodle-xml: matching question "
            "match-services changed: Moodle gives partial credit for each right pair; the source asks for all or "
            "nothing") in lines
    found = notes(all_types(), list(TARGETS))
    assert len([line for line in lines if ": warning: " in line]) == len(found)
    # grouped by target, in the order of the build report
    targets = [line.split(": ")[3] for line in lines if ": warning: " in line]
    assert targets == sorted(targets, key=list(TARGETS).index)
    assert f"{len(found)} note(s) above" in err
    assert out.count("wrote ") == len(TARGETS)


def test_strict_makes_them_errors_and_writes_nothing(tmp_path):
    dist = tmp_path / "dist"
    code, out, err = run("build", str(ALL_TYPES), "-o", str(dist), "--strict", "-t", "cc")
    assert code == 1 and out == ""
    assert ": error: " not in err and ": warning: " not in err  # Problem text of errors has no prefix
    assert "cc: matching question match-services left out of the cartridge quiz (read by Moodle)" in err
    assert "build failed:" in err and "nothing written" in err
    assert not dist.exists() or not any(dist.iterdir())


def test_strict_passes_when_nothing_is_left_out(tmp_path):
    """The html target carries every type as written; so does the seed course everywhere."""
    code, _, err = run("build", str(ALL_TYPES), "-o", str(tmp_path / "a"), "--strict", "-t", "html")
    assert code == 0, err
    code, _, err = run("build", str(SOURCE), "-o", str(tmp_path / "b"), "--strict")
    assert code == 0 and "note(s)" not in err, err


def test_json_lists_the_notes_per_target(tmp_path):
    code, out, _ = run("build", str(ALL_TYPES), "-o", str(tmp_path / "dist"), "--format", "json",
                       "-t", "canvas-qti", "-t", "cc")
    assert code == 0
    report = json.loads(out)
    assert report["ok"] is True
    assert [item["target"] for item in report["written"]] == ["canvas-qti", "cc"]
    cc = report["written"][1]
    assert Path(cc["path"]).name == "all-types.imscc" and cc["size"] > 0
    ordering = [n for n in cc["notes"] if n["question"] == "order-layers" and n["action"] == "left out"]
    assert ordering == [{
        "target": "cc", "question": "order-layers", "type": "ordering", "group": None, "action": "left out",
        "part": "the cartridge quiz (read by Moodle)", "reason": "Common Cartridge 1.1 has no ordering type",
        "message": "cc: ordering question order-layers left out of the cartridge quiz (read by Moodle): Common "
                   "Cartridge 1.1 has no ordering type",
        "file": str(ALL_TYPES / QUIZ_FILE), "line": LINES["order-layers"], "column": 5, "field": "questions[11]",
        "severity": "warning",
    }]


def test_json_failure_is_one_object(tmp_path):
    code, out, _ = run("build", str(ALL_TYPES), "-o", str(tmp_path / "dist"), "--format", "json", "--strict")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    assert all(p["severity"] == "error" for p in report["problems"]) and report["problems"]


def test_check_shows_the_notes_as_located_warnings():
    code, out, err = run("check", str(ALL_TYPES), "-t", "moodle-xml")
    assert code == 0
    assert err.splitlines() == [note.as_problem().__str__() for note in notes(all_types(), ["moodle-xml"])]
    assert f"{ALL_TYPES / QUIZ_FILE}:{LINES['aws-duties']}:5: warning: questions[2]: moodle-xml: multiple question " \
           "aws-duties changed" in err
    code, out, _ = run("check", str(ALL_TYPES), "--format", "json", "-t", "html")
    assert code == 0 and json.loads(out)["problems"] == []
    code, _, err = run("check", str(ALL_TYPES), "-t", "nowhere")
    assert code == 2 and "unknown target 'nowhere'" in err
    # without -t, check says nothing of targets; -t all lists every target's notes
    code, _, err = run("check", str(ALL_TYPES))
    assert code == 0 and err == ""
    code, _, err = run("check", str(ALL_TYPES), "-t", "all")
    assert err.count(": warning: ") == len(notes(all_types(), list(TARGETS)))
