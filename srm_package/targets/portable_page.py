"""A lesson as LMS-native page content: it reads well where the LMS keeps only plain HTML.

Moodle's cartridge import runs pages through HTML Purifier (XHTML 1.0 Transitional):
it drops every ``id``, ``role``, ``aria-*``, HTML5 sectioning element and the
stylesheet ``<link>`` (lms-targets §7); Canvas keeps a page's body only; Open edX
leaves a relative stylesheet link broken. So this content carries no ids, no in-page
(``#``) links, no stylesheet and no script, and its essential presentation is in the
HTML itself: ``<strong>`` titles, a comparison as a real table, and ``style``
attributes (HTML Purifier and Canvas keep those). It is not under the student site's
Content-Security-Policy: the cartridge page allows inline style and nothing else.

The cartridge (``cc``) ships it as a page, the Moodle backup (``moodle-backup``) as
the content of a Page activity.
"""

from __future__ import annotations

import lxml.html
from lxml import etree

from srm_package import i18n
from srm_package.markup import inline_html
from srm_package.model import Course, Lesson
from srm_package.render import CARTRIDGE_PAGE_TEXT, render_lesson_page
from srm_package.rich_text import TextStyle

#: only inline style and images in the package: no scripts, no stylesheets, no network
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'none'"
)

#: the essential look of each class the lesson templates write (from site.css, in
#: properties HTML Purifier and Canvas keep); text stays in the LMS theme's colour
_STYLES = {
    "lesson-number": "margin: 0; font-size: 0.85em; font-weight: bold; text-transform: uppercase; "
                     "letter-spacing: 0.06em; color: #174a84",
    "lesson-subtitle": "font-size: 1.15em; color: #4a5565",
    "table-wrap": "margin: 1.25em 0; overflow-x: auto",
    "comparison": "margin: 1.25em 0",
    "callout": "margin: 1.5em 0; padding: 0.75em 1.25em; border: 1px solid #dbe1e8; "
               "border-left: 5px solid #b9c3cf; background-color: #f2f4f7",
    "callout-key-principle": "border-color: #c5d8ef; border-left-color: #1f5fa8; background-color: #edf3fb",
    "callout-exam-tip": "border-color: #f0d6ad; border-left-color: #c9791b; background-color: #fff6e6",
    "callout-warning": "border-color: #f2c4c0; border-left-color: #a3221a; background-color: #fdeeed",
    "callout-title": "margin: 0 0 0.4em; text-transform: uppercase; letter-spacing: 0.06em",
    "code": "padding: 0.75em 1em; overflow-x: auto; background-color: #f2f4f7; border: 1px solid #dbe1e8",
    "align-center": "text-align: center",
    "align-right": "text-align: right",
    "site-footer": "margin-top: 2em; padding-top: 1em; border-top: 1px solid #dbe1e8; font-size: 0.9em; "
                   "color: #4a5565",
}
_TABLE_STYLE = "width: 100%; border-collapse: collapse"
_CELL_STYLE = "padding: 0.5em 0.75em; border: 1px solid #dbe1e8; text-align: left; vertical-align: top"
_HEADER_STYLE = "background-color: #edf3fb"
#: HTML5 elements the importers drop (Purifier) or may not style: their content stays
_SECTIONING = frozenset({"article", "section", "header", "footer", "nav", "main", "aside"})
#: attributes that point at ids, or mean something only with a stylesheet or script
_DROPPED_ATTRIBUTES = ("id", "role", "tabindex", "aria-labelledby", "aria-describedby", "aria-label")


def lesson_fragment(course: Course, lesson: Lesson, style: TextStyle = CARTRIDGE_PAGE_TEXT) -> str:
    """The lesson (header, introduction, sections) and the course footer, as one ``<div>``,
    its images and formulas written in ``style`` (the Moodle backup's Page: ``@@PLUGINFILE@@``)."""
    return lxml.html.tostring(_portable_body(course, lesson, style), encoding="unicode")


def lesson_document(course: Course, lesson: Lesson) -> str:
    """The same content as a whole HTML page (the cartridge's ``wiki_content`` file)."""
    return _document(course, f"{lesson.label} — {course.title}", _portable_body(course, lesson))


def course_overview_document(course: Course) -> str:
    """A page about the course: its title, its lessons (plain text: no links) and the footer."""
    body = lxml.html.Element("div", {"class": "srm-lesson", **_direction(course)})
    etree.SubElement(body, "h1").text = course.title
    etree.SubElement(body, "p").text = i18n.course_overview_intro(i18n.strings_for(course))
    lessons = etree.SubElement(body, "ol")
    for lesson in course.lessons:
        item = etree.SubElement(lessons, "li")
        etree.SubElement(item, "strong").text = lesson.label
        if lesson.subtitle:
            item.append(lxml.html.fragment_fromstring(inline_html(lesson.subtitle), create_parent="span"))
            item[-1].text = " — " + (item[-1].text or "")
    footer = _portable_body(course, course.lessons[0]).find_class("site-footer")
    body.extend(footer)
    return _document(course, course.title, body)


