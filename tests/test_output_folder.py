"""The output folder and its record: packages land together and are recorded, what the
tool no longer produces is removed (never anything else), debris of killed builds goes,
and records that are not ours are ignored. Kills and concurrent builds as real
processes: tests/test_build.py."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from srm_package.output_folder import LOCK, OutputFolder, inside
from srm_package.output_record import RECORD, interrupted_landing, read_record
from srm_package.package import Artifact

STAMP = (2026, 6, 1, 0, 0, 0)


def artifacts(course: str = "c") -> dict[str, Artifact]:
    return {
        "html": Artifact(f"{course}-html", "dir", {"index.html": b"<p>hi</p>", "assets/site.css": b"p{}"}),
        "moodle-xml": Artifact(f"{course}-moodle.xml", "file", {"bank.xml": b"<quiz/>"}),
        "scorm12": Artifact(f"{course}-scorm12.zip", "zip", {"a.txt": b"a"}),
    }


def build_into(dist: Path, built: dict[str, Artifact], covered=None, source: Path = Path("course-a")):
    """What ``build`` does with the output folder: stage every package, then land them."""
    with OutputFolder(dist) as folder, folder.staging(STAMP) as staging:
        staged = [staging.stage(artifact, target) for target, artifact in built.items()]
        landed = folder.land(staged, list(built) if covered is None else covered, source)
    return landed


def visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_packages_land_together_and_are_recorded(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    with OutputFolder(dist) as folder, folder.staging(STAMP) as staging:
        staged = [staging.stage(artifact, target) for target, artifact in artifacts().items()]
        assert visible(dist) == []  # nothing final before landing
        assert (dist / LOCK).is_file()
        landed = folder.land(staged, ["html", "moodle-xml", "scorm12"], Path("course-a"))
    assert landed.paths == [dist / "c-html", dist / "c-moodle.xml", dist / "c-scorm12.zip"]
    assert (landed.removed, landed.changed) == ([], [])
    assert sorted(p.name for p in dist.iterdir()) == [RECORD, "c-html", "c-moodle.xml", "c-scorm12.zip"]
    record = read_record(dist)
    assert record is not None and record.landing is None
    assert {name: package.target for name, package in record.packages.items()} == {
        "c-html": "html", "c-moodle.xml": "moodle-xml", "c-scorm12.zip": "scorm12"}


def test_leaving_without_landing_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    with pytest.raises(RuntimeError), OutputFolder(dist) as folder, folder.staging(STAMP) as staging:
        staging.stage(artifacts()["html"], "html")
        raise RuntimeError("a target failed")
    assert not dist.exists()  # created for this build, so removed again
    existing = tmp_path / "existing"
    existing.mkdir()
    (existing / "old.zip").write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), OutputFolder(existing) as folder, folder.staging(STAMP) as staging:
        staging.stage(artifacts()["moodle-xml"], "moodle-xml")
        raise KeyboardInterrupt
    assert [p.name for p in existing.iterdir()] == ["old.zip"]


def test_packages_this_tool_no_longer_produces_are_removed(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build_into(dist, artifacts("old-id"))
    (dist / "notes.txt").write_text("mine")  # never written by the tool: never touched
    landed = build_into(dist, artifacts("new-id"))
    assert sorted(landed.removed) == [dist / "old-id-html", dist / "old-id-moodle.xml", dist / "old-id-scorm12.zip"]
    assert visible(dist) == ["new-id-html", "new-id-moodle.xml", "new-id-scorm12.zip", "notes.txt"]
    assert set(read_record(dist).packages) == {"new-id-html", "new-id-moodle.xml", "new-id-scorm12.zip"}


def test_packages_of_another_course_built_into_the_same_folder_are_left_alone(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build_into(dist, artifacts("one"), source=tmp_path / "one")
    landed = build_into(dist, artifacts("two"), source=tmp_path / "two")
    assert landed.removed == []
    assert len(visible(dist)) == 6
    renamed = build_into(dist, artifacts("two-renamed"), source=tmp_path / "two")
    assert sorted(p.name for p in renamed.removed) == ["two-html", "two-moodle.xml", "two-scorm12.zip"]
    assert [name for name in visible(dist) if name.startswith("one-")] == ["one-html", "one-moodle.xml",
                                                                           "one-scorm12.zip"]


def test_a_build_of_some_targets_keeps_the_packages_of_the_others(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build_into(dist, artifacts("old-id"))
    only = {"scorm12": artifacts("new-id")["scorm12"]}
    landed = build_into(dist, only)
    assert landed.removed == [dist / "old-id-scorm12.zip"]
    assert visible(dist) == ["new-id-scorm12.zip", "old-id-html", "old-id-moodle.xml"]
    # a target covered but not built (a quiz-only target of a course without a quiz) loses its old package
    landed = build_into(dist, {}, covered=["moodle-xml"])
    assert landed.removed == [dist / "old-id-moodle.xml"]


def test_a_recorded_package_changed_since_is_left_and_reported(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build_into(dist, artifacts("old-id"))
    (dist / "old-id-scorm12.zip").write_bytes(b"the user's own file now")
    replaced = dist / "old-id-html"
    os.rename(replaced, tmp_path / "moved-away")
    replaced.mkdir()  # a folder of the same name, not the one the tool wrote
    landed = build_into(dist, artifacts("new-id"))
    assert landed.removed == [dist / "old-id-moodle.xml"]
    assert sorted(landed.changed) == [dist / "old-id-html", dist / "old-id-scorm12.zip"]
    assert (dist / "old-id-scorm12.zip").read_bytes() == b"the user's own file now"
    assert replaced.is_dir()
    # no longer the tool's: the next build neither removes nor reports them again
    assert build_into(dist, artifacts("new-id")).changed == []
    assert "old-id-html" not in read_record(dist).packages


def test_debris_of_killed_builds_is_removed_and_nothing_else(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build_into(dist, artifacts())
    staging = dist / ".srm-package-abc123.part"
    (staging / ".c-html.x.part").mkdir(parents=True)
    (staging / ".c-scorm12.zip.y.part").write_bytes(b"half")
    half_swapped = dist / ".c-html.old"  # a site moved aside, then the build was killed
    half_swapped.mkdir()
    mine = [dist / ".srm-package-mine.part", dist / ".notes.old", dist / ".cache"]
    mine[0].write_text("a file, not a staging folder")
    mine[1].mkdir()
    mine[2].mkdir()
    with OutputFolder(dist):
        pass
    assert not staging.exists() and not half_swapped.exists()
    assert all(path.exists() for path in mine)


def write_record(dist: Path, data: object) -> None:
    dist.mkdir(exist_ok=True)
    (dist / RECORD).write_text(json.dumps(data), encoding="utf-8")


GOOD_RECORD = {"packages": [{"file": "c-scorm12.zip", "target": "scorm12", "source": "/c", "identity": [1, 2, 3, 4]}],
               "landing": {"staging": ".srm-package-x.part",
                           "packages": [["c-scorm12.zip", ".srm-package-x.part/.c-scorm12.zip.y.part"]]}}


@pytest.mark.parametrize("hostile", [
    "not json",
    {"packages": [{"file": "../outside.zip", "target": "scorm12", "source": "/c", "identity": [1]}]},
    {"packages": [{"file": "/etc/passwd", "target": "scorm12", "source": "/c", "identity": [1]}]},
    {"packages": [{"file": "a.zip", "target": "scorm12", "source": "/c", "identity": ["x"]}]},
    {"packages": [{"file": "a.zip", "target": "scorm12", "source": 7, "identity": [1]}]},
    {"packages": {"file": "a.zip"}},
    {**GOOD_RECORD, "landing": {"staging": "..", "packages": [["c.zip", "../c.zip"]]}},
    {**GOOD_RECORD, "landing": {"staging": ".srm-package-x.part",
                                "packages": [["c.zip", ".srm-package-x.part/../../c.zip"]]}},
    {**GOOD_RECORD, "landing": {"staging": ".srm-package-x.part", "packages": [["c.zip", "/etc/passwd"]]}},
], ids=["not-json", "climbs-out", "absolute", "identity", "source", "not-a-list", "staging-climbs", "staged-climbs",
        "staged-absolute"])
def test_a_record_that_is_not_ours_is_ignored(tmp_path: Path, hostile: object) -> None:
    if hostile == "not json":
        (tmp_path / RECORD).write_text("{", encoding="utf-8")
    else:
        write_record(tmp_path, hostile)
    assert read_record(tmp_path) is None
    assert interrupted_landing(tmp_path) is None


def test_a_huge_record_is_not_read(tmp_path: Path) -> None:
    write_record(tmp_path, {**GOOD_RECORD, "padding": "x" * (2 << 20)})
    assert read_record(tmp_path) is None


def test_a_landing_names_what_it_left_stale(tmp_path: Path) -> None:
    write_record(tmp_path, GOOD_RECORD)
    (tmp_path / "c-scorm12.zip").write_bytes(b"older")
    assert interrupted_landing(tmp_path) is None  # its staged copy is gone: it had landed
    staged = tmp_path / ".srm-package-x.part" / ".c-scorm12.zip.y.part"
    staged.parent.mkdir()
    staged.write_bytes(b"newer")
    found = interrupted_landing(tmp_path)
    assert found is not None and (found.stale, found.targets) == (("c-scorm12.zip",), ("scorm12",))
    assert "c-scorm12.zip is older than the other packages, or missing" in found.describe()


def test_inside(tmp_path: Path) -> None:
    source = tmp_path / "source"
    (source / "lessons").mkdir(parents=True)
    (tmp_path / "link").symlink_to(source / "lessons")
    assert inside(source, source) and inside(source / "dist", source)
    assert inside(tmp_path / "link" / "dist", source)
    assert not inside(tmp_path / "dist", source) and not inside(tmp_path, source)
    assert not inside(tmp_path / "source-dist", source)

