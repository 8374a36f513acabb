"""Escaping: text from fact files and sources as inert HTML and Markdown."""

from __future__ import annotations

import re
from typing import Final

__all__ = ["escape"]

# Characters that mean something to HTML or to Markdown (and its common
# extensions: attribute lists, emoji, magic links, template plugins).
# Each becomes a character reference, which Markdown passes through as
# text and the browser shows as the character.
_SIGNIFICANT: Final = "&<>\"'\\`*_{}[]()#+-.!|~^=:@$%"
_ESCAPES: Final[dict[int, str]] = {ord(c): f"&#{ord(c)};" for c in _SIGNIFICANT} | {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord('"'): "&quot;",
}
_INLINE_SPACE: Final = re.compile(r"\s+")


def escape(text: str, *, newlines: bool = False) -> str:
    """Text as inert HTML and Markdown: it renders as itself and nothing else.

    HTML-significant characters become entities and Markdown-significant
    punctuation becomes numeric character references, so neither tags,
    attributes, links, emphasis, code, attribute lists nor template syntax
    can form. With ``newlines`` line breaks are kept (as ``&#10;``, for an
    element that preserves them); otherwise whitespace runs become one
    space, as table cells and headings need.
    """
    if newlines:
        out = text.replace("\r\n", "\n").translate(_ESCAPES)
        return out.replace("\n", "&#10;").replace("\r", "&#10;")
    return _INLINE_SPACE.sub(" ", text).strip().translate(_ESCAPES)


def _heading(text: str) -> str:
    """Text for a page's ``# title``: escaped, and without ``<`` or ``>`` even once unescaped.

    Themes put the page title into ``<title>`` through Jinja's ``striptags``,
    which unescapes entities; a title holding ``</title><script>`` would
    then close the element. Angle brackets become look-alike quotes here
    (the metadata table shows the title exactly).
    """
    return escape(text.replace("<", "‹").replace(">", "›"))


def _code(text: str) -> str:
    """Inline code without Markdown backticks (whose content could not be escaped)."""
    return f"<code>{escape(text)}</code>"


def _url(url: str) -> str:
    """A source's URL: a link for http(s), inert text for anything else (``javascript:``...)."""
    if re.match(r"https?://[^\s<>\"'`]+\Z", url, re.IGNORECASE):
        safe = escape(url)
        return f'<a href="{safe}" rel="noopener nofollow">{safe}</a>'
    return _code(url)
