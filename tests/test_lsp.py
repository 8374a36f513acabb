"""``factlang lsp`` end to end: a real client over stdio, on a copy of the seed fact base."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from factlang.diagnostics import CheckError
from factlang.formatter import format_text
from factlang.lsp.positions import LineIndex, utf16_len
from tests.lsp_client import LspClient

pytest.importorskip("pygls", reason="the lsp extra is not installed (pip install 'factlang[lsp]')")

ROOT = Path(__file__).resolve().parent.parent
Json = dict[str, Any]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lsp")
    shutil.copytree(ROOT / "facts", root / "facts")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    (root / "pyproject.toml").write_text('[tool.factlang]\nfacts = ["facts"]\nsources = ["seeds"]\n', "utf-8")
    return root


@pytest.fixture(scope="module")
def server(project: Path) -> Iterator[tuple[LspClient, Json]]:
    c = LspClient(project, {"FACTLANG_LSP_DELAY": "0.05"})
    try:
        capabilities = c.initialize(project)
        yield c, capabilities
    finally:
        c.shutdown()


@pytest.fixture
def client(server: tuple[LspClient, Json]) -> LspClient:
    return server[0]


@pytest.fixture
def initialized(server: tuple[LspClient, Json]) -> Json:
    """The server's capabilities, as it answered ``initialize``."""
    return server[1]


# --- helpers ---------------------------------------------------------------------


def position(text: str, needle: str, delta: int = 0) -> Json:
    """The LSP position (UTF-16 columns) of ``needle`` in ``text``, moved ``delta`` characters."""
    offset = text.index(needle) + delta
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return {"line": line, "character": utf16_len(text[start:offset])}


def range_text(text: str, rng: Json) -> str:
    lines = LineIndex(text)
    a = lines.offset(rng["start"]["line"], rng["start"]["character"])
    b = lines.offset(rng["end"]["line"], rng["end"]["character"])
    return text[a:b]


def apply(text: str, edits: list[Json]) -> str:
    """The text after a list of LSP text edits (applied from the end, as clients do)."""
    lines = LineIndex(text)
    spans = []
    for e in edits:
        r = e["range"]
        a = lines.offset(r["start"]["line"], r["start"]["character"])
        b = lines.offset(r["end"]["line"], r["end"]["character"])
        spans.append((a, b, e["newText"]))
    for a, b, new in sorted(spans, reverse=True):
        text = text[:a] + new + text[b:]
    return text


def doc(uri: str, pos: Json | None = None) -> Json:
    out: Json = {"textDocument": {"uri": uri}}
    if pos is not None:
        out["position"] = pos
    return out


