"""The domain model: what a checked fact base *means*.

Built from the syntax layer by :mod:`factlang.build`; read by the verifier
and every renderer. It knows nothing of Lark, the CLI or MkDocs. All
classes are frozen attrs classes; :func:`to_json` / :func:`from_json`
convert a :class:`FactBase` to and from plain JSON data with cattrs.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs

from factlang import values as v

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "TEMPLATE_SLOT",
    "Citation",
    "Entity",
    "Fact",
    "FactBase",
    "Kind",
    "Location",
    "Param",
    "Predicate",
    "Source",
    "from_json",
    "to_json",
]


@attrs.frozen
class Location:
    """Where something was written: file path, 1-based line and column.

    ``end_line`` and ``end_column`` (just past the end) are known for what the
    builder places: a fact's value, a citation's quote.
    """

    path: str
    line: int
    column: int
    end_line: int | None = attrs.field(default=None, eq=False, repr=False)
    end_column: int | None = attrs.field(default=None, eq=False, repr=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


_loc = attrs.field(default=None, eq=False, repr=False)

#: A slot of a predicate's template: ``{company}``, ``{value}`` (build reports any
#: slot that is not a parameter or ``value``; the site fills them).
TEMPLATE_SLOT: Final = re.compile(r"\{([^{}]*)\}")


@attrs.frozen
class Source:
    """A source text: an id, the path of its file (relative to the project root), metadata."""

    id: str
    path: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    published: _dt.date | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict)
    location: Location | None = _loc


@attrs.frozen
class Kind:
    """A user-declared kind of entity (``kind Company``)."""

    name: str
    location: Location | None = _loc


@attrs.frozen
class Entity:
    """A named thing of a kind, with the other names sources use for it."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    location: Location | None = _loc

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a mention may use: the name, its split words, the aliases."""
        split = _split_identifier(self.name)
        return tuple(dict.fromkeys((self.name, split, *self.aliases)))


def _split_identifier(name: str) -> str:
    """``GreaterChina`` -> ``Greater China``; ``Tim_Cook`` -> ``Tim Cook``."""
    out: list[str] = []
    for i, ch in enumerate(name):
        if ch == "_":
            out.append(" ")
            continue
        prev = name[i - 1] if i else ""
        nxt = name[i + 1] if i + 1 < len(name) else ""
        starts_word = ch.isupper() and (prev.islower() or (prev.isupper() and nxt.islower()))
        if i and starts_word and out and out[-1] != " ":
            out.append(" ")
        out.append(ch)
    return "".join(out).strip()


@attrs.frozen
class Param:
    """A predicate parameter: its name and type (a built-in type or a kind)."""

    name: str
    type: str


@attrs.frozen
class Predicate:
    """A predicate: typed parameters, an optional value type, a template, ``aka`` phrases."""

    name: str
    params: tuple[Param, ...]
    value_type: str | None = None
    template: str | None = None
    location: Location | None = _loc
    #: Phrases that state the predicate in text ("partner", "work with"), for the relation check.
    aka: tuple[str, ...] = ()

    @property
    def is_relation(self) -> bool:
        """A relation states true/false and takes no value."""
        return self.value_type is None


@attrs.frozen
class Citation:
    """``@ source "quote"``; ``contradicts`` marks a known error in the source."""

    source: str
    quote: str | None = None
    contradicts: bool = False
    location: Location | None = _loc
    quote_location: Location | None = _loc  # the quoted string, for diagnostics


@attrs.frozen
class Fact:
    """One typed claim and the citations that back (or knowingly contradict) it.

    ``value_location`` places the value in the fact file; ``end_line`` is the
    fact's last line (its last citation's); ``ignore`` holds the codes of
    ``# factlang: ignore[CODE,...]`` comments written on those lines, and
    ``ignore_location`` where the first such comment is.
    """

    predicate: str
    args: tuple[v.Value, ...]
    comparator: str | None = None
    value: v.Value | None = None
    negated: bool = False
    citations: tuple[Citation, ...] = ()
    location: Location | None = _loc
    value_location: Location | None = _loc
    end_line: int = attrs.field(default=0, eq=False, repr=False)
    ignore: tuple[str, ...] = attrs.field(default=(), eq=False, repr=False)
    ignore_location: Location | None = _loc

    # Computed once per fact, on first use: every renderer and the conflict
    # check ask for them, and a large base asks 100,000 times over (slots made
    # by attrs for cached properties; not fields, so not compared or serialized).
    @functools.cached_property
    def spellings(self) -> tuple[str, ...]:
        """The arguments' canonical spellings: ``("Huawei", "China", "2024")``."""
        return tuple(a.spelling() for a in self.args)

    @functools.cached_property
    def value_spelling(self) -> str | None:
        """The value's canonical spelling (``"16%"``), or None for a relation."""
        return self.value.spelling() if self.value is not None else None

    @functools.cached_property
    def key(self) -> str:
        """The fact's key: predicate and arguments, ``share(Huawei, China, 2024)``."""
        return f"{self.predicate}({', '.join(self.spellings)})"

    @property
    def head(self) -> str:
        """The key as the claim begins: ``not partner(A, B)`` for a negated fact."""
        return f"not {self.key}" if self.negated else self.key

    @functools.cached_property
    def claim(self) -> str:
        """The whole claim as written canonically, without citations."""
        head = self.head
        if self.comparator is None or self.value_spelling is None:
            return head
        return f"{head} {self.comparator} {self.value_spelling}"


