"""The ``factlang`` command: check, explain, fmt, init, lock, site, clean and lsp.

Exit codes (SPEC §4): 0 every fact supported and no conflict; 1 a fact
fails or a conflict exists (``fmt --check``: a file would change); 2 usage,
syntax, type or configuration errors, and paths that hold no fact. Bad
input is reported as positioned diagnostics on stderr (and, for machine
formats, in the report itself), never as a Python traceback.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO, Final, TypeVar

import attrs

from factlang import __version__
from factlang.codes import FACT_VERDICTS, check_codes
from factlang.config import Config, load_config
from factlang.diagnostics import Diagnostic, FactlangError, LoadError, did_you_mean, render

if TYPE_CHECKING:
    # The model and the report are imported where they are used: a replayed run
    # (the run cache) never needs them, and importing them was half its time.
    from factlang.model import Fact, FactBase
    from factlang.report import Report
    from factlang.sources.resolve import Origin

__all__ = ["main"]

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1
EXIT_ERROR: Final = 2

_FORMATS: Final = ("text", "json", "junit", "github", "sarif", "markdown")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factlang",
        description="Facts as code: check typed facts against the texts they cite.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"factlang {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="verify facts against their sources")
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH[:LINE]",
        help="fact files or folders (default: [tool.factlang] facts); FILE:LINE checks the fact at that line",
    )
    check.add_argument("--sources", action="append", metavar="DIR", help="a sources folder (repeatable)")
    check.add_argument("--format", choices=_FORMATS, default="text", help="the report's format")
    check.add_argument("--strict", action="store_true", default=None, help="warnings fail the run")
    check.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the report to FILE (even when nothing could be verified)",
    )
    loud = check.add_mutually_exclusive_group()
    loud.add_argument("-v", "--verbose", action="store_true", help="list every fact with its evidence")
    loud.add_argument("-q", "--quiet", action="store_true", help="print only the summary line")
    _no_cache_option(check)
    check.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="processes that verify sources (default 0: one per core when the work is large)",
    )
    _color_option(check)
    pick = check.add_argument_group("selection")
    pick.add_argument("--select", metavar="CODE,...", action="append", help="report only these warning codes")
    pick.add_argument(
        "--ignore", metavar="CODE,...", action="append", help="never report these warning codes"
    )
    pick.add_argument("--predicate", metavar="NAME", action="append", help="only facts of this predicate")
    pick.add_argument("--entity", metavar="NAME", action="append", help="only facts about this entity")
    pick.add_argument("--source", metavar="ID", action="append", help="only facts citing this source")
    pick.add_argument(
        "--verdict",
        metavar="VERDICT",
        action="append",
        help=f"only facts with this outcome ({', '.join(FACT_VERDICTS)}, failed)",
    )

    explain = sub.add_parser("explain", help="show everything the verifier did for one fact")
    explain.add_argument(
        "target", metavar="KEY|FILE:LINE", help="a fact's key, e.g. 'share(Huawei, China, 2024)'"
    )
    explain.add_argument("--sources", action="append", metavar="DIR")
    _no_cache_option(explain)
    _color_option(explain)

    fmt = sub.add_parser("fmt", help="rewrite fact files in the canonical layout")
    fmt.add_argument(
        "paths", nargs="*", metavar="PATH", help="fact files or folders (default: [tool.factlang] facts)"
    )
    fmt.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file would change")
    fmt.add_argument(
        "--diff", action="store_true", help="print a unified diff; exit 1 if a file would change"
    )

    init = sub.add_parser("init", help="start a project: [tool.factlang], a facts/ folder and a source")
    init.add_argument("folder", nargs="?", default=".", help="the project folder (default: here)")

    lock = sub.add_parser("lock", help="fetch URL sources once and pin every cited source (factlang.lock)")
    lock.add_argument("ids", nargs="*", metavar="ID", help="only these sources (default: every URL source)")
    lock.add_argument("--update", action="store_true", help="fetch again even what is already locked")

    site = sub.add_parser("site", help="write the fact base as Markdown pages for a static-site engine")
    site.add_argument("paths", nargs="*", metavar="PATH")
    site.add_argument("--out", required=True, metavar="DIR", help="folder to write the pages into")
    site.add_argument("--sources", action="append", metavar="DIR")
    _no_cache_option(site)

    clean = sub.add_parser("clean", help="remove the caches (the cache folder's entries)")
    clean.add_argument(
        "--stale",
        action="store_true",
        help="remove only what pruning would: entries long unused, and the oldest beyond the caps",
    )

    sub.add_parser("lsp", help="run the language server over stdio (needs factlang[lsp])")
    return parser


def _no_cache_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-cache", action="store_true", help="do not read or write the caches (parse, results, run)"
    )


def _color_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour the output (auto: on a terminal; NO_COLOR and FORCE_COLOR are honoured)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    color = _use_color(getattr(args, "color", "auto"), sys.stderr)
    if args.command == "lsp":
        from factlang.lsp import main as lsp_main

        return lsp_main()  # reads its configuration per document, from each file's project
    try:
        if args.command == "init":
            from factlang.scaffold import init

            for line in init(Path(args.folder)):
                print(line)
            return EXIT_OK
        config = load_config()
        if args.command == "check":
            return _check(args, config, argv)
        if args.command == "explain":
            return _explain(args, config)
        if args.command == "fmt":
            return _fmt(args, config)
        if args.command == "site":
            return _site(args, config)
        if args.command == "lock":
            return _lock(args, config)
        if args.command == "clean":
            return _clean(args, config)
        raise AssertionError(args.command)  # pragma: no cover - argparse rejects others
    except FactlangError as err:
        _print_errors(err.diagnostics, color)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # pragma: no cover - e.g. `factlang check | head`
        return EXIT_OK
    except Exception as err:
        if os.environ.get("FACTLANG_DEBUG"):
            import traceback  # only here: 8 ms of every run to import

            traceback.print_exc()
        print(
            f"factlang: internal error: {type(err).__name__}: {err}\n"
            "This is a bug in factlang; rerun with FACTLANG_DEBUG=1 for details.",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _print_errors(diagnostics: Sequence[Diagnostic], color: bool) -> None:
    from factlang.render.text import found_line

    print(render(diagnostics, color=color), file=sys.stderr)
    print(found_line(diagnostics), file=sys.stderr)


def _with_overrides(args: argparse.Namespace, config: Config) -> Config:
    changes: dict[str, object] = {}
    if getattr(args, "sources", None):
        changes["sources"] = tuple(args.sources)
    if getattr(args, "strict", None):
        changes["strict"] = True
    if getattr(args, "no_cache", False):
        changes["cache"] = None
    return config.override(**changes)


def _use_color(choice: str, stream: IO[str]) -> bool:
    """Colour on request, else by https://no-color.org and FORCE_COLOR, else on a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty() and os.environ.get("TERM") != "dumb"


