"""The language server: pygls wiring around :mod:`~factlang.lsp.project` and the features.

Typing never waits for the verifier. On every change the project is
analysed again (parse and static checks, in a worker thread; only changed
files are parsed) and its diagnostics published for that document version
at once, together with the verdicts of the last verification for facts that
did not change. Verification itself is debounced: it runs in a second
worker thread once typing has paused for :data:`VERIFY_DELAY` seconds, and
its diagnostics are published when it is done, unless the document has
moved on.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Final

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from factlang import __version__
from factlang.config import PROJECT_MARKERS, find_root
from factlang.lsp import diagnose, features
from factlang.lsp.convert import path_of, uri_of
from factlang.lsp.positions import LineIndex
from factlang.lsp.project import Project, Snapshot, Verification

__all__ = ["VERIFY_DELAY", "FactlangServer", "serve"]

#: Seconds of quiet after the last change before verification starts.
VERIFY_DELAY: Final = float(os.environ.get("FACTLANG_LSP_DELAY", "0.3"))


class FactlangServer(LanguageServer):
    """A pygls server that keeps one :class:`Project` per project root."""

    def __init__(self) -> None:
        super().__init__("factlang", __version__)
        self.projects: dict[Path, Project] = {}
        self.snapshots: dict[Path, Snapshot] = {}
        self.verifications: dict[Path, Verification] = {}
        self.versions: dict[Path, int | None] = {}
        self.pending: dict[Path, asyncio.Future[Snapshot]] = {}
        self.verify_tasks: dict[Path, asyncio.Task[None]] = {}
        # One thread for analysis and one for verification, so a long
        # verification never delays the diagnostics of the next keystroke.
        self.analysis_pool = ThreadPoolExecutor(1, thread_name_prefix="factlang-analyse")
        self.verify_pool = ThreadPoolExecutor(1, thread_name_prefix="factlang-verify")

    # -- projects and documents ----------------------------------------------------

    def project_for(self, path: Path) -> Project:
        """The project a file belongs to (made on first use)."""
        root = find_root(path.parent)
        project = self.projects.get(root)
        if project is None:
            project = self.projects[root] = Project(root)
        return project

    def document_text(self, uri: str) -> str:
        """The client's current text of a document."""
        return self.workspace.get_text_document(uri).source

    async def changed(self, path: Path, text: str | None, version: int | None) -> None:
        """A buffer opened, changed or closed (``text`` None): analyse, publish, schedule verification."""
        project = self.project_for(path)
        if text is None:
            project.overlays.pop(path, None)
            self.versions.pop(path, None)
        else:
            project.overlays[path] = text
            self.versions[path] = version
        loop = asyncio.get_running_loop()
        future = asyncio.ensure_future(
            loop.run_in_executor(self.analysis_pool, project.analyse, dict(project.overlays))
        )
        self.pending[project.root] = future
        snap = await future
        if self.pending.get(project.root) is not future:
            return  # a newer change started its own analysis, which will publish
        del self.pending[project.root]
        self.snapshots[project.root] = snap
        self.publish(project, snap)
        if text is None:
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri_of(path), []))
        self.schedule_verification(project, snap)

    async def snapshot(self, path: Path) -> tuple[Project, Snapshot]:
        """The project of a file and its newest analysis (waiting for one under way)."""
        project = self.project_for(path)
        future = self.pending.get(project.root)
        if future is not None:
            await asyncio.shield(future)
        snap = self.snapshots.get(project.root)
        if snap is None:
            loop = asyncio.get_running_loop()
            snap = await loop.run_in_executor(self.analysis_pool, project.analyse, dict(project.overlays))
            self.snapshots[project.root] = snap
        return project, snap

    def publish(self, project: Project, snap: Snapshot) -> None:
        """Diagnostics of every open document of a project, each for the version it was analysed at."""
        verification = self.verifications.get(project.root)
        elsewhere = diagnose.elsewhere_diagnostics(snap, project.overlays)
        for path, text in project.overlays.items():
            if snap.texts.get(path, text) != text:
                continue  # the buffer moved on; a newer analysis will publish
            info = snap.files.get(path)
            found = diagnose.static_diagnostics(info, snap.diagnostics.get(path, ()), text)
            found += diagnose.verdict_diagnostics(project, snap, verification, path)
            found += elsewhere
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri_of(path), found, version=self.versions.get(path))
            )

    def schedule_verification(self, project: Project, snap: Snapshot) -> None:
        """Verify after a pause in typing; a newer change cancels the wait."""
        old = self.verify_tasks.get(project.root)
        if old is not None:
            old.cancel()
        if snap.base is None:
            return
        self.verify_tasks[project.root] = asyncio.ensure_future(self._verify_later(project, snap))

    async def _verify_later(self, project: Project, snap: Snapshot) -> None:
        await asyncio.sleep(VERIFY_DELAY)
        loop = asyncio.get_running_loop()
        open_files = [p for p in project.overlays if p in snap.files]
        result = await loop.run_in_executor(self.verify_pool, project.verify, snap, open_files)
        if result is None:
            return
        self.verifications[project.root] = result
        self.publish(project, self.snapshots.get(project.root, snap))

    def current(self, project: Project) -> tuple[str, int | None]:
        """The text and version of a project's first open buffer (to re-run its analysis)."""
        path = next(iter(project.overlays))
        return project.overlays[path], self.versions.get(path)

    def offset(self, uri: str, position: lsp.Position) -> int:
        """The character offset of an LSP position in a document's current text."""
        return LineIndex(self.document_text(uri)).offset(position.line, position.character)


