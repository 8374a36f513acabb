"""factlang: facts as code, tested against the texts they come from.

The pipeline, from the top::

    text --parse--> syntax --build--> FactBase --verify--> Report --render--> text | json | ...

Public API:

- :func:`parse` -- one fact file's text to its syntax (:class:`ParsedFile`).
- :func:`load` -- fact files on disk to a checked :class:`FactBase`.
- :func:`verify` -- a fact base against its sources, to a :class:`Report`.
- the error types, all subclasses of :class:`FactlangError`, each carrying
  positioned :class:`Diagnostic` values.

Names are imported on first use: the pytest plugin lives in this package,
and every pytest run imports it, so importing ``factlang`` must stay cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> the module that defines it.
_EXPORTS = {
    "CheckError": "factlang.diagnostics",
    "ConfigError": "factlang.diagnostics",
    "Diagnostic": "factlang.diagnostics",
    "FactlangError": "factlang.diagnostics",
    "LoadError": "factlang.diagnostics",
    "ParseError": "factlang.diagnostics",
    "load": "factlang.loader",
    "Citation": "factlang.model",
    "Entity": "factlang.model",
    "Fact": "factlang.model",
    "FactBase": "factlang.model",
    "Kind": "factlang.model",
    "Predicate": "factlang.model",
    "Source": "factlang.model",
    "parse": "factlang.parser",
    "Report": "factlang.report",
    "ParsedFile": "factlang.syntax",
    "verify": "factlang.verify",
}

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
    "Report",
    "Source",
    "__version__",
    "load",
    "parse",
    "verify",
]

if TYPE_CHECKING:
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
    from factlang.report import Report
    from factlang.syntax import ParsedFile
    from factlang.verify import verify


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'factlang' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value
