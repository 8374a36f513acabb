"""Build: parsed files to a checked :class:`~factlang.model.FactBase`.

Runs every static check of SPEC §2 that needs names and types (syntax is
the parser's job, reading files the loader's): unknown names with "did you
mean", duplicate declarations, arity, argument and value types, comparators
that do not fit the value type, source paths. All problems are collected
and raised once as a :class:`~factlang.diagnostics.CheckError`.

Scoping: a file sees the declarations of itself and of every file it
``use``-s, transitively. Sources from the configured folders are seen
everywhere.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Final

import attrs

from factlang import model as m
from factlang import syntax as s
from factlang import values as v
from factlang._fs import describe, inside, probe, realpath
from factlang.diagnostics import CheckError, Diagnostic, did_you_mean
from factlang.sources.urls import is_url

__all__ = ["Unit", "build", "visible_files"]


_ORDERED: Final = frozenset({"Percent", "Money", "Number", "Year", "FiscalYear", "Quarter", "Month", "Date"})
_APPROXIMATE: Final = frozenset({"Percent", "Money", "Number"})
_SOURCE_FIELDS: Final = {
    "title": "Text",
    "outlet": "Text",
    "author": "Text",
    "url": "Text",
    "published": "Date",
}
_SLOT_RE: Final = m.TEMPLATE_SLOT
_SHA256: Final = re.compile(r"[0-9a-fA-F]{64}")


@attrs.frozen
class Unit:
    """One parsed file as the builder needs it."""

    path: str  # as shown in diagnostics
    parsed: s.ParsedFile
    lines: Sequence[str]
    uses: tuple[str, ...]  # paths (as above) of the files it uses directly
    #: The fact statements, when handed over apart from ``parsed``: a list to be
    #: consumed (the builder takes them one at a time, and a statement it has
    #: built is freed: the loader's large files), or a function making them
    #: anew on each call (a parse cache entry, unpickled only if its facts are
    #: built). None: ``parsed.facts``, kept.
    facts: list[s.FactStmt] | Callable[[], Iterable[s.FactStmt]] | None = attrs.field(
        default=None, eq=False, repr=False
    )

    def take_facts(self) -> Iterator[s.FactStmt]:
        """The file's fact statements in order; handed-over ones are removed as they are taken."""
        if self.facts is None:
            yield from self.parsed.facts
            return
        if callable(self.facts):
            yield from self.facts()
            return
        pending = self.facts
        pending.reverse()
        while pending:
            yield pending.pop()


