"""The MkDocs plugin: `mkdocs build --strict` on a small project and on the project's own docs."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PROJECT = Path(__file__).parent / "fixtures" / "site" / "project"
MKDOCS = [sys.executable, "-m", "mkdocs"]

BASE_CONFIG = """\
site_name: Fixture
theme:
  name: material
  font: false
validation:
  anchors: warn
  unrecognized_links: warn
plugins:
  - search
  - factlang{options}
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - toc
"""


def mkdocs(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    return subprocess.run(
        [*MKDOCS, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def make_project(tmp_path: Path, options: str = "\n      failures: info") -> Path:
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n\nThe [fact base](facts/index.md).\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        BASE_CONFIG.format(options=":" + options if options else ""), encoding="utf-8"
    )
    return root


def test_strict_build_renders_the_fact_base(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    result = mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    site = root / "site" / "facts"
    for page in (
        "index.html",
        "conflicts/index.html",
        "sources/cnn/index.html",
        "predicates/share/index.html",
    ):
        assert (site / page).is_file(), page
    assert (site / "assets" / "factlang.js").is_file()
    html = (site / "sources" / "cnn" / "index.html").read_text(encoding="utf-8")
    assert '<mark id="q-152-197" class="factlang-span"' in html
    assert 'href="../../assets/factlang.css"' in html  # the plugin adds its stylesheet to every page
    # The summary of the run is logged.
    assert "11 facts: 5 supported" in result.stderr


def test_generated_pages_make_no_nav_noise_and_link_to_the_repository(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "repo_url: https://github.com/example/fixture\nedit_uri: edit/main/docs/\n"
        + config
        + "nav:\n  - Home: index.md\n  - Fact base:\n      - facts/index.md\n      - facts/conflicts.md\n"
        "      - facts/sources/index.md\n      - facts/entities/index.md\n      - facts/predicates/index.md\n",
        encoding="utf-8",
    )
    result = mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "not included in" not in result.stderr
    summary = html.unescape((root / "site" / "facts" / "index.html").read_text(encoding="utf-8"))
    assert 'href="https://github.com/example/fixture/blob/main/facts/market.fact#L41"' in summary
    # The one page per source file: no page for the file stem of a declared source.
    assert not (root / "site" / "facts" / "sources" / "003_de8af479a19a1395").exists()


def test_source_uri_option_overrides_the_guess(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, options="\n      failures: info\n      source_uri: https://code.example/r/-/blob/v1/"
    )
    result = mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    summary = html.unescape((root / "site" / "facts" / "index.html").read_text(encoding="utf-8"))
    assert 'href="https://code.example/r/-/blob/v1/facts/market.fact#L41"' in summary


def test_links_from_the_docs_to_anchors_of_generated_pages_are_validated(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "docs" / "index.md").write_text(
        "# Home\n\nThe [fact base](facts/index.md), [a fact](facts/predicates/share.md#fact-1), "
        "[a span](facts/sources/cnn.md#q-152-197).\n",
        encoding="utf-8",
    )
    result = mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    (root / "docs" / "index.md").write_text(
        "# Home\n\nThe [fact base](facts/index.md), [no such fact](facts/predicates/share.md#fact-999).\n",
        encoding="utf-8",
    )
    result = mkdocs(root, "build", "--strict")
    assert result.returncode == 1
    assert "does not contain an anchor '#fact-999'" in result.stderr


def test_build_writes_nothing_into_the_docs_folder(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    before = sorted(p.relative_to(root).as_posix() for p in (root / "docs").rglob("*"))
    assert mkdocs(root, "build", "--strict").returncode == 0
    assert sorted(p.relative_to(root).as_posix() for p in (root / "docs").rglob("*")) == before


def test_failing_facts_fail_a_strict_build_with_one_warning_each(tmp_path: Path) -> None:
    root = make_project(tmp_path, options="")
    result = mkdocs(root, "build", "--strict")
    assert result.returncode == 1
    assert "WARNING -  facts/market.fact:56:1: refuted: share(Huawei, China, 2023) = 13%" in result.stderr
    assert "  @cnn: refuted: the quote states 12%, not = 13%" in result.stderr
    # The conflict exists only because the 13% fact is refuted: a note, not a second failure.
    assert "INFO    -  facts/market.fact:51:1: conflict: share(Huawei, China, 2023)" in result.stderr
    assert "(explained by the failing facts)" in result.stderr
    assert result.stderr.count("WARNING -  facts/market.fact:") == 6  # six failing facts
    assert "Traceback" not in result.stderr


def test_failing_facts_only_warn_without_strict(tmp_path: Path) -> None:
    root = make_project(tmp_path, options="")
    result = mkdocs(root, "build")
    assert result.returncode == 0, result.stderr
    assert (root / "site" / "facts" / "index.html").is_file()


def test_failures_error_stops_any_build(tmp_path: Path) -> None:
    root = make_project(tmp_path, options="\n      failures: error")
    result = mkdocs(root, "build")
    assert result.returncode == 1
    assert "ERROR   -  factlang: the fact base does not hold:" in result.stderr
    assert "facts/market.fact:59:1: not-found: share(Huawei, China, 2022) = 10%" in result.stderr


def test_a_bad_fact_file_is_a_plugin_error_with_positioned_diagnostics(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "facts" / "bad.fact").write_text(
        'use "market.fact"\nshare(Huwei, China, 2024) = 16% @ cnn\n', encoding="utf-8"
    )
    result = mkdocs(root, "build")
    assert result.returncode == 1
    assert "ERROR   -  factlang: the fact base cannot be checked:" in result.stderr
    assert "facts/bad.fact:2:7: error: unknown entity 'Huwei'; did you mean 'Huawei'?" in result.stderr
    assert "    share(Huwei, China, 2024) = 16% @ cnn\n          ^~~~~" in result.stderr
    assert "Traceback" not in result.stderr


def test_path_option_places_the_pages(tmp_path: Path) -> None:
    root = make_project(tmp_path, options="\n      path: research/claims\n      failures: info")
    (root / "docs" / "index.md").write_text(
        "# Home\n\n[Claims](research/claims/index.md)\n", encoding="utf-8"
    )
    result = mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert (root / "site" / "research" / "claims" / "sources" / "cnn" / "index.html").is_file()
    assert not (root / "site" / "facts").exists()


def test_facts_and_sources_options_override_the_project_settings(tmp_path: Path) -> None:
    root = make_project(tmp_path, options="\n      facts: [claims]\n      sources: [texts]")
    (root / "facts").rename(root / "claims")
    (root / "sources").rename(root / "texts")
    (root / "claims" / "market.fact").write_text(
        "kind Company\nentity Huawei: Company\npredicate p(c: Company) -> Percent\n"
        'p(Huawei) = 16% @ 003_de8af479a19a1395 "Huawei, posted a market share of 16% in China"\n',
        encoding="utf-8",
    )
    result = mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "1 fact: 1 supported" in result.stderr


@pytest.mark.parametrize("path", ["", "/", "..", "../outside", "."])
def test_a_path_outside_the_site_is_refused(tmp_path: Path, path: str) -> None:
    root = make_project(tmp_path, options=f"\n      path: '{path}'")
    result = mkdocs(root, "build")
    assert result.returncode == 1
    assert "factlang: 'path' must be a folder inside the site" in result.stderr


def test_a_docs_page_where_a_page_is_generated_is_an_error(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "docs" / "facts").mkdir()
    (root / "docs" / "facts" / "index.md").write_text("# Mine\n", encoding="utf-8")
    result = mkdocs(root, "build")
    assert result.returncode == 1
    assert (
        "'facts/index.md' is generated from the fact base, but the docs already have a file there"
        in result.stderr
    )


class _Links(HTMLParser):
    """Every ``href`` and ``id`` of an HTML page (and whether a placeholder was left in it)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.placeholders = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")

    def handle_comment(self, data: str) -> None:
        self.placeholders += data.startswith("factlang")


