"""The site pages: a verified report to Markdown (factlang.render.site).

The project under tests/fixtures/site/project holds excerpts of the seed
articles, facts of every verdict, a conflict, a known error, overlapping
quotes, and a hostile source. Pages are checked as Markdown and as the
HTML that Python-Markdown (what MkDocs runs) makes of them.
"""

from __future__ import annotations

import html
import importlib
import os
import posixpath
import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import factlang
from factlang.config import load_config
from factlang.loader import load_project
from factlang.render import site
from factlang.render.site import writer
from factlang.report import Report
from factlang.verify import verify

# Python-Markdown has no type information (and no stubs are installed): use it as Any.
markdown: Any = importlib.import_module("markdown")

FIXTURES = Path(__file__).parent / "fixtures" / "site"
PROJECT = FIXTURES / "project"
EXPECTED = FIXTURES / "expected"

# What mkdocs-material sites commonly enable, including extensions that
# give meaning to more punctuation (==mark==, ~~del~~, ^^ins^^, :emoji:,
# bare links, (c) symbols).
RICH_EXTENSIONS = [
    "tables",
    "toc",
    "admonition",
    "attr_list",
    "md_in_html",
    "def_list",
    "footnotes",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.magiclink",
    "pymdownx.smartsymbols",
    "pymdownx.betterem",
    "pymdownx.mark",
    "pymdownx.tilde",
    "pymdownx.caret",
    "pymdownx.emoji",
    "pymdownx.keys",
    "pymdownx.critic",
]


@pytest.fixture(scope="module")
def report() -> Iterator[Report]:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(PROJECT)  # locations are shown relative to the current directory
        config = load_config(PROJECT)
        yield verify(load_project(config), root=config.root)


@pytest.fixture(scope="module")
def texts(report: Report) -> dict[str, str]:
    found, problems = site.read_sources(report, PROJECT)
    assert problems == ()
    return found


@pytest.fixture(scope="module")
def pages(report: Report, texts: dict[str, str]) -> dict[str, str]:
    return site.build_pages(report, texts)


def render(page: str, extensions: list[str] | None = None) -> str:
    html_text: str = markdown.markdown(page, extensions=extensions if extensions is not None else ["tables"])
    return html_text


def fact_number(report: Report, claim: str) -> int:
    numbers = [n for n, r in enumerate(report.facts, 1) if r.fact.claim == claim]
    assert len(numbers) == 1, claim
    return numbers[0]


def span_of(text: str, quote: str) -> str:
    start = text.index(quote)
    return f"q-{start}-{start + len(quote)}"


class Audit(HTMLParser):
    """Every element, attribute and text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def audit(fragment: str) -> Audit:
    parser = Audit()
    parser.feed(fragment)
    parser.close()
    return parser


class SourceText(HTMLParser):
    """The text of the ``factlang-source`` block without the citation links, and its marks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside the source block
        self.in_sup = 0
        self.stack: list[str] = []
        self.text: list[str] = []
        self.marks: dict[str, list[str]] = {}  # mark id -> text of its pieces
        self.open_marks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "div" and a.get("class") == "factlang-source":
            self.depth = 1
            return
        if not self.depth:
            return
        self.stack.append(tag)
        if tag == "sup":
            self.in_sup += 1
        if tag == "mark":
            span = a.get("id") or a.get("data-span") or ""
            assert span not in self.marks or not a.get("id"), f"two marks with id {span}"
            self.open_marks.append(span)
            self.marks.setdefault(span, [])

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            return
        if not self.stack:
            self.depth = 0
            return
        assert self.stack.pop() == tag, f"</{tag}> closes another element"
        if tag == "sup":
            self.in_sup -= 1
        if tag == "mark":
            self.open_marks.pop()

    def handle_data(self, data: str) -> None:
        if not self.depth or self.in_sup:
            return
        self.text.append(data)
        for mark in self.open_marks:
            self.marks[mark].append(data)


def source_block(page_html: str) -> SourceText:
    parser = SourceText()
    parser.feed(page_html)
    parser.close()
    return parser


# --- pages ------------------------------------------------------------------------


def test_every_page_type_exists(pages: dict[str, str]) -> None:
    expected = {
        "index.md",
        "conflicts.md",
        "sources/index.md",
        "sources/cnn.md",
        "sources/reuters.md",
        "sources/evil.md",
        "entities/index.md",
        "entities/Huawei.md",
        "entities/GreaterChina.md",
        "predicates/index.md",
        "predicates/share.md",
        "predicates/revenue_change.md",
        "assets/factlang.css",
        "assets/factlang.js",
    }
    assert expected <= set(pages)


def test_a_declared_source_and_its_file_stem_are_one_source(pages: dict[str, str]) -> None:
    # cnn is declared for 003_de8af479a19a1395.txt: one page, named by the declared id.
    assert "sources/003_de8af479a19a1395.md" not in pages
    assert "sources/hostile.md" not in pages
    index = pages["sources/index.md"]
    assert "[cnn](cnn.md) (also 003_de8af479a19a1395)" in index
    assert len([line for line in index.splitlines() if line.startswith("| [")]) == 5  # five files
    assert "<dt>Also cited as</dt><dd><code>003_de8af479a19a1395</code></dd>" in pages["sources/cnn.md"]
    assert "Browse by [source](sources/index.md) (5)" in pages["index.md"]


def test_a_citation_by_file_stem_links_to_the_declared_sources_page(
    report: Report, pages: dict[str, str]
) -> None:
    # The known-error fact cites 002_... by stem (no declaration): its own page.
    assert "[@002_37c9d46621587dce](sources/002_37c9d46621587dce.md#q-" in pages["index.md"]
    # A source reached through an alias links to the one page.
    assert "(sources/003_de8af479a19a1395.md" not in "".join(pages.values())


def test_every_source_entity_and_predicate_has_a_page(report: Report, pages: dict[str, str]) -> None:
    base = report.base
    declared = {s.path: s.id for s in sorted(base.sources.values(), key=lambda s: s.location is not None)}
    assert {f"sources/{sid}.md" for sid in declared.values()} <= set(pages)
    assert {f"entities/{e}.md" for e in base.entities} <= set(pages)
    assert {f"predicates/{p}.md" for p in base.predicates} <= set(pages)


def test_build_pages_is_deterministic(report: Report, texts: dict[str, str], pages: dict[str, str]) -> None:
    assert site.build_pages(report, dict(texts)) == pages


