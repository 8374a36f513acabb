"""factlang: facts as code, tested against the texts they come from.

The pipeline, from the top::

    text --parse--> syntax --build--> FactBase --verify--> Report --render--> text | json | ...

Public API:

- :func:`parse` -- one fact file's text to its syntax (:class:`ParsedFile`).
- :func:`load` -- fact files on disk to a checked :class:`FactBase`.
- the error types, all subclasses of :class:`FactlangError`, each carrying
  positioned :class:`Diagnostic` values.
"""

from __future__ import annotations

__version__ = "0.1.0"

from factlang.diagnostics import (
    CheckError,
    ConfigError,
    Diagnostic,
    FactlangError,
    LoadError,
    ParseError,
)
from factlang.loader import load
from factlang.model import Citation, Entity, Fact, FactBase, Kind, Predicate, Source
from factlang.parser import parse
from factlang.syntax import ParsedFile

__all__ = [
    "CheckError",
    "Citation",
    "ConfigError",
    "Diagnostic",
    "Entity",
    "Fact",
    "FactBase",
    "FactlangError",
    "Kind",
    "LoadError",
    "ParseError",
    "ParsedFile",
    "Predicate",
    "Source",
    "__version__",
    "load",
    "parse",
]
