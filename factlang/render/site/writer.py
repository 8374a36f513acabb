"""How a page is written: as Markdown (``factlang site``) or as HTML for MkDocs to wrap.

The pages are built once, through a writer: :class:`MarkdownWriter` gives
the Markdown pages of ``factlang site --out`` (headings, tables, lists and
relative links, raw HTML for the rest); :class:`HtmlWriter` gives each page
as an :class:`HtmlPage`: a small Markdown *skeleton* (the title, the section
headings and fixed prose, which MkDocs renders with the site's own
extensions, so the table of contents, permalinks and the theme's look are
unchanged) in which every block of generated content is a placeholder
comment, and those blocks as ready HTML. The MkDocs plugin puts the blocks
in after MkDocs has rendered the skeleton: Python-Markdown never parses the
bulk of a page, which is most of the time a large site takes.

Links in HTML are final: a page path (``sources/cnn.md``) becomes the URL
MkDocs gives it (``sources/cnn/`` with directory URLs, ``sources/cnn.html``
without), relative to the page that links.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterable, Sequence
from typing import Final

import attrs

from factlang.render.site.common import _cell, _rel, _table

__all__ = ["HtmlPage", "HtmlWriter", "MarkdownWriter", "Writer", "page_url"]

# Marks a line of a page that belongs to the Markdown skeleton (HTML writer only); no
# generated line starts with it (they start with markup or escaped text).
_SKELETON: Final = "\x00"
# Marks a block the site's search does not index (HTML writer only): put in after the search
# plugin has read the page.
_UNINDEXED: Final = "\x01"
_PLACEHOLDER: Final = re.compile(r"<!--factlang:(\d+)-->")
_LATE: Final = re.compile(r"<!--factlang-late:(\d+)-->")
_ID: Final = re.compile(r'\bid="([^"]+)"')


class Writer:
    """The Markdown writer's interface; both writers return lists of page lines."""

    html: bool = False

    def href(self, page: str, to_page: str, anchor: str | None = None) -> str:
        """The link target from ``page`` to ``to_page`` (and an anchor on it)."""
        return _rel(page, to_page, anchor)

    def base(self, page: str) -> str:
        """What links from ``page`` to other pages depend on: pages of the same base link alike."""
        return posixpath.dirname(page)

    def link(self, text_html: str, target: str) -> str:
        """A link; ``text_html`` is already escaped, ``target`` made of slugs and anchors."""
        return f"[{text_html}]({target})"

    def heading(self, level: int, text: str) -> list[str]:
        """A section heading (``text`` escaped for Markdown)."""
        return [f"{'#' * level} {text}", ""]

    def prose(self, *lines: str) -> list[str]:
        """Fixed prose written in Markdown (never text from a fact file or a source)."""
        return [*lines, ""]

    def para(self, html: str) -> list[str]:
        """A paragraph of inline HTML and links."""
        return [html, ""]

    def raw(self, html: str, *, indexed: bool = True) -> list[str]:
        """A block of HTML (a ``div``, ``details``, ``figure``, heading...).

        A block not ``indexed`` is left out of the site's search (the HTML writer).
        """
        return [html, ""]

    def unindexed(self, lines: list[str]) -> list[str]:
        """Blocks (of this writer, no headings) left out of the site's search (the HTML writer)."""
        return lines

    def items(self, items: Iterable[str]) -> list[str]:
        """A bulleted list."""
        return [*(f"- {item}" for item in items), ""]

    def pager(self, html: str) -> list[str]:
        """Links to the pages of a list: a paragraph, since Markdown links in an HTML block stay text."""
        return [f'<span class="factlang-pager">{html}</span>', ""]

    def table(
        self, header: Sequence[str], rows: Iterable[Sequence[str]], *, filterable: bool = False
    ) -> list[str]:
        """A table (with the marker the sorting script looks for when ``filterable``).

        The HTML writer leaves tables out of the site's search: they list facts
        whose own entries are indexed, and the index would repeat each fact.
        """
        return _table(header, rows, filterable=filterable)


class MarkdownWriter(Writer):
    """Pages as Markdown (the output of ``factlang site``)."""

    def page(self, lines: list[str]) -> str:
        """The page's text."""
        return "\n".join(lines)


