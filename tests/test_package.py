"""Staging: packages land together, under their final names, readable by everyone; nothing
else is left in the destination, whether the build succeeds or fails."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from srm_package.package import Artifact, Staging

STAMP = (2026, 6, 1, 0, 0, 0)
ARTIFACTS = [
    Artifact("site", "dir", {"index.html": b"<p>hi</p>", "assets/site.css": b"p{}"}),
    Artifact("bank.xml", "file", {"bank.xml": b"<bank/>"}),
    Artifact("course.zip", "zip", {"a.txt": b"a"}, summary="1 file"),
]


def test_staged_packages_land_together_with_readable_modes(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    with Staging(dist, STAMP) as staging:
        staged = [staging.stage(artifact) for artifact in ARTIFACTS]
        assert sorted(p.name for p in dist.iterdir()) == [staging.folder.name]  # nothing final yet
        paths = staging.commit(staged)
    assert paths == [dist / "site", dist / "bank.xml", dist / "course.zip"]
    assert sorted(p.name for p in dist.iterdir()) == ["bank.xml", "course.zip", "site"]
    assert stat.S_IMODE((dist / "site").stat().st_mode) == 0o755
    assert stat.S_IMODE((dist / "bank.xml").stat().st_mode) == 0o644
    assert (dist / "site" / "assets" / "site.css").read_bytes() == b"p{}"


def test_leaving_without_commit_removes_everything_staged(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    with pytest.raises(RuntimeError), Staging(dist, STAMP) as staging:
        staging.stage(ARTIFACTS[0])
        raise RuntimeError("a target failed")
    assert not dist.exists()  # created for this build, so removed again


def test_an_existing_destination_keeps_what_it_had(tmp_path: Path) -> None:
    (tmp_path / "old.zip").write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), Staging(tmp_path, STAMP) as staging:
        staging.stage(ARTIFACTS[1])
        raise KeyboardInterrupt
    assert [p.name for p in tmp_path.iterdir()] == ["old.zip"]


def test_a_description_without_entries() -> None:
    described = ARTIFACTS[2].without_entries()
    assert (described.filename, described.kind, described.summary, described.entries) == (
        "course.zip", "zip", "1 file", {})
