"""The ``factlang`` command: ``check``, ``fmt``, ``lock``, ``site`` and ``lsp``.

Exit codes (SPEC §4): 0 every fact supported and no conflict; 1 a fact
fails or a conflict exists (``fmt --check``: a file would change); 2 usage,
syntax, type or configuration errors. Bad input is reported as positioned
diagnostics on stderr, never as a Python traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Final, TypeVar

from factlang import __version__
from factlang.config import Config, load_config
from factlang.diagnostics import Diagnostic, FactlangError, LoadError, render

__all__ = ["main"]

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1
EXIT_ERROR: Final = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factlang",
        description="Facts as code: check typed facts against the texts they cite.",
    )
    parser.add_argument("--version", action="version", version=f"factlang {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    check = sub.add_parser("check", help="verify facts against their sources")
    check.add_argument(
        "paths", nargs="*", metavar="PATH", help="fact files or folders (default: [tool.factlang] facts)"
    )
    check.add_argument("--sources", action="append", metavar="DIR", help="a sources folder (repeatable)")
    check.add_argument("--format", choices=["text", "json", "junit", "github"], default="text")
    check.add_argument("--strict", action="store_true", default=None, help="warnings fail the run")
    check.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument("-v", "--verbose", action="store_true", help="show the evidence for every fact")
    check.add_argument("--no-cache", action="store_true", help="do not read or write the parse cache")
    check.add_argument("--color", choices=["auto", "always", "never"], default="auto")

    fmt = sub.add_parser("fmt", help="rewrite fact files in the canonical layout")
    fmt.add_argument(
        "paths", nargs="*", metavar="PATH", help="fact files or folders (default: [tool.factlang] facts)"
    )
    fmt.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file would change")
    fmt.add_argument(
        "--diff", action="store_true", help="print a unified diff; exit 1 if a file would change"
    )

    lock = sub.add_parser("lock", help="fetch URL sources once and pin every cited source (factlang.lock)")
    lock.add_argument("ids", nargs="*", metavar="ID", help="only these sources (default: every URL source)")
    lock.add_argument("--update", action="store_true", help="fetch again even what is already locked")

    site = sub.add_parser("site", help="write the fact base as Markdown pages for a static-site engine")
    site.add_argument("paths", nargs="*", metavar="PATH")
    site.add_argument("--out", required=True, metavar="DIR", help="folder to write the pages into")
    site.add_argument("--sources", action="append", metavar="DIR")

    sub.add_parser("lsp", help="run the language server over stdio (needs factlang[lsp])")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    if args.command == "lsp":
        from factlang.lsp import main as lsp_main

        return lsp_main()  # reads its configuration per document, from each file's project
    try:
        config = load_config()
        if args.command == "check":
            return _check(args, config, argv)
        if args.command == "fmt":
            return _fmt(args, config)
        if args.command == "site":
            return _site(args, config)
        if args.command == "lock":
            return _lock(args, config)
        raise AssertionError(args.command)  # pragma: no cover - argparse rejects others
    except FactlangError as err:
        print(render(err.diagnostics), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # pragma: no cover - e.g. `factlang check | head`
        return EXIT_OK
    except Exception as err:
        if os.environ.get("FACTLANG_DEBUG"):
            traceback.print_exc()
        print(
            f"factlang: internal error: {type(err).__name__}: {err}\n"
            "This is a bug in factlang; rerun with FACTLANG_DEBUG=1 for details.",
            file=sys.stderr,
        )
        return EXIT_ERROR


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
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


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


def _check(args: argparse.Namespace, config: Config, argv: Sequence[str]) -> int:
    from factlang import runcache

    config = _with_overrides(args, config)
    out: IO[str] = sys.stdout
    color = _use_color(args.color, out) and not args.output
    # An unchanged project replays its last output without parsing or verifying.
    from factlang.sources.formats import extractor_versions
    from factlang.sources.lock import LOCK_FILE

    # The lock (pins, anchors) and the extractors' versions shape the output too.
    lock = config.root / LOCK_FILE
    extra = [("color", str(color)), ("lock", str(lock.is_file())), ("extractors", extractor_versions())]
    key = runcache.run_key(config, argv, extra)
    entry = runcache.replay(config, key) if config.cache is not None else None
    if entry is not None:
        _emit(args, out, entry.output)
        return entry.code
    text, code, inputs, folders = _run_check(args, config, color)
    if config.cache is not None:
        runcache.record(config, key, output=text, code=code, files=inputs, folders=folders)
    _emit(args, out, text)
    return code


def _emit(args: argparse.Namespace, out: IO[str], text: str) -> None:
    if args.output:
        _write_output(Path(args.output), lambda path: path.write_text(text, encoding="utf-8"))
    else:
        out.write(text)


def _run_check(
    args: argparse.Namespace, config: Config, color: bool
) -> tuple[str, int, list[Path], list[Path]]:
    """A full check: the output, the exit code, and the files and folders it read."""
    from factlang.config import PROJECT_MARKERS
    from factlang.loader import load_project
    from factlang.render import FORMATS, render_text
    from factlang.sources.lock import LOCK_FILE
    from factlang.sources.store import Store
    from factlang.verify import verify

    base = load_project(config, args.paths or None)
    progress = _Progress(sys.stderr)
    try:
        report = verify(base, strict=config.strict, root=config.root, progress=progress)
    finally:
        progress.close()
    if args.format == "text":
        text = render_text(report, color=color, verbose=args.verbose)
    else:
        text = FORMATS[args.format](report)
    inputs = [Path(f).resolve() for f in base.files]
    inputs += [
        (config.root / base.sources[sid].path).resolve() for sid in report.texts if sid not in report.origins
    ]
    for origin in report.origins.values():
        # A URL source was read from the store, a local one from its file.
        if origin.path is None:
            inputs.append(Store(config.root).bytes_path(origin.sha256, origin.format))
        else:
            inputs.append((config.root / origin.path).resolve())
    inputs += [config.root / m for m in PROJECT_MARKERS if (config.root / m).is_file()]
    if (config.root / LOCK_FILE).is_file():
        inputs.append(config.root / LOCK_FILE)
    targets = [Path(p) for p in args.paths] if args.paths else [config.root / f for f in config.facts]
    folders = [t.resolve() for t in targets if t.is_dir()]
    folders += [(config.root / f).resolve() for f in config.sources]
    return text, EXIT_OK if report.ok else EXIT_FAILED, inputs, folders


def _fmt(args: argparse.Namespace, config: Config) -> int:
    from factlang.formatter import reformat, write_atomic
    from factlang.loader import collect_fact_files, display_path

    targets = [Path(p) for p in args.paths] if args.paths else [config.root / f for f in config.facts]
    files = collect_fact_files(targets)
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
        print(render(errors), file=sys.stderr)
        return EXIT_ERROR
    if (args.check or args.diff) and changed:
        print(f"{changed} file(s) would be reformatted", file=sys.stderr)
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
    from factlang.loader import load_project
    from factlang.render.site import write_pages
    from factlang.verify import verify

    config = _with_overrides(args, config)
    base = load_project(config, args.paths or None)
    report = verify(base, strict=config.strict, root=config.root)
    written = _write_output(Path(args.out), lambda path: write_pages(report, path))
    print(f"wrote {written} pages to {args.out}")
    # The pages show every failure; the exit code says so too, as `check` does.
    failed, conflicts = len(report.failed), len(report.conflicts)
    if failed or conflicts:
        parts = [f"{failed} of {len(report.facts)} facts fail"] if failed else []
        parts += [f"{conflicts} conflict" + ("s" if conflicts != 1 else "")] if conflicts else []
        print(f"factlang site: {', '.join(parts)} (see the pages)", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
