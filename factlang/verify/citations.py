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
import functools
import re
from collections.abc import Sequence
from typing import Final

import attrs

from factlang import values as v
from factlang.bidi import bidi_warning, visible
from factlang.model import Citation, Fact, FactBase
from factlang.report import CitationResult, CitationVerdict, Stated
from factlang.verify.compare import compare, same_type
from factlang.verify.locate import QuoteMatch, locate
from factlang.verify.mentions import mentions_entity, mentions_time
from factlang.verify.quantities import Quantity, extract
from factlang.verify.text import Document

__all__ = ["Checker"]

_NEGATION: Final = re.compile(
    r"\b(?:not|no|never|none|without|against|instead|rather than|passed over|ruled out|rejected|lacked|"
    r"lacks|lacking|declined|refused|failed|didn['’]t|doesn['’]t|wasn['’]t|isn['’]t|won['’]t|hasn['’]t|"
    r"haven['’]t|unable|insufficient|replacing|replaced|ended|over|yet to|unavailable)\b",
    re.IGNORECASE,
)


class _Window:
    """The quote's sentence(s) and, when needed, one sentence each side.

    Quantities are extracted per sentence and cached by the checker, so a
    sentence is read once however many facts cite it or its neighbours, and
    the neighbours are only read when the quote's own sentence does not
    mention what a fact needs.
    """

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
        else:
            self.first = self.last = -1
            self.sentence_start, self.sentence_end = start, end

    @functools.cached_property
    def near(self) -> tuple[Quantity, ...]:
        """Quantities stated in the quote's sentence(s)."""
        if self.first < 0:
            return self.checker.quantities(self.source_id, self.doc, self.sentence_start, self.sentence_end)
        return self.checker.sentence_span_quantities(self.source_id, self.doc, self.first, self.last)

    @functools.cached_property
    def wide(self) -> tuple[Quantity, ...]:
        """Quantities stated in the quote's sentence(s) and one sentence each side."""
        if self.first < 0:
            return self.near
        last = min(self.last + 1, len(self.doc.sentences) - 1)
        return self.checker.sentence_span_quantities(self.source_id, self.doc, max(self.first - 1, 0), last)

    @property
    def near_text(self) -> str:
        """The quote's sentence(s)."""
        return self.doc.text[self.sentence_start : self.sentence_end]

    @functools.cached_property
    def wide_text(self) -> str:
        """The quote's sentence(s) and one sentence each side."""
        if self.first < 0:
            return self.near_text
        start, end = self.doc.window(self.sentence_start, self.sentence_end, 1)
        return self.doc.text[start:end]


