"""The results cache: a cached check gives byte for byte what a check without any cache gives.

Over random sequences of edits to the project's own fact base (a fact's
value or quote, a source's text, a source's publication date, fact files
added and removed, the configuration, touched files), every output format
of a cached ``factlang check`` must equal ``--no-cache``'s, exit code and
stderr included; and the cache must actually be used (only the facts of the
edited file, or citing the edited source, are verified again).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import json
import os
import random
import re
import shutil
import time
from datetime import date
from pathlib import Path

import attrs
import pytest

from factlang import resultcache
from factlang.cli import main
from factlang.config import load_config
from factlang.loader import load_project
from factlang.model import FactBase, Location, Source
from factlang.report import Report
from factlang.resultcache import checked_report, verify_cached

#: The verifier's module (``factlang.verify`` the attribute is the function, for the API).
VERIFY = importlib.import_module("factlang.verify")

REPO = Path(__file__).resolve().parent.parent
FORMATS = ("text", "json", "junit", "github", "sarif", "markdown")


@pytest.fixture
def project(seed_base: Path) -> Path:
    return seed_base


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", *args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def verified(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many facts each call of ``verify`` checked (the cache calls it for what changed)."""
    counts: list[int] = []
    real = VERIFY.verify

    def counting(base: FactBase, **kwargs: object) -> Report:
        counts.append(len(base.facts))
        result: Report = real(base, **kwargs)
        return result

    monkeypatch.setattr(VERIFY, "verify", counting)
    return counts


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The fact file of each fact built (a replayed file's facts are not)."""
    from factlang import build

    paths: list[str] = []
    real = build._Builder.fact

    def counting(self: build._Builder, unit: build.Unit, f: object, visible: frozenset[str]) -> object:
        paths.append(unit.path)
        return real(self, unit, f, visible)  # type: ignore[arg-type]

    monkeypatch.setattr(build._Builder, "fact", counting)
    return paths


# --- the edits ----------------------------------------------------------------


def _fact_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "facts").glob("*.fact") if p.name != "common.fact")


def edit_value(root: Path, rng: random.Random) -> str:
    path = rng.choice(_fact_files(root))
    text = path.read_text()
    numbers = list(re.finditer(r"(?<=[=<>~] )-?\d+(\.\d+)?", text))
    if not numbers:
        return "no value"
    hit = rng.choice(numbers)
    new = str(rng.choice([1, 7, 16, 42, 113.1, -11]))
    path.write_text(text[: hit.start()] + new + text[hit.end() :])
    return f"value in {path.name}"


def edit_quote(root: Path, rng: random.Random) -> str:
    path = rng.choice(_fact_files(root))
    text = path.read_text()
    quotes = list(re.finditer(r'@ \w+ "([^"\\]+) ([^"\\ ]+)"', text))
    if not quotes:
        return "no quote"
    hit = rng.choice(quotes)
    # Drop the quote's last word, or misspell it.
    new = hit.group(1) if rng.random() < 0.5 else hit.group(1) + " " + hit.group(2)[::-1]
    path.write_text(text[: hit.start(1)] + new + text[hit.end(2) :])
    return f"quote in {path.name}"


def edit_source(root: Path, rng: random.Random) -> str:
    path = rng.choice(sorted((root / "seeds").glob("*.txt")))
    text = path.read_text()
    digits = [m.start() for m in re.finditer(r"\d", text)]
    if rng.random() < 0.5 and digits:
        at = rng.choice(digits)  # same size: only the content hash can tell
        text = text[:at] + str((int(text[at]) + 1) % 10) + text[at + 1 :]
    else:
        sentences = text.split(". ")
        del sentences[rng.randrange(len(sentences))]
        text = ". ".join(sentences)
    path.write_text(text)
    return f"source {path.name}"


def edit_published(root: Path, rng: random.Random) -> str:
    path = root / "facts" / "common.fact"
    text = path.read_text()
    dates = list(re.finditer(r"published: (\d{4}-\d{2}-\d{2})", text))
    hit = rng.choice(dates)
    new = rng.choice(["2024-12-31", "2025-02-11", "2025-02-13", "2025-06-30"])
    path.write_text(text[: hit.start(1)] + new + text[hit.end(1) :])
    return "published date"


