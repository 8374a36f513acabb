"""The stylesheet and script written beside the pages, read from package data."""

from __future__ import annotations

from importlib.resources import files
from typing import Final

__all__ = ["ASSETS", "CSS", "JAVASCRIPT"]


def _read(name: str) -> str:
    return files("factlang.render.site").joinpath("assets", name).read_text(encoding="utf-8")


#: Styles for badges, highlighted spans, the source text and charts (``assets/factlang.css``).
CSS: Final = _read("factlang.css")

#: Progressive enhancement for the fact tables: click a header to sort, type
#: to filter. The tables are complete without it. It reads cell text with
#: ``textContent`` and writes none of it back as HTML (``assets/factlang.js``).
JAVASCRIPT: Final = _read("factlang.js")

#: The asset files written beside the pages, by path.
ASSETS: Final[dict[str, str]] = {"assets/factlang.css": CSS, "assets/factlang.js": JAVASCRIPT}
