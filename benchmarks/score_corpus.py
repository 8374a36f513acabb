"""Score the verifier on the real-world corpus (tests/corpus, SPEC §3).

Every fact in ``tests/corpus/facts/*.fact`` carries, on its first line, the
verdict SPEC requires and the rules it exercises::

    annual_rate(CPI, 2022-03) = 7.0%  # expect: supported [value, precision]

This script runs ``factlang check --format json`` on each fact file (in this
process, through the CLI, so it scores exactly what a user sees), compares
each fact's verdict with its expectation and prints:

- the score per expected verdict and per rule tag (facts, correct, accuracy);
- a confusion table, expected x got;
- every miss: ``file:line``, expected, got, and the verifier's explanation.

A fact file that does not load (a syntax or type error) counts all its facts
as misses, with the error as the explanation.

Known failures (``tests/corpus/known_failures.txt``, one line per fact:
``file:line  expected  got  reason``) are misses the verifier is known to
make today. ``--strict`` exits 1 when a miss is not listed, when a listed
fact now passes, or when a listed fact now gets another verdict (the list
may only shrink, like a strict xfail). Otherwise the exit is 0 whenever the
corpus ran. ``--write-known-failures`` writes the current misses to the
list, keeping the reasons already written for facts still listed.

Run: ``python benchmarks/score_corpus.py [--strict] [--write-known-failures]``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
FACTS = CORPUS / "facts"
SOURCES = CORPUS / "sources"
KNOWN_FAILURES = CORPUS / "known_failures.txt"

VERDICTS = ("supported", "refuted", "unverified", "not-found", "disputed", "uncited")
# Pseudo-verdicts for facts the verifier gave no verdict to.
ERROR = "error"  # the fact's file did not load
MISSING = "missing"  # the file loaded but the report has no fact at that line

# `# expect: refuted [direction, sign]` -- on the fact's first line.
_EXPECT = re.compile(r"#\s*expect:\s*(?P<verdict>[a-z-]+)\s*\[(?P<tags>[^\]]*)\]")


@dataclass(frozen=True)
class Expectation:
    """What SPEC requires of one fact of the corpus."""

    file: str  # relative to the facts folder, e.g. "ons.fact"
    line: int
    verdict: str
    tags: tuple[str, ...]
    text: str  # the fact's first line, for the report

    @property
    def key(self) -> str:
        """``file:line``, the id used in the known-failures list."""
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Outcome:
    """One fact's expected and actual verdict."""

    expectation: Expectation
    got: str
    explanation: str

    @property
    def correct(self) -> bool:
        """Whether the verifier gave the verdict SPEC requires."""
        return self.got == self.expectation.verdict


@dataclass(frozen=True)
class KnownFailure:
    """One line of the known-failures list."""

    key: str
    expected: str
    got: str
    reason: str


class CorpusError(Exception):
    """The corpus itself is malformed (not the verifier's fault)."""


def load_expectations(facts_dir: Path = FACTS) -> dict[str, list[Expectation]]:
    """Each fact file's expectations, by file name; files without any are skipped."""
    found: dict[str, list[Expectation]] = {}
    for path in sorted(facts_dir.glob("*.fact")):
        items: list[Expectation] = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = _EXPECT.search(line)
            if match is None:
                continue
            verdict = match["verdict"]
            if verdict not in VERDICTS:
                raise CorpusError(f"{path.name}:{number}: unknown expected verdict {verdict!r}")
            tags = tuple(tag.strip() for tag in match["tags"].split(",") if tag.strip())
            if not tags:
                raise CorpusError(f"{path.name}:{number}: an expectation needs at least one rule tag")
            items.append(Expectation(path.name, number, verdict, tags, line.split("#", 1)[0].strip()))
        if items:
            found[path.name] = items
    return found


@contextlib.contextmanager
def _in_directory(path: Path) -> Iterator[None]:
    # factlang finds its project root from the current directory.
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def _check_json(fact_file: Path, sources: Path, root: Path) -> tuple[int, str, str]:
    """Run ``factlang check --format json`` on one file in this process."""
    from factlang.cli import main as cli_main

    out, err = io.StringIO(), io.StringIO()
    argv = [
        "check",
        str(fact_file.relative_to(root)),
        "--sources",
        str(sources.relative_to(root)),
        "--format",
        "json",
        "--no-cache",
    ]
    with _in_directory(root), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(argv)
    return code, out.getvalue(), err.getvalue()


def _explain(fact: dict[str, object]) -> str:
    """The verifier's explanation of a fact: its citations' verdicts and messages."""
    parts: list[str] = []
    citations = fact.get("citations")
    for citation in citations if isinstance(citations, list) else []:
        if not isinstance(citation, dict):
            continue
        messages = citation.get("messages") or []
        said = "; ".join(str(m.get("message", m)) if isinstance(m, dict) else str(m) for m in messages)
        parts.append(f"@{citation.get('source')}: {citation.get('verdict')}" + (f" ({said})" if said else ""))
    warnings = fact.get("warnings") or []
    if isinstance(warnings, list) and warnings:
        parts.append("warnings: " + "; ".join(str(w) for w in warnings))
    return " | ".join(parts)


