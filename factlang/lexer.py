"""A Pygments lexer for factlang, so ```` ```factlang ```` blocks are highlighted.

Registered as the ``factlang`` lexer through the ``pygments.lexers`` entry
point (aliases ``factlang``, files ``*.fact``). It follows the grammar
(``grammar/factlang.lark``): keywords, declared names, built-in types and
kinds, every literal (percentages, money, numbers with scale words, dates,
months, quarters, fiscal years, strings with ``{slot}`` placeholders),
comments, ``@`` citations with their source id, and ``contradicts``.
It never fails on bad input: anything unexpected is an ``Error`` token.
"""

from __future__ import annotations

from typing import ClassVar, Final

from pygments.lexer import RegexLexer, bygroups, include, words
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
)

from factlang.values import BUILTIN_TYPES, CURRENCY_PREFIX_PATTERN, SCALE_SUFFIX_PATTERN, SCALE_WORD_PATTERN

__all__ = ["FactlangLexer"]


_NUM: Final = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE: Final = rf"(?:[ \t]*{SCALE_WORD_PATTERN}\b|{SCALE_SUFFIX_PATTERN}\b)"
_CURRENCY: Final = CURRENCY_PREFIX_PATTERN
_BUILTIN: Final = "|".join(BUILTIN_TYPES)
_NAME: Final = r"[A-Za-z_][A-Za-z0-9_]*"
_SOURCE_ID: Final = r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?"

_Tokens = dict[str, list[tuple[str, object] | tuple[str, object, str] | object]]


class FactlangLexer(RegexLexer):  # type: ignore[misc]  # pygments has no type information
    """Lexer for factlang fact files (``*.fact``)."""

    name = "factlang"
    aliases: ClassVar[list[str]] = ["factlang"]
    filenames: ClassVar[list[str]] = ["*.fact"]
    mimetypes: ClassVar[list[str]] = ["text/x-factlang"]
    url = "https://github.com/factlang/factlang"

    tokens: ClassVar[_Tokens] = {
        "common": [
            (r"[ \t\r\n]+", Whitespace),
            (r"#.*?$", Comment.Single),
        ],
        "literals": [
            (r'"', String.Double, "string"),
            (r"\d{4}-\d{2}-\d{2}(?![\d\-])", Number.Date),
            (r"\d{4}-Q[1-4]\b", Number.Date),
            (r"\d{4}-\d{2}(?![\d\-])", Number.Date),
            (r"FY\d{4}\b", Number.Date),
            (rf"[+\-]?{_NUM}%", Number.Float),
            (rf"[+\-]?{_CURRENCY}{_NUM}{_SCALE}?", Number.Float),
            (rf"[+\-]?[A-Z]{{3}}[ \t]+{_NUM}{_SCALE}?", Number.Float),  # ISO money: USD 14.53
            (rf"[+\-]?{_NUM}{_SCALE}?", Number),
            (words(("true", "false"), suffix=r"\b"), Keyword.Constant),
        ],
        "root": [
            include("common"),
            (r"(use)\b", Keyword.Namespace),
            (
                rf"(source)(\s+)({_SOURCE_ID})",
                bygroups(Keyword.Declaration, Whitespace, Name.Label),
            ),
            (
                rf"(kind)(\s+)({_NAME})",
                bygroups(Keyword.Declaration, Whitespace, Name.Class),
            ),
            (
                rf"(entity)(\s+)({_NAME})",
                bygroups(Keyword.Declaration, Whitespace, Name.Entity),
            ),
            (
                rf"(predicate)(\s+)({_NAME})",
                bygroups(Keyword.Declaration, Whitespace, Name.Function),
            ),
            (r"\{", Punctuation, "fields"),
            (
                rf"(@)(\s*)({_SOURCE_ID})",
                bygroups(Name.Decorator, Whitespace, Name.Label),
            ),
            (r"contradicts\b", Keyword.Pseudo),
            (words(("not", "aka"), suffix=r"\b"), Keyword),
            (rf"(?:{_BUILTIN})\b", Keyword.Type),
            # A type after ':' (a parameter, an entity's kind) or '->' (a value type).
            (rf"(:)(\s*)({_BUILTIN})\b", bygroups(Punctuation, Whitespace, Keyword.Type)),
            (rf"(:)(\s*)({_NAME})", bygroups(Punctuation, Whitespace, Name.Class)),
            (rf"(->)(\s*)({_BUILTIN})\b", bygroups(Operator, Whitespace, Keyword.Type)),
            (rf"(->)(\s*)({_NAME})", bygroups(Operator, Whitespace, Name.Class)),
            (r"!=|>=|<=|=|>|<|~", Operator),
            include("literals"),
            (rf"{_NAME}(?=\s*\()", Name.Function),
            (_NAME, Name),
            (r"[(),:]", Punctuation),
            (r".", Error),
        ],
        "fields": [
            include("common"),
            (r"\}", Punctuation, "#pop"),
            (rf"({_NAME})(\s*)(:)", bygroups(Name.Attribute, Whitespace, Punctuation)),
            include("literals"),
            (_NAME, Name),
            (r".", Error),
        ],
        "string": [
            (r'"', String.Double, "#pop"),
            (r"\\.", String.Escape),
            (r"\{[A-Za-z_][A-Za-z0-9_]*\}", String.Interpol),
            (r'[^"\\{\n]+', String.Double),
            (r"\{", String.Double),
            (r"\n", Error, "#pop"),  # strings end at the line
        ],
    }