def _document(course: Course, title: str, body: etree._Element) -> str:
    html = etree.Element("html", lang=course.language, **_direction(course))
    head = etree.SubElement(html, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    etree.SubElement(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    etree.SubElement(head, "meta", {"http-equiv": "Content-Security-Policy", "content": CONTENT_SECURITY_POLICY})
    etree.SubElement(head, "meta", name="author", content=course.author)
    etree.SubElement(head, "title").text = title
    etree.SubElement(html, "body").append(body)
    return lxml.html.tostring(html, doctype="<!DOCTYPE html>", encoding="unicode") + "\n"


def _direction(course: Course) -> dict[str, str]:
    """``dir="rtl"`` for a right-to-left course (nothing otherwise: left to right is the default)."""
    return {"dir": "rtl"} if i18n.text_direction(course.language) == "rtl" else {}


def _portable_body(course: Course, lesson: Lesson, style: TextStyle = CARTRIDGE_PAGE_TEXT) -> etree._Element:
    page = lxml.html.document_fromstring(render_lesson_page(course, lesson, stylesheet_href="", style=style))
    # the LMS shows the fragment inside its own page: the direction travels with it
    body = lxml.html.Element("div", {"class": "srm-lesson", **_direction(course)})
    body.text = "\n"
    for part in (page.find(".//article"), page.find(".//footer")):
        if part is not None:
            body.append(part)
    for comparison in body.find_class("comparison"):
        _comparison_table(comparison)
    _make_portable(body)
    return body


def _make_portable(body: etree._Element) -> None:
    """Drop what points at ids or needs a stylesheet; put each class's look in ``style``.

    XPath picks the few elements each rule concerns (a lesson has ~1,000 elements).
    """
    boxes = _SCROLL_BOXES(body)
    if boxes:
        by_id = {element.get("id"): element for element in _WITH_ID(body)}
        for box in boxes:
            _name_by_label(box, by_id)
    for element in _WITH_DROPPED_ATTRIBUTES(body):
        kept = _SCROLL_BOX_ATTRIBUTES if element.get("class", "").split()[:1] in _SCROLLING else ()
        for name in _DROPPED_ATTRIBUTES:
            if name not in kept:
                element.attrib.pop(name, None)
    for element in _SECTIONING_ELEMENTS(body):
        element.tag = "div"
    for element in _STYLED(body):
        classes = (element.get("class") or "").split()
        styles = [_STYLES[name] for name in classes if name in _STYLES]
        if element.tag == "table":
            styles.insert(0, _TABLE_STYLE)
        elif element.tag in ("th", "td"):
            in_header = element.getparent().getparent().tag == "thead"
            styles.insert(0, f"{_CELL_STYLE}; {_HEADER_STYLE}" if in_header else _CELL_STYLE)
        if styles:
            element.set("style", "; ".join(styles))
        if "callout-title" in classes:
            _wrap_in(element, "strong")
    for link in _IN_PAGE_LINKS(body):
        link.drop_tag()  # its target id is gone; its text stays


#: boxes whose style (above) scrolls a wide table or line of code sideways: they keep their
#: ``tabindex="0"``, role and name, so that keyboard users reach and scroll them (WCAG 2.1.1);
#: Moodle shows a Page's content uncleaned, so they survive there
_SCROLLING = (["code"], ["table-wrap"])
_SCROLL_BOX_ATTRIBUTES = ("role", "tabindex", "aria-label")
_SCROLL_BOXES = etree.XPath("descendant::*[@tabindex='0' and @aria-labelledby]")


_WITH_ID = etree.XPath("descendant::*[@id]")


def _name_by_label(box: etree._Element, by_id: dict[str, etree._Element]) -> None:
    """Name ``box`` by the text of the elements its ``aria-labelledby`` points at (their ids go)."""
    texts = [" ".join("".join(by_id[ref].itertext()).split())
             for ref in box.get("aria-labelledby", "").split() if ref in by_id]
    if any(texts):
        box.set("aria-label", " ".join(text for text in texts if text))


_WITH_DROPPED_ATTRIBUTES = etree.XPath(
    "descendant-or-self::*[" + " or ".join(f"@{name}" for name in _DROPPED_ATTRIBUTES) + "]")
_SECTIONING_ELEMENTS = etree.XPath("|".join(f"descendant::{tag}" for tag in sorted(_SECTIONING)))
_STYLED = etree.XPath("descendant::*[@class or self::table or self::th or self::td]")
_IN_PAGE_LINKS = etree.XPath("descendant::a[starts-with(@href, '#')]")


def _comparison_table(comparison: lxml.html.HtmlElement) -> None:
    """Side-by-side columns as a table (headings in the header row): side by side without CSS."""
    table = lxml.html.Element("table", {"class": "comparison"})
    title = comparison.find_class("comparison-title")
    if title:
        caption = etree.SubElement(table, "caption")
        _move_content(title[0], caption)
    heading_row = etree.SubElement(etree.SubElement(table, "thead"), "tr")
    body_row = etree.SubElement(etree.SubElement(table, "tbody"), "tr")
    for column in comparison.find_class("comparison-column"):
        heading = etree.SubElement(heading_row, "th", scope="col")
        _move_content(column.find_class("comparison-heading")[0], heading)
        _move_content(column.find_class("comparison-body")[0], etree.SubElement(body_row, "td"))
    table.tail = comparison.tail
    comparison.getparent().replace(comparison, table)


def _move_content(source: etree._Element, target: etree._Element) -> None:
    target.text = source.text
    for child in list(source):
        target.append(child)


def _wrap_in(element: etree._Element, tag: str) -> None:
    wrapper = etree.Element(tag)
    _move_content(element, wrapper)
    element.text = None
    element.append(wrapper)
