"""``srm-package validate``: built packages pass; every broken or hostile package is caught precisely.

The corpus (tests/hostile_packages.py) is generated here, one defect per package,
each asserting the check id, the exit code and the file its message names. The
built packages are those of every registered target, so new targets are covered
as soon as they are in the registry.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

import junitparser
import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from srm_package import parallel
from srm_package.build import build
from srm_package.cli import main
from srm_package.targets import TARGETS
from srm_package.validate import CHECKS, Limits, Severity, run_validation, validate_paths
from srm_package.validate.detect import scan
from srm_package.validate.report import format_junit
from srm_package.validate.safe_xml import make_parser, parse_xml
from tests.conftest import ROOT, SOURCE
from tests.hostile_backups import backup_entries, tgz
from tests.hostile_packages import (
    BASELINES,
    QTI,
    XSI,
    Case,
    canvas_qti_document,
    canvas_qti_entries,
    corpus,
    edit_xml,
    find,
    page,
    qti21_entries,
    scorm12_entries,
    write_folder,
    write_zip,
)

SECRET = "TOP-SECRET-7f3a9c"


def run(*args: str | Path, env: dict[str, str | None] | None = None) -> Result:
    """``srm-package validate ARGS``; schemas only when asked for (CI sets SRM_PACKAGE_SCHEMAS)."""
    env = {"SRM_PACKAGE_SCHEMAS": None, **(env or {})}
    return CliRunner().invoke(main, ["validate", *(str(a) for a in args)], env=env, catch_exceptions=False)


def as_json(result: Result) -> dict:
    return json.loads(result.stdout)


def found_ids(payload: dict, severity: str | None = None) -> set[str]:
    return {f["check"] for p in payload["packages"] for f in p["findings"]
            if severity is None or f["severity"] == severity}


@pytest.fixture(scope="module")
def secret(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("secret") / "secret.txt"
    path.write_text(SECRET)
    return path


CASES = corpus(Path("/nonexistent/secret.txt"))


#: checks no corpus package can show, and the test that makes each one fire instead
NOT_IN_CORPUS = {
    "schema.invalid": "test_schema_violation_is_reported_with_its_line",  # needs the official schemas
    "schema.unavailable": "test_schemas_default_from_environment_and_missing_schema_file",
    "validator.crash": "test_a_validator_bug_is_a_finding_not_a_traceback",  # needs a bug
}


def test_corpus_has_at_least_25_cases_with_distinct_names():
    assert len(CASES) >= 25
    assert len({case.name for case in CASES}) == len(CASES)
    assert all(case.expect in CHECKS for case in CASES)


def test_every_check_fires_on_some_hostile_package():
    """A check no package can make fire is dead weight that reports itself as passed."""
    caught = {case.expect for case in CASES} | {check for case in CASES for check in case.also}
    assert set(CHECKS) - caught == set(NOT_IN_CORPUS)
    assert all(callable(globals().get(test)) for test in NOT_IN_CORPUS.values())


# ------------------------------------------------------------------ the hostile corpus
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_corpus_case_is_caught_by_its_check(case: Case, tmp_path, secret):
    case = next(c for c in corpus(secret) if c.name == case.name)  # the XXE aims at a real file
    package = case.make(tmp_path)
    result = run(package, "--format", "json", *(["--strict"] if case.strict else []))
    assert result.exit_code == case.exit_code, result.output
    payload = as_json(result)
    assert found_ids(payload) == {case.expect} | case.also
    findings = [f for p in payload["packages"] for f in p["findings"] if f["check"] == case.expect]
    assert findings
    expected_severity = "error" if case.exit_code == 1 or case.strict else "warning"
    assert {f["severity"] for f in findings} == {expected_severity}
    assert all(f["package"] == str(package) for f in findings)
    if case.member is not None:
        assert case.member in {f["member"] for f in findings}
    assert SECRET not in result.output


def test_corpus_text_output_names_package_member_line_and_check(tmp_path, secret):
    case = next(c for c in corpus(secret) if c.name == "bad-schemaversion")
    package = case.make(tmp_path)
    result = run(package)
    assert result.exit_code == 1
    line = next(line for line in result.stdout.splitlines() if "[scorm.schemaversion]" in line)
    assert line.strip().startswith(f"{package}!imsmanifest.xml:")
    manifest_line = int(line.split("!imsmanifest.xml:")[1].split(":")[0])
    manifest = zipfile.ZipFile(package).read("imsmanifest.xml").decode().splitlines()
    assert "<schemaversion>1.2.0</schemaversion>" in manifest[manifest_line - 1]
    assert "1 package: 1 failed; 1 error, 0 warnings" in result.stdout


@pytest.mark.parametrize("name", ["xxe", "billion-laughs", "truncated-zip", "not-a-zip", "zip-bomb-ratio",
                                  "zip-bomb-lying-total", "malformed-xml", "unknown-file-kind"])
def test_hostile_input_never_shows_a_traceback(name, tmp_path, secret):
    package = next(c for c in corpus(secret) if c.name == name).make(tmp_path)
    completed = subprocess.run([sys.executable, "-m", "srm_package", "validate", str(package)],
                               capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert completed.returncode == 1
    assert "Traceback" not in completed.stdout + completed.stderr
    assert SECRET not in completed.stdout + completed.stderr
    assert "[" in completed.stdout  # a finding line with its check id


def test_entity_bomb_is_refused_quickly_and_xxe_reads_nothing(tmp_path, secret):
    cases = {c.name: c for c in corpus(secret)}
    for name in ("billion-laughs", "xxe"):
        package = cases[name].make(tmp_path)
        started = time.monotonic()
        findings = validate_paths([package])
        assert time.monotonic() - started < 5
        assert all(SECRET not in f.message for f in findings)
        assert {f.check for f in findings} == {cases[name].expect}


def test_the_validators_parser_never_reads_an_external_entity(secret):
    """Refusing the document afterwards is not enough: the parser must not read the file at all."""
    document = (f'<?xml version="1.0"?>\n<!DOCTYPE manifest [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>\n'
                "<manifest><title>&leak;</title></manifest>").encode()
    root = etree.fromstring(document, make_parser())
    assert SECRET not in etree.tostring(root, encoding="unicode")
    assert SECRET not in "".join(root.itertext())
    assert parse_xml(document).tree is None  # and the document is refused


def test_zip_bomb_is_refused_before_inflating(tmp_path, secret, monkeypatch):
    package = next(c for c in corpus(secret) if c.name == "zip-bomb-ratio").make(tmp_path)
    opened = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, *a, **k: opened.append(a) or pytest.fail("read"))
    findings = validate_paths([package])
    assert [f.check for f in findings] == ["zip.compression-ratio"]
    assert "zip bomb" in findings[0].message
    assert not opened


def test_total_size_limit_alone(tmp_path):
    package = write_zip(tmp_path / "big.zip", scorm12_entries())
    total = sum(len(v) for v in scorm12_entries().values())
    results = run_validation([package], limits=Limits(max_total_size=total - 1))
    assert [f.check for f in results[0].findings] == ["zip.too-large"]
    assert run_validation([package], limits=Limits(max_total_size=total))[0].findings == ()


def test_a_validator_bug_is_a_finding_not_a_traceback(tmp_path, monkeypatch):
    package = BASELINES["scorm12"][1](tmp_path)
    monkeypatch.setattr("srm_package.validate.scorm.check_scorm", lambda *_: 1 / 0)
    result = run(package, "--format", "json")
    assert result.exit_code == 1
    (finding,) = as_json(result)["packages"][0]["findings"]
    assert (finding["check"], finding["severity"]) == ("validator.crash", "error")
    assert "ZeroDivisionError" in finding["message"]


def test_strict_turns_warnings_into_errors_in_the_library(tmp_path, secret):
    package = next(c for c in corpus(secret) if c.name == "file-not-listed").make(tmp_path)
    (relaxed,) = validate_paths([package])
    (strict,) = validate_paths([package], strict=True)
    assert (relaxed.check, relaxed.severity) == ("manifest.file-unlisted", Severity.WARNING)
    assert (strict.check, strict.severity) == ("manifest.file-unlisted", Severity.ERROR)


_MUTATIONS = st.one_of(
    st.tuples(st.just("overwrite"), st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)),
                                             min_size=1, max_size=8)),
    st.tuples(st.just("truncate"), st.integers(0, 1 << 20)),
    st.tuples(st.just("insert"), st.integers(0, 1 << 20), st.binary(min_size=1, max_size=40)),
)


def _mutate(data: bytes, mutation: tuple) -> bytes:
    out = bytearray(data)
    if mutation[0] == "overwrite":
        for position, value in mutation[1]:
            out[position % len(out)] = value
    elif mutation[0] == "truncate":
        del out[mutation[1] % len(out):]
    else:
        position = mutation[1] % len(out)
        out[position:position] = mutation[2]
    return bytes(out)


@pytest.fixture(scope="module")
def baseline_files(tmp_path_factory) -> dict[str, tuple[bytes, str]]:
    folder = tmp_path_factory.mktemp("baselines")
    return {name: ((path := make(folder)).read_bytes(), path.suffix) for name, (_, make) in BASELINES.items()}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(list(BASELINES)), mutation=_MUTATIONS)
def test_damaged_packages_give_findings_never_a_crash(name, mutation, baseline_files):
    data, suffix = baseline_files[name]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"damaged{suffix}"
        path.write_bytes(_mutate(data, mutation))
        (result,) = run_validation([path])
    assert "validator.crash" not in {f.check for f in result.findings}
    assert all(f.check in CHECKS and f.message for f in result.findings)


# ------------------------------------------------------------------ baselines
@pytest.mark.parametrize("name", list(BASELINES))
def test_hand_made_baselines_pass_with_and_without_schemas(name, tmp_path, schemas):
    kind, make = BASELINES[name]
    package = make(tmp_path)
    for extra in ([], ["--schemas", str(schemas)]):
        result = run(package, "--format", "json", *extra)
        assert result.exit_code == 0, result.output
        payload = as_json(result)
        assert payload["packages"][0]["kind"] == kind
        assert payload["packages"][0]["findings"] == []
        assert ("schema.invalid" in payload["packages"][0]["checks"]) == bool(extra) or kind in (
            "moodle-xml", "moodle-backup")


def test_schema_violation_is_reported_with_its_line(tmp_path, schemas):
    entries = scorm12_entries()
    root = etree.fromstring(entries["imsmanifest.xml"])
    etree.SubElement(root, "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}unexpected")
    entries["imsmanifest.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    package = write_zip(tmp_path / "invalid.zip", entries)
    assert run(package).exit_code == 0  # structurally fine: only the schema knows
    result = run(package, "--schemas", schemas, "--format", "json")
    assert result.exit_code == 1
    (finding,) = as_json(result)["packages"][0]["findings"]
    assert finding["check"] == "schema.invalid"
    assert "unexpected" in finding["message"]
    lines = entries["imsmanifest.xml"].decode().splitlines()
    assert "unexpected" in lines[finding["line"] - 1]


def test_schemas_default_from_environment_and_missing_schema_file(tmp_path, schemas):
    package = BASELINES["scorm12"][1](tmp_path)
    with_env = as_json(run(package, "--format", "json", env={"SRM_PACKAGE_SCHEMAS": str(schemas)}))
    assert "schema.invalid" in with_env["packages"][0]["checks"]
    emptied = run(package, "--format", "json", env={"SRM_PACKAGE_SCHEMAS": ""})  # as the CI example sets it
    assert emptied.exit_code == 0, emptied.output
    assert "schema.invalid" not in as_json(emptied)["packages"][0]["checks"]
    empty = tmp_path / "no-schemas"
    empty.mkdir()
    result = run(package, "--schemas", empty, "--format", "json")
    assert result.exit_code == 1
    assert found_ids(as_json(result)) == {"schema.unavailable"}


# ------------------------------------------------------------------ inputs and usage
def test_folder_argument_scans_packages_and_skips_hidden_and_other_files(tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    BASELINES["scorm12"][1](dist)
    BASELINES["moodle-xml"][1](dist)
    site = dist / "site"
    site.mkdir()
    for name, data in scorm12_entries().items():
        if name != "imsmanifest.xml":
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).write_bytes(data)
    (dist / ".base-scorm12.zip.abc.part").write_bytes(b"half written")
    (dist / "README.txt").write_text("not a package")
    result = run(dist, "--format", "json")
    assert result.exit_code == 0, result.output
    payload = as_json(result)
    assert [(Path(p["path"]).name, p["kind"]) for p in payload["packages"]] == [
        ("base-moodle.xml", "moodle-xml"), ("base-scorm12.zip", "scorm12"), ("site", "html")]
    (site / "page2.html").write_text('<a href="missing.html">x</a>')
    assert found_ids(as_json(run(dist, "--format", "json"))) == {"html.broken-link"}


@pytest.mark.parametrize("args", [[], ["missing.zip"], ["--format", "yaml", "."]])
def test_usage_errors_exit_2(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", *args])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_unpacked_package_folder_gets_the_same_checks(tmp_path):
    folder = tmp_path / "unpacked"
    for name, data in scorm12_entries().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    (folder / "assets" / "escape.txt").symlink_to("/etc/hostname")
    (folder / "assets" / "inside.txt").symlink_to("glossary.txt")  # stays inside: fine (and unlisted)
    (folder / "etc").symlink_to("/etc", target_is_directory=True)
    (result,) = run_validation([folder])
    assert result.kind == "scorm12"
    assert {(f.check, f.member) for f in result.findings} == {
        ("folder.symlink", "assets/escape.txt"), ("folder.symlink", "etc"),
        ("manifest.file-unlisted", "assets/inside.txt")}


def test_xhtml_page_with_an_xml_declaration_is_read_like_any_page(tmp_path):
    entries = scorm12_entries()
    declaration = b'<?xml version="1.0" encoding="UTF-8"?>\n'
    entries["page2.html"] = declaration + page('<a href="index.html">Back</a>')
    assert run_validation([write_zip(tmp_path / "xhtml.zip", entries)])[0].findings == ()
    entries["page2.html"] = declaration + page('<a href="lesson-3.html">Next</a>')
    (finding,) = run_validation([write_zip(tmp_path / "xhtml-broken.zip", entries)])[0].findings
    assert (finding.check, finding.member) == ("html.broken-link", "page2.html")
    assert b"lesson-3.html" in entries["page2.html"].splitlines()[finding.line - 1]


def test_css_references_are_found_however_they_are_spelled_and_however_often(tmp_path):
    """Style attributes are tokenized only when they can name a URL, and repeated ones are remembered:
    escapes, capitals and @import still count, on every element that repeats them."""
    styles = {"a": "background: URL(https://cdn.example/a.png)",
              "b": r"background: \75 rl(https://cdn.example/b.png)",
              "c": r'background: u\72l("https://cdn.example/c.png")',
              "plain": "color: red; border: 1px solid"}
    body = "\n".join(f"<p style='{style}'>{name}</p>" for name, style in [*styles.items(), *styles.items()])
    body += '\n<style>@IMPORT "https://cdn.example/d.css";</style>'
    entries = scorm12_entries()
    entries["page2.html"] = page(body)
    (result,) = run_validation([write_zip(tmp_path / "styles.zip", entries)])
    lines = entries["page2.html"].decode().splitlines()
    expected = sorted((line, url) for line, text in enumerate(lines, 1)
                      for url in [f"https://cdn.example/{n}.png" for n in "abc"] + ["https://cdn.example/d.css"]
                      if url.rsplit("/", 1)[1][0] + ".png" in text or (url.endswith(".css") and "@IMPORT" in text))
    assert len(expected) == 7
    assert sorted((f.line, f.message.split("'")[1]) for f in result.findings) == expected
    assert {f.check for f in result.findings} == {"html.network-url"}


# ------------------------------------------------------------------ JUnit
def test_junit_lists_every_check_run_and_fails_only_errors(tmp_path, secret):
    cases = {c.name: c for c in corpus(secret)}
    good = BASELINES["scorm12"][1](tmp_path)
    bad = cases["bad-schemaversion"].make(tmp_path)
    warned = cases["file-not-listed"].make(tmp_path)
    results = run_validation([good, bad, warned])
    result = run(good, bad, warned, "--format", "junit")
    assert result.exit_code == 1
    report_path = tmp_path / "report.xml"
    report_path.write_bytes(result.stdout_bytes)

    xml = junitparser.JUnitXml.fromfile(str(report_path))
    suites = list(xml)
    assert [s.name for s in suites] == [str(good), str(bad), str(warned)]
    for suite, package in zip(suites, results, strict=True):
        cases_run = list(suite)
        assert [c.name for c in cases_run] == list(package.checks)
        assert suite.tests == len(package.checks)
        failed = {c.name for c in cases_run if not c.is_passed}
        assert failed == {f.check for f in package.errors}
    assert {c.name for c in suites[1] if not c.is_passed} == {"scorm.schemaversion"}
    assert all(c.is_passed for c in suites[2])  # a warning is no failure...
    strict = junitparser.JUnitXml.fromstring(format_junit(run_validation([warned], strict=True)))
    assert {c.name for s in strict for c in s if not c.is_passed} == {"manifest.file-unlisted"}  # ...unless strict


def test_junit_is_structurally_valid_and_deterministic(tmp_path, secret):
    bad = next(c for c in corpus(secret) if c.name == "cc-item-without-profile").make(tmp_path)
    first = format_junit(run_validation([bad]))
    assert first == format_junit(run_validation([bad]))
    root = etree.fromstring(first)
    assert root.tag == "testsuites"
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in root)
    for suite in root.iter("testsuite"):
        assert int(suite.get("tests")) == len(suite.findall("testcase"))
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))
        assert [p.get("value") for p in suite.iter("property")] == ["cc11"]
    failure = root.find(".//testcase[@name='cc.profile-missing']/failure")
    assert "assessment_qti.xml" in failure.text
    assert {case.get("classname") for case in root.iter("testcase")} == {str(bad)}


# ------------------------------------------------------------------ every package the build emits
@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Every registered target of the seed course, written by the build itself."""
    written = build(SOURCE, tmp_path_factory.mktemp("dist")).written
    return dict(zip(TARGETS, (item.path for item in written), strict=True))


