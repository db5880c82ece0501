"""Checking the images and formulas of one inline text, where it is read.

Lessons and quizzes call ``check_text`` for every run of text they read; it parses the
text with the same parser the writers use (``rich_text.PARSER``), so what passes here
is exactly what gets rendered. Each problem goes to ``report(severity, field, message)``,
which the caller turns into a ``Problem`` at the text's file and line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from srm_package import formulas
from srm_package.markup import walk_inline
from srm_package.model import ImageRef
from srm_package.rich_text import DECORATIVE, PARSER, image_alt, is_decorative, may_be_rich
from srm_package.sources.media import ImageFinder, ImageProblem

Report = Callable[[str, str, str], None]
#: where images may appear, for the message when one stands elsewhere
IMAGE_PLACES = "lesson bodies and question texts (stem, choices, feedback, explanation)"


class TextChecker:
    """Checks the texts of one file; keeps the image references they make."""

    def __init__(self, file: str, finder: ImageFinder | None) -> None:
        self.file = Path(file)
        self.finder = finder
        self.images: dict[str, ImageRef] = {}

    def check(self, markdown: str, report: Report, *, images_allowed: bool = True) -> None:
        if not may_be_rich(markdown):
            return
        for token in walk_inline(PARSER.parseInline(markdown)):
            if token.type in ("math_inline", "math_inline_double"):
                check_formula(token.content.strip(), report, display=token.type == "math_inline_double")
            elif token.type == "image":
                self._image(token, report, images_allowed)

    def _image(self, token, report: Report, images_allowed: bool) -> None:
        src = str(token.attrs.get("src", ""))
        if not images_allowed or self.finder is None:
            report("error", "image", f"images are allowed only in {IMAGE_PLACES}")
            return
        extra = sorted(name for name in token.attrs if name not in ("src", "alt", "title", "class"))
        classes = str(token.attrs.get("class", "")).split()
        if extra or any(name != DECORATIVE for name in classes):
            report("error", "image", f"only {{.{DECORATIVE}}} may follow an image; found "
                                     f"{', '.join([*extra, *(f'.{c}' for c in classes if c != DECORATIVE)])}")
        if not is_decorative(token) and not image_alt(token).strip():
            report("error", "image", f"the image {src!r} has no alt text: describe what it shows, "
                                     f"![a bar chart of ...]({src}); mark a purely decorative image with "
                                     f"![]({src}){{.{DECORATIVE}}}")
        try:
            found, warnings = self.finder.resolve(src, self.file)
        except ImageProblem as problem:
            report("error", "image", str(problem))
            return
        for warning in warnings:
            report("warning", "image", warning)
        self.images.setdefault(src, ImageRef(src, found.digest))

    @property
    def refs(self) -> tuple[ImageRef, ...]:
        return tuple(self.images[src] for src in sorted(self.images))


def check_formula(tex: str, report: Report, *, display: bool = False) -> None:
    problem = formulas.check(tex, display=display)
    if problem is not None:
        report("error", "math", f"invalid LaTeX in ${tex[:60]}$: {problem}")


def formula_problems(markdown: str) -> list[str]:
    """What is wrong with the formulas of ``markdown`` (for texts that may hold no image)."""
    if "$" not in markdown:
        return []
    found: list[str] = []
    for token in walk_inline(PARSER.parseInline(markdown)):
        if token.type in ("math_inline", "math_inline_double"):
            check_formula(token.content.strip(), lambda severity, field, message: found.append(message))
    return found
