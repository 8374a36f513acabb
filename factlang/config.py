"""Configuration: the project root and ``[tool.factlang]``.

The project root is the nearest folder, from the current directory up, that
holds a ``pyproject.toml`` or ``factlang.toml`` (SPEC §2); without one, the
current directory. Settings come from ``[tool.factlang]`` in
``pyproject.toml`` or the top level of ``factlang.toml``:

``facts``
    fact files or folders to check when none are named (default ``["facts"]``).
``sources``
    folders whose ``.txt``/``.md``/``.html``/``.pdf`` files are sources by file stem.
``strict``
    treat warnings as failures (default false).
``cache``
    the parse-cache folder (default ``.factlang_cache``, also ``true``; ``false`` turns it off).
``ignore``
    warning codes never to report (``["FL202"]``); static errors and verdicts
    cannot be ignored (see :mod:`factlang.suppress`).

Every problem of the table is reported at once, as a
:class:`~factlang.diagnostics.ConfigError`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from factlang._fs import inside, realpath
from factlang.codes import check_codes
from factlang.diagnostics import ConfigError, Diagnostic, did_you_mean

__all__ = ["PROJECT_MARKERS", "Config", "find_root", "is_configured", "load_config"]

#: Files that make a folder a project root (SPEC §2).
PROJECT_MARKERS: Final = ("pyproject.toml", "factlang.toml")
_DEFAULT_CACHE: Final = ".factlang_cache"


def find_root(start: Path | None = None) -> Path:
    """The project root for ``start`` (default: the current directory)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if any((folder / marker).is_file() for marker in PROJECT_MARKERS):
            return folder
    return here


def is_configured(root: Path) -> bool:
    """Whether the project at ``root`` has a ``factlang.toml`` or a ``[tool.factlang]`` table.

    A probe that never raises: a ``pyproject.toml`` that cannot be read or is
    not TOML is no factlang project (its own tools report it).
    """
    if (root / "factlang.toml").is_file():
        return True
    try:
        with (root / "pyproject.toml").open("rb") as fh:
            tool = tomllib.load(fh).get("tool")
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False
    return isinstance(tool, dict) and isinstance(tool.get("factlang"), dict)


@attrs.frozen
class Config:
    """Settings for one run, after defaults and command-line overrides."""

    root: Path
    facts: tuple[str, ...] = ("facts",)
    sources: tuple[str, ...] = ()
    strict: bool = False
    cache: str | None = _DEFAULT_CACHE
    ignore: tuple[str, ...] = ()
    configured: bool = False  # whether a [tool.factlang] table was found

    def fact_targets(self, paths: Iterable[str | os.PathLike[str]] | None = None) -> list[Path]:
        """The fact files or folders to read: ``paths`` when any are given, else the configured ``facts``."""
        given = [Path(p) for p in paths or ()]
        return given or [self.root / f for f in self.facts]

    def override(self, **changes: Any) -> Config:
        """These settings with ``changes`` on top (command-line options, plugin options)."""
        return attrs.evolve(self, **changes) if changes else self

    @property
    def cache_dir(self) -> Path | None:
        """The parse-cache folder, or None when caching is off."""
        return None if self.cache is None else self.root / self.cache


def load_config(root: Path | None = None) -> Config:
    """Read the configuration of the project at ``root`` (found if not given).

    Raises :class:`~factlang.diagnostics.ConfigError` with every problem of
    the settings table (unknown keys with a suggestion, values of the wrong
    type), or when the file is not valid TOML.
    """
    root = find_root() if root is None else root.resolve()
    table: object = None
    pyproject = root / "pyproject.toml"
    standalone = root / "factlang.toml"
    if standalone.is_file():
        table, path, where = _read_toml(standalone), standalone, "factlang.toml"
    elif pyproject.is_file():
        tool = _read_toml(pyproject).get("tool", {})
        table, path, where = (
            tool.get("factlang") if isinstance(tool, dict) else None,
            pyproject,
            "[tool.factlang]",
        )
    if table is None:
        return Config(root=root)
    if not isinstance(table, dict):
        raise ConfigError([Diagnostic(f"{where} must be a table of settings", _shown(path), code="FL110")])
    settings = _Settings(table, where, _shown(path))
    config = Config(
        root=root,
        facts=settings.inside_root("facts", settings.paths("facts", ["facts"]), root),
        sources=settings.inside_root("sources", settings.paths("sources", []), root),
        strict=settings.flag("strict", False),
        cache=settings.cache(root),
        ignore=settings.codes("ignore"),
        configured=True,
    )
    if settings.problems:
        raise ConfigError(settings.problems)
    return config


_KNOWN: Final = ("cache", "facts", "ignore", "sources", "strict")


class _Settings:
    """Reads one settings table, collecting every problem with it."""

    def __init__(self, table: Mapping[str, Any], where: str, path: str) -> None:
        self.table = table
        self.where = where
        self.path = path
        self.problems: list[Diagnostic] = [
            self.problem(f"unknown setting '{key}' in {where}{did_you_mean(key, _KNOWN)}")
            for key in table
            if key not in _KNOWN
        ]

    def problem(self, message: str, code: str = "FL110") -> Diagnostic:
        return Diagnostic(message, self.path, code=code)

    def paths(self, name: str, default: list[str]) -> tuple[str, ...]:
        value = self.table.get(name, default)
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and all(isinstance(x, str) for x in value):
            return tuple(value)
        self.problems.append(
            self.problem(f"'{name}' in {self.where} must be a path or a list of paths, not {value!r}")
        )
        return tuple(default)

    def inside_root(self, name: str, paths: tuple[str, ...], root: Path) -> tuple[str, ...]:
        """``paths``, each checked to lie inside the project root (symlinks resolved)."""
        real_root = realpath(root)
        for path in paths:
            if not inside(realpath(root / path), real_root):
                self.problems.append(
                    self.problem(
                        f"'{name}' in {self.where}: '{path}' is outside the project root {root}", "FL106"
                    )
                )
        return paths

    def flag(self, name: str, default: bool) -> bool:
        value = self.table.get(name, default)
        if isinstance(value, bool):
            return value
        self.problems.append(self.problem(f"'{name}' in {self.where} must be true or false, not {value!r}"))
        return default

    def codes(self, name: str) -> tuple[str, ...]:
        value = self.table.get(name, [])
        if not (isinstance(value, list) and all(isinstance(x, str) for x in value)):
            self.problems.append(
                self.problem(f"'{name}' in {self.where} must be a list of finding codes, not {value!r}")
            )
            return ()
        good, problems = check_codes(value, f"'{name}' in {self.where}")
        self.problems.extend(self.problem(p) for p in problems)
        return tuple(good)

    def cache(self, root: Path) -> str | None:
        value = self.table.get("cache", True)
        if value is True:
            return _DEFAULT_CACHE
        if value is False:
            return None
        if isinstance(value, str) and value:
            return self.inside_root("cache", (value,), root)[0]
        self.problems.append(
            self.problem(f"'cache' in {self.where} must be a folder or true or false, not {value!r}")
        )
        return _DEFAULT_CACHE


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as err:
        message = f"cannot read configuration: {err.strerror or err}"
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        message = f"invalid TOML: {err}"
    raise ConfigError([Diagnostic(message, _shown(path), code="FL110")])


def _shown(path: Path) -> str:
    """A path as diagnostics show it: relative to the current directory when inside it."""
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