def add_file(root: Path, rng: random.Random) -> str:
    source = rng.choice(_fact_files(root))
    blocks = [b for b in source.read_text().split("\n\n") if "@" in b and not b.lstrip().startswith("#")]
    picked = rng.sample(blocks, min(len(blocks), 3)) if blocks else []
    path = root / "facts" / f"extra{rng.randrange(1000)}.fact"
    path.write_text('use "common.fact"\n\n' + "\n\n".join(picked) + "\n")
    return f"add {path.name}"


def copy_fact(root: Path, rng: random.Random) -> str:
    """A fact copied into another file, its value kept or changed: a same-key group across files."""
    files = _fact_files(root)
    source, target = rng.choice(files), rng.choice(files)
    blocks = [b for b in source.read_text().split("\n\n") if "@" in b and not b.lstrip().startswith("#")]
    if not blocks:
        return "no fact"
    block = rng.choice(blocks)
    if rng.random() < 0.5:
        new = str(rng.choice([1, 7, 16, 42, -11]))
        block = re.sub(r"(?<=[=<>~] )-?\d+(\.\d+)?", new, block, count=1)
    target.write_text(target.read_text().rstrip("\n") + "\n\n" + block + "\n")
    return f"fact of {source.name} copied into {target.name}"


def remove_file(root: Path, rng: random.Random) -> str:
    files = _fact_files(root)
    if len(files) < 3:
        return "keep"
    path = rng.choice(files)
    path.unlink()
    return f"remove {path.name}"


def edit_config(root: Path, rng: random.Random) -> str:
    lines = ["[tool.factlang]", 'facts = ["facts"]', 'sources = ["seeds"]']
    if rng.random() < 0.5:
        lines.append("strict = true")
    if rng.random() < 0.5:
        lines.append(f'ignore = ["{rng.choice(["FL202", "FL205", "FL203"])}"]')
    (root / "pyproject.toml").write_text("\n".join(lines) + "\n")
    return "config"


def touch(root: Path, rng: random.Random) -> str:
    path = rng.choice([*_fact_files(root), *sorted((root / "seeds").glob("*.txt"))])
    path.write_bytes(path.read_bytes())
    return f"touch {path.name}"


def move_facts(root: Path, rng: random.Random) -> str:
    """Lines added above some facts (a comment, a blank line), or a fact moved down its file."""
    path = rng.choice(_fact_files(root))
    text = path.read_text()
    blocks = text.split("\n\n")
    if rng.random() < 0.5 or len(blocks) < 3:
        at = rng.randrange(len(blocks))
        blocks.insert(at, rng.choice(["# a note", "", "# factlang: a comment, not a suppression"]))
        path.write_text("\n\n".join(blocks))
        return f"lines added in {path.name}"
    i = rng.randrange(1, len(blocks) - 1)
    moved = blocks.pop(i)
    blocks.insert(rng.randrange(i, len(blocks)) + 1, moved)
    path.write_text("\n\n".join(blocks))
    return f"a block moved in {path.name}"


def edit_use(root: Path, rng: random.Random) -> str:
    """A file stops seeing the declarations (a static error), or a file seeing them by another path."""
    path = rng.choice(_fact_files(root))
    text = path.read_text()
    if 'use "common.fact"' in text and rng.random() < 0.5:
        path.write_text(text.replace('use "common.fact"', "", 1))
        return f"unuse in {path.name}"
    # Through a file that uses it: same declarations seen, another graph of files.
    (root / "facts" / "shared.fact").write_text('use "common.fact"\n')
    path.write_text('use "shared.fact"\n' + text.replace('use "common.fact"', "", 1))
    return f"use via shared.fact in {path.name}"