@pytest.mark.parametrize("target", list(TARGETS))
def test_every_built_package_passes_with_and_without_schemas(target, built, schemas):
    for extra in ([], ["--schemas", str(schemas)]):
        result = run(built[target], "--format", "json", "--strict", *extra)
        assert result.exit_code == 0, result.output
        (checked,) = as_json(result)["packages"]
        assert checked["findings"] == []
        assert checked["kind"] != "unknown"
        assert len(checked["checks"]) >= 5
        assert ("schema.invalid" in checked["checks"]) == bool(extra) or checked["kind"] in (
            "html", "moodle-xml", "moodle-backup")


def test_every_member_of_a_built_package_is_read_once(built, monkeypatch):
    """No check reads a document another check has read: QTI banks are not parsed again for their
    images, nor a backup's index again with the other XML files (its bytes are handed over once)."""
    from srm_package.validate.context import PackageCheck

    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    reads: collections.Counter = collections.Counter()
    read = PackageCheck.read

    def counted(ctx: PackageCheck, member: str) -> bytes | None:
        reads[ctx.label, member] += 1
        return read(ctx, member)

    monkeypatch.setattr(PackageCheck, "read", counted)
    results = run_validation(list(built.values()))
    assert all(result.findings == () for result in results)
    assert {label for label, _ in reads} == {str(path) for path in built.values()} - {str(built["moodle-xml"])}
    assert [key for key, count in reads.items() if count > 1] == []


