"""Fuzzing the whole pipeline: parse, fmt, load, verify and every renderer (issue 10).

Inputs are the project's own fact files (``tests/fixtures/**`` and
``facts/``) mutated byte by byte, and generated fact files citing generated
source texts. Whatever the input, the invariants hold:

- no exception but a :class:`~factlang.diagnostics.FactlangError`
  (``factlang: internal error`` is a bug);
- every diagnostic has a place: a path, and a line for errors in a fact file;
- ``fmt`` never changes meaning and is idempotent;
- no hang: each example runs under a generous alarm (far above normal).

``make test`` runs a few examples of each (the ``quick`` profile);
``make fuzz`` a long campaign (``FACTLANG_FUZZ=long``, examples per test
from ``FACTLANG_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factlang import FactlangError, load, parse
from factlang.diagnostics import CheckError, Diagnostic, ParseError
from factlang.formatter import format_text
from factlang.render import FORMATS
from factlang.render.site import build_pages, read_sources
from factlang.verify import verify
from tests.strategies import fact_files

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
# Read once: generation must not depend on files that change during a long run.
CORPUS = [
    p.read_bytes() for p in sorted({*REPO.glob("tests/fixtures/**/*.fact"), *REPO.glob("facts/*.fact")})
]
# Seconds one example may take before it counts as a hang: normal is well under one.
HANG_SECONDS = int(os.environ.get("FACTLANG_FUZZ_HANG", "60"))

settings.register_profile(
    "quick",
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("FACTLANG_FUZZ_EXAMPLES", "3000")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
fuzz_settings = settings(settings.get_profile(os.environ.get("FACTLANG_FUZZ", "quick")))


class Hang(Exception):
    """An example ran past :data:`HANG_SECONDS`."""


@contextlib.contextmanager
def watchdog() -> Iterator[None]:
    """Fail an example that takes past HANG_SECONDS (POSIX; elsewhere, no bound)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def ring(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"an example ran for over {HANG_SECONDS} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.alarm(HANG_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One project for every example: the seeds and a generated source, ``src/gen.txt``."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(SEEDS, root / "seeds")
    (root / "src").mkdir()
    (root / "pyproject.toml").write_text(
        '[tool.factlang]\nsources = ["src"]\ncache = false\n', encoding="utf-8"
    )
    return root


# --- the invariants ---------------------------------------------------------------------------------


def assert_placed(diagnostics: tuple[Diagnostic, ...], *, in_file: bool) -> None:
    """Every diagnostic names a file; errors in a fact file also a line and a column."""
    assert diagnostics
    for d in diagnostics:
        assert d.path, d
        if in_file and d.severity == "error":
            assert d.line >= 1, d
            assert d.column >= 1, d


def check_fmt(data: bytes) -> None:
    """fmt, where the text parses: same meaning, idempotent."""
    try:
        original = parse(data, "main.fact")
    except ParseError as err:
        assert_placed(err.diagnostics, in_file=True)
        return
    formatted = format_text(data, "main.fact")
    assert parse(formatted, "main.fact") == original, "fmt changed the meaning"
    assert format_text(formatted, "main.fact") == formatted, "fmt is not idempotent"


def check_pipeline(root: Path, data: bytes, source: str | None) -> None:
    """Load, verify and render ``data`` as ``main.fact`` of the project (``source`` as src/gen.txt)."""
    (root / "main.fact").write_bytes(data)
    gen = root / "src" / "gen.txt"
    if source is None:
        gen.unlink(missing_ok=True)
    else:
        gen.write_text(source, encoding="utf-8", newline="")
    try:
        base = load([root / "main.fact"], root=root, sources=["src"], cache=False)
    except (ParseError, CheckError) as err:
        # Errors in the text of a fact file point at a line and a column.
        assert_placed(err.diagnostics, in_file=True)
        return
    except FactlangError as err:
        # File-level problems (an unreadable file, a configuration) name a file but no line.
        assert_placed(err.diagnostics, in_file=False)
        return
    try:
        report = verify(base, root=root)
    except FactlangError as err:
        assert_placed(err.diagnostics, in_file=False)
        return
    for name, render in FORMATS.items():
        assert isinstance(render(report), str), name
    texts, _ = read_sources(report, root)
    build_pages(report, texts)


# --- inputs ------------------------------------------------------------------------------------------


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A fixture file with a few random edits: bytes deleted, inserted, duplicated or swapped."""
    data = bytearray(draw(st.sampled_from(CORPUS)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "replace", "token"]))
        at = draw(st.integers(0, len(data)))
        if op == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "duplicate":
            start = draw(st.integers(0, len(data)))
            data[at:at] = data[start : start + draw(st.integers(1, 200))]
        elif op == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        else:
            data[at:at] = draw(st.sampled_from(_TOKENS)).encode()
    return bytes(data)


_TOKENS = [
    '"',
    "@",
    "(",
    ")",
    "{",
    "}",
    ",",
    "#",
    "\n",
    "not ",
    " contradicts",
    "use ",
    ' "../x.fact"',
    "1" * 5000,
    "$" + "9" * 40,
    "-0%",
    "\u202e",
    "\ufeff",
    "\r",
    "…",
    " ~ ",
    "2024-13-01",
    "FY0000",
]

# Source text made of the shapes that trouble extractors: digits, units,
# scale words, sentence ends, case changes, odd spaces and controls.
_SOURCE_PIECES = st.sampled_from(
    [
        "Huawei",
        "Apple",
        "China",
        " ",
        "\n",
        "\n\n",
        ".",
        "%",
        "$",
        "£",
        "HK$",
        "billion",
        "bn",
        "million",
        "fell",
        "rose",
        "up",
        "down",
        "more than",
        "about",
        "to",
        "-",
        "(",
        ")",
        ",",
        "…",
        "\u00a0",
        "\u00ad",
        "\u202e",
        "2024",
        "Q4",
        "March",
        "last year",
        "aA",
        "usersThe",
    ]
)
sources = st.one_of(
    st.lists(st.one_of(_SOURCE_PIECES, st.integers(0, 10**6).map(str)), max_size=60).map("".join),
    st.text(max_size=200),
)

_HEAD = """\
kind Company
kind Region
entity Huawei: Company aka "the firm"
entity Apple: Company
entity China: Region
predicate share(company: Company, market: Region, year: Year) -> Percent
predicate revenue(company: Company, year: Year) -> Money
predicate partner(a: Company, b: Company)
"""


@st.composite
def facts_on(draw: st.DrawFn, text: str) -> bytes:
    """Declarations and facts citing ``gen``, quoting pieces of ``text`` (and generated files)."""
    lines = [_HEAD]
    for _ in range(draw(st.integers(1, 4))):
        form = draw(st.sampled_from(["share", "revenue", "partner"]))
        value = {
            "share": draw(st.sampled_from(["= 16%", "~ 16%", "> 5%", "= -4.7%", "!= +1%"])),
            "revenue": draw(st.sampled_from(["= $5 billion", "~ $18.5bn", "< £3", "= HK$1.2 million"])),
            "partner": "",
        }[form]
        args = {"share": "Huawei, China, 2024", "revenue": "Apple, 2024", "partner": "Huawei, Apple"}[form]
        quote = ""
        if text and draw(st.booleans()):
            start = draw(st.integers(0, len(text) - 1))
            piece = text[start : start + draw(st.integers(1, 80))].replace("\\", "").replace('"', "")
            quote = f' "{piece}"'.replace("\n", " ")
        lines.append(f"{form}({args}) {value} @ gen{quote}\n")
    if draw(st.booleans()):
        lines.append(draw(fact_files()))
    return "".join(lines).encode("utf-8", "surrogatepass")


# --- the tests ------------------------------------------------------------------------------------------


@fuzz_settings
@given(data=mutated())
def test_mutated_fixture_files(project: Path, data: bytes) -> None:
    with watchdog():
        check_fmt(data)
        check_pipeline(project, data, "Huawei posted a market share of 16% in China in 2024.\n")


@fuzz_settings
@given(st.data())
def test_generated_facts_on_generated_sources(project: Path, data: st.DataObject) -> None:
    text = data.draw(sources)
    facts = data.draw(facts_on(text))
    with watchdog():
        check_fmt(facts)
        check_pipeline(project, facts, text)


@fuzz_settings
@given(fact_files())
def test_generated_fact_files(project: Path, text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    with watchdog():
        check_fmt(data)
        check_pipeline(project, data, None)
