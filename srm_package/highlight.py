"""Fenced code with a language, highlighted at build time by Pygments.

The result is static markup: ``<span class="k">`` and the like inside the page's own
``<pre class="code"><code>``, coloured by ``templates/static/site.css``. No inline
style (the pages' Content-Security-Policy has ``style-src 'self'``) and no script.
A language Pygments does not know is shown as plain code; ``check`` warns about it.
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape


def knows(language: str) -> bool:
    """Whether Pygments has a lexer named ``language`` (``python``, ``js``, ``yaml``...)."""
    return language.lower() in _aliases()


@lru_cache(maxsize=1)
def _aliases() -> frozenset[str]:
    """Every built-in lexer's names. Plugin lexers are left out: looking an unknown name
    up among them reads every installed package's entry points (seconds, measured)."""
    from pygments.lexers import get_all_lexers

    return frozenset(alias for _, aliases, _, _ in get_all_lexers(plugins=False) for alias in aliases)


@lru_cache(maxsize=1024)
def highlighted(code: str, language: str) -> Markup:
    """``code`` as HTML: token spans when ``language`` is known, else escaped text."""
    if not language or not knows(language):
        return escape(code)
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name

    # nowrap: only the spans; the template writes <pre><code> around them
    html = highlight(code, get_lexer_by_name(language, stripnl=False, ensurenl=False), HtmlFormatter(nowrap=True))
    return Markup(html)