def actions(client: LspClient, uri: str, diagnostic: Json) -> list[Json]:
    result: list[Json] = client.request(
        "textDocument/codeAction",
        {**doc(uri), "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}},
    )
    return result


def verified(client: LspClient, uri: str, text: str, version: int, ready: Any = None) -> list[Json]:
    """Open (or change) a document and wait for the diagnostics that ``ready`` accepts."""
    client.forget(uri)
    if version == 1:
        client.open(Path(uri.removeprefix("file://")), text)
    else:
        client.change(uri, text, version)
    return client.diagnostics(uri, ready or (lambda ds: True), version=version)


# --- diagnostics and their fixes ------------------------------------------------------


def test_a_typo_gives_the_diagnostic_check_gives_with_its_code(client: LspClient, project: Path) -> None:
    path = project / "facts" / "market_share.fact"
    text = path.read_text("utf-8").replace(
        "smartphone_share(Huawei, China, 2023)", "smartphone_share(Huwei, China, 2023)"
    )
    uri = path.as_uri()
    try:
        found = verified(client, uri, text, 1, lambda ds: bool(ds))
        typo = next(d for d in found if "Huwei" in d["message"])
        assert typo["message"].startswith("unknown entity 'Huwei'; did you mean 'Huawei'?")
        assert range_text(text, typo["range"]) == "Huwei"
        assert typo["severity"] == 1
        assert typo["source"] == "factlang"
        # The code is the one `factlang check` gives the same problem.
        assert typo["code"] == "FL101"
        assert _check_code(project, text) == "FL101"

        (fix,) = [a for a in actions(client, uri, typo) if a["title"] == "Replace with 'Huawei'"]
        fixed = apply(text, fix["edit"]["changes"][uri])
        assert fixed == path.read_text("utf-8")
        assert verified(client, uri, fixed, 2, lambda ds: not ds) == []
    finally:
        client.close(uri)


def _check_code(project: Path, text: str) -> str:
    """The code `factlang check`'s loader gives the typo."""
    from factlang import load

    scratch = project / "scratch"
    scratch.mkdir(exist_ok=True)
    shutil.copy(project / "facts" / "common.fact", scratch / "common.fact")
    (scratch / "typo.fact").write_text(text, "utf-8")
    with pytest.raises(CheckError) as err:
        load([scratch / "typo.fact"], root=project, cache=False)
    (d,) = [d for d in err.value.diagnostics if "Huwei" in d.message]
    return d.code


def test_add_the_missing_use(client: LspClient, project: Path) -> None:
    path = project / "facts" / "lone.fact"
    text = '# Huawei, with no use.\n\nsmartphone_share(Huawei, China, 2024) = 16%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
    uri = path.as_uri()
    try:
        found = verified(client, uri, text, 1, lambda ds: bool(ds))
        missing = next(d for d in found if d["message"].startswith("unknown predicate 'smartphone_share'"))
        assert missing["code"] == "FL101"
        assert 'add: use "common.fact"' in missing["message"]
        (fix,) = [a for a in actions(client, uri, missing) if a["title"] == 'Add use "common.fact"']
        fixed = apply(text, fix["edit"]["changes"][uri])
        assert (
            fixed
            == '# Huawei, with no use.\n\nuse "common.fact"\n\nsmartphone_share(Huawei, China, 2024) = 16%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
        )
        assert verified(client, uri, fixed, 2, lambda ds: not ds) == []
    finally:
        client.close(uri)


def test_a_drifted_quote_takes_the_source_s_exact_words(client: LspClient, project: Path) -> None:
    path = project / "facts" / "drift.fact"
    text = 'use "common.fact"\n\nsmartphone_share(Huawei, China, 2024) = 16%\n    @ cnn "Huawei posted the market share of 16% in China"\n'
    uri = path.as_uri()
    try:
        found = verified(client, uri, text, 1, lambda ds: any("drift" in d["message"] for d in ds))
        drift = next(d for d in found if "drift" in d["message"])
        assert drift["severity"] == 2
        assert drift["code"] == "FL201"
        assert range_text(text, drift["range"]) == '"Huawei posted the market share of 16% in China"'
        related = drift["relatedInformation"][0]["location"]
        assert related["uri"].endswith("seeds/003_de8af479a19a1395.txt")
        seed = (project / "seeds" / "003_de8af479a19a1395.txt").read_text("utf-8")
        assert range_text(seed, related["range"]) == "Huawei, posted a market share of 16% in China"
        (fix,) = [a for a in actions(client, uri, drift) if a["title"] == "Take the source's exact words"]
        fixed = apply(text, fix["edit"]["changes"][uri])
        assert '@ cnn "Huawei, posted a market share of 16% in China"' in fixed
        assert verified(client, uri, fixed, 2, lambda ds: not ds) == []
    finally:
        client.close(uri)


def test_a_relative_time_without_a_date_offers_a_published_field(client: LspClient, project: Path) -> None:
    common = project / "facts" / "common.fact"
    original = common.read_text("utf-8")
    undated = original.replace("    published: 2025-02-12\n", "", 1)
    assert undated != original
    common_uri = client.open(common, undated)
    path = project / "facts" / "ai_models.fact"
    uri = path.as_uri()
    text = path.read_text("utf-8")
    try:
        found = verified(
            client, uri, text, 1, lambda ds: any(d["message"].startswith("@wsj: unverified") for d in ds)
        )
        warning = next(d for d in found if d["message"].startswith("@wsj: unverified"))
        assert warning["code"] == "FL302"
        assert range_text(text, warning["range"]) == '"Apple rolled out Apple Intelligence last year"'
        (fix,) = [a for a in actions(client, uri, warning) if "published" in a["title"]]
        assert fix["title"].startswith("Add 'published: 2025-01-01' to source 'wsj'")
        assert "last year" in fix["title"]
        fixed = apply(undated, fix["edit"]["changes"][common_uri])
        assert fixed == original.replace("published: 2025-02-12", "published: 2025-01-01", 1)
        client.forget(uri)
        client.change(common_uri, fixed, 2)
        client.diagnostics(
            uri, lambda ds: not any(d["message"].startswith("@wsj: unverified") for d in ds), version=1
        )
    finally:
        client.close(common_uri)
        client.close(uri)


# --- hover, navigation, completion -------------------------------------------------------


def test_hover_a_fact_shows_its_verdict_and_evidence(client: LspClient, project: Path) -> None:
    path = project / "facts" / "market_share.fact"
    text = path.read_text("utf-8")
    uri = path.as_uri()
    try:
        verified(client, uri, text, 1)
        pos = position(text, "smartphone_share(Apple, China, 2023) = 19%", 40)
        for _ in range(100):  # verification is debounced: wait for its verdict
            hover = client.request("textDocument/hover", doc(uri, pos))
            if "verifying" not in hover["contents"]["value"]:
                break
            client.wait_for(lambda n: n.get("method") == "textDocument/publishDiagnostics", 5)
        value = hover["contents"]["value"]
        assert value.startswith("**supported**: `smartphone_share(Apple, China, 2023) = 19%`")
        # The quote in bold, the quantity as code, in the source's sentence.
        assert (
            "**In 2023, Apple was the top mobile phone seller in the country with `19%` of market share**"
            in value
        )
    finally:
        client.close(uri)


def test_hover_names_and_sources(client: LspClient, project: Path) -> None:
    path = project / "facts" / "market_share.fact"
    text = path.read_text("utf-8")
    uri = path.as_uri()
    try:
        verified(client, uri, text, 1)
        entity = client.request("textDocument/hover", doc(uri, position(text, "Vivo)")))["contents"]["value"]
        assert entity.startswith("```factlang\nentity Vivo: Company")
        assert re.search(r"used by \d+ facts?", entity)
        source = client.request("textDocument/hover", doc(uri, position(text, "@ cnn", 2)))["contents"][
            "value"
        ]
        assert "**source `cnn`**" in source
        assert "- path: seeds/003\\_de8af479a19a1395.txt" in source
        assert "- published: 2025-02-13" in source
    finally:
        client.close(uri)


def test_go_to_a_citation_s_span_in_its_source(client: LspClient, project: Path) -> None:
    path = project / "facts" / "market_share.fact"
    text = path.read_text("utf-8")
    uri = path.as_uri()
    try:
        verified(client, uri, text, 1)
        (loc,) = client.request(
            "textDocument/definition", doc(uri, position(text, '"Huawei trailed behind', 5))
        )
        seed = project / "seeds" / "003_de8af479a19a1395.txt"
        assert loc["uri"] == seed.as_uri()
        assert range_text(seed.read_text("utf-8"), loc["range"]) == "Huawei trailed behind at 12%"
        (decl,) = client.request("textDocument/definition", doc(uri, position(text, "Huawei, China, 2023")))
        common = (project / "facts" / "common.fact").read_text("utf-8")
        assert decl["uri"].endswith("facts/common.fact")
        assert range_text(common, decl["range"]) == "Huawei"
        (used,) = client.request("textDocument/definition", doc(uri, position(text, 'use "common.fact"', 6)))
        assert used["uri"].endswith("facts/common.fact")
    finally:
        client.close(uri)


def test_go_to_a_span_after_astral_characters_counts_utf16_units(client: LspClient, project: Path) -> None:
    seed = project / "seeds" / "emoji.txt"
    seed.write_text("Launch day 🚀🚀 for all.\nThe 🚀 firm Acme sold 12 rockets in 2024.\n", "utf-8")
    path = project / "facts" / "emoji.fact"
    text = (
        'use "common.fact"\n\nkind Firm\nentity Acme: Firm\npredicate rockets(firm: Firm, year: Year) -> Number\n\n'
        'rockets(Acme, 2024) = 12 @ emoji "🚀 firm Acme sold 12 rockets"\n'
    )
    uri = path.as_uri()
    try:
        verified(client, uri, text, 1)
        (loc,) = client.request("textDocument/definition", doc(uri, position(text, "firm Acme sold")))
        assert loc["range"]["start"] == {"line": 1, "character": 4}
        assert loc["range"]["end"] == {"line": 1, "character": 4 + utf16_len("🚀 firm Acme sold 12 rockets")}
    finally:
        client.close(uri)
        seed.unlink()


def test_references_of_an_entity_across_files(client: LspClient, project: Path) -> None:
    path = project / "facts" / "market_share.fact"
    text = path.read_text("utf-8")
    uri = path.as_uri()
    try:
        verified(client, uri, text, 1)
        refs = client.request(
            "textDocument/references",
            {**doc(uri, position(text, "Vivo)")), "context": {"includeDeclaration": True}},
        )
        files = {r["uri"].rsplit("/", 1)[1] for r in refs}
        assert "common.fact" in files
        assert "market_share.fact" in files
        on_disk = sum(p.read_text("utf-8").count("Vivo") for p in (project / "facts").glob("*.fact"))
        assert len(refs) == on_disk - _in_comments_or_strings(project, "Vivo")
    finally:
        client.close(uri)


def _in_comments_or_strings(project: Path, word: str) -> int:
    pattern = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*')
    return sum(
        m.group(0).count(word)
        for p in (project / "facts").glob("*.fact")
        for m in pattern.finditer(p.read_text("utf-8"))
    )


def test_complete_inside_a_quote_with_the_source_s_words(client: LspClient, project: Path) -> None:
    path = project / "facts" / "typing.fact"
    line = '    @ cnn "Huawei, po'
    text = f'use "common.fact"\n\nsmartphone_share(Huawei, China, 2024) = 16%\n{line}'
    uri = path.as_uri()
    try:
        verified(client, uri, text, 1)
        items = client.request("textDocument/completion", doc(uri, position(text, line, len(line))))["items"]
        words = [i["textEdit"]["newText"] for i in items]
        assert "Huawei, posted a market share of 16% in China" in words
        assert all(w.lower().startswith("huawei, po") for w in words)
        edit = items[0]["textEdit"]
        assert range_text(text, edit["range"]) == "Huawei, po"
    finally:
        client.close(uri)


def test_complete_names_by_position(client: LspClient, project: Path) -> None:
    path = project / "facts" / "typing2.fact"
    text = 'use "common.fact"\n\nsmartphone_share(Huawei, '
    uri = path.as_uri()
    try:
        verified(client, uri, text, 1)
        items = client.request("textDocument/completion", doc(uri, position(text, ", ", 2)))["items"]
        labels = {i["label"] for i in items}
        assert "China" in labels  # a Region
        assert "Huawei" not in labels  # a Company: not for the market argument
        at = text + "2024) = 16%\n    @ "
        client.change(uri, at, 2)
        items = client.request("textDocument/completion", doc(uri, position(at, "@ ", 2)))["items"]
        assert {"cnn", "wsj", "003_de8af479a19a1395"} <= {i["label"] for i in items}
        start = 'use "common.fact"\n\nsmart'
        client.change(uri, start, 3)
        items = client.request("textDocument/completion", doc(uri, position(start, "smart", 5)))["items"]
        assert {"smartphone_share", "entity", "predicate"} <= {i["label"] for i in items}
    finally:
        client.close(uri)


# --- formatting and symbols ---------------------------------------------------------------


def test_format_a_file(client: LspClient, project: Path) -> None:
    path = project / "facts" / "messy.fact"
    text = 'use "common.fact"\nsmartphone_share(Huawei,China,2024)=16% @ cnn "Huawei, posted a market share of 16% in China"\n'
    uri = path.as_uri()
    try:
        verified(client, uri, text, 1)
        edits = client.request(
            "textDocument/formatting", {**doc(uri), "options": {"tabSize": 4, "insertSpaces": True}}
        )
        assert apply(text, edits) == format_text(text)
        assert apply(text, edits) != text
    finally:
        client.close(uri)


def test_document_symbols(client: LspClient, project: Path) -> None:
    path = project / "facts" / "market_share.fact"
    uri = path.as_uri()
    try:
        verified(client, uri, path.read_text("utf-8"), 1)
        symbols = client.request("textDocument/documentSymbol", doc(uri))
        names = [s["name"] for s in symbols]
        assert names[0] == 'use "common.fact"'
        assert "smartphone_share(Huawei, China, 2024) = 16%" in names
        assert "rival(Apple, Vivo)" in names
    finally:
        client.close(uri)


# --- without the extra --------------------------------------------------------------------


def test_without_pygls_lsp_names_the_extra(tmp_path: Path) -> None:
    code = "import sys; sys.modules['pygls'] = None; from factlang.cli import main; sys.exit(main(['lsp']))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert done.returncode == 2
    assert "pip install 'factlang[lsp]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_line_index_counts_utf16_units() -> None:
    lines = LineIndex("a🚀b\nc")
    assert lines.position(2) == (0, 3)
    assert lines.offset(0, 3) == 2
    assert lines.position(4) == (1, 0)
    assert lines.offset(5, 0) == len("a🚀b\nc")


def test_incremental_changes_and_a_source_changed_on_disk(client: LspClient, project: Path) -> None:
    seed = project / "seeds" / "later.txt"
    seed.write_text("In 2024, Acme sold rockets: 12 of them.\n", "utf-8")
    path = project / "facts" / "later.fact"
    text = 'kind Firm\nentity Acme: Firm\npredicate rockets(firm: Firm, year: Year) -> Number\n\nrockets(Acme, 2024) = 12 @ later "Acme sold rockets"\n'
    uri = path.as_uri()
    try:
        assert verified(client, uri, text, 1, lambda ds: True) == []
        # An incremental change: 12 -> 13 in the value only.
        client.forget(uri)
        start = position(text, "= 12", 2)
        end = {"line": start["line"], "character": start["character"] + 2}
        client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": 2},
                "contentChanges": [{"range": {"start": start, "end": end}, "text": "13"}],
            },
        )
        refuted = client.diagnostics(uri, lambda ds: bool(ds), version=2)
        assert [d["code"] for d in refuted] == ["FL301"]
        # The source now says 13: the watched-file notice brings the verdict back.
        seed.write_text("In 2024, Acme sold rockets: 13 of them.\n", "utf-8")
        client.forget(uri)
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": seed.as_uri(), "type": 2}]})
        assert client.diagnostics(uri, lambda ds: not ds, version=2) == []
    finally:
        client.close(uri)
        seed.unlink()


