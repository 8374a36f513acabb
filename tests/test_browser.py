"""The built site in a real browser: layout at phone and desktop widths, links to spans, search,
the table script, and hostile sources.

Screenshots of every page checked for layout are saved under ``.artifacts/screenshots/``
(gitignored; CI keeps them as artifacts).

Headless Chromium from the system (/usr/bin/chromium), driven by Playwright's
Python package; never a downloaded browser. The site of the fixture project
is built with MkDocs and served on 127.0.0.1; every other request is refused.
Skipped, with the reason, where Chromium or Playwright is missing.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# CI sets FACTLANG_REQUIRE_BROWSER=1: there a missing browser is a failure, not a skip.
REQUIRED = os.environ.get("FACTLANG_REQUIRE_BROWSER") == "1"
if REQUIRED:
    assert CHROMIUM.exists(), f"FACTLANG_REQUIRE_BROWSER=1 but there is no Chromium at {CHROMIUM}"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (CI installs it: apt-get install chromium)"
    ),
]

if REQUIRED:
    import playwright.sync_api as sync_api
else:
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="the playwright package is missing or broken (pip install playwright; no browser download)",
        exc_type=ImportError,
    )

PROJECT = Path(__file__).parent / "fixtures" / "site" / "project"
SCREENSHOTS = Path(__file__).resolve().parent.parent / ".artifacts" / "screenshots"
MKDOCS_YML = """\
site_name: Fixture
repo_url: https://github.com/example/fixture
edit_uri: edit/main/docs/
nav:
  - Home: index.md
  - Fact base:
      - facts/index.md
      - facts/conflicts.md
      - facts/sources/index.md
      - facts/entities/index.md
      - facts/predicates/index.md
theme:
  name: material
  font: false
plugins:
  - search
  - factlang:
      failures: info
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - toc
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The browser drops connections it no longer needs; that is not a failure.
        return


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    root = tmp_path_factory.mktemp("browser") / "project"
    shutil.copytree(PROJECT, root)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n\nThe [fact base](facts/index.md).\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "not included in" not in result.stderr  # the generated pages are not nav noise
    return root / "site"


