"""The MkDocs plugin ``factlang``: the fact base and its sources as pages of the site.

A thin adapter over :func:`factlang.render.site.build_html_pages`. During the
build it loads the fact files, verifies them against their sources
(:func:`check_project`, the one place the plugin gets its report), and adds
the generated pages (and their stylesheet and script) to the site as MkDocs
generated files: nothing is written into the docs folder.

Each generated page reaches MkDocs as a small Markdown skeleton (its title
and section headings, rendered with the site's own extensions, so the table
of contents, permalinks and theme are the site's) whose content blocks are
placeholders; the plugin puts the ready HTML of the blocks in after MkDocs
has rendered the skeleton (``on_page_content``). Python-Markdown never parses
the tables, lists and source texts, which is most of what a large fact base
would cost it. Links in the blocks are the final URLs of their targets.

.. code-block:: yaml

    plugins:
      - search
      - factlang:
          path: facts            # where the pages go in the site (default "facts")
          facts: [facts]         # default: [tool.factlang] facts
          sources: [seeds]       # default: [tool.factlang] sources
          failures: warn         # warn | info | error
          source_uri: https://github.com/o/r/blob/main/   # default: from repo_url and edit_uri

Problems are reported through the ``mkdocs.plugins.factlang`` logger, so
with ``failures: warn`` a failing fact or a conflict fails
``mkdocs build --strict``. Bad fact files (syntax, names, types, missing
sources) stop the build with a :class:`~mkdocs.exceptions.PluginError`
showing the positioned diagnostics.

The generated pages are marked "not in nav" (the summary and the index pages
link to every one of them), so MkDocs does not list them as omitted from the
navigation; put the summary and the indexes in ``nav`` to reach them. With
``repo_url`` (and ``edit_uri``) set, "Written at" links to each fact's line in
the repository.
"""

from __future__ import annotations

import logging
import posixpath
from pathlib import Path
from typing import Any, Final

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from factlang.config import Config, find_root, load_config
from factlang.diagnostics import FactlangError, render
from factlang.render import explain, summary_line
from factlang.render.site import ASSETS, HtmlPage, build_html_pages, conflict_is_explained, read_sources
from factlang.report import FactResult, Report

__all__ = ["FactlangPlugin", "FactlangPluginConfig", "check_project"]

log = logging.getLogger("mkdocs.plugins.factlang")

_LEVELS: Final = {"warn": logging.WARNING, "info": logging.INFO}


class FactlangPluginConfig(base.Config):  # type: ignore[no-untyped-call]  # mkdocs' __init_subclass__
    """Options of the ``factlang`` plugin in ``mkdocs.yml``."""

    #: Fact files or folders, relative to the project root (default: ``[tool.factlang] facts``).
    facts = c.Optional(c.ListOfItems(c.Type(str)))
    #: Folders whose files are sources by file stem (default: ``[tool.factlang] sources``).
    sources = c.Optional(c.ListOfItems(c.Type(str)))
    #: The folder of the site that the pages go into.
    path = c.Type(str, default="facts")
    #: The project root, relative to ``mkdocs.yml`` (default: found from ``mkdocs.yml``'s folder up).
    root = c.Optional(c.Type(str))
    #: Treat verifier warnings as failures (default: ``[tool.factlang] strict``).
    strict = c.Optional(c.Type(bool))
    #: What a failing fact or a conflict does: ``warn`` (a warning: fails ``--strict``), ``info``,
    #: or ``error`` (stops the build).
    failures = c.Choice(("warn", "info", "error"), default="warn")
    #: The web address of the project root's files, for links to each fact's line (default: from
    #: ``repo_url`` and ``edit_uri``, e.g. ``https://github.com/o/r/blob/main/``).
    source_uri = c.Optional(c.Type(str))