def test_an_error_in_a_file_that_is_not_open_is_shown_in_the_open_ones(
    client: LspClient, project: Path
) -> None:
    broken = project / "facts" / "zz_broken.fact"
    broken.write_text('use "common.fact"\n\nsmartphone_share(Huawei, Atlantis, 2024) = 16% @ cnn\n', "utf-8")
    path = project / "facts" / "market_share.fact"
    uri = path.as_uri()
    try:
        found = verified(client, uri, path.read_text("utf-8"), 1, lambda ds: bool(ds))
        (note,) = found
        assert note["message"].startswith("facts/zz_broken.fact:3:26: unknown entity 'Atlantis'")
        assert note["code"] == "FL101"
        assert note["range"]["start"] == {"line": 0, "character": 0}
        related = note["relatedInformation"][0]["location"]
        assert related["uri"] == broken.as_uri()
        assert range_text(broken.read_text("utf-8"), related["range"]) == "Atlantis"
    finally:
        client.close(uri)
        broken.unlink()


def test_a_conflict_with_a_fact_of_another_file(client: LspClient, project: Path) -> None:
    path = project / "facts" / "conflict.fact"
    text = 'use "common.fact"\n\nsmartphone_share(Huawei, China, 2024) = 17%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
    uri = path.as_uri()
    try:
        found = verified(client, uri, text, 1, lambda ds: any(d["code"] == "FL307" for d in ds))
        (conflict,) = [d for d in found if d["code"] == "FL307"]
        assert "smartphone_share(Huawei, China, 2024) = 17%" in conflict["message"]
        assert range_text(text, conflict["range"]) == "smartphone_share"
        others = {r["location"]["uri"].rsplit("/", 1)[1] for r in conflict["relatedInformation"]}
        assert others == {"market_share.fact"}
    finally:
        client.close(uri)


