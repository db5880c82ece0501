"""``srm-package build`` for the SCORM targets: report, package contents, determinism, atomicity."""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from srm_package import output_folder, package
from srm_package.cli import main
from srm_package.output_record import RECORD
from srm_package.targets import TARGETS
from tests.conftest import ROOT, SOURCE
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
    """Every file below ``folder`` (hidden ones included, but for the tool's record, whose
    file identities differ from folder to folder) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != RECORD}


def visible(folder: Path) -> list[str]:
    """The names in ``folder`` a user sees (the tool's record is hidden)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


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
        RECORD, f"{COURSE_ID}-scorm12.zip", f"{COURSE_ID}-scorm2004.zip"]


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
        if path.name != RECORD:
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


@pytest.fixture
def ctrl_c_raises():
    """Python's own Ctrl-C handler for the test: a shell starts ``pytest &`` with SIGINT
    ignored, and then Python leaves it ignored."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_while_the_packages_land_is_ignored_and_the_build_completes(tmp_path, monkeypatch, epoch,
                                                                         ctrl_c_raises):
    """Once renaming into place has begun, every package lands, and the report says so."""
    real = output_folder._replace
    renamed: list[str] = []

    def replace_after_ctrl_c(tmp, final):
        if not renamed:
            os.kill(os.getpid(), signal.SIGINT)  # as if pressed right now
        renamed.append(final.name)
        real(tmp, final)

    monkeypatch.setattr(output_folder, "_replace", replace_after_ctrl_c)
    result = run("build", SOURCE, "-o", tmp_path / "dist")
    assert result.exit_code == 0, result.output
    assert len(renamed) == len(TARGETS) and visible(tmp_path / "dist") == sorted(renamed)
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


# ------------------------------------------- interrupted and concurrent builds, as real processes
TARGET_FILES = [f"{COURSE_ID}-scorm12.zip", f"{COURSE_ID}-scorm2004.zip", f"{COURSE_ID}-canvas-qti.zip",
                f"{COURSE_ID}.imscc", f"{COURSE_ID}-moodle.xml", f"{COURSE_ID}.mbz", f"{COURSE_ID}-html"]
LESSON = "lessons/13-shared-responsibility-model.md"


# exec'd with SIGINT at its default, as a terminal's shell starts a command: this test process
# may run with it ignored (``pytest &``), and the program leaves an ignored SIGINT ignored
_STARTED_WITH_SIGINT = ("import os, signal, sys; signal.signal(signal.SIGINT, getattr(signal, sys.argv[1])); "
                        "os.execv(sys.executable, [sys.executable, *sys.argv[2:]])")


def program(*args: str | Path, fault: tuple[str, str] | None = None, wait: bool = True,
            env: dict[str, str] | None = None, sigint: str = "SIG_DFL", **options):
    """``srm-package ARGS`` as its own process (``env`` added to this one's, SIGINT at
    ``sigint``), with ``tests.faults`` injecting ``fault``."""
    command = ["-m", "srm_package", *map(str, args)]
    if fault is not None:
        command = ["-m", "tests.faults", *fault, "--", *map(str, args)]
    command = [sys.executable, "-c", _STARTED_WITH_SIGINT, sigint, *command]
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    if wait:
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300, **options)
    return subprocess.Popen(command, text=True, cwd=ROOT, env=env, **options)


@pytest.fixture
def revised(tmp_path) -> Path:
    """The seed course with a new lesson title and date: every package differs from the seed's."""
    source = tmp_path / "revised"
    shutil.copytree(SOURCE, source)
    for name, old, new in (("course.yaml", "last_updated: 2026-06", "last_updated: 2026-07"),
                           (LESSON, "title: Shared Responsibility Model", "title: Shared Responsibility, revised")):
        path = source / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return source


def fresh_build(source: Path, folder: Path) -> dict[str, bytes]:
    assert program("build", source, "-o", folder).returncode == 0
    return snapshot(folder)


@pytest.fixture
def seed_dist(tmp_path) -> Path:
    dist = tmp_path / "dist"
    fresh_build(SOURCE, dist)
    return dist


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name != RECORD)


@pytest.mark.parametrize("fault", [("kill-after-renames", "1"), ("kill-after-renames", "4"),
                                   ("kill-mid-swap", "0")], ids=["after-1", "after-4", "mid-site-swap"])