class Checker:
    """Verifies citations of facts against one fact base's sources."""

    def __init__(self, base: FactBase, documents: dict[str, Document]) -> None:
        self.base = base
        self.documents = documents
        self._sentences: dict[tuple[str, int], tuple[Quantity, ...]] = {}

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
        result = self._check(fact, citation)
        hidden = _bidi_warnings(fact, citation, self.base)
        return attrs.evolve(result, warnings=(*result.warnings, *hidden)) if hidden else result

    def _check(self, fact: Fact, citation: Citation) -> CitationResult:
        doc = self.documents[citation.source]
        if citation.quote is None:
            return self.auto(fact, citation, doc)
        match = locate(citation.quote, doc)
        if match is None:
            return CitationResult(
                citation,
                "not-found",
                messages=(f"the quote is not in {citation.source} (no passage is 90% similar)",),
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
        """Check value and mentions for a located quote (or a chosen sentence)."""
        win = _Window(self, citation.source, doc, match.start, match.end)
        warnings: list[str] = []
        messages: list[str] = []
        if not match.exact:
            warnings.append(
                f"quote found with drift ({match.similarity:.0%} similar); the source says: “{match.text}”"
            )
        verdict, matched, stated, explain = self.value_verdict(fact, match, win)
        messages.extend(explain)
        warnings.extend(self.mention_warnings(fact, citation, win))
        evidence = win.near_text
        return CitationResult(
            citation,
            verdict,
            span=(match.start, match.end),
            similarity=round(match.similarity, 4),
            evidence=evidence,
            evidence_start=win.sentence_start,
            stated=tuple(_stated(q) for q in stated),
            matched=_stated(matched) if matched is not None else None,
            messages=tuple(messages),
            warnings=tuple(warnings),
            auto=auto,
        )

    def value_verdict(
        self, fact: Fact, match: QuoteMatch, win: _Window
    ) -> tuple[CitationVerdict, Quantity | None, Sequence[Quantity], list[str]]:
        """Verdict from the value check alone, the matching quantity, what was considered."""
        in_sentence = win.near
        value = fact.value
        if value is None or fact.comparator is None:
            # A relation: the located quote is the evidence; mentions are checked apart.
            return "supported", None, in_sentence, []
        if isinstance(value, v.Text | v.EntityRef | v.Bool):
            verdict = self.plain_verdict(fact, match.text, win.near_text)
            missing = f"neither the quote nor its sentence states {value.spelling()}"
            why = [] if verdict == "supported" else [missing]
            return verdict, None, in_sentence, why
        in_quote = [q for q in in_sentence if match.start <= q.start and q.end <= match.end]
        candidates = [q for q in in_quote if same_type(value, q)]
        where = "quote"
        if not candidates:
            candidates = [q for q in in_sentence if same_type(value, q)]
            where = "sentence"
        if not candidates:
            claim = f"{fact.comparator} {value.spelling()}"
            return (
                "unverified",
                None,
                in_sentence,
                [f"the {where} states no {value.type_name} that bears on {claim}"],
            )
        reasons: list[str] = []
        for q in candidates:
            outcome = compare(fact.comparator, value, q)
            if outcome.matches:
                return "supported", q, candidates, [f"the source states {q.describe()}"]
            reasons.append(f"{q.describe()} {outcome.reason}")
        stated = ", ".join(q.describe() for q in candidates)
        return (
            "refuted",
            None,
            candidates,
            [f"the {where} states {stated}, not {fact.comparator} {value.spelling()} ({'; '.join(reasons)})"],
        )

    def plain_verdict(self, fact: Fact, quote: str, sentence: str) -> CitationVerdict:
        """Text and entity values: stated in the quote (else its sentence) or not."""
        value = fact.value
        assert value is not None
        if isinstance(value, v.EntityRef):
            entity = self.base.entities.get(value.name)
            stated = entity is not None and any(mentions_entity(entity, t) for t in (quote, sentence))
        elif isinstance(value, v.Text):
            needle = value.text.casefold()
            stated = needle in quote.casefold() or needle in sentence.casefold()
        else:
            stated = True  # a Bool value rests on the quote itself
        if fact.comparator == "!=":
            stated = not stated
        return "supported" if stated else "unverified"

    def mention_warnings(self, fact: Fact, citation: Citation, win: _Window) -> list[str]:
        """Warnings for arguments not mentioned in the quote's sentence or the one before or after."""
        out: list[str] = []
        predicate = self.base.predicates.get(fact.predicate)
        params = predicate.params if predicate else ()
        for arg, param in zip(fact.args, params, strict=False):
            if isinstance(arg, v.EntityRef):
                entity = self.base.entities.get(arg.name)
                if entity is None or mentions_entity(entity, win.near_text):
                    continue
                if not mentions_entity(entity, win.wide_text):
                    names = ", ".join(f"“{n}”" for n in entity.names)
                    out.append(
                        f"{param.name} {arg.name} is not mentioned near the quote (looked for {names})"
                    )
            elif param.type in v.TIME_TYPES:
                if mentions_time(arg, win.near) or mentions_time(arg, win.wide):
                    continue
                if self.publication_day(citation.source, arg, win):
                    continue
                out.append(f"{param.name} {arg.spelling()} is not stated near the quote")
        if fact.negated and not _NEGATION.search(win.wide_text):
            out.append("the fact is negated ('not'), but the text near the quote has no negation")
        return out

    def publication_day(self, source_id: str, arg: v.Value, win: _Window) -> bool:
        """Whether a date argument is the day the source was published, and the text names no other day.

        News reports of the day ("shares rose 9.2%") rarely repeat the date:
        it follows from the source's ``published`` date (SPEC §3 step 3).
        """
        if not isinstance(arg, v.Date) or self.reference(source_id) != arg.date:
            return False
        return not any(isinstance(q.value, v.Date) and q.value != arg for q in win.wide)

    # -- auto-evidence ---------------------------------------------------------

    def auto(self, fact: Fact, citation: Citation, doc: Document) -> CitationResult:
        """No quote: the best sentence of the source that mentions the fact and states its value."""
        entities = [self.base.entities[a.name] for a in fact.args if isinstance(a, v.EntityRef)]
        if isinstance(fact.value, v.EntityRef) and fact.value.name in self.base.entities:
            entities.append(self.base.entities[fact.value.name])
        best: tuple[tuple[int, ...], CitationResult] | None = None
        for start, end in doc.sentences:
            sentence = doc.text[start:end]
            hits = sum(1 for e in entities if mentions_entity(e, sentence))
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
                messages=(f"no sentence of {citation.source} mentions {what} and states the value",),
                auto=True,
            )
        result = best[1]
        note = "evidence found by searching the source (no quote given)"
        return attrs.evolve(result, messages=(note, *result.messages))


def _bidi_warnings(fact: Fact, citation: Citation, base: FactBase) -> list[str]:
    """Trojan Source: bidirectional controls in the quote; on the first citation, in the fact's strings."""
    texts = [("the quote", citation.quote or "")]
    if fact.citations and citation is fact.citations[0]:
        if isinstance(fact.value, v.Text):
            texts.append(("the value", fact.value.text))
        for arg in (*fact.args, fact.value):
            entity = base.entities.get(arg.name) if isinstance(arg, v.EntityRef) else None
            if entity is not None:
                texts.extend((f"alias '{visible(a)}' of {entity.name}", a) for a in entity.aliases)
    return [w for what, text in texts if (w := bidi_warning(what, text)) is not None]


def _stated(q: Quantity) -> Stated:
    return Stated(q.describe(), q.start, q.end, q.value.type_name)
