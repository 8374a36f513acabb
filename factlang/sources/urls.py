"""What counts as a URL source: the one test, without urllib (checking local files needs no network code)."""

from __future__ import annotations

__all__ = ["is_url"]


def is_url(path: str) -> bool:
    """Whether a source's path is a URL (any scheme; only http and https are fetched)."""
    scheme, sep, _ = path.partition("://")
    return (
        bool(sep)
        and scheme.isascii()
        and scheme[:1].isalpha()
        and all(c.isalnum() or c in "+-." for c in scheme)
    )
