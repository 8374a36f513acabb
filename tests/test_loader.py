"""Loading fact files on disk into a checked, typed :class:`FactBase`."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import pytest

import factlang.cache
import factlang.loader
from factlang import CheckError, ParseError, load
from factlang import model as m
from factlang.model import from_json, to_json
from factlang.syntax import ParsedFile
from factlang.values import EntityRef, FiscalYear, Money, Number, Percent, Quarter, Text, Year

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

COMMON = """\
source cnn = "seeds/003_de8af479a19a1395.txt" {
    title: "Apple picks Alibaba to launch AI features in China"
    outlet: "CNN"
    author: "Damond Isiaka"
    url: "https://edition.cnn.com/2025/02/13/tech/apple-alibaba-ai-china-intl-hnk"
    published: 2025-02-13
    section: "Tech"
    words: 620
}

kind Company
kind Region

entity Huawei: Company
entity Apple: Company aka "iPhone maker", "Cupertino-based firm"
entity Alibaba: Company
entity China: Region aka "Chinese", "the country"

predicate share(company: Company, market: Region, year: Year) -> Percent
    "{company}'s smartphone market share in {market} in {year}"
predicate partner(company: Company, partner: Company)
predicate revenue_change(company: Company, region: Region, period: Quarter) -> Percent
predicate fiscal_revenue(company: Company, year: FiscalYear) -> Money
predicate users(company: Company) -> Number
predicate top_seller(market: Region, year: Year) -> Company
"""

MARKET = """\
use "common.fact"

share(Huawei, China, 2024) = 16%
    @ cnn "Huawei, posted a market share of 16% in China"

share(Apple, China, 2023) ~ 19%
    @ cnn "In 2023, Apple was the top mobile phone seller in the country with 19% of market share"
    @ 000_c068dfba5a7ee47a contradicts

partner(Apple, Alibaba) @ cnn
not partner(Apple, Huawei)
revenue_change(Apple, China, 2024-Q4) = -11%
fiscal_revenue(Apple, FY2024) = $391bn
users(Apple) = 2024
top_seller(China, 2023) = Apple
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project: the seed articles as sources, and common.fact and market.fact in facts/."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.factlang]\nfacts = ["facts"]\nsources = ["seeds"]\n', encoding="utf-8"
    )
    write(tmp_path / "facts" / "common.fact", COMMON)
    write(tmp_path / "facts" / "market.fact", MARKET)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def facts_of(base: m.FactBase, predicate: str) -> list[m.Fact]:
    return [f for f in base.facts if f.predicate == predicate]


# --- the fact base ---------------------------------------------------------------


def test_load_returns_a_checked_fact_base(project: Path) -> None:
    base = load(["facts"], root=project)

    assert isinstance(base, m.FactBase)
    assert base.root == str(project)
    assert base.files == ("facts/common.fact", "facts/market.fact")
    assert len(base.facts) == 8


def test_kinds(project: Path) -> None:
    base = load(["facts"], root=project)

    assert list(base.kinds) == ["Company", "Region"]
    assert base.kinds["Company"] == m.Kind("Company")


def test_entities_with_their_aliases(project: Path) -> None:
    base = load(["facts"], root=project)

    assert base.entities["Apple"] == m.Entity("Apple", "Company", ("iPhone maker", "Cupertino-based firm"))
    assert base.entities["Huawei"].aliases == ()
    assert base.entities["China"].kind == "Region"


def test_predicates_with_their_signatures(project: Path) -> None:
    base = load(["facts"], root=project)

    share = base.predicates["share"]
    assert share.params == (
        m.Param("company", "Company"),
        m.Param("market", "Region"),
        m.Param("year", "Year"),
    )
    assert share.value_type == "Percent"
    assert share.template == "{company}'s smartphone market share in {market} in {year}"
    assert base.predicates["partner"].is_relation
    assert not share.is_relation


def test_predicate_aka_phrases_reach_the_model_and_its_json(project: Path) -> None:
    write(
        project / "facts" / "allies.fact",
        'use "common.fact"\n\npredicate allied(a: Company, b: Company) aka "ally with", "work with", "ally with"\n'
        'predicate moved(c: Company) -> Percent "{c} moved {value}"\n',
    )
    base = load(["facts"], root=project)

    assert base.predicates["allied"].aka == ("ally with", "work with")  # duplicates dropped
    assert base.predicates["moved"].template == "{c} moved {value}"
    assert base.predicates["share"].aka == ()
    assert from_json(to_json(base)).predicates["allied"].aka == ("ally with", "work with")