def test_a_day_that_follows_from_yesterday_offers_the_exact_publication_date(tmp_path: Path) -> None:
    from factlang.lsp import diagnose
    from factlang.lsp.project import Project

    (tmp_path / "factlang.toml").write_text('facts = ["facts"]\nsources = ["sources"]\n', "utf-8")
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "news.txt").write_text("Acme launched the rocket yesterday.\n", "utf-8")
    (tmp_path / "facts").mkdir()
    path = tmp_path / "facts" / "a.fact"
    text = 'kind Firm\nentity Acme: Firm\npredicate launched(firm: Firm, day: Date)\n\nlaunched(Acme, 2025-03-04) @ news "Acme launched the rocket"\n'
    path.write_text(text, "utf-8")
    project = Project(tmp_path)
    snap = project.analyse({path: text})
    found = diagnose.verdict_diagnostics(project, snap, project.verify(snap, [path]), path)
    (warning,) = [d for d in found if d.code == "FL203"]
    assert warning.data == {
        "published": "2025-03-05",
        "source": "news",
        "because": "yesterday",
        "exact": True,
    }
    (fix,) = diagnose.code_actions(project, snap, path, text, [warning])
    assert fix.title == "Add 'published: 2025-03-05' to source 'news'"
    assert fix.edit is not None
    assert fix.edit.changes is not None
    fixed = apply(
        text,
        [{"range": _range_json(e.range), "newText": e.new_text} for e in fix.edit.changes[path.as_uri()]],
    )
    assert fixed.startswith(
        'kind Firm\nentity Acme: Firm\npredicate launched(firm: Firm, day: Date)\n\nsource news = "sources/news.txt" {\n    published: 2025-03-05\n}\n\nlaunched('
    )
    # With the date, the warning is gone.
    snap = project.analyse({path: fixed})
    assert not [
        d
        for d in diagnose.verdict_diagnostics(project, snap, project.verify(snap, [path]), path)
        if d.code == "FL203"
    ]


