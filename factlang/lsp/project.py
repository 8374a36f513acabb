"""The language server's view of one project: files, names, checks, verdicts.

No LSP here: a :class:`Project` holds the editor's unsaved buffers
(``overlays``) over the files on disk and turns them, with the same parser,
builder and verifier the CLI uses, into an immutable :class:`Snapshot`: the
diagnostics of every file, the checked fact base (when it checks), and an
index of every name's declaration and uses for navigation. Verification is
a separate, slower step (:meth:`Project.verify`) that the server runs off
the typing path.

Files are parsed again only when their text changed; the rest of the
pipeline is rerun on every analysis (it is linear and cheap next to
parsing).
"""

from __future__ import annotations

import os
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Final, Literal

import attrs

from factlang import model as m
from factlang import syntax as s
from factlang import values as v
from factlang._fs import inside, probe, read_regular, realpath
from factlang._gc import paused_gc
from factlang.build import Unit, build
from factlang.config import Config, load_config
from factlang.diagnostics import Diagnostic, FactlangError, LoadError, ParseError
from factlang.loader import MAX_FACT_FILE_BYTES, cycle_use, dependency_order, folder_sources, resolve_use
from factlang.lsp.incremental import IncrementalParser
from factlang.lsp.positions import LineIndex
from factlang.report import Conflict, FactResult
from factlang.verify.corpus import Corpus
from factlang.verify.text import Document

__all__ = ["Decl", "FileInfo", "Occurrence", "Project", "Snapshot", "Space", "Verification", "fact_key"]

#: The namespaces of names, as the builder keeps them.
Space = Literal["kind", "entity", "predicate", "source"]

_FACT_SUFFIX: Final = ".fact"

# Where analysis sends the diagnostics it finds.
_Report = Callable[[Iterable[Diagnostic]], None]


@attrs.frozen
class Occurrence:
    """One place a name is written: its namespace, the name, the file and character offsets."""

    space: Space
    name: str
    path: Path
    start: int
    end: int
    declaration: bool = False


@attrs.frozen
class Decl:
    """A declared name: where, and the syntax node (None for a sources-folder file)."""

    space: Space
    name: str
    path: Path
    start: int
    end: int
    node: s.SourceDecl | s.KindDecl | s.EntityDecl | s.PredicateDecl | None = None


@attrs.frozen(eq=False)
class FileInfo:
    """One fact file as analysed: its text, its parse (None if it has syntax errors), its index."""

    path: Path
    text: str
    lines: LineIndex
    parsed: s.ParsedFile | None
    occurrences: tuple[Occurrence, ...] = ()

    def occurrence_at(self, offset: int) -> Occurrence | None:
        """The name written at ``offset`` (the character before counts, for a cursor at a name's end)."""
        starts = [o.start for o in self.occurrences]
        i = bisect_right(starts, offset) - 1
        if i >= 0 and self.occurrences[i].start <= offset <= self.occurrences[i].end:
            return self.occurrences[i]
        return None

    def statement_at(self, offset: int) -> s.Statement | None:
        """The statement whose text contains ``offset``."""
        if self.parsed is None:
            return None
        for st in self.parsed.statements:
            if st.pos.start <= offset <= st.pos.end:
                return st
        return None


@attrs.frozen(eq=False)
class Snapshot:
    """Everything known about a project after one analysis; never changed afterwards."""

    config: Config
    files: Mapping[Path, FileInfo]
    diagnostics: Mapping[Path, tuple[Diagnostic, ...]]
    base: m.FactBase | None
    decls: Mapping[tuple[Space, str], Decl]
    texts: Mapping[Path, str]  # the text each file was analysed from, by path
    by_place: Mapping[tuple[str, int, int], m.Fact] = attrs.field(factory=dict)  # (file, line, column)

    def declared(self, space: Space) -> list[Decl]:
        """Every declaration of a namespace, in the order they were found."""
        return [d for (sp, _), d in self.decls.items() if sp == space]

    def references(self, space: Space, name: str) -> list[Occurrence]:
        """Every occurrence of a name (its declaration included), file by file."""
        return [o for f in self.files.values() for o in f.occurrences if o.space == space and o.name == name]

    def fact_at(self, path: Path, stmt: s.FactStmt) -> m.Fact | None:
        """The checked fact a statement became (None while the project has static errors)."""
        if self.base is None:
            return None
        return self.by_place.get((str(path), stmt.pos.line, stmt.pos.column))


