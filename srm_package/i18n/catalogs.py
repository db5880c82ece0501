"""The gettext catalogs: which languages are shipped, their messages, and compiling them.

``locales/messages.pot`` lists every message (key as ``msgctxt``, English text as ``msgid``),
extracted from the templates and ``srm_package/i18n`` by ``scripts/update-catalogs.sh``;
``locales/<locale>/LC_MESSAGES/messages.po`` translates it. Nothing binary is kept in the
repository: Babel compiles a catalog when a build first needs it.
"""

from __future__ import annotations

import gettext
import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
#: the catalog every other one translates: the messages as the code writes them
TEMPLATE_CATALOG = LOCALES_DIR / "messages.pot"
SOURCE_LOCALE = "en"

BUILD_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
PAGE_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@cache
def shipped_locales() -> tuple[str, ...]:
    """The locales with a catalog (``de``, ``pt_BR``, ``zh_Hans``...), English first."""
    found = sorted(path.parent.parent.name for path in LOCALES_DIR.glob("*/LC_MESSAGES/messages.po"))
    return (SOURCE_LOCALE, *found)


def shipped_tags() -> tuple[str, ...]:
    """The shipped locales as language tags: ``en``, ``de``, ``pt-BR``, ``zh-Hans``..."""
    return tuple(locale.replace("_", "-") for locale in shipped_locales())


@dataclass(frozen=True)
class Message:
    """One message of the template catalog: its key (the context), English text, plural."""

    key: str
    text: str
    plural: str = ""

    @property
    def placeholders(self) -> frozenset[str]:
        return placeholders(self.text) | placeholders(self.plural)


@cache
def messages() -> Mapping[str, Message]:
    """Every message the tool shows, by key (read from ``messages.pot``)."""
    from babel.messages.pofile import read_po

    with TEMPLATE_CATALOG.open("rb") as file:
        catalog = read_po(file)
    found: dict[str, Message] = {}
    for entry in catalog:
        if not entry.id:
            continue
        if not entry.context:
            raise AssertionError(f"message {entry.id!r} has no key (msgctxt) in {TEMPLATE_CATALOG}")
        if isinstance(entry.id, tuple):
            found[entry.context] = Message(entry.context, entry.id[0], entry.id[1])
        else:
            found[entry.context] = Message(entry.context, entry.id)
    return found


def placeholders(text: str) -> frozenset[str]:
    """The names of both kinds of placeholder in a catalog text."""
    return frozenset(BUILD_PLACEHOLDER.findall(text)) | frozenset(PAGE_PLACEHOLDER.findall(text))


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """The catalog of ``locale``, compiled (English: the messages themselves)."""
    if locale == SOURCE_LOCALE:
        return gettext.NullTranslations()
    return gettext.GNUTranslations(BytesIO(_compiled(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po", locale)))


def _compiled(po_file: Path, locale: str) -> bytes:
    """``po_file`` compiled to gettext's binary form by Babel, kept in the user's cache folder.

    Compiling costs little, importing Babel's catalog tools a tenth of a small build: the
    compiled catalog is kept under the hash of its source, as the page templates are
    (``template_cache``); a cache that cannot be read or written means compiling each time.
    """
    from srm_package.template_cache import user_cache_dir

    source = po_file.read_bytes()
    folder = user_cache_dir()
    cached = folder / "catalogs" / f"{locale}-{hashlib.sha256(source).hexdigest()[:16]}.mo" if folder else None
    if cached is not None:
        try:
            return cached.read_bytes()
        except OSError:
            pass
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    compiled = BytesIO()
    write_mo(compiled, read_po(BytesIO(source), locale=locale))
    data = compiled.getvalue()
    if cached is not None:
        try:
            cached.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(data)
            os.replace(partial, cached)
        except OSError:  # read-only home, full disk: the next build compiles again
            pass
    return data


def catalog_for(language: str) -> str | None:
    """The shipped locale for a BCP 47 tag (``de-AT`` → ``de``, ``zh-CN`` → ``zh_Hans``,
    ``pt`` → ``pt_BR``), or ``None`` when there is none."""
    from babel import Locale, UnknownLocaleError

    available = shipped_locales()
    try:
        locale = Locale.parse(language, sep="-")
    except (ValueError, UnknownLocaleError):
        return SOURCE_LOCALE if language.split("-")[0].lower() == SOURCE_LOCALE else None
    for candidate in (str(locale), f"{locale.language}_{locale.script}" if locale.script else "",
                      f"{locale.language}_{locale.territory}" if locale.territory else ""):
        if candidate in available:
            return candidate
    # "zh" is written in Hans, "pt" is Brazil's, "zh-TW" in Hant: CLDR's likely subtags say so
    likely = _likely(locale)
    for candidate in (f"{likely.language}_{likely.script}" if likely.script else "",
                      f"{likely.language}_{likely.territory}" if likely.territory else "", locale.language):
        if candidate in available:
            return candidate
    return None


def _likely(locale):  # -> babel.Locale
    """``zh`` → ``zh_Hans_CN``, ``pt`` → ``pt_Latn_BR``, ``zh-TW`` → ``zh_Hant_TW`` (CLDR likely subtags)."""
    from babel import Locale
    from babel.core import get_global

    likely = get_global("likely_subtags")
    for key in (str(locale), f"{locale.language}_{locale.territory}" if locale.territory else "",
                f"{locale.language}_{locale.script}" if locale.script else "", locale.language):
        if key and key in likely:
            try:
                found = Locale.parse(likely[key])
            except (ValueError, LookupError):
                continue
            return Locale(found.language, locale.territory or found.territory, locale.script or found.script)
    return locale
