"""The learner-facing strings of a course in its language, and its dates and numbers.

Every text the tool itself puts on a learner's page or into a native quiz ("Try again",
"Question 1 of 6", the default True/False labels, "Lesson 3: …") is a message of the
gettext catalogs in ``locales/`` (``messages.pot`` and one ``<locale>/LC_MESSAGES/messages.po``
per language), written in English in the templates and the code. Each message has a
context, its *key* (``try_again``), which is also what an author overrides in
``course.yaml`` (``ui: {try_again: Retake the quiz}``).

The catalogs are compiled by Babel when a build first needs one, and kept compiled in the
user's cache folder, so the repository and the wheel carry only the text ``.po`` files. Dates and numbers come
from Babel's CLDR data for the course's own locale (``de-AT`` formats as Austria does,
with the German catalog).

Placeholders: ``%(name)s`` is filled when the page is built, ``{name}`` by the page
script in the browser (it knows the score only then). Authors write both as ``{name}``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property, lru_cache

from markupsafe import escape

from srm_package.i18n.catalogs import (
    BUILD_PLACEHOLDER,
    LOCALES_DIR,
    PAGE_PLACEHOLDER,
    SOURCE_LOCALE,
    TEMPLATE_CATALOG,
    Message,
    catalog_for,
    messages,
    placeholders,
    shipped_locales,
    shipped_tags,
    translations,
)
from srm_package.model import Course, UiText

__all__ = ["LOCALES_DIR", "SOURCE_LOCALE", "TEMPLATE_CATALOG", "Message", "catalog_for", "messages",
           "placeholders", "shipped_locales", "shipped_tags", "CourseStrings", "ENGLISH", "strings_for"]

#: the month and year of "Last updated: June, 2026" in an English course
ENGLISH_MONTH_PATTERN = "MMMM, y"

#: scripts written right to left; their pages get ``dir="rtl"`` whether or not a catalog exists
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})

def formatting_locale(language: str):  # -> babel.Locale
    """The Babel locale that formats the course's dates and numbers (English when unknown)."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language, sep="-")
    except (ValueError, UnknownLocaleError):
        return Locale.parse(SOURCE_LOCALE)


def text_direction(language: str) -> str:
    """``rtl`` for Arabic, Hebrew, Persian, Urdu... (by language or script), else ``ltr``."""
    primary = language.split("-")[0].lower()
    if primary in RTL_LANGUAGES:
        return "rtl"
    subtags = {part.lower() for part in language.split("-")[1:]}
    return "rtl" if subtags & {"arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg"} else "ltr"


# ---------------------------------------------------------------- overrides
def author_form(catalog_text: str) -> str:
    """A catalog text as an author writes it: ``{name}`` for both kinds of placeholder."""
    return BUILD_PLACEHOLDER.sub(r"{\1}", catalog_text).replace("%%", "%")


def _catalog_form(author_text: str, build_names: frozenset[str]) -> str:
    """An author's text as the catalog holds it: build-time ``{name}`` as ``%(name)s``, ``%`` doubled."""
    escaped = author_text.replace("%", "%%")
    return PAGE_PLACEHOLDER.sub(
        lambda match: f"%({match.group(1)})s" if match.group(1) in build_names else match.group(0), escaped)


def plural_forms(language: str) -> tuple[str, ...]:
    """The CLDR plural categories of the course's language, ``other`` last."""
    tags = formatting_locale(language).plural_form.tags
    order = ("zero", "one", "two", "few", "many")
    return (*(tag for tag in order if tag in tags), "other")


# ---------------------------------------------------------------- the course's strings
@dataclass(frozen=True)
class CourseStrings:
    """The strings, date and number formats of one course: catalog, locale and overrides."""

    language: str = SOURCE_LOCALE
    overrides: tuple[UiText, ...] = ()

    @cached_property
    def catalog(self) -> str:
        """The shipped locale whose catalog is used (English when the language has none)."""
        return catalog_for(self.language) or SOURCE_LOCALE

    @cached_property
    def locale(self):  # -> babel.Locale
        return formatting_locale(self.language)

    @property
    def direction(self) -> str:
        return text_direction(self.language)

    @cached_property
    def _overridden(self) -> dict[tuple[str, str], str]:
        if not self.overrides:
            return {}
        known = messages()
        table: dict[tuple[str, str], str] = {}
        for override in self.overrides:
            message = known.get(override.key)
            build_names = frozenset(BUILD_PLACEHOLDER.findall(message.text + message.plural)) if message else frozenset()
            table[(override.key, override.plural_form)] = _catalog_form(override.text, build_names)
        return table

    # gettext, with the key as context; texts keep their placeholders (see module docstring)
    def pgettext(self, key: str, text: str) -> str:
        override = self._overridden.get((key, ""))
        if override is not None:
            return override
        return translations(self.catalog).pgettext(key, text)

    def npgettext(self, key: str, singular: str, plural: str, count: int) -> str:
        if self._overridden:
            form = self.locale.plural_form(abs(count))
            for wanted in (form, ""):
                if (key, wanted) in self._overridden:
                    return self._overridden[(key, wanted)]
        return translations(self.catalog).npgettext(key, singular, plural, count)

    # dates and numbers, as CLDR writes them in the course's locale
    # a page writes the same few numbers many times ("Question 3 of 20"): formatting each
    # once per course keeps Babel out of the per-question cost
    @lru_cache(maxsize=1024, typed=True)  # noqa: B019 (strings objects live as long as the process anyway)
    def number(self, value: float) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.locale, decimal_quantization=False)

    def percent(self, value: float) -> str:
        """``value`` percent (44.5 → "44,5 %" in German), up to two decimals as the page shows them."""
        from babel.numbers import format_percent

        return format_percent(value / 100, format=self._percent_pattern, locale=self.locale,
                              decimal_quantization=False)

    @cached_property
    def _percent_pattern(self) -> str:
        pattern = self.locale.percent_formats[None].pattern
        return pattern.split(";")[0].replace("#,##0", "#,##0.##", 1)

    def month(self, year: int, month: int, day: int | None = None) -> str:
        """``Juni 2026``, ``3. Juni 2026``, ``2026年6月``: the skeleton's form in the locale."""
        import datetime

        from babel.dates import format_date, format_skeleton

        date = datetime.date(year, month, day or 1)
        if not day and self.locale.language == "en":
            # English pages have always read "June, 2026", as the seed course's page does;
            # CLDR would write "June 2026". Other languages take CLDR's form.
            return format_date(date, ENGLISH_MONTH_PATTERN, locale=self.locale)
        return format_skeleton("yMMMMd" if day else "yMMMM", date, locale=self.locale)

    def number_format(self) -> dict[str, str]:
        """What the page script needs to show and read numbers as the locale writes them."""
        from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

        prefix, _, suffix = self.percent(0).partition("0")
        return {
            "decimal": get_decimal_symbol(self.locale),
            "group": get_group_symbol(self.locale),
            "minus": get_minus_sign_symbol(self.locale),
            "percentPrefix": prefix,
            "percentSuffix": suffix,
        }


