"""``ui:`` in course.yaml: the author's wording for the tool's own page strings.

Each key is a message of the catalogs (``try_again``, ``question_number``...; the list is
in docs/source-format.md). A text may use the placeholders of that message and no others,
written ``{name}``; a message that counts (``question_count``) takes one text for every
count, or one per plural category of the course's language (``one``, ``few``, ``other``...).
"""

from __future__ import annotations

from srm_package import i18n
from srm_package.model import UiText
from srm_package.sources.yamlfields import Located


def read_ui(found: Located | None, language: str) -> tuple[UiText, ...] | None:
    """The overrides in ``found`` (``()`` when there is no ``ui:``); ``None`` after an error."""
    if found is None:
        return ()
    known = i18n.messages()
    fields = found.as_mapping(tuple(known))
    if fields is None:
        return None
    before = len(found.problems.errors)
    texts: list[UiText] = []
    for key, value in fields.values.items():
        message = known[key]
        if message.plural and not _is_scalar(value):
            texts += _plural_texts(value, message, language)
        else:
            text = value.text()
            if text is not None:
                _check_placeholders(value, text, message, counted=bool(message.plural))
                texts.append(UiText(key, text))
    if len(found.problems.errors) > before:
        return None
    return tuple(sorted(texts, key=lambda text: (text.key, text.plural_form)))


def _plural_texts(value: Located, message: i18n.Message, language: str) -> list[UiText]:
    forms = i18n.plural_forms(language)
    fields = value.as_mapping(forms)
    if fields is None:
        return []
    missing = [form for form in forms if form not in fields.values]
    if missing:
        value.error(f"give a text for each plural form of {language!r} ({', '.join(forms)}), or one text "
                    f"for every count; missing: {', '.join(missing)}")
    texts = []
    for form, found in fields.values.items():
        text = found.text()
        if text is not None:
            _check_placeholders(found, text, message, counted=True)
            texts.append(UiText(message.key, text, form))
    return texts


def _check_placeholders(where: Located, text: str, message: i18n.Message, *, counted: bool) -> None:
    """An unknown placeholder is an error (it would show as typed); a missing one a warning,
    except in a counted message (``one question`` need not show the number)."""
    allowed = message.placeholders
    used = i18n.placeholders(text)
    listed = ", ".join(f"{{{name}}}" for name in sorted(allowed)) or "none"
    for name in sorted(used - allowed):
        where.error(f"unknown placeholder {{{name}}}; this text may use: {listed}")
    for name in sorted(allowed - used) if not counted else ():
        where.problems.warning(where.file, where.line, where.column, where.field,
                               f"the text leaves out {{{name}}}, which the default shows "
                               f"({i18n.author_form(message.text)!r})")


def _is_scalar(found: Located) -> bool:
    from yaml.nodes import ScalarNode

    return isinstance(found.node, ScalarNode)
