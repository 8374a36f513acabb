"""Configuration: the project root and ``[tool.factlang]``.

The project root is the nearest folder, from the current directory up, that
holds a ``pyproject.toml`` or ``factlang.toml`` (SPEC §2); without one, the
current directory. Settings come from ``[tool.factlang]`` in
``pyproject.toml`` or the top level of ``factlang.toml``:

``facts``
    fact files or folders to check when none are named (default ``["facts"]``).
``sources``
    folders whose ``.txt``/``.md`` files are sources by file stem.
``strict``
    treat warnings as failures (default false).
``cache``
    the parse-cache folder (default ``.factlang_cache``; ``false`` turns it off).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from factlang.diagnostics import ConfigError, Diagnostic

__all__ = ["Config", "find_root", "load_config"]

_MARKERS = ("pyproject.toml", "factlang.toml")


def find_root(start: Path | None = None) -> Path:
    """The project root for ``start`` (default: the current directory)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if any((folder / marker).is_file() for marker in _MARKERS):
            return folder
    return here


@attrs.frozen
class Config:
    """Settings for one run, after defaults and command-line overrides."""

    root: Path
    facts: tuple[str, ...] = ("facts",)
    sources: tuple[str, ...] = ()
    strict: bool = False
    cache: str | None = ".factlang_cache"
    configured: bool = False  # whether a [tool.factlang] table was found

    @property
    def cache_dir(self) -> Path | None:
        """The parse-cache folder, or None when caching is off."""
        return None if self.cache is None else self.root / self.cache


def load_config(root: Path | None = None) -> Config:
    """Read the configuration of the project at ``root`` (found if not given)."""
    root = find_root() if root is None else root.resolve()
    table: Mapping[str, Any] | None = None
    source = ""
    pyproject = root / "pyproject.toml"
    standalone = root / "factlang.toml"
    if standalone.is_file():
        table, source = _read_toml(standalone), str(standalone)
    elif pyproject.is_file():
        data = _read_toml(pyproject)
        tool = data.get("tool", {})
        if isinstance(tool, dict) and isinstance(tool.get("factlang"), dict):
            table, source = tool["factlang"], f"{pyproject} [tool.factlang]"
    if table is None:
        return Config(root=root)
    known = {"facts", "sources", "strict", "cache"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError([Diagnostic(f"unknown setting(s) {', '.join(unknown)} in {source}")])
    return Config(
        root=root,
        facts=_paths(table.get("facts", ["facts"]), "facts", source),
        sources=_paths(table.get("sources", []), "sources", source),
        strict=_bool(table.get("strict", False), "strict", source),
        cache=_cache(table.get("cache", ".factlang_cache"), source),
        configured=True,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError([Diagnostic(f"cannot read configuration: {err}", str(path))]) from None


def _paths(value: object, name: str, source: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return tuple(value)
    raise ConfigError([Diagnostic(f"'{name}' must be a path or a list of paths in {source}")])


def _bool(value: object, name: str, source: str) -> bool:
    if isinstance(value, bool):
        return value
    raise ConfigError([Diagnostic(f"'{name}' must be true or false in {source}")])


def _cache(value: object, source: str) -> str | None:
    if value is False:
        return None
    if isinstance(value, str):
        return value
    raise ConfigError([Diagnostic(f"'cache' must be a folder or false in {source}")])
