"""HTML, PDF and URL sources: extraction, the store, the lock, fetching and re-anchoring (SPEC §2.1)."""

from __future__ import annotations

import builtins
import hashlib
import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from factlang.cli import main
from factlang.sources.anchors import reanchor
from factlang.sources.fetch import FetchError, fetch, is_url
from factlang.sources.formats import MissingExtra, extract, sniff
from factlang.sources.lock import Anchor, Lock, LockEntry, parse_lock, render_lock
from factlang.sources.pdf import extract_pdf
from tests.sourcegen import HEADER, make_pdf

FIXTURES = Path(__file__).parent / "fixtures" / "sources"

# From trafilatura's evaluation data (tests/evaldata.json): text each page's
# article has ("with") and boilerplate it must not have ("without").
NEWS = {
    "salon.com.emissions.html": (
        [
            "The same can’t be",
            "Cleaning up the electrical grid",
        ],  # its "This post originally" trailer is lost
        ["Advertisement:", "Reproduction of material from any"],  # an image's "(Credit: ...)" leaks
    ),
    "threatpost.com.android.html": (
        ["These messages include links to the ransomware", "using novel techniques to exfiltrate data."],
        ["Share this article:", "Write a comment", "Notify me when new comments are added."],
    ),
    "phys.org.tool.html": (
        ["Prior work has turned up", "the North Sea for most of its existence"],
        ["Explore further", "Feedback to editors"],
    ),
    "wikimediafoundation.org.turkey.html": (
        ["19th birthday", "We will keep this statement updated"],
        ["Read further in the pursuit of knowledge", "Stay up-to-date on our work.", "Photo credits"],
    ),
    "nationalgeographic.co.uk.goats.html": (
        ["an imposing piece", "Once the goats and rats", "But they don’t know the work"],
        ["Find More Information", "What it’s like to live"],
    ),
}


# --- formats ------------------------------------------------------------------


def test_the_format_comes_from_the_content_first() -> None:
    assert sniff(b"%PDF-1.7\n...", "notes.txt") == "pdf"
    assert sniff(b"\xef\xbb\xbf<!DOCTYPE html><html>", "page.txt") == "html"
    assert sniff(b"<!-- saved --> <html lang=en>", "x") == "html"
    assert sniff(b"# Notes\n\n<div>inline html in markdown</div>", "notes.md") == "text"
    assert sniff(b"<p>a fragment</p>", "page.html") == "html"
    assert sniff(b"plain", "x", "application/pdf; charset=binary") == "pdf"
    assert sniff(b"Acme rose 5%.", "press.txt") == "text"


def test_urls_are_told_apart_from_paths() -> None:
    assert is_url("https://example.org/a")
    assert is_url("ftp://example.org/a")
    assert not is_url("seeds/a.txt")
    assert not is_url("c:/x")


# --- HTML -----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(NEWS))
def test_real_news_pages_keep_the_article_and_drop_the_boilerplate(name: str) -> None:
    page = extract((FIXTURES / name).read_bytes(), "html")
    present, absent = NEWS[name]
    folded = " ".join(page.text.split())
    for snippet in present:
        assert snippet in folded
    for snippet in absent:
        assert snippet not in folded
    assert "\n\n" in page.text  # paragraphs stay paragraphs
    assert page.metadata["title"]
    assert page.published is not None


def test_page_metadata_comes_from_meta_tags_and_json_ld() -> None:
    html = b"""<html><head><title>Acme sells more</title>
    <meta property="og:site_name" content="Acme Daily">
    <script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2025-02-13T08:00:00Z",
      "author": [{"@type": "Person", "name": "Jane Roe"}]}</script></head>
    <body><nav>Home | World | Business</nav><article><h1>Acme sells more</h1>
    <p>Acme sold 5 million phones in 2024, up 12% from the year before.</p>
    <p>Its rival Globex sold 3 million.</p></article><footer>Share this article</footer></body></html>"""
    page = extract(html, "html")
    assert "Acme sold 5 million phones in 2024, up 12% from the year before." in page.text
    assert "Share this article" not in page.text
    assert page.metadata["author"] == "Jane Roe"
    assert page.metadata["outlet"] == "Acme Daily"
    assert str(page.published) == "2025-02-13"


# --- PDF ------------------------------------------------------------------------


