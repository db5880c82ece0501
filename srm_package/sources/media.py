"""Image files that lessons and quizzes refer to: found, checked and described once.

A reference (``![alt](figures/cloud.png)``) is a path relative to the file that holds
it, written with ``/``, that stays inside the course folder. The file's *content*
decides its type (PNG, JPEG, GIF and WebP by their signature, confirmed by Pillow,
which also gives the pixel size; SVG by its root element), and the extension must
say the same. An SVG may hold no script, no event handler, no ``foreignObject`` and
no reference outside itself, so that it stays a picture wherever an LMS shows it.

Everything found is returned as ``FoundImage`` records; the course reader gives
files of identical content one name (``MediaNames``), so each package stores them once.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from srm_package import model

#: above this an image only warns: LMS pages load slowly and Moodle XML embeds it in base64
WARN_BYTES = 1024 * 1024
#: above this an image is refused: it is read whole to be checked and embedded
MAX_BYTES = 50 * 1024 * 1024
#: extension → (media type, what it is called in messages)
EXTENSIONS = {
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".svg": "image/svg+xml",
}
#: media type → the extension a package name gets
_PACKAGE_EXTENSION = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp",
                      "image/svg+xml": "svg"}
_KIND = {"image/png": "a PNG", "image/jpeg": "a JPEG", "image/gif": "a GIF", "image/webp": "a WebP",
         "image/svg+xml": "an SVG"}
_PILLOW_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)|@import", re.IGNORECASE)
_NUMBER = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(px)?\s*")


class ImageProblem(ValueError):
    """The reference or its file cannot be used; the message says why."""


@dataclass(frozen=True)
class FoundImage:
    """A checked image file."""

    digest: str
    media_type: str
    size: int
    width: int | None
    height: int | None
    #: absolute path of the file
    path: str
    #: path inside the course folder, with '/'
    course_path: str
    #: SHA-1 of the content (Moodle's file pool names files by it)
    sha1: str


class ImageFinder:
    """Resolves and checks the image references of one course folder; each file is read once."""

    def __init__(self, course_dir: Path) -> None:
        self.course_dir = course_dir.resolve()
        self.found: dict[str, FoundImage] = {}  # by absolute path
        self._refused: dict[str, str] = {}

    def resolve(self, src: str, containing_file: Path) -> tuple[FoundImage, list[str]]:
        """The image ``src`` (as a Markdown token gives it) of ``containing_file``, and
        warnings about it; raises ``ImageProblem``."""
        path = self._path(src, containing_file)
        key = str(path)
        if key in self._refused:
            raise ImageProblem(self._refused[key])
        found = self.found.get(key)
        if found is None:
            try:
                found = self.found[key] = self._read(path)
            except ImageProblem as problem:
                self._refused[key] = str(problem)
                raise
        warnings = []
        if found.size > WARN_BYTES:
            warnings.append(f"{found.course_path} is {found.size / 1024 / 1024:.1f} MiB; images over "
                            f"{WARN_BYTES // 1024 // 1024} MiB make pages slow to load and Moodle XML files large "
                            "(resize or compress it)")
        return found, warnings

    def _path(self, src: str, containing_file: Path) -> Path:
        if not src:
            raise ImageProblem("the image has no path")
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:
            raise ImageProblem(f"{src!r} is not a file in the course folder: images are packaged, never "
                               "loaded from elsewhere (save it into the course folder)")
        relative = unquote(parts.path)
        if parts.query or parts.fragment:
            raise ImageProblem(f"{src!r}: an image path has no '?' or '#' part")
        if "\\" in relative or relative.startswith("/"):
            raise ImageProblem(f"{src!r} must be a relative path written with '/'")
        base = containing_file.resolve().parent
        target = (base / PurePosixPath(relative)).resolve()
        if not target.is_relative_to(self.course_dir):
            raise ImageProblem(f"{src!r} leaves the course folder")
        return target

    def _read(self, path: Path) -> FoundImage:
        shown = path.relative_to(self.course_dir).as_posix()
        media_type = EXTENSIONS.get(path.suffix.lower())
        if media_type is None:
            raise ImageProblem(f"{shown}: unsupported image type {path.suffix or '(no extension)'!r}; use "
                               "PNG, JPEG, GIF, WebP or SVG (.png, .jpg, .jpeg, .gif, .webp, .svg)")
        try:
            if not path.is_file():
                raise ImageProblem(f"{shown}: no such file" if not path.exists() else f"{shown} is not a file")
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise ImageProblem(f"{shown} is {size / 1024 / 1024:.0f} MiB, more than the limit of "
                                   f"{MAX_BYTES // 1024 // 1024} MiB")
            data = path.read_bytes()
        except OSError as error:
            raise ImageProblem(f"{shown}: cannot read the file ({error.strerror})") from None
        actual = sniff(data)
        if actual is None:
            raise ImageProblem(f"{shown} is not an image (its content is none of PNG, JPEG, GIF, WebP, SVG)")
        if actual != media_type:
            raise ImageProblem(f"{shown} is {_KIND[actual]} file, not what its extension {path.suffix!r} says; "
                               f"rename it to .{_PACKAGE_EXTENSION[actual]}")
        if media_type == "image/svg+xml":
            width, height = check_svg(data, shown)
        else:
            width, height = _raster_size(path, media_type, shown)
        return FoundImage(hashlib.sha256(data).hexdigest(), media_type, len(data), width, height, str(path), shown,
                          hashlib.sha1(data, usedforsecurity=False).hexdigest())


def sniff(data: bytes) -> str | None:
    """The media type ``data`` starts like (signatures of the five formats), else ``None``."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and b"<svg" in head:
        return "image/svg+xml"
    return None


