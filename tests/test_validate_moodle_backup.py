"""``validate`` on Moodle backups: the limits of the one-pass tar reader, and zip-format backups."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from pathlib import Path

from srm_package.validate import Limits, run_validation
from tests.hostile_backups import backup_entries, tgz


def checks_found(path: Path, limits: Limits | None = None) -> dict[str, list[str | None]]:
    (result,) = run_validation([path], limits=limits or Limits())
    found: dict[str, list[str | None]] = {}
    for finding in result.findings:
        found.setdefault(finding.check, []).append(finding.member)
    return found


def test_a_gzip_bomb_stops_the_reading_at_the_ratio_limit(tmp_path):
    path = tmp_path / "bomb.mbz"
    path.write_bytes(tgz({**backup_entries(), "files/aa/zeros": bytes(4 << 20)}))
    assert path.stat().st_size < 64 * 1024
    assert checks_found(path, Limits(ratio_floor=1 << 20, max_ratio=50)) == {"zip.compression-ratio":
                                                                             ["files/aa/zeros"]}


def test_member_count_total_and_entry_size_limits(tmp_path):
    path = tmp_path / "many.mbz"
    path.write_bytes(tgz({**backup_entries(), **{f"files/{n:04}": b"x" for n in range(30)}}))
    assert checks_found(path, Limits(max_entries=20)) == {"zip.too-many-entries": [None]}
    assert checks_found(path, Limits(max_total_size=2000)) == {"zip.too-large": [None]}
    big = tmp_path / "big.mbz"
    big.write_bytes(tgz({**backup_entries(), "files/big": bytes(5000)}))
    assert checks_found(big, Limits(max_entry_size=4000)) == {"zip.entry-too-large": ["files/big"]}


def test_duplicates_and_nested_index_are_named(tmp_path):
    def twice(tar: tarfile.TarFile) -> None:
        info = tarfile.TarInfo("files.xml")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))

    path = tmp_path / "twice.mbz"
    path.write_bytes(tgz(backup_entries(), twice))
    assert checks_found(path) == {"zip.duplicate-name": ["files.xml"]}
    nested = tmp_path / "nested.mbz"
    nested.write_bytes(tgz({f"backup/{name}": data for name, data in backup_entries().items()}))
    (result,) = run_validation([nested])
    (finding,) = result.findings
    assert finding.check == "mbz.index-missing" and "backup/moodle_backup.xml" in finding.message


def test_a_zip_format_backup_is_read_like_moodle_reads_it(tmp_path):
    path = tmp_path / "zipped.mbz"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in backup_entries().items():
            archive.writestr(name, data)
    (result,) = run_validation([path])
    assert result.kind == "moodle-backup" and result.findings == ()
    broken = tmp_path / "broken.mbz"
    broken.write_bytes(path.read_bytes()[:-30])
    assert checks_found(broken) == {"mbz.corrupt": [None]}


def test_a_damaged_member_deep_in_the_stream_is_corrupt_not_a_crash(tmp_path):
    raw = gzip.decompress(tgz({**backup_entries(), "files/zz/data": bytes(range(256)) * 40}))
    cut = raw.index(b"files/zz/data") + 512 + 5000  # the archive stops inside that member's data
    damaged = gzip.compress(raw[:cut], mtime=0)
    path = tmp_path / "damaged.mbz"
    path.write_bytes(damaged)
    assert set(checks_found(path)) == {"mbz.corrupt"}