def crawl(site: Path) -> dict[Path, _Links]:
    found = {}
    for path in site.rglob("*.html"):
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        found[path] = parser
    return found


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "html-urls"])
def test_every_link_of_the_generated_pages_resolves(tmp_path: Path, directory_urls: bool) -> None:
    root = make_project(tmp_path)
    if not directory_urls:
        config = (root / "mkdocs.yml").read_text(encoding="utf-8")
        (root / "mkdocs.yml").write_text("use_directory_urls: false\n" + config, encoding="utf-8")
    result = mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    pages = crawl(root / "site")
    checked = 0
    for path, page in pages.items():
        if "facts" not in path.relative_to(root / "site").parts:
            continue
        assert page.placeholders == 0, path  # every block was put in
        for href in page.hrefs:
            if href.startswith(("http:", "https:")):
                continue
            target, _, anchor = href.partition("#")
            if not target:
                resolved = path
            else:
                resolved = (path.parent / target).resolve()
                if resolved.is_dir():
                    resolved = resolved / "index.html"
            assert resolved.is_file(), f"{path}: {href}"
            if anchor and resolved in pages:
                assert anchor in pages[resolved].ids, f"{path}: {href}"
            checked += 1
    assert checked > 100
    # The links reach the pages the report is about: facts, spans, citations.
    source = pages[
        (root / "site" / "facts" / "sources" / ("cnn/index.html" if directory_urls else "cnn.html"))
    ]
    assert any(i.startswith("q-") for i in source.ids)
    assert any(i.startswith("cite-") for i in source.ids)


