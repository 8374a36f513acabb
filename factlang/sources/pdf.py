"""PDF sources: text in reading order with page starts, by pypdfium2 (the ``pdf`` extra).

PDFium gives each page's text in content order (which is reading order for
what LaTeX, word processors and report generators write, columns included)
with the position of every character. On top of it, factlang:

- drops lines in the top or bottom margin that repeat on most pages once
  digits are ignored (running headers, "Page 3 of 9" footers) and bare page
  numbers, so they are never glued into a sentence, and footnote marks set
  small on a line of their own;
- starts a paragraph where the gap to the line before is clearly larger
  than the page's usual line pitch, or where the text moves up (a new
  column); lines of a paragraph are joined with a space;
- undoes line-end hyphenation ("signi-" + "ficant"), keeping the hyphen
  when the document writes the word with one elsewhere ("state-of-the-art"),
  and drops soft hyphens;
- folds typographic ligatures (ﬁ, ﬂ, ﬀ, ﬃ, ﬄ) to their letters;
- joins a paragraph that runs on to the next page (no end punctuation, the
  next page starting in lower case) with a space; pages are otherwise
  separated by a blank line.

The result is one text and the offset at which each page starts in it.
"""

from __future__ import annotations

import importlib.metadata
import itertools
import re
from collections import Counter
from statistics import median
from typing import Any, Final

import attrs

from factlang.sources.formats import ExtractError, MissingExtra

__all__ = ["extract_pdf", "library_version"]

# A line-end hyphen that may be undone; PDFium marks the ones it detects so.
_HYPHEN: Final = "\ufffe"
_LIGATURES: Final = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
    }
)
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PAGE_NUMBER: Final = re.compile(r"(?:page\s*)?[#ivxlc]+(?:\s*(?:of|/)\s*#)?|[-–—]\s*#\s*[-–—]", re.I)
_DIGITS: Final = re.compile(r"\d+")
_PAGE: Final = "\x0c"  # marks a page start while the text is assembled (control characters are gone by then)
_BROKEN: Final = re.compile(r"(\w+)\ufffe(\x0c?)(\w+)")
_HYPHENATED: Final = re.compile(r"\b(\w+)-(\w+)\b")
_END: Final = re.compile(r"[.!?:;\"'”’)\]]\s*$")
_MARGIN: Final = 0.12  # the top and bottom strips of a page where headers and footers live


def _pdfium() -> Any:
    try:
        import pypdfium2
    except ImportError:
        raise MissingExtra("pdf", "pdf", "pypdfium2") from None
    return pypdfium2


def library_version() -> str:
    """``pypdfium2 5.15.2`` (raises :class:`MissingExtra` when it is not installed)."""
    # Without importing it: a stored text is used without loading the extractor.
    try:
        return f"pypdfium2 {importlib.metadata.version('pypdfium2')}"
    except importlib.metadata.PackageNotFoundError:
        raise MissingExtra("pdf", "pdf", "pypdfium2") from None


@attrs.frozen
class _Line:
    text: str
    top: float  # of the line's first character
    bottom: float  # of its last character (PDFium may join a hyphenated line to the next)
    last_top: float
    in_margin: bool


def _lines(textpage: Any, height: float) -> list[_Line]:
    """A page's lines with their vertical place (PDF units, y grows upwards)."""
    text: str = textpage.get_text_range()
    # Character boxes are indexed like the text only when no character needed a
    # surrogate pair; without boxes every line is taken as in the body.
    geometry = len(text) == textpage.count_chars()
    out: list[_Line] = []
    for m in re.finditer(r"[^\r\n]+", text):
        raw = m.group()
        if not raw.strip():
            continue
        top = bottom = last_top = 0.0
        if geometry:
            first = m.start() + len(raw) - len(raw.lstrip())
            last = m.start() + len(raw.rstrip()) - 1
            _, _, _, top = textpage.get_charbox(first)
            _, bottom, _, last_top = textpage.get_charbox(last)
        margin = geometry and (top > height * (1 - _MARGIN) or bottom < height * _MARGIN)
        out.append(_Line(raw, top, bottom, last_top, margin))
    # Only the two lines nearest the top and the bottom edge can be headers or footers.
    edge = {id(ln) for ln in sorted(out, key=lambda ln: ln.top)[:2]}
    edge |= {id(ln) for ln in sorted(out, key=lambda ln: -ln.top)[:2]}
    return [ln if id(ln) in edge else attrs.evolve(ln, in_margin=False) for ln in out]