class _Progress:
    """A progress bar on stderr, only on a terminal and only once a run takes a moment."""

    def __init__(self, stream: IO[str], delay: float = 0.5) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.start = time.monotonic()
        self.delay = delay
        self.shown = False
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < self.delay or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        width = 30
        filled = width * done // max(total, 1)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} facts")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()


def _usage(message: str, hint: str | None = None, *, code: str = "FL115", path: str = "") -> FactlangError:
    return FactlangError([Diagnostic(message, path, hint=hint, code=code)])


def _split_codes(values: Sequence[str] | None, option: str) -> tuple[str, ...] | None:
    if not values:
        return None
    good, problems = check_codes((c for v in values for c in v.split(",")), option)
    if problems:
        raise FactlangError([Diagnostic(p, code="FL115") for p in problems])
    return tuple(good)


_AT_LINE: Final = re.compile(r"^(?P<path>.+):(?P<line>\d+)$")


def _targets(paths: Sequence[str]) -> tuple[list[str], list[tuple[Path, int]]]:
    """The paths to load, and the ``FILE:LINE`` picks among them."""
    out: list[str] = []
    picks: list[tuple[Path, int]] = []
    for raw in paths:
        match = _AT_LINE.match(raw)
        if match and not Path(raw).exists() and Path(match["path"]).is_file():
            out.append(match["path"])
            picks.append((Path(match["path"]).resolve(), int(match["line"])))
        else:
            out.append(raw)
    return out, picks