def _range_json(r: Any) -> Json:
    return {
        "start": {"line": r.start.line, "character": r.start.character},
        "end": {"line": r.end.line, "character": r.end.character},
    }


def test_semantic_tokens_say_what_each_name_is(client: LspClient, project: Path, initialized: Json) -> None:
    legend = initialized["semanticTokensProvider"]["legend"]
    path = project / "facts" / "tokens.fact"
    text = 'use "common.fact"\n\nsmartphone_share(Huawei, China, 2024) = 16% @ cnn "Huawei, posted"\n'
    uri = path.as_uri()
    try:
        verified(client, uri, text, 1)
        data = client.request("textDocument/semanticTokens/full", doc(uri))["data"]
        tokens = []
        line = char = 0
        for i in range(0, len(data), 5):
            dl, dc, length, kind, _ = data[i : i + 5]
            line, char = line + dl, (char + dc if dl == 0 else dc)
            tokens.append((text.split("\n")[line][char : char + length], legend["tokenTypes"][kind]))
        assert tokens == [
            ("smartphone_share", "function"),
            ("Huawei", "enumMember"),
            ("China", "enumMember"),
            ("cnn", "namespace"),
        ]
    finally:
        client.close(uri)


def test_a_configuration_changed_on_disk_is_read_again(client: LspClient, project: Path) -> None:
    config = project / "pyproject.toml"
    good = config.read_text("utf-8")
    path = project / "facts" / "market_share.fact"
    uri = path.as_uri()
    try:
        verified(client, uri, path.read_text("utf-8"), 1, lambda ds: not ds)
        config.write_text(good + 'strict = "yes"\n', "utf-8")
        client.forget(uri)
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
        (problem,) = client.diagnostics(uri, lambda ds: bool(ds), version=1)
        assert problem["code"] == "FL110"
        assert "'strict'" in problem["message"]
        config.write_text(good, "utf-8")
        client.forget(uri)
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
        assert client.diagnostics(uri, lambda ds: not ds, version=1) == []
    finally:
        config.write_text(good, "utf-8")
        client.close(uri)


def test_names_a_file_declares_complete_while_it_does_not_parse(client: LspClient, project: Path) -> None:
    path = project / "facts" / "own.fact"
    head = "kind Planet\nentity Mars: Planet\nentity Venus: Planet\npredicate moons(planet: Planet) -> Number\n\n"
    uri = path.as_uri()
    try:
        verified(client, uri, head + "moons(Mars) = 2\n", 1)
        typing = head + "moons(Mars) = 2\nmoons("
        client.change(uri, typing, 2)
        assert client.diagnostics(uri, lambda ds: bool(ds), version=2)[0]["code"] == "FL100"
        end = {"line": typing.count("\n"), "character": len("moons(")}
        items = client.request("textDocument/completion", doc(uri, end))["items"]
        assert {"Mars", "Venus"} <= {i["label"] for i in items}
    finally:
        client.close(uri)
