"""``srm-package build`` for the SCORM targets: report, package contents, determinism, atomicity."""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from srm_package import package
from srm_package.cli import main
from srm_package.targets import TARGETS
from tests.conftest import SOURCE
from tests.moodle_manifest import read_manifest

SCORM = ("scorm12", "scorm2004")
SCORM_ARGS = ("-t", "scorm12", "-t", "scorm2004")
COURSE_ID = "aws-cloud-practitioner"
EPOCH = "1767225600"  # 2026-01-01 00:00:00 UTC
SAFE_NAME = re.compile(r"[a-z0-9._/-]+")
QTI_SCHEMA = "qti12/domainProfile_4/ims_qtiasiv1p2.xsd"
MANIFEST_SCHEMA = {"scorm12": "scorm12/_combined.xsd", "scorm2004": "scorm2004/_combined.xsd"}


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (hidden ones included) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture
def epoch(monkeypatch) -> str:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return EPOCH


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Both SCORM packages of the real source/, built once through the CLI."""
    dist = tmp_path_factory.mktemp("dist")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = run("build", SOURCE, "-o", dist, *SCORM_ARGS)
    assert result.exit_code == 0, result.output
    return {target: dist / f"{COURSE_ID}-{target}.zip" for target in SCORM}


def schema(schemas: Path, relative: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(schemas / relative)))


def assert_valid(xml_schema: etree.XMLSchema, content: bytes, name: str) -> None:
    if not xml_schema.validate(etree.fromstring(content)):
        errors = "\n".join(f"{name} line {e.line}: {e.message}" for e in xml_schema.error_log)
        raise AssertionError(errors)


# ---------------------------------------------------------------------------- report
def test_build_reports_each_package_with_size_questions_and_pass_mark(tmp_path, epoch):
    result = run("build", SOURCE, "-o", tmp_path / "dist", *SCORM_ARGS)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    for line, target in zip(lines, SCORM, strict=True):
        path = tmp_path / "dist" / f"{COURSE_ID}-{target}.zip"
        match = re.fullmatch(r"wrote (\S+)  ([\d.]+ (?:B|KiB|MiB))  5 questions, pass mark 80%", line)
        assert match, line
        assert Path(match.group(1)) == path
        assert path.is_file()
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == [
        f"{COURSE_ID}-scorm12.zip", f"{COURSE_ID}-scorm2004.zip"]


def test_default_build_writes_both_scorm_packages_into_dist(tmp_path, monkeypatch, epoch):
    shutil.copytree(SOURCE, tmp_path / "source")
    monkeypatch.chdir(tmp_path)
    result = run("build")
    assert result.exit_code == 0, result.output
    for target in SCORM:
        assert (tmp_path / "dist" / f"{COURSE_ID}-{target}.zip").is_file()


def test_list_targets_starts_with_scorm():
    result = run("build", "--list-targets")
    assert result.stdout.splitlines()[:2] == list(SCORM)


# --------------------------------------------------------------------- package shape
@pytest.mark.parametrize("target", SCORM)
def test_zip_layout(built, target):
    with zipfile.ZipFile(built[target]) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert "imsmanifest.xml" in names  # at the root
    assert names == sorted(names)
    assert len(names) == len(set(names))
    for info in infos:
        assert SAFE_NAME.fullmatch(info.filename), info.filename
        assert not info.is_dir()
        assert info.date_time == (2026, 1, 1, 0, 0, 0)
        assert info.external_attr >> 16 == 0o100644


@pytest.mark.parametrize("target", SCORM)
def test_manifest_and_question_banks_validate_against_official_schemas(schemas, built, target):
    manifest_schema = schema(schemas, MANIFEST_SCHEMA[target])
    qti_schema = schema(schemas, QTI_SCHEMA)
    with zipfile.ZipFile(built[target]) as archive:
        assert_valid(manifest_schema, archive.read("imsmanifest.xml"), "imsmanifest.xml")
        banks = [n for n in archive.namelist() if n.startswith("qti/")]
        assert banks == ["qti/shared-responsibility-quiz.xml"]
        for name in banks:
            assert_valid(qti_schema, archive.read(name), name)


@pytest.mark.parametrize("target", SCORM)
def test_manifest_lists_exactly_the_files_of_the_package(built, target):
    with zipfile.ZipFile(built[target]) as archive:
        names = set(archive.namelist())
        root = etree.fromstring(archive.read("imsmanifest.xml"))
    ns = {"cp": root.nsmap[None]}
    sco, *banks = root.findall("cp:resources/cp:resource", ns)
    sco_files = {f.get("href") for f in sco.findall("cp:file", ns)}
    bank_files = {f.get("href") for bank in banks for f in bank.findall("cp:file", ns)}
    assert "index.html" in sco_files
    assert sco_files.isdisjoint(bank_files)
    assert sco_files | bank_files == names - {"imsmanifest.xml"}


@pytest.mark.parametrize(("target", "version", "mastery", "objectives"), [
    ("scorm12", "SCORM_1.2", "80", []),
    ("scorm2004", "SCORM_1.3", None, [(True, True, "0.8")]),
])
def test_moodle_reads_the_built_manifest(built, target, version, mastery, objectives):
    with zipfile.ZipFile(built[target]) as archive:
        seen = read_manifest(archive.read("imsmanifest.xml"))
    assert seen.version == version
    assert seen.missing_resources == []
    (sco,) = seen.launchable
    assert sco.launch == "index.html"
    assert sco.title == "Shared Responsibility Model"
    assert sco.masteryscore == mastery
    assert sco.objectives == objectives


# ----------------------------------------------------------------------- determinism
def test_two_builds_are_byte_identical(tmp_path, epoch):
    for name in ("one", "two"):
        assert run("build", SOURCE, "-o", tmp_path / name, *SCORM_ARGS).exit_code == 0
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_without_source_date_epoch_the_course_date_is_the_timestamp(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert run("build", SOURCE, "-o", tmp_path, "-t", "scorm12").exit_code == 0
    with zipfile.ZipFile(tmp_path / f"{COURSE_ID}-scorm12.zip") as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 6, 1, 0, 0, 0)}


# ------------------------------------------------------------------------- failures
@pytest.fixture
def dist_with_old_build(tmp_path, epoch) -> Path:
    """A dist/ holding an earlier build plus an unrelated file, to prove failures leave it alone."""
    dist = tmp_path / "dist"
    assert run("build", SOURCE, "-o", dist, *SCORM_ARGS).exit_code == 0
    for path in dist.iterdir():
        path.write_bytes(b"old build of " + path.name.encode())
    (dist / "notes.txt").write_text("keep me")
    return dist


def test_a_source_error_gives_the_check_messages_and_writes_nothing(tmp_path, epoch):
    source = tmp_path / "source"
    shutil.copytree(SOURCE, source)
    course_yaml = source / "course.yaml"
    course_yaml.write_text(course_yaml.read_text().replace("passing_score: 80", "passing_score: 180"))

    checked = run("check", source)
    result = run("build", source, "-o", tmp_path / "dist")

    assert checked.exit_code == result.exit_code == 1
    problems = [line for line in checked.stderr.splitlines() if "course.yaml:" in line]
    assert problems and all(re.match(r"\S+course\.yaml:\d+", p) for p in problems)
    assert result.stderr.splitlines()[:-1] == problems
    assert "nothing written" in result.stderr.splitlines()[-1]
    assert not (tmp_path / "dist").exists()


def test_an_output_path_blocked_by_a_file_is_a_one_line_error(tmp_path, epoch):
    blocker = tmp_path / "dist"
    blocker.write_text("not a folder")
    result = run("build", SOURCE, "-o", blocker / "sub", *SCORM_ARGS)
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("build failed: ")
    assert blocker.read_text() == "not a folder"


def test_an_unwritable_dist_is_a_one_line_error(dist_with_old_build, monkeypatch):
    """Simulated: the tests may run as root, for whom file modes do not stop writes."""
    before = snapshot(dist_with_old_build)

    def refuse(prefix, suffix, dir):
        # what the real call raises: the random temporary name it could not create
        raise PermissionError(errno.EACCES, "Permission denied", f"{dir}/{prefix}k2j9{suffix}")

    monkeypatch.setattr(package.tempfile, "mkstemp", refuse)
    result = run("build", SOURCE, "-o", dist_with_old_build, *SCORM_ARGS)
    assert result.exit_code == 1
    assert result.stderr == f"build failed: Permission denied: {dist_with_old_build}; nothing written\n"
    assert snapshot(dist_with_old_build) == before


def _fail_midway(monkeypatch, error: BaseException, on_call: int) -> None:
    """Make the ``on_call``-th zip write stop halfway through with ``error``."""
    real = package.zip_bytes_to
    calls = []

    def failing(stream, entries, timestamp):
        calls.append(1)
        if len(calls) == on_call:
            half = dict(sorted(entries.items())[: len(entries) // 2])
            real(stream, half, timestamp)
            stream.flush()
            raise error
        real(stream, entries, timestamp)

    monkeypatch.setattr(package, "zip_bytes_to", failing)


@pytest.mark.parametrize("on_call", [1, 2], ids=["first-package", "second-package"])
def test_a_full_disk_while_writing_leaves_dist_as_it_was(dist_with_old_build, monkeypatch, on_call):
    before = snapshot(dist_with_old_build)
    _fail_midway(monkeypatch, OSError(errno.ENOSPC, "No space left on device"), on_call)
    result = run("build", SOURCE, "-o", dist_with_old_build, *SCORM_ARGS)
    assert result.exit_code == 1
    assert result.stderr == "build failed: No space left on device; nothing written\n"
    assert snapshot(dist_with_old_build) == before


def test_an_interrupted_build_leaves_no_partial_file(dist_with_old_build, monkeypatch):
    """Ctrl-C halfway through the second package: the first, finished one is not kept either."""
    before = snapshot(dist_with_old_build)
    _fail_midway(monkeypatch, KeyboardInterrupt(), 2)
    result = run("build", SOURCE, "-o", dist_with_old_build, *SCORM_ARGS)
    assert result.exit_code == 130
    assert result.stderr == "build interrupted; nothing written\n"
    assert snapshot(dist_with_old_build) == before


def test_ctrl_c_while_the_packages_land_is_ignored_and_the_build_completes(tmp_path, monkeypatch, epoch):
    """Once renaming into place has begun, every package lands, and the report says so."""
    real = package._replace
    renamed: list[str] = []

    def replace_after_ctrl_c(tmp, final):
        if not renamed:
            os.kill(os.getpid(), signal.SIGINT)  # as if pressed right now
        renamed.append(final.name)
        real(tmp, final)

    monkeypatch.setattr(package, "_replace", replace_after_ctrl_c)
    result = run("build", SOURCE, "-o", tmp_path / "dist")
    assert result.exit_code == 0, result.output
    assert len(renamed) == len(TARGETS) and sorted(p.name for p in (tmp_path / "dist").iterdir()) == sorted(renamed)
    assert result.output.count("wrote ") == len(TARGETS)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # and Ctrl-C works again


def test_ctrl_c_while_the_tool_starts_exits_130_without_a_traceback(tmp_path):
    starting = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'click':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "from srm_package.__main__ import main\n"
        "sys.argv = ['srm-package', 'build', sys.argv[1], '-o', sys.argv[2]]\n"
        "main()\n"
    )
    started = subprocess.run([sys.executable, "-c", starting, str(SOURCE), str(tmp_path / "dist")],
                             capture_output=True, text=True)
    assert (started.returncode, started.stderr) == (130, "")
    assert not (tmp_path / "dist").exists()


def test_a_failed_build_removes_the_dist_folder_it_created(tmp_path, monkeypatch, epoch):
    _fail_midway(monkeypatch, OSError(errno.EIO, "Input/output error"), 1)
    result = run("build", SOURCE, "-o", tmp_path / "dist", *SCORM_ARGS)
    assert result.exit_code == 1
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize(("epoch_value", "stamp"), [
    ("0", (1980, 1, 1, 0, 0, 0)),  # zip cannot hold earlier dates
    ("9999999999", (2107, 12, 31, 23, 59, 58)),  # nor later ones
    ("99999999999999999999", (2107, 12, 31, 23, 59, 58)),  # beyond what gmtime can hold
])
def test_source_date_epoch_outside_the_zip_range_is_clamped(tmp_path, monkeypatch, epoch_value, stamp):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch_value)
    assert run("build", SOURCE, "-o", tmp_path, "-t", "scorm12").exit_code == 0
    with zipfile.ZipFile(tmp_path / f"{COURSE_ID}-scorm12.zip") as archive:
        assert {i.date_time for i in archive.infolist()} == {stamp}


@pytest.mark.parametrize("epoch_value", ["abc", "-5", "1.5"])
def test_malformed_source_date_epoch_is_a_one_line_error(tmp_path, monkeypatch, epoch_value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch_value)
    result = run("build", SOURCE, "-o", tmp_path / "dist", "-t", "scorm12")
    assert result.exit_code == 1
    assert result.stderr == (f"build failed: SOURCE_DATE_EPOCH must be a whole number of seconds since "
                             f"1970; found {epoch_value!r}; nothing written\n")
    assert not (tmp_path / "dist").exists()
