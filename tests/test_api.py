"""The public API: every exported name resolves, and importing stays cheap."""

from __future__ import annotations

import subprocess
import sys

import factlang


def test_every_public_name_resolves() -> None:
    for name in factlang.__all__:
        assert getattr(factlang, name) is not None


def test_exports_and_all_agree() -> None:
    assert set(factlang.__all__) - {"__version__"} == set(factlang._EXPORTS)


def test_importing_factlang_loads_no_parser() -> None:
    # The pytest plugin lives in the package: every pytest run imports it.
    code = (
        "import sys, factlang; print(sorted(m for m in sys.modules if m.startswith(('factlang.', 'lark'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_parse_and_the_error_types_from_code() -> None:
    parsed = factlang.parse('kind Company\nentity Apple: Company aka "iPhone maker"\n', "a.fact")
    assert [e.name.text for e in parsed.entities] == ["Apple"]
    assert issubclass(factlang.ParseError, factlang.FactlangError)
    assert issubclass(factlang.ParseError, ValueError)
    assert issubclass(factlang.LoadError, OSError)
