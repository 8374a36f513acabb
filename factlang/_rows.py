"""A parsed file as plain tuples, for the parse cache: pickled and unpickled without Python calls.

Pickling a syntax tree calls Python code for every node (attrs'
``__getstate__``, a named tuple's ``__getnewargs__``): for the parse cache
that cost as much as the fast path's parse itself. Facts (nearly all of a
file) are written here as rows of plain tuples, positions as plain tuples,
which ``pickle`` handles in C; the rarer statements stay as they are.
Values are kept as objects (one per spelling in a file, so the pickle memo
writes each once). :data:`VERSION` goes into the cache key: a changed row
shape is a different key.
"""

from __future__ import annotations

import functools
import itertools
import pickle
from collections.abc import Iterable, Iterator
from typing import Any, Final

import attrs

from factlang import syntax as s

__all__ = [
    "CHUNK",
    "VERSION",
    "facts_of_chunks",
    "from_entry",
    "from_rows",
    "iter_facts",
    "split_entry",
    "to_entry",
    "to_rows",
]

#: The shape of the rows; part of every parse cache key.
VERSION: Final = "rows-2"

#: Facts per pickled chunk of an entry: pickling keeps a memo of every object until it
#: ends, so a million-fact file pickled whole holds all its rows twice (issue 14).
CHUNK: Final = 1000

_pos: Final = functools.partial(tuple.__new__, s.Pos)


def _lit(lit: s.Literal) -> tuple[Any, ...]:
    return (lit.kind, lit.value, lit.raw, tuple(lit.pos))


def _cite(c: s.Citation) -> tuple[Any, ...]:
    qp = c.quote_pos
    return (
        c.source.text,
        tuple(c.source.pos),
        c.quote,
        c.contradicts,
        tuple(c.pos),
        tuple(qp) if qp else None,
    )


def _fact(f: s.FactStmt) -> tuple[Any, ...]:
    cp = f.comparator_pos
    return (
        f.negated,
        f.predicate.text,
        tuple(f.predicate.pos),
        tuple(map(_lit, f.args)),
        f.comparator,
        _lit(f.value) if f.value is not None else None,
        tuple(map(_cite, f.citations)),
        tuple(f.pos),
        tuple(cp) if cp else None,
    )


def to_rows(parsed: s.ParsedFile) -> tuple[Any, ...]:
    """``parsed`` as a tuple that pickles without calling Python code for its facts."""
    return (
        parsed.path,
        parsed.uses,
        parsed.sources,
        parsed.kinds,
        parsed.entities,
        parsed.predicates,
        tuple(map(_fact, parsed.facts)),
        parsed.comments,
    )


def _literal(row: tuple[Any, ...]) -> s.Literal:
    kind, value, raw, pos = row
    return s.Literal(kind, value, raw, _pos(pos))


def from_rows(rows: tuple[Any, ...]) -> s.ParsedFile:
    """The parsed file :func:`to_rows` made ``rows`` of (any other shape raises)."""
    path, uses, sources, kinds, entities, predicates, fact_rows, comments = rows
    facts = tuple(iter_facts(fact_rows))
    return s.ParsedFile(path, uses, sources, kinds, entities, predicates, facts, comments)


def iter_facts(fact_rows: Iterable[tuple[Any, ...]]) -> Iterator[s.FactStmt]:
    """The fact statements of rows :func:`to_rows` made, one at a time (any other shape raises)."""
    Ident, Citation, pos_of = s.Ident, s.Citation, _pos
    for neg, name, name_pos, args, comparator, value, cites, pos, comparator_pos in fact_rows:
        yield s.FactStmt(
            neg,
            Ident(name, pos_of(name_pos)),
            tuple(map(_literal, args)),
            comparator,
            _literal(value) if value is not None else None,
            tuple(
                Citation(
                    Ident(source, pos_of(source_pos)),
                    quote,
                    contradicts,
                    pos_of(cpos),
                    pos_of(quote_pos) if quote_pos is not None else None,
                )
                for source, source_pos, quote, contradicts, cpos, quote_pos in cites
            ),
            pos_of(pos),
            pos_of(comparator_pos) if comparator_pos is not None else None,
        )


def to_entry(parsed: s.ParsedFile) -> tuple[Any, ...]:
    """What the parse cache stores: :func:`to_rows`, with the facts' rows pickled :data:`CHUNK` at a time."""
    facts = parsed.facts
    chunks = tuple(
        pickle.dumps(tuple(map(_fact, facts[i : i + CHUNK])), protocol=pickle.HIGHEST_PROTOCOL)
        for i in range(0, len(facts), CHUNK)
    )
    rows = to_rows(
        s.ParsedFile(
            parsed.path,
            parsed.uses,
            parsed.sources,
            parsed.kinds,
            parsed.entities,
            parsed.predicates,
            (),
            parsed.comments,
        )
    )
    return (*rows[:6], chunks, *rows[7:])


def from_entry(entry: tuple[Any, ...]) -> s.ParsedFile:
    """The parsed file :func:`to_entry` stored: one chunk of rows alive at a time (any other shape raises).

    The chunks were signed with the entry they are part of (:mod:`factlang.cache`).
    """
    header, chunks = split_entry(entry)
    return attrs.evolve(header, facts=tuple(facts_of_chunks(chunks)))


def split_entry(entry: tuple[Any, ...]) -> tuple[s.ParsedFile, tuple[bytes, ...]]:
    """An entry's file without its facts, and the pickled chunks of their rows (any other shape raises).

    A caller that may not need the facts (the text report replays an
    unchanged file's block) unpickles them only when it does.
    """
    path, uses, sources, kinds, entities, predicates, chunks, comments = entry
    if not isinstance(chunks, tuple) or not all(type(c) is bytes for c in chunks):
        raise TypeError("not a parse cache entry")
    return s.ParsedFile(path, uses, sources, kinds, entities, predicates, (), comments), chunks


def facts_of_chunks(chunks: Iterable[bytes]) -> Iterator[s.FactStmt]:
    """The fact statements of an entry's chunks, unpickled one chunk at a time."""
    return iter_facts(itertools.chain.from_iterable(map(pickle.loads, chunks)))