def _diagnostics_text(payload: str, stderr: str) -> str:
    try:
        data = json.loads(payload)
    except ValueError:
        data = None
    if isinstance(data, dict) and data.get("diagnostics"):
        first = data["diagnostics"][0]
        return f"{first.get('file')}:{first.get('line')}:{first.get('column')}: {first.get('message')}"
    lines = [line for line in stderr.splitlines() if line.strip()]
    return lines[0] if lines else "the file did not load (no diagnostic given)"


def run_corpus(facts_dir: Path = FACTS, sources_dir: Path = SOURCES, root: Path = ROOT) -> list[Outcome]:
    """Check every fact file of the corpus and pair each fact with its expectation."""
    outcomes: list[Outcome] = []
    for name, expectations in load_expectations(facts_dir).items():
        code, payload, stderr = _check_json(facts_dir / name, sources_dir, root)
        facts: list[dict[str, object]] = []
        if code in (0, 1):
            data = json.loads(payload)
            facts = [fact for fact in data.get("facts", []) if isinstance(fact, dict)]
        if not facts:
            why = "file did not load: " + _diagnostics_text(payload, stderr)
            outcomes.extend(Outcome(e, ERROR, why) for e in expectations)
            continue
        by_line: dict[int, dict[str, object]] = {}
        for fact in facts:
            if Path(str(fact.get("file", ""))).name == name and isinstance(fact.get("line"), int):
                by_line[int(str(fact["line"]))] = fact
        expected_lines = {e.line for e in expectations}
        stray = sorted(set(by_line) - expected_lines)
        if stray:
            raise CorpusError(f"{name}: facts without an expectation at lines {stray}")
        for expectation in expectations:
            found = by_line.get(expectation.line)
            if found is None:
                outcomes.append(Outcome(expectation, MISSING, "no fact starts on this line"))
            else:
                outcomes.append(Outcome(expectation, str(found.get("verdict")), _explain(found)))
    return outcomes


# --- Known failures ---------------------------------------------------------------------


def read_known_failures(path: Path = KNOWN_FAILURES) -> dict[str, KnownFailure]:
    """The known-failures list, by ``file:line``; ``#`` lines are comments."""
    known: dict[str, KnownFailure] = {}
    if not path.exists():
        return known
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split(None, 3)
        if len(fields) < 3:
            raise CorpusError(f"{path.name}:{number}: expected `file:line  expected  got  reason`")
        reason = fields[3].strip() if len(fields) > 3 else ""
        known[fields[0]] = KnownFailure(fields[0], fields[1], fields[2], reason)
    return known