def test_summary_answers_first_then_counts_as_badges(pages: dict[str, str]) -> None:
    summary = pages["index.md"]
    # The conflict between the 12% and 13% facts exists only because 13% is refuted: not counted again.
    assert summary.split("\n")[2] == (
        '<div class="admonition failure"><p class="admonition-title">6 of 11 facts fail</p></div>'
    )
    counts = summary.split("\n")[4]
    for verdict, count in [
        ("supported", 5),
        ("refuted", 1),
        ("disputed", 1),
        ("unverified", 2),
        ("not-found", 1),
        ("uncited", 1),
    ]:
        assert re.search(rf">{verdict}</span> {count}</span>", counts), verdict
    assert "</span>](conflicts.md) 0, 1 explained by failing facts" in counts
    # Then the failing facts, before the table.
    failing = summary[summary.index("## Failing facts") : summary.index("## All facts")]
    assert failing.count("\n- ") == 6
    assert "Huawei's smartphone market share in China in 2022 &lt;i&gt;per&lt;/i&gt; Canalys: 10%" in failing
    assert "Alibaba's shares moved +9.2% on the day" in failing  # a template with {value}


def test_summary_table_has_a_row_per_fact_with_a_verdict_badge(report: Report, pages: dict[str, str]) -> None:
    summary = pages["index.md"]
    rows = [
        line
        for line in summary[summary.index("## All facts") :].splitlines()
        if line.startswith("| <span data-value=")
    ]
    assert len(rows) == len(report.facts)
    n = fact_number(report, "share(Huawei, China, 2023) = 13%")
    assert "factlang-badge--refuted" in rows[n - 1]
    assert "[share(Huawei, China, 2023)](predicates/share.md#fact-" in rows[n - 1]


def test_summary_table_is_marked_for_the_sorting_script(pages: dict[str, str]) -> None:
    summary = pages["index.md"]
    marker = summary.index('<div class="factlang-filter"></div>')
    assert (
        summary[marker:].split("\n\n", 1)[1].startswith("| Verdict | Fact | Value | Sources | Written at |")
    )


def test_a_fact_links_to_the_span_it_cites(
    report: Report, texts: dict[str, str], pages: dict[str, str]
) -> None:
    anchor = span_of(texts["cnn"], "Huawei, posted a market share of 16% in China")
    assert f"[@cnn](sources/cnn.md#{anchor})" in pages["index.md"]
    assert f'<mark id="{anchor}" class="factlang-span"' in pages["sources/cnn.md"]
    assert pages["sources/cnn.md"].count(f'id="{anchor}"') == 1


def test_a_span_links_to_the_citations_of_it_and_they_link_back(
    report: Report, texts: dict[str, str], pages: dict[str, str]
) -> None:
    anchor = span_of(texts["cnn"], "Huawei trailed behind at 12%")
    twelve = fact_number(report, "share(Huawei, China, 2023) = 12%")
    thirteen = fact_number(report, "share(Huawei, China, 2023) = 13%")
    page = pages["sources/cnn.md"]
    # One span, cited by two facts: one mark, a link to each citation.
    assert page.count(f'id="{anchor}"') == 1
    refs = re.search(rf'id="{anchor}".*?<sup class="factlang-refs">(.*?)</sup>', page)
    assert refs is not None
    assert f'href="#cite-{twelve}-1"' in refs.group(1)
    assert f'href="#cite-{thirteen}-1"' in refs.group(1)
    # Each citation entry: its anchor, the fact (on its predicate's page), the way back to the span.
    entry = page[page.index(f'<a id="cite-{thirteen}-1"') :].split("\n", 1)[0]
    assert f"(../predicates/share.md#fact-{thirteen})" in entry
    assert f"(#{anchor})" in entry
    assert "factlang-badge--refuted" in entry


def test_the_fact_entry_links_to_each_cited_span(
    report: Report, texts: dict[str, str], pages: dict[str, str]
) -> None:
    n = fact_number(report, "share(Huawei, China, 2023) = 12%")
    page = pages["predicates/share.md"]
    start = page.index(f'<h3 id="fact-{n}" class="factlang-fact">')
    entry = page[start : page.index('<h3 id="fact-', start + 1)]
    # The template's sentence as the heading (escaped for raw HTML), the key beside it.
    assert entry.startswith(
        f'<h3 id="fact-{n}" class="factlang-fact">Huawei\'s smartphone market share in China in 2023 '
        "&lt;i&gt;per&lt;/i&gt; Canalys: 12%</h3>"
    )
    assert "<code>share(Huawei, China, 2023) = 12%</code>" in entry
    assert f"[@cnn](../sources/cnn.md#{span_of(texts['cnn'], 'Huawei trailed behind at 12%')})" in entry
    assert (
        f"[@evil](../sources/evil.md#{span_of(texts['evil'], 'Huawei trailed behind at 12% in 2023')})"
        in entry
    )


def test_a_quote_not_found_links_to_its_citation_entry(report: Report, pages: dict[str, str]) -> None:
    n = fact_number(report, "share(Huawei, China, 2022) = 10%")
    assert f"[@cnn](sources/cnn.md#cite-{n}-1)" in pages["index.md"]
    assert f'<a id="cite-{n}-1" class="factlang-anchor"></a>' in pages["sources/cnn.md"]


def test_overlapping_spans_nest_and_keep_the_text(texts: dict[str, str], pages: dict[str, str]) -> None:
    text = texts["cnn"]
    block = source_block(render(pages["sources/cnn.md"]))
    assert "".join(block.text) == text
    wide = "posted a market share of 16% in China, overtaking Apple’s 15%"
    narrow = "Huawei, posted a market share of 16% in China"
    assert "".join(block.marks[span_of(text, wide)]) == wide
    assert "".join(block.marks[span_of(text, narrow)]) == narrow


def test_matched_quantities_are_emphasised(pages: dict[str, str]) -> None:
    assert '<strong class="factlang-quantity">16&#37;</strong>' in pages["sources/cnn.md"]


def test_known_error_span_is_marked_as_such(texts: dict[str, str], pages: dict[str, str]) -> None:
    anchor = span_of(texts["reuters"], "Apple’s Greater China Sales rose 11%")
    assert (
        f'<mark id="{anchor}" class="factlang-span factlang-span--known-error"' in pages["sources/reuters.md"]
    )