def test_a_declared_source_with_its_metadata(project: Path) -> None:
    base = load(["facts"], root=project)

    assert base.sources["cnn"] == m.Source(
        "cnn",
        "seeds/003_de8af479a19a1395.txt",
        title="Apple picks Alibaba to launch AI features in China",
        outlet="CNN",
        author="Damond Isiaka",
        url="https://edition.cnn.com/2025/02/13/tech/apple-alibaba-ai-china-intl-hnk",
        published=dt.date(2025, 2, 13),
        metadata={"section": "Tech", "words": "620"},
    )


def test_every_file_of_the_sources_folder_is_a_source_by_its_stem(project: Path) -> None:
    base = load(["facts"], root=project)

    stems = sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert set(stems) <= set(base.sources)
    assert base.sources["000_c068dfba5a7ee47a"] == m.Source(
        "000_c068dfba5a7ee47a", "seeds/000_c068dfba5a7ee47a.txt"
    )


def test_the_sources_folder_can_be_given(project: Path) -> None:
    write(project / "other" / "note.md", "Huawei posted 16%.\n")
    write(project / "other" / "skip.csv", "not a source\n")

    base = load(["facts/common.fact"], root=project, sources=["other"])

    assert sorted(base.sources) == ["cnn", "note"]


def test_a_literal_is_typed_by_the_signature_it_meets(project: Path) -> None:
    base = load(["facts"], root=project)

    (huawei,) = [f for f in facts_of(base, "share") if f.args[0] == EntityRef("Huawei")]
    assert huawei.args == (EntityRef("Huawei"), EntityRef("China"), Year(2024))
    assert huawei.value == Percent(Decimal(16))
    (users,) = facts_of(base, "users")
    assert users.value == Number(Decimal(2024))
    (top,) = facts_of(base, "top_seller")
    assert top.args == (EntityRef("China"), Year(2023))
    assert top.value == EntityRef("Apple")


def test_time_and_money_values(project: Path) -> None:
    base = load(["facts"], root=project)

    (change,) = facts_of(base, "revenue_change")
    assert change.args[2] == Quarter(2024, 4)
    assert change.value == Percent(Decimal(-11), signed=True)
    (revenue,) = facts_of(base, "fiscal_revenue")
    assert revenue.args[1] == FiscalYear(2024)
    assert revenue.value == Money(Decimal(391), "billion", currency="USD")


def test_facts_keep_comparator_negation_and_citations(project: Path) -> None:
    base = load(["facts"], root=project)

    apple = facts_of(base, "share")[1]
    assert apple.comparator == "~"
    assert apple.citations == (
        m.Citation(
            "cnn", "In 2023, Apple was the top mobile phone seller in the country with 19% of market share"
        ),
        m.Citation("000_c068dfba5a7ee47a", None, contradicts=True),
    )
    relation, negated = facts_of(base, "partner")
    assert (relation.negated, relation.comparator, relation.value) == (False, None, None)
    assert negated.negated
    assert negated.citations == ()


def test_facts_know_where_they_were_written(project: Path) -> None:
    base = load(["facts"], root=project)

    first = base.facts[0]
    assert first.location == m.Location("facts/market.fact", 3, 1)
    assert first.citations[0].location == m.Location("facts/market.fact", 4, 5)
    assert first.key == "share(Huawei, China, 2024)"
    assert first.claim == "share(Huawei, China, 2024) = 16%"


def test_load_defaults_to_the_configured_facts(project: Path) -> None:
    assert load(root=project) == load(["facts"], root=project)


def test_a_text_value(project: Path) -> None:
    write(
        project / "facts" / "ceo.fact",
        'use "common.fact"\npredicate slogan(c: Company) -> Text\nslogan(Apple) = "Think \\"different\\""\n',
    )

    base = load(["facts/ceo.fact"], root=project)

    assert facts_of(base, "slogan")[0].value == Text('Think "different"')


# --- includes and scope -------------------------------------------------------------


def test_use_brings_in_the_files_it_names(project: Path) -> None:
    base = load(["facts/market.fact"], root=project)

    assert base.files == ("facts/common.fact", "facts/market.fact")
    assert "Apple" in base.entities


def test_use_is_transitive(project: Path) -> None:
    write(project / "facts" / "deep" / "top.fact", 'use "../market.fact"\nshare(Alibaba, China, 2024) < 5%\n')

    base = load(["facts/deep/top.fact"], root=project)

    assert base.files == ("facts/common.fact", "facts/market.fact", "facts/deep/top.fact")
    assert facts_of(base, "share")[-1].args[0] == EntityRef("Alibaba")