def test_a_backup_hands_over_each_documents_bytes_once(tmp_path):
    """A gzip'd tar is read into memory once; a document's bytes leave it when read, so they are not
    held beside the document's tree (the index and questions.xml of a large course are MBs)."""
    from srm_package.validate.files import MemberError
    from srm_package.validate.safe_tar import TarFiles

    large = b"<question_categories>" + os.urandom(2_000_000).hex().encode() + b"</question_categories>"
    path = tmp_path / "large.mbz"
    path.write_bytes(tgz({**backup_entries(), "questions.xml": large, "empty.xml": b""}))
    tracemalloc.start()
    try:
        files = TarFiles.open(path, Limits(), lambda *finding: pytest.fail(str(finding)), keep=lambda _: True)
        assert files is not None
        data = files.read("questions.xml", 10**8)
        assert data == large
        held = tracemalloc.get_traced_memory()[0]
        del data
        assert held - tracemalloc.get_traced_memory()[0] > 3_000_000  # nothing else keeps the bytes
    finally:
        tracemalloc.stop()
    assert files.read("empty.xml", 10) == b""
    assert files.read("questions.xml", 10**8) == large  # read again from the archive
    with pytest.raises(MemberError):
        files.read("questions.xml", 1000)
    with pytest.raises(MemberError):
        files.read("course/course.xml", 10)


