"""Verifying one citation: locate the quote, check the value, check mentions.

SPEC §3: the quote is located (exactly, or fuzzily with drift); the value is
checked against the quantities the quote states (or, if it states none of
the value's type, its sentence); entity and time arguments must be
mentioned in the quote's sentence or the one before or after (a warning
otherwise). A citation without a quote searches its source for the best
sentence instead (auto-evidence).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence

import attrs

from factlang import values as v
from factlang.bidi import has_bidi
from factlang.findings import Finding, finding
from factlang.model import Citation, Entity, Fact, FactBase, Predicate
from factlang.report import CitationResult, CitationVerdict, Stated
from factlang.verify.binding import predicate_nouns
from factlang.verify.locate import QuoteMatch, locate, not_found_message
from factlang.verify.mentions import Mentions
from factlang.verify.quantities import Quantity, extract
from factlang.verify.rules import CHECKS, NOTHING, Context
from factlang.verify.text import Document

__all__ = ["Checker", "Window"]


class Window:
    """The quote's sentence(s) and, when needed, one sentence each side (what checks read).

    Quantities are extracted per sentence and cached by the checker, so a
    sentence is read once however many facts cite it or its neighbours, and
    the neighbours are only read when the quote's own sentence does not
    mention what a fact needs. (Slots and hand-made laziness: one window is
    made per citation, and ``cached_property`` takes a lock on every first read.)
    """

    __slots__ = (
        "_near_text",
        "_wide",
        "_wide_text",
        "checker",
        "doc",
        "first",
        "last",
        "near",
        "sentence_end",
        "sentence_start",
        "source_id",
    )

    def __init__(self, checker: Checker, source_id: str, doc: Document, start: int, end: int) -> None:
        self.checker = checker
        self.source_id = source_id
        self.doc = doc
        sents = doc.sentences
        if sents:
            self.first = doc.sentence_at(start)
            self.last = doc.sentence_at(max(start, end - 1))
            self.sentence_start = min(start, sents[self.first][0])
            self.sentence_end = max(end, sents[self.last][1])
            #: Quantities stated in the quote's sentence(s): every citation reads them.
            self.near: tuple[Quantity, ...] = checker.sentence_span_quantities(
                source_id, doc, self.first, self.last
            )
        else:
            self.first = self.last = -1
            self.sentence_start, self.sentence_end = start, end
            self.near = checker.quantities(source_id, doc, start, end)
        self._wide: tuple[Quantity, ...] | None = None
        self._near_text: str | None = None
        self._wide_text: str | None = None

    @property
    def wide(self) -> tuple[Quantity, ...]:
        """Quantities stated in the quote's sentence(s) and one sentence each side."""
        if self._wide is None:
            if self.first < 0:
                self._wide = self.near
            else:
                last = min(self.last + 1, len(self.doc.sentences) - 1)
                self._wide = self.checker.sentence_span_quantities(
                    self.source_id, self.doc, max(self.first - 1, 0), last
                )
        return self._wide

    @property
    def near_text(self) -> str:
        """The quote's sentence(s)."""
        if self._near_text is None:
            self._near_text = self.doc.text[self.sentence_start : self.sentence_end]
        return self._near_text

    @property
    def wide_text(self) -> str:
        """The quote's sentence(s) and one sentence each side."""
        if self._wide_text is None:
            if self.first < 0:
                self._wide_text = self.near_text
            else:
                start, end = self.doc.window(self.sentence_start, self.sentence_end, 1)
                self._wide_text = self.doc.text[start:end]
        return self._wide_text