def edit_declarations(root: Path, rng: random.Random) -> str:
    """A new entity (every key changes) or an alias (what mentions it changes)."""
    path = root / "facts" / "common.fact"
    if rng.random() < 0.5:
        path.write_text(path.read_text() + f"\nentity Extra{rng.randrange(100)}: Company\n")
        return "entity added"
    text = path.read_text()
    hit = re.search(r"^entity (\w+): Company$", text, re.MULTILINE)
    if hit is None:
        return "no entity"
    path.write_text(text[: hit.end()] + ' aka "The Company"' + text[hit.end() :])
    return f"alias for {hit.group(1)}"


EDITS = (
    edit_value,
    edit_quote,
    edit_source,
    edit_published,
    add_file,
    copy_fact,
    remove_file,
    edit_config,
    touch,
    edit_use,
    edit_declarations,
    move_facts,
)


def assert_same_as_uncached(options: tuple[str, ...] = ()) -> None:
    for fmt in FORMATS:
        fresh = run("--no-cache", "--format", fmt, *options)
        cached = run("--format", fmt, *options)
        assert cached == fresh, fmt
        # Without the run cache's replay, the results cache alone.
        shutil.rmtree(Path(".factlang_cache") / "run", ignore_errors=True)
        assert run("--format", fmt, *options) == fresh, fmt


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_random_edits_give_the_output_of_an_uncached_run(project: Path, seed: int) -> None:
    rng = random.Random(seed)
    assert_same_as_uncached()
    done = []
    for _ in range(5):
        done.append(rng.choice(EDITS)(project, rng))
        assert_same_as_uncached(rng.choice(((), (), ("-v",), ("-q",), ("--color", "always"))))


def test_an_edited_fact_file_re_verifies_only_its_facts(project: Path, verified: list[int]) -> None:
    first = run("--format", "json")
    assert verified == [88]
    path = project / "facts" / "revenue.fact"
    path.write_text(path.read_text().replace("-11%", "-12%", 1))
    verified.clear()
    second = run("--format", "json")
    assert second == run("--no-cache", "--format", "json")
    assert second != first
    assert verified[0] == 1  # the edited fact; the file's others took their records by their lines


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "github", "sarif", "markdown"])
def test_the_report_builds_only_the_edited_files_facts(
    project: Path, verified: list[int], built: list[str], fmt: str
) -> None:
    """A report replays each unchanged file's share: its facts are neither built nor verified."""
    first = run("--format", fmt)
    assert len(built) == 88
    path = project / "facts" / "revenue.fact"
    path.write_text(path.read_text().replace("-11%", "-12%", 1))
    os.utime(path, ns=(1, 1))  # long ago: its block may be kept after this run
    built.clear()
    verified.clear()
    second = run("--format", fmt)
    own = sum(1 for line in path.read_text().splitlines() if re.match(r"^(not )?\w+\(", line))
    assert set(built) == {"facts/revenue.fact"}
    assert len(built) == own
    assert verified == [1]  # the edited fact; the others took their records by their lines
    assert second != first
    assert second == run("--no-cache", "--format", fmt)
    built.clear()
    shutil.rmtree(project / ".factlang_cache" / "run")
    assert run("--format", fmt) == second
    assert built == []  # every block replayed, the edited file's too