def test_a_generated_two_column_pdf_reads_in_order_with_its_pages(tmp_path: Path) -> None:
    text, pages = extract_pdf(make_pdf(tmp_path / "report.pdf").read_bytes())
    assert len(pages) == 3
    # Columns in reading order, hyphenation undone, ligatures folded, compounds kept.
    assert "revenue rose 12% in 2024, a significant result for the firm." in text
    assert text.index("significant result") < text.index("Globex said") < text.index("Initech")
    assert "lowest level in a decade, while its flagship store closed." in text
    assert "a total of 41,000 employees worldwide." in text
    assert "state-of-the-art laboratory cost $185.1 million" in text
    assert "\ufb01" not in text
    assert "\ufb02" not in text
    # The running header and the page footer are gone, not glued into sentences.
    assert HEADER not in text
    assert "Page 2 of 3" not in text
    assert text.index("Initech") >= pages[1] > text.index("flagship")
    assert text.index("Hooli") >= pages[2]


def test_a_latex_paper_from_another_producer() -> None:
    # pdfminer.six's samples/nonfree/naacl06-shinyama.pdf (LaTeX, two columns, Type 1 fonts).
    text, pages = extract_pdf((FIXTURES / "naacl06-shinyama.pdf").read_bytes())
    assert len(pages) == 8
    assert "Existing IE systems require a lot of time and human effort to tune for a new scenario." in text
    assert "without human intervention." in text
    assert "columns are filled with a name of a person or company, according to its role" in text


def test_running_headers_of_a_government_report_are_dropped() -> None:
    # pdfminer.six's samples/nonfree/dmca.pdf (U.S. Copyright Office, 18 pages).
    text, pages = extract_pdf((FIXTURES / "dmca.pdf").read_bytes())
    assert len(pages) == 18
    assert "Copyright Office Summary December 1998 Page" not in text
    assert "The Digital Millennium Copyright Act of 1998 TITLE" not in text  # page 2's running header
    # The title page's own title stays; the footnote mark "1" does not split the sentence.
    assert "THE DIGITAL MILLENNIUM COPYRIGHT ACT OF 1998" in text
    assert "was signed into law by President Clinton on October 28, 1998." in text


def test_a_libreoffice_pdf() -> None:
    text, pages = extract_pdf((FIXTURES / "libreoffice-base.pdf").read_bytes())
    assert text == "Secret!"
    assert pages == (0,)


def test_damaged_pdfs_are_an_error_not_a_traceback(tmp_path: Path) -> None:
    from factlang.sources.formats import ExtractError

    with pytest.raises(ExtractError, match="cannot be read as PDF"):
        extract_pdf(b"%PDF-1.4\nnot really a pdf")


# --- the lock and anchors ---------------------------------------------------------


def test_the_lock_round_trips_in_a_stable_order() -> None:
    tricky = 'a "quote" with \\ and \x7f and\nnewline'
    anchor = Anchor.at(tricky, "before " + tricky + " after", 7, 7 + len(tricky))
    entry = LockEntry(
        "ab" * 32,
        "html",
        "trafilatura 2/1",
        "cd" * 32,
        url="https://x.org/a",
        anchors={tricky: anchor},
        anchored="cd" * 32,
    )
    lock = Lock({"z": entry, "003.a-b": LockEntry("ef" * 32, "text", "utf-8/1", "01" * 32, path="s/a.txt")})
    text = render_lock(lock)
    assert text.index('[sources."003.a-b"]') < text.index('[sources."z"]')
    assert parse_lock(text) == lock
    assert render_lock(parse_lock(text)) == text


TEXT = "Intro. Acme said revenue rose 12% in 2024, beating forecasts. Outro."
QUOTE = "revenue rose 12% in 2024"


def _anchor() -> Anchor:
    start = TEXT.index(QUOTE)
    return Anchor.at(QUOTE, TEXT, start, start + len(QUOTE))


def test_a_quote_found_again_with_its_context_moved() -> None:
    new = "A new first paragraph.\n\n" + TEXT
    at = new.index(QUOTE)
    out = reanchor(_anchor(), new, (at, at + len(QUOTE)))
    assert out.outcome == "moved"
    assert out.start == at
    assert reanchor(_anchor(), TEXT, (TEXT.index(QUOTE), TEXT.index(QUOTE) + len(QUOTE))).outcome == "same"


