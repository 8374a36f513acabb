"""The verifier: a checked fact base against its sources, to a Report.

``verify`` reads every cited source once, checks every citation of every
fact (:mod:`factlang.verify.citations`), gives each fact its verdict by the
rules of SPEC §3, and finds conflicts between facts
(:mod:`factlang.verify.conflicts`). It knows nothing of output formats.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path

import attrs

from factlang import suppress
from factlang._gc import paused_gc
from factlang.diagnostics import Diagnostic, LoadError
from factlang.findings import Finding, finding
from factlang.model import Fact, FactBase
from factlang.report import CitationResult, FactResult, FactVerdict, Report
from factlang.sources.citing import enrich, settle
from factlang.sources.resolve import Origin
from factlang.verify.citations import Checker
from factlang.verify.conflicts import find_conflicts
from factlang.verify.corpus import Corpus, SourceTexts

__all__ = ["fact_verdict", "verify"]


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
) -> Report:
    """Check every fact of ``base`` against its sources.

    Raises :class:`~factlang.diagnostics.LoadError` if a cited source cannot
    be read. ``progress(done, total)`` is called as facts are checked.
    ``select`` and ``ignore`` filter warning codes, and inline
    ``# factlang: ignore[...]`` comments are honoured (:mod:`factlang.suppress`).
    """
    with paused_gc():
        report = _verify(base, strict=strict, root=root, progress=progress)
    return suppress.apply(report, select=select, ignore=ignore)


def _verify(
    base: FactBase,
    *,
    strict: bool,
    root: Path | None,
    progress: Callable[[int, int], None] | None,
) -> Report:
    corpus = Corpus(root or Path(base.root), dict(base.sources))
    # Citations grouped by source: each document is read, checked against every
    # citation of it, and released, so memory grows with the largest source,
    # not with the corpus (issue 14).
    by_source: dict[str, list[tuple[int, int]]] = {}
    left = [len(f.citations) for f in base.facts]
    for fi, fact in enumerate(base.facts):
        for ci, c in enumerate(fact.citations):
            by_source.setdefault(c.source, []).append((fi, ci))
    # A page's own metadata (title, published, ...) fills what its declaration
    # leaves out; filled in source by source, as each is read.
    sources = dict(base.sources)
    base = attrs.evolve(base, sources=sources)
    checker = Checker(base, {})
    done: dict[tuple[int, int], CitationResult] = {}
    texts = SourceTexts(corpus)
    origins: dict[str, Origin] = {}
    problems: list[Diagnostic] = []
    total = len(base.facts)
    finished = sum(1 for n in left if n == 0)
    for sid in sorted(by_source):
        try:
            doc = corpus.document(sid)
        except LoadError as err:
            problems.extend(err.diagnostics)  # all problems are reported at once
            continue
        loaded = corpus.loaded[sid]
        origins[sid] = loaded.origin
        if problems:
            corpus.release(sid)  # still read, to report every unreadable source
            continue
        sources.update(enrich({sid: sources[sid]}, {sid: loaded}))
        checker.documents[sid] = doc
        for fi, ci in by_source[sid]:
            fact = base.facts[fi]
            done[fi, ci] = settle(checker.check(fact, fact.citations[ci]), loaded)
            left[fi] -= 1
            finished += left[fi] == 0
        texts.keep(sid, doc.text, loaded.origin)
        checker.release(sid)
        corpus.release(sid)
        if progress is not None:
            progress(finished, total)
    if problems:
        raise LoadError(problems)
    results = tuple(
        _fact_result(fact, tuple(done[fi, ci] for ci in range(len(fact.citations))))
        for fi, fact in enumerate(base.facts)
    )
    if progress is not None and not by_source:
        progress(total, total)
    return Report(
        base,
        results,
        tuple(find_conflicts(base.facts)),
        strict=strict,
        texts=texts,
        origins={sid: origins[sid] for sid in sorted(origins)},
    )