def _fact_at(base: FactBase, path: Path, line: int) -> Fact:
    """The fact written at ``line`` of ``path`` (its first line through its last citation's)."""
    from factlang.loader import display_path

    here = [f for f in base.facts if f.location is not None and Path(f.location.path).resolve() == path]
    for f in here:
        assert f.location is not None
        if f.location.line <= line <= max(f.end_line, f.location.line):
            return f
    shown = display_path(path)
    starts = sorted(f.location.line for f in here if f.location is not None)
    hint = f"facts in this file start on lines {', '.join(map(str, starts[:12]))}" if starts else None
    raise FactlangError([Diagnostic(f"no fact at line {line}", shown, line, 1, hint=hint, code="FL115")])


def _load(args: argparse.Namespace, config: Config, paths: Sequence[str]) -> FactBase:
    """The fact base to check: the paths (or the configured facts), narrowed by FILE:LINE and the filters."""
    from factlang.loader import load_project

    targets, picks = _targets(paths)
    _require_facts(config, targets)
    base = load_project(config, targets or None)
    facts = base.facts
    if picks:
        picked = {id(_fact_at(base, path, line)): None for path, line in picks}
        whole = {Path(t).resolve() for t in targets} - {p for p, _ in picks}
        facts = tuple(
            f
            for f in facts
            if id(f) in picked
            or (f.location is not None and Path(f.location.path).resolve() in whole)
            or not whole.isdisjoint(Path(f.location.path).resolve().parents if f.location else ())
        )
    facts = _filter(base, facts, args)
    if not facts:
        raise _no_facts(config, paths, selected=facts != base.facts)
    return attrs.evolve(base, facts=facts) if facts != base.facts else base


def _require_facts(config: Config, targets: Sequence[str]) -> None:
    """Raise the usage error of a folder that is no project, when no fact files are named."""
    if not targets and not config.configured and not (config.root / "facts").exists():
        raise _usage(
            "no facts found: this folder has no [tool.factlang] configuration and no facts/ folder",
            "run 'factlang init' to start a project here, or name fact files: factlang check FILE.fact",
            code="FL114",
        )


def _no_facts(config: Config, paths: Sequence[str], *, selected: bool = False) -> FactlangError:
    """The usage error of a run with no fact to check (``selected``: none that matches the filters)."""
    where = ", ".join(paths) or ", ".join(config.facts)
    return _usage(
        f"no facts found in {where}" + (" that match the selection" if selected else ""),
        "an empty run is never green: write a fact, or check other paths",
        code="FL114",
    )


def _verbosity(args: argparse.Namespace) -> int:
    """The text report's verbosity: 1 with ``-v``, -1 with ``-q``, else 0."""
    return 1 if args.verbose else -1 if args.quiet else 0


def _names(values: Sequence[str] | None) -> list[str]:
    return [n.strip() for v in values or () for n in v.split(",") if n.strip()]