def test_a_look_alike_whose_context_disagrees_is_changed_not_accepted() -> None:
    new = "Globex: revenue rose 12% in 2024, it said. " + TEXT
    look_alike = new.index(QUOTE)
    out = reanchor(_anchor(), new, (look_alike, look_alike + len(QUOTE)))
    assert out.outcome == "changed"
    assert "locked passage" in (out.message or "")
    # With the anchored passage gone entirely, the context change is shown.
    only = "Globex: revenue rose 12% in 2024, it said."
    out = reanchor(_anchor(), only, (only.index(QUOTE), only.index(QUOTE) + len(QUOTE)))
    assert out.outcome == "changed"
    assert "context changed" in (out.message or "")


def test_new_wording_is_changed_and_a_vanished_quote_is_gone() -> None:
    new = TEXT.replace("rose 12%", "rose 12 %")
    at = new.index("revenue")
    out = reanchor(_anchor(), new, (at, at + len(QUOTE) + 1))
    assert out.outcome == "changed"
    assert "«revenue rose 12 % in 2024»" in (out.message or "")
    gone = reanchor(_anchor(), "Nothing here.", None)
    assert gone.outcome == "gone"
    assert "the source changed since it was locked" in (gone.message or "")


# --- a real HTTP server on the loopback interface ---------------------------------

ARTICLE = (
    "<!doctype html><html><head><title>Acme results</title>"
    '<meta property="article:published_time" content="2025-02-13"></head><body>'
    "<nav>Home | Markets | Share on X</nav><article><h1>Acme results</h1>"
    "<p>Intro paragraph about the company and its markets.</p>"
    "<p>Acme said revenue rose 12% in 2024, beating forecasts.</p>"
    "<p>Its shares closed at $14.53 on Monday.</p></article>"
    "<footer>Subscribe to our newsletter</footer></body></html>"
)


class _Handler(http.server.BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, tuple[int, str, bytes]]] = {}

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
            return
        if self.path == "/ftp-redirect":
            self.send_response(301)
            self.send_header("Location", "ftp://127.0.0.1/x")
            self.end_headers()
            return
        status, kind, body = self.pages.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    _Handler.pages = {
        "/article": (200, "text/html; charset=utf-8", ARTICLE.encode()),
        "/report.pdf": (200, "application/octet-stream", make_pdf(tmp_path / "served.pdf").read_bytes()),
        "/slow": (200, "text/plain", b"late"),
        "/big": (200, "text/plain", b"x" * 200_000),
    }
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_fetch_records_redirects_and_sniffs_the_type(server: str) -> None:
    got = fetch(f"{server}/redirect")
    assert got.redirects == (f"{server}/article",)
    assert got.final_url == f"{server}/article"
    assert got.media_type == "text/html"
    pdf = fetch(f"{server}/report.pdf")
    assert sniff(pdf.data, "report", pdf.media_type) == "pdf"  # by content, not the server's octet-stream


@pytest.mark.parametrize(
    ("path", "kwargs", "message"),
    [
        ("/missing", {}, "the server answered 404"),
        ("/slow", {"timeout": 0.3}, "timed out"),
        ("/big", {"max_bytes": 1000}, "the limit is 1000"),
        ("/ftp-redirect", {}, "not an http or https URL"),
    ],
)
def test_each_fetch_failure_has_a_clear_message(server: str, path: str, kwargs: Any, message: str) -> None:
    with pytest.raises(FetchError, match=message):
        fetch(server + path, **kwargs)


def test_fetch_refuses_other_schemes_and_closed_ports() -> None:
    with pytest.raises(FetchError, match="not an http or https URL"):
        fetch("file:///etc/passwd")
    with pytest.raises(FetchError, match="cannot connect"):
        fetch("http://127.0.0.1:9/", timeout=2)


# --- end to end: a project citing an HTML page, a PDF and a URL ----------------------

FACTS = """\
kind Company
entity Acme: Company
entity Initech: Company
predicate revenue_change(company: Company, year: Year) -> Percent
predicate workforce(company: Company, year: Year) -> Number
source page = "sources/page.html"
source report = "sources/report.pdf"
source web = "{url}"

revenue_change(Acme, 2024) = +12%
    @ page "Acme said revenue rose 12% in 2024"
    @ web "Acme said revenue rose 12% in 2024"

workforce(Initech, 2024) = 41,000
    @ report "to a total of 41,000 employees worldwide"
"""