@attrs.frozen(eq=False)
class Verification:
    """The verifier's results on the facts of some files, by what each fact depends on.

    A result is found again from a later snapshot by the same key (the
    fact's text and the declarations and source files it uses), so a fact
    keeps its verdict while other lines are edited, and loses it the moment
    anything it depends on changes.
    """

    results: Mapping[object, FactResult]
    stamps: Mapping[str, object]  # the source files' modification times it saw
    verified: int = 0  # how many facts this run verified (the others were reused)
    # Facts in a conflict: key -> (why, where the other facts of it are).
    conflicts: Mapping[object, tuple[str, tuple[m.Location, ...]]] = attrs.field(factory=dict)

    def key(self, snap: Snapshot, path: Path, stmt: s.FactStmt) -> object:
        """The key a fact statement of a snapshot has in this verification."""
        info = snap.files.get(path)
        if info is None or snap.base is None:
            return None
        return fact_key(snap.base, info.text, stmt, self.stamps)

    def result(self, snap: Snapshot, path: Path, stmt: s.FactStmt) -> FactResult | None:
        """The result for a fact statement of a snapshot, if this verification has it."""
        return self.results.get(self.key(snap, path, stmt))


class Project:
    """One project root: its configuration, the editor's buffers, parse results, source texts."""

    def __init__(self, root: Path) -> None:
        self.root = realpath(root)
        self.config_errors: tuple[Diagnostic, ...] = ()
        try:
            self.config = load_config(self.root)
        except FactlangError as err:
            # A broken [tool.factlang] is shown, and the defaults used meanwhile.
            self.config_errors = err.diagnostics
            self.config = Config(root=self.root)
        self.overlays: dict[Path, str] = {}
        self._parsed: dict[Path, tuple[str, s.ParsedFile | ParseError]] = {}
        self._parsers: dict[Path, IncrementalParser] = {}
        self._last_good: dict[Path, s.ParsedFile] = {}
        self._sources: dict[Path, tuple[object, str | None]] = {}
        self._source_lines: dict[Path, LineIndex] = {}
        self._plain: set[Path] = set()
        self._documents: dict[Path, Document] = {}
        self._peaceful: set[object] = set()
        self._folder: tuple[list[int | None], dict[str, m.Source]] | None = None
        self._memo: dict[object, FactResult] = {}

    # -- analysis ----------------------------------------------------------------

    def analyse(self, overlays: Mapping[Path, str] | None = None) -> Snapshot:
        """Parse and check every fact file of the project, with ``overlays`` (default: the open buffers).

        The server passes a copy of the buffers, so that analysis can run in
        a worker thread while the editor goes on typing.
        """
        with paused_gc():
            return self._analyse(dict(self.overlays if overlays is None else overlays))

    def _analyse(self, buffers: dict[Path, str]) -> Snapshot:
        diagnostics: dict[Path, list[Diagnostic]] = {}

        def report(errors: Iterable[Diagnostic]) -> None:
            for d in errors:
                diagnostics.setdefault(_abs(d.path, self.root), []).append(d)

        report(self.config_errors)
        texts: dict[Path, str] = {}
        parsed: dict[Path, s.ParsedFile] = {}
        uses: dict[Path, tuple[Path, ...]] = {}
        pending = self.fact_files(buffers)
        seen = set(pending)
        syntax_errors = False
        while pending:
            path = pending.pop(0)
            text = self.text_of(path, buffers)
            if text is None:
                report([Diagnostic("cannot read fact file", str(path), code="FL105")])
                continue
            texts[path] = text
            result = self.parse(path, text)
            if isinstance(result, ParseError):
                syntax_errors = True
                report(result.diagnostics)
                continue
            self._last_good[path] = result
            parsed[path] = result
            uses[path] = self.resolve_uses(path, result, text, report)
            for target in uses[path]:
                if target not in seen:
                    seen.add(target)
                    pending.append(target)
        order = _dependency_order(parsed, uses, texts, report)
        base: m.FactBase | None = None
        if not syntax_errors and not diagnostics:
            units = [Unit(str(p), parsed[p], texts[p].split("\n"), tuple(map(str, uses[p]))) for p in order]
            try:
                base = build(units, self.config.root, self.folder_sources())
            except FactlangError as err:
                report(err.diagnostics)
        # A file being typed rarely parses: its last good parse still names
        # what it declares, for completion and hover (not for positions).
        stale = {p: self._last_good[p] for p in texts if p not in parsed and p in self._last_good}
        files, decls = _index(parsed, texts, self.folder_source_paths(), stale)
        by_place = {
            (f.location.path, f.location.line, f.location.column): f
            for f in (base.facts if base is not None else ())
            if f.location is not None
        }
        return Snapshot(
            self.config,
            files,
            {p: tuple(ds) for p, ds in diagnostics.items()},
            base,
            decls,
            texts,
            by_place,
        )

    def fact_files(self, buffers: Mapping[Path, str]) -> list[Path]:
        """The configured fact files, then every open ``.fact`` buffer of this project."""
        found: list[Path] = []
        for entry in self.config.facts:
            target = self.root / entry
            kind = probe(target).kind
            if kind == "folder":
                found.extend(sorted(p for p in target.rglob(f"*{_FACT_SUFFIX}") if probe(p).kind == "file"))
            elif kind == "file":
                found.append(target)
        found = [realpath(p) for p in found]
        found.extend(p for p in buffers if p.suffix == _FACT_SUFFIX)
        # Nothing outside the project root is read, even through a symbolic link.
        return [p for p in dict.fromkeys(found) if inside(p, self.root)]

    def text_of(self, path: Path, buffers: Mapping[Path, str]) -> str | None:
        """A file's text: the editor's buffer when it is open, else the file on disk (None if unreadable)."""
        text = buffers.get(path)
        if text is not None:
            return text
        try:
            # Without blocking on a pipe, and within the loader's size limit.
            return read_regular(path, MAX_FACT_FILE_BYTES).decode("utf-8", errors="replace")
        except OSError:
            return None

    def parse(self, path: Path, text: str) -> s.ParsedFile | ParseError:
        """The parse of a file's text, reused while the text is unchanged."""
        cached = self._parsed.get(path)
        if cached is not None and cached[0] == text:
            return cached[1]
        parser = self._parsers.get(path)
        if parser is None:
            parser = self._parsers[path] = IncrementalParser(str(path))
        try:
            result: s.ParsedFile | ParseError = parser.parse(text)
        except ParseError as err:
            result = err
        self._parsed[path] = (text, result)
        return result

    def resolve_uses(self, path: Path, parsed: s.ParsedFile, text: str, report: _Report) -> tuple[Path, ...]:
        """The files a file's ``use`` statements name; problems reported as the loader words them."""
        out: list[Path] = []
        lines = text.split("\n")
        for use in parsed.uses:
            found = resolve_use(use, path, str(path), lines, self.root)
            if isinstance(found, Diagnostic):
                report([found])
            else:
                out.append(found)
        return tuple(out)

    def folder_sources(self) -> dict[str, m.Source]:
        """The sources of the configured folders, read again only when a folder changed.

        Raises :class:`~factlang.diagnostics.ConfigError` as the loader does.
        """
        stamp: list[int | None] = []
        for folder in self.config.sources:
            try:
                stamp.append((self.root / folder).stat().st_mtime_ns)
            except OSError:
                stamp.append(None)
        if self._folder is not None and self._folder[0] == stamp:
            return self._folder[1]
        found = folder_sources(self.config)
        self._folder = (stamp, found)
        return found

    def folder_source_paths(self) -> dict[str, Path]:
        """The sources of the configured folders: id -> file."""
        try:
            sources = self.folder_sources()
        except FactlangError:
            return {}
        return {sid: self.root / src.path for sid, src in sources.items()}

    # -- verification ------------------------------------------------------------

    def verify(self, snap: Snapshot, paths: Iterable[Path]) -> Verification | None:
        """Verify the facts written in ``paths`` (None when the project does not check).

        A fact's result is reused while the fact, its predicate, the entities
        it names and the sources it cites (declarations and files) are as
        they were: only new or changed facts are verified again.
        """
        from factlang.verify import verify

        base = snap.base
        if base is None:
            return None
        wanted = set(paths)
        with paused_gc():
            stamps = self._source_stamps(base)
            todo: list[tuple[object, m.Fact]] = []
            for path in wanted:
                info = snap.files.get(path)
                if info is None or info.parsed is None:
                    continue
                for stmt in info.parsed.facts:
                    fact = snap.fact_at(path, stmt)
                    if fact is not None:
                        todo.append((fact_key(base, info.text, stmt, stamps), fact))
            results = {key: found for key, _ in todo if (found := self._memo.get(key)) is not None}
            missing = [(key, fact) for key, fact in todo if key not in results]
            if missing:
                try:
                    report = verify(
                        attrs.evolve(base, facts=tuple(f for _, f in missing)), root=self.config.root
                    )
                except LoadError:
                    return None  # an unreadable source; the static diagnostics already say so
                # verify keeps the order of the facts it is given.
                results.update((key, r) for (key, _), r in zip(missing, report.facts, strict=True))
            conflicts = self._conflicts(snap, base, stamps, wanted)
        self._memo = results
        return Verification(results, stamps, len(missing), conflicts)

    def _conflicts(
        self, snap: Snapshot, base: m.FactBase, stamps: Mapping[str, object], wanted: set[Path]
    ) -> dict[object, tuple[str, tuple[m.Location, ...]]]:
        """The conflicts (with facts anywhere in the project) of the facts in ``wanted``."""
        from factlang.verify.conflicts import find_conflicts

        out: dict[object, tuple[str, tuple[m.Location, ...]]] = {}
        statements: dict[Path, dict[tuple[int, int], s.FactStmt]] = {}
        groups: dict[str, list[m.Fact]] = {}
        for fact in base.facts:
            groups.setdefault(fact.key, []).append(fact)
        # A group of same-key facts found free of conflict stays so while what
        # they claim is the same: only changed groups are compared again.
        peaceful: set[object] = set()
        found: list[Conflict] = []
        for group in groups.values():
            if len(group) < 2:
                continue
            claims = tuple(f.claim for f in group)
            if claims in self._peaceful:
                peaceful.add(claims)
                continue
            conflicts = find_conflicts(group)
            if conflicts:
                found.extend(conflicts)
            else:
                peaceful.add(claims)
        self._peaceful = peaceful
        for conflict in found:
            places = [f.location for f in conflict.facts if f.location is not None]
            for loc in places:
                path = Path(loc.path)
                info = snap.files.get(path)
                if path not in wanted or info is None or info.parsed is None:
                    continue
                if path not in statements:
                    statements[path] = {(st.pos.line, st.pos.column): st for st in info.parsed.facts}
                stmt = statements[path].get((loc.line, loc.column))
                if stmt is not None:
                    others = tuple(p for p in places if p is not loc)
                    out[fact_key(base, info.text, stmt, stamps)] = (conflict.message, others)
        return out

    def _source_stamps(self, base: m.FactBase) -> dict[str, object]:
        """When each cited source's file last changed, and its size (None: unreadable)."""
        out: dict[str, object] = {}
        for sid in {c.source for f in base.facts for c in f.citations}:
            source = base.sources.get(sid)
            try:
                st = (self.root / source.path).stat() if source is not None else None
            except OSError:
                st = None
            out[sid] = None if st is None else (st.st_mtime_ns, st.st_size)
        return out

    def forget_sources(self) -> None:
        """Drop what was read from source files (they changed on disk): texts and reused verdicts."""
        self._sources.clear()
        self._source_lines.clear()
        self._documents.clear()
        self._folder = None
        self._memo = {}

    def source_text(self, source: m.Source) -> str | None:
        """A source's text as the verifier reads it (offsets match its spans), or None."""
        path = (self.root / source.path).resolve()
        try:
            st = path.stat()
        except OSError:
            return None
        mtime = (st.st_mtime_ns, st.st_size)
        cached = self._sources.get(path)
        if cached is not None and cached[0] == mtime:
            return cached[1]
        corpus = Corpus(self.root, {})
        try:
            text: str | None = corpus.read(source)
        except LoadError:
            text = None
        loaded = corpus.loaded.get(source.id)
        self._sources[path] = (mtime, text)
        # Only a plain-text source's offsets are places in its file (HTML and
        # PDF yield an extracted text; see source_file_text).
        if loaded is not None and loaded.extracted.format == "text":
            self._plain.add(path)
        else:
            self._plain.discard(path)
        self._source_lines.pop(path, None)
        return text

    def source_file_text(self, source: m.Source) -> str | None:
        """The verifier's text of a source when its offsets are also the file's (plain text), else None."""
        text = self.source_text(source)
        return text if text is not None and (self.root / source.path).resolve() in self._plain else None

    def source_document(self, source: m.Source) -> Document | None:
        """A source's text as a verifier :class:`Document` (folded once, for quote completion)."""
        text = self.source_text(source)
        if text is None:
            return None
        path = (self.root / source.path).resolve()
        doc = self._documents.get(path)
        if doc is None or doc.text is not text:
            doc = self._documents[path] = Document(text)
        return doc

    def source_lines(self, source: m.Source, text: str) -> LineIndex:
        """The line index of a source's text (made once per text)."""
        path = (self.root / source.path).resolve()
        index = self._source_lines.get(path)
        if index is None or index.text is not text:
            index = self._source_lines[path] = LineIndex(text)
        return index