def write_known_failures(
    outcomes: Sequence[Outcome], path: Path = KNOWN_FAILURES, previous: dict[str, KnownFailure] | None = None
) -> int:
    """Write today's misses as the known-failures list; returns how many."""
    previous = previous if previous is not None else read_known_failures(path)
    misses = [o for o in outcomes if not o.correct]
    lines = [
        "# Facts of the real-world corpus the verifier gets wrong today (benchmarks/score_corpus.py).",
        "# One line per fact: file:line  expected  got  reason. The expectation is what SPEC requires;",
        "# tests/test_corpus.py fails when a fact misses and is not listed, and when a listed fact",
        "# passes or changes verdict, so this list only shrinks. Regenerate with",
        "# `python benchmarks/score_corpus.py --write-known-failures` (reasons already written are kept).",
    ]
    for outcome in misses:
        key = outcome.expectation.key
        old = previous.get(key)
        reason = old.reason if old and old.reason else "[" + ", ".join(outcome.expectation.tags) + "]"
        lines.append(f"{key}  {outcome.expectation.verdict}  {outcome.got}  {reason}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(misses)


@dataclass(frozen=True)
class Discrepancies:
    """How the current run disagrees with the known-failures list."""

    new_misses: tuple[Outcome, ...]  # misses not listed
    fixed: tuple[KnownFailure, ...]  # listed, now correct
    changed: tuple[tuple[KnownFailure, Outcome], ...]  # listed, now another wrong verdict
    stale: tuple[KnownFailure, ...]  # listed, but no such fact in the corpus

    @property
    def ok(self) -> bool:
        """Whether the run matches the list exactly."""
        return not (self.new_misses or self.fixed or self.changed or self.stale)

    def lines(self) -> list[str]:
        """One line per disagreement, for a test failure or the console."""
        out = [
            f"{o.expectation.key}: expected {o.expectation.verdict}, got {o.got} (not in the known failures)"
            f" -- {o.explanation}"
            for o in self.new_misses
        ]
        out += [
            f"{k.key}: now {k.expected} as expected -- remove it from known_failures.txt" for k in self.fixed
        ]
        out += [
            f"{k.key}: listed as {k.got}, now {o.got} -- update known_failures.txt" for k, o in self.changed
        ]
        out += [f"{k.key}: listed, but no fact of the corpus starts there" for k in self.stale]
        return out


def compare_with_known(outcomes: Sequence[Outcome], known: dict[str, KnownFailure]) -> Discrepancies:
    """Compare a run with the known-failures list."""
    by_key = {o.expectation.key: o for o in outcomes}
    new_misses = tuple(o for o in outcomes if not o.correct and o.expectation.key not in known)
    fixed: list[KnownFailure] = []
    changed: list[tuple[KnownFailure, Outcome]] = []
    stale: list[KnownFailure] = []
    for entry in known.values():
        outcome = by_key.get(entry.key)
        if outcome is None:
            stale.append(entry)
        elif outcome.correct:
            fixed.append(entry)
        elif outcome.got != entry.got:
            changed.append((entry, outcome))
    return Discrepancies(new_misses, tuple(fixed), tuple(changed), tuple(stale))


# --- Report -------------------------------------------------------------------------------


def _table(title: str, rows: Sequence[tuple[str, int, int]]) -> list[str]:
    width = max([len(title), *(len(name) for name, _, _ in rows)])
    lines = [f"{title:<{width}}  {'facts':>5}  {'correct':>7}  {'accuracy':>8}"]
    for name, total, good in rows:
        lines.append(f"{name:<{width}}  {total:>5}  {good:>7}  {good / total:>8.1%}")
    return lines


def render_report(outcomes: Sequence[Outcome], known: dict[str, KnownFailure]) -> str:
    """The whole score as text."""
    total = len(outcomes)
    good = sum(o.correct for o in outcomes)
    lines = [f"corpus: {total} facts, {good} correct ({good / max(total, 1):.1%})", ""]
    per_verdict = [
        (
            v,
            sum(o.expectation.verdict == v for o in outcomes),
            sum(o.correct and o.expectation.verdict == v for o in outcomes),
        )
        for v in VERDICTS
    ]
    lines += _table("expected verdict", [row for row in per_verdict if row[1]])
    lines.append("")
    tag_total: Counter[str] = Counter()
    tag_good: Counter[str] = Counter()
    for outcome in outcomes:
        for tag in outcome.expectation.tags:
            tag_total[tag] += 1
            tag_good[tag] += outcome.correct
    lines += _table("rule tag", [(t, tag_total[t], tag_good[t]) for t in sorted(tag_total)])
    lines.append("")
    got_columns = [v for v in (*VERDICTS, ERROR, MISSING) if any(o.got == v for o in outcomes)]
    confusion = Counter((o.expectation.verdict, o.got) for o in outcomes)
    head = "expected \\ got"
    width = max(len(head), *(len(v) for v in VERDICTS))
    lines.append(f"{head:<{width}}  " + "  ".join(f"{c:>10}" for c in got_columns))
    for verdict in VERDICTS:
        if any(o.expectation.verdict == verdict for o in outcomes):
            cells = "  ".join(f"{confusion[(verdict, c)]:>10}" for c in got_columns)
            lines.append(f"{verdict:<{width}}  {cells}")
    misses = [o for o in outcomes if not o.correct]
    lines += ["", f"misses: {len(misses)} ({sum(o.expectation.key in known for o in misses)} known)"]
    for outcome in misses:
        mark = "known" if outcome.expectation.key in known else "NEW"
        e = outcome.expectation
        lines.append(f"{e.key}: expected {e.verdict}, got {outcome.got} [{', '.join(e.tags)}] ({mark})")
        lines.append(f"    {e.text}")
        if outcome.explanation:
            lines.append(f"    {outcome.explanation}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Score the corpus; see the module docstring for the exit codes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when the run disagrees with the known failures"
    )
    parser.add_argument(
        "--write-known-failures",
        action="store_true",
        help="write today's misses to tests/corpus/known_failures.txt",
    )
    args = parser.parse_args(argv)
    try:
        outcomes = run_corpus()
        known = read_known_failures()
    except CorpusError as err:
        print(f"score_corpus: the corpus is malformed: {err}", file=sys.stderr)
        return 2
    sys.stdout.write(render_report(outcomes, known))
    if args.write_known_failures:
        count = write_known_failures(outcomes, previous=known)
        print(f"wrote {count} known failures to {KNOWN_FAILURES.relative_to(ROOT)}")
        known = read_known_failures()
    discrepancies = compare_with_known(outcomes, known)
    if not discrepancies.ok:
        print("\nagainst the known failures:")
        for line in discrepancies.lines():
            print(f"  {line}")
    return 1 if args.strict and not discrepancies.ok else 0


if __name__ == "__main__":
    sys.exit(main())
