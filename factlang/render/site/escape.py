"""Escaping: text from fact files and sources as inert HTML and Markdown."""

from __future__ import annotations

import functools
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
    return md(text.replace("<", "‹").replace(">", "›"))


def _code(text: str) -> str:
    """Inline code without Markdown backticks (whose content could not be escaped)."""
    return f"<code>{md(text)}</code>"


def _url(url: str) -> str:
    """A source's URL: a link for http(s), inert text for anything else (``javascript:``...)."""
    if re.match(r"https?://[^\s<>\"'`]+\Z", url, re.IGNORECASE):
        safe = escape(url)
        return f'<a href="{safe}" rel="noopener nofollow">{safe}</a>'
    return _code(url)


# Readable escaping for text that Markdown processes (table cells, list
# items, link text): only what would otherwise form markup. HTML's own
# characters become entities; Markdown's always-active punctuation becomes a
# character reference; characters that only act in a pattern (``==mark==``,
# ``++keys++``, ``--`` arrows, ``:emoji:``, ``https:``, ``www.``, ``(c)``)
# are escaped only inside that pattern, so dates, numbers, money and
# ordinary punctuation read as written.
_MD_ALWAYS: Final = "\\`*[]{}|!~^@<>&"
_MD_PATTERN: Final = re.compile(
    r"(?P<run>([=+-])\2+)"  # ==mark==, ++keys++, -- and --> (smart symbols)
    r"|(?P<colon>:(?=[A-Za-z0-9+_-]+:|//))"  # :emoji:, :+1:, scheme:// (magic links)
    r"|(?P<dot>(?i:(?<=www)|(?<=ftp))\.)"  # www.example.com (magic links)
    r"|(?P<paren>\((?=(?i:c|r|tm|p)\)))"  # (c) (r) (tm) (smart symbols)
    r"|(?P<under>(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))"  # _emphasis_ (never inside a word)
    r"|(?P<hash>\A#)"  # a heading, where the text starts a line
    r"|(?P<dollar>\$)"  # $math$ (arithmatex): escaped only where two could pair
)
_MD_TABLE: Final[dict[int, str]] = {ord(c): f"&#{ord(c)};" for c in _MD_ALWAYS} | {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
}


def _ref(text: str) -> str:
    return "".join(f"&#{ord(c)};" for c in text)


@functools.lru_cache(maxsize=65536)  # names, ids and values repeat on every page
def md(text: str) -> str:
    """Text for Markdown that renders as itself and reads as written.

    Like :func:`escape` it can form no markup, link or template syntax (with
    the extensions mkdocs-material sites commonly enable), but it leaves
    ordinary punctuation alone: ``2025-02-13``, ``$14.53``, ``16%``,
    ``Qwen 2.5`` stay as they are. Whitespace runs become one space.
    """
    text = _INLINE_SPACE.sub(" ", text).strip()
    dollars = text.count("$") > 1

    def sub(m: re.Match[str]) -> str:
        if m.lastgroup == "dollar" and not dollars:
            return m.group(0)
        return _ref(m.group(0))

    out: list[str] = []
    last = 0
    for m in _MD_PATTERN.finditer(text):
        out.append(text[last : m.start()].translate(_MD_TABLE))
        out.append(sub(m))
        last = m.end()
    out.append(text[last:].translate(_MD_TABLE))
    return "".join(out)