def _raster_size(path: Path, media_type: str, shown: str) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError  # only courses with raster images import it

    try:
        with Image.open(path) as image:
            kind, size = _PILLOW_FORMATS.get(image.format or ""), image.size
            image.verify()  # structure and checksums (PNG chunks), without decoding the pixels
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ImageProblem(f"{shown} is damaged or not a readable image ({error})") from None
    except Image.DecompressionBombError:
        raise ImageProblem(f"{shown} has too many pixels to be a picture on a page") from None
    if kind != media_type:
        raise ImageProblem(f"{shown} is not a valid {_KIND[media_type]} file")
    return size


def check_svg(data: bytes, shown: str) -> tuple[int | None, int | None]:
    """Refuse an SVG that could run code or load anything; return its size in pixels if it says."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise ImageProblem(f"{shown} is not well-formed SVG: {error}") from None
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None and tree.docinfo.internalDTD.iterentities():
        raise ImageProblem(f"{shown} declares XML entities; save it as plain SVG")
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ImageProblem(f"{shown}: the root element is not <svg> in the SVG namespace")
    for node in root.iter():
        if not isinstance(node.tag, str):
            if isinstance(node, etree._ProcessingInstruction):
                raise ImageProblem(f"{shown}: processing instruction <?{node.target} ...?> (line {node.sourceline}) "
                                   "is not allowed in an image")
            continue
        _check_svg_element(node, shown)
    return _svg_length(root.get("width")), _svg_length(root.get("height"))


def _check_svg_element(node, shown: str) -> None:
    local = node.tag.rsplit("}", 1)[-1]
    where = f"{shown} line {node.sourceline}"
    if local == "script":
        raise ImageProblem(f"{where}: an SVG image may not hold a <script>")
    if local == "foreignObject":
        raise ImageProblem(f"{where}: an SVG image may not hold a <foreignObject> (HTML inside SVG)")
    for name, value in node.attrib.items():
        bare = name.rsplit("}", 1)[-1]
        if bare.lower().startswith("on"):
            raise ImageProblem(f"{where}: event handler attribute {bare!r} is not allowed in an image")
        if bare in ("href", "src") and not value.strip().startswith("#"):
            raise ImageProblem(f"{where}: <{local}> refers to {value.strip()[:80]!r}; an SVG image may only refer "
                               "to its own parts ('#id')")
        if bare == "style":
            _check_css(value, where)
    if local == "style":
        _check_css(node.text or "", where)


def _check_css(css: str, where: str) -> None:
    for match in _CSS_URL.finditer(css):
        target = match.group(1)
        if target is None or not target.startswith("#"):
            raise ImageProblem(f"{where}: the SVG's CSS loads {'@import' if target is None else target[:80]!r}; "
                               "an SVG image may only refer to its own parts")


def _svg_length(value: str | None) -> int | None:
    """A width or height in pixels (``120`` or ``120px``); ``None`` for other units or none."""
    match = _NUMBER.fullmatch(value or "")
    return round(float(match.group(1))) if match else None


# ------------------------------------------------------------------- naming
def media_files(found: list[FoundImage]) -> tuple[model.MediaFile, ...]:
    """One ``MediaFile`` per distinct content, named after the first of its paths (in
    course order of paths) plus a digest prefix: readable in an LMS's file list, unique,
    and the same in every build."""
    by_digest: dict[str, FoundImage] = {}
    for image in sorted(found, key=lambda image: image.course_path):
        by_digest.setdefault(image.digest, image)
    files = [
        model.MediaFile(image.digest, _package_name(image), image.media_type, image.size, image.width,
                        image.height, image.path, image.sha1)
        for image in by_digest.values()
    ]
    return tuple(sorted(files, key=lambda media: media.name))


def _package_name(image: FoundImage) -> str:
    stem = PurePosixPath(image.course_path).stem
    words = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:40].strip("-") or "image"
    return f"{words}-{image.digest[:12]}.{_PACKAGE_EXTENSION[image.media_type]}"