def _project(root: Path, url: str) -> Path:
    (root / "facts").mkdir(parents=True)
    (root / "sources").mkdir()
    (root / "pyproject.toml").write_text("[tool.factlang]\nfacts = ['facts']\n", encoding="utf-8")
    (root / "facts" / "main.fact").write_text(FACTS.replace("{url}", url), encoding="utf-8")
    (root / "sources" / "page.html").write_text(ARTICLE, encoding="utf-8")
    make_pdf(root / "sources" / "report.pdf")
    return root


def _run(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.chdir(root)
    return main(list(args))


def _json(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_a_project_with_html_pdf_and_a_url_checks_after_lock(
    tmp_path: Path, server: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path / "p", f"{server}/redirect")
    # Before the lock: a positioned error that says what to do; no network.
    assert _run(root, monkeypatch, "check") == 2
    err = capsys.readouterr().err
    assert "facts/main.fact:8:1: error: URL source 'web' is not in factlang.lock" in err
    assert "run `factlang lock`" in err

    assert _run(root, monkeypatch, "lock") == 0
    out = capsys.readouterr().out
    assert "fetched web:" in out
    assert "wrote factlang.lock: 3 sources, 3 anchors" in out
    lock = (root / "factlang.lock").read_text(encoding="utf-8")
    assert f'redirects = ["{server}/article"]' in lock
    assert 'quote = "to a total of 41,000 employees worldwide"' in lock
    assert list((root / ".factlang" / "sources").glob("*.json"))  # extracted texts beside the bytes

    assert _run(root, monkeypatch, "check", "--format", "json") == 0
    data = _json(capsys)
    by_source = {c["source"]: c for f in data["facts"] for c in f["citations"]}
    assert by_source["report"]["page"] == 2
    assert by_source["page"]["page"] is None
    assert by_source["web"]["retrieved"] is not None
    web_bytes = _Handler.pages["/article"][2]
    assert by_source["web"]["source_sha256"] == hashlib.sha256(web_bytes).hexdigest()
    assert data["sources"]["web"]["final_url"] == f"{server}/article"
    assert data["sources"]["page"]["format"] == "html"
    assert data["sources"]["report"]["pages"] == 3
    starts = data["sources"]["report"]["page_starts"]
    assert starts[0] == 0
    assert starts[1] <= by_source["report"]["span"][0] < starts[2]

    # The text output shows the page too.
    assert _run(root, monkeypatch, "check", "-v") == 0
    assert "@ report: supported (p. 2)" in capsys.readouterr().out

    # Locking again changes nothing.
    before = (root / "factlang.lock").read_bytes()
    assert _run(root, monkeypatch, "lock") == 0
    assert "unchanged factlang.lock" in capsys.readouterr().out
    assert (root / "factlang.lock").read_bytes() == before


def test_a_changed_source_is_re_anchored(
    tmp_path: Path, server: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path / "p", f"{server}/article")
    assert _run(root, monkeypatch, "lock") == 0
    capsys.readouterr()

    # The page moves the quote down; the local HTML page loses it.
    moved = ARTICLE.replace("<p>Intro", "<p>A new first paragraph was added above the others.</p><p>Intro")
    _Handler.pages["/article"] = (200, "text/html", moved.encode())
    gone = ARTICLE.replace("Acme said revenue rose 12% in 2024, beating forecasts.", "Acme had a quiet year.")
    (root / "sources" / "page.html").write_text(gone, encoding="utf-8")
    assert _run(root, monkeypatch, "lock", "--update", "web") == 1  # a citation fails: anchors are kept
    out = capsys.readouterr().out
    assert "changed web:" in out
    assert "anchors kept" in out
    assert "@web: the source changed since it was locked: the quote moved from offset" in out
    assert "@page: the source changed since it was locked: the quote is no longer found" in out

    assert _run(root, monkeypatch, "check", "--format", "json") == 0  # one citation still supports the fact
    data = _json(capsys)
    cites = {c["source"]: c for f in data["facts"] for c in f["citations"]}
    assert any("the quote moved from offset" in w for w in cites["web"]["warnings"])
    assert cites["page"]["verdict"] == "not-found"
    assert any("the source changed since it was locked" in m for m in cites["page"]["messages"])
    assert "changed since it was locked" in data["sources"]["page"]["changed"]
    assert "fetched again" in data["sources"]["web"]["changed"]


def test_a_sha256_pin_that_no_longer_matches_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "p"
    (root / "facts").mkdir(parents=True)
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    (root / "a.txt").write_text("Acme said revenue rose 12% in 2024.\n", encoding="utf-8")
    pin = "0" * 64
    (root / "facts" / "m.fact").write_text(
        "kind C\nentity Acme: C\npredicate r(c: C, y: Year) -> Percent\n"
        f'source a = "a.txt" {{ sha256: "{pin}" }}\n'
        'r(Acme, 2024) = +12% @ a "revenue rose 12% in 2024"\n',
        encoding="utf-8",
    )
    assert _run(root, monkeypatch, "check") == 0
    assert (
        "source 'a': changed: its bytes do not match the pinned sha256 000000000000"
        in capsys.readouterr().out
    )
    (root / "facts" / "m.fact").write_text(
        'kind C\nsource a = "a.txt" { sha256: "abc" }\nsource b = "ftp://x.org/a"\n', encoding="utf-8"
    )
    assert _run(root, monkeypatch, "check") == 2
    err = capsys.readouterr().err
    assert 'sha256 pin "abc" is not 64 hex digits' in err
    assert "source URL 'ftp://x.org/a' is not http or https" in err


def test_a_missing_extra_is_a_positioned_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path / "p", "https://example.org/never-fetched")
    (root / "facts" / "main.fact").write_text(
        FACTS.replace('source web = "{url}"\n', "").replace(
            '    @ web "Acme said revenue rose 12% in 2024"\n', ""
        ),
        encoding="utf-8",
    )
    real_import = builtins.__import__

    def no_extras(name: str, *args: Any, **kwargs: Any) -> Any:
        if name in ("trafilatura", "pypdfium2"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_extras)
    with pytest.raises(MissingExtra, match=r"pip install 'factlang\[pdf\]'"):
        extract(b"%PDF-1.4", "pdf")
    assert _run(root, monkeypatch, "check", "--no-cache") == 2
    err = capsys.readouterr().err
    assert (
        "facts/main.fact:6:1: error: source 'page' (sources/page.html) reading HTML sources needs the 'html' extra"
        in err
    )
    assert "pip install 'factlang[html]'" in err
    assert (
        "facts/main.fact:7:1: error: source 'report' (sources/report.pdf) reading PDF sources needs the 'pdf' extra"
        in err
    )


def test_a_damaged_lock_is_a_positioned_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path / "p", "https://example.org/a")
    (root / "factlang.lock").write_text("version = 1\n[sources\n", encoding="utf-8")
    assert _run(root, monkeypatch, "check") == 2
    assert "factlang.lock: error: factlang.lock is not valid TOML" in capsys.readouterr().err
    (root / "factlang.lock").write_text("version = 99\n", encoding="utf-8")
    assert _run(root, monkeypatch, "lock") == 2
    assert "has version 99" in capsys.readouterr().err