def test_source_metadata_is_shown_compactly_above_the_text(pages: dict[str, str]) -> None:
    page = pages["sources/cnn.md"]
    meta = page[: page.index("## Text")]
    assert (
        '<details class="factlang-meta"><summary>CNN · 2025&#45;02&#45;13 · 7 citations · 3 failing</summary>'
        in meta
    )
    assert "<dt>Outlet</dt><dd>CNN</dd>" in meta
    assert "<dt>Author</dt><dd>Damond Isiaka</dd>" in meta
    assert "<dt>Published</dt><dd>2025&#45;02&#45;13</dd>" in meta
    assert (
        '<a href="https&#58;//edition&#46;cnn&#46;com/2025/02/13/tech/apple&#45;alibaba&#45;ai&#45;china"'
        in meta
    )


def test_source_page_has_a_legend_for_every_mark_it_uses(pages: dict[str, str]) -> None:
    cnn = pages["sources/cnn.md"]
    legend = cnn[cnn.index('<ul class="factlang-legend') : cnn.index("## Text")]
    for mark in (
        "quote that supports a fact",
        "quote that fails",
        "overlapping",
        "the value that was matched",
    ):
        assert mark in legend
    assert "known error" not in legend  # cnn has none
    reuters = pages["sources/reuters.md"]
    assert "known error in the source" in reuters[: reuters.index("## Text")]


def test_conflicts_page_lists_every_fact_involved(report: Report, pages: dict[str, str]) -> None:
    page = pages["conflicts.md"]
    assert (
        '<h3 id="conflict-1">share&#40;Huawei, China, 2023&#41;</h3>\n\n'
        '<span class="factlang-badge factlang-badge--conflict-explained">conflict, explained</span>'
    ) in page
    assert "Explained: 1 of its 2 facts fail verification" in page
    for claim in ("share(Huawei, China, 2023) = 12%", "share(Huawei, China, 2023) = 13%"):
        assert f"(predicates/share.md#fact-{fact_number(report, claim)})" in page


def test_every_row_and_entry_of_a_conflicting_fact_is_marked(report: Report, pages: dict[str, str]) -> None:
    marker = 'factlang-badge--conflict-explained" title="in conflict, but it fails anyway">conflict, explained</span>]('
    for claim in ("share(Huawei, China, 2023) = 12%", "share(Huawei, China, 2023) = 13%"):
        n = fact_number(report, claim)
        row = next(
            line for line in pages["index.md"].splitlines() if f"#fact-{n})" in line and line.startswith("| ")
        )
        assert marker + "conflicts.md#conflict-1)" in row
        share = pages["predicates/share.md"]
        entry = share[share.index(f'<h3 id="fact-{n}"') :].split("\n\n", 2)[1]
        assert marker + "../conflicts.md#conflict-1)" in entry
        huawei = pages["entities/Huawei.md"]
        assert marker + "../conflicts.md#conflict-1)" in next(
            line for line in huawei.splitlines() if f"#fact-{n})" in line
        )
    untouched = fact_number(report, "share(Huawei, China, 2024) = 16%")
    row = next(line for line in pages["index.md"].splitlines() if f"#fact-{untouched})" in line)
    assert "conflict" not in row


def test_conflicts_page_says_whether_each_known_error_reproduces(
    report: Report, texts: dict[str, str], pages: dict[str, str]
) -> None:
    page = pages["conflicts.md"]
    row = next(line for line in page.splitlines() if "(contradicts)" in line)
    assert span_of(texts["reuters"], "Apple’s Greater China Sales rose 11%") in row
    assert ">known error, reproduces</span>" in row


def test_entity_page_lists_every_fact_that_mentions_it(report: Report, pages: dict[str, str]) -> None:
    page = pages["entities/Huawei.md"]
    mentioning = [n for n, r in enumerate(report.facts, 1) if "Huawei" in r.fact.key]
    assert mentioning
    for n in mentioning:
        assert f"(../predicates/share.md#fact-{n})" in page
    assert "Apple" not in page.split("## ", 1)[0].split("\n", 1)[0]


def test_predicate_page_has_a_column_per_argument(pages: dict[str, str]) -> None:
    assert "| company | market | year | Value | Verdict | Sources |" in pages["predicates/share.md"]


def test_time_predicate_has_an_svg_chart_with_a_point_per_stated_value(
    report: Report, pages: dict[str, str]
) -> None:
    page = pages["predicates/share.md"]
    chart = re.search(r'<figure class="factlang-chart" id="[^"]+">.*?(<svg .*?</svg>)(.*?)</figure>', page)
    assert chart is not None
    svg, rest = chart.group(1), chart.group(2)
    stated = [r for r in report.facts if r.fact.predicate == "share" and r.fact.comparator == "="]
    assert svg.count("<circle ") == len(stated)
    assert svg.count('class="factlang-value"') == len(stated)  # a value label on every point
    assert ">16&#37;</text>" in svg
    assert 'font-size="15"' in svg  # 15 of 480 units: >= 11 px on a 358 px phone column
    # A legend in HTML, and the data as a table.
    assert '<ul class="factlang-legend">' in rest
    assert "Apple, China</li>" in rest
    assert "Huawei, China</li>" in rest
    table = rest[rest.index("<table>") :]
    assert table.count("<tr><td>") == len(stated)
    assert "<tr><td>Huawei, China</td><td>2024</td><td>16&#37;</td><td>holds</td></tr>" in table
    assert svg.count("<polyline ") == 2  # Huawei and Apple have several years; no line for one point
    assert 'class="factlang-point factlang-point--failing"' in svg
    assert "\n" not in svg  # one line: Markdown keeps it as one raw HTML block
    for n in (fact_number(report, "share(Huawei, China, 2024) = 16%"),):
        assert f'<a href="#fact-{n}">' in svg


def test_chart_for_quarters_is_drawn_and_none_without_time(pages: dict[str, str]) -> None:
    assert "<svg " in pages["predicates/revenue_change.md"]
    assert "<svg " not in pages["predicates/stock_gain.md"]


def test_one_time_value_gives_a_bar_chart(pages: dict[str, str]) -> None:
    # revenue_change has one quarter (2024-Q4): bars, not a point floating on a time axis.
    svg = pages["predicates/revenue_change.md"].split("<svg ", 1)[1]
    assert 'class="factlang-bar"' in svg
    assert "<circle" not in svg
    assert ">&#45;11&#37;</text>" in svg


def test_an_entity_has_one_colour_on_every_chart(report: Report) -> None:
    from factlang.render.site.charts import entity_colours

    colours = entity_colours(report.base.entities)
    pages = site.build_pages(report, {})
    apple = colours["Apple"]
    for path, series in (
        ("predicates/share.md", "Apple, China"),
        ("predicates/revenue_change.md", "Apple, GreaterChina"),
    ):
        legend = pages[path].split('<ul class="factlang-legend">', 1)[1].split("</ul>", 1)[0]
        item = next(li for li in legend.split("<li>") if li.endswith(f" {series}</li>"))
        assert f'fill="{apple}"' in item, path
    assert len(set(colours.values())) == min(len(colours), 10)