ENGLISH = CourseStrings()


def strings_for(course: Course) -> CourseStrings:
    """The catalog, locale and author wording of ``course`` (one object per course, cached)."""
    return _course_strings(course.language, course.ui)


@lru_cache(maxsize=8)
def _course_strings(language: str, ui: tuple[UiText, ...]) -> CourseStrings:
    return CourseStrings(language, ui)


# ---------------------------------------------------------------- texts outside the templates
# Names and native quiz texts the code writes; each call names its message literally, so
# that ``pybabel extract`` finds it (scripts/update-catalogs.sh).
def lesson_label(strings: CourseStrings, number: int, title: str) -> str:
    """A lesson's name in navigation, page titles and LMSs: ``Lektion 13: …``."""
    return strings.pgettext("lesson_label", "Lesson %(number)s: %(title)s") % {
        "number": strings.number(number), "title": title}


def callout_title(strings: CourseStrings, kind: str) -> str:
    """The heading of a call-out box whose author gave none."""
    if kind == "key-principle":
        return strings.pgettext("callout_key_principle", "Key principle")
    if kind == "exam-tip":
        return strings.pgettext("callout_exam_tip", "Exam tip")
    if kind == "note":
        return strings.pgettext("callout_note", "Note")
    if kind == "warning":
        return strings.pgettext("callout_warning", "Warning")
    return kind.replace("-", " ").capitalize()


def true_false_text(strings: CourseStrings, choice_id: str) -> str:
    """The default text of a true/false choice (``true`` or ``false``): "Wahr", "Faux"..."""
    if choice_id == "true":
        return strings.pgettext("true", "True")
    return strings.pgettext("false", "False")


def code_label(strings: CourseStrings, language: str) -> str:
    """What a screen reader announces for a focused code block: "Code" or "Code: python"."""
    if language:
        return strings.pgettext("code_label_language", "Code: %(language)s") % {"language": language}
    return strings.pgettext("code_label", "Code")


def numeric_range(strings: CourseStrings, answer: str, low: str, high: str) -> str:
    """The right answer of a numeric question with a tolerance: "11 (from 10.5 to 11.5)"."""
    return strings.pgettext("numeric_range", "%(answer)s (from %(low)s to %(high)s)") % {
        "answer": answer, "low": low, "high": high}


def citation_label(strings: CourseStrings) -> str:
    """The label before a citation whose author gave none."""
    return strings.pgettext("citation_label", "Source")


def course_overview_intro(strings: CourseStrings) -> str:
    """The line before the list of lessons on a cartridge's course overview page."""
    return strings.pgettext("course_overview_intro", "The lessons of this course:")


# ---------------------------------------------------------------- templates
#: the strings of the page being rendered (see ``activated``)
_active: ContextVar[CourseStrings] = ContextVar("srm_course_strings", default=ENGLISH)


@contextmanager
def activated(strings: CourseStrings) -> Iterator[None]:
    """Templates rendered inside this block take their messages from ``strings``.

    The Jinja2 environment and its compiled templates are shared by every course (compiling
    is the expensive part); only the gettext callables look up the course being rendered.
    """
    token = _active.set(strings)
    try:
        yield
    finally:
        _active.reset(token)


def _gettext(text: str) -> str:
    raise AssertionError(f"a page message needs a key: {{% trans \"key\" %}}{text}{{% endtrans %}}")


def _ngettext(singular: str, plural: str, count: int) -> str:
    raise AssertionError(f"a page message needs a key: {{% trans \"key\" count=... %}}{singular}")


def _pgettext(key: str, text: str) -> str:
    # HTML-escaped: Jinja2 marks a message safe, and neither translators nor authors write markup
    return str(escape(_active.get().pgettext(key, text)))


def _npgettext(key: str, singular: str, plural: str, count: int) -> str:
    return str(escape(_active.get().npgettext(key, singular, plural, count)))


def install(environment) -> None:  # environment: jinja2.Environment with jinja2.ext.i18n
    """Give ``environment`` the gettext callables of the active course (newstyle: escaped values)."""
    environment.install_gettext_callables(_gettext, _ngettext, newstyle=True,
                                          pgettext=_pgettext, npgettext=_npgettext)