@pytest.mark.parametrize("options", [("--format", "json"), ("--format", "sarif"), ("-v",)])
def test_a_share_kept_apart_is_read_and_made_again_if_gone(
    project: Path, verified: list[int], monkeypatch: pytest.MonkeyPatch, options: tuple[str, ...]
) -> None:
    """A large file's share of the output has an entry of its own: read when written, made again if gone."""
    from factlang import blockcache

    monkeypatch.setattr(blockcache, "_INLINE_PARTS", 0)  # every share apart
    fresh = run("--no-cache", *options)
    assert run(*options) == fresh
    shutil.rmtree(project / ".factlang_cache" / "run")
    verified.clear()
    assert run(*options) == fresh
    assert verified == []  # every share read from its entry
    shutil.rmtree(project / ".factlang_cache" / "run")
    monkeypatch.setattr(blockcache._Check, "_parts_key", lambda self, key, variant: "0" * 64)
    assert run(*options) == fresh  # every entry gone: each file's share made again from its facts


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_share_too_large_to_keep_is_written_as_made_and_its_file_built_again(
    project: Path, verified: list[int], built: list[str], monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """A file whose output outgrows the cap is streamed, not held to be kept: the next run builds it again."""
    from factlang import blockcache

    fresh = run("--no-cache", "--format", fmt)
    sizes: dict[str, int] = {}
    real_store = blockcache._Check._store

    def measuring(self: blockcache._Check, run_: object, path: str, variant: str, block: object) -> None:
        sizes[path] = sum(len(p) for p in block.parts or ())  # type: ignore[attr-defined,misc]
        real_store(self, run_, path, variant, block)  # type: ignore[arg-type]

    monkeypatch.setattr(blockcache._Check, "_store", measuring)
    assert run("--format", fmt) == fresh
    # Only the largest file's share is over the cap.
    big = max(sizes, key=sizes.__getitem__)
    monkeypatch.setattr(blockcache, "_KEPT_PARTS", max(v for p, v in sizes.items() if p != big))
    assert sizes[big] > blockcache._KEPT_PARTS
    shutil.rmtree(project / ".factlang_cache")
    assert run("--format", fmt) == fresh  # every file built; the large one's share not kept
    built.clear()
    verified.clear()
    shutil.rmtree(project / ".factlang_cache" / "run")
    assert run("--format", fmt) == fresh
    assert set(built) == {big}  # built again from the results cache; the others' shares replayed
    assert sum(verified) == 0  # its facts took their records


def test_facts_moved_within_their_file_are_not_verified_again(project: Path, verified: list[int]) -> None:
    """An edit above a fact moves it; its record moves with it, its findings' places too."""
    run("--format", "json")
    path = project / "facts" / "stocks.fact"  # with a warning, placed in the file
    text = path.read_text()
    path.write_text("# a line added on top\n\n" + text)
    verified.clear()
    moved = run("--format", "json")
    assert verified == []  # every fact of the file took its old record
    assert moved == run("--no-cache", "--format", "json")
    for fmt in FORMATS:
        assert run("--format", fmt) == run("--no-cache", "--format", fmt), fmt


def test_identical_facts_moved_take_a_record_of_their_lines(project: Path, verified: list[int]) -> None:
    """Two facts of the same lines have the same result but for their places: neither is verified again."""
    path = project / "facts" / "stocks.fact"
    text = path.read_text()
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if re.match(r"^\w+\(", line))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith((" ", "\t")))
    path.write_text(text + "\n" + "".join(lines[start:end]))  # the first fact again, at the end
    os.utime(path, ns=(1, 1))  # long ago: its records are stored
    run("--format", "json")
    path.write_text("# a line added on top\n\n" + path.read_text())
    os.utime(path, ns=(1, 1))
    verified.clear()
    moved = run("--format", "json")
    assert verified == []  # the copies too took a record of their lines
    assert moved == run("--no-cache", "--format", "json")
    for fmt in FORMATS:
        assert run("--format", fmt) == run("--no-cache", "--format", fmt), fmt


def test_a_moved_facts_own_findings_move_with_it(project: Path, verified: list[int]) -> None:
    """A finding placed on the fact's lines (an unused suppression) is shown where the fact now is."""
    path = project / "facts" / "revenue.fact"
    text = path.read_text()
    at = text.index("= -11%") + len("= -11%")
    path.write_text(text[:at] + "  # factlang: ignore[FL304]" + text[at:])
    os.utime(path, ns=(1, 1))  # long ago: its records are stored
    first = run()
    assert "FL209" in first[1]
    path.write_text("# two lines\n# added on top\n" + path.read_text())
    os.utime(path, ns=(2, 2))
    verified.clear()
    moved = run()
    assert verified == []
    assert moved == run("--no-cache")
    assert moved != first  # the warning's line moved by two