def _abs(path: str, root: Path) -> Path:
    if not path:
        return root / "pyproject.toml"
    p = Path(path)
    return (p if p.is_absolute() else Path.cwd() / p).resolve()


def _dependency_order(
    parsed: Mapping[Path, s.ParsedFile],
    uses: Mapping[Path, tuple[Path, ...]],
    texts: Mapping[Path, str],
    report: _Report,
) -> list[Path]:
    """Files, each after those it uses (the loader's walk); a cycle is reported at its first ``use``."""
    order, cycles = dependency_order(parsed, uses)
    for cycle in cycles:
        first, second = cycle[0], cycle[1]
        use = cycle_use(parsed[first], first, second)
        shown = " -> ".join(os.path.relpath(c, first.parent) for c in cycle)
        lines = texts[first].split("\n")
        report([Diagnostic.at(f"include cycle: {shown}", str(first), lines, use.path_pos, code="FL107")])
    return order


def _index(
    parsed: Mapping[Path, s.ParsedFile],
    texts: Mapping[Path, str],
    folder: Mapping[str, Path],
    stale: Mapping[Path, s.ParsedFile] | None = None,
) -> tuple[dict[Path, FileInfo], dict[tuple[Space, str], Decl]]:
    """Every name's declaration and every place a name is written.

    ``stale`` are earlier parses of files that do not parse now: their
    declarations count (after every current one), their positions do not.
    """
    decls: dict[tuple[Space, str], Decl] = {}
    for sid, file in folder.items():
        decls[("source", sid)] = Decl("source", sid, file, 0, 0)
    files: dict[Path, FileInfo] = {}
    for path, text in texts.items():
        pf = parsed.get(path)
        occ: list[Occurrence] = []
        if pf is not None:
            for space, ident, node in _declarations(pf):
                occ.append(Occurrence(space, ident.text, path, ident.pos.start, ident.pos.end, True))
                # A declaration wins over a sources-folder file of the same id, as in build.
                if (space, ident.text) not in decls or decls[(space, ident.text)].node is None:
                    decls[(space, ident.text)] = Decl(
                        space, ident.text, path, ident.pos.start, ident.pos.end, node
                    )
            occ.extend(_uses(pf, path))
            occ.sort(key=lambda o: o.start)
        files[path] = FileInfo(path, text, LineIndex(text), pf, tuple(occ))
    for path, pf in (stale or {}).items():
        for space, ident, node in _declarations(pf):
            decls.setdefault((space, ident.text), Decl(space, ident.text, path, 0, 0, node))
    return files, decls


