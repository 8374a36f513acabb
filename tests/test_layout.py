"""The contributors' layout page lists every module of the package, one line each."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_module_is_listed_in_the_layout_page() -> None:
    page = (REPO / "docs" / "layout.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `(factlang/[^`]+\.py)` \|", page, flags=re.MULTILINE))
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "factlang").rglob("*.py")}
    assert modules - listed == set(), "modules missing from docs/layout.md"
    assert listed - modules == set(), "docs/layout.md lists modules that do not exist"