@attrs.frozen
class HtmlPage:
    """A page for MkDocs: a Markdown skeleton with placeholders, and the HTML blocks they stand for."""

    markdown: str
    blocks: tuple[str, ...]
    #: Blocks kept out of the site's search, in by :meth:`inject_late` (into the whole HTML page).
    late: tuple[str, ...] = ()

    def inject(self, html: str) -> str:
        """The rendered skeleton with every placeholder of :attr:`blocks` replaced by its block."""
        blocks = self.blocks
        return _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], html)

    def inject_late(self, html: str) -> str:
        """The page's HTML with every placeholder of :attr:`late` replaced by its block."""
        late = self.late
        return _LATE.sub(lambda m: late[int(m.group(1))], html) if late else html

    def anchors(self) -> set[str]:
        """The ``id`` of every element of the blocks (what links to the page may target)."""
        return {m.group(1) for block in (*self.blocks, *self.late) for m in _ID.finditer(block)}

    @property
    def size(self) -> int:
        """About how many characters the page's content is."""
        return len(self.markdown) + sum(len(b) for b in self.blocks) + sum(len(b) for b in self.late)


@functools.lru_cache(maxsize=65536)
def page_url(page: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a page path, relative to the pages' folder.

    ``sources/cnn.md`` is ``sources/cnn/`` with directory URLs, ``sources/cnn.html`` without.
    """
    stem = page.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


def _relative_url(from_url: str, to_url: str) -> str:
    """``to_url`` relative to the folder of ``from_url`` (itself, for a directory URL ``a/b/``).

    Always up to the pages' folder and down again (``../../sources/cnn/``
    from ``sources/x/``, where MkDocs would write ``../cnn/``): the same
    target, and one string per folder depth, so cheap to make.
    """
    return "../" * from_url.count("/") + to_url or "./"


class HtmlWriter(Writer):
    """Pages as :class:`HtmlPage`: the skeleton for MkDocs' Markdown, the bulk as HTML."""

    html = True

    def __init__(self, *, directory_urls: bool = True) -> None:
        self.directory_urls = directory_urls

    def base(self, page: str) -> str:
        """The folder depth of the page's URL (links go up to the pages' folder and down)."""
        return "../" * page_url(page, self.directory_urls).count("/")

    def href(self, page: str, to_page: str, anchor: str | None = None) -> str:
        """The URL of ``to_page`` (and an anchor on it), relative to ``page``'s."""
        if page == to_page and anchor:
            return f"#{anchor}"
        target = _relative_url(page_url(page, self.directory_urls), page_url(to_page, self.directory_urls))
        return f"{target}#{anchor}" if anchor else target

    def link(self, text_html: str, target: str) -> str:
        """An ``<a href>``."""
        return f'<a href="{target}">{text_html}</a>'

    def heading(self, level: int, text: str) -> list[str]:
        """A heading of the skeleton (MkDocs gives it its id, permalink and place in the contents)."""
        return [f"{_SKELETON}{'#' * level} {text}"]

    def prose(self, *lines: str) -> list[str]:
        """Prose of the skeleton, rendered by MkDocs."""
        return [_SKELETON + "\n".join(lines)]

    def para(self, html: str) -> list[str]:
        """A ``<p>``."""
        return [f"<p>{html}</p>"]

    def raw(self, html: str, *, indexed: bool = True) -> list[str]:
        """The block as it is."""
        return [html] if indexed else [_UNINDEXED + html]

    def unindexed(self, lines: list[str]) -> list[str]:
        """The blocks as one, put in after the search has read the page."""
        blocks = [line.removeprefix(_UNINDEXED) for line in lines if line]
        return [_UNINDEXED + "\n".join(blocks)] if blocks else []

    def pager(self, html: str) -> list[str]:
        """A ``<nav>``."""
        return [f'<nav class="factlang-pager">{html}</nav>']

    def items(self, items: Iterable[str]) -> list[str]:
        """A ``<ul>``."""
        return ["<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"]

    def table(
        self, header: Sequence[str], rows: Iterable[Sequence[str]], *, filterable: bool = False
    ) -> list[str]:
        """The table Python-Markdown makes of the Markdown one, so the theme styles it the same."""
        head = "".join(f"<th>{h}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>" for row in rows)
        table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        if filterable:
            table = '<div class="factlang-filter"></div>\n' + table
        return [_UNINDEXED + table]

    def page(self, lines: list[str]) -> HtmlPage:
        """The skeleton (headings and prose, a placeholder for each run of blocks) and the blocks."""
        parts: list[str] = []
        blocks: list[str] = []
        late: list[str] = []
        run: list[str] = []

        def flush() -> None:
            if run:
                parts.append(f"<!--factlang:{len(blocks)}-->")
                blocks.append("\n".join(run))
                run.clear()

        for line in lines:
            if line.startswith(_SKELETON):
                flush()
                parts.append(line[1:])
            elif line.startswith(_UNINDEXED):
                # Its placeholder stays in the page's content until the page is written.
                run.append(f"<!--factlang-late:{len(late)}-->")
                late.append(line[1:])
            elif line:
                run.append(line)
        flush()
        return HtmlPage("\n\n".join(parts) + "\n", tuple(blocks), tuple(late))