def test_an_edited_source_re_verifies_only_the_facts_citing_it(project: Path, verified: list[int]) -> None:
    run("--format", "sarif")
    config = load_config(project)
    base_report = checked_report(config)
    citing = sum(1 for r in base_report.facts if any(c.citation.source == "reuters" for c in r.citations))
    seed = project / "seeds" / "001_f348f285d0361a47.txt"
    seed.write_text(seed.read_text() + "\nA sentence added at the end.\n")
    verified.clear()
    assert run("--format", "sarif") == run("--no-cache", "--format", "sarif")
    assert verified[0] == citing < 88


def test_an_unchanged_project_verifies_nothing_and_reads_no_source(
    project: Path, verified: list[int]
) -> None:
    config = load_config(project)
    fresh = VERIFY.verify(load_project(config), strict=False, root=project, ignore=config.ignore)
    checked_report(config)
    verified.clear()
    again = checked_report(config)
    assert verified == []
    assert again.facts == fresh.facts
    assert again.conflicts == fresh.conflicts
    assert again.origins == fresh.origins
    assert again.base.sources == fresh.base.sources
    assert again.texts._kept == {}  # type: ignore[attr-defined]  # nothing read yet
    assert dict(again.texts) == dict(fresh.texts)


def test_a_damaged_entry_is_a_miss(project: Path, verified: list[int]) -> None:
    first = run("--format", "json")
    for entry in (project / ".factlang_cache" / "results").iterdir():
        entry.write_bytes(entry.read_bytes()[:-3] + b"xyz")
    shutil.rmtree(project / ".factlang_cache" / "run")
    verified.clear()
    assert run("--format", "json") == first
    assert verified == [88]


def test_without_a_cache_folder_it_is_verify(project: Path, verified: list[int]) -> None:
    config = load_config(project).override(cache=None)
    base = load_project(config)
    report = verify_cached(base, config)
    assert verified == [88]
    assert not (project / ".factlang_cache" / "results").exists()
    assert len(report.facts) == 88


def test_conflicts_follow_every_edit(project: Path) -> None:
    lines = (project / "facts" / "revenue.fact").read_text().splitlines()
    block = "\n".join(lines[8:10])  # revenue_change(Apple, GreaterChina, 2024-Q4) = -11% and its citation
    copy = project / "facts" / "copy.fact"
    copy.write_text(f'use "common.fact"\n\n{block}\n')
    assert_same_as_uncached()  # same key, same value: no conflict (and remembered so)
    for value, conflicts in (("-12%", 1), ("-11%", 0), ("-13%", 1)):
        copy.write_text(f'use "common.fact"\n\n{block.replace("-11%", value)}\n')
        code, out, _ = run("--format", "json")
        assert json.loads(out)["summary"]["conflicts"] == conflicts
        assert code == (1 if conflicts else 0)
        assert_same_as_uncached()