def test_lock_reports_each_fetch_failure_at_its_declaration(
    tmp_path: Path, server: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path / "p", f"{server}/gone")
    assert _run(root, monkeypatch, "lock") == 2
    err = capsys.readouterr().err
    assert (
        f"facts/main.fact:8:1: error: cannot lock source 'web' ({server}/gone): the server answered 404"
        in err
    )
    assert 'source web = "' in err  # the declaration's line, with a caret
    assert _run(root, monkeypatch, "lock", "nosuch") == 2
    assert "no source named 'nosuch'" in capsys.readouterr().err


def test_a_new_extractor_version_is_a_source_change_not_shifted_spans(
    tmp_path: Path, server: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path / "p", f"{server}/article")
    assert _run(root, monkeypatch, "lock") == 0
    assert _run(root, monkeypatch, "check", "--format", "json") == 0  # recorded by the run cache
    capsys.readouterr()
    lock = (root / "factlang.lock").read_text(encoding="utf-8")
    # As if the page had been extracted by an older trafilatura, to a text with one more paragraph.
    entry = parse_lock(lock).sources["page"]
    old_text = "An older extractor kept this line.\n\n" + extract(ARTICLE.encode(), "html").text
    anchors = {
        q: Anchor(q, a.start + 36, a.end + 36, a.exact, a.prefix, a.suffix) for q, a in entry.anchors.items()
    }
    old = hashlib.sha256(old_text.encode()).hexdigest()
    entry = LockEntry(
        entry.sha256, "html", "trafilatura 0.1/1", old, path=entry.path, anchors=anchors, anchored=old
    )
    (root / "factlang.lock").write_text(
        render_lock(Lock({**parse_lock(lock).sources, "page": entry})), encoding="utf-8"
    )
    assert _run(root, monkeypatch, "check", "--format", "json") == 0
    data = _json(capsys)
    assert "the extractor changed (trafilatura 0.1/1 -> trafilatura" in data["sources"]["page"]["changed"]
    page = next(c for f in data["facts"] for c in f["citations"] if c["source"] == "page")
    assert any("moved from offset" in w for w in page["warnings"])