def _declarations(
    pf: s.ParsedFile,
) -> Iterable[tuple[Space, s.Ident, s.SourceDecl | s.KindDecl | s.EntityDecl | s.PredicateDecl]]:
    for src in pf.sources:
        yield "source", src.id, src
    for k in pf.kinds:
        yield "kind", k.name, k
    for e in pf.entities:
        yield "entity", e.name, e
    for p in pf.predicates:
        yield "predicate", p.name, p


def _uses(pf: s.ParsedFile, path: Path) -> Iterable[Occurrence]:
    def ref(space: Space, ident: s.Ident) -> Occurrence:
        return Occurrence(space, ident.text, path, ident.pos.start, ident.pos.end)

    for e in pf.entities:
        yield ref("kind", e.kind)
    for p in pf.predicates:
        for t in [*(q.type for q in p.params), *([p.value_type] if p.value_type else [])]:
            if t.text not in v.BUILTIN_TYPES:
                yield ref("kind", t)
    for f in pf.facts:
        yield ref("predicate", f.predicate)
        for lit in [*f.args, *([f.value] if f.value is not None else [])]:
            if lit.kind == "NAME":
                yield Occurrence("entity", lit.raw, path, lit.pos.start, lit.pos.end)
        for c in f.citations:
            yield ref("source", c.source)


