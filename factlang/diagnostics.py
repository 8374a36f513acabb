"""Diagnostics: positioned messages, collected and rendered in one place.

Every problem a user can cause (a syntax error, an unknown name, an
unreadable file) becomes a :class:`Diagnostic`. Stages collect them and
raise one :class:`FactlangError` carrying all of them; the CLI, the pytest
plugin and the MkDocs plugin render them with :func:`render`, as::

    facts/market.fact:3:7: error: unknown entity 'Huwei'; did you mean 'Huawei'?
        share(Huwei, China, 2024) = 16%
              ^~~~~
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final, Protocol, runtime_checkable

import attrs

__all__ = [
    "CheckError",
    "ConfigError",
    "Diagnostic",
    "FactlangError",
    "LoadError",
    "ParseError",
    "Severity",
    "did_you_mean",
    "render",
]

from factlang.codes import CODES, Severity


@runtime_checkable
class Span(Protocol):
    """A place in a fact file: 1-based line and column of its start and end."""

    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def end_line(self) -> int: ...
    @property
    def end_column(self) -> int: ...


@attrs.frozen
class Diagnostic:
    """One message about a place in a file.

    ``line`` and ``column`` are 1-based; ``length`` is how many characters the
    caret underlines. ``source_line`` is the text of the offending line (kept
    so rendering never has to read the file again). ``path`` may be empty for
    problems that belong to no file (a bad command-line option). ``code`` is
    the stable finding code (:mod:`factlang.codes`).
    """

    message: str
    path: str = ""
    line: int = 0
    column: int = 0
    length: int = 1
    severity: Severity = "error"
    hint: str | None = None
    source_line: str | None = None
    code: str = "FL100"

    @classmethod
    def at(
        cls,
        message: str,
        path: str,
        lines: Sequence[str] | None,
        where: Span | tuple[int, int] | None,
        *,
        code: str,
        length: int | None = None,
        hint: str | None = None,
    ) -> Diagnostic:
        """The one way to point at a place: ``where`` is a span or a ``(line, column)``.

        The offending line is taken from ``lines`` (the file's lines), and the
        caret underlines the span (on its first line) or ``length`` characters.
        """
        if where is None:
            return cls(message, path, severity=CODES[code].severity, hint=hint, code=code)
        if isinstance(where, Span):
            line, column = where.line, where.column
            width = length or (where.end_column - where.column if where.end_line == where.line else 1)
        else:
            line, column = where
            width = length or 1
        text = lines[line - 1] if lines is not None and 0 < line <= len(lines) else None
        return cls(message, path, line, column, max(1, width), CODES[code].severity, hint, text, code)

    @property
    def end_line(self) -> int:
        """The line the underlined span ends on (diagnostics underline one line)."""
        return self.line

    @property
    def end_column(self) -> int:
        """The column just past the underlined span."""
        return self.column + max(self.length, 1) if self.line > 0 else self.column

    @property
    def location(self) -> str:
        """``path:line:col`` (or as much of it as is known)."""
        if not self.path:
            return ""
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"

    def render(self, *, color: bool = False) -> str:
        """The diagnostic as text: header, the source line and a caret (the severity and caret coloured)."""
        paint = _COLORS[self.severity] if color else ""
        reset = _RESET if color else ""
        head = f"{paint}{self.severity}{reset}: {self.message}"
        if self.location:
            head = f"{self.location}: {head}"
        lines = [head]
        if self.source_line is not None and self.line > 0:
            text = self.source_line.rstrip("\r\n").expandtabs(1)
            col = max(self.column, 1)
            width = max(1, min(self.length, len(text) - col + 1))
            lines.append(f"    {text}")
            lines.append("    " + " " * (col - 1) + paint + "^" + "~" * (width - 1) + reset)
        if self.hint:
            lines.append(f"    hint: {self.hint}")
        return "\n".join(lines)


_COLORS: Final = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "note": "\x1b[1;36m"}
_RESET: Final = "\x1b[0m"


def render(diagnostics: Iterable[Diagnostic], *, limit: int = 50, color: bool = False) -> str:
    """Render diagnostics in order, at most ``limit`` then "... and N more"."""
    items = list(diagnostics)
    shown = [d.render(color=color) for d in items[:limit]]
    if len(items) > limit:
        shown.append(f"... and {len(items) - limit} more")
    return "\n".join(shown)


class FactlangError(Exception):
    """Base of every error factlang raises for bad input.

    It carries every :class:`Diagnostic` found (stages collect, then raise
    once), and its text is their rendering.
    """

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        super().__init__(render(self.diagnostics))

    def __str__(self) -> str:
        return render(self.diagnostics)

    def __reduce__(self) -> tuple[object, ...]:
        # Picklable across process pools despite the custom __init__.
        return (type(self), (self.diagnostics,))


class ParseError(FactlangError, ValueError):
    """A fact file is not valid factlang (syntax, encoding, binary data)."""


class CheckError(FactlangError, ValueError):
    """A fact file parses but does not check (names, types, duplicates, files)."""


class LoadError(FactlangError, OSError):
    """A file cannot be read: missing or unreadable (bad contents are a :class:`ParseError`)."""


class ConfigError(FactlangError, ValueError):
    """The configuration (``[tool.factlang]`` or options) is invalid."""


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """A ``; did you mean 'X'?`` suffix for the closest candidate, or ``""``."""
    pool = list(dict.fromkeys(candidates))
    import difflib  # only for a name not found

    close = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in pool}
        match = lowered.get(name.lower())
        close = [match] if match else []
    return f"; did you mean '{close[0]}'?" if close else ""