class _Builder:
    def __init__(self, units: Sequence[Unit], root: Path, folder_sources: Mapping[str, m.Source]) -> None:
        self.units = units
        self.root = root
        self.folder_sources = folder_sources
        self.errors: list[Diagnostic] = []
        self.by_path = {u.path: u for u in units}
        # Global registries, first declaration wins; the file that declared each.
        self.kinds: dict[str, m.Kind] = {}
        self.entities: dict[str, m.Entity] = {}
        self.predicates: dict[str, m.Predicate] = {}
        self.sources: dict[str, m.Source] = {}
        # (namespace, name) -> (file, line, column) of the first declaration.
        self.declared_in: dict[tuple[str, str], tuple[str, int, int]] = {}

    # -- diagnostics -----------------------------------------------------------

    def error(
        self, unit: Unit, pos: s.Pos | None, message: str, hint: str | None = None, *, code: str
    ) -> None:
        self.errors.append(Diagnostic.at(message, unit.path, unit.lines, pos, code=code, hint=hint))

    def loc(self, unit: Unit, pos: s.Pos) -> m.Location:
        return m.Location(unit.path, pos.line, pos.column, pos.end_line, pos.end_column)

    # -- declarations ------------------------------------------------------------

    def declare(self, unit: Unit, space: str, ident: s.Ident) -> bool:
        """Register a name; report duplicates and reserved words. True if new."""
        article = "an" if space[0] in "aeiou" else "a"
        if ident.text in s.RESERVED:
            self.error(
                unit,
                ident.pos,
                f"'{ident.text}' is a reserved word and cannot name {article} {space}",
                code="FL111",
            )
            return False
        if space == "kind" and ident.text in v.BUILTIN_TYPES:
            self.error(
                unit, ident.pos, f"'{ident.text}' is a built-in type and cannot name a kind", code="FL111"
            )
            return False
        key = (space, ident.text)
        first = self.declared_in.get(key)
        if first is not None:
            where = ":".join(map(str, first))
            self.error(
                unit,
                ident.pos,
                f"duplicate {space} '{ident.text}'",
                f"first declared at {where}",
                code="FL104",
            )
            return False
        self.declared_in[key] = (unit.path, ident.pos.line, ident.pos.column)
        return True

    def collect(self) -> None:
        for unit in self.units:
            for k in unit.parsed.kinds:
                if self.declare(unit, "kind", k.name):
                    self.kinds[k.name.text] = m.Kind(k.name.text, self.loc(unit, k.pos))
        for unit in self.units:
            for e in unit.parsed.entities:
                if self.declare(unit, "entity", e.name):
                    self.entities[e.name.text] = m.Entity(
                        e.name.text, e.kind.text, e.aliases, self.loc(unit, e.pos)
                    )
            for p in unit.parsed.predicates:
                if self.declare(unit, "predicate", p.name):
                    self.predicates[p.name.text] = self.predicate(unit, p)
            for src in unit.parsed.sources:
                if self.declare(unit, "source", src.id):
                    self.sources[src.id.text] = self.source(unit, src)

    def predicate(self, unit: Unit, p: s.PredicateDecl) -> m.Predicate:
        seen: set[str] = set()
        for param in p.params:
            if param.name.text in seen:
                self.error(
                    unit,
                    param.name.pos,
                    f"duplicate parameter '{param.name.text}' of '{p.name.text}'",
                    code="FL104",
                )
            seen.add(param.name.text)
        if p.template is not None:
            # `{value}` names the fact's value (SPEC §2), so only a valued predicate has it.
            slots = seen | ({"value"} if p.value_type is not None else set())
            for slot in dict.fromkeys(_SLOT_RE.findall(p.template)):
                if slot not in slots:
                    names = ", ".join(sorted(seen)) or "none"
                    if slot == "value":
                        message = f"template slot {{value}} in relation '{p.name.text}', which has no value"
                    else:
                        message = (
                            f"template slot {{{slot}}} is not a parameter of '{p.name.text}'"
                            f"{did_you_mean(slot, slots)}"
                        )
                    self.error(unit, p.template_pos, message, f"parameters: {names}", code="FL112")
        aka = tuple(dict.fromkeys(a.strip() for a in p.aka))
        if any(not a for a in aka):
            self.error(unit, p.aka_pos, f"an aka phrase of '{p.name.text}' is empty", code="FL108")
        return m.Predicate(
            p.name.text,
            tuple(m.Param(q.name.text, q.type.text) for q in p.params),
            p.value_type.text if p.value_type else None,
            p.template,
            self.loc(unit, p.pos),
            tuple(a for a in aka if a),
        )

    def source(self, unit: Unit, src: s.SourceDecl) -> m.Source:
        known: dict[str, object] = {}
        metadata: dict[str, str] = {}
        for f in src.fields:
            name = f.name.text
            if name in known or name in metadata:
                self.error(
                    unit, f.name.pos, f"duplicate field '{name}' in source '{src.id.text}'", code="FL104"
                )
                continue
            expected = _SOURCE_FIELDS.get(name)
            if expected is None:
                value = f.value.value
                metadata[name] = value.text if isinstance(value, v.Text) else value.spelling()
                if name == "sha256" and not _SHA256.fullmatch(metadata[name]):
                    # A pin (SPEC §2.1): the hex SHA-256 of the source's bytes.
                    self.error(
                        unit, f.value.pos, f"sha256 pin {f.value.raw} is not 64 hex digits", code="FL145"
                    )
                continue
            got = _literal_type(f.value)
            if got != expected:
                self.error(
                    unit,
                    f.value.pos,
                    f"source field '{name}' expects {expected}, got {got} {f.value.raw}",
                    code="FL103",
                )
                continue
            value = f.value.value
            known[name] = value.date if isinstance(value, v.Date) else getattr(value, "text", None)
        self.check_source_path(unit, src)
        return m.Source(
            src.id.text,
            _normpath(src.path),
            title=_str(known.get("title")),
            outlet=_str(known.get("outlet")),
            author=_str(known.get("author")),
            url=_str(known.get("url")),
            published=known.get("published"),  # type: ignore[arg-type]
            metadata=metadata,
            location=self.loc(unit, src.pos),
        )

    def check_source_path(self, unit: Unit, src: s.SourceDecl) -> None:
        raw = src.path
        if not raw.strip():
            self.error(unit, src.path_pos, "empty source path", code="FL105")
            return
        if is_url(raw):
            # Read from factlang.lock at check time; only http(s) can be locked.
            if raw.split("://", 1)[0].lower() not in ("http", "https"):
                self.error(
                    unit,
                    src.path_pos,
                    f"source URL '{raw}' is not http or https",
                    "a URL source is fetched once by `factlang lock`, over http or https",
                    code="FL146",
                )
            return
        target = realpath(self.root / raw)
        if Path(raw).is_absolute() or not inside(target, self.root):
            self.error(
                unit,
                src.path_pos,
                f"source path '{raw}' leaves the project root",
                f"source paths are relative to the project root {self.root}",
                code="FL106",
            )
            return
        found = probe(target)
        if found.kind == "missing":
            self.error(
                unit,
                src.path_pos,
                f"source file '{raw}' does not exist",
                "paths are relative to the project root",
                code="FL105",
            )
        elif found.kind == "folder":
            self.error(unit, src.path_pos, f"source path '{raw}' is not a file", code="FL105")
        elif found.kind != "file":
            code = "FL120" if found.kind == "special" else "FL105"
            self.error(unit, src.path_pos, f"source path '{raw}' {describe(found)}", code=code)
        elif not os.access(target, os.R_OK):
            self.error(unit, src.path_pos, f"source file '{raw}' is not readable", code="FL105")

    # -- scopes ----------------------------------------------------------------

    def visible_files(self) -> dict[str, frozenset[str]]:
        """For each file, itself and every file it uses, transitively."""
        return visible_files(self.units)

    # -- facts -----------------------------------------------------------------

    def check_kinds_of_entities(self, unit: Unit, visible: frozenset[str]) -> None:
        for e in unit.parsed.entities:
            self.require_kind(unit, e.kind, visible)
        for p in unit.parsed.predicates:
            for param in p.params:
                self.require_type(unit, param.type, visible)
            if p.value_type is not None:
                self.require_type(unit, p.value_type, visible)

    def require_kind(self, unit: Unit, ident: s.Ident, visible: frozenset[str]) -> None:
        if not self.is_visible("kind", ident.text, visible):
            self.unknown(unit, ident, "kind", self.visible_names("kind", visible), visible)

    def require_type(self, unit: Unit, ident: s.Ident, visible: frozenset[str]) -> None:
        if ident.text in v.BUILTIN_TYPES or self.is_visible("kind", ident.text, visible):
            return
        pool = [*v.BUILTIN_TYPES, *self.visible_names("kind", visible)]
        self.unknown(unit, ident, "type", pool, visible, space="kind")

    def is_visible(self, space: str, name: str, visible: frozenset[str]) -> bool:
        where = self.declared_in.get((space, name))
        return where is not None and where[0] in visible

    def visible_names(self, space: str, visible: frozenset[str]) -> list[str]:
        return [n for (sp, n), where in self.declared_in.items() if sp == space and where[0] in visible]

    def unknown(
        self,
        unit: Unit,
        ident: s.Ident,
        what: str,
        pool: Iterable[str],
        visible: frozenset[str],
        *,
        space: str | None = None,
    ) -> None:
        hint = None
        where = self.declared_in.get((space or what, ident.text))
        if where is not None:
            # Declared, but in a file this one does not use.
            decl_file = where[0]
            rel = os.path.relpath(decl_file, Path(unit.path).parent)
            hint = f"'{ident.text}' is declared in {decl_file}; add: use \"{Path(rel).as_posix()}\""
        self.error(
            unit,
            ident.pos,
            f"unknown {what} '{ident.text}'{did_you_mean(ident.text, pool)}",
            hint,
            code="FL101",
        )

    def typed(
        self, unit: Unit, lit: s.Literal, expected: str, visible: frozenset[str], where: _Where
    ) -> v.Value | None:
        """The literal's value as type ``expected``, or None after reporting why not."""
        got = _literal_type(lit)
        value = lit.value
        if expected not in v.BUILTIN_TYPES and expected not in self.kinds:
            # The unknown type was reported where it was declared; a second
            # error for every use would only bury the first.
            return None
        if lit.kind == "NAME":
            name = lit.raw
            entity = self.entities.get(name) if self.is_visible("entity", name, visible) else None
            if entity is None:
                if expected in v.BUILTIN_TYPES and (expected != "Money" or not _looks_like_code(name)):
                    self.error(
                        unit, lit.pos, f"{_What(where)} expects {expected}, got name '{name}'", code="FL103"
                    )
                    return None
                pool = [
                    n
                    for n in self.visible_names("entity", visible)
                    if expected in v.BUILTIN_TYPES or self.entities[n].kind == expected
                ]
                self.unknown(unit, s.Ident(name, lit.pos), "entity", pool, visible)
                return None
            if entity.kind != expected and entity.kind in self.kinds:
                self.error(
                    unit,
                    lit.pos,
                    f"{_What(where)} expects {expected}, got {entity.kind} entity '{name}'",
                    code="FL103",
                )
                return None
            return value
        if expected == "Year" and lit.kind == "NUMBER":
            assert isinstance(value, v.Number)
            amount = value.amount
            if value.scale is None and amount == amount.to_integral_value() and 0 < amount < 10000:
                return v.Year(int(amount))
            self.error(
                unit,
                lit.pos,
                f"{_What(where)} expects Year, got Number {lit.raw} (a year is a whole number like 2024)",
                code="FL103",
            )
            return None
        if got != expected:
            self.error(unit, lit.pos, f"{_What(where)} expects {expected}, got {got} {lit.raw}", code="FL103")
            return None
        return value

    def fact(self, unit: Unit, f: s.FactStmt, visible: frozenset[str]) -> m.Fact | None:
        name = f.predicate.text
        pred = self.predicates.get(name) if self.is_visible("predicate", name, visible) else None
        ok = True
        if pred is None:
            self.unknown(unit, f.predicate, "predicate", self.visible_names("predicate", visible), visible)
            ok = False
        else:
            ok = self.signature(unit, f, pred, visible)
        args: list[v.Value] = []
        if pred is not None and len(f.args) == len(pred.params):
            for i, (lit, param) in enumerate(zip(f.args, pred.params, strict=True), 1):
                typed = self.typed(unit, lit, param.type, visible, (i, param.name, name))
                ok = ok and typed is not None
                if typed is not None:
                    args.append(typed)
        value: v.Value | None = None
        if pred is not None and pred.value_type is not None and f.value is not None:
            value = self.typed(unit, f.value, pred.value_type, visible, (0, "", name))
            ok = ok and value is not None
        citations = self.citations(unit, f, visible)
        if not ok or citations is None:
            return None
        ignore, ignore_at = _suppressions(unit, f.pos)
        return m.Fact(
            name,
            tuple(args),
            f.comparator,
            value,
            f.negated,
            citations,
            self.loc(unit, f.pos),
            self.loc(unit, f.value.pos) if f.value is not None else None,
            f.pos.end_line,
            ignore,
            ignore_at,
        )

    def signature(self, unit: Unit, f: s.FactStmt, pred: m.Predicate, visible: frozenset[str]) -> bool:
        ok = True
        name = pred.name
        if len(f.args) != len(pred.params):
            params = ", ".join(f"{p.name}: {p.type}" for p in pred.params)
            n = len(pred.params)
            self.error(
                unit,
                f.predicate.pos,
                f"'{name}' expects {n} argument{'s' if n != 1 else ''} ({params}), got {len(f.args)}",
                code="FL102",
            )
            ok = False
        if pred.value_type is None:
            if f.comparator is not None:
                self.error(
                    unit,
                    f.comparator_pos,
                    f"'{name}' is a relation (declared without '->'); it takes no comparator or value",
                    code="FL113",
                )
                ok = False
        else:
            if f.negated:
                self.error(
                    unit,
                    f.predicate.pos,
                    f"'not' applies to relations; '{name}' states a {pred.value_type} (use '!=' instead)",
                    code="FL113",
                )
                ok = False
            if f.comparator is None:
                self.error(
                    unit,
                    f.predicate.pos,
                    f"'{name}' states a {pred.value_type}; expected a comparator and a value, e.g. '= ...'",
                    code="FL113",
                )
                ok = False
            elif f.comparator in ("<", "<=", ">", ">=") and pred.value_type not in _ORDERED:
                self.error(
                    unit,
                    f.comparator_pos,
                    f"'{f.comparator}' needs an ordered value; '{name}' states a {pred.value_type}",
                    code="FL113",
                )
                ok = False
            elif f.comparator == "~" and pred.value_type not in _APPROXIMATE:
                self.error(
                    unit,
                    f.comparator_pos,
                    f"'~' needs a Percent, Money or Number value; '{name}' states a {pred.value_type}",
                    code="FL113",
                )
                ok = False
        return ok

    def citations(self, unit: Unit, f: s.FactStmt, visible: frozenset[str]) -> tuple[m.Citation, ...] | None:
        out: list[m.Citation] = []
        ok = True
        for c in f.citations:
            sid = c.source.text
            if not self.is_visible("source", sid, visible) and sid not in self.folder_sources:
                pool = [*self.visible_names("source", visible), *self.folder_sources]
                self.unknown(unit, c.source, "source", pool, visible)
                ok = False
            if c.quote is not None and not c.quote.strip():
                self.error(
                    unit,
                    c.quote_pos,
                    "empty quote",
                    "omit the quote to let the verifier search the source",
                    code="FL113",
                )
                ok = False
            quote_at = self.loc(unit, c.quote_pos) if c.quote_pos is not None else None
            out.append(m.Citation(sid, c.quote, c.contradicts, self.loc(unit, c.pos), quote_at))
        return tuple(out) if ok else None

    def run(self) -> m.FactBase:
        self.collect()
        visible = self.visible_files()
        facts: list[m.Fact] = []
        for unit in self.units:
            vis = visible[unit.path]
            self.check_kinds_of_entities(unit, vis)
            for f in unit.take_facts():
                built = self.fact(unit, f, vis)
                if built is not None:
                    facts.append(built)
        if self.errors:
            # Report file by file, top to bottom, whichever check found what.
            order = {u.path: i for i, u in enumerate(self.units)}
            self.errors.sort(key=lambda d: (order.get(d.path, len(order)), d.line, d.column))
            raise CheckError(self.errors)
        all_sources = {**self.folder_sources, **self.sources}
        return m.FactBase(
            sources=all_sources,
            kinds=self.kinds,
            entities=self.entities,
            predicates=self.predicates,
            facts=tuple(facts),
            files=tuple(u.path for u in self.units),
            root=str(self.root),
        )