def test_the_search_indexes_each_fact_once_at_its_entry(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    assert mkdocs(root, "build", "--strict").returncode == 0
    index = json.loads((root / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    entries = [d for d in docs if re.search(r"facts/predicates/[^/]+/#fact-\d+$", d["location"])]
    assert len(entries) == 11  # every fact of the fixture, once
    assert any("Huawei's smartphone market share in China in 2024" in d["title"] for d in entries)
    # The tables repeat the facts: they are on the pages, not in the index.
    summary = [d for d in docs if d["location"].startswith("facts/")]
    assert not any(
        "share(Huawei, China, 2024)" in d["text"] for d in summary if "#fact-" not in d["location"]
    )
    html_page = (root / "site" / "facts" / "index.html").read_text(encoding="utf-8")
    assert html_page.count("<tr>") == 12  # the table is there: a header and a row per fact


def test_the_projects_own_docs_build_strictly(tmp_path: Path) -> None:
    facts = REPO / "facts"
    if not any(facts.rglob("*.fact")):
        pytest.skip("the seed fact base (facts/*.fact) is not written yet; the docs render it")
    result = mkdocs(REPO, "build", "--strict", "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert (site / "facts" / "index.html").is_file()
    assert (site / "reference" / "api" / "index.html").is_file()
    language = (site / "language" / "index.html").read_text(encoding="utf-8")
    assert '<span class="kd">predicate</span>' in language  # factlang blocks go through the lexer
    assert '<span class="kp">contradicts</span>' in language


# --- the docs' examples: real output, captured beside the fact files -------------

EXAMPLES = REPO / "docs" / "examples"

#: (captured output, command after ``python``, exit code); run from the repository root.
CAPTURED = [
    ("first.txt", ["-m", "factlang", "check", "docs/examples/first.fact"], 0),
    ("first-verbose.txt", ["-m", "factlang", "check", "-v", "docs/examples/first.fact"], 0),
    ("first.json", ["-m", "factlang", "check", "--format", "json", "docs/examples/first.fact"], 0),
    ("typo.txt", ["-m", "factlang", "check", "docs/examples/typo.fact"], 2),
    ("mistake.txt", ["-m", "factlang", "check", "docs/examples/mistake.fact"], 1),
    ("verdicts.txt", ["-m", "factlang", "check", "docs/examples/verdicts.fact"], 1),
    (
        "verdicts.junit.xml",
        ["-m", "factlang", "check", "--format", "junit", "docs/examples/verdicts.fact"],
        1,
    ),
    (
        "verdicts.github.txt",
        ["-m", "factlang", "check", "--format", "github", "docs/examples/verdicts.fact"],
        1,
    ),
    ("api_example.txt", ["docs/examples/api_example.py"], 0),
]


@pytest.mark.parametrize(("captured", "command", "code"), CAPTURED, ids=[c[0] for c in CAPTURED])
def test_docs_examples_show_real_output(captured: str, command: list[str], code: int) -> None:
    """Set FACTLANG_UPDATE_GOLDEN=1 to capture the output again after a deliberate change."""
    args = [*command, "--no-cache", "--color", "never"] if "check" in command else command
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == code, result.stderr
    output = result.stderr if code == 2 else result.stdout
    if captured.endswith(".json"):
        output = json.dumps(json.loads(output), indent=2, ensure_ascii=False) + "\n"
    expected = EXAMPLES / captured
    if os.environ.get("FACTLANG_UPDATE_GOLDEN"):
        expected.write_text(output, encoding="utf-8", newline="\n")
    assert output == expected.read_text(encoding="utf-8")