def test_templates_may_use_the_value(report: Report, pages: dict[str, str]) -> None:
    page = pages["predicates/stock_gain.md"]
    assert "Alibaba's shares moved +9.2% on the day</h3>" in page


@pytest.mark.parametrize(
    ("template", "fact", "sentence"),
    [
        ("{c} moved {value}", "p(A) = +2.2%", "A moved +2.2%"),
        ("{c} moved {value}", "p(A) > 5%", "A moved more than 5%"),
        ("{c} moved {value}", "p(A) ~ 5%", "A moved about 5%"),
        ("{c}'s share", "p(A) = 5%", "A's share: 5%"),
        ("{c}'s share", "p(A) <= 5%", "A's share: at most 5%"),
    ],
)
def test_sentence(template: str, fact: str, sentence: str, tmp_path: Path) -> None:
    from factlang.render.site.common import _sentence

    path = tmp_path / "a.fact"
    path.write_text(
        f'kind K\nentity A: K\npredicate p(c: K) -> Percent "{template}"\n{fact}\n', encoding="utf-8"
    )
    base = factlang.load([path], root=tmp_path)
    assert _sentence(base.predicates["p"], base.facts[0]) == sentence


def test_chart_renders_as_svg(pages: dict[str, str]) -> None:
    tags = {tag for tag, _ in audit(render(pages["predicates/share.md"])).tags}
    assert {"figure", "svg", "circle", "polyline", "title"} <= tags


# --- escaping ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert&#40;1&#41;&lt;/script&gt;"),
        ("a \"b\" 'c' & d", "a &quot;b&quot; &#39;c&#39; &amp; d"),
        ("[x](javascript:alert(1))", "&#91;x&#93;&#40;javascript&#58;alert&#40;1&#41;&#41;"),
        ("{{ x }} {% y %}", "&#123;&#123; x &#125;&#125; &#123;&#37; y &#37;&#125;"),
        ("*a* _b_ `c` \\d", "&#42;a&#42; &#95;b&#95; &#96;c&#96; &#92;d"),
        ("  two\n lines  ", "two lines"),
        ("Qwen 2.5", "Qwen 2&#46;5"),
    ],
)
def test_escape(text: str, expected: str) -> None:
    assert site.escape(text) == expected


def test_escape_keeps_newlines_when_asked() -> None:
    assert site.escape("a\nb\r\nc", newlines=True) == "a&#10;b&#10;c"


@pytest.mark.parametrize("extensions", [["tables"], RICH_EXTENSIONS], ids=["plain", "rich"])
def test_no_page_can_inject_markup(pages: dict[str, str], extensions: list[str]) -> None:
    allowed = {
        "a", "blockquote", "circle", "code", "dd", "desc", "details", "div", "dl", "dt", "em",
        "figcaption", "figure", "h1", "h2", "h3", "li", "line", "mark", "nav", "p", "polyline", "pre", "rect",
        "strong", "summary", "sup", "svg", "table", "tbody", "td", "text", "th", "thead", "title", "tr",
        "ul", "span",
    }  # fmt: skip
    for path, page in pages.items():
        if not path.endswith(".md"):
            continue
        found = audit(render(page, extensions))
        for tag, attrs in found.tags:
            assert tag in allowed, f"{path}: <{tag}>"
            for name, value in attrs.items():
                assert not name.startswith("on"), f"{path}: <{tag} {name}>"
                assert "javascript:" not in value.lower().replace(" ", ""), (
                    f"{path}: <{tag} {name}={value!r}>"
                )
                if name == "style":
                    assert value == "white-space: pre-wrap", path
                if name in ("fill", "stroke"):
                    assert re.fullmatch(r"#[0-9a-f]{6}|none", value), (path, name, value)
            if tag == "a" and "href" in attrs:
                assert re.match(r"(#|\.\./|[\w.\-]+/|[\w.\-]+\.md|https://)", attrs["href"]), attrs["href"]


@pytest.mark.parametrize("extensions", [["tables"], RICH_EXTENSIONS], ids=["plain", "rich"])
def test_hostile_source_text_renders_as_itself(
    texts: dict[str, str], pages: dict[str, str], extensions: list[str]
) -> None:
    block = source_block(render(pages["sources/evil.md"], extensions))
    assert "".join(block.text) == texts["evil"]
    assert "<script>window.__pwned = 1;" in texts["evil"]


def test_hostile_metadata_and_values_render_as_text(pages: dict[str, str]) -> None:
    page_html = render(pages["sources/evil.md"], RICH_EXTENSIONS)
    text = "".join(audit(page_html).text)
    assert "*Hostile* [title](javascript:alert(1))" in text
    assert "{{ outlet }} <img src=x onerror=alert(1)>" in text
    assert "javascript:alert('url')" in text  # shown, not linked
    assert "<b>markets</b>" in text
    model = "".join(audit(render(pages["predicates/model.md"], RICH_EXTENSIONS)).text)
    assert 'model(Alibaba) = "Qwen <script>window.__pwned = 5</script>"' in model
    entities = "".join(audit(render(pages["entities/index.md"], RICH_EXTENSIONS)).text)
    assert '<img src=x onerror="window.__pwned = 4">' in entities


def test_page_titles_hold_no_angle_brackets(pages: dict[str, str]) -> None:
    # Themes pass the title through Jinja's striptags, which unescapes entities.
    for path, page in pages.items():
        if path.endswith(".md"):
            title = html.unescape(page.split("\n", 1)[0])
            assert "<" not in title, path
            assert ">" not in title, path
    assert pages["sources/evil.md"].startswith("# ‹/title›‹script›window.&#95;&#95;pwned = 3‹/script›")


def test_source_url_is_linked_only_for_http() -> None:
    assert site._url("https://example.com/a?b=1").startswith(
        '<a href="https&#58;//example&#46;com/a?b&#61;1"'
    )
    assert site._url("javascript:alert(1)") == "<code>javascript:alert(1)</code>"  # text, not a link
    assert site._url('https://x.com/" onmouseover="alert(1)').startswith("<code>")


# --- other inputs -----------------------------------------------------------------