def visible_files(units: Sequence[Unit]) -> dict[str, frozenset[str]]:
    """For each file (as shown), itself and every file it uses, transitively: whose declarations it sees."""
    by_path = {u.path: u for u in units}
    out: dict[str, frozenset[str]] = {}
    for unit in units:
        seen = {unit.path}
        stack = list(unit.uses)
        while stack:
            path = stack.pop()
            if path in seen:
                continue
            seen.add(path)
            used = by_path.get(path)
            if used is not None:
                stack.extend(used.uses)
        out[unit.path] = frozenset(seen)
    return out


def build(
    units: Sequence[Unit], root: Path, folder_sources: Mapping[str, m.Source] | None = None
) -> m.FactBase:
    """Check parsed files together and build the fact base they describe.

    Raises :class:`~factlang.diagnostics.CheckError` with every problem found.
    """
    return _Builder(units, realpath(root), folder_sources or {}).run()


# Which slot of a fact a literal fills: (argument number or 0 for the value,
# parameter name, predicate name). Kept as a tuple so that the wording of an
# error message is only built when there is an error.
_Where = tuple[int, str, str]


class _What:
    """The description of a fact's slot, formatted only when shown."""

    __slots__ = ("where",)

    def __init__(self, where: _Where) -> None:
        self.where = where

    def __format__(self, spec: str) -> str:
        index, param, predicate = self.where
        if index:
            return f"argument {index} ({param}) of '{predicate}'"
        return f"the value of '{predicate}'"