def _filter(base: FactBase, facts: tuple[Fact, ...], args: argparse.Namespace) -> tuple[Fact, ...]:
    problems: list[Diagnostic] = []

    def known(names: list[str], pool: Sequence[str], what: str) -> set[str]:
        for name in names:
            if name not in pool:
                problems.append(
                    Diagnostic(f"unknown {what} '{name}'{did_you_mean(name, pool)}", code="FL115")
                )
        return set(names)

    predicates = known(_names(getattr(args, "predicate", None)), list(base.predicates), "predicate")
    entities = known(_names(getattr(args, "entity", None)), list(base.entities), "entity")
    sources = known(_names(getattr(args, "source", None)), list(base.sources), "source")
    if problems:
        raise FactlangError(problems)
    if predicates:
        facts = tuple(f for f in facts if f.predicate in predicates)
    if entities:
        facts = tuple(f for f in facts if entities & {a.spelling() for a in f.args})
    if sources:
        facts = tuple(f for f in facts if sources & {c.source for c in f.citations})
    return facts


def _by_verdict(report: Report, wanted: list[str]) -> Report:
    bad = [w for w in wanted if w not in (*FACT_VERDICTS, "failed")]
    if bad:
        choices = (*FACT_VERDICTS, "failed")
        raise _usage(
            f"unknown verdict '{bad[0]}'{did_you_mean(bad[0], choices)}", f"one of {', '.join(choices)}"
        )
    keep = tuple(
        r
        for r in report.facts
        if r.verdict in wanted or ("failed" in wanted and not r.passes(strict=report.strict))
    )
    return attrs.evolve(report, facts=keep, conflicts=())


def _emit(text: str | bytes | memoryview | BinaryIO, output: str | None) -> None:
    """Write a report (text, its UTF-8 bytes, or a binary file of them) to ``output`` or stdout."""
    if isinstance(text, str):
        text = text.encode("utf-8")
    if output:
        _write_output(Path(output), lambda path: _copy_bytes(text, path))
    elif isinstance(text, bytes | memoryview):
        sys.stdout.write(str(text, "utf-8"))
    else:
        # Decoded a block at a time: stdout has its own encoding and may be replaced (tests).
        text.seek(0)
        reader = io.TextIOWrapper(text, encoding="utf-8", newline="")
        while block := reader.read(1 << 20):
            sys.stdout.write(block)
        reader.detach()


def _copy_bytes(data: bytes | memoryview | BinaryIO, path: Path) -> None:
    with path.open("wb") as out:
        if isinstance(data, bytes | memoryview):
            out.write(data)
        else:
            data.seek(0)
            shutil.copyfileobj(data, out, 1 << 20)


def _spool() -> IO[str]:
    """A text stream on an anonymous temporary file, for a report written as it is made.

    The run cache and the output both read it afterwards; a large report so
    never sits in memory as one string.
    """
    return io.TextIOWrapper(tempfile.TemporaryFile(), encoding="utf-8", newline="")


def _spooled(out: IO[str]) -> BinaryIO:
    """The binary file under a finished spool, at its start."""
    assert isinstance(out, io.TextIOWrapper)
    out.flush()
    raw: BinaryIO = out.detach()
    raw.seek(0)
    return raw


def _check(args: argparse.Namespace, config: Config, argv: Sequence[str]) -> int:
    from factlang import runcache

    started = time.time_ns()
    select = _split_codes(args.select, "--select")
    ignore = (*config.ignore, *(_split_codes(args.ignore, "--ignore") or ()))
    config = _with_overrides(args, config)
    color = _use_color(args.color, sys.stdout) if not args.output else args.color == "always"
    # An unchanged project replays its last output without parsing or verifying.
    from factlang.sources.formats import extractor_versions
    from factlang.sources.lock import LOCK_FILE

    # The lock (pins, anchors) and the extractors' versions shape the output too.
    lock = config.root / LOCK_FILE
    extra = [("color", str(color)), ("lock", str(lock.is_file())), ("extractors", extractor_versions())]
    key = runcache.run_key(config, argv, extra)
    entry = runcache.replay(config, key) if config.cache is not None else None
    if entry is not None:
        _emit(entry.output, args.output)
        return entry.code
    spool, code, inputs, folders, (known, listings) = _run_check(args, config, color, select, ignore)
    with spool:
        if config.cache is not None:
            runcache.record(
                config,
                key,
                output=spool,
                code=code,
                files=inputs,
                folders=folders,
                known=known,
                listings=listings,
            )
        _emit(spool, args.output)
    if config.cache is not None:
        from factlang import prune

        # A full run wrote entries (a replay writes none): prune if it is due.
        prune.after_run(config, started)
    return code