def test_a_backup_whose_index_names_one_folder_twice_is_read_again_not_a_crash(tmp_path):
    """The second read of a document whose bytes were handed over reads the archive again."""
    entries = backup_entries()
    index = etree.fromstring(entries["moodle_backup.xml"])
    activities = index.find("information/contents/activities")
    activities.append(etree.fromstring(etree.tostring(activities[0])))
    entries["moodle_backup.xml"] = b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(index)
    path = tmp_path / "twice.mbz"
    path.write_bytes(tgz(entries))
    (result,) = run_validation([path])
    assert result.findings == ()
    assert "mbz.file-record" in result.checks


def test_a_backups_documents_get_the_reference_findings_too(tmp_path):
    entries = backup_entries()
    entries["files.xml"] = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE files SYSTEM "file:///etc/passwd">\n'
                            b'<files xmlns:xi="http://www.w3.org/2001/XInclude">\n<xi:include href="/etc/passwd"/>'
                            b'</files>')
    path = tmp_path / "referencing.mbz"
    path.write_bytes(tgz(entries))
    (result,) = run_validation([path])
    assert [(f.check, f.member, f.line) for f in result.findings] == [
        ("xml.external-dtd", "files.xml", 2), ("xml.xinclude", "files.xml", 4)]


def test_validating_dist_after_a_real_build_exits_0(tmp_path, schemas):
    dist = tmp_path / "dist"
    built = CliRunner().invoke(main, ["build", str(ROOT / "source"), "-o", str(dist)])
    assert built.exit_code == 0, built.output
    for extra in ([], ["--schemas", str(schemas)]):
        result = run(dist, *extra)
        assert result.exit_code == 0, result.output
        assert f"{len(TARGETS)} packages: all passed; 0 errors, 0 warnings" in result.stdout
    env = {**os.environ, "SRM_PACKAGE_SCHEMAS": str(schemas)}
    completed = subprocess.run([sys.executable, "-m", "srm_package", "validate", "--strict", str(dist)],
                               capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert completed.returncode == 0, completed.stdout + completed.stderr


# ------------------------------------------------------------------ docs and CI examples
EXAMPLES = ROOT / "examples" / "ci"


def test_docs_list_every_check_with_its_severity_and_meaning():
    rows = [[cell.strip() for cell in line.strip("|").split("|")]
            for line in (ROOT / "docs" / "ci.md").read_text().splitlines() if line.startswith("| `")]
    assert rows == [[f"`{check}`", severity.value, meaning] for check, (severity, meaning) in CHECKS.items()]


def _srm_commands(text: str) -> list[list[str]]:
    """Every ``srm-package ...`` invocation in a shell snippet, without redirections."""
    commands = []
    for part in text.replace("&&", ";").replace("||", ";").split(";"):
        words = shlex.split(part.strip())
        if words and words[0] == "srm-package":
            commands.append(list(itertools.takewhile(lambda w: not w.startswith(">"), words[1:])))
    return commands


def test_github_workflow_runs_only_commands_the_cli_accepts():
    workflow = yaml.safe_load((EXAMPLES / "github-actions.yml").read_text())
    steps = workflow["jobs"]["packages"]["steps"]
    commands = [c for step in steps if "run" in step for c in _srm_commands(step["run"])]
    assert [c[0] for c in commands] == ["check", "build", "validate", "validate"]
    for args in commands:
        main.make_context("srm-package", [a.replace("dist", ".") for a in args])  # raises on a usage error


@pytest.fixture
def course_repo(tmp_path) -> tuple[Path, dict[str, str]]:
    """A git repository holding a copy of source/, and an environment with ``srm-package`` on PATH."""
    repo = tmp_path / "course"
    shutil.copytree(ROOT / "source", repo / "source")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "srm-package"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m srm_package "$@"\n')
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "PYTHONPATH": str(ROOT),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    env.pop("SRM_PACKAGE_SCHEMAS", None)
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
    return repo, env


def test_plain_git_hook_validates_the_staged_course(course_repo):
    repo, env = course_repo
    hook = [str(EXAMPLES / "pre-commit")]
    unchanged = subprocess.run(hook, cwd=repo, env=env, capture_output=True, text=True, timeout=120)
    assert unchanged.returncode == 0 and unchanged.stdout == ""
    subprocess.run(["git", "add", "source"], cwd=repo, env=env, check=True)
    staged = subprocess.run(hook, cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    assert staged.returncode == 0, staged.stdout + staged.stderr
    assert f"{len(TARGETS)} packages: all passed" in staged.stdout


def test_pre_commit_framework_hooks_run(course_repo):
    repo, env = course_repo
    config = yaml.safe_load((EXAMPLES / "pre-commit-config.yaml").read_text())
    hooks = config["repos"][0]["hooks"]
    assert [h["id"] for h in hooks] == ["srm-package-check", "srm-package-validate"]
    for hook in hooks:
        completed = subprocess.run(hook["entry"], shell=True, cwd=repo, env=env, capture_output=True, text=True,
                                   timeout=300)
        assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "packages: all passed" in completed.stdout


def test_a_pipe_is_refused_without_blocking(tmp_path):
    for name in ("pipe.xml", "pipe"):
        os.mkfifo(tmp_path / name)
        (result,) = run_validation([tmp_path / name])
        assert {f.check for f in result.findings} <= {"input.unreadable", "input.unknown-kind"}
        assert result.errors


# ------------------------------------------------------------------ other tools' packages, references
def _text2qti_zip(folder: Path, text: str) -> Path:
    """A Canvas QTI zip written by text2qti itself (from its quiz text, as its command line does)."""
    pytest.importorskip("text2qti")
    from text2qti.config import Config
    from text2qti.qti import QTI
    from text2qti.quiz import Quiz

    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))  # the quiz shows it
    with contextlib.chdir(folder):  # text2qti finds images from the working folder, as its command line does
        quiz = Quiz(text, config=Config(), source_name="quiz.txt")
    path = folder / "quiz.zip"
    QTI(quiz).save(path)
    return path