def fact_key(base: m.FactBase, text: str, stmt: s.FactStmt, stamps: Mapping[str, object]) -> object:
    """Everything a fact's verdict depends on, as one hashable value of strings.

    The statement as written (claim, citations, quotes), its predicate, the
    entities it names and the sources it cites with their files' times, each
    declaration by its ``repr`` (made once per fact base; strings cache their
    hash): cheaper to hash than the checked fact, whose values compare by
    meaning.
    """
    decls = _declarations_of(base)
    names = [lit.raw for lit in (*stmt.args, stmt.value) if lit is not None and lit.kind == "NAME"]
    return (
        text[stmt.pos.start : stmt.pos.end],
        decls.get(("p", stmt.predicate.text)),
        tuple(decls.get(("e", n)) for n in names),
        tuple((decls.get(("s", c.source.text)), stamps.get(c.source.text)) for c in stmt.citations),
    )


# The declarations' reprs of the newest fact bases (a base is never changed);
# the server's threads share it.
_REPRS: list[tuple[m.FactBase, dict[tuple[str, str], str]]] = []
_REPRS_LOCK = threading.Lock()


def _declarations_of(base: m.FactBase) -> dict[tuple[str, str], str]:
    with _REPRS_LOCK:
        for known, reprs in _REPRS:
            if known is base:
                return reprs
        reprs = {("p", n): repr(p) for n, p in base.predicates.items()}
        reprs.update((("e", n), repr(e)) for n, e in base.entities.items())
        reprs.update((("s", n), repr(_source_key(src))) for n, src in base.sources.items())
        _REPRS.insert(0, (base, reprs))
        del _REPRS[4:]
        return reprs


def _source_key(source: m.Source | None) -> object:
    # Its metadata is a dict (unhashable) that the verifier never reads.
    return None if source is None else (source.id, source.path, source.published)
