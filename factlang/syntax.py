"""The syntax layer: what a fact file says, as written, with positions.

These nodes are produced by :mod:`factlang.parser` and consumed by
:mod:`factlang.build` (names and types) and :mod:`factlang.formatter`
(layout). Positions never take part in equality, so two files that say the
same things in different layouts compare equal; statements are kept grouped
by kind (declaration order within a group is kept), which is also the order
the formatter writes them in.
"""

from __future__ import annotations

from typing import Final, NamedTuple, TypeAlias
from typing import Literal as _Literal

import attrs

from factlang.values import Value

__all__ = [
    "RESERVED",
    "Citation",
    "Comment",
    "EntityDecl",
    "FactStmt",
    "Field",
    "Ident",
    "KindDecl",
    "Literal",
    "LiteralKind",
    "Param",
    "ParsedFile",
    "Pos",
    "PredicateDecl",
    "SourceDecl",
    "Statement",
    "Use",
]


class Pos(NamedTuple):
    """A position in a fact file: 1-based line and column, 0-based offsets.

    A named tuple rather than an attrs class: one is made per token, and
    tuples are the cheapest immutable record Python has.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    start: int = 0
    end: int = 0


#: The keywords: they cannot name kinds, entities, predicates or sources.
RESERVED: Final = frozenset(
    {"use", "source", "kind", "entity", "predicate", "not", "aka", "contradicts", "true", "false"}
)

# Positions are kept for diagnostics and the formatter, never compared.
_pos = attrs.field(eq=False, repr=False)


@attrs.frozen
class Ident:
    """A name as written, with its position."""

    text: str
    pos: Pos = _pos


#: The literal terminals of the grammar. ``NAME`` is an entity reference,
#: ``ISO_MONEY`` an amount after a currency code (``USD 14.53``).
LiteralKind: TypeAlias = _Literal[
    "PERCENT",
    "MONEY",
    "ISO_MONEY",
    "NUMBER",
    "DATE",
    "MONTH",
    "QUARTER",
    "FISCAL_YEAR",
    "STRING",
    "BOOL",
    "NAME",
]

LITERAL_DESCRIPTIONS: Final[dict[str, str]] = {
    "PERCENT": "Percent",
    "MONEY": "Money",
    "ISO_MONEY": "Money",
    "NUMBER": "Number",
    "DATE": "Date",
    "MONTH": "Month",
    "QUARTER": "Quarter",
    "FISCAL_YEAR": "FiscalYear",
    "STRING": "Text",
    "BOOL": "Bool",
    "NAME": "entity",
}


@attrs.frozen
class Literal:
    """A literal value as written. ``value`` is its meaning before typing.

    A ``NUMBER`` literal holds a :class:`~factlang.values.Number`; the
    builder turns it into a ``Year`` where the signature asks for one.
    ``raw`` (the exact spelling) is kept for messages, not compared.
    """

    kind: LiteralKind = attrs.field(eq=False)
    value: Value
    raw: str = attrs.field(eq=False)
    pos: Pos = _pos


@attrs.frozen
class Use:
    """``use "path.fact"``."""

    path: str
    pos: Pos = _pos
    path_pos: Pos = _pos


@attrs.frozen
class Field:
    """One ``name: literal`` line of a source's metadata block."""

    name: Ident
    value: Literal
    pos: Pos = _pos


@attrs.frozen
class SourceDecl:
    """``source ID = "path" { field: literal ... }``."""

    id: Ident
    path: str
    fields: tuple[Field, ...]
    has_block: bool = attrs.field(eq=False)
    pos: Pos = _pos
    path_pos: Pos = _pos


@attrs.frozen
class KindDecl:
    """``kind Name``."""

    name: Ident
    pos: Pos = _pos


@attrs.frozen
class EntityDecl:
    """``entity Name: Kind aka "alias", ...``."""

    name: Ident
    kind: Ident
    aliases: tuple[str, ...]
    pos: Pos = _pos


@attrs.frozen
class Param:
    """One ``name: Type`` parameter of a predicate."""

    name: Ident
    type: Ident


@attrs.frozen
class PredicateDecl:
    """``predicate name(param: Type, ...) -> ValueType "template" aka "phrase", ...``."""

    name: Ident
    params: tuple[Param, ...]
    value_type: Ident | None
    template: str | None
    pos: Pos = _pos
    template_pos: Pos | None = _pos
    #: The phrases that state the predicate in text (SPEC §2), and where ``aka`` is.
    aka: tuple[str, ...] = ()
    aka_pos: Pos | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Citation:
    """``@ SOURCE_ID "quote" [contradicts]``."""

    source: Ident
    quote: str | None
    contradicts: bool
    pos: Pos = _pos
    quote_pos: Pos | None = _pos


@attrs.frozen
class FactStmt:
    """``[not] name(arg, ...) [COMPARATOR value] citation*``."""

    negated: bool
    predicate: Ident
    args: tuple[Literal, ...]
    comparator: str | None
    value: Literal | None
    citations: tuple[Citation, ...]
    pos: Pos = _pos
    comparator_pos: Pos | None = _pos


#: Any statement of a fact file.
Statement: TypeAlias = Use | SourceDecl | KindDecl | EntityDecl | PredicateDecl | FactStmt


@attrs.frozen
class Comment:
    """A ``#`` comment, kept for the formatter."""

    text: str
    line: int
    column: int


@attrs.frozen
class ParsedFile:
    """Everything one fact file says, grouped by statement kind."""

    path: str = attrs.field(eq=False)
    uses: tuple[Use, ...] = ()
    sources: tuple[SourceDecl, ...] = ()
    kinds: tuple[KindDecl, ...] = ()
    entities: tuple[EntityDecl, ...] = ()
    predicates: tuple[PredicateDecl, ...] = ()
    facts: tuple[FactStmt, ...] = ()
    comments: tuple[Comment, ...] = attrs.field(default=(), eq=False)

    @property
    def statements(self) -> list[Statement]:
        """Every statement in the order it appears in the file."""
        every: list[Statement] = [
            *self.uses,
            *self.sources,
            *self.kinds,
            *self.entities,
            *self.predicates,
            *self.facts,
        ]
        every.sort(key=lambda s: s.pos.start)
        return every
