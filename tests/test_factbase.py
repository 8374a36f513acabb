"""The project's own fact base: every claim of the seed articles, kept honest."""

from __future__ import annotations

from collections import Counter

import pytest

from factlang.config import load_config
from factlang.loader import load_project
from factlang.report import Report
from factlang.verify import verify
from tests.conftest import REPO, SEEDS


@pytest.fixture(scope="module")
def report() -> Report:
    config = load_config(REPO)
    return verify(load_project(config), root=REPO)


def test_every_fact_is_supported(report: Report) -> None:
    failing = [(str(r.fact.location), r.verdict, r.messages) for r in report.facts if not r.passed]
    assert failing == []
    assert report.ok


def test_at_least_sixty_facts(report: Report) -> None:
    assert len(report.facts) >= 60


def test_every_article_is_cited(report: Report) -> None:
    cited = {report.base.sources[c.source].path for f in report.base.facts for c in f.citations}
    assert cited == {f"seeds/{p.name}" for p in SEEDS.glob("*.txt")}


def test_every_article_is_declared_with_a_date(report: Report) -> None:
    declared = [s for s in report.base.sources.values() if s.location is not None]
    assert len(declared) == 5
    assert all(s.published is not None for s in declared)


def test_known_errors_are_recorded_and_reproduce(report: Report) -> None:
    known = [
        (r.fact.key, c.citation.source, c.verdict)
        for r in report.facts
        for c in r.citations
        if c.citation.contradicts
    ]
    assert ("revenue_change(Apple, GreaterChina, 2024-Q4)", "reuters", "refuted") in known
    assert ("us_stock_change(Baidu, 2025-02-11)", "blog", "refuted") in known
    assert ("hk_stock_price(Alibaba, 2025-02-13)", "wsj", "refuted") in known
    assert ("works_with(Apple, Baidu)", "wsj", "refuted") in known  # a relation, checked (SPEC §3 step 4)
    assert all(verdict == "refuted" for _, _, verdict in known)


def test_several_articles_back_the_main_claims(report: Report) -> None:
    by_key = {r.fact.key: r for r in report.facts}
    partner = by_key["partner(Apple, Alibaba)"]
    assert {c.citation.source for c in partner.citations} == {"cnn", "reuters", "analysis", "blog", "wsj"}
    sources_per_fact = Counter(len({c.citation.source for c in r.citations}) for r in report.facts)
    assert sum(n for k, n in sources_per_fact.items() if k >= 2) >= 15


def test_no_conflicts_and_no_warnings_beyond_the_known_one(report: Report) -> None:
    assert report.conflicts == ()
    warnings = [w.text for r in report.facts for w in r.warnings]
    # The one warning: a contradicts citation from the day before.
    assert warnings == ["@wsj: day 2025-02-13 is not stated near the quote"]


def test_the_fact_base_is_in_canonical_layout() -> None:
    from factlang.cli import main

    assert main(["fmt", "--check", str(REPO / "facts")]) == 0