#: What a check took of its inputs for the run cache: fingerprints by path, listing digests by folder.
_Taken = tuple[Mapping[str, Sequence[Any]], Mapping[str, str]]


def _run_check(
    args: argparse.Namespace,
    config: Config,
    color: bool,
    select: Sequence[str] | None,
    ignore: Sequence[str],
) -> tuple[BinaryIO, int, list[Path | str], list[Path], _Taken]:
    """A full check: the output (a file of its UTF-8 bytes), the exit code, the files and folders it read.

    Last, the fingerprints of the files this run took (by path) and the digests
    of the folders' listings it took (by folder), for the run cache.

    When nothing can be verified, a machine format still writes its report
    (with the errors in it) before the error goes up to :func:`main`.
    """
    from factlang.render import PARTS, WRITERS, render_text
    from factlang.resultcache import verify_cached

    targets, picks = _targets(args.paths)
    filters = ("predicate", "entity", "source")
    selecting = picks or args.verdict or any(getattr(args, n, None) for n in filters)
    if args.format in PARTS and not selecting:
        # The whole project, the common case: unchanged fact files' shares replayed.
        return _check_blocks(args, config, color, select, ignore)
    try:
        loaded_at = time.time_ns()
        base = _load(args, config, args.paths)
        progress = _Progress(sys.stderr)
        try:
            # Only the facts whose file or cited sources changed are verified again.
            report = verify_cached(
                base,
                config,
                progress=progress,
                select=select,
                ignore=ignore,
                jobs=args.jobs,
                loaded_at=loaded_at,
            )
        finally:
            progress.close()
    except FactlangError as err:
        _emit_failure(args, config, err)
        raise
    if args.verdict:
        report = _by_verdict(report, _names(args.verdict))
    out = _spool()
    if args.format == "text":
        out.write(render_text(report, color=color, verbosity=_verbosity(args)))
    else:
        WRITERS[args.format](report, out)
    spool = _spooled(out)
    read = [base.sources[sid].path for sid in report.texts if sid not in report.origins]
    inputs, folders = _inputs(config, targets, base.files, read, report.origins)
    return spool, EXIT_OK if report.ok else EXIT_FAILED, inputs, folders, ({}, {})


def _check_blocks(
    args: argparse.Namespace,
    config: Config,
    color: bool,
    select: Sequence[str] | None,
    ignore: Sequence[str],
) -> tuple[BinaryIO, int, list[Path | str], list[Path], _Taken]:
    """:func:`_run_check` for the report of whole files, through the block cache."""
    from factlang.blockcache import check_blocks

    targets = args.paths
    out = _spool()
    try:
        _require_facts(config, targets)
        progress = _Progress(sys.stderr)
        try:
            loaded_at = time.time_ns()
            done = check_blocks(
                config,
                targets or None,
                out,
                fmt=args.format,
                color=color,
                verbosity=_verbosity(args),
                select=select,
                ignore=ignore,
                progress=progress,
                jobs=args.jobs,
                loaded_at=loaded_at,
            )
        finally:
            progress.close()
        if not done.facts:
            raise _no_facts(config, targets)
    except FactlangError as err:
        out.close()
        _emit_failure(args, config, err)
        raise
    inputs, folders = _inputs(config, targets, done.files, (), done.origins, done.local)
    taken = (done.fingerprints, done.listings)
    return _spooled(out), EXIT_OK if done.ok else EXIT_FAILED, inputs, folders, taken