def test_only_the_groups_whose_claims_changed_are_decided_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Conflicts after an edit: a group is decided again only if a fact of it claims something new."""
    from factlang.verify import conflicts

    decided: list[int] = []  # per run: the facts of the groups decided, on stand-ins or on facts
    real_find, real_conflicting = conflicts.find_conflicts, conflicts.conflicting

    def finding(facts: list[object], keys: list[str] | None = None) -> object:
        decided.append(len(facts))
        return real_find(facts, keys)  # type: ignore[arg-type]

    def conflicting(group: list[object]) -> bool:
        decided.append(len(group))
        return real_conflicting(group)  # type: ignore[arg-type]

    monkeypatch.setattr(conflicts, "find_conflicts", finding)
    monkeypatch.setattr(conflicts, "conflicting", conflicting)
    lines = (project / "facts" / "revenue.fact").read_text().splitlines()
    block = "\n".join(lines[8:10])  # revenue_change(Apple, GreaterChina, 2024-Q4) = -11% and its citation
    copy = project / "facts" / "copy.fact"

    def write(path: Path, text: str) -> None:
        path.write_text(text)
        ago = time.time_ns() - 5 * 10**9  # seconds ago: the run may keep what it saw of the file
        os.utime(path, ns=(ago, ago))

    write(copy, f'use "common.fact"\n\n{block}\n')
    run()
    decided.clear()
    revenue = project / "facts" / "revenue.fact"
    write(revenue, "# a comment above every fact\n" + revenue.read_text())
    moved = run()
    assert sum(decided) == 0  # every fact moved, none claims anything new: no group decided
    assert moved == run("--no-cache")
    decided.clear()
    write(copy, f'use "common.fact"\n\n{block.replace("-11%", "-12%")}\n')
    code, out, _ = run()
    assert code == 1
    assert "1 conflict" in out
    assert sum(decided) <= 4  # the one group of two facts, on a stand-in, then on the facts
    assert (code, out) == run("--no-cache")[:2]
    decided.clear()
    write(revenue, "# another comment\n" + revenue.read_text())
    again = run()
    assert 0 < sum(decided) <= 4  # it conflicted: decided (and shown) again
    assert again == run("--no-cache")


def test_a_replayed_files_source_that_changed_since_pinned_is_still_reported(project: Path) -> None:
    """The tail names a source whose pin no longer matches, though the file citing it is replayed."""
    common = project / "facts" / "common.fact"
    text = common.read_text()
    assert '    title: "Apple picks Alibaba to launch AI features in China"\n' in text
    common.write_text(
        text.replace(
            '    title: "Apple picks Alibaba to launch AI features in China"\n',
            '    title: "Apple picks Alibaba to launch AI features in China"\n    sha256: "'
            + "0" * 64
            + '"\n',
        )
    )
    first = run()
    assert "source 'cnn': changed: its bytes do not match the pinned sha256" in first[1]
    other = project / "facts" / "revenue.fact"  # cites no cnn: every file citing cnn is replayed
    assert "@ cnn" not in other.read_text()
    other.write_text("# a comment\n" + other.read_text())
    again = run()
    assert again == run("--no-cache")
    assert "source 'cnn': changed" in again[1]


def test_an_edit_within_the_same_time_stamp_is_seen(project: Path) -> None:
    """A file written again at once keeps its size, inode and (on a coarse clock) its time stamp."""
    seed = project / "seeds" / "002_37c9d46621587dce.txt"
    seed.write_bytes(seed.read_bytes())  # written just now, as by an editor a moment before the check
    before = seed.stat()
    first = run("--format", "json")
    text = seed.read_text()
    at = text.index("11%")
    seed.write_text(text[:at] + "12%" + text[at + 3 :])  # same size, same inode
    os.utime(seed, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (seed.stat().st_size, seed.stat().st_ino) == (before.st_size, before.st_ino)
    again = run("--format", "json")
    assert again == run("--no-cache", "--format", "json")
    assert again != first


def test_the_source_prints_forget_files_that_are_gone(project: Path) -> None:
    seed = project / "seeds" / "002_37c9d46621587dce.txt"
    run()
    seed.rename(seed.with_name("002_renamed.txt"))
    common = project / "facts" / "common.fact"
    common.write_text(common.read_text().replace("002_37c9d46621587dce", "002_renamed"))
    run()
    cache_dir = project / ".factlang_cache"
    prints = resultcache._SourceDigests(cache_dir, project).prints
    assert str(seed.with_name("002_renamed.txt")) in prints
    assert str(seed) not in prints


# --- site and explain read the same records --------------------------------------------


def site(*args: str) -> tuple[int, str, str, dict[str, bytes]]:
    """``factlang site`` into a fresh folder: exit code, output (the folder named OUT) and the pages."""
    out_dir = Path("out")
    shutil.rmtree(out_dir, ignore_errors=True)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["site", "--out", str(out_dir), *args])
    pages = {p.relative_to(out_dir).as_posix(): p.read_bytes() for p in out_dir.rglob("*") if p.is_file()}
    return code, out.getvalue(), err.getvalue(), pages


def explain(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["explain", *args])
    return code, out.getvalue(), err.getvalue()


def test_site_after_check_verifies_nothing_and_writes_the_pages_of_an_uncached_run(
    project: Path, verified: list[int]
) -> None:
    fresh = site("--no-cache")
    assert verified == [88]
    run()
    verified.clear()

    cached = site()

    assert verified == []
    assert cached == fresh
    assert len(cached[3]) > 50


def test_site_after_an_edit_verifies_only_what_changed(project: Path, verified: list[int]) -> None:
    run()
    path = project / "facts" / "revenue.fact"
    path.write_text(path.read_text().replace("-11%", "-12%", 1))
    verified.clear()

    cached = site()

    assert cached == site("--no-cache")
    assert verified[0] == 1  # the edited fact; the file's others took their records by their lines


def test_explain_after_check_verifies_nothing_and_prints_the_trace_of_an_uncached_run(
    project: Path, verified: list[int]
) -> None:
    run()
    verified.clear()
    key = "smartphone_share(Huawei, China, 2024)"

    cached = explain(key)

    assert verified == []
    assert cached == explain("--no-cache", key)
    assert cached[1].startswith(f"supported: {key} = 16%")
    assert explain("facts/market_share.fact:4") == explain("--no-cache", "facts/market_share.fact:4")


def test_explain_of_an_edited_fact_verifies_only_that_fact(project: Path, verified: list[int]) -> None:
    run()
    path = project / "facts" / "market_share.fact"
    path.write_text(path.read_text().replace("= 16%", "= 61%", 1))
    verified.clear()

    cached = explain("facts/market_share.fact:4")

    assert verified == [1]  # not its file's other facts, nor the fact base
    assert cached == explain("--no-cache", "facts/market_share.fact:4")
    assert cached[0] == 1
    verified.clear()
    assert explain("smartphone_share(Huawei, China, 2024)")[0] == 1
    # Of the key's two facts (lines 4 and 20), the edited one again (its file, written
    # just now, is not stored); line 20 takes its record by its lines.
    assert verified == [1]


@pytest.mark.parametrize(
    "source",
    [
        Source("a", "sources/a.txt"),
        Source(
            "b", "x.txt", title="T", outlet="O", author="A", url="https://e.org", published=date(2024, 1, 2)
        ),
        Source("c", "c.md", metadata={"k": "v"}),
        Source("d", "d.txt", location=Location("facts/common.fact", 3, 1, 3, 9)),
    ],
)
def test_a_source_digest_is_its_full_spelling(tmp_path: Path, source: Source) -> None:
    """The quick spelling of a plain source's declaration is the one every field gives."""
    (tmp_path / source.path).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / source.path).write_text("Some text.\n")
    ago = time.time_ns() - 10 * 10**9  # not just written: its fingerprint is trusted next time
    os.utime(tmp_path / source.path, ns=(ago, ago))
    digests = resultcache._SourceDigests(tmp_path / ".cache", tmp_path)
    content = hashlib.sha256(b"Some text.\n").hexdigest()
    spelled = repr(tuple(resultcache._spelling(getattr(source, n)) for n in resultcache._SOURCE_FIELDS))
    want = hashlib.sha256(f"{spelled}\0{content}".encode()).hexdigest()
    assert digests.of(source) == want
    # Looked up with many at once, once hashed (its fingerprint known), it is the same digest.
    again = resultcache._SourceDigests(tmp_path / ".cache", tmp_path)
    again.prints = digests.prints
    with pytest.MonkeyPatch.context() as m:
        m.setattr(Path, "read_bytes", lambda _: pytest.fail("read again"))
        assert again.of_all([source]) == {source.id: want}
    assert again.taken == digests.taken
    # Kept with its print, a folder source's digest is found again as it was; a declaration
    # that spells the same file otherwise (a title) is not taken for it.
    third = resultcache._SourceDigests(tmp_path / ".cache", tmp_path)
    third.prints = again.prints
    assert third.of_all([source]) == {source.id: want}
    other = attrs.evolve(source, title=(source.title or "") + "x")
    spelled = repr(tuple(resultcache._spelling(getattr(other, n)) for n in resultcache._SOURCE_FIELDS))
    assert third.of_all([other]) == {other.id: hashlib.sha256(f"{spelled}\0{content}".encode()).hexdigest()}
