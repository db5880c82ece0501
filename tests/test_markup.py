"""Inline Markdown: the plain-text shortcut gives exactly what markdown-it gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from srm_package import markup

# ordinary text, the characters the shortcut looks for, and others markdown-it might care about
ALPHABET = st.sampled_from(list("ab Z9.,;:'\"()-+#|>~=%$@^{}/\t\u00a0é—\\`*_[]!<&\n\r\0"))


def reference_html(text: str) -> str:
    return markup._INLINE.renderInline(text)


def reference_text(text: str) -> str:
    tokens = markup._INLINE.parseInline(text)
    return "".join(markup._plain(t) for t in tokens).strip()


@settings(max_examples=400, deadline=None)  # equivalence, not speed: the machine may be busy
@given(st.text(ALPHABET, max_size=40))
def test_inline_rendering_matches_markdown_it(text: str) -> None:
    assert markup.inline_html.__wrapped__(text) == reference_html(text)
    assert markup.inline_text.__wrapped__(text) == reference_text(text)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_unicode_text_matches_markdown_it(text: str) -> None:
    assert markup.inline_html.__wrapped__(text) == reference_html(text)
    assert markup.inline_text.__wrapped__(text) == reference_text(text)


def test_plain_text_is_escaped_and_markup_rendered() -> None:
    assert markup.inline_html('Is x > y "always"?') == "Is x &gt; y &quot;always&quot;?"
    assert markup.inline_html("Is <script> & **bold**?") == "Is &lt;script&gt; &amp; <strong>bold</strong>?"
    assert markup.inline_text("  The *customer*  ") == "The customer"
    assert markup.inline_text("  The customer  ") == "The customer"
