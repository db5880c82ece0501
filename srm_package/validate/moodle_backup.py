"""Moodle course backups (``.mbz``): the archive is safe, Moodle recognises it, nothing it names is missing.

Moodle restores a gzip'd tar or a zip (``mbz_packer``). It recognises a Moodle 2+ backup by
the first 200 bytes of ``moodle_backup.xml`` (``convert_helper::detect_moodle2_format``: the
declaration exactly ``<?xml version="1.0" encoding="UTF-8"?>``, then ``<moodle_backup>`` and
``<information>``), and its restore then reads, unconditionally, the files listed in
``_ROOT_FILES`` and, for each folder the index names, the files of ``_FOLDER_FILES``
(``backup/moodle2/restore_*_task.class.php``); a missing one stops the restore.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from srm_package.validate.context import PackageCheck
from srm_package.validate.files import MemberError
from srm_package.validate.moodle_backup_files import check_backup_files
from srm_package.validate.safe_tar import GZIP_MAGIC, TarFiles, TarOpenError
from srm_package.validate.safe_xml import child, children, local_name, text_of
from srm_package.validate.safe_zip import ZipFiles, ZipOpenError

INDEX = "moodle_backup.xml"
_DETECTION_BYTES = 200
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'
_ROOT_FILES = ("files.xml", "roles.xml", "groups.xml", "scales.xml", "outcomes.xml", "questions.xml")
#: what the restore reads in each kind of folder; ``{module}`` is the activity's module name
_FOLDER_FILES = {
    "course": ("course.xml", "roles.xml"),
    "section": ("section.xml",),
    "activity": ("module.xml", "{module}.xml", "roles.xml", "grades.xml"),
}
_CONTAINER_CHECKS = ("mbz.not-an-archive", "mbz.corrupt", "mbz.member-type", "mbz.tar-extension",
                     "zip.too-many-entries", "zip.too-large", "zip.entry-too-large", "zip.compression-ratio",
                     "zip.path-traversal", "zip.absolute-path", "zip.backslash", "zip.empty-name",
                     "zip.duplicate-name")
_INDEX_CHECKS = ("mbz.index-missing", "mbz.not-moodle2", "mbz.index-invalid", "mbz.file-missing")


def check_moodle_backup(ctx: PackageCheck, path: Path) -> None:
    ctx.kind = "moodle-backup"
    ctx.ran(*_CONTAINER_CHECKS)
    files = _open(ctx, path)
    if files is None:
        return
    ctx.files = files
    try:
        information = _check_index(ctx)
        if information is not None:
            check_backup_files(ctx, information)
        for name in ctx.names:
            if name.lower().endswith(".xml"):
                if not ctx.parsed(name):  # read by the checks above (a second read inflates the archive again)
                    ctx.xml(name)  # well-formed, UTF-8, no entities
            elif isinstance(files, ZipFiles):
                _verify(ctx, files, name)
    finally:
        files.close()


def _open(ctx: PackageCheck, path: Path) -> TarFiles | ZipFiles | None:
    def report(check: str, member: str | None, message: str) -> None:
        ctx.report(check, message, member)

    with path.open("rb") as stream:
        gzipped = stream.read(2) == GZIP_MAGIC
    try:
        if gzipped:
            return TarFiles.open(path, ctx.limits, report, keep=lambda name: name.lower().endswith(".xml"))
        return ZipFiles.open(path, ctx.limits, report)
    except TarOpenError as error:
        ctx.report(error.check, error.message)
    except ZipOpenError as error:
        check = "mbz.not-an-archive" if error.check == "zip.not-a-zip" else "mbz.corrupt"
        ctx.report(check, "neither a gzip'd tar nor a zip: not a Moodle backup" if check == "mbz.not-an-archive"
                   else error.message)
    return None


def _verify(ctx: PackageCheck, files: ZipFiles, name: str) -> None:
    try:
        files.verify(name)
    except MemberError as error:
        ctx.report(error.check, error.message, name)


def _check_index(ctx: PackageCheck) -> etree._Element | None:
    """Check the index and what it names; its ``<information>`` when it could be read."""
    ctx.ran(*_INDEX_CHECKS)
    if not ctx.has(INDEX):
        nested = sorted((n for n in ctx.names if n.rsplit("/", 1)[-1] == INDEX), key=len)
        where = f"; it is in a folder ({nested[0]}): archive the backup's contents, not its folder" if nested else ""
        ctx.report("mbz.index-missing", f"no {INDEX} at the root: Moodle cannot restore it{where}")
        return None
    raw = ctx.read(INDEX)
    if raw is None:
        return None
    head = raw[:_DETECTION_BYTES]
    if not (_DECLARATION in head and b"<moodle_backup>" in head and b"<information>" in head):
        ctx.report("mbz.not-moodle2", f"Moodle recognises a backup by {_DECLARATION.decode()} (double quotes), "
                                      "<moodle_backup> and <information> in the first 200 bytes of "
                                      f"{INDEX}; without them it reports an unknown backup format", INDEX, 1)
    tree = ctx.xml(INDEX, raw)
    if tree is None:
        return None
    information = child(tree.getroot(), "information")
    if local_name(tree.getroot()) != "moodle_backup" or information is None:
        ctx.report("mbz.index-invalid", f"{INDEX} has no <moodle_backup>/<information>", INDEX, 1)
        return None
    details = child(information, "details")
    detail = child(details, "detail") if details is not None else None
    backup_format = text_of(child(detail, "format")) if detail is not None else ""
    if backup_format != "moodle2":
        ctx.report("mbz.not-moodle2", f"details/detail/format is {backup_format or 'missing'!r}, not 'moodle2'",
                   INDEX, (detail if detail is not None else information).sourceline)
    required = [(name, information) for name in _ROOT_FILES]
    if _root_setting(information, "users") == "1":
        required.append(("users.xml", information))
    contents = child(information, "contents")
    for kind, element in _named_folders(contents):
        folder = text_of(child(element, "directory")).strip("/")
        if not folder or folder.startswith(("/", "\\")) or ".." in folder.replace("\\", "/").split("/"):
            ctx.report("mbz.index-invalid", f"the {kind} folder {folder!r} is not a folder inside the backup",
                       INDEX, element.sourceline)
            continue
        module = text_of(child(element, "modulename"))
        required += [(f"{folder}/{name.format(module=module)}", element) for name in _FOLDER_FILES[kind]]
    for name, element in required:
        if not ctx.has(name):
            ctx.report("mbz.file-missing", f"{INDEX} (line {element.sourceline}) names what {name} holds, and "
                                           "Moodle's restore stops without it", name)
    return information


def _named_folders(contents: etree._Element | None) -> Iterator[tuple[str, etree._Element]]:
    """(kind, element) for the course, every section and every activity the index lists."""
    if contents is None:
        return
    for element in children(contents, "course"):
        yield "course", element
    for kind, group in (("section", "sections"), ("activity", "activities")):
        for holder in children(contents, group):
            for element in children(holder, kind):
                yield kind, element


def _root_setting(information: etree._Element, name: str) -> str:
    settings = child(information, "settings")
    for setting in children(settings, "setting") if settings is not None else ():
        if text_of(child(setting, "level")) == "root" and text_of(child(setting, "name")) == name:
            return text_of(child(setting, "value"))
    return ""