def _register(server: FactlangServer) -> None:
    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: FactlangServer, params: lsp.DidOpenTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        if path is not None:
            await ls.changed(path, params.text_document.text, params.text_document.version)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: FactlangServer, params: lsp.DidChangeTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        if path is not None:
            text = ls.document_text(params.text_document.uri)
            await ls.changed(path, text, params.text_document.version)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: FactlangServer, params: lsp.DidSaveTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        if path is not None:
            await ls.changed(path, ls.document_text(params.text_document.uri), ls.versions.get(path))

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: FactlangServer, params: lsp.DidCloseTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        if path is not None:
            await ls.changed(path, None, None)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def files_changed(ls: FactlangServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        # A source, a closed fact file or the configuration changed on disk: analyse and verify again.
        paths = [p for c in params.changes if (p := path_of(c.uri)) is not None]
        for root in {find_root(p.parent) for p in paths}:
            project = ls.projects.get(root)
            if project is None:
                continue
            if any(p.name in PROJECT_MARKERS and p.parent == root for p in paths):
                # New settings: a new project, with the same open buffers.
                fresh = ls.projects[root] = Project(root)
                fresh.overlays = project.overlays
                project = fresh
            project.forget_sources()
            if project.overlays:
                await ls.changed(next(iter(project.overlays)), *ls.current(project))

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(ls: FactlangServer, params: lsp.HoverParams) -> lsp.Hover | None:
        path = path_of(params.text_document.uri)
        if path is None:
            return None
        project, snap = await ls.snapshot(path)
        offset = ls.offset(params.text_document.uri, params.position)
        return features.hover(project, snap, ls.verifications.get(project.root), path, offset)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    async def definition(ls: FactlangServer, params: lsp.DefinitionParams) -> list[lsp.Location]:
        path = path_of(params.text_document.uri)
        if path is None:
            return []
        project, snap = await ls.snapshot(path)
        offset = ls.offset(params.text_document.uri, params.position)
        return features.definition(project, snap, ls.verifications.get(project.root), path, offset)

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    async def references(ls: FactlangServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
        path = path_of(params.text_document.uri)
        if path is None:
            return []
        _, snap = await ls.snapshot(path)
        offset = ls.offset(params.text_document.uri, params.position)
        return features.references(snap, path, offset, params.context.include_declaration)

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION,
        lsp.CompletionOptions(trigger_characters=["@", '"', "(", ",", " ", ":"]),
    )
    async def completion(ls: FactlangServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        path = path_of(params.text_document.uri)
        if path is None:
            return lsp.CompletionList(is_incomplete=False, items=[])
        project, snap = await ls.snapshot(path)
        text = ls.document_text(params.text_document.uri)
        offset = LineIndex(text).offset(params.position.line, params.position.character)
        items = features.complete(project, snap, path, text, offset)
        # Quote completions depend on every letter typed: ask again as the writer types.
        return lsp.CompletionList(is_incomplete=True, items=items)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
    )
    async def code_action(ls: FactlangServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        path = path_of(params.text_document.uri)
        if path is None:
            return []
        project, snap = await ls.snapshot(path)
        text = ls.document_text(params.text_document.uri)
        mine = [d for d in params.context.diagnostics if d.source == diagnose.SOURCE]
        return diagnose.code_actions(project, snap, path, text, mine)

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: FactlangServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
        path = path_of(params.text_document.uri)
        if path is None:
            return None
        return features.format_document(ls.document_text(params.text_document.uri), path)

    @server.feature(
        lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL,
        lsp.SemanticTokensLegend(
            token_types=list(features.TOKEN_TYPES), token_modifiers=list(features.TOKEN_MODIFIERS)
        ),
    )
    async def semantic_tokens(ls: FactlangServer, params: lsp.SemanticTokensParams) -> lsp.SemanticTokens:
        path = path_of(params.text_document.uri)
        if path is None:
            return lsp.SemanticTokens(data=[])
        _, snap = await ls.snapshot(path)
        info = snap.files.get(path)
        text = ls.document_text(params.text_document.uri)
        # Only a parse of the text the client has now says where its names are.
        if info is None or info.text != text:
            return lsp.SemanticTokens(data=[])
        return lsp.SemanticTokens(data=features.semantic_tokens(info))

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    async def symbols(ls: FactlangServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
        path = path_of(params.text_document.uri)
        if path is None:
            return []
        _, snap = await ls.snapshot(path)
        info = snap.files.get(path)
        return features.document_symbols(info) if info is not None else []


def serve() -> None:
    """Run the server over stdin and stdout until the client says ``exit``."""
    server = FactlangServer()
    _register(server)
    server.start_io()