def test_a_build_killed_while_its_packages_land_is_named_by_validate_and_repaired(
        tmp_path, seed_dist, revised, fault):
    killed = program("build", revised, "-o", seed_dist, fault=fault)
    assert killed.returncode == -signal.SIGKILL
    landed = 1 if fault[1] == "1" else 4 if fault[1] == "4" else len(TARGET_FILES) - 1
    stale = TARGET_FILES[landed:]
    checked = program("validate", seed_dist)
    assert checked.returncode == 1
    assert (f"{seed_dist}: error [folder.interrupted-build] an srm-package build was killed while its "
            f"packages landed here: {', '.join(stale)} {'is' if len(stale) == 1 else 'are'} older than the "
            "other packages, or missing; build again") in checked.stdout
    # the next build, even of one target, builds the killed build's targets again
    repaired = program("build", revised, "-o", seed_dist, "-t", "moodle-xml")
    assert repaired.returncode == 0, repaired.stderr
    assert f"warning: {seed_dist}: an srm-package build was killed while its packages landed here: " \
           f"{', '.join(stale)}" in repaired.stderr
    assert repaired.stdout.count("wrote ") == len(TARGETS)
    assert snapshot(seed_dist) == fresh_build(revised, tmp_path / "fresh")
    assert hidden(seed_dist) == []  # no staging folder, no half-swapped site, no lock
    assert program("validate", seed_dist).returncode == 0


def test_staging_debris_of_a_killed_build_is_removed_by_the_next(seed_dist, revised):
    before = snapshot(seed_dist)
    killed = program("build", revised, "-o", seed_dist, fault=("kill-after-staging", "3"))
    assert killed.returncode == -signal.SIGKILL
    assert [name for name in hidden(seed_dist) if name.startswith(".srm-package-")] != []
    assert {k: v for k, v in snapshot(seed_dist).items() if not k.startswith(".")} == before  # nothing landed
    checked = program("validate", seed_dist)
    assert checked.returncode == 0, checked.stdout  # a killed build that landed nothing left the set whole
    assert program("build", SOURCE, "-o", seed_dist).returncode == 0
    assert hidden(seed_dist) == []


def test_sigterm_while_building_rolls_back_and_exits_143(seed_dist, revised):
    before = snapshot(seed_dist)
    stopped = program("build", revised, "-o", seed_dist, fault=("term-after-staging", "2"))
    assert (stopped.returncode, stopped.stdout) == (143, "")
    assert stopped.stderr == "build terminated (SIGTERM); nothing written\n"
    assert snapshot(seed_dist) == before
    assert hidden(seed_dist) == []


def test_sigterm_while_the_packages_land_lets_them_all_land(tmp_path, seed_dist, revised):
    finished = program("build", revised, "-o", seed_dist, fault=("term-while-landing", "0"))
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.count("wrote ") == len(TARGETS)
    assert snapshot(seed_dist) == fresh_build(revised, tmp_path / "fresh")


@pytest.mark.parametrize(("module", "signal_name", "code", "message"), [
    ("click", "SIGINT", 130, ""),
    ("srm_package.build", "SIGINT", 130, ""),
    ("srm_package.build", "SIGTERM", 143, ""),
    ("srm_package.loader", "SIGINT", 130, "build interrupted; nothing written\n"),
    ("srm_package.loader", "SIGTERM", 143, "build terminated (SIGTERM); nothing written\n"),
])
def test_a_signal_while_the_tool_starts_exits_quietly(tmp_path, module, signal_name, code, message):
    """Sent while the command line loads (click, the build module) or the build starts."""
    stopped = program("build", SOURCE, "-o", tmp_path / "dist", fault=("signal-on-import", f"{module}:{signal_name}"))
    assert (stopped.returncode, stopped.stderr, stopped.stdout) == (code, message, "")
    assert not (tmp_path / "dist").exists()


def test_a_build_started_with_sigint_ignored_keeps_ignoring_it(tmp_path):
    """``srm-package build &`` in a script: the shell ignores Ctrl-C for it, and so does the tool."""
    built = program("build", SOURCE, "-o", tmp_path / "dist", fault=("signal-on-import", "srm_package.loader:SIGINT"),
                    sigint="SIG_IGN")
    assert built.returncode == 0, built.stderr
    assert built.stdout.count("wrote ") == len(TARGETS)


