"""The images of the Moodle backup: ``files.xml`` and the file pool ``files/``.

Moodle keeps every file in a *file area*, (context, component, file area, item id), and a
text shows the files of its own area as ``@@PLUGINFILE@@/<name>``. A backup lists each
file of each area it holds in ``files.xml`` (``backup_final_files_structure_step``), with
a record for the area's root folder (``/`` named ``.``) as Moodle's file storage has one,
and stores each content once, as ``files/<first two hex digits of its SHA-1>/<SHA-1>``
(``backup_file_manager``), however many areas hold it. On restore, an activity's files are
copied only when its ``inforef.xml`` names their records (``fileref``); question files
always are, in the areas of ``restore_create_question_files``.

Written as Moodle 4.5 writes them (compared with a backup Moodle made of a Page and
questions with images): no user (a backup without users), the source the file name, the
author the course's, licence "unknown" (the site default of a Moodle 4.5 site: nothing
says which licence an image has).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import NamedTuple

from lxml import etree

from srm_package.model import MediaFile
from srm_package.package_files import Entry, FileSource
from srm_package.rich_text import Rendered
from srm_package.targets.moodle_backup_ids import BackupIds
from srm_package.targets.moodle_backup_xml import NULL, record, streamed_document

#: the content hash of an empty file: what Moodle records for a folder
_FOLDER_HASH = hashlib.sha1(b"", usedforsecurity=False).hexdigest()
#: the licence Moodle 4.5 gives a file nobody chose one for (``$CFG->sitedefaultlicense``)
LICENSE = "unknown"


class FileArea(NamedTuple):
    """Where Moodle keeps the files of one text."""

    context_id: int
    component: str
    filearea: str
    item_id: int


class QuestionAreas(NamedTuple):
    """The file areas of one question's texts: the ``question`` component's own, as
    ``backup_annotate_all_question_files`` and ``restore_create_question_files`` handle them
    (text, general and combined feedback by question id; answers and their feedback, and
    hints, by their own ids). ``context_id`` is the question category's context."""

    context_id: int
    question_id: int

    def question(self, filearea: str) -> FileArea:
        """``questiontext``, ``generalfeedback``, ``correctfeedback``, ``partiallycorrectfeedback``,
        ``incorrectfeedback``."""
        return FileArea(self.context_id, "question", filearea, self.question_id)

    def answer(self, filearea: str, answer_id: int) -> FileArea:
        """``answer`` or ``answerfeedback`` of the answer ``answer_id`` (``hint``: a hint's id)."""
        return FileArea(self.context_id, "question", filearea, answer_id)


def blob_name(sha1: str) -> str:
    """Where a backup stores the content whose SHA-1 is ``sha1``."""
    return f"files/{sha1[:2]}/{sha1}"


class BackupFiles:
    """The file records and contents of one backup, gathered while its texts are written."""

    def __init__(self, ids: BackupIds, time: int, author: str) -> None:
        self._ids = ids
        self._time = time
        self._author = author
        self._records: dict[tuple[FileArea, str], etree._Element] = {}
        self._blobs: dict[str, FileSource] = {}

    def add(self, area: FileArea, files: Iterable[MediaFile]) -> list[int]:
        """Put ``files`` in ``area`` (each once); the ids of the area's records, its folder's first."""
        files = list(files)
        if not files:
            return []
        ids = [self._record(area, ".", None)]
        for media in files:
            ids.append(self._record(area, media.name, media))
            self._blobs.setdefault(blob_name(media.sha1), FileSource(media.path, media.size))
        return ids

    def add_text(self, rendered: Rendered, *areas: FileArea) -> str:
        """The HTML of a text written in each of ``areas``, its images put in each of them."""
        for area in areas:
            self.add(area, rendered.files)
        return rendered.html

    def entries(self) -> dict[str, Entry]:
        """``files.xml`` and one file per distinct content."""
        return {"files.xml": streamed_document("files", self._records.values()), **self._blobs}

    def _record(self, area: FileArea, name: str, media: MediaFile | None) -> int:
        key = (area, name)
        record_id = self._ids("files", str(area.context_id), area.component, area.filearea, str(area.item_id), name)
        if key in self._records:
            return record_id
        folder = media is None
        self._records[key] = record(None, "file", {
            "contenthash": _FOLDER_HASH if folder else media.sha1,
            "contextid": area.context_id,
            "component": area.component,
            "filearea": area.filearea,
            "itemid": area.item_id,
            "filepath": "/",
            "filename": name,
            "userid": NULL,  # no users in the backup: the restore puts the restoring user
            "filesize": 0 if folder else media.size,
            "mimetype": NULL if folder else media.media_type,
            "status": 0,
            "timecreated": self._time,
            "timemodified": self._time,
            "source": NULL if folder else name,
            "author": NULL if folder else self._author,
            "license": NULL if folder else LICENSE,
            "sortorder": 0,
            "repositorytype": NULL,
            "repositoryid": NULL,
            "reference": NULL,
        }, id=record_id)
        return record_id
