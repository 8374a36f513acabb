"""Shared fixtures: small projects built on the real seed articles."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Fixture projects hold deliberately broken .fact files; the project's own
# pytest run (which collects facts/ through the plugin) must not collect them.
collect_ignore_glob = ["fixtures/*"]

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

#: Declarations most verifier tests share; the seeds are sources by file stem.
DECLARATIONS = """\
kind Company
kind Region
entity Huawei: Company
entity Apple: Company aka "iPhone maker"
entity Alibaba: Company
entity Baidu: Company
entity DeepSeek: Company aka "Deepseek"
entity China: Region aka "Chinese", "the country"
entity GreaterChina: Region aka "China"
source cnn = "seeds/003_de8af479a19a1395.txt" {
    outlet: "CNN"
    published: 2025-02-13
}
source wsj = "seeds/000_c068dfba5a7ee47a.txt" { published: 2025-02-12 }
source reuters = "seeds/001_f348f285d0361a47.txt" { published: 2025-02-13 }
source blog = "seeds/002_37c9d46621587dce.txt" { published: 2025-02-11 }
source analysis = "seeds/004_c0f4ee420ea604a5.txt" { published: 2025-02-11 }
predicate share(company: Company, market: Region, year: Year) -> Percent
predicate revenue_change(company: Company, region: Region, period: Quarter) -> Percent
predicate fiscal_change(company: Company, region: Region, year: FiscalYear) -> Percent
predicate price(company: Company, day: Date) -> Money
predicate stock_change(company: Company, day: Date) -> Percent
predicate partner(company: Company, partner: Company)
predicate released(model: Text) -> Date
predicate top_seller(market: Region, year: Year) -> Company
"""

MakeProject = Callable[..., Path]


@pytest.fixture(autouse=True)
def _private_cache_key(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the parse cache's signing key out of the real home folder."""
    from factlang import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))
    cache._signing_key.cache_clear()


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """A project in a temporary folder: the seeds, a pyproject, fact files.

    ``make_project(facts="...")`` writes ``facts/main.fact`` with the shared
    declarations above it (``declarations=False`` to leave them out);
    ``files={"x.fact": "..."}`` writes more files into ``facts/``.
    """

    def make(
        facts: str = "",
        *,
        declarations: bool = True,
        files: dict[str, str] | None = None,
        pyproject: str = '[tool.factlang]\nfacts = ["facts"]\nsources = ["seeds"]\n',
    ) -> Path:
        shutil.copytree(SEEDS, tmp_path / "seeds", dirs_exist_ok=True)
        (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
        folder = tmp_path / "facts"
        folder.mkdir(exist_ok=True)
        if facts or not files:
            text = (DECLARATIONS if declarations else "") + facts
            (folder / "main.fact").write_text(text, encoding="utf-8")
        for name, text in (files or {}).items():
            (folder / name).write_text(text, encoding="utf-8")
        return tmp_path

    return make


@pytest.fixture
def seed_base(tmp_path: Path) -> Iterator[Path]:
    """A copy of the project's own fact base and seeds as a project, the working folder while in use."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(REPO / "facts", root / "facts")
    shutil.copytree(SEEDS, root / "seeds")
    (root / "pyproject.toml").write_text('[tool.factlang]\nfacts = ["facts"]\nsources = ["seeds"]\n')
    cwd = Path.cwd()
    os.chdir(root)
    try:
        yield root
    finally:
        os.chdir(cwd)