def alive(pid: int) -> bool:
    """Running (a zombie waiting for whoever adopted it to reap it counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def started_workers(record: Path, build: subprocess.Popen) -> list[int]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and build.poll() is None:
        if record.exists() and record.read_text().strip():
            return [int(pid) for pid in record.read_text().split()]
        time.sleep(0.05)
    raise AssertionError("no worker started")


@pytest.fixture
def large_course(tmp_path) -> Path:
    from benchmarks import make_course

    make_course.generate(9, 40, tmp_path / "large")
    return tmp_path / "large" / "source"


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM", "Ctrl-C"])
def test_no_worker_outlives_a_stopped_build(tmp_path, large_course, how):
    """Killed, terminated, or Ctrl-C in the terminal (SIGINT to the whole process group)."""
    dist, errors = tmp_path / "dist", tmp_path / "stderr"
    with errors.open("w") as stderr:  # not a pipe: a worker left running would hold it open
        build = program("build", large_course, "-o", dist, fault=("slow-workers", str(tmp_path / "workers")),
                        wait=False, stdout=subprocess.DEVNULL, stderr=stderr, env={"SRM_PACKAGE_WORKERS": "2"},
                        start_new_session=True)
        workers = started_workers(tmp_path / "workers", build)  # each sleeps 8 s before building
        if how == "Ctrl-C":
            os.killpg(build.pid, signal.SIGINT)
        else:
            build.send_signal(getattr(signal, how))
        code = build.wait(timeout=60)
    deadline = time.monotonic() + 3
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers)
    if how == "SIGKILL":
        assert code == -signal.SIGKILL
    else:  # rolled back, the folder it created gone again; no word from the workers
        expected = {"SIGTERM": (143, "build terminated (SIGTERM); nothing written\n"),
                    "Ctrl-C": (130, "build interrupted; nothing written\n")}[how]
        assert (code, errors.read_text()) == expected
        assert not dist.exists()


def test_two_builds_into_one_folder_take_turns(tmp_path, seed_dist, revised):
    go = tmp_path / "go"
    first = program("build", SOURCE, "-o", seed_dist, fault=("wait-before-landing", str(go)), wait=False,
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not any(name.startswith(".srm-package-") for name in hidden(seed_dist)):  # it is staging
        assert time.monotonic() < deadline and first.poll() is None, "the first build did not start"
        time.sleep(0.05)
    second_err = tmp_path / "second.err"
    with second_err.open("w") as err:
        second = program("build", revised, "-o", seed_dist, wait=False, stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.monotonic() + 120
        while "waiting for" not in second_err.read_text() and second.poll() is None:
            assert time.monotonic() < deadline, "the second build neither waited nor finished"
            time.sleep(0.05)
        go.touch()
        assert first.wait(timeout=120) == 0
        assert second.wait(timeout=120) == 0
    assert second_err.read_text() == (f"waiting for another srm-package build into {seed_dist} to finish "
                                      f"(process {first.pid})\n")
    # the second build ran after the first: its packages, all of them
    assert snapshot(seed_dist) == fresh_build(revised, tmp_path / "fresh")


def test_site_files_get_fixed_modes_whatever_the_umask(tmp_path):
    built = program("build", SOURCE, "-o", tmp_path / "dist", fault=("umask", "077"))
    assert built.returncode == 0, built.stderr
    site = tmp_path / "dist" / f"{COURSE_ID}-html"
    found = {p.relative_to(site).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in [site, *site.rglob("*")]}
    assert found["."] == 0o755 and len(found) >= 5
    assert {path: mode for path, mode in found.items() if mode != (0o755 if (site / path).is_dir() else 0o644)} == {}
    packages = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "dist").iterdir() if p.is_file()}
    assert set(packages.values()) == {0o644}


# ------------------------------------------------------------------ what a build leaves in dist/
@pytest.mark.parametrize("inside", [".", "dist", "lessons/out"])
def test_an_output_folder_inside_the_sources_is_a_usage_error(tmp_path, inside):
    source = tmp_path / "source"
    shutil.copytree(SOURCE, source)
    before = sorted(p.relative_to(source) for p in source.rglob("*"))
    result = run_cli_in(tmp_path, "build", "source", "-o", f"source/{inside}".rstrip("/."))
    assert result.exit_code == 2
    assert "is inside the source folder source" in result.stderr
    assert sorted(p.relative_to(source) for p in source.rglob("*")) == before


def run_cli_in(folder: Path, *args: str) -> Result:
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        return run(*args)
    finally:
        os.chdir(cwd)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def own_course(tmp_path) -> tuple[Path, Path]:
    """A copy of the seed course and a dist/ it was built into: the sources to edit, the folder."""
    source, dist = tmp_path / "course", tmp_path / "dist"
    shutil.copytree(SOURCE, source)
    fresh_build(source, dist)
    return source, dist


def test_a_course_without_a_quiz_skips_the_quiz_only_targets(tmp_path, own_course):
    source, dist = own_course
    course_yaml = source / "course.yaml"
    course_yaml.write_text("".join(line for line in course_yaml.read_text(encoding="utf-8").splitlines(True)
                                   if "quiz:" not in line), encoding="utf-8")
    result = run("build", source, "-o", dist)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[1] for line in lines if line.startswith("wrote ")] == [
        str(dist / name) for name in (f"{COURSE_ID}-scorm12.zip", f"{COURSE_ID}-scorm2004.zip",
                                      f"{COURSE_ID}.imscc", f"{COURSE_ID}.mbz", f"{COURSE_ID}-html/")]
    assert [line for line in lines if not line.startswith("wrote ")] == [
        "skipped canvas-qti: the course has no quiz, so its package would be empty",
        "skipped moodle-xml: the course has no quiz, so its package would be empty",
        # what the earlier build with the quiz wrote for them is gone: it would contradict the course
        f"removed {dist / (COURSE_ID + '-canvas-qti.zip')}  (an earlier build wrote it; this build no "
        "longer produces it)",
        f"removed {dist / (COURSE_ID + '-moodle.xml')}  (an earlier build wrote it; this build no longer "
        "produces it)",
    ]
    assert visible(dist) == sorted([f"{COURSE_ID}-scorm12.zip", f"{COURSE_ID}-scorm2004.zip",
                                    f"{COURSE_ID}.imscc", f"{COURSE_ID}.mbz", f"{COURSE_ID}-html"])
    checked = program("validate", dist)
    assert checked.returncode == 0, checked.stdout
    only = run("build", source, "-o", tmp_path / "quizzes", "-t", "canvas-qti")
    assert only.exit_code == 0 and not (tmp_path / "quizzes").exists()  # nothing to write: no folder either
    assert only.stdout == "skipped canvas-qti: the course has no quiz, so its package would be empty\n"


def test_packages_of_a_renamed_course_are_removed_and_nothing_else(tmp_path, own_course):
    source, dist = own_course
    (dist / "notes.txt").write_text("mine")
    other = tmp_path / "other"  # another course, built into the same folder
    shutil.copytree(SOURCE, other)
    edit(other / "course.yaml", f"id: {COURSE_ID}", "id: other")
    assert run("build", other, "-o", dist, "-t", "scorm12").exit_code == 0
    edit(source / "course.yaml", f"id: {COURSE_ID}", "id: renamed")
    result = run("build", source, "-o", dist)
    assert result.exit_code == 0, result.output
    removed = [line for line in result.stdout.splitlines() if line.startswith("removed ")]
    assert removed == [f"removed {dist / name}  (an earlier build wrote it; this build no longer produces it)"
                       for name in sorted(TARGET_FILES)]
    assert visible(dist) == sorted(["notes.txt", "other-scorm12.zip",
                                    *(name.replace(COURSE_ID, "renamed") for name in TARGET_FILES)])


def test_a_recorded_package_changed_since_is_left_with_a_warning(own_course):
    source, dist = own_course
    edited = dist / f"{COURSE_ID}-moodle.xml"
    edited.write_text("<quiz/>", encoding="utf-8")  # edited by hand after the build
    edit(source / "course.yaml", f"id: {COURSE_ID}", "id: renamed")
    result = run("build", source, "-o", dist, "-t", "moodle-xml", "-t", "scorm12")
    assert result.exit_code == 0, result.output
    assert result.stderr == (f"warning: left {edited}: an earlier build wrote it and this build no longer "
                             "produces it, but it was changed since\n")
    assert [line for line in result.stdout.splitlines() if line.startswith("removed ")] == [
        f"removed {dist / (COURSE_ID + '-scorm12.zip')}  (an earlier build wrote it; this build no longer "
        "produces it)"]
    assert edited.read_text(encoding="utf-8") == "<quiz/>"
    assert (dist / f"{COURSE_ID}-scorm2004.zip").is_file()  # not built now: kept
