"""Validate paths: expand folders, open each package safely, run the checks for its kind."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from srm_package.validate import canvas_qti, cc, schemas, scorm
from srm_package.validate.batch import check_all, package_size
from srm_package.validate.context import PackageCheck
from srm_package.validate.detect import InputKind, input_kind, manifest_kind, scan
from srm_package.validate.files import FolderFiles, MemberError
from srm_package.validate.findings import PackageResult
from srm_package.validate.html_pages import check_pages
from srm_package.validate.limits import DEFAULT_LIMITS, Limits
from srm_package.validate.manifest import MANIFEST, check_manifest
from srm_package.validate.media import check_moodle_images, check_package_images
from srm_package.validate.moodle_backup import check_moodle_backup
from srm_package.validate.moodle_xml import check_moodle_xml, starts_with_declaration
from srm_package.validate.qti import Flavour, check_qti
from srm_package.validate.safe_xml import local_name, namespace_of
from srm_package.validate.safe_zip import ZipFiles, ZipOpenError

_ZIP_CHECKS = ("zip.not-a-zip", "zip.corrupt", "zip.encrypted", "zip.too-many-entries", "zip.too-large",
               "zip.entry-too-large", "zip.compression-ratio", "zip.path-traversal", "zip.absolute-path",
               "zip.backslash", "zip.empty-name", "zip.duplicate-name", "zip.symlink", "zip.moodle-mangled-name", "zip.risky-name")


def run_validation(paths: Iterable[Path], schemas_dir: Path | None = None, strict: bool = False,
                   limits: Limits = DEFAULT_LIMITS) -> list[PackageResult]:
    """One result per package found under ``paths`` (folders are scanned), in argument order."""
    jobs: list[tuple[Path, InputKind | None]] = []  # None: a folder with no package
    folders: list[Path] = []
    for path in paths:
        kind = input_kind(path)
        if kind is InputKind.FOLDER:
            jobs += scan(path) or [(path, None)]
            folders.append(path)
        else:
            jobs.append((path, kind))
    check = functools.partial(_validate_job, schemas_dir=schemas_dir, limits=limits)
    results = check_all(check, jobs, lambda job: package_size(job[0], job[1] is InputKind.ZIP, limits.max_entries))
    for folder in folders:
        results += _interrupted_build(folder, schemas_dir, limits)
    if strict:
        results = [_promote(result) for result in results]
    return results


def _validate_job(job: tuple[Path, InputKind | None], schemas_dir: Path | None, limits: Limits) -> PackageResult:
    path, kind = job
    if kind is None:
        ctx = PackageCheck(str(path), limits, schemas_dir, kind="folder")
        ctx.report("input.empty-folder", "holds no package (.zip, .imscc, .mbz, Moodle .xml, "
                                         "package or site folder)")
        return ctx.result()
    return _validate_one(path, kind, schemas_dir, limits)


def _interrupted_build(folder: Path, schemas_dir: Path | None, limits: Limits) -> list[PackageResult]:
    """A folder where srm-package's record says a build was killed while its packages landed."""
    from srm_package.output_record import interrupted_landing

    interrupted = interrupted_landing(folder)
    if interrupted is None:
        return []
    ctx = PackageCheck(str(folder), limits, schemas_dir, kind="folder")
    ctx.report("folder.interrupted-build", f"{interrupted.describe()}; build again")
    return [ctx.result()]


def _promote(result: PackageResult) -> PackageResult:
    return PackageResult(result.path, result.kind, result.checks, tuple(f.promoted() for f in result.findings))


def _validate_one(path: Path, kind: InputKind, schemas_dir: Path | None, limits: Limits) -> PackageResult:
    ctx = PackageCheck(str(path), limits, schemas_dir)
    try:
        if kind in (InputKind.ZIP, InputKind.XML, InputKind.MOODLE_BACKUP) and not path.is_file():
            ctx.report("input.unreadable", "is not a regular file (a device or pipe would never end)")
        elif kind is InputKind.ZIP:
            _validate_zip(ctx, path)
        elif kind is InputKind.XML:
            _validate_xml_file(ctx, path)
        elif kind is InputKind.MOODLE_BACKUP:
            check_moodle_backup(ctx, path)
        elif kind in (InputKind.PACKAGE_FOLDER, InputKind.SITE):
            _validate_folder(ctx, path, kind)
        else:
            ctx.report("input.unknown-kind", "is not a package srm-package validates: give a SCORM or Canvas "
                                             "QTI .zip, a Common Cartridge .imscc, a Moodle backup .mbz, "
                                             "a Moodle XML .xml, or a folder of them")
    except OSError as error:
        ctx.report("input.unreadable", f"cannot be read: {error.strerror or error}")
    except Exception as error:  # noqa: BLE001 - hostile input must never end in a traceback
        ctx.report("validator.crash", f"the validator failed on this package ({type(error).__name__}: {error}); "
                                      "please report it")
    return ctx.result()


def _validate_zip(ctx: PackageCheck, path: Path) -> None:
    ctx.kind = "zip"
    ctx.ran(*_ZIP_CHECKS)
    try:
        files = ZipFiles.open(path, ctx.limits, lambda check, member, message: ctx.report(check, message, member))
    except ZipOpenError as error:
        ctx.report(error.check, error.message)
        return
    if files is None:
        return
    try:
        ctx.files = files
        _validate_package(ctx)
        for name in files.names:
            if not ctx.was_read(name):
                try:
                    files.verify(name)
                except MemberError as error:
                    ctx.report(error.check, error.message, name)
    finally:
        files.close()