class FactlangPlugin(BasePlugin[FactlangPluginConfig]):  # type: ignore[no-untyped-call]  # the same
    """Render the verified fact base into the site (see the module docstring)."""

    def __init__(self) -> None:
        self._watch: list[Path] = []
        self._pages: dict[str, HtmlPage] = {}  # by the generated file's src_uri

    @property
    def prefix(self) -> str:
        """The site folder of the pages, normalised (``facts``)."""
        return posixpath.normpath(self.config.path.strip().strip("/"))

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Check the options and add the pages' stylesheet and script to every page."""
        prefix = self.prefix
        if (
            not self.config.path.strip().strip("/")
            or prefix == "."
            or prefix.startswith("..")
            or "\\" in prefix
        ):
            raise PluginError(
                "factlang: 'path' must be a folder inside the site, such as 'facts' "
                f"(got {self.config.path!r})"
            )
        css, js = f"{prefix}/assets/factlang.css", f"{prefix}/assets/factlang.js"
        if css not in config.extra_css:
            config.extra_css.append(css)
        if js not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(js)
        return config

    def project_config(self, config: MkDocsConfig) -> Config:
        """The factlang configuration: ``[tool.factlang]`` with this plugin's options on top."""
        here = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        root = (here / self.config.root).resolve() if self.config.root else find_root(here)
        project = load_config(root)
        changes: dict[str, Any] = {}
        if self.config.facts is not None:
            changes["facts"] = tuple(self.config.facts)
        if self.config.sources is not None:
            changes["sources"] = tuple(self.config.sources)
        if self.config.strict is not None:
            changes["strict"] = self.config.strict
        return project.override(**changes)

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Verify the fact base and add its pages to the site."""
        try:
            project = self.project_config(config)
            self._watch = [project.root / p for p in (*project.facts, *project.sources)]
            report = check_project(project)
        except FactlangError as err:
            raise PluginError(
                f"factlang: the fact base cannot be checked:\n{render(err.diagnostics)}"
            ) from None
        texts, problems = read_sources(report, project.root)
        for d in problems:
            log.warning("%s (its page is shown without the text)", d.render())
        self._report(report)
        prefix = self.prefix
        repo = self.source_uri(config, project.root)
        pages = build_html_pages(
            report, texts, repo_url=repo, directory_urls=config.use_directory_urls, jobs=0
        )
        self._pages = {}
        generated: list[tuple[str, str | HtmlPage]] = [*pages.items(), *ASSETS.items()]
        for rel, content in generated:
            uri = f"{prefix}/{rel}"
            existing = files.get_file_from_path(uri)
            if existing is not None:
                where = existing.abs_src_path or existing.src_uri
                raise PluginError(
                    f"factlang: '{uri}' is generated from the fact base, but the docs already have a file "
                    f"there ({where}); remove it or set the plugin's 'path'"
                )
            if isinstance(content, HtmlPage):
                self._pages[uri] = content
                content = content.markdown
            # Reached from the summary and the indexes, not the nav: no "not in nav" notice for each.
            files.append(File.generated(config, uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV))
        return files

    @event_priority(100)  # before other plugins look at the page's HTML
    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Put a generated page's HTML blocks in place of their placeholders in its rendered skeleton."""
        generated = self._pages.get(page.file.src_uri)
        return html if generated is None else generated.inject(html)

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """Tell MkDocs' anchor validation the ids of the generated pages that other pages link to.

        (MkDocs only saw the skeleton: the ids are in the blocks. Only pages
        linked to with an anchor are looked at, so the cost is what is used.)
        """
        linked = {
            target.src_uri
            for file in files.documentation_pages()
            if file.page is not None and file.page.links_to_anchors
            for target in file.page.links_to_anchors
        }
        for uri in linked & self._pages.keys():
            target = files.get_file_from_path(uri)
            if target is not None and target.page is not None and target.page.present_anchor_ids is not None:
                target.page.present_anchor_ids |= self._pages[uri].anchors()
        return env

    @event_priority(100)  # before other plugins change the page
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Put in the blocks kept out of the search index (the tables), once the search has read the page."""
        generated = self._pages.pop(page.file.src_uri, None)
        return output if generated is None else generated.inject_late(output)

    def source_uri(self, config: MkDocsConfig, root: Path) -> str | None:
        """The web address of the project root's files, from the options or ``repo_url``/``edit_uri``.

        ``edit_uri`` points into the docs folder (``edit/main/docs/``); the
        root's files are at the same ref under ``blob/`` without the docs folder.
        """
        if self.config.source_uri:
            return str(self.config.source_uri)
        repo = config.repo_url
        if not repo:
            return None
        edit = (config.edit_uri or "").strip("/")
        try:
            docs = Path(config.docs_dir).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            docs = ""
        if docs and (edit == docs or edit.endswith("/" + docs)):
            edit = edit[: -len(docs)].rstrip("/")
        if edit.startswith("edit/"):
            edit = "blob/" + edit.removeprefix("edit/")
        elif not edit:
            return None
        return f"{repo.rstrip('/')}/{edit}/"

    def _report(self, report: Report) -> None:
        """Log the outcome: a line per failing fact and per conflict, then the summary."""
        failing = [r for r in report.facts if not r.passes(strict=report.strict)]
        problems = [_explain(r, report.strict) for r in failing]
        by_fact = {id(r.fact): r for r in report.facts}
        for conflict in report.conflicts:
            involved = "; ".join(f"{f.location}: {f.claim}" for f in conflict.facts)
            first = conflict.facts[0].location if conflict.facts else None
            where = f"{first}: " if first is not None else ""
            line = f"{where}conflict: {conflict.key}: {conflict.message} ({involved})"
            if conflict_is_explained(conflict, by_fact, report.strict):
                # Its failing facts are reported above: say it once more only as a note.
                log.info("%s (explained by the failing facts)", line)
            else:
                problems.append(line)
        for r in report.facts:
            if r.passes(strict=report.strict):
                for w in r.warnings:
                    log.info("%s: warning: %s: %s", r.fact.location, r.fact.claim, w.text)
        if problems and self.config.failures == "error":
            raise PluginError("factlang: the fact base does not hold:\n" + "\n".join(problems))
        level = _LEVELS.get(self.config.failures, logging.WARNING)
        for problem in problems:
            log.log(level, problem)
        log.info("%s", summary_line(report))

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Rebuild on changes to the fact files and the sources, too."""
        for path in self._watch:
            if path.exists():
                server.watch(str(path))
        return server


def check_project(project: Config) -> Report:
    """The report the site shows: the project's fact base loaded and verified.

    The one place the plugin obtains its report. Checked results come from
    the results cache that ``factlang check`` fills (:mod:`factlang.resultcache`):
    only what changed since is verified again, in as many processes as pay
    (``jobs=0``), and in this one when it runs other threads: ``mkdocs serve``
    builds in a thread, and forking a threaded process is not safe.
    """
    from factlang.resultcache import checked_report

    return checked_report(project, ignore=project.ignore, jobs=0)


def _explain(r: FactResult, strict: bool) -> str:
    """One failing fact: where, what, and why, per citation (the shared explainer)."""
    return explain(r, strict=strict, brief=True)