@pytest.fixture(scope="module")
def base_url(site_dir: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Watch:
    """What a page did that it must not: dialogs, script errors."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context()
    local = re.compile(re.escape(base_url) + r"(/|$)")

    def only_local(route: Any) -> None:
        if local.match(route.request.url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_local)
    watch = Watch()
    pg = context.new_page()

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    pg.on("pageerror", lambda err: watch.errors.append(str(err)))
    try:
        yield pg, watch
    finally:
        context.close()


def test_follow_a_fact_to_its_highlighted_span(page: tuple[Any, Watch], base_url: str) -> None:
    pg, watch = page
    pg.goto(f"{base_url}/facts/")
    row = pg.locator("tr", has_text="share(Huawei, China, 2024)")
    row.get_by_role("link", name="@cnn").click()
    pg.wait_for_url(re.compile(r"/facts/sources/cnn/#q-\d+-\d+$"))
    target = pg.locator(":target")
    assert target.evaluate("el => el.tagName") == "MARK"
    assert target.inner_text() == "Huawei, posted a market share of 16% in China"
    assert target.is_visible()
    assert pg.url.endswith("#" + target.get_attribute("id"))
    assert not watch.errors


def test_a_span_leads_to_its_citations_and_on_to_the_fact(page: tuple[Any, Watch], base_url: str) -> None:
    pg, watch = page
    pg.goto(f"{base_url}/facts/sources/cnn/")
    mark = pg.locator("mark", has_text="Huawei trailed behind at 12%")
    refs = pg.locator(f"mark#{mark.get_attribute('id')} + sup a")
    assert refs.count() == 2  # cited by the 12% fact and the 13% fact
    refs.nth(1).click()
    cite = pg.locator(":target")
    assert (cite.get_attribute("id") or "").startswith("cite-")
    claim = pg.locator(f"#{cite.get_attribute('id')} + a")
    assert claim.inner_text() == "share(Huawei, China, 2023) = 13%"
    claim.click()
    pg.wait_for_url(re.compile(r"/facts/predicates/share/#fact-\d+$"))
    fact = pg.locator(":target")
    assert (fact.get_attribute("id") or "").startswith("fact-")
    # The entry reads as the template's sentence, with the key beside it.
    assert fact.inner_text().startswith("Huawei's smartphone market share in China in 2023")
    key = pg.locator(f"xpath=//h3[@id='{fact.get_attribute('id')}']/following-sibling::p[1]/code")
    assert key.inner_text() == "share(Huawei, China, 2023) = 13%"
    # ... and from the fact back to the span it cites.
    citations = pg.locator(f"xpath=//h3[@id='{fact.get_attribute('id')}']/following-sibling::ul[1]")
    citations.get_by_role("link", name="@cnn").click()
    pg.wait_for_url(re.compile(r"/facts/sources/cnn/#q-\d+-\d+$"))
    assert pg.locator(":target").inner_text() == "Huawei trailed behind at 12%"
    assert not watch.errors


def test_hostile_sources_run_nothing(page: tuple[Any, Watch], base_url: str, site_dir: Path) -> None:
    pg, watch = page
    pages = sorted(
        p.relative_to(site_dir).parent.as_posix() for p in (site_dir / "facts").rglob("index.html")
    )
    assert "facts/sources/evil" in pages
    for path in pages:
        pg.goto(f"{base_url}/{path}/")
        found = pg.evaluate(
            """() => ({
                pwned: window.__pwned === undefined ? null : String(window.__pwned),
                handlers: Array.from(document.querySelectorAll('*')).filter(
                    el => Array.from(el.attributes).some(a => a.name.startsWith('on'))).length,
                dangerous: document.querySelectorAll(
                    'main iframe, main img, main object, main embed, main style, main b, main i').length,
                jsLinks: Array.from(document.querySelectorAll('[href], [src]')).filter(
                    el => /^\\s*javascript:/i.test(el.getAttribute('href') || el.getAttribute('src') || '')).length,
                scripts: Array.from(document.scripts).filter(s => !s.src).map(s => s.textContent)
                    .filter(t => t.includes('pwned')).length,
            })"""
        )
        assert found == {"pwned": None, "handlers": 0, "dangerous": 0, "jsLinks": 0, "scripts": 0}, path
    assert watch.dialogs == []
    assert watch.errors == []


def test_hostile_text_is_shown_as_written(page: tuple[Any, Watch], base_url: str) -> None:
    pg, _ = page
    pg.goto(f"{base_url}/facts/sources/evil/")
    assert pg.title().startswith("‹/title›‹script›window.__pwned = 3‹/script› *Hostile*")
    text = pg.locator(".factlang-source").inner_text()
    assert (
        'Breaking <script>window.__pwned = 1; alert("script")</script> news about *Huawei* and _Apple_.'
        in text
    )
    assert "Read [more](javascript:alert('link'))" in text
    assert "Template {{ config.site_name }} and {% raw %}" in text
    url = pg.locator("dd", has_text="javascript:alert('url')")
    assert url.count() == 1
    assert url.locator("a").count() == 0


def test_the_fact_table_filters_and_sorts(page: tuple[Any, Watch], base_url: str) -> None:
    pg, watch = page
    pg.goto(f"{base_url}/facts/")
    table = pg.locator("table[data-factlang-sortable]")
    rows = table.locator("tbody tr")
    assert rows.count() == 11
    pg.get_by_role("searchbox", name="Filter the table").fill("huawei 2023")
    visible = [r for r in rows.all() if r.is_visible()]
    assert len(visible) == 2
    assert all("Huawei, China, 2023" in r.inner_text() for r in visible)
    pg.get_by_role("searchbox", name="Filter the table").fill("")
    header = table.locator("th", has_text="Value")
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    values = table.locator("tbody tr td:nth-child(3) [data-value]").evaluate_all(
        "els => els.map(e => parseFloat(e.getAttribute('data-value')))"
    )
    assert values == sorted(values)
    assert values[0] == -11
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    first = table.locator("tbody tr").first.locator("td").nth(2).inner_text()
    assert first == "= 20%"  # the largest stated value
    assert watch.errors == []


def test_tables_work_without_the_script(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        pg = context.new_page()
        pg.goto(f"{base_url}/facts/")
        assert pg.locator("table tbody tr").filter(has_text="share(").count() == 8
        assert pg.locator("input[type=search]").count() <= 1  # only the theme's own search box
    finally:
        context.close()


# --- layout at a phone's and a desktop's width ----------------------------------------

WIDTHS = {"phone": 390, "desktop": 1280}
LAYOUT_PAGES = {
    "summary": "facts/",
    "source": "facts/sources/cnn/",
    "entity": "facts/entities/Huawei/",
    "predicate-chart": "facts/predicates/share/",
    "bar-chart": "facts/predicates/revenue_change/",
    "conflicts": "facts/conflicts/",
}


@pytest.fixture
def sized(browser: Any, base_url: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    width = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": 844 if width < 600 else 900})
    local = re.compile(re.escape(base_url) + r"(/|$)")
    context.route(
        "**/*", lambda route: route.continue_() if local.match(route.request.url) else route.abort()
    )
    try:
        yield context.new_page(), request.param
    finally:
        context.close()


@pytest.mark.parametrize("sized", list(WIDTHS), indirect=True)
@pytest.mark.parametrize("name", list(LAYOUT_PAGES))
def test_no_page_overflows_sideways(sized: Any, base_url: str, name: str) -> None:
    pg, width = sized
    pg.goto(f"{base_url}/{LAYOUT_PAGES[name]}")
    pg.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    scroll, inner = pg.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{name} at {width}: the page is {scroll} px wide in a {inner} px window"


@pytest.mark.parametrize("sized", list(WIDTHS), indirect=True)
@pytest.mark.parametrize("path", ["facts/predicates/share/", "facts/predicates/revenue_change/"])
def test_chart_text_is_at_least_11_px(sized: Any, base_url: str, path: str) -> None:
    pg, _ = sized
    pg.goto(f"{base_url}/{path}")
    sizes = pg.evaluate(
        """() => Array.from(document.querySelectorAll('.factlang-chart > svg text')).map(t => {
            const m = t.ownerSVGElement.getScreenCTM();
            return parseFloat(getComputedStyle(t).fontSize) * m.a;
        })"""
    )
    assert sizes
    assert min(sizes) >= 11, sizes
    # The legend (HTML) is as legible.
    legend = pg.evaluate(
        "() => Array.from(document.querySelectorAll('.factlang-chart .factlang-legend li'))"
        ".map(li => parseFloat(getComputedStyle(li).fontSize))"
    )
    assert legend
    assert min(legend) >= 11


@pytest.mark.parametrize("sized", ["phone"], indirect=True)
def test_a_citation_scrolls_to_its_span_and_the_back_link_returns(sized: Any, base_url: str) -> None:
    pg, _ = sized
    pg.goto(f"{base_url}/facts/")
    row = pg.locator("tr", has_text="share(Apple, China, 2023)")
    link = row.get_by_role("link", name="@cnn")
    link.scroll_into_view_if_needed()
    link.click()
    pg.wait_for_url(re.compile(r"/facts/sources/cnn/#q-\d+-\d+$"))
    mark = pg.locator(":target")
    assert mark.evaluate("el => el.tagName") == "MARK"

    def on_screen(locator: Any) -> bool:
        return bool(
            locator.evaluate(
                "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }"
            )
        )

    pg.wait_for_function(
        "() => { const r = document.querySelector(':target').getBoundingClientRect(); "
        "return r.top >= 0 && r.top < innerHeight; }"
    )
    assert on_screen(mark)
    assert mark.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"  # highlighted as the target
    span = mark.get_attribute("id")
    # The span's reference leads to the citation's entry, whose back-link returns to the span.
    pg.locator(f"mark#{span} + sup a").first.click()
    entry = pg.locator(":target")
    assert (entry.get_attribute("id") or "").startswith("cite-")
    back = pg.locator(f"xpath=//a[@id='{entry.get_attribute('id')}']/following-sibling::a[@href='#{span}']")
    back.click()
    pg.wait_for_url(re.compile(rf"#{span}$"))
    pg.wait_for_function(
        "() => { const r = document.querySelector(':target').getBoundingClientRect(); "
        "return r.top >= 0 && r.top < innerHeight; }"
    )
    assert on_screen(pg.locator(f"mark#{span}"))
    # And the browser's back button returns to the summary.
    pg.go_back()
    pg.go_back()
    pg.go_back()
    pg.wait_for_url(re.compile(r"/facts/$"))


@pytest.mark.parametrize("sized", ["desktop"], indirect=True)
def test_searching_an_entity_lists_its_facts(sized: Any, base_url: str) -> None:
    pg, width = sized
    pg.goto(f"{base_url}/facts/")
    pg.locator("label.md-search__icon, .md-search__input").first.click()
    pg.locator("input.md-search__input").press_sequentially("Vivo", delay=30)  # the theme listens to keys
    results = pg.locator("a.md-search-result__link")
    results.first.wait_for(timeout=30_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / f"search-{width}.png"))
    hrefs = results.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    texts = " ".join(results.all_inner_texts())
    # The fact's own entry (its sentence heading) is a result, with its verdict.
    assert any(re.search(r"predicates/share/#fact-\d+$", h or "") for h in hrefs), hrefs
    assert "Vivo's smartphone market share in China in 2024" in texts
