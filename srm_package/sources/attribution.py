"""``citation`` and ``credits``: read the same way in ``course.yaml`` and in a lesson's front matter.

A course names its own sources and credits in ``course.yaml``; a lesson that comes from
somewhere else (the seed's Lesson 13 from an AWS Academy module) names them in its front
matter, and the page shows them with that lesson.
"""

from __future__ import annotations

from srm_package import model
from srm_package.sources.yamlfields import Located

CITATION_FIELDS = ("label", "text")


def read_citation(found: Located | None, default_label: str = "") -> model.Citation | None:
    """``{label, text}`` as a ``Citation``; ``None`` when absent or wrong (the problem is recorded).

    Without a ``label`` it gets ``default_label``, the catalog's word for "Source" in the
    course's language. A lesson file is read before (and cached apart from) its course's
    language, so there it stays "" and the loader words it with the lesson's label.
    """
    if found is None:
        return None
    fields = found.as_mapping(CITATION_FIELDS)
    if fields is None:
        return None
    label = fields.read("label", Located.text) if fields.get("label") else default_label
    text = fields.read("text", Located.markdown, required=True)
    if label is None or text is None:
        return None
    return model.Citation(label, text)


def read_credits(found: Located | None) -> tuple[str, ...] | None:
    """A list of Markdown lines; ``()`` when absent, ``None`` when wrong (the problem is recorded)."""
    if found is None:
        return ()
    items = found.as_sequence()
    if items is None:
        return None
    lines = [item.markdown() for item in items]
    return None if None in lines else tuple(lines)