def _emit_failure(args: argparse.Namespace, config: Config, err: FactlangError) -> None:
    """What a check that could not verify writes: a machine format's report with the errors in it.

    The text's errors go to stderr (from :func:`main`), and to ``--output`` too when given.
    """
    if args.format != "text":
        from factlang.model import FactBase
        from factlang.render import FORMATS
        from factlang.report import Report

        empty = Report(FactBase(root=str(config.root)), (), strict=config.strict)
        _emit(FORMATS[args.format](empty, err.diagnostics), args.output)
    elif args.output:
        _emit(render(err.diagnostics) + "\n", args.output)


def _inputs(
    config: Config,
    targets: Sequence[str],
    files: Sequence[str],
    read: Sequence[str],
    origins: Mapping[str, Origin],
    local: Sequence[str] = (),
) -> tuple[list[Path | str], list[Path]]:
    """What a check's output was made from, for the run cache: the files, then the folders listed.

    ``read`` are the paths of sources read without an origin; ``local`` the
    paths (relative to the root) of local sources whose origins are not given.
    """
    from factlang.config import PROJECT_MARKERS
    from factlang.sources.lock import LOCK_FILE
    from factlang.sources.store import Store

    inputs: list[Path | str] = [Path(f).resolve() for f in files]
    inputs += [(config.root / path).resolve() for path in read]
    top = str(config.root)
    for origin in origins.values():
        # A URL source was read from the store, a local one from its file (not
        # resolved: it is only looked at, and resolving 10,000 paths took 0.3 s;
        # joined as strings, as the results cache names the fingerprints it took).
        if origin.path is None:
            inputs.append(Store(config.root).bytes_path(origin.sha256, origin.format))
        else:
            inputs.append(os.path.join(top, origin.path))  # noqa: PTH118
    inputs += [os.path.join(top, path) for path in local]  # noqa: PTH118
    inputs += [config.root / m for m in PROJECT_MARKERS if (config.root / m).is_file()]
    if (config.root / LOCK_FILE).is_file():
        inputs.append(config.root / LOCK_FILE)
    folders = [t.resolve() for t in config.fact_targets(targets) if t.is_dir()]
    folders += [(config.root / f).resolve() for f in config.sources]
    return inputs, folders


def _explain(args: argparse.Namespace, config: Config) -> int:
    from factlang import prune
    from factlang.loader import load_project
    from factlang.render.trace import trace
    from factlang.resultcache import verify_cached

    config = _with_overrides(args, config)
    loaded_at = time.time_ns()
    target: str = args.target
    match = _AT_LINE.match(target)
    if match and Path(match["path"]).is_file():
        base = load_project(config, [match["path"]])
        facts: tuple[Fact, ...] = (_fact_at(base, Path(match["path"]).resolve(), int(match["line"])),)
    else:
        base = load_project(config, None)
        wanted = " ".join(target.split()).replace(" ,", ",")
        facts = tuple(f for f in base.facts if wanted in (f.key, f.head, f.claim))
        if not facts:
            keys = list(dict.fromkeys(f.key for f in base.facts))
            raise _usage(
                f"no fact with the key '{target}'{did_you_mean(wanted, keys)}", "give FILE:LINE or a key"
            )
    # The trace reads only the report: a fact whose record the results cache
    # has is not verified again, and otherwise only the facts explained are.
    report = verify_cached(attrs.evolve(base, facts=facts), config, ignore=config.ignore, loaded_at=loaded_at)
    prune.after_run(config, loaded_at)
    color = _use_color(args.color, sys.stdout)
    sys.stdout.write("\n\n".join(trace(r, report, color=color) for r in report.facts) + "\n")
    return EXIT_OK if report.ok else EXIT_FAILED


