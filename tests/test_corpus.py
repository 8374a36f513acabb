"""The real-world corpus (tests/corpus): every fact gets the verdict SPEC requires.

The corpus is checked once per test process (benchmarks/score_corpus.py, through
the CLI's JSON) and each fact is one test item. A fact listed in
tests/corpus/known_failures.txt must still fail, with the verdict listed there:
a listed fact that now passes (or fails differently) fails its item, like a
strict xfail, so the list only shrinks.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import score_corpus as sc  # noqa: E402  (benchmarks/ is not a package)

EXPECTATIONS = [e for items in sc.load_expectations().values() for e in items]
KNOWN = sc.read_known_failures()


@functools.cache
def _outcomes() -> dict[str, sc.Outcome]:
    return {outcome.expectation.key: outcome for outcome in sc.run_corpus()}


@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=[e.key for e in EXPECTATIONS])
def test_fact_gets_the_verdict_spec_requires(expectation: sc.Expectation) -> None:
    outcome = _outcomes()[expectation.key]
    known = KNOWN.get(expectation.key)
    said = f"{expectation.text}\n  expected {expectation.verdict}, got {outcome.got}: {outcome.explanation}"
    if known is None:
        assert outcome.correct, said
        return
    assert known.expected == expectation.verdict, (
        f"known_failures.txt lists {known.expected} but the fact expects {expectation.verdict}"
    )
    assert not outcome.correct, f"now passes: remove {expectation.key} from known_failures.txt\n{said}"
    assert outcome.got == known.got, (
        f"listed as {known.got}, now {outcome.got}: update known_failures.txt\n{said}"
    )


def test_known_failures_name_facts_of_the_corpus() -> None:
    keys = {e.key for e in EXPECTATIONS}
    assert sorted(set(KNOWN) - keys) == []


def test_corpus_is_large_and_every_source_is_cited() -> None:
    sources = sorted(p.stem for p in sc.SOURCES.glob("*.txt"))
    common = (sc.FACTS / "common.fact").read_text(encoding="utf-8")
    cited = "\n".join(p.read_text(encoding="utf-8") for p in sc.FACTS.glob("*.fact"))
    assert len(sources) >= 20
    assert len(EXPECTATIONS) >= 250
    for stem in sources:
        assert f"sources/{stem}.txt" in common, f"{stem} has no source declaration"
        assert stem in (sc.CORPUS / "SOURCES.md").read_text(encoding="utf-8"), (
            f"{stem} has no origin in SOURCES.md"
        )
    ids = [line.split()[1] for line in common.splitlines() if line.startswith("source ")]
    for source_id in ids:
        assert f"@ {source_id} " in cited, f"source {source_id} is never cited"


# --- The script's own logic, on small corpora of its own ---------------------------------


def _project(tmp_path: Path, facts: dict[str, str], text: str) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'scratch'\n", encoding="utf-8")
    (tmp_path / "facts").mkdir()
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "news.txt").write_text(text, encoding="utf-8")
    for name, body in facts.items():
        (tmp_path / "facts" / name).write_text(body, encoding="utf-8")
    return tmp_path


_DECLS = "kind Company\nentity Acme: Company\npredicate growth(c: Company) -> Percent\n"


def test_scores_each_fact_against_its_expectation(tmp_path: Path) -> None:
    body = (
        _DECLS + 'growth(Acme) = +5%  # expect: supported [direction]\n    @ news "Acme\'s sales rose 5%"\n'
        'growth(Acme) = -5%  # expect: refuted [direction]\n    @ news "Acme\'s sales rose 5%"\n'
        'growth(Acme) = +5%  # expect: refuted [value]\n    @ news "Acme\'s sales rose 5%"\n'
    )
    root = _project(tmp_path, {"a.fact": body}, "Acme's sales rose 5% last year.\n")
    outcomes = sc.run_corpus(root / "facts", root / "sources", root)
    assert [(o.expectation.line, o.expectation.verdict, o.got) for o in outcomes] == [
        (4, "supported", "supported"),
        (6, "refuted", "refuted"),
        (8, "refuted", "supported"),
    ]
    report = sc.render_report(outcomes, {})
    assert "a.fact:8: expected refuted, got supported [value] (NEW)" in report
    assert "direction" in report
    assert "value" in report


def test_a_file_that_does_not_load_counts_all_its_facts_as_misses(tmp_path: Path) -> None:
    body = (
        _DECLS
        + 'growth(Acme) = +5%  # expect: supported [direction]\n    @ news "x"\ngrowth(Nobody) = 1%  # expect: supported [value]\n'
    )
    root = _project(tmp_path, {"broken.fact": body}, "Acme's sales rose 5%.\n")
    outcomes = sc.run_corpus(root / "facts", root / "sources", root)
    assert [o.got for o in outcomes] == [sc.ERROR, sc.ERROR]
    assert all("did not load" in o.explanation for o in outcomes)


def test_a_fact_without_an_expectation_is_a_corpus_error(tmp_path: Path) -> None:
    body = _DECLS + 'growth(Acme) = +5%\n    @ news "Acme\'s sales rose 5%"\n'
    root = _project(
        tmp_path,
        {"a.fact": body + "growth(Acme) = +5%  # expect: supported [value]\n"},
        "Acme's sales rose 5%.\n",
    )
    with pytest.raises(sc.CorpusError, match="without an expectation"):
        sc.run_corpus(root / "facts", root / "sources", root)


def test_an_unknown_verdict_or_a_missing_tag_is_a_corpus_error(tmp_path: Path) -> None:
    (tmp_path / "a.fact").write_text("growth(Acme) = 1%  # expect: true [value]\n", encoding="utf-8")
    with pytest.raises(sc.CorpusError, match="unknown expected verdict"):
        sc.load_expectations(tmp_path)
    (tmp_path / "a.fact").write_text("growth(Acme) = 1%  # expect: supported []\n", encoding="utf-8")
    with pytest.raises(sc.CorpusError, match="rule tag"):
        sc.load_expectations(tmp_path)


def _outcome(line: int, expected: str, got: str) -> sc.Outcome:
    return sc.Outcome(sc.Expectation("a.fact", line, expected, ("value",), "f()"), got, "")


def test_known_failures_only_shrink(tmp_path: Path) -> None:
    outcomes = [
        _outcome(1, "supported", "refuted"),
        _outcome(2, "refuted", "refuted"),
        _outcome(3, "supported", "unverified"),
    ]
    listed = tmp_path / "known.txt"
    assert sc.write_known_failures(outcomes, listed, previous={}) == 2
    known = sc.read_known_failures(listed)
    assert sorted(known) == ["a.fact:1", "a.fact:3"]
    assert sc.compare_with_known(outcomes, known).ok
    # A new miss, a fixed fact, a changed verdict and a stale entry all disagree.
    later = [
        _outcome(1, "supported", "supported"),
        _outcome(2, "refuted", "unverified"),
        _outcome(3, "supported", "refuted"),
    ]
    known["a.fact:9"] = sc.KnownFailure("a.fact:9", "supported", "refuted", "gone")
    found = sc.compare_with_known(later, known)
    assert [o.expectation.key for o in found.new_misses] == ["a.fact:2"]
    assert [k.key for k in found.fixed] == ["a.fact:1"]
    assert [k.key for k, _ in found.changed] == ["a.fact:3"]
    assert [k.key for k in found.stale] == ["a.fact:9"]
    assert not found.ok
    assert len(found.lines()) == 4


def test_rewriting_the_list_keeps_the_reasons_written_by_hand(tmp_path: Path) -> None:
    listed = tmp_path / "known.txt"
    listed.write_text("a.fact:1  supported  refuted  cents are not read as Money\n", encoding="utf-8")
    sc.write_known_failures([_outcome(1, "supported", "refuted")], listed)
    assert sc.read_known_failures(listed)["a.fact:1"].reason == "cents are not read as Money"