TEXT2QTI_QUIZ = """\
Quiz title: Shared responsibility
Quiz description: Who secures what.

Title: Guest OS
Points: 2
1.  Who patches the guest OS on EC2?
... Think about who owns the instance.
a)  AWS
... AWS runs the hypervisor, not your OS.
*b) The customer
c)  Nobody

2.  Which does the customer secure?
[*] IAM users
[*] Their data
[ ] The data centre

3.  Which service stores objects? ![logo](logo.png)
*   S3
*   s3

4.  How many availability zones has a region at least?
=   3

5.  Explain the shared responsibility model.
____

Text: A text-only item between questions.
"""


def test_text2qti_zips_are_canvas_qti_zips(tmp_path, schemas):
    """text2qti writes the CC 1.1 namespace with schema 'IMS Content': Canvas imports that as QTI."""
    package = _text2qti_zip(tmp_path, TEXT2QTI_QUIZ)
    manifest = zipfile.ZipFile(package).read("imsmanifest.xml")
    assert b"imsccv1p1/imscp_v1p1" in manifest and b"<schema>IMS Content</schema>" in manifest
    for extra in ([], ["--schemas", str(schemas)]):
        result = run(package, "--format", "json", "--strict", *extra)
        assert result.exit_code == 0, result.output
        (checked,) = as_json(result)["packages"]
        assert (checked["kind"], checked["findings"]) == ("canvas-qti", [])
        assert {"qti.no-correct-answer", "canvas.meta-folder", "canvas.answer-ident"} <= set(checked["checks"])