def test_a_source_without_its_text_gets_a_page_without_it(report: Report, texts: dict[str, str]) -> None:
    partial = {k: t for k, t in texts.items() if k not in ("cnn", "003_de8af479a19a1395")}
    pages = site.build_pages(report, partial)
    assert "Text unavailable" in pages["sources/cnn.md"]
    assert "<mark" not in pages["sources/cnn.md"]
    # Links to it fall back to the citation entries, which still exist.
    assert "(sources/cnn.md#cite-" in pages["index.md"]
    assert "(sources/cnn.md#q-" not in pages["index.md"]
    # The text read for either id of the file is the text of the one source.
    only_stem = {k: t for k, t in texts.items() if k != "cnn"}
    assert "Text unavailable" not in site.build_pages(report, only_stem)["sources/cnn.md"]


def test_spans_outside_a_changed_text_are_not_linked(report: Report, texts: dict[str, str]) -> None:
    short = {k: t for k, t in texts.items() if k != "003_de8af479a19a1395"}
    short["cnn"] = texts["cnn"][:100]  # the file changed since it was verified
    pages = site.build_pages(report, short)
    marks = set(re.findall(r'<mark id="(q-\d+-\d+)"', pages["sources/cnn.md"]))
    linked = set(re.findall(r"sources/cnn\.md#(q-\d+-\d+)", pages["index.md"]))
    assert linked <= marks
    assert "(sources/cnn.md#cite-1-1)" in pages["index.md"]


def test_unsafe_source_ids_get_safe_unique_page_names(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "facts").mkdir()
    for name in ("Weird name (1).txt", "index.txt", "Apple.txt", "apple.md"):
        (tmp_path / "sources" / name).write_text("Huawei trailed behind at 12%.\n", encoding="utf-8")
    (tmp_path / "facts" / "a.fact").write_text(
        'kind K\nentity Huawei: K\npredicate p(k: K) -> Percent\np(Huawei) = 12% @ index "trailed behind at 12%"\n',
        encoding="utf-8",
    )
    (tmp_path / "factlang.toml").write_text('sources = ["sources"]\ncache = false\n', encoding="utf-8")
    config = load_config(tmp_path)
    rep = verify(load_project(config), root=config.root)
    texts, _ = site.read_sources(rep, tmp_path)
    pages = site.build_pages(rep, texts)
    names = [p for p in pages if p.startswith("sources/") and p != "sources/index.md"]
    assert len(names) == 4
    assert len({p.lower() for p in names}) == 4
    assert all(re.fullmatch(r"sources/[A-Za-z0-9_][A-Za-z0-9_.\-]*\.md", p) for p in names)
    index_page = next(p for p in names if p.startswith("sources/index-"))
    assert "(sources/" + index_page.removeprefix("sources/") + "#q-" in pages["index.md"]


def test_an_empty_fact_base_still_has_every_index(tmp_path: Path) -> None:
    (tmp_path / "facts").mkdir()
    (tmp_path / "facts" / "empty.fact").write_text("# nothing yet\n", encoding="utf-8")
    (tmp_path / "factlang.toml").write_text("cache = false\n", encoding="utf-8")
    config = load_config(tmp_path)
    pages = site.build_pages(verify(load_project(config), root=config.root), {})
    assert "All 0 facts hold" in pages["index.md"]
    assert {
        "index.md",
        "conflicts.md",
        "sources/index.md",
        "entities/index.md",
        "predicates/index.md",
    } <= set(pages)


