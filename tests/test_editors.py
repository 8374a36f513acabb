"""The editor files: the TextMate grammar (with vscode-tmgrammar-test from npm) and the VS Code extension.

The grammar tests need Node and ``npm ci`` in ``editors/``; outside CI they
are skipped, with the reason, where those are missing. CI sets
FACTLANG_REQUIRE_NODE=1: there a missing tool is a failure, not a skip.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from factlang.syntax import RESERVED

EDITORS = Path(__file__).resolve().parent.parent / "editors"
GRAMMAR = EDITORS / "factlang.tmLanguage.json"
RUNNER = EDITORS / "node_modules" / ".bin" / "vscode-tmgrammar-test"
REQUIRED = os.environ.get("FACTLANG_REQUIRE_NODE") == "1"


def _grammar_tool_missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not RUNNER.exists():
        return "vscode-tmgrammar-test is not installed: run `npm ci` in editors/"
    return None


def test_grammar_passes_its_syntax_tests() -> None:
    missing = _grammar_tool_missing()
    if missing:
        if REQUIRED:
            pytest.fail(f"FACTLANG_REQUIRE_NODE=1 but {missing}")
        pytest.skip(missing)
    done = subprocess.run(
        [str(RUNNER), "-g", GRAMMAR.name, "tests/*.fact"],
        cwd=EDITORS,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "run successfuly" in done.stdout  # (sic: the tool's wording)


def test_grammar_highlights_every_keyword() -> None:
    grammar = GRAMMAR.read_text("utf-8")
    json.loads(grammar)
    for word in RESERVED:
        assert re.search(rf"\b{word}\b", grammar), f"the grammar does not know the keyword {word!r}"


def test_extension_uses_the_grammar_and_starts_factlang_lsp() -> None:
    manifest = json.loads((EDITORS / "vscode" / "package.json").read_text("utf-8"))
    (language,) = manifest["contributes"]["languages"]
    assert language["extensions"] == [".fact"]
    (grammar,) = manifest["contributes"]["grammars"]
    assert grammar["scopeName"] == json.loads(GRAMMAR.read_text("utf-8"))["scopeName"]
    client = (EDITORS / "vscode" / "extension.js").read_text("utf-8")
    assert '"-m", "factlang", "lsp"' in client