def _literal_type(lit: s.Literal) -> str:
    return s.LITERAL_DESCRIPTIONS[lit.kind]


def _looks_like_code(name: str) -> bool:
    return len(name) == 3 and name.isupper()


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _normpath(path: str) -> str:
    if is_url(path):
        return path
    return Path(os.path.normpath(path)).as_posix()


# `# factlang: ignore[FL202, FL203]` on any line of a fact suppresses those codes for it.
_SUPPRESSION_RE: Final = re.compile(r"#\s*factlang:\s*ignore\[([^\]]*)\]")


def _suppressions(unit: Unit, pos: s.Pos) -> tuple[tuple[str, ...], m.Location | None]:
    """The codes suppressed by comments on a fact's lines, and where the first comment is."""
    codes: set[str] = set()
    first: m.Location | None = None
    for comment in _comments_between(unit.parsed.comments, pos.line, pos.end_line):
        match = _SUPPRESSION_RE.search(comment.text)
        if match is None:
            continue
        codes.update(c.strip().upper() for c in match.group(1).split(",") if c.strip())
        if first is None:
            first = m.Location(unit.path, comment.line, comment.column)
    return tuple(sorted(codes)), first


def _comments_between(comments: Sequence[s.Comment], first: int, last: int) -> Iterable[s.Comment]:
    lo = bisect.bisect_left(comments, first, key=lambda c: c.line)  # comments are in file order
    # By index, not over a slice: a slice copies every later comment, for every fact.
    for i in range(lo, len(comments)):
        comment = comments[i]
        if comment.line > last:
            break
        yield comment
