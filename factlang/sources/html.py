"""HTML sources: the article's main text, by trafilatura (the ``html`` extra).

trafilatura drops navigation, ads, share buttons and comments and keeps the
article's paragraphs, headings, lists and tables; each becomes one
paragraph of the text, separated by a blank line, so sentences never run
from one block into the next. The page's own metadata (``<title>``,
``og:``/``article:`` meta tags, JSON-LD ``datePublished``/``author``) fills
the declaration's missing ``title``, ``author``, ``outlet`` and ``published``.
"""

from __future__ import annotations

import configparser
import importlib.metadata
from functools import cache
from typing import Any

from factlang.sources.formats import ExtractError, MissingExtra

__all__ = ["extract_html", "library_version"]


def _trafilatura() -> Any:
    try:
        import trafilatura
    except ImportError:
        raise MissingExtra("html", "html", "trafilatura") from None
    return trafilatura


def library_version() -> str:
    """``trafilatura 2.3.1`` (raises :class:`MissingExtra` when it is not installed)."""
    # Without importing it: a stored text is used without loading the extractor.
    try:
        return f"trafilatura {importlib.metadata.version('trafilatura')}"
    except importlib.metadata.PackageNotFoundError:
        raise MissingExtra("html", "html", "trafilatura") from None


@cache
def _config() -> configparser.ConfigParser:
    from trafilatura.settings import use_config

    config: configparser.ConfigParser = use_config()
    # No signal-based timeout (it fails outside the main thread); short pages
    # (a press release of three paragraphs) are still articles.
    config["DEFAULT"]["extraction_timeout"] = "0"
    config["DEFAULT"]["min_extracted_size"] = "1"
    config["DEFAULT"]["min_output_size"] = "1"
    # Dates only from the page's own markup, never guessed from its text.
    config["DEFAULT"]["extensive_date_search"] = "off"
    return config


def extract_html(data: bytes) -> tuple[str, dict[str, str]]:
    """The main text of an HTML page (paragraphs separated by blank lines) and its metadata."""
    trafilatura = _trafilatura()
    try:
        doc = trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
            config=_config(),
        )
    except Exception as err:  # trafilatura raises many kinds on malformed pages
        raise ExtractError(f"cannot be read as HTML ({type(err).__name__}: {err})") from None
    if doc is None or not (doc.text or "").strip():
        raise ExtractError("is an HTML page without main text that factlang can extract")
    # One block per line in trafilatura's text: make each its own paragraph.
    blocks = [" ".join(line.split()) for line in doc.text.splitlines()]
    text = "\n\n".join(b for b in blocks if b)
    metadata: dict[str, str] = {}
    for field, attr in (
        ("title", "title"),
        ("author", "author"),
        ("outlet", "sitename"),
        ("published", "date"),
    ):
        value = getattr(doc, attr, None)
        if isinstance(value, str) and value.strip():
            metadata[field] = " ".join(value.split())
    for field, value in _own_metadata(data).items():
        metadata.setdefault(field, value)
    return text, metadata


def _names(value: object) -> list[str]:
    """Author names from a JSON-LD ``author``: a string, a Person, or a list of them."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for item in value for n in _names(item)]
    return []


def _own_metadata(data: bytes) -> dict[str, str]:
    """What trafilatura may miss: JSON-LD ``author``/``datePublished``, ``article:`` meta tags."""
    import json

    import lxml.html

    out: dict[str, str] = {}
    try:
        tree = lxml.html.fromstring(data)
    except Exception:  # lxml raises for empty or undecodable documents
        return out
    for script in tree.xpath('//script[@type="application/ld+json"]')[:20]:
        try:
            items = json.loads(script.text_content())
        except ValueError:
            continue
        for item in items if isinstance(items, list) else [items]:
            if not isinstance(item, dict):
                continue
            names = _names(item.get("author"))
            if names and "author" not in out:
                out["author"] = ", ".join(" ".join(n.split()) for n in names)
            date = item.get("datePublished")
            if isinstance(date, str) and "published" not in out:
                out["published"] = date.strip()[:10]
    for meta in tree.xpath("//meta[@property or @name]")[:500]:
        key = (meta.get("property") or meta.get("name") or "").lower()
        content = " ".join((meta.get("content") or "").split())
        if not content:
            continue
        if key == "article:published_time":
            out.setdefault("published", content[:10])
        elif key in ("article:author", "author"):
            out.setdefault("author", content)
        elif key == "og:site_name":
            out.setdefault("outlet", content)
        elif key == "og:title":
            out.setdefault("title", content)
    return out
