"""Canvas's own extension files: quiz settings, modules, and wiki page metadata.

Canvas reads quiz settings only from ``<assessment ident>/assessment_meta.xml``, modules
only from ``course_settings/module_meta.xml`` and pages only from ``wiki_content/``
(lms-targets 2.1, 2.2). Standard importers such as Moodle ignore these files.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from lxml.builder import ElementMaker

from srm_package.model import Quiz
from srm_package.rich_text import TextRenderer
from srm_package.targets.identifiers import stable_id
from srm_package.targets.qti import TEXT_STYLES, Profile

CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA_LOCATION = f"{CANVAS_NS} https://canvas.instructure.com/xsd/cccv1p0.xsd"
ASSESSMENT_META = "assessment_meta.xml"

C = ElementMaker(namespace=CANVAS_NS, nsmap={None: CANVAS_NS, "xsi": XSI_NS})

#: the quiz description shows no image (the loader allows none there), only formulas
_CANVAS_TEXT = TextRenderer(TEXT_STYLES[Profile.CANVAS])


def _bool(value: bool) -> str:
    return "true" if value else "false"


def assessment_meta(quiz: Quiz, *, ident: str, scope: str = "") -> bytes:
    """The quiz settings Canvas applies to the assessment ``ident`` (a graded quiz).

    Imported unpublished (``available`` false), so the instructor sets dates and
    publishes it; attempts, answer shuffling and showing correct answers come from
    the source.
    """
    points = f"{float(quiz.points)}"
    attempts = "-1" if quiz.max_attempts is None else str(quiz.max_attempts)
    quiz_element = C.quiz(
        C.title(quiz.title),
        C.description(_CANVAS_TEXT.inline(quiz.instructions)),
        C.shuffle_answers(_bool(quiz.shuffle.choices)),
        C.scoring_policy("keep_highest"),
        C.quiz_type("assignment"),
        C.points_possible(points),
        C.show_correct_answers(_bool(quiz.show_correct_answers)),
        C.allowed_attempts(attempts),
        C.one_question_at_a_time("false"),
        C.cant_go_back("false"),
        C.available("false"),
        C.assignment(
            C.title(quiz.title),
            C.workflow_state("unpublished"),
            C.quiz_identifierref(ident),
            C.points_possible(points),
            C.grading_type("points"),
            C.submission_types("online_quiz"),
            identifier=stable_id("assignment_", scope, quiz.id),
        ),
        identifier=ident,
    )
    return _document(quiz_element)


@dataclass(frozen=True)
class ModuleItem:
    identifier: str
    #: "WikiPage" or "Quizzes::Quiz"
    content_type: str
    title: str
    #: the page's or quiz's identifier (wiki meta ``identifier`` / assessment ident)
    identifierref: str
    published: bool = True


@dataclass(frozen=True)
class Module:
    identifier: str
    title: str
    items: tuple[ModuleItem, ...]


def module_meta(modules: list[Module]) -> bytes:
    """``course_settings/module_meta.xml``: one Canvas module per lesson."""
    return _document(
        C.modules(
            *(
                C.module(
                    C.title(module.title),
                    C.workflow_state("active"),
                    C.position(str(position)),
                    C.require_sequential_progress("false"),
                    C.items(*(_module_item(item, n) for n, item in enumerate(module.items, 1))),
                    identifier=module.identifier,
                )
                for position, module in enumerate(modules, 1)
            )
        )
    )


def _module_item(item: ModuleItem, position: int) -> etree._Element:
    return C.item(
        C.content_type(item.content_type),
        C.workflow_state("active" if item.published else "unpublished"),
        C.title(item.title),
        C.identifierref(item.identifierref),
        C.position(str(position)),
        C.indent("0"),
        identifier=item.identifier,
    )


def wiki_page(html: str, *, identifier: str) -> bytes:
    """A rendered page with the ``<meta>`` fields Canvas reads from ``wiki_content/`` files."""
    import lxml.html  # here: only the cartridge has pages, and the quiz-only targets skip its import

    document = lxml.html.document_fromstring(html)
    head = document.find("head")
    if head is None:
        raise ValueError("the rendered page has no <head>")
    for name, content in (
        ("identifier", identifier),
        ("editing_roles", "teachers"),
        ("workflow_state", "active"),
    ):
        meta = etree.SubElement(head, "meta", name=name, content=content)
        meta.tail = "\n"
    return lxml.html.tostring(document, doctype="<!DOCTYPE html>", encoding="utf-8")


def _document(root: etree._Element) -> bytes:
    root.set(f"{{{XSI_NS}}}schemaLocation", _SCHEMA_LOCATION)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
