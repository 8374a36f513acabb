"""Positions: character offsets to LSP's (line, UTF-16 code unit) and back.

factlang counts in Python characters (code points); LSP clients count lines
from 0 and columns in UTF-16 code units by default, so a character outside
the Basic Multilingual Plane (an emoji, a rare CJK ideograph) is two units.
One :class:`LineIndex` per text maps both ways in time proportional to the
line, never the whole text.
"""

from __future__ import annotations

from bisect import bisect_right

__all__ = ["LineIndex", "utf16_len"]


def utf16_len(text: str) -> int:
    """How many UTF-16 code units ``text`` takes."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


class LineIndex:
    r"""Line starts of one text, for offset <-> (line, UTF-16 column) conversions.

    Lines end at ``\\n`` alone, as the parser counts them (a ``\\r`` before
    it stays part of the line, which is where LSP clients put it too).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        at = find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = find("\n", at + 1)
        self.starts = starts

    def line_text(self, line: int) -> str:
        """The text of 0-based ``line`` without its newline ('' past the end)."""
        if not 0 <= line < len(self.starts):
            return ""
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[line] : end]

    def position(self, offset: int) -> tuple[int, int]:
        """The (0-based line, UTF-16 column) of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return line, utf16_len(self.text[start:offset])

    def offset(self, line: int, character: int) -> int:
        """The character offset of a (0-based line, UTF-16 column), clamped to the line."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        text = self.line_text(line)
        if text.isascii():
            return self.starts[line] + min(max(character, 0), len(text))
        units = 0
        for i, ch in enumerate(text):
            if units >= character:
                return self.starts[line] + i
            units += 2 if ord(ch) > 0xFFFF else 1
        return self.starts[line] + len(text)