def test_write_pages_writes_pages_and_assets(report: Report, pages: dict[str, str], tmp_path: Path) -> None:
    written = site.write_pages(report, tmp_path / "out")
    files = {p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert files == set(pages)
    assert written == sum(1 for p in pages if p.endswith(".md"))
    assert (tmp_path / "out" / "index.md").read_text(encoding="utf-8") == pages["index.md"]


def test_script_writes_no_html() -> None:
    # The sorting script reads text and never writes markup.
    assert "innerHTML" not in site.JAVASCRIPT
    assert "insertAdjacentHTML" not in site.JAVASCRIPT
    assert "eval(" not in site.JAVASCRIPT
    assert len(site.JAVASCRIPT) < 4000


# --- golden pages -----------------------------------------------------------------

GOLDEN = [
    "index.md",
    "conflicts.md",
    "sources/index.md",
    "entities/index.md",
    "entities/Huawei.md",
    "predicates/index.md",
]


@pytest.mark.parametrize("path", GOLDEN)
def test_golden_page(pages: dict[str, str], path: str) -> None:
    """Set FACTLANG_UPDATE_GOLDEN=1 to rewrite the expected pages after a deliberate change."""
    expected = EXPECTED / path
    if os.environ.get("FACTLANG_UPDATE_GOLDEN"):
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(pages[path], encoding="utf-8", newline="\n")
    assert pages[path] == expected.read_text(encoding="utf-8")


# --- readable Markdown -------------------------------------------------------------

READABLE = [
    "2025-02-13",
    "$14.53 billion",
    "16% of market share",
    "Qwen 2.5-Max",
    "facts/market.fact:41",
    'Apple\'s "iPhone" (Cupertino-based)',
    "share(Huawei, China, 2024) = 16%",
    "003_de8af479a19a1395",
    "a + b = c, 10:30",
]

HOSTILE = [
    "<script>alert(1)</script>",
    "*em* **strong** _under_ __dunder__ `code`",
    "[link](javascript:alert(1)) ![img](x.png)",
    "==mark== ~~del~~ ~sub~ ^sup^ ^^ins^^ ++ctrl+alt++",
    ":smile: :+1: https://example.com www.example.com user@example.com",
    "{{ config.site_name }} {% raw %} {: .attr } {++ins++} {--del--}",
    "(c) (tm) (r) --> <-- a|b \\*x\\*",
    "# heading",
    "$x$ and $y$",
    "&amp; &#60; &lt;",
]


@pytest.mark.parametrize("text", READABLE)
def test_md_leaves_ordinary_punctuation_as_written(text: str) -> None:
    assert html.unescape(site.md(text)) == text
    assert "&#" not in site.md(text).replace("&#39;", "")


@pytest.mark.parametrize("text", READABLE + HOSTILE)
@pytest.mark.parametrize("extensions", [["tables"], RICH_EXTENSIONS], ids=["plain", "rich"])
def test_md_renders_as_itself_and_forms_no_markup(text: str, extensions: list[str]) -> None:
    for where in ("{}", "Fact: {} here", "| a | {} |\n|---|---|\n| x | {} |"):
        page = where.format(site.md(text), site.md(text))
        found = audit(render(page, extensions))
        tags = {tag for tag, _ in found.tags}
        assert tags <= {"p", "table", "thead", "tbody", "tr", "th", "td"}, (text, tags)
        assert text in "".join(found.text), text


# --- scale, links to the repository, the command ---------------------------------


def test_long_lists_are_paginated(
    report: Report, texts: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from factlang.render.site import pages as pages_module

    monkeypatch.setattr(pages_module, "PAGE_SIZE", 3)
    pages = site.build_pages(report, texts)
    # 11 facts: the summary and three more pages of the table.
    assert {"index.md", "all/2.md", "all/3.md", "all/4.md"} <= set(pages)
    assert "all/5.md" not in pages
    assert '<span class="factlang-pager">Page 1 of 4: <strong>1</strong> [2](all/2.md)' in pages["index.md"]
    assert '<a href="all/2.md">2</a>' in render(pages["index.md"])  # a link, not text
    rows = [line for line in pages["all/4.md"].splitlines() if line.startswith("| <span data-value=")]
    assert len(rows) == 2
    # share has 8 facts: three pages; a fact's links go to the page that holds its entry.
    assert {"predicates/share.md", "predicates/share/2.md", "predicates/share/3.md"} <= set(pages)
    n = fact_number(report, "share(Apple, China, 2022) = 20%")  # the eighth share fact
    assert f'<h3 id="fact-{n}"' in pages["predicates/share/3.md"]
    assert f"(predicates/share/3.md#fact-{n})" in pages["index.md"]
    assert "(../predicates/share/3.md#fact-" in pages["sources/cnn.md"]
    assert "<svg " in pages["predicates/share.md"]  # the chart is on the first page only
    assert "<svg " not in pages["predicates/share/2.md"]
    assert "entities/China/2.md" in pages  # 9 facts mention China


def _generated(root: Path, n: int) -> Report:
    """A base of ``n`` sources, entities (two kinds, 40 aliases each) and predicates, and conflicts."""
    (root / "sources").mkdir()
    (root / "facts").mkdir()
    lines = ["kind Company", "kind Region", "entity Region0: Region"]
    for i in range(n):
        (root / "sources" / f"s{i}.txt").write_text(f"Firm{i} held {i % 50 + 1}% of the market.\n", "utf-8")
        aka = ", ".join(f'"Firm {i} Holdings {a}"' for a in range(40))
        lines.append(f"entity Firm{i}: Company aka {aka}")
        lines.append(f"predicate share{i}(company: Company, market: Region) -> Percent")
        quote = f"Firm{i} held {i % 50 + 1}%"
        lines.append(f'share{i}(Firm{i}, Region0) = {i % 50 + 1}% @ s{i} "{quote}"')
        lines.append(f'share{i}(Firm{i}, Region0) = {i % 50 + 2}% @ s{i} "{quote}" contradicts')
    (root / "facts" / "base.fact").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "factlang.toml").write_text('sources = ["sources"]\ncache = false\n', encoding="utf-8")
    config = load_config(root)
    return verify(load_project(config), root=config.root)


INDEXES = {
    "sources": ("sources/index.md", "sources/index/{}.md"),
    "entities": ("entities/index.md", "entities/index/{}.md"),
    "predicates": ("predicates/index.md", "predicates/index/{}.md"),
    "conflicts": ("conflicts.md", "conflicts/{}.md"),
}


def _rows(page: str) -> list[str]:
    """The body rows of every table of a Markdown page (no header rows)."""
    lines = page.splitlines()
    return [
        line
        for line, after in zip(lines, [*lines[1:], ""], strict=True)
        if line.startswith("| ") and not after.startswith("|---")
    ]


def test_index_pages_are_paginated_and_link_to_each_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factlang.render.site import pages as pages_module

    monkeypatch.setattr(pages_module, "PAGE_SIZE", 10)
    report = _generated(tmp_path, 45)
    assert len(report.conflicts) == 45
    pages = site.build_pages(report, dict(report.texts))
    for first, later in INDEXES.values():
        # Page 1 keeps its address; 45 rows, 10 a page: four more pages, each linked from the others.
        names = [first] + [later.format(k) for k in range(2, 6)]
        assert set(names) <= set(pages)
        assert later.format(6) not in pages
        for k, name in enumerate(names, 1):
            page = pages[name]
            assert f"Page {k} of 5: " in page, name
            assert page.count('<span class="factlang-pager">') == 2, name
            linked = {
                _target(posixpath.dirname(name), href, {})[0]
                for href in _links_of(render(page))
                if href.split("#")[0].endswith(".md")
            }
            assert set(names) - {name} <= linked, name
    # Every source and entity is in one row of one page, at most PAGE_SIZE rows a page.
    for section, entries in (("sources", report.base.sources), ("entities", report.base.entities)):
        first, later = INDEXES[section]
        names = [first] + [later.format(k) for k in range(2, 6)]
        rows = [row for name in names for row in _rows(pages[name])]
        assert all(len(_rows(pages[name])) <= 10 for name in names)
        assert len(rows) == len(entries), section
    # A kind that goes on from the page before says so; a row shows 5 aliases and counts the rest.
    assert "## Company (continued)" in pages["entities/index/2.md"]
    assert "Firm 1 Holdings 4 and 35 more" in pages["entities/index.md"]
    # A conflict's badge links to the page that shows it.
    n = fact_number(report, "share44(Firm44, Region0) = 45%")
    assert "(../conflicts/5.md#conflict-45)" in pages["predicates/share44.md"]
    assert f'<h3 id="fact-{n}"' in pages["predicates/share44.md"]
    assert '<h3 id="conflict-45">' in pages["conflicts/5.md"]


def test_html_index_pages_link_to_pages_that_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from factlang.render.site import pages as pages_module

    monkeypatch.setattr(pages_module, "PAGE_SIZE", 10)
    report = _generated(tmp_path, 25)
    for directory_urls in (True, False):
        built = site.build_html_pages(report, dict(report.texts), directory_urls=directory_urls)
        urls = {writer.page_url(p, directory_urls): p for p in built}
        ids = {p: page.anchors() | {""} for p, page in built.items()}
        for first, later in INDEXES.values():
            for name in (first, later.format(2), later.format(3)):
                hrefs = _links_of(html_of(built[name]))
                assert hrefs, name
                for href in hrefs:
                    folder = posixpath.dirname(writer.page_url(name, directory_urls))
                    target, anchor = _target(folder, href, urls)
                    assert (target or name) in built, (name, href)
                    assert anchor in ids[target or name], (name, href)


@pytest.mark.parametrize(
    ("k", "pages", "shown"),
    [
        (1, 4, [1, 2, 3, 4]),
        (1, 100, [1, 2, 3, 4, None, 100]),
        (50, 100, [1, None, 47, 48, 49, 50, 51, 52, 53, None, 100]),
        (5, 9, [1, 2, 3, 4, 5, 6, 7, 8, 9]),  # a single page left out is shown, not "…"
        (100, 100, [1, None, 97, 98, 99, 100]),
    ],
)
def test_a_pager_links_the_ends_and_the_pages_near_the_current_one(
    k: int, pages: int, shown: list[int | None]
) -> None:
    from factlang.render.site.pages import _pager_pages

    assert _pager_pages(k, pages) == shown


def test_no_page_grows_with_the_number_of_sources_entities_and_conflicts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The largest page is as large with 160 sources (and entities, predicates, conflicts) as with 40.

    With 10 rows a page, 40 and 160 give the same pages, only more of them
    (the pagers link the same number of pages); the bound is structural, not
    a matter of speed.
    """
    from factlang.render.site import pages as pages_module

    monkeypatch.setattr(pages_module, "PAGE_SIZE", 10)
    largest = {}
    for n in (40, 160):
        (tmp_path / str(n)).mkdir()
        report = _generated(tmp_path / str(n), n)
        built = site.build_html_pages(report, dict(report.texts))
        sizes = {p: page.size for p, page in built.items()}
        largest[n] = max(sizes.values())
        counts = {"sources": n, "entities": n + 1, "predicates": n, "conflicts": n}  # and Region0
        for section, (first, later) in INDEXES.items():
            index = [p for p in built if p == first or p.startswith(later.split("{")[0])]
            assert len(index) == -(-counts[section] // 10)
        md_pages = site.build_pages(report, dict(report.texts))
        for first, later in INDEXES.values():
            index = [p for p in md_pages if p == first or p.startswith(later.split("{")[0])]
            # At most 10 rows a page (a conflict's own table has a row per fact: 2 each here).
            assert max(len(_rows(md_pages[p])) for p in index) <= 10 * (3 if first == "conflicts.md" else 1)
    # Longer names (Firm123 against Firm12) and page numbers cost a few characters a row.
    assert largest[160] <= largest[40] * 1.1


def test_written_at_links_to_the_line_in_the_repository(report: Report, texts: dict[str, str]) -> None:
    pages = site.build_pages(report, texts, repo_url="https://github.com/o/r/blob/main")
    n = fact_number(report, "share(Huawei, China, 2024) = 16%")
    row = next(line for line in pages["index.md"].splitlines() if f"#fact-{n})" in line)
    assert (
        '<a class="factlang-where" href="https&#58;//github&#46;com/o/r/blob/main/facts/market&#46;fact&#35;L41"'
        in row
    )
    unsafe = site.build_pages(report, texts, repo_url="javascript:alert(1)//")
    assert "javascript" not in unsafe["index.md"]
    assert 'class="factlang-where" href' not in site.build_pages(report, texts)["index.md"]


def test_conflicts_with_two_passing_facts_are_counted(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "facts").mkdir()
    (tmp_path / "sources" / "a.txt").write_text("Acme held 12% of the market.\n", encoding="utf-8")
    (tmp_path / "sources" / "b.txt").write_text("Acme held 13% of the market.\n", encoding="utf-8")
    (tmp_path / "facts" / "a.fact").write_text(
        "kind K\nentity Acme: K\npredicate share(k: K) -> Percent\n"
        'share(Acme) = 12% @ a "Acme held 12%"\nshare(Acme) = 13% @ b "Acme held 13%"\n',
        encoding="utf-8",
    )
    (tmp_path / "factlang.toml").write_text('sources = ["sources"]\ncache = false\n', encoding="utf-8")
    config = load_config(tmp_path)
    rep = verify(load_project(config), root=config.root)
    assert len(rep.conflicts) == 1
    assert not site.conflict_is_explained(rep.conflicts[0], {id(r.fact): r for r in rep.facts})
    pages = site.build_pages(rep, {})
    assert '<p class="admonition-title">1 conflict</p>' in pages["index.md"]
    assert '<span class="factlang-badge factlang-badge--conflict" title="in conflict' in pages["index.md"]


def test_the_site_command_exits_1_when_facts_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from factlang.cli import main

    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        code = main(["site", "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 1
    assert out.startswith("wrote ")
    assert "factlang site: 6 of 11 facts fail, 1 conflict" in err
    summary = (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
    assert " | [share(Huawei, China, 2024)](predicates/share.md#fact-1) | " in summary


def test_a_quote_with_elisions_marks_every_part_on_the_source_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.factlang]\nfacts = ["facts"]\nsources = ["src"]\n')
    (tmp_path / "src").mkdir()
    text = "Acme said on Monday that its revenue, helped by strong demand, rose 5% in March.\n"
    (tmp_path / "src" / "wire.txt").write_text(text)
    (tmp_path / "facts").mkdir()
    (tmp_path / "facts" / "a.fact").write_text(
        "kind Company\nentity Acme: Company\n"
        "predicate revenue_change(company: Company) -> Percent\n"
        'revenue_change(Acme) = +5%\n    @ wire "its revenue … rose 5% in March"\n'
    )
    monkeypatch.chdir(tmp_path)
    config = load_config(tmp_path)
    report = verify(load_project(config), root=config.root)
    (result,) = report.facts
    assert result.verdict == "supported"
    parts = result.citations[0].spans
    assert len(parts) == 2
    page = site.build_pages(report, dict(report.texts))["sources/wire.md"]
    for start, end in parts:
        assert f'id="q-{start}-{end}"' in page  # each part is its own mark


# --- the HTML pages of the MkDocs plugin -------------------------------------------


def _links_of(fragment: str) -> list[str]:
    return [attrs["href"] for tag, attrs in audit(fragment).tags if tag == "a" and "href" in attrs]


def _target(base: str, href: str, known: dict[str, str]) -> tuple[str, str]:
    """The page (by its Markdown path) and anchor a link leads to, from the folder ``base``."""
    if href.startswith(("http:", "https:")):
        return href, ""
    target, _, anchor = href.partition("#")
    if not target:
        return "", anchor
    path = posixpath.normpath(posixpath.join("/", base, target)).lstrip("/")
    return known.get(path, known.get(path + "/", path)), anchor


@pytest.fixture(scope="module")
def html_pages(report: Report, texts: dict[str, str]) -> dict[str, site.HtmlPage]:
    return site.build_html_pages(report, texts)


def html_of(page: site.HtmlPage) -> str:
    """The page as MkDocs shows it: the skeleton rendered, then its blocks put in."""
    return page.inject_late(page.inject(render(page.markdown)))


def test_html_pages_are_the_markdown_pages(
    pages: dict[str, str], html_pages: dict[str, site.HtmlPage]
) -> None:
    assert set(html_pages) == {p for p in pages if p.endswith(".md")}
    urls = {writer.page_url(p): p for p in html_pages} | {p: p for p in html_pages}
    for path, page in html_pages.items():
        from_md, from_html = render(pages[path]), html_of(page)
        a, b = audit(from_md), audit(from_html)
        # The same text, elements with the same ids, links to the same places.
        # (Markdown puts line breaks between block elements, where they show as nothing.)
        assert "".join("".join(a.text).split()) == "".join("".join(b.text).split()), path
        assert [t for t, _ in a.tags] == [t for t, _ in b.tags], path
        assert [x.get("id") for _, x in a.tags] == [x.get("id") for _, x in b.tags], path
        md_targets = [_target(posixpath.dirname(path), h, urls) for h in _links_of(from_md)]
        html_targets = [_target(writer.page_url(path), h, urls) for h in _links_of(from_html)]
        assert [(t or path, x) for t, x in md_targets] == [(t or path, x) for t, x in html_targets], path


def test_an_html_page_is_a_small_skeleton_and_its_blocks(html_pages: dict[str, site.HtmlPage]) -> None:
    page = html_pages["sources/cnn.md"]
    assert page.markdown.startswith("# Apple picks Alibaba to launch AI features in China\n")
    assert "## Text" in page.markdown
    assert "## Citations" in page.markdown
    assert "<mark" not in page.markdown  # the text is a block, not Markdown
    assert len(page.markdown) < 400
    assert any('<mark id="q-' in block for block in page.blocks)
    # The citation entries are put in after the search has read the page.
    assert any('id="cite-' in block for block in page.late)
    assert not any('id="cite-' in block for block in page.blocks)
    assert {"cite-1-1"} <= page.anchors()
    summary = html_pages["index.md"]
    assert not any("<table>" in block for block in summary.blocks)
    assert any("<table>" in block for block in summary.late)


def test_html_links_are_the_urls_mkdocs_gives_the_pages() -> None:
    assert writer.page_url("index.md") == ""
    assert writer.page_url("sources/cnn.md") == "sources/cnn/"
    assert writer.page_url("sources/index.md") == "sources/"
    assert writer.page_url("predicates/share/2.md") == "predicates/share/2/"
    assert writer.page_url("sources/cnn.md", directory_urls=False) == "sources/cnn.html"
    w = writer.HtmlWriter()
    assert w.href("sources/cnn.md", "predicates/share.md", "fact-3") == "../../predicates/share/#fact-3"
    assert w.href("index.md", "sources/cnn.md") == "sources/cnn/"
    assert w.href("all/2.md", "index.md") == "../../"
    assert w.href("sources/cnn.md", "sources/cnn.md", "q-1-2") == "#q-1-2"
    flat = writer.HtmlWriter(directory_urls=False)
    assert flat.href("sources/cnn.md", "index.md") == "../index.html"


def test_a_long_source_continues_on_further_pages(
    report: Report, texts: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from factlang.render.site import pages as pages_module

    monkeypatch.setattr(pages_module, "TEXT_SIZE", 150)
    monkeypatch.setattr(pages_module, "CITATIONS_SIZE", 3)
    text = texts["cnn"]
    assert len(text) > 450
    for built in (site.build_pages(report, texts), site.build_html_pages(report, texts)):
        names = sorted(p for p in built if p == "sources/cnn.md" or p.startswith("sources/cnn/"))
        assert len(names) > 3
        rendered = {}
        for p in names:
            page = built[p]
            rendered[p] = html_of(page) if isinstance(page, site.HtmlPage) else render(page)
        # The parts of the text, in order, are the whole text; each mark is whole on one page.
        blocks = [
            source_block(rendered[p]) for p in sorted(names, key=lambda p: (p != "sources/cnn.md", len(p), p))
        ]
        assert "".join("".join(b.text) for b in blocks) == text
        for b in blocks:
            for span, pieces in b.marks.items():
                start, end = (int(x) for x in span.split("-")[1:])
                assert "".join(pieces) == text[start:end], span
        ids = {p: {a.get("id") for _, a in audit(rendered[p]).tags} for p in names}
        assert (
            sum(1 for p in names for i in ids[p] if i and i.startswith("cite-")) == 7
        )  # every citation once
        assert sum(1 for b in blocks if b.text) >= 3  # at least three parts of the text
        assert all(sum(map(len, b.text)) <= 150 + 100 for b in blocks)  # a part may end after a span
        assert "Page 1 of" in rendered["sources/cnn.md"]
        # Every link into the source's pages (from any page) leads to a page with its anchor.
        is_html = isinstance(built["index.md"], site.HtmlPage)
        urls = {writer.page_url(p): p for p in built if p.endswith(".md")} | {p: p for p in built}
        followed = 0
        for p, page in built.items():
            if not p.endswith(".md"):
                continue
            fragment = html_of(page) if isinstance(page, site.HtmlPage) else render(str(page))
            base = writer.page_url(p) if is_html else posixpath.dirname(p)
            for href in _links_of(fragment):
                target, anchor = _target(base, href, urls)
                target = target or p
                if target in ids and anchor:
                    assert anchor in ids[target], (p, href)
                    followed += 1
        assert followed > 20


def test_pages_made_in_worker_processes_are_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Made in forked workers, every page comes back the same and in the same order."""
    from factlang.render.site import pages as pages_module

    monkeypatch.setattr(pages_module, "PAGE_SIZE", 10)
    report = _generated(tmp_path, 40)
    one = site.build_html_pages(report, dict(report.texts))
    made: list[int] = []
    real = pages_module._made_in_processes

    def counting(*args: Any) -> Any:
        made.append(args[2])
        return real(*args)

    monkeypatch.setattr(pages_module, "_made_in_processes", counting)
    for jobs in (2, 3):
        assert list(site.build_html_pages(report, dict(report.texts), jobs=jobs).items()) == list(one.items())
    assert made == [2, 3]  # really in workers
    # Auto: a site this small is made here, and so is any site while another thread runs.
    assert pages_module._page_workers(0, len(one)) == 1
    if threading.active_count() == 1:  # a test runner's own threads would count
        assert pages_module._page_workers(0, pages_module.PARALLEL_PAGES) == min(
            len(os.sched_getaffinity(0)), 8
        )
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert pages_module._page_workers(0, pages_module.PARALLEL_PAGES) == 1
    finally:
        stop.set()
        other.join()
