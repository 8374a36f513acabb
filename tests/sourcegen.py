"""PDFs for the source tests, generated with fpdf2: pages, two columns, hyphens, a ligature font."""

from __future__ import annotations

from pathlib import Path

import pytest

FONTS = [
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
]


def dejavu() -> Path:
    """A DejaVu Sans TTF (it has the ﬁ and ﬂ ligature glyphs), from Debian's fonts-dejavu or matplotlib."""
    for path in FONTS:
        if path.is_file():
            return path
    try:
        import matplotlib  # type: ignore[import-not-found]

        found = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
        if found.is_file():
            return found
    except ImportError:
        pass
    pytest.skip("no DejaVu Sans font on this machine (apt-get install fonts-dejavu-core)")


# Each column's lines as laid out, with line-end hyphens and ligature characters.
COLUMNS = {
    1: (
        [
            "Acme Corp reported that its revenue",
            "rose 12% in 2024, a signi-",
            "ﬁcant result for the ﬁrm.",
            "",
            "The state-of-the-art plant in Ohio",
            "opened in March.",
        ],
        [
            "In the right column, Globex said its",
            "market share fell to 7.5% in",
            "Europe, its lowest level in a dec-",
            "ade, while its ﬂagship store closed.",
        ],
    ),
    2: (
        [
            "On the second page, Initech said that",
            "its workforce grew by 3,000 people",
            "in 2024, to a total of 41,000 em-",
            "ployees worldwide.",
        ],
        [
            "Umbrella said its state-of-the-",
            "art laboratory cost $185.1 million",
            "to build.",
        ],
    ),
    3: (
        ["The third page says that Hooli’s", "shares rose 4.7% on Monday."],
        ["Nothing else happened."],
    ),
}
HEADER = "Quarterly Market Review — Confidential"
#: The sentences of COLUMNS as a reader reads them (hyphenation undone, ligatures folded).
SENTENCES = [
    "Acme Corp reported that its revenue rose 12% in 2024, a significant result for the firm.",
    "The state-of-the-art plant in Ohio opened in March.",
    "In the right column, Globex said its market share fell to 7.5% in Europe, its lowest level in a decade, "
    "while its flagship store closed.",
    "On the second page, Initech said that its workforce grew by 3,000 people in 2024, "
    "to a total of 41,000 employees worldwide.",
    "Umbrella said its state-of-the-art laboratory cost $185.1 million to build.",
    "The third page says that Hooli’s shares rose 4.7% on Monday.",
]


def make_pdf(path: Path) -> Path:
    """A three-page, two-column report with a running header and a "Page N of 3" footer."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("dejavu", "", str(dejavu()))
    for page, (left, right) in COLUMNS.items():
        pdf.add_page()
        pdf.set_font("dejavu", size=9)
        pdf.set_xy(15, 10)
        pdf.cell(180, 5, HEADER, align="C")
        pdf.set_font("dejavu", size=11)
        for x, lines in ((15, left), (110, right)):
            y = 45.0
            for line in lines:
                if line:
                    pdf.set_xy(x, y)
                    pdf.cell(85, 6, line)
                y += 6 if line else 8
        pdf.set_font("dejavu", size=8)
        pdf.set_xy(15, 282)
        pdf.cell(180, 5, f"Page {page} of {len(COLUMNS)}", align="C")
    pdf.output(str(path))
    return path
