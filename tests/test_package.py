"""write_artifact: each kind of package written completely under a temporary name, with the
same modes whatever the umask (zips carry 0644 inside; the files on disk match them)."""

from __future__ import annotations

import errno
import os
import stat
import zipfile
from pathlib import Path

import pytest

from srm_package import package
from srm_package.package import Artifact, write_artifact

STAMP = (2026, 6, 1, 0, 0, 0)
SITE = Artifact("site", "dir", {"index.html": b"<p>hi</p>", "assets/css/site.css": b"p{}", "lesson/a.html": b"a"})
BANK = Artifact("bank.xml", "file", {"bank.xml": b"<bank/>"})
ZIP = Artifact("course.zip", "zip", {"b.txt": b"b", "a.txt": b"a"}, summary="2 files")
BACKUP = Artifact("course.mbz", "tgz", {"moodle_backup.xml": b"<moodle_backup/>"})


@pytest.fixture
def strict_umask():
    """umask 077, as some users and CI runners have: files 0600 and folders 0700 by default."""
    previous = os.umask(0o077)
    yield
    os.umask(previous)


def modes(folder: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(folder.stat().st_mode)}
    for path in folder.rglob("*"):
        found[path.relative_to(folder).as_posix()] = stat.S_IMODE(path.stat().st_mode)
    return found


def test_a_site_gets_fixed_modes_whatever_the_umask(tmp_path: Path, strict_umask) -> None:
    written = write_artifact(SITE, tmp_path, STAMP, tmp_path)
    assert written.parent == tmp_path and written.name.startswith(".site.") and written.name.endswith(".part")
    assert modes(written) == {
        ".": 0o755, "assets": 0o755, "assets/css": 0o755, "lesson": 0o755,
        "index.html": 0o644, "assets/css/site.css": 0o644, "lesson/a.html": 0o644,
    }
    assert (written / "assets" / "css" / "site.css").read_bytes() == b"p{}"


@pytest.mark.parametrize("artifact", [BANK, ZIP, BACKUP], ids=["file", "zip", "tgz"])
def test_files_get_0644_whatever_the_umask(tmp_path: Path, strict_umask, artifact: Artifact) -> None:
    written = write_artifact(artifact, tmp_path, STAMP, tmp_path)
    assert stat.S_IMODE(written.stat().st_mode) == 0o644


def test_a_zip_is_sorted_with_fixed_times_and_modes(tmp_path: Path) -> None:
    written = write_artifact(ZIP, tmp_path, STAMP, tmp_path)
    with zipfile.ZipFile(written) as archive:
        infos = archive.infolist()
    assert [info.filename for info in infos] == ["a.txt", "b.txt"]
    assert {info.date_time for info in infos} == {STAMP}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}


def test_a_failure_leaves_nothing_and_names_the_chosen_folder(tmp_path: Path, monkeypatch) -> None:
    def refuse(prefix, suffix, dir):
        raise PermissionError(errno.EACCES, "Permission denied", f"{dir}/{prefix}x{suffix}")

    monkeypatch.setattr(package.tempfile, "mkdtemp", refuse)
    with pytest.raises(PermissionError) as raised:
        write_artifact(SITE, tmp_path / "staging", STAMP, Path("dist"))
    assert raised.value.filename == "dist"


def test_a_write_failing_halfway_removes_the_partial_site(tmp_path: Path, monkeypatch) -> None:
    real = package.write_file
    calls = []

    def write_file(target, content):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(target, content)

    monkeypatch.setattr(package, "write_file", write_file)
    with pytest.raises(OSError, match="No space left"):
        write_artifact(SITE, tmp_path, STAMP, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_description_without_entries() -> None:
    described = ZIP.without_entries()
    assert (described.filename, described.kind, described.summary, described.entries) == (
        "course.zip", "zip", "2 files", {})