class Checker:
    """Verifies citations of facts against one fact base's sources."""

    def __init__(self, base: FactBase, documents: dict[str, Document]) -> None:
        self.base = base
        self.documents = documents
        self._sentences: dict[tuple[str, int], tuple[Quantity, ...]] = {}
        # A sentence's quantities are shared by every citation of it: describe each once.
        # (Keyed by identity; the quantity is kept beside it so its id is never reused.)
        self._stated: dict[int, tuple[Quantity, Stated]] = {}
        #: Entity mentions, each entity's names folded once for the whole run.
        self.mentions = Mentions()
        self._bidi_aliases: dict[str, bool] = {}
        self._nouns: dict[str, frozenset[str]] = {}
        self._kin: dict[str, tuple[Entity, ...]] = {}
        self._words: dict[str, frozenset[str]] = {}

    def bidi_aliases(self, entity: Entity) -> bool:
        """Whether any alias of ``entity`` holds a bidirectional control (searched once per entity)."""
        found = self._bidi_aliases.get(entity.name)
        if found is None:
            found = self._bidi_aliases[entity.name] = has_bidi("".join(entity.aliases))
        return found

    def kin(self, kind: str) -> tuple[Entity, ...]:
        """The entities of ``kind`` (listed once per kind)."""
        found = self._kin.get(kind)
        if found is None:
            found = self._kin[kind] = tuple(e for e in self.base.entities.values() if e.kind == kind)
        return found

    def nouns(self, predicate: Predicate) -> frozenset[str]:
        """The words ``predicate`` may count ("nba_assists": assist), found once per predicate."""
        found = self._nouns.get(predicate.name)
        if found is None:
            found = self._nouns[predicate.name] = predicate_nouns(predicate.name)
        return found

    def words(self, predicate: Predicate) -> frozenset[str]:
        """The words of ``predicate``'s name and template, singular (found once per predicate)."""
        found = self._words.get(predicate.name)
        if found is None:
            template = re.sub(r"\{[^}]*\}", " ", predicate.template or "")
            found = self.nouns(predicate) | predicate_nouns("_".join(re.findall(r"[A-Za-z]+", template)))
            self._words[predicate.name] = found
        return found

    def stated(self, q: Quantity) -> Stated:
        """How a stated quantity is reported (its description, span and type), made once per quantity."""
        hit = self._stated.get(id(q))
        if hit is None:
            hit = self._stated[id(q)] = (q, Stated(q.describe(), q.start, q.end, q.value.type_name))
        return hit[1]

    def release(self, source_id: str) -> None:
        """Forget a source's document and what was read from it (its citations are all checked)."""
        self.documents.pop(source_id, None)
        for key in [k for k in self._sentences if k[0] == source_id]:
            del self._sentences[key]
        self._stated.clear()

    # -- shared pieces ---------------------------------------------------------

    def reference(self, source_id: str) -> _dt.date | None:
        """The publication date of a source, which relative times refer to."""
        source = self.base.sources.get(source_id)
        return source.published if source is not None else None

    def quantities(self, source_id: str, doc: Document, start: int, end: int) -> tuple[Quantity, ...]:
        """Quantities stated in ``doc.text[start:end]``, with spans in the source."""
        found = extract(doc.text[start:end], reference=self.reference(source_id))
        if not start:
            return tuple(found)
        # Direct construction: attrs.evolve introspects the class on every call.
        return tuple(
            Quantity(q.value, q.start + start, q.end + start, q.direction, q.comparator, q.qualifier, q.upper)
            for q in found
        )

    def sentence_span_quantities(
        self, source_id: str, doc: Document, first: int, last: int
    ) -> tuple[Quantity, ...]:
        """Quantities of sentences ``first`` to ``last``, each sentence extracted once."""
        out: list[Quantity] = []
        for index in range(first, last + 1):
            key = (source_id, index)
            found = self._sentences.get(key)
            if found is None:
                start, end = doc.sentences[index]
                found = self._sentences[key] = self.quantities(source_id, doc, start, end)
            out.extend(found)
        return tuple(out)

    # -- one citation ------------------------------------------------------------

    def check(self, fact: Fact, citation: Citation) -> CitationResult:
        """The verdict on one citation of ``fact``."""
        doc = self.documents[citation.source]
        if citation.quote is None:
            return self.auto(fact, citation, doc)
        match = locate(citation.quote, doc)
        if match is None:
            return CitationResult(
                citation,
                "not-found",
                messages=(
                    finding(
                        "FL303",
                        not_found_message(citation.quote, doc, citation.source),
                        source=citation.source,
                    ),
                ),
            )
        return self.judge(fact, citation, doc, match)

    def judge(
        self,
        fact: Fact,
        citation: Citation,
        doc: Document,
        match: QuoteMatch,
        *,
        auto: bool = False,
    ) -> CitationResult:
        """Run every check of ``CHECKS`` on a located quote (or a chosen sentence)."""
        win = Window(self, citation.source, doc, match.start, match.end)
        ctx = Context(self, fact, citation, doc, match, win, auto)
        verdict: CitationVerdict | None = None
        matched: Quantity | None = None
        stated: Sequence[Quantity] = win.near
        findings: list[Finding] = []
        for rule in CHECKS:
            outcome = rule(ctx)
            if outcome is NOTHING:
                continue
            if verdict is None and outcome.verdict is not None:
                verdict, matched = outcome.verdict, outcome.matched
                if outcome.stated is not None:
                    stated = outcome.stated
            findings.extend(outcome.findings)
        messages: tuple[Finding, ...] = ()
        warnings: tuple[Finding, ...] = ()
        if findings:
            messages = tuple(f for f in findings if f.severity != "warning")
            warnings = tuple(f for f in findings if f.severity == "warning")
        return CitationResult(
            citation,
            verdict or "unverified",
            span=match.spans[0],
            spans=match.spans,
            similarity=round(match.similarity, 4),
            evidence=win.near_text,
            evidence_start=win.sentence_start,
            stated=tuple(map(self.stated, stated)),
            matched=self.stated(matched) if matched is not None else None,
            messages=messages,
            warnings=warnings,
            auto=auto,
        )

    # -- auto-evidence ---------------------------------------------------------

    def auto(self, fact: Fact, citation: Citation, doc: Document) -> CitationResult:
        """No quote: the best sentence of the source that mentions the fact and states its value."""
        entities = [self.base.entities[a.name] for a in fact.args if isinstance(a, v.EntityRef)]
        if isinstance(fact.value, v.EntityRef) and fact.value.name in self.base.entities:
            entities.append(self.base.entities[fact.value.name])
        best: tuple[tuple[int, ...], CitationResult] | None = None
        for start, end in doc.sentences:
            sentence = doc.text[start:end]
            hits = sum(1 for e in entities if self.mentions.entity(e, sentence))
            if entities and hits == 0:
                continue
            match = QuoteMatch(start=start, end=end, similarity=1.0, exact=True, text=sentence)
            result = self.judge(fact, citation, doc, match, auto=True)
            if fact.value is not None and result.verdict == "unverified":
                continue
            rank = (
                result.verdict == "supported",
                hits,
                -len(result.warnings),
                result.verdict == "refuted",
            )
            score = tuple(int(x) for x in rank)
            if best is None or score > best[0]:
                best = (score, result)
        if best is None or (best[1].verdict == "refuted" and best[1].warnings):
            # Nothing mentions the fact's arguments and states its value; a
            # refutation needs a sentence that is really about the fact.
            what = ", ".join(e.name for e in entities) or fact.predicate
            return CitationResult(
                citation,
                "not-found",
                messages=(
                    finding(
                        "FL303",
                        f"no sentence of {citation.source} mentions {what} and states the value",
                        source=citation.source,
                    ),
                ),
                auto=True,
            )
        result = best[1]
        note = finding(
            "FL200", "evidence found by searching the source (no quote given)", source=citation.source
        )
        return attrs.evolve(result, messages=(note, *result.messages))