def test_a_text2qti_zip_with_a_broken_question_is_reported_as_canvas_qti(tmp_path):
    package = _text2qti_zip(tmp_path, TEXT2QTI_QUIZ)
    entries = {i.filename: zipfile.ZipFile(package).read(i) for i in zipfile.ZipFile(package).infolist()
               if not i.is_dir()}
    quiz = next(name for name in entries if name.endswith(".xml") and "assessment_meta" not in name
                and name != "imsmanifest.xml")
    entries[quiz] = entries[quiz].replace(b'<setvar action="Set" varname="SCORE">100</setvar>',
                                          b'<setvar action="Set" varname="SCORE">0</setvar>', 1)
    (result,) = run_validation([write_zip(tmp_path / "broken.zip", entries)])
    assert result.kind == "canvas-qti"
    assert [(f.check, f.member) for f in result.findings] == [("qti.no-correct-answer", quiz)]


def test_a_cartridge_namespace_with_the_cartridge_schema_is_still_a_cartridge(tmp_path):
    """Only a manifest that does not call itself a Common Cartridge is taken for text2qti's layout."""
    entries = canvas_qti_entries()
    entries["imsmanifest.xml"] = entries["imsmanifest.xml"].replace(
        b"http://www.imsglobal.org/xsd/imscp_v1p1", b"http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1")
    (as_qti,) = run_validation([write_zip(tmp_path / "cc-namespace.zip", entries)])
    assert (as_qti.kind, as_qti.findings) == ("canvas-qti", ())
    entries["imsmanifest.xml"] = entries["imsmanifest.xml"].replace(b"IMS Content", b"IMS Common Cartridge")
    (as_cartridge,) = run_validation([write_zip(tmp_path / "cc-schema.zip", entries)])
    assert as_cartridge.kind == "cc11"
    assert "cc.schemaversion" in {f.check for f in as_cartridge.findings}