def _validate_folder(ctx: PackageCheck, path: Path, kind: InputKind) -> None:
    files = FolderFiles(path, ctx.limits)
    ctx.files = files
    ctx.ran("folder.symlink")
    for name, problem in files.unsafe_links:
        ctx.report("folder.symlink", problem, name)
    if len(files.names) > ctx.limits.max_entries:
        ctx.report("input.too-large", f"more than {ctx.limits.max_entries} files; not read")
        return
    if kind is InputKind.SITE:
        ctx.kind = "html"
        _check_other_xml(ctx)
        check_pages(ctx)
    else:
        _validate_package(ctx)


def _validate_package(ctx: PackageCheck) -> None:
    """A content package (zip or folder): manifest, kind-specific rules, other XML, pages."""
    ctx.ran("zip.manifest-missing", "zip.manifest-location")
    if not ctx.has(MANIFEST):
        nested = sorted((n for n in ctx.names if n.rsplit("/", 1)[-1].lower() == MANIFEST), key=len)
        if nested:
            ctx.report("zip.manifest-location", "imsmanifest.xml is inside a folder, not at the root of the zip: "
                                                "Moodle refuses it (badimsmanifestlocation) and Canvas does not "
                                                "find it; zip the folder's contents, not the folder", nested[0])
        else:
            ctx.report("zip.manifest-missing", "no imsmanifest.xml at the root: not an IMS/SCORM package "
                                               "(Moodle: nomanifest)")
        return
    raw = ctx.read(MANIFEST)
    tree = ctx.xml(MANIFEST, raw)
    if raw is None or tree is None:
        return
    root = tree.getroot()
    ctx.ran("manifest.root")
    if local_name(root) != "manifest":
        ctx.report("manifest.root", f"root element is <{local_name(root)}>, not <manifest>", MANIFEST,
                   root.sourceline)
        return
    ctx.kind = manifest_kind(root)
    index = check_manifest(ctx, root)
    ctx.ran("manifest.unknown-kind")
    if ctx.kind in scorm.MANIFEST_SCHEMA:
        ctx.validate_schema(MANIFEST, tree, scorm.MANIFEST_SCHEMA[ctx.kind])
        scorm.check_scorm(ctx, raw, root, index)
    elif ctx.kind == "cc":
        version = cc.version_of(root)
        ctx.kind = f"cc{version.replace('.', '')}" if version else "cc"
        if version in cc.MANIFEST_SCHEMA:
            ctx.validate_schema(MANIFEST, tree, cc.MANIFEST_SCHEMA[version])
        cc.check_cc(ctx, raw, root, index)
    elif ctx.kind == "canvas-qti":
        if namespace_of(root) == scorm.CP2004_NAMESPACE:
            ctx.validate_schema(MANIFEST, tree, schemas.IMSCP_MANIFEST)
        canvas_qti.check_canvas_qti(ctx, root, index)
    elif ctx.kind.startswith("qti"):
        version = canvas_qti.later_qti_package(root)
        ctx.report("manifest.unknown-kind", f"a QTI {version} package: not a format this tool checks (it checks "
                                            "QTI 1.2: Canvas QTI zips, Common Cartridges, SCORM question banks)",
                   MANIFEST, root.sourceline)
    else:
        ctx.report("manifest.unknown-kind", "an IMS content package that is neither SCORM (metadata/schema "
                                            "'ADL SCORM'), a Common Cartridge nor a Canvas QTI zip",
                   MANIFEST, root.sourceline)
    _check_other_xml(ctx)
    check_pages(ctx)
    check_package_images(ctx)


def _check_other_xml(ctx: PackageCheck) -> None:
    """Every XML member the kind's checks did not read: well-formed, safe, schema-valid if known."""
    for name in ctx.names:
        if name.lower().endswith(".xml") and not ctx.parsed(name):
            _check_xml_member(ctx, name)


def _check_xml_member(ctx: PackageCheck, name: str) -> None:
    """One XML member; its tree is freed on return, before the next one is parsed."""
    tree = ctx.xml(name)
    if tree is None:
        return
    root = tree.getroot()
    if local_name(root) == "questestinterop":
        check_qti(ctx, name, tree, Flavour.PLAIN)
        return
    for relative in schemas.BY_ROOT_NAMESPACE.get(namespace_of(root), ()):
        ctx.validate_schema(name, tree, relative)


def _validate_xml_file(ctx: PackageCheck, path: Path) -> None:
    ctx.kind = "xml"
    ctx.ran("input.too-large")
    size = path.stat().st_size
    if size > ctx.limits.max_document_size:
        ctx.report("input.too-large", f"{size} bytes, more than the limit of {ctx.limits.max_document_size}")
        return
    raw = path.read_bytes()
    tree = ctx.xml(None, raw)
    declaration_first = starts_with_declaration(raw)
    del raw  # the checks read the tree
    if tree is None:
        return
    root = tree.getroot()
    if local_name(root) == "quiz":
        ctx.kind = "moodle-xml"
        check_moodle_xml(ctx, None, tree, declaration_first)
        check_moodle_images(ctx, None, tree)
    elif local_name(root) == "questestinterop":
        ctx.kind = "qti"
        check_qti(ctx, None, tree, Flavour.PLAIN)
    else:
        ctx.ran("input.unknown-kind")
        hint = " (validate the package that holds it)" if local_name(root) == "manifest" else ""
        ctx.report("input.unknown-kind", f"an XML file with root <{local_name(root)}>: neither Moodle XML "
                                         f"(<quiz>) nor QTI (<questestinterop>){hint}", None, root.sourceline)