def _fmt(args: argparse.Namespace, config: Config) -> int:
    from factlang.formatter import reformat, write_atomic
    from factlang.loader import collect_fact_files, display_path
    from factlang.render.text import plural

    files = collect_fact_files(config.fact_targets(args.paths))
    errors: list[Diagnostic] = []
    changed = 0
    for path in files:
        result = reformat(path, display_path(path))
        errors.extend(result.errors)
        if result.new is None:
            continue
        changed += 1
        if args.diff:
            sys.stdout.write(result.diff())
        elif args.check:
            print(f"would reformat {result.shown}")
        else:
            try:
                write_atomic(path, result.new)
            except OSError as err:
                message = f"cannot write the formatted file: {err.strerror or err}"
                errors.append(Diagnostic(message, result.shown, code="FL105"))
                continue
            print(f"reformatted {result.shown}")
    if errors:
        raise FactlangError(errors)
    if (args.check or args.diff) and changed:
        print(f"{plural(changed, 'file')} would be reformatted", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _lock(args: argparse.Namespace, config: Config) -> int:
    from factlang.sources.locking import lock_project

    code, errors = lock_project(config, args.ids, update=args.update, out=sys.stdout)
    if errors:
        print(render(errors), file=sys.stderr)
    return code


_T = TypeVar("_T")


def _write_output(path: Path, write: Callable[[Path], _T]) -> _T:
    """Write a report or pages to a path the user named; a failure is a diagnostic, not a crash."""
    try:
        return write(path)
    except OSError as err:
        reason = err.strerror or str(err)
        where = f" ({err.filename})" if err.filename and str(err.filename) != str(path) else ""
        raise LoadError(
            [Diagnostic(f"cannot write the output: {reason}{where}", str(path), code="FL115")]
        ) from None


def _site(args: argparse.Namespace, config: Config) -> int:
    from factlang.render.site import write_pages
    from factlang.render.text import plural
    from factlang.resultcache import checked_report

    config = _with_overrides(args, config)
    # The results cache `check` fills: only what changed since is verified again.
    report = checked_report(config, args.paths or None, ignore=config.ignore)
    written = _write_output(Path(args.out), lambda path: write_pages(report, path))
    print(f"wrote {plural(written, 'page')} to {args.out}")
    # The pages show every failure; the exit code says so too, as `check` does.
    failed, conflicts = len(report.failed), len(report.conflicts)
    if failed or conflicts:
        parts = [f"{failed} of {plural(len(report.facts), 'fact')} fail"] if failed else []
        parts += [plural(conflicts, "conflict")] if conflicts else []
        print(f"factlang site: {', '.join(parts)} (see the pages)", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _clean(args: argparse.Namespace, config: Config) -> int:
    from factlang import cache, prune
    from factlang.render.text import plural

    cache_dir = cache.usable_dir(config)  # a symlink on the way is never followed (and said so)
    if cache_dir is None:
        why = "the cache is off in the configuration" if config.cache is None else "the cache is not used"
        print(f"nothing removed: {why}")
        return EXIT_OK
    done = prune.prune(cache_dir, since_ns=time.time_ns()) if args.stale else prune.clear(cache_dir)
    shown = _shown(cache_dir)
    what = "stale cache entry" if args.stale else "cache entry"
    removed = f"{plural(done.removed, what, what[:-1] + 'ies')} ({_size(done.freed)})"
    line = f"removed {removed if done.removed else 'nothing'} from {shown}"
    if done.kept:
        line += f"; kept {plural(done.kept, 'entry', 'entries')} ({_size(done.kept_bytes)})"
    print(line)
    return EXIT_OK


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when it is inside it."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _size(n: int) -> str:
    """A size as people read it: bytes, or KiB, MiB, GiB with one decimal."""
    if n < 1024:
        return f"{n} byte" + ("" if n == 1 else "s")
    value = float(n)
    for unit in ("KiB", "MiB", "GiB"):
        value /= 1024
        if value < 1024 or unit == "GiB":
            break
    return f"{value:.1f} {unit}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