def test_a_qti21_package_gets_one_clear_finding(tmp_path):
    (result,) = run_validation([write_zip(tmp_path / "qti21.zip", qti21_entries())])
    assert result.kind == "qti21"
    (finding,) = result.findings
    assert (finding.check, finding.member) == ("manifest.unknown-kind", "imsmanifest.xml")
    assert finding.message.startswith("a QTI 2.1 package: not a format this tool checks")
    assert {"xml.malformed", "manifest.file-missing"} <= set(result.checks)  # the generic checks still ran


def test_symbolic_link_loops_in_a_package_folder(tmp_path):
    folder = write_folder(tmp_path / "unpacked", scorm12_entries())
    (folder / "assets" / "a").symlink_to("b")
    (folder / "assets" / "b").symlink_to("a")
    (folder / "assets" / "self").symlink_to("self", target_is_directory=True)
    (result,) = run_validation([folder])
    assert result.kind == "scorm12"
    assert [(f.check, f.member) for f in result.findings] == [
        ("folder.symlink", "assets/a"), ("folder.symlink", "assets/b"), ("folder.symlink", "assets/self")]
    assert all("loops" in f.message for f in result.findings)


def _qti_with_hints(*hints: tuple[str, str]) -> bytes:
    """The Canvas QTI document with ``xsi:`` schema hints (attribute, value) on its first <item>."""
    root = etree.fromstring(canvas_qti_document())
    item = next(root.iter(f"{{{QTI}}}item"))
    for name, value in hints:
        item.set(f"{{{XSI}}}{name}", value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize(("location", "expected"), [
    ("http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd", set()),
    ("https://purl.imsglobal.org/spec/qti/v1p2/schema/xsd/ims_qtiasiv1p2p1.xsd", set()),
    ("https://canvas.instructure.com/xsd/cccv1p0.xsd", set()),
    ("ims_qtiasiv1p2p1.xsd", set()),  # in the package, next to the document
    ("../schemas/qti.xsd", set()),  # quiz_demo/../schemas: still in the package
    ("https://www.imsglobal.org.attacker.example/qti.xsd", {"xml.schema-remote"}),
    ("//attacker.example/qti.xsd", {"xml.schema-remote"}),
    ("../../etc/qti.xsd", {"xml.schema-location"}),
    ("/etc/passwd", {"xml.schema-location"}),
    ("file:///etc/passwd", {"xml.schema-location"}),
    ("C:\\schemas\\qti.xsd", {"xml.schema-location"}),
])
def test_schema_locations_are_judged_by_where_they_lead(location, expected, tmp_path):
    """Hints off the root are found too (the quick path looks only at the root when it can)."""
    for hints in ([("schemaLocation", f"{QTI} {location}")], [("noNamespaceSchemaLocation", location)]):
        document = _qti_with_hints(*hints)
        entries = {**canvas_qti_entries(), "quiz_demo/quiz_demo.xml": document}
        (result,) = run_validation([write_zip(tmp_path / "hinted.zip", entries)])
        assert {f.check for f in result.findings} == expected
        item_line = document[:document.index(b"<item ")].count(b"\n") + 1
        assert all((f.member, f.line) == ("quiz_demo/quiz_demo.xml", item_line) for f in result.findings)


def test_schema_hints_in_a_utf16_document_are_found(tmp_path):
    """Not ASCII-compatible: the bytes do not show the attribute's name, so every element is searched."""
    document = etree.tostring(etree.fromstring(_qti_with_hints(("schemaLocation", f"{QTI} /etc/qti.xsd"))),
                              xml_declaration=True, encoding="UTF-16")
    (result,) = run_validation([write_zip(tmp_path / "utf16.zip", {**canvas_qti_entries(),
                                                                    "quiz_demo/quiz_demo.xml": document})])
    assert {f.check for f in result.findings} == {"xml.encoding", "xml.schema-location"}


def test_a_document_named_twice_is_read_twice_but_reported_once(tmp_path):
    """Trees are not kept; a member asked for again is parsed again, its problems not repeated."""
    entries = canvas_qti_entries()
    entries["quiz_demo/quiz_demo.xml"] = b"<questestinterop><assessment ident='quiz_demo'>"
    entries["imsmanifest.xml"] = edit_xml(entries["imsmanifest.xml"], lambda root: find(root, "resources").append(
        etree.fromstring(etree.tostring(find(root, "resource")).replace(b'identifier="quiz_demo"',
                                                                        b'identifier="again"'))))
    (result,) = run_validation([write_zip(tmp_path / "twice.zip", entries)])
    assert [f.check for f in result.findings] == ["xml.malformed"]


# ------------------------------------------------------------------ several packages, several processes
def test_packages_checked_in_two_processes_give_the_serial_results_in_argument_order(tmp_path, monkeypatch,
                                                                                    secret):
    dist = tmp_path / "dist"
    dist.mkdir()
    for case in corpus(secret):
        # an interrupted build is a finding about the folder given as the argument, not a package in it
        if case.name not in ("pipe", "empty-folder", "interrupted-build"):
            (dist / case.name).mkdir()
            case.make(dist / case.name)
    loose = BASELINES["moodle-xml"][1](tmp_path)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    serial = run_validation([loose, dist, loose])
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    monkeypatch.setattr(parallel, "_other_threads_running", lambda: False)  # a thread an earlier test left
    assert parallel.worker_count(len(serial)) == 2
    assert run_validation([loose, dist, loose]) == serial
    assert serial[0].path == serial[-1].path == str(loose)
    assert [r.path for r in serial[1:-1]] == [str(path) for path, _ in scan(dist)]
    assert len(serial) > 60 and all(r.findings or "base" in r.path for r in serial[1:-1])


def test_a_validator_bug_in_a_worker_process_is_a_finding(tmp_path, monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    monkeypatch.setattr(parallel, "_other_threads_running", lambda: False)  # a thread an earlier test left
    packages = [BASELINES[name][1](tmp_path) for name in ("scorm12", "cc", "scorm2004", "moodle-xml")]
    monkeypatch.setattr("srm_package.validate.scorm.check_scorm", lambda *_: 1 / 0)
    results = run_validation(packages)
    assert [[f.check for f in r.findings] for r in results] == [["validator.crash"], [], ["validator.crash"], []]