def test_a_file_sees_only_what_it_uses(project: Path) -> None:
    write(project / "facts" / "alone.fact", "share(Apple, China, 2024) = 15%\n")

    with pytest.raises(CheckError) as info:
        load(["facts"], root=project)

    (d,) = info.value.diagnostics
    assert (d.path, d.message) == ("facts/alone.fact", "unknown predicate 'share'")
    assert d.hint == "'share' is declared in facts/common.fact; add: use \"common.fact\""


def test_the_hint_names_the_path_relative_to_the_file(project: Path) -> None:
    write(project / "facts" / "sub" / "alone.fact", "kind Phone\nentity Mate60: Phone\nentity P1: Company\n")

    with pytest.raises(CheckError) as info:
        load(["facts"], root=project)

    assert (
        info.value.diagnostics[0].hint
        == "'Company' is declared in facts/common.fact; add: use \"../common.fact\""
    )


def test_diamond_includes_are_not_cycles(project: Path) -> None:
    write(project / "facts" / "left.fact", 'use "common.fact"\nshare(Huawei, China, 2023) = 12%\n')
    write(project / "facts" / "right.fact", 'use "common.fact"\nshare(Apple, China, 2024) = 15%\n')
    write(project / "facts" / "top.fact", 'use "left.fact"\nuse "right.fact"\npartner(Apple, Alibaba)\n')

    base = load(["facts/top.fact"], root=project)

    assert base.files == ("facts/common.fact", "facts/left.fact", "facts/right.fact", "facts/top.fact")
    assert len(base.facts) == 3


def test_a_file_named_twice_is_loaded_once(project: Path) -> None:
    base = load(["facts/market.fact", "facts/common.fact", "facts", "./facts/market.fact"], root=project)

    assert base.files == ("facts/common.fact", "facts/market.fact")
    assert len(base.facts) == 8


def test_a_long_chain_of_includes(project: Path) -> None:
    for n in range(1500):
        write(project / "chain" / f"f{n}.fact", f'use "f{n + 1}.fact"\n' if n < 1499 else "kind Company\n")

    base = load(["chain/f0.fact"], root=project, cache=False)

    assert len(base.files) == 1500
    assert base.files[0] == "chain/f1499.fact"


def test_a_cycle_through_three_files(project: Path) -> None:
    write(project / "c" / "a.fact", 'use "b.fact"\n')
    write(project / "c" / "b.fact", 'use "c.fact"\n')
    write(project / "c" / "c.fact", 'use "a.fact"\n')

    with pytest.raises(CheckError) as info:
        load(["c/a.fact"], root=project)

    (d,) = info.value.diagnostics
    assert d.message == "include cycle: c/a.fact -> c/b.fact -> c/c.fact -> c/a.fact"


# --- the parse cache ------------------------------------------------------------------


