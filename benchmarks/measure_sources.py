"""Extraction quality on real sources: which extractor factlang uses, and why.

HTML: trafilatura (factlang's choice) against readability-lxml on the news
pages in ``tests/fixtures/sources/``. Per page: how many of trafilatura's
evaluation snippets of boilerplate ("without") leaked into the text, how
many snippets of the article ("with") it kept, and how many sentences that
state a number survived intact (of those either extractor found).

PDF: factlang's pipeline on pypdfium2 against pdfminer.six's
``extract_text`` and pypdfium2's bare text, on the real PDFs there and a
generated two-column report. Per file: pages, line-end hyphen fragments
left, ligature characters left, running-header lines glued into the text,
reading order (generated file), sentences with a number intact (of those
at least two of the three give, or the known sentences of the generated
file), and time.

Run: ``python benchmarks/measure_sources.py`` (needs ``factlang[html,pdf]``,
readability-lxml and pdfminer.six; times are for comparison within one run).
"""

from __future__ import annotations

import itertools
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from factlang.sources.html import extract_html  # noqa: E402
from factlang.sources.pdf import extract_pdf  # noqa: E402
from factlang.verify.text import split_sentences  # noqa: E402
from tests.sourcegen import COLUMNS, HEADER, SENTENCES, make_pdf  # noqa: E402
from tests.test_sources import NEWS  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "sources"
# The page snippets NEWS leaves out of the tests because trafilatura fails them.
EXTRA_WITH = {"salon.com.emissions.html": ["This post originally"]}
EXTRA_WITHOUT = {"salon.com.emissions.html": ["Credit:"]}
# Lines that repeat as running headers or footers in each real PDF.
RUNNING = {
    "dmca.pdf": [
        "Copyright Office Summary December 1998 Page",
        "The Digital Millennium Copyright Act of 1998 ",
    ],
    "naacl06-shinyama.pdf": [],
    "libreoffice-base.pdf": [],
}


def norm(text: str) -> str:
    """Whitespace, ligatures and line-end hyphens folded alike for every extractor."""
    text = unicodedata.normalize("NFKC", text).replace("\ufffe", "-\n").replace("\xad", "")
    text = re.sub(r"(\w)-\s*\n\s*(?=[a-z])", r"\1", text)
    return " ".join(text.split())


def number_sentences(text: str) -> set[str]:
    out = set()
    for a, b in split_sentences(text):
        s = norm(text[a:b])
        if re.search(r"\d", s) and len(s.split()) >= 6:
            out.add(s)
    return out


def readability_text(data: bytes) -> str:
    import lxml.html
    from readability import Document

    summary = Document(data.decode("utf-8", "replace")).summary(html_partial=True)
    tree = lxml.html.fromstring(summary)
    blocks = tree.xpath("//p|//h1|//h2|//h3|//h4|//li|//td|//blockquote")
    return "\n\n".join(" ".join(b.text_content().split()) for b in blocks if b.text_content().strip())


def measure_html() -> None:
    print(
        "HTML: boilerplate leaked (of 'without' snippets), article kept (of 'with'), number sentences intact"
    )
    print(f"{'page':40} {'extractor':12} {'leaked':>7} {'kept':>6} {'numbers':>9} {'chars':>6} {'ms':>6}")
    for name in sorted(NEWS):
        data = (FIXTURES / name).read_bytes()
        present = NEWS[name][0] + EXTRA_WITH.get(name, [])
        absent = NEWS[name][1] + EXTRA_WITHOUT.get(name, [])
        outputs = {}
        for label, run in (("trafilatura", lambda d: extract_html(d)[0]), ("readability", readability_text)):
            t0 = time.perf_counter()
            outputs[label] = (run(data), (time.perf_counter() - t0) * 1000)
        truth = set().union(*(number_sentences(t) for t, _ in outputs.values()))
        for label, (text, ms) in outputs.items():
            flat = norm(text)
            leaked = sum(s in flat for s in absent)
            kept = sum(s in flat for s in present)
            intact = sum(s in flat for s in truth)
            print(
                f"{name:40} {label:12} {leaked:>3}/{len(absent):<3} {kept:>2}/{len(present):<3} "
                f"{intact:>4}/{len(truth):<4} {len(text):>6} {ms:>6.0f}"
            )


def pdfminer_pages(data: bytes) -> list[str]:
    import io

    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data)).split("\x0c")[:-1] or [""]


def pdfium_pages(data: bytes) -> list[str]:
    import pypdfium2

    doc = pypdfium2.PdfDocument(data)
    try:
        return [doc[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(len(doc))]
    finally:
        doc.close()


def factlang_pages(data: bytes) -> list[str]:
    text, starts = extract_pdf(data)
    bounds = [*starts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def measure_pdf() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        generated = make_pdf(Path(tmp) / "generated.pdf").read_bytes()
    files = {n: (FIXTURES / n).read_bytes() for n in RUNNING} | {"generated (fpdf2)": generated}
    print()
    print("PDF: hyphen fragments left, ligatures left, header lines glued, order, number sentences intact")
    print(
        f"{'file':24} {'extractor':10} {'pages':>5} {'hyph':>5} {'lig':>4} {'hdr':>4} "
        f"{'order':>6} {'numbers':>9} {'ms':>6}"
    )
    for name, data in files.items():
        outs = {}
        for label, run in (
            ("factlang", factlang_pages),
            ("pdfminer", pdfminer_pages),
            ("pdfium", pdfium_pages),
        ):
            t0 = time.perf_counter()
            pages = run(data)
            outs[label] = (pages, (time.perf_counter() - t0) * 1000)
        running = RUNNING.get(name, [HEADER])
        # Consensus truth: sentences with a number that at least two extractors give, minus glued headers.
        votes = Counter(s for p, _ in outs.values() for s in number_sentences("\n\n".join(p)))
        truth = {s for s, n in votes.items() if n >= 2 and not any(norm(h) in s for h in running)}
        for label, (pages, ms) in outs.items():
            raw = "\n".join(pages)
            hyph = len(re.findall(r"[a-z](?:-\n|\ufffe|\xad)\s*[a-z]", raw)) + len(
                re.findall(r"[a-z]- [a-z]", raw)
            )
            lig = len(re.findall("[\ufb00-\ufb06]", raw))
            flat = norm(raw)
            hdr = sum(flat.count(norm(h)) for h in running)
            order = "-"
            if name.startswith("generated"):
                want = [norm(c[0])[:30] for page in COLUMNS.values() for c in page]
                at = [flat.find(w) for w in want]
                order = "ok" if -1 not in at and at == sorted(at) else "wrong"
                numbers = f"{sum(s in flat for s in SENTENCES):>4}/{len(SENTENCES):<4}"
            else:
                numbers = f"{sum(s in flat for s in truth):>4}/{len(truth):<4}"
            print(
                f"{name:24} {label:10} {len(pages):>5} {hyph:>5} {lig:>4} {hdr:>4} "
                f"{order:>6} {numbers:>9} {ms:>6.0f}"
            )


if __name__ == "__main__":
    measure_html()
    measure_pdf()
