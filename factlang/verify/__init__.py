"""The verifier: a checked fact base against its sources, to a Report.

``verify`` reads every cited source once, checks every citation of every
fact (:mod:`factlang.verify.citations`), gives each fact its verdict by the
rules of SPEC §3, and finds conflicts between facts
(:mod:`factlang.verify.conflicts`). A :class:`Verifier` checks facts one at
a time instead, for a caller that needs only some of them (the pytest
plugin: each test checks its own fact). It knows nothing of output formats.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Final

import attrs

from factlang import suppress
from factlang._gc import paused_gc
from factlang._workers import fork_processes
from factlang.diagnostics import Diagnostic, LoadError
from factlang.findings import Finding, finding
from factlang.model import Citation, Fact, FactBase, Source
from factlang.report import CitationResult, FactResult, FactVerdict, Report
from factlang.sources.citing import enrich, settle
from factlang.sources.resolve import Origin
from factlang.verify.citations import Checker
from factlang.verify.conflicts import find_conflicts
from factlang.verify.corpus import TEXT_BUDGET, Corpus, SourceTexts

__all__ = ["Verifier", "fact_verdict", "verify"]


def fact_verdict(citations: Sequence[CitationResult]) -> FactVerdict:
    """A fact's verdict from its citations' (SPEC §3).

    ``contradicts`` citations are expected failures: they never count
    towards the verdict (whether they still refute is checked apart).
    """
    own = [c.verdict for c in citations if not c.citation.contradicts]
    if not own:
        return "uncited"
    supported = "supported" in own
    refuted = "refuted" in own
    if supported and refuted:
        return "disputed"
    if supported:
        return "supported"
    if refuted:
        return "refuted"
    if "unverified" in own:
        return "unverified"
    return "not-found"


def _fact_result(fact: Fact, results: tuple[CitationResult, ...]) -> FactResult:
    verdict = fact_verdict(results)
    messages: list[Finding] = []
    where = fact.location
    if not fact.citations:
        messages.append(finding("FL305", "the fact has no citation", location=where))
    elif verdict == "uncited":
        messages.append(
            finding("FL305", "only 'contradicts' citations: nothing supports the fact", location=where)
        )
    for c in results:
        source = c.citation.source
        if c.citation.contradicts and c.verdict != "refuted":
            message = (
                f"@{source} is marked 'contradicts' but is now {c.verdict}: "
                "the known error no longer reproduces"
            )
            messages.append(finding("FL306", message, location=c.citation.location or where))
        elif not c.citation.contradicts and c.verdict != "supported" and verdict == "supported":
            messages.append(
                finding("FL205", f"@{source} is {c.verdict}", location=c.citation.location or where)
            )
    return FactResult(fact, verdict, results, tuple(messages))


def verify(
    base: FactBase,
    *,
    strict: bool = False,
    root: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    select: Collection[str] | None = None,
    ignore: Collection[str] = (),
    jobs: int = 1,
) -> Report:
    """Check every fact of ``base`` against its sources.

    Raises :class:`~factlang.diagnostics.LoadError` if a cited source cannot
    be read. ``progress(done, total)`` is called as facts are checked.
    ``select`` and ``ignore`` filter warning codes, and inline
    ``# factlang: ignore[...]`` comments are honoured (:mod:`factlang.suppress`).
    ``jobs`` is how many processes share the work (0: one per core, when the
    work is large enough to win, and this process runs no other thread);
    the report is the same for any number.
    """
    with paused_gc():
        report = _verify(base, strict=strict, root=root, progress=progress, jobs=jobs)
    return suppress.apply(report, select=select, ignore=ignore)


#: Below this many citations, starting worker processes costs more than it saves
#: (measured with benchmarks/bench_verify.py on 2 cores).
SHARD_MIN_CITATIONS: Final = 4000


@attrs.frozen
class _Shard:
    """What one pass over some sources found: results by (fact, citation) index, and what was read."""

    results: dict[tuple[int, int], CitationResult | tuple[object, ...]]
    origins: dict[str, Origin]
    sources: dict[str, Source]
    texts: list[tuple[str, str, Origin]]
    big: list[tuple[str, Origin]]
    problems: list[Diagnostic]


#: The work of a run, for worker processes (inherited by fork, never pickled).
_WORK: tuple[FactBase, dict[str, list[tuple[int, int]]], Path] | None = None


def _check_sources(
    base: FactBase,
    by_source: dict[str, list[tuple[int, int]]],
    sids: Sequence[str],
    corpus: Corpus,
    budget: int,
    done: Callable[[str], None] | None = None,
    *,
    pack: bool = False,
) -> _Shard:
    """Check every citation of the sources ``sids``, one source at a time, releasing each document."""
    sources = dict(base.sources)
    base = attrs.evolve(base, sources=sources)
    checker = Checker(base, {})
    shard = _Shard({}, {}, {}, [], [], [])
    for sid in sids:
        try:
            doc = corpus.document(sid)
        except LoadError as err:
            shard.problems.extend(err.diagnostics)  # all problems are reported at once
            continue
        loaded = corpus.loaded[sid]
        shard.origins[sid] = loaded.origin
        if shard.problems:
            corpus.release(sid)  # still read, to report every unreadable source
            continue
        sources.update(enrich({sid: sources[sid]}, {sid: loaded}))
        shard.sources[sid] = sources[sid]
        checker.documents[sid] = doc
        for fi, ci in by_source[sid]:
            fact = base.facts[fi]
            result = settle(checker.check(fact, fact.citations[ci]), loaded)
            # A worker's results are pickled: without the citation, which the parent has.
            shard.results[fi, ci] = attrs.astuple(result, recurse=False)[1:] if pack else result
        if len(doc.text) <= budget:
            budget -= len(doc.text)
            shard.texts.append((sid, doc.text, loaded.origin))
        else:
            shard.big.append((sid, loaded.origin))
        checker.release(sid)
        corpus.release(sid)
        if done is not None:
            done(sid)
    return shard


def _unpack(citation: Citation, got: CitationResult | tuple[object, ...]) -> CitationResult:
    if isinstance(got, CitationResult):
        return got
    return CitationResult(citation, *got)  # type: ignore[arg-type]


def _worker(sids: Sequence[str]) -> _Shard:
    assert _WORK is not None
    base, by_source, root = _WORK
    return _check_sources(
        base, by_source, sids, Corpus(root, dict(base.sources)), TEXT_BUDGET // 4, pack=True
    )


def _jobs(jobs: int, citations: int) -> int:
    return fork_processes(jobs, citations >= SHARD_MIN_CITATIONS)


def _shards(by_source: dict[str, list[tuple[int, int]]], parts: int) -> list[list[str]]:
    """Sources in contiguous runs of about equal numbers of citations (sorted ids, as in-process)."""
    total = sum(map(len, by_source.values()))
    out: list[list[str]] = [[]]
    count = 0
    for sid in sorted(by_source):
        if count >= total * len(out) / parts and len(out) < parts:
            out.append([])
        out[-1].append(sid)
        count += len(by_source[sid])
    return [s for s in out if s] or [[]]


def _verify(
    base: FactBase,
    *,
    strict: bool,
    root: Path | None,
    progress: Callable[[int, int], None] | None,
    jobs: int = 1,
) -> Report:
    global _WORK
    root = root or Path(base.root)
    corpus = Corpus(root, dict(base.sources))
    # Citations grouped by source: each document is read, checked against every
    # citation of it, and released, so memory grows with the largest source,
    # not with the corpus (issue 14).
    by_source: dict[str, list[tuple[int, int]]] = {}
    left = [len(f.citations) for f in base.facts]
    for fi, fact in enumerate(base.facts):
        for ci, c in enumerate(fact.citations):
            by_source.setdefault(c.source, []).append((fi, ci))
    total = len(base.facts)
    finished = sum(1 for n in left if n == 0)

    def done(sid: str) -> None:
        nonlocal finished
        for fi, _ in by_source[sid]:
            left[fi] -= 1
            finished += left[fi] == 0
        if progress is not None:
            progress(finished, total)

    workers = _jobs(jobs, sum(left))
    parts = _shards(by_source, workers * 4) if workers > 1 else [sorted(by_source)]
    shards: list[_Shard] = []
    if workers > 1 and len(parts) > 1:
        _WORK = (base, by_source, root)
        try:
            # An executor, not a Pool: a worker that dies (out of memory) is an error, not a hang.
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor  # only here: 10 ms to import

            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(workers, mp_context=context) as pool:
                for part, shard in zip(parts, pool.map(_worker, parts), strict=True):
                    shards.append(shard)
                    for sid in part:
                        done(sid)
        finally:
            _WORK = None
    else:
        shards.append(_check_sources(base, by_source, parts[0], corpus, TEXT_BUDGET, done))
    problems = [d for shard in shards for d in shard.problems]
    if problems:
        raise LoadError(problems)
    sources = dict(base.sources)
    texts = SourceTexts(corpus)
    origins: dict[str, Origin] = {}
    results: dict[tuple[int, int], CitationResult | tuple[object, ...]] = {}
    for shard in shards:
        sources.update(shard.sources)
        origins.update(shard.origins)
        results.update(shard.results)
        for sid, text, origin in shard.texts:
            texts.keep(sid, text, origin)
        for sid, origin in shard.big:
            texts.later(sid, origin)
    base = attrs.evolve(base, sources=sources)
    facts = tuple(
        _fact_result(
            fact,
            tuple(_unpack(c, results[fi, ci]) for ci, c in enumerate(fact.citations)),
        )
        for fi, fact in enumerate(base.facts)
    )
    if progress is not None and not by_source:
        progress(total, total)
    return Report(
        base,
        facts,
        tuple(find_conflicts(base.facts)),
        strict=strict,
        texts=texts,
        origins={sid: origins[sid] for sid in sorted(origins)},
    )


class Verifier:
    """The facts of one base checked one at a time, against sources read once and kept.

    For a caller that checks only some facts, in any order (the pytest
    plugin: each test verifies its own fact). Building it reads every cited
    source, so a source that cannot be read raises
    :class:`~factlang.diagnostics.LoadError` (with every problem) as
    :func:`verify` does, whichever facts are checked later. :meth:`check`
    gives a fact the result :func:`verify` gives it in the report, with
    ``select``, ``ignore`` and inline suppressions applied.
    """

    def __init__(
        self,
        base: FactBase,
        *,
        strict: bool = False,
        root: Path | None = None,
        select: Collection[str] | None = None,
        ignore: Collection[str] = (),
    ) -> None:
        corpus = Corpus(root or Path(base.root), dict(base.sources))
        cited = {c.source for f in base.facts for c in f.citations}
        corpus.preload(cited)
        # A page's own metadata (title, published, ...) fills what its declaration leaves out.
        base = attrs.evolve(base, sources=enrich(base.sources, corpus.loaded))
        self._loaded = corpus.loaded
        self._checker = Checker(base, {sid: corpus.document(sid) for sid in cited})
        self._strict = strict
        self._select = select
        self._ignore = ignore

    def check(self, fact: Fact) -> FactResult:
        """The result of one fact of the base, findings filtered and suppressions applied."""
        loaded = self._loaded
        cites = tuple(settle(self._checker.check(fact, c), loaded.get(c.source)) for c in fact.citations)
        return suppress.apply_result(
            _fact_result(fact, cites), strict=self._strict, select=self._select, ignore=self._ignore
        )
