"""``validate`` on Moodle backups: the limits of the one-pass tar reader, and zip-format backups."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from pathlib import Path

from lxml import etree

from srm_package.validate import Limits, run_validation
from tests.hostile_backups import (
    PICTURE,
    PICTURE_CONTENT,
    PICTURE_SHA1,
    backup_entries,
    backup_with_image,
    backup_with_quiz,
    tgz,
)


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


def test_a_page_image_with_its_record_content_and_inforef_passes(tmp_path):
    path = tmp_path / "image.mbz"
    path.write_bytes(tgz(backup_with_image()))
    (result,) = run_validation([path])
    assert result.findings == ()
    assert {"mbz.file-record", "mbz.file-content", "mbz.file-not-restored"} <= set(result.checks)


def test_a_backup_made_without_file_contents_needs_no_content(tmp_path):
    """Moodle's "include files: no" backups hold the records but not the contents."""
    entries = backup_with_image(content=False)
    entries["moodle_backup.xml"] = entries["moodle_backup.xml"].replace(
        b"<original_course_id>", b"<include_files>0</include_files><original_course_id>")
    path = tmp_path / "no-contents.mbz"
    path.write_bytes(tgz(entries))
    (result,) = run_validation([path])
    assert result.findings == ()


def test_question_texts_are_checked_in_their_own_areas(tmp_path):
    """A question's answer shows a file recorded for another answer: reported at its line."""
    entries = backup_entries()
    entries["questions.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<question_categories>\n'
        b'<question_category id="5"><contextid>20</contextid><questions><question id="9">\n'
        b'<questiontext>&lt;img src="@@PLUGINFILE@@/a.png"&gt;</questiontext>\n'
        b'<plugin_qtype_multichoice_question><answers>\n'
        b'<answer id="70"><answertext>&lt;img src="@@PLUGINFILE@@/b%20c.png"&gt;</answertext></answer>\n'
        b'</answers><multichoice id="3"><correctfeedback>&lt;img src="@@PLUGINFILE@@/a.png"&gt;'
        b'</correctfeedback></multichoice></plugin_qtype_multichoice_question>\n'
        b'</question></questions></question_category>\n</question_categories>\n')
    files = etree.Element("files")
    for file_id, area, item, name in ((1, "questiontext", "9", "a.png"), (2, "answer", "71", "b c.png"),
                                      (3, "correctfeedback", "9", "a.png")):
        row = etree.SubElement(files, "file", id=str(file_id))
        for field, value in (("contenthash", PICTURE_SHA1), ("contextid", "20"), ("component", "question"),
                             ("filearea", area), ("itemid", item), ("filepath", "/"), ("filename", name)):
            etree.SubElement(row, field).text = value
    entries["files.xml"] = etree.tostring(files, xml_declaration=True, encoding="UTF-8")
    entries[PICTURE_CONTENT] = PICTURE
    path = tmp_path / "questions.mbz"
    path.write_bytes(tgz(entries))
    (result,) = run_validation([path])
    assert [(f.check, f.member, f.line) for f in result.findings] == [("mbz.file-record", "questions.xml", 6)]
    assert "'/b c.png'" in result.findings[0].message and "question/answer, item 70" in result.findings[0].message


def test_quiz_slots_must_ask_what_the_bank_holds(tmp_path):
    good = tmp_path / "quiz.mbz"
    good.write_bytes(tgz(backup_with_quiz()))
    assert checks_found(good) == {}
    lost = tmp_path / "lost.mbz"
    lost.write_bytes(tgz(backup_with_quiz(entry="99")))
    assert checks_found(lost) == {"mbz.question-reference": ["activities/quiz_8/quiz.xml"]}