def _parse_fails(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make parsing fail loudly; returns the paths it was asked to parse."""
    asked: list[str] = []

    def parse(text: str | bytes, path: str = "<string>") -> ParsedFile:
        asked.append(path)
        raise AssertionError(f"parsed {path} again")

    monkeypatch.setattr(factlang.loader, "parse", parse)
    return asked


def _entries(project: Path) -> list[Path]:
    return sorted((project / ".factlang_cache" / "parse").glob("*.pickle"))


def test_a_second_load_reads_the_parse_cache(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load(["facts"], root=project)
    _parse_fails(monkeypatch)

    second = load(["facts"], root=project)

    assert second == first
    assert len(_entries(project)) == 4  # each file and its declarations alone


def test_the_cache_folder_tells_git_to_ignore_it(project: Path) -> None:
    load(["facts"], root=project)

    assert (project / ".factlang_cache" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_a_changed_file_is_parsed_again(project: Path) -> None:
    load(["facts"], root=project)
    write(project / "facts" / "market.fact", MARKET.replace("= 16%", "= 17%"))

    base = load(["facts"], root=project)

    assert base.facts[0].value == Percent(Decimal(17))


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda data: b"\x80\x04garbage" * 3, id="garbage"),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: data.split(b"\n", 1)[0] + b"\nnot a pickle", id="bad-body"),
    ],
)
def test_a_corrupt_cache_entry_is_ignored_and_rebuilt(
    project: Path, monkeypatch: pytest.MonkeyPatch, spoil: object
) -> None:
    expected = load(["facts"], root=project)
    for entry in _entries(project):
        entry.write_bytes(spoil(entry.read_bytes()))  # type: ignore[operator]

    assert load(["facts"], root=project) == expected

    _parse_fails(monkeypatch)
    assert load(["facts"], root=project) == expected  # rebuilt: read from the cache again


class _Planted:
    """A pickle that runs code when loaded, as a crafted cache entry would."""

    ran: ClassVar[list[str]] = []

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (_Planted.ran.append, ("code ran",))


def test_a_planted_cache_entry_is_never_unpickled(project: Path) -> None:
    import pickle

    expected = load(["facts"], root=project)
    for entry in _entries(project):
        # A repository can ship an entry under the right name, but not sign it.
        entry.write_bytes(pickle.dumps(_Planted()))

    assert load(["facts"], root=project) == expected
    assert _Planted.ran == []


def test_entries_are_signed_with_a_key_outside_the_project(project: Path, tmp_path: Path) -> None:
    load(["facts"], root=project)
    key = factlang.cache._signing_key()

    assert key is not None
    assert len(key) == 32
    assert not any(project.rglob("cache-key"))


def test_cache_false_neither_reads_nor_writes_the_cache(project: Path) -> None:
    load(["facts"], root=project, cache=False)

    assert not (project / ".factlang_cache").exists()


def test_a_configured_cache_folder(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.factlang]\nsources = ["seeds"]\ncache = "build/cache"\n', encoding="utf-8"
    )

    load(["facts"], root=project)

    assert len(list((project / "build" / "cache" / "parse").glob("*.pickle"))) == 4


def test_files_with_syntax_errors_are_not_cached(project: Path) -> None:
    write(project / "facts" / "broken.fact", "kind (\n")

    with pytest.raises(ParseError):
        load(["facts"], root=project)

    assert len(_entries(project)) == 4  # each file and its declarations alone


# --- parsing in parallel ------------------------------------------------------------


def test_files_the_fast_path_takes_are_parsed_here(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sending a syntax tree back from a worker costs more than the fast path's parse."""
    monkeypatch.setattr(factlang.loader, "_POOL_MIN_CORES", 1)
    monkeypatch.setattr(factlang.loader, "_PARALLEL_MIN_BYTES", 0)

    def no_pool(**kwargs: object) -> None:
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)

    assert load(["facts"], root=project, cache=False).facts


def test_no_workers_without_cores_to_spare(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(factlang.loader, "parse_fast", lambda data, path: None)
    monkeypatch.setattr(factlang.loader, "_PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(factlang.loader, "usable_cores", lambda: 2)

    def no_pool(**kwargs: object) -> None:
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)

    assert load(["facts"], root=project, cache=False).facts


def use_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send every parse to worker processes: as if every file needed Lark, on a machine with cores to spare."""
    monkeypatch.setattr(factlang.loader, "parse_fast", lambda data, path: None)
    monkeypatch.setattr(factlang.loader, "_POOL_MIN_CORES", 1)
    monkeypatch.setattr(factlang.loader, "_PARALLEL_MIN_BYTES", 0)


def test_parallel_parsing_gives_the_same_fact_base(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = load(["facts"], root=project, cache=False)
    use_workers(monkeypatch)

    assert load(["facts"], root=project, cache=False) == serial


def test_parse_errors_come_back_from_worker_processes(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(project / "facts" / "broken.fact", "kind Company\nentity Vivo Company\n")
    use_workers(monkeypatch)

    with pytest.raises(ParseError) as info:
        load(["facts"], root=project, cache=False)

    (d,) = info.value.diagnostics
    assert (d.path, d.line, d.column) == ("facts/broken.fact", 2, 13)


# --- JSON ----------------------------------------------------------------------------


def test_json_round_trip_gives_an_equal_fact_base(project: Path) -> None:
    base = load(["facts"], root=project)

    data = json.loads(json.dumps(to_json(base)))

    assert from_json(data) == base


def test_json_round_trip_keeps_locations_and_precision(project: Path) -> None:
    base = load(["facts"], root=project)
    data = json.loads(json.dumps(to_json(base)))

    again = from_json(data)

    assert to_json(again) == data
    assert again.facts[0].location == m.Location("facts/market.fact", 3, 1)


def test_json_keeps_the_digits_as_written() -> None:
    base = m.FactBase(facts=(m.Fact("share", (Year(2024),), "=", Percent(Decimal("16.0"))),))

    value = from_json(json.loads(json.dumps(to_json(base)))).facts[0].value

    assert isinstance(value, Percent)
    assert str(value.amount) == "16.0"