def test_a_page_without_main_text_is_an_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path / "p", "https://example.org/a")
    (root / "sources" / "page.html").write_text("<!doctype html><html><body></body></html>", encoding="utf-8")
    (root / "sources" / "report.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    monkeypatch.chdir(root)
    from factlang.config import load_config
    from factlang.diagnostics import LoadError
    from factlang.loader import load_project
    from factlang.verify import verify

    base = load_project(load_config())
    with pytest.raises(LoadError) as info:
        verify(base, root=root)
    text = str(info.value)
    assert "source 'page' (sources/page.html) is an HTML page without main text" in text
    assert "source 'report' (sources/report.pdf) cannot be read as PDF" in text
    assert "URL source 'web' is not in factlang.lock" in text
    codes = sorted(d.code for d in info.value.diagnostics)
    assert codes == ["FL140", "FL142", "FL142"]


def test_the_store_never_leaves_the_project(tmp_path: Path) -> None:
    from factlang.sources.store import Store

    root = tmp_path / "p"
    root.mkdir()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / ".factlang").symlink_to(outside)
    store = Store(root)
    with pytest.raises(OSError, match="outside the project root"):
        store.put_bytes(b"data", "text")
    assert not list(outside.rglob("*"))


def test_explanations_show_the_page() -> None:
    from factlang.model import Citation
    from factlang.render.explain import citation_lines
    from factlang.report import CitationResult

    result = CitationResult(Citation("report", "a quote"), "supported", span=(10, 17), page=3)
    assert citation_lines(result)[0].endswith("@ report: supported (p. 3)")
    assert citation_lines(result, detail=True)[0] == "  @ report: supported (p. 3)"


def test_the_run_cache_never_replays_over_a_changed_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "p"
    (root / "facts").mkdir(parents=True)
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    (root / "a.txt").write_text("Intro. Acme said revenue rose 12% in 2024.\n", encoding="utf-8")
    (root / "facts" / "m.fact").write_text(
        'kind C\nentity Acme: C\npredicate r(c: C, y: Year) -> Percent\nsource a = "a.txt"\n'
        'r(Acme, 2024) = +12% @ a "Acme said revenue rose 12% in 2024"\n',
        encoding="utf-8",
    )
    assert _run(root, monkeypatch, "lock") == 0
    assert _run(root, monkeypatch, "check") == 0
    assert _run(root, monkeypatch, "check") == 0  # replayed
    capsys.readouterr()
    lock = parse_lock((root / "factlang.lock").read_text(encoding="utf-8"))
    entry = lock.sources["a"]
    anchors = {
        q: Anchor(q, a.start + 5, a.end + 5, a.exact, a.prefix, a.suffix) for q, a in entry.anchors.items()
    }
    stale = LockEntry(
        entry.sha256,
        entry.format,
        entry.extractor,
        entry.text_sha256,
        path="a.txt",
        anchors=anchors,
        anchored="0" * 64,
    )
    (root / "factlang.lock").write_text(render_lock(Lock({"a": stale})), encoding="utf-8")
    assert _run(root, monkeypatch, "check") == 0
    assert "the quote moved from offset 12 to 7" in capsys.readouterr().out
