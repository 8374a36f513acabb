"""The verifier on the seed articles: every verdict of SPEC §3 and every check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factlang.config import load_config
from factlang.diagnostics import LoadError
from factlang.loader import load_project
from factlang.model import Citation, Entity, Fact, FactBase, Param, Predicate, Source
from factlang.report import FactResult, Report
from factlang.values import Date, EntityRef, Percent, Year
from factlang.verify import Verifier, fact_verdict, verify
from factlang.verify.citations import Checker
from factlang.verify.text import Document
from tests.conftest import MakeProject


def run(root: Path, *, strict: bool = False) -> Report:
    config = load_config(root)
    return verify(load_project(config), strict=strict, root=root)


def only(report: Report) -> FactResult:
    assert len(report.facts) == 1
    return report.facts[0]


REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("select", "ignore"), [(None, ()), (None, ("FL205", "FL202")), (("FL202",), ())])
def test_a_verifier_gives_each_fact_the_result_verify_gives_it(
    select: tuple[str, ...] | None, ignore: tuple[str, ...]
) -> None:
    config = load_config(REPO)
    base = load_project(config)
    report = verify(base, root=config.root, select=select, ignore=ignore)
    verifier = Verifier(base, root=config.root, select=select, ignore=ignore)

    # One by one, in another order (last first): the same results as the whole run's.
    one_by_one = [verifier.check(fact) for fact in reversed(base.facts)][::-1]

    assert one_by_one == list(report.facts)
    assert len(one_by_one) == 88
    assert sum(c.verdict == "refuted" for r in one_by_one for c in r.citations) == 4  # the known errors


def test_a_verifier_reads_every_cited_source_at_once(make_project: MakeProject) -> None:
    root = make_project(
        'share(Huawei, China, 2024) = 16%\n    @ cnn "Huawei, posted a market share of 16%"\n'
    )
    (root / "seeds" / "003_de8af479a19a1395.txt").write_bytes(b"\xff")
    base = load_project(load_config(root))

    with pytest.raises(LoadError, match="not valid UTF-8"):
        Verifier(base, root=root)


# --- supported ------------------------------------------------------------------


def test_quote_that_states_the_value_supports(make_project: MakeProject) -> None:
    root = make_project(
        'share(Huawei, China, 2024) = 16%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
    )
    result = only(run(root))
    assert result.verdict == "supported"
    cite = result.citations[0]
    assert cite.matched is not None
    assert cite.matched.text == "16%"
    assert cite.span is not None
    text = (root / "seeds/003_de8af479a19a1395.txt").read_text(encoding="utf-8")
    assert text[cite.span[0] : cite.span[1]] == "Huawei, posted a market share of 16% in China"
    assert cite.evidence is not None
    assert cite.evidence.startswith("Last year, Huawei")
    assert cite.warnings == ()  # "Last year" in a 2025 article is 2024


def test_curly_apostrophe_in_source_matches_straight_quote(make_project: MakeProject) -> None:
    root = make_project('share(Apple, China, 2024) = 15%\n    @ cnn "overtaking Apple\'s 15%"\n')
    result = only(run(root))
    assert result.verdict == "supported"
    assert result.citations[0].similarity == 1.0


def test_money_with_currency_name_after_the_number(make_project: MakeProject) -> None:
    root = make_project(
        'price(Alibaba, 2025-02-12) = HK$113.10\n    @ wsj "7.8% higher to 113.10 Hong Kong dollars"\n'
    )
    assert only(run(root)).verdict == "supported"


def test_signed_change_needs_the_stated_direction(make_project: MakeProject) -> None:
    root = make_project(
        "revenue_change(Apple, GreaterChina, 2024-Q4) = -11%\n"
        '    @ wsj "Apple’s revenue from the Greater China region fell 11% in the quarter ended December"\n'
        '    @ blog "with an 11% decrease reported for the quarter ending last December"\n'
    )
    result = only(run(root))
    assert result.verdict == "supported"
    assert [c.verdict for c in result.citations] == ["supported", "supported"]
    assert all(c.warnings == () for c in result.citations)  # the quarter follows from "December"


def test_coordinated_declines_each_support_their_year(make_project: MakeProject) -> None:
    root = make_project(
        "fiscal_change(Apple, GreaterChina, FY2023) = -2.2%\n"
        '    @ blog "followed by further declines of 7.7% in fiscal year 2024 and 2.2% in fiscal year 2023"\n'
    )
    assert only(run(root)).verdict == "supported"


def test_more_than_supports_a_lower_bound(make_project: MakeProject) -> None:
    root = make_project(
        "stock_change(Alibaba, 2025-02-13) > 30%\n"
        '    @ cnn "Its Hong Kong-listed shares has surged by more than 40% since hitting a two-year low"\n'
    )
    assert only(run(root)).verdict == "supported"


def test_date_from_publication_year(make_project: MakeProject) -> None:
    root = make_project(
        'released("Qwen 2.5-Max") = 2025-01-29\n'
        '    @ blog "on January 29, the team behind Alibaba’s Tongyi Qianwen quietly launched the model Qwen 2.5-Max"\n'
    )
    assert only(run(root)).verdict == "supported"


def test_entity_value_is_checked_by_mention(make_project: MakeProject) -> None:
    root = make_project(
        'top_seller(China, 2023) = Apple\n    @ cnn "In 2023, Apple was the top mobile phone seller in the country"\n'
        'top_seller(China, 2023) = Huawei\n    @ cnn "In 2023, Apple was the top mobile phone seller in the country"\n'
    )
    verdicts = [f.verdict for f in run(root).facts]
    assert verdicts == ["supported", "unverified"]


def test_relation_supported_by_a_located_quote(make_project: MakeProject) -> None:
    root = make_project(
        'partner(Apple, Alibaba)\n    @ cnn "Apple will work with Chinese tech giant Alibaba to roll out AI services"\n'
    )
    result = only(run(root))
    assert result.verdict == "supported"
    assert result.citations[0].warnings == ()


# --- refuted --------------------------------------------------------------------


def test_changed_number_is_refuted_even_when_the_quote_drifts(make_project: MakeProject) -> None:
    root = make_project(
        'share(Huawei, China, 2024) = 61%\n    @ cnn "Huawei, posted a market share of 61% in China"\n'
    )
    result = only(run(root))
    assert result.verdict == "refuted"
    cite = result.citations[0]
    assert cite.similarity is not None
    assert 0.9 <= cite.similarity < 1
    assert any(
        "the source says: “Huawei, posted a market share of 16% in China”" in w.message for w in cite.warnings
    )
    assert [q.text for q in cite.stated] == ["16%"]
    assert "states 16%, not = 61%" in cite.messages[0].message


def test_precision_is_respected(make_project: MakeProject) -> None:
    root = make_project(
        'share(Huawei, China, 2024) = 16.4%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
    )
    assert only(run(root)).verdict == "refuted"


def test_approximately_holds_within_the_stated_precision(make_project: MakeProject) -> None:
    root = make_project(
        'share(Huawei, China, 2024) ~ 16.0%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
        'share(Huawei, China, 2024) ~ 17%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
    )
    assert [f.verdict for f in run(root).facts] == ["supported", "refuted"]


def test_currency_must_agree(make_project: MakeProject) -> None:
    root = make_project(
        'price(Alibaba, 2025-02-12) = $113.10\n    @ wsj "7.8% higher to 113.10 Hong Kong dollars"\n'
    )
    result = only(run(root))
    assert result.verdict == "refuted"
    assert "HKD, not USD" in result.citations[0].messages[0].message


def test_opposite_direction_is_refuted(make_project: MakeProject) -> None:
    root = make_project(
        "revenue_change(Apple, GreaterChina, 2024-Q4) = -11%\n"
        '    @ reuters "Apple’s Greater China Sales rose 11% to $185.1 billion"\n'
    )
    result = only(run(root))
    assert result.verdict == "refuted"
    message = result.citations[0].messages[0].message
    # Issue 15 item 7: what the text states and why it does not match.
    assert message == "the quote states +11%, not = -11%: +11% states an increase, the fact a decrease"


# --- unverified, not-found, uncited, disputed --------------------------------------


def test_quote_without_a_quantity_is_unverified(make_project: MakeProject) -> None:
    root = make_project(
        'share(Apple, China, 2024) = 15%\n    @ cnn "Apple has been losing market share in China to domestic rivals"\n'
    )
    result = only(run(root))
    assert result.verdict == "unverified"
    # Issue 15 item 7: what was looked for, where, and what is there instead.
    assert [m.message for m in result.citations[0].messages] == [
        "no Percent in the quote or its sentence; it states no quantity"
    ]


def test_unverified_names_what_the_sentence_states_instead(make_project: MakeProject) -> None:
    root = make_project(
        'price(Apple, 2025-02-13) = $14.53\n    @ cnn "In 2023, Apple was the top mobile phone seller in the country"\n'
    )
    message = only(run(root)).citations[0].messages[0].message
    assert message == "no Money in the quote or its sentence; it states Year 2023, 19%"


def test_a_signed_fact_against_a_number_with_no_direction_is_unverified(make_project: MakeProject) -> None:
    root = make_project(
        "revenue_change(Apple, GreaterChina, 2024-Q4) = +19%\n"
        '    @ cnn "Apple was the top mobile phone seller in the country with 19% of market share"\n'
    )
    result = only(run(root))
    assert result.verdict == "unverified"
    assert result.citations[0].messages[0].message == (
        "the quote states 19% but no direction of change (rose, fell, up, down...), "
        "so nothing that bears on the signed = +19%"
    )


def test_not_found_shows_the_closest_passage_and_its_similarity(make_project: MakeProject) -> None:
    root = make_project(
        'share(Huawei, China, 2024) = 61%\n    @ cnn "Huawei posted a market share of 61% in Japan"\n'
    )
    cite = only(run(root)).citations[0]
    assert cite.verdict == "not-found"
    assert cite.messages[0].message == (
        "the quote is not in cnn; the closest passage is 88% similar (90% needed): "
        "“Huawei, posted a market share of 16% in China”"
    )


def test_a_quote_over_the_length_limit_is_not_searched(make_project: MakeProject) -> None:
    root = make_project(f'share(Huawei, China, 2024) = 16%\n    @ cnn "{"Huawei posted 16% " * 400}"\n')
    cite = only(run(root)).citations[0]
    assert cite.verdict == "not-found"
    assert "quotes over 5,000 characters are not searched" in cite.messages[0].message


def test_invented_quote_is_not_found(make_project: MakeProject) -> None:
    root = make_project(
        'share(Apple, China, 2024) = 15%\n    @ cnn "Apple gained a market share of 30% in Japan last spring"\n'
    )
    result = only(run(root))
    assert result.verdict == "not-found"
    assert result.citations[0].span is None


def test_fact_without_citation_is_uncited(make_project: MakeProject) -> None:
    root = make_project("share(Apple, China, 2023) = 19%\n")
    assert only(run(root)).verdict == "uncited"


def test_citations_that_disagree_make_a_dispute(make_project: MakeProject) -> None:
    root = make_project(
        "revenue_change(Apple, GreaterChina, 2024-Q4) = -11%\n"
        '    @ wsj "Apple’s revenue from the Greater China region fell 11%"\n'
        '    @ reuters "Apple’s Greater China Sales rose 11%"\n'
    )
    result = only(run(root))
    assert result.verdict == "disputed"
    assert [c.verdict for c in result.citations] == ["supported", "refuted"]


# --- contradicts ------------------------------------------------------------------


def test_contradicts_citation_is_an_expected_failure(make_project: MakeProject) -> None:
    root = make_project(
        "revenue_change(Apple, GreaterChina, 2024-Q4) = -11%\n"
        '    @ wsj "Apple’s revenue from the Greater China region fell 11%"\n'
        '    @ reuters "Apple’s Greater China Sales rose 11%" contradicts\n'
    )
    report = run(root)
    result = only(report)
    assert result.verdict == "supported"
    assert result.passed
    assert report.ok
    assert report.summary()["expected_failures"] == 1


def test_contradicts_citation_that_now_supports_fails(make_project: MakeProject) -> None:
    root = make_project(
        "revenue_change(Apple, GreaterChina, 2024-Q4) = -11%\n"
        '    @ wsj "Apple’s revenue from the Greater China region fell 11%"\n'
        '    @ blog "with an 11% decrease reported" contradicts\n'
    )
    report = run(root)
    result = only(report)
    assert result.verdict == "supported"
    assert not result.passed
    assert not report.ok
    assert "no longer reproduces" in result.messages[0].message


# --- mentions ---------------------------------------------------------------------


def test_missing_entity_mention_is_a_warning(make_project: MakeProject) -> None:
    root = make_project(
        'share(Baidu, China, 2024) = 16%\n    @ cnn "posted a market share of 16% in China"\n'
    )
    report = run(root)
    result = only(report)
    assert result.verdict == "supported"
    assert any("company Baidu is not mentioned" in w.message for w in result.warnings)
    assert report.ok
    assert not run(root, strict=True).ok  # --strict fails on warnings


def test_missing_time_mention_is_a_warning(make_project: MakeProject) -> None:
    root = make_project(
        'share(Huawei, China, 2021) = 16%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
    )
    assert any("year 2021 is not stated" in w.message for w in only(run(root)).warnings)


def test_run_together_sentence_boundary_ends_a_name(make_project: MakeProject) -> None:
    root = make_project(
        "partner(Apple, DeepSeek)\n"
        '    @ blog "Ultimately, Apple decided against utilizing Deepseek\'s model"\n'
    )
    assert only(run(root)).citations[0].warnings == ()


# --- auto-evidence ----------------------------------------------------------------


def test_citation_without_quote_finds_its_evidence(make_project: MakeProject) -> None:
    root = make_project("share(Huawei, China, 2023) = 12%\n    @ cnn\n")
    result = only(run(root))
    assert result.verdict == "supported"
    cite = result.citations[0]
    assert cite.auto
    assert cite.evidence == "Huawei trailed behind at 12%."


def test_citation_without_quote_and_no_evidence_is_not_found(make_project: MakeProject) -> None:
    root = make_project("share(Baidu, China, 2023) = 12%\n    @ cnn\n")
    assert only(run(root)).verdict == "not-found"


# --- conflicts --------------------------------------------------------------------


def test_facts_whose_values_cannot_all_hold_conflict(make_project: MakeProject) -> None:
    root = make_project(
        'share(Huawei, China, 2024) = 16%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
        'share(Huawei, China, 2024) < 10%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
        'share(Huawei, China, 2024) > 15%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
    )
    report = run(root)
    assert len(report.conflicts) == 1
    conflict = report.conflicts[0]
    assert conflict.key == "share(Huawei, China, 2024)"
    assert [f.claim for f in conflict.facts] == [
        "share(Huawei, China, 2024) = 16%",
        "share(Huawei, China, 2024) < 10%",
        "share(Huawei, China, 2024) > 15%",
    ]
    assert conflict.sources == ("cnn",)
    assert not report.ok


def test_compatible_facts_do_not_conflict(make_project: MakeProject) -> None:
    root = make_project(
        'share(Huawei, China, 2024) = 16%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
        'share(Huawei, China, 2024) > 15%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
        'share(Huawei, China, 2024) ~ 16.0%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
    )
    assert run(root).conflicts == ()


def test_relation_and_its_negation_conflict(make_project: MakeProject) -> None:
    root = make_project(
        'partner(Apple, Alibaba)\n    @ cnn "Apple will work with Chinese tech giant Alibaba"\n'
        'not partner(Apple, Alibaba)\n    @ cnn "Apple will work with Chinese tech giant Alibaba"\n'
    )
    assert len(run(root).conflicts) == 1


# --- corpus -----------------------------------------------------------------------


def test_non_utf8_source_is_a_clear_error(make_project: MakeProject) -> None:
    root = make_project('share(Huawei, China, 2024) = 16%\n    @ bad "x"\nsource bad = "bad.txt"\n')
    (root / "bad.txt").write_bytes(b"caf\xe9 au lait")
    with pytest.raises(LoadError) as info:
        run(root)
    assert "source 'bad' (bad.txt) is not valid UTF-8 (byte 0xe9 at offset 3)" in str(info.value)


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        ([], "uncited"),
        (["supported", "not-found"], "supported"),
        (["supported", "refuted"], "disputed"),
        (["refuted", "unverified"], "refuted"),
        (["unverified", "not-found"], "unverified"),
        (["not-found"], "not-found"),
    ],
)
def test_fact_verdict_table(verdicts: list[str], expected: str) -> None:
    from factlang.report import CitationResult

    results = [CitationResult(Citation("s", "q"), v) for v in verdicts]  # type: ignore[arg-type]
    assert fact_verdict(results) == expected


# --- robustness -------------------------------------------------------------------

_ENTITIES = {"A": Entity("A", "K", ("Apple",)), "B": Entity("B", "K")}
_PREDICATES = {
    "p": Predicate("p", (Param("a", "K"), Param("y", "Year")), "Percent"),
    "r": Predicate("r", (Param("a", "K"), Param("d", "Date"))),
}
_FACTS = [
    Fact("p", (EntityRef("A"), Year(2024)), "=", Percent(Decimal("-11"), None, signed=True)),
    Fact("p", (EntityRef("A"), Year(2024)), "~", Percent(Decimal("16"))),
    Fact("r", (EntityRef("A"), Date(dt.date(2025, 2, 13))), negated=True),
]


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet=st.characters(codec="utf-8"), max_size=400),
    cut=st.tuples(st.integers(0, 400), st.integers(0, 120)),
    fact=st.sampled_from(_FACTS),
    auto=st.booleans(),
    contradicts=st.booleans(),
)
def test_any_source_text_and_quote_gives_a_verdict(
    text: str, cut: tuple[int, int], fact: Fact, auto: bool, contradicts: bool
) -> None:
    quote = None if auto else (text[cut[0] : cut[0] + cut[1]] or "x")
    source = Source("s", "s.txt", published=dt.date(2025, 2, 13))
    base = FactBase(sources={"s": source}, entities=_ENTITIES, predicates=_PREDICATES)
    result = Checker(base, {"s": Document(text)}).check(fact, Citation("s", quote, contradicts))
    assert result.verdict in ("supported", "refuted", "unverified", "not-found")
    if result.span is not None:
        assert 0 <= result.span[0] <= result.span[1] <= len(text)


# --- source by source -------------------------------------------------------------


def test_each_document_is_released_once_its_citations_are_checked(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factlang.verify import corpus as corpus_module

    root = make_project(
        'share(Huawei, China, 2024) = 16%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
        'share(Apple, China, 2024) = 15%\n    @ cnn "overtaking Apple\'s 15%"\n'
    )
    resident: list[int] = []
    release = corpus_module.Corpus.release

    def spy(self: corpus_module.Corpus, source_id: str) -> None:
        release(self, source_id)
        resident.append(len(self._docs))

    monkeypatch.setattr(corpus_module.Corpus, "release", spy)
    report = run(root)
    assert [f.verdict for f in report.facts] == ["supported", "supported"]
    assert resident == [0]  # one source, read once, released after both its citations


def test_texts_beyond_the_budget_are_read_again_and_only_while_unchanged(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factlang.verify import corpus as corpus_module

    monkeypatch.setattr(corpus_module.SourceTexts.__init__, "__defaults__", (0,))
    root = make_project(
        'share(Huawei, China, 2024) = 16%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
    )
    seed = root / "seeds/003_de8af479a19a1395.txt"
    checked = seed.read_text(encoding="utf-8")
    report = run(root)
    assert list(report.texts) == ["cnn"]
    assert report.texts["cnn"] == checked  # read again, not kept

    edited = run(root)
    seed.write_text("Another text altogether.\n", encoding="utf-8")
    assert "cnn" in edited.texts
    assert edited.texts.get("cnn") is None  # edited since it was checked: missing, not wrongly marked


def test_worker_processes_give_the_same_report() -> None:
    from factlang.render.json import render_json

    config = load_config(Path(__file__).resolve().parents[1])  # the project's own fact base
    base = load_project(config)
    one = verify(base, root=config.root)
    two = verify(base, root=config.root, jobs=2)
    assert len({c.source for f in base.facts for c in f.citations}) > 1  # really sharded
    assert render_json(two) == render_json(one)
    assert dict(two.texts) == dict(one.texts)
    assert two.origins == one.origins


def test_a_process_running_other_threads_is_never_forked_unasked() -> None:
    """``jobs=0`` forks only a single-threaded process (``mkdocs serve`` builds in a thread)."""
    import os
    import threading

    from factlang.verify import SHARD_MIN_CITATIONS, _jobs

    if threading.active_count() == 1:  # a test runner's own threads would count
        assert _jobs(0, SHARD_MIN_CITATIONS) == len(os.sched_getaffinity(0))
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert _jobs(0, SHARD_MIN_CITATIONS) == 1
        assert _jobs(2, SHARD_MIN_CITATIONS) == 2  # asked for: as asked
    finally:
        stop.set()
        other.join()


def test_worker_processes_report_every_unreadable_source(make_project: MakeProject) -> None:
    root = make_project(
        'source bad1 = "seeds/bad1.txt"\nsource bad2 = "seeds/bad2.txt"\n'
        'share(Huawei, China, 2024) = 16%\n    @ bad1 "Huawei"\n    @ bad2 "Huawei"\n'
        '    @ cnn "Huawei, posted a market share of 16% in China"\n'
    )
    for name in ("bad1", "bad2"):
        (root / "seeds" / f"{name}.txt").write_bytes(b"\xff\xfe\x00 not UTF-8 \xc3")
    config = load_config(root)
    base = load_project(config)
    with pytest.raises(LoadError) as one:
        verify(base, root=root)
    with pytest.raises(LoadError) as two:
        verify(base, root=root, jobs=2)
    assert [d.message for d in two.value.diagnostics] == [d.message for d in one.value.diagnostics]
    assert len(one.value.diagnostics) == 2


# --- which number states the value (stop 22: a second held-out corpus) ----------------

_GAME = (
    "Tyrese Maxey registered 32 points, 10 rebounds, and eight assists in the win. "
    "The ACI collects data for over 2,300 airports in 160 countries. "
    "The ruling party will have at least 50 seats out of 75 available. "
    "Sales fell more than 4 percent in the year. "
    "The party won a vote increase of almost 3 percent. "
    "Liverpool, having beaten bottom club Fulham 2-0 at Anfield, stayed second.\n"
)
_GAME_DECLARATIONS = (
    'source game = "seeds/game.txt"\n'
    "kind Player\nkind Org\nkind Team\n"
    'entity Maxey: Player aka "Tyrese Maxey"\nentity ACI: Org\nentity Ruling: Org aka "ruling party"\n'
    "entity Sales: Org\nentity Party: Org\nentity Liverpool: Team\nentity Fulham: Team\n"
    "predicate nba_assists(player: Player) -> Number\n"
    "predicate nba_points(player: Player) -> Number\n"
    "predicate airports_covered(org: Org) -> Number\n"
    "predicate list_seats(org: Org) -> Number\n"
    "predicate sales_change(org: Org) -> Percent\n"
    "predicate vote_change(org: Org) -> Percent\n"
    'predicate beat(winner: Team, loser: Team) aka "beat"\n'
)


def _verdicts(make_project: MakeProject, facts: str) -> list[str]:
    root = make_project(_GAME_DECLARATIONS + facts, declarations=False)
    (root / "seeds" / "game.txt").write_text(_GAME, encoding="utf-8")
    return [f.verdict for f in run(root).facts]


def test_a_count_is_of_the_noun_after_it(make_project: MakeProject) -> None:
    # 10 counts rebounds: it cannot state the assists (it supported them); "eight assists" refutes.
    assert _verdicts(
        make_project,
        'nba_assists(Maxey) = 10\n    @ game "32 points, 10 rebounds, and eight assists"\n'
        'nba_assists(Maxey) = 8\n    @ game "32 points, 10 rebounds, and eight assists"\n'
        'nba_points(Maxey) = 32\n    @ game "32 points, 10 rebounds, and eight assists"\n'
        # 160 counts countries: only "over 2,300 airports" bears on the airports.
        'airports_covered(ACI) < 2300\n    @ game "collects data for over 2,300 airports in 160 countries"\n'
        # "out of 75" counts the same seats.
        'list_seats(Ruling) > 75\n    @ game "at least 50 seats out of 75 available"\n',
    ) == ["refuted", "supported", "supported", "refuted", "refuted"]


def test_bounds_on_a_fall_and_approximate_numbers(make_project: MakeProject) -> None:
    assert _verdicts(
        make_project,
        'sales_change(Sales) < -4%\n    @ game "Sales fell more than 4 percent in the year"\n'
        'sales_change(Sales) > -4%\n    @ game "Sales fell more than 4 percent in the year"\n'
        'vote_change(Party) < +3%\n    @ game "a vote increase of almost 3 percent"\n'
        'vote_change(Party) > +3%\n    @ game "a vote increase of almost 3 percent"\n'
        'vote_change(Party) > +2.8%\n    @ game "a vote increase of almost 3 percent"\n',
    ) == ["supported", "refuted", "supported", "refuted", "unverified"]


def test_an_unsettled_bound_says_so(make_project: MakeProject) -> None:
    root = make_project(
        _GAME_DECLARATIONS + 'vote_change(Party) > +2.8%\n    @ game "a vote increase of almost 3 percent"\n',
        declarations=False,
    )
    (root / "seeds" / "game.txt").write_text(_GAME, encoding="utf-8")
    (message,) = only(run(root)).citations[0].messages
    assert "does not settle > +2.8%" in message.message


def test_an_irregular_participle_states_a_relation(make_project: MakeProject) -> None:
    assert _verdicts(
        make_project,
        'beat(Liverpool, Fulham)\n    @ game "Liverpool, having beaten bottom club Fulham 2-0"\n',
    ) == ["supported"]


def test_a_respective_list_gives_each_name_its_number(make_project: MakeProject) -> None:
    root = make_project(
        'source prices = "seeds/prices.txt"\nkind Region\nentity London: Region\n'
        'entity Northern_Ireland: Region aka "Northern Ireland"\nentity Wales: Region\n'
        "predicate price_change(region: Region) -> Percent\n"
        'price_change(Northern_Ireland) = +4.4%\n    @ prices "house prices increasing by 4.4% and 14.6%"\n'
        'price_change(Northern_Ireland) = +14.6%\n    @ prices "house prices increasing by 4.4% and 14.6%"\n'
        'price_change(London) = +4.4%\n    @ prices "house prices increasing by 4.4% and 14.6%"\n',
        declarations=False,
    )
    (root / "seeds" / "prices.txt").write_text(
        "However, London and Northern Ireland bucked this trend with house prices increasing by "
        "4.4% and 14.6% respectively during the first quarter, while Wales was flat.\n",
        encoding="utf-8",
    )
    assert [f.verdict for f in run(root).facts] == ["refuted", "supported", "supported"]


def test_labelled_and_compared_lists_give_each_name_its_number(make_project: MakeProject) -> None:
    root = make_project(
        'source poll = "seeds/poll.txt"\nkind Party\nkind Market\n'
        'entity Christian_Democrats: Party aka "Christian-Democratic Party"\n'
        'entity Labor: Party aka "Labor Party"\n'
        'entity Emerging: Market aka "emerging markets"\nentity Mature: Market aka "mature markets"\n'
        "predicate vote_share(party: Party) -> Percent\npredicate growth(market: Market) -> Percent\n"
        'vote_share(Christian_Democrats) = 6.7%\n    @ poll "the Christian-Democratic Party – 7.9%; the Labor Party – 6.7%"\n'
        'vote_share(Labor) = 6.7%\n    @ poll "the Christian-Democratic Party – 7.9%; the Labor Party – 6.7%"\n'
        'growth(Mature) = +8.1%\n    @ poll "emerging markets soared 8.1 percent"\n'
        'growth(Mature) = +5.2%\n    @ poll "emerging markets soared 8.1 percent"\n'
        'growth(Emerging) = +5.2%\n    @ poll "emerging markets soared 8.1 percent"\n'
        'growth(Emerging) = +8.1%\n    @ poll "emerging markets soared 8.1 percent"\n',
        declarations=False,
    )
    (root / "seeds" / "poll.txt").write_text(
        "The results: the Christian-Democratic Party – 7.9%; the Labor Party – 6.7%.\n\n"
        "Traffic in emerging markets soared 8.1 percent in 2015, compared with a 5.2\n"
        "percent rise in slower-growing mature markets.\n",
        encoding="utf-8",
    )
    verdicts = [f.verdict for f in run(root).facts]
    assert verdicts == ["refuted", "supported", "refuted", "supported", "refuted", "supported"]


def test_a_number_followed_by_its_time_is_that_time(make_project: MakeProject) -> None:
    root = make_project(
        'source tb = "seeds/tb.txt"\nkind Region\nentity World: Region aka "global"\n'
        "predicate death_rate(region: Region, year: Year) -> Number\n"
        "predicate growth(region: Region, year: Year) -> Percent\n"
        'death_rate(World, 2023) = 17\n    @ tb "has declined from 17 in 2015 to 13 in 2023"\n'
        'death_rate(World, 2023) = 13\n    @ tb "has declined from 17 in 2015 to 13 in 2023"\n'
        'death_rate(World, 2015) = 17\n    @ tb "has declined from 17 in 2015 to 13 in 2023"\n'
        'growth(World, 2024) = +5%\n    @ tb "rose 5% in 2023 and 3% in 2024"\n'
        'growth(World, 2024) = +3%\n    @ tb "rose 5% in 2023 and 3% in 2024"\n',
        declarations=False,
    )
    (root / "seeds" / "tb.txt").write_text(
        "The global TB death rate per 100,000 people has declined from 17 in 2015 to 13 in 2023.\n\n"
        "Global spending rose 5% in 2023 and 3% in 2024.\n",
        encoding="utf-8",
    )
    verdicts = [f.verdict for f in run(root).facts]
    assert verdicts == ["refuted", "supported", "supported", "refuted", "supported"]


def test_a_number_paired_with_a_name_is_that_names(make_project: MakeProject) -> None:
    root = make_project(
        'source fbi = "seeds/fbi.txt"\nkind Crime\n'
        'entity Violent: Crime aka "violent crimes"\nentity Property: Crime aka "property crimes"\n'
        'entity Rape: Crime aka "rape", "rapes"\nentity Robbery: Crime aka "robbery", "robberies"\n'
        "predicate change(crime: Crime) -> Percent\npredicate share(crime: Crime) -> Percent\n"
        'change(Violent) = -3.4%\n    @ fbi "a 3.1 percent increase in violent crimes"\n'
        'change(Violent) = +3.1%\n    @ fbi "a 3.1 percent increase in violent crimes"\n'
        'share(Rape) = 27.3%\n    @ fbi "robbery (27.3 percent) and rape (7.5 percent)"\n'
        'share(Rape) = 7.5%\n    @ fbi "robbery (27.3 percent) and rape (7.5 percent)"\n',
        declarations=False,
    )
    (root / "seeds" / "fbi.txt").write_text(
        "The report reveals a 3.1 percent increase in violent crimes and a 3.4 percent decrease "
        "in property crimes last year.\n\n"
        "Murders were 1.3 percent, compared to robbery (27.3 percent) and rape (7.5 percent).\n",
        encoding="utf-8",
    )
    assert [f.verdict for f in run(root).facts] == ["refuted", "supported", "refuted", "supported"]


def test_an_elliptical_list_gives_each_name_the_number_after_it(make_project: MakeProject) -> None:
    root = make_project(
        'source a = "seeds/a.txt"\nkind Crime\nkind Company\n'
        'entity Robbery: Crime aka "robberies"\nentity Rape: Crime aka "rapes"\n'
        "entity Samsung: Company\nentity Apple: Company\nentity Huawei: Company\n"
        "predicate change(c: Crime) -> Percent\npredicate shipped(c: Company) -> Number\n"
        "predicate growth(c: Company) -> Percent\n"
        'change(Rape) = +6.3%\n    @ a "Robberies rose 6.3 percent and rapes 4.6 percent"\n'
        'change(Rape) = +4.6%\n    @ a "Robberies rose 6.3 percent and rapes 4.6 percent"\n'
        'shipped(Apple) = 84.5 million\n    @ a "Samsung shipped 84.5 million phones in the quarter, Apple 48 million"\n'
        'shipped(Apple) = 48 million\n    @ a "Samsung shipped 84.5 million phones in the quarter, Apple 48 million"\n',
        declarations=False,
    )
    (root / "seeds" / "a.txt").write_text(
        "Robberies rose 6.3 percent and rapes 4.6 percent in 2015.\n\n"
        "Samsung shipped 84.5 million phones in the quarter, Apple 48 million and Huawei 26.5 million.\n\n"
        "In the report, Apple said Samsung rose 5 percent while the market grew 2 percent.\n",
        encoding="utf-8",
    )
    verdicts = [f.verdict for f in run(root).facts]
    assert verdicts == ["refuted", "supported", "refuted", "supported"]


def test_respective_lists_of_lower_case_names_of_asides_and_of_what_is_measured(
    make_project: MakeProject,
) -> None:
    root = make_project(
        'source vn = "seeds/vn.txt"\nkind Goods\nkind Crop\n'
        'entity Fisheries: Goods aka "fisheries"\nentity Forestry: Goods aka "forestry products"\n'
        "entity Rice: Goods\nentity Wheat: Crop\nentity Durum_wheat: Crop\nentity Spring_wheat: Crop\n"
        "predicate export_value(g: Goods) -> Money\npredicate volume_growth(g: Goods) -> Percent\n"
        "predicate production_change(c: Crop) -> Percent\n"
        'export_value(Fisheries) = $2.25 billion\n    @ vn "fisheries and forestry products were estimated"\n'
        'export_value(Fisheries) = $1.97 billion\n    @ vn "fisheries and forestry products were estimated"\n'
        'volume_growth(Rice) = +13.8%\n    @ vn "11.8% and 13.8% year-on-year rises in volume and in value"\n'
        'volume_growth(Rice) = +11.8%\n    @ vn "11.8% and 13.8% year-on-year rises in volume and in value"\n'
        # "Durum wheat" names Durum wheat, not Wheat: 14 percent is Spring wheat's.
        'production_change(Durum_wheat) = +14%\n    @ vn "Durum wheat at 84.9 million bushels is up 18 percent"\n'
        'production_change(Durum_wheat) = +18%\n    @ vn "Durum wheat at 84.9 million bushels is up 18 percent"\n',
        declarations=False,
    )
    (root / "seeds" / "vn.txt").write_text(
        "Exports of fisheries and forestry products were estimated at US$1.97 billion (6.3% "
        "year-on-year rise) and US$2.25 billion (4.3% year-on-year rise) respectively.\n\n"
        "Rice exports made US$916 million, 11.8% and 13.8% year-on-year rises in volume and in "
        "value respectively.\n\n"
        "Spring wheat at 547 million bushels is up 14 percent while Durum wheat at 84.9 million "
        "bushels is up 18 percent.\n",
        encoding="utf-8",
    )
    verdicts = [f.verdict for f in run(root).facts]
    assert verdicts == ["refuted", "supported", "refuted", "supported", "refuted", "supported"]