@attrs.frozen
class FactBase:
    """A checked fact base: declarations and facts from every loaded file."""

    sources: Mapping[str, Source] = attrs.field(factory=dict)
    kinds: Mapping[str, Kind] = attrs.field(factory=dict)
    entities: Mapping[str, Entity] = attrs.field(factory=dict)
    predicates: Mapping[str, Predicate] = attrs.field(factory=dict)
    facts: tuple[Fact, ...] = ()
    files: tuple[str, ...] = ()
    root: str = "."


# --- JSON in and out -------------------------------------------------------

_VALUE_CLASSES: dict[str, type[Any]] = {
    "Percent": v.Percent,
    "Money": v.Money,
    "Number": v.Number,
    "Year": v.Year,
    "FiscalYear": v.FiscalYear,
    "Quarter": v.Quarter,
    "Month": v.Month,
    "Date": v.Date,
    "Text": v.Text,
    "Bool": v.Bool,
    "Entity": v.EntityRef,
}


@functools.cache
def _converter() -> cattrs.Converter:
    """The converter, made on first use: cattrs is imported only by what converts (12 ms of every run)."""
    import cattrs

    converter = cattrs.Converter()

    def unstructure_value(value: v.Value) -> dict[str, Any]:
        data: dict[str, Any] = {"type": value.type_name}
        for field in attrs.fields(type(value)):
            data[field.name] = converter.unstructure(getattr(value, field.name))
        return data

    def structure_value(data: Any, _: object) -> v.Value:
        cls = _VALUE_CLASSES[data["type"]]
        kwargs = {
            f.name: converter.structure(data[f.name], f.type) for f in attrs.fields(cls) if f.name in data
        }
        value: v.Value = cls(**kwargs)
        return value

    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(Decimal, lambda d, _: Decimal(d))
    converter.register_unstructure_hook(_dt.date, lambda d: d.isoformat())
    converter.register_structure_hook(_dt.date, lambda d, _: _dt.date.fromisoformat(d))
    for cls in _VALUE_CLASSES.values():
        converter.register_unstructure_hook(cls, unstructure_value)
    converter.register_structure_hook_func(lambda t: t is v.Value, structure_value)
    converter.register_structure_hook(
        v.Value | None, lambda d, _: None if d is None else structure_value(d, _)
    )
    return converter


def to_json(base: FactBase) -> dict[str, Any]:
    """The fact base as plain JSON-compatible data (locations included)."""
    data: dict[str, Any] = _converter().unstructure(base)
    return data


def from_json(data: Mapping[str, Any]) -> FactBase:
    """A fact base from data made by :func:`to_json`."""
    return _converter().structure(dict(data), FactBase)