def _key(text: str) -> str:
    # Case kept: a title page's "ANNUAL REPORT 2024" is not the running header "Annual Report 2024".
    return " ".join(_DIGITS.sub("#", text).split())


def _marker(line: _Line, lines: list[_Line]) -> bool:
    """A footnote mark on a line of its own: one to three digits set smaller than the text."""
    if not (line.text.strip().isdigit() and len(line.text.strip()) <= 3):
        return False
    heights = sorted(ln.top - ln.bottom for ln in lines if ln.top > ln.bottom)
    usual = heights[len(heights) // 2] if heights else 0.0
    return 0 < line.top - line.bottom < usual * 0.8


def _running(pages: list[list[_Line]]) -> set[str]:
    """Margin lines (digits ignored) that repeat on at least half the pages, and at least two."""
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_key(ln.text) for ln in lines if ln.in_margin})
    least = max(2, (len(pages) + 1) // 2)
    return {k for k, n in counts.items() if n >= least}


def _paragraphs(lines: list[_Line]) -> list[list[str]]:
    """Group a page's lines into paragraphs by the vertical gaps between them."""
    pitches = [a.last_top - b.top for a, b in itertools.pairwise(lines) if a.last_top - b.top > 0]
    usual = median(pitches) if pitches else 0.0
    out: list[list[str]] = []
    prev: _Line | None = None
    for ln in lines:
        pitch = prev.last_top - ln.top if prev is not None else 0.0
        new = prev is None or usual <= 0 or pitch <= 0 or pitch > usual * 1.45
        if new:
            out.append([ln.text])
        else:
            out[-1].append(ln.text)
        prev = ln
    return out


def _join(lines: list[str]) -> str:
    """One paragraph from its lines: a space between them, line-end hyphens marked."""
    text = ""
    for raw in lines:
        line = " ".join(raw.split())
        if not text:
            text = line
        elif text.endswith(("\xad", _HYPHEN)):
            text = text.rstrip("\xad" + _HYPHEN) + _HYPHEN + line
        elif text.endswith("-") and len(text) > 1 and text[-2].isalpha() and line[:1].islower():
            text = text[:-1] + _HYPHEN + line
        else:
            text = f"{text} {line}"
    return text


def _unhyphenate(text: str) -> str:
    """Undo the marked line-end hyphens; keep a hyphen the document uses elsewhere."""
    compounds = {f"{a}-{b}".lower() for a, b in _HYPHENATED.findall(text)}

    def fix(m: re.Match[str]) -> str:
        a, mark, b = m.groups()
        return f"{a}-{mark}{b}" if f"{a}-{b}".lower() in compounds else a + mark + b

    return _BROKEN.sub(fix, text).replace(_HYPHEN, "-").replace("\xad", "")


def extract_pdf(data: bytes) -> tuple[str, tuple[int, ...]]:
    """The text of a PDF and the start offset of each page in it."""
    pdfium = _pdfium()
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        reason = "it is encrypted" if "password" in str(err).lower() else str(err)
        raise ExtractError(f"cannot be read as PDF ({reason})") from None
    try:
        pages: list[list[_Line]] = []
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            try:
                pages.append(_lines(textpage, page.get_height()))
            finally:
                textpage.close()
                page.close()
    except pdfium.PdfiumError as err:
        raise ExtractError(f"cannot be read as PDF ({err})") from None
    finally:
        doc.close()
    running = _running(pages)
    parts: list[str] = []
    for lines in pages:
        body = [
            ln
            for ln in lines
            if not (ln.in_margin and (_key(ln.text) in running or _PAGE_NUMBER.fullmatch(_key(ln.text))))
            and not _marker(ln, lines)
        ]
        paras = [_join(p) for p in _paragraphs(body)]
        page_text = "\n\n".join(_CONTROL.sub(" ", p.translate(_LIGATURES)) for p in paras)
        if not parts:
            sep = ""
        elif parts[-1].endswith(_HYPHEN):
            sep = ""  # a word broken across the page break
        elif page_text[:1].islower() and not _END.search(parts[-1]):
            sep = " "  # the sentence runs on from the page before
        else:
            sep = "\n\n"
        # The page mark sits where the page's own text starts.
        parts.append(sep + _PAGE + page_text)
    text = _unhyphenate("".join(parts))
    if not text.replace(_PAGE, "").strip():
        raise ExtractError("is a PDF without a text layer (scanned pages need OCR first)")
    starts: list[int] = []
    out: list[str] = []
    length = 0
    for piece in text.split(_PAGE)[1:]:
        starts.append(length)
        out.append(piece)
        length += len(piece)
    return "".join(out), tuple(starts)
