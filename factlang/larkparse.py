"""Parsing with Lark: every file the fast path is not certain of, and every file with an error.

Lark's LALR parser with the contextual lexer runs an *embedded* transformer,
so syntax nodes are built at reduce time with no intermediate parse tree.
Every Lark error is turned into a positioned :class:`Diagnostic`; after a
syntax error, parsing resumes at the next line that starts a statement, so
one run reports every syntax error of a file. :func:`factlang.parser.parse`
is the entry point; this module is imported only when Lark is needed.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import Any, Final

from lark import (
    Lark,
    Token,
    Transformer,
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
)

from factlang import syntax as s
from factlang import values as v
from factlang.diagnostics import Diagnostic, ParseError
from factlang.fastparse import BadValue, decimal_parts, literal_value, unquote
from factlang.parser import _group, grammar_text

__all__ = ["lark_parser", "parse_with_lark"]

_MAX_ERRORS_PER_FILE: Final = 20


def _pos(tok: Token) -> s.Pos:
    # Lark types these as optional; tokens the lexer makes always have them.
    return s.Pos(tok.line, tok.column, tok.end_line, tok.end_column, tok.start_pos, tok.end_pos)  # type: ignore[arg-type]


def _span(first: s.Pos, last: s.Pos) -> s.Pos:
    return s.Pos(first.line, first.column, last.end_line, last.end_column, first.start, last.end)


class _BadLiteral(Exception):
    """A literal that lexes but means nothing (a 13th month); carries its token."""

    def __init__(self, token: Token, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.token = token
        self.message = message
        self.hint = hint


def _decimal(tok: Token) -> tuple[str, str | None, Decimal, str | None]:
    """Split a numeric token into sign, currency prefix, amount and scale."""
    try:
        return decimal_parts(str(tok))
    except BadValue as bad:  # pragma: no cover - the grammar only lets matching tokens through
        raise _BadLiteral(tok, bad.message) from None


def _literal(tok: Token) -> s.Literal:
    """Turn a literal token into a syntax literal with its untyped meaning."""
    kind = tok.type
    try:
        value = literal_value(kind, str(tok))
    except BadValue as bad:
        raise _BadLiteral(tok, bad.message) from None
    # TRUE and FALSE are one literal kind; the other terminals name theirs.
    return s.Literal("BOOL" if kind in ("TRUE", "FALSE") else kind, value, str(tok), _pos(tok))  # type: ignore[arg-type]


def _value(item: Token | s.Literal) -> s.Literal:
    return item if isinstance(item, s.Literal) else _literal(item)


class _Build(Transformer[Token, Any]):
    """Embedded transformer: called by the LALR parser at each reduction."""

    def start(self, items: list[s.Statement]) -> list[s.Statement]:
        return items

    def use(self, items: list[Token]) -> s.Use:
        kw, path = items
        return s.Use(unquote(str(path)), _span(_pos(kw), _pos(path)), _pos(path))

    def field(self, items: list[Token]) -> s.Field:
        name, lit = items
        value = _literal(lit)
        return s.Field(s.Ident(str(name), _pos(name)), value, _span(_pos(name), value.pos))

    def source(self, items: list[Any]) -> s.SourceDecl:
        kw, ident, path, *rest = items
        fields = tuple(f for f in rest if isinstance(f, s.Field))
        last = rest[-1] if rest and isinstance(rest[-1], Token) else path
        return s.SourceDecl(
            s.Ident(str(ident), _pos(ident)),
            unquote(str(path)),
            fields,
            bool(rest) and isinstance(rest[-1], Token),
            _span(_pos(kw), _pos(last)),
            _pos(path),
        )

    def kind(self, items: list[Token]) -> s.KindDecl:
        kw, name = items
        return s.KindDecl(s.Ident(str(name), _pos(name)), _span(_pos(kw), _pos(name)))

    def entity(self, items: list[Any]) -> s.EntityDecl:
        # The keyword, name and kind are always there; `[AKA ...]` may leave None.
        kw, name, kind, _aka, *aliases = items
        names = [a for a in aliases if a is not None]
        last = names[-1] if names else kind
        return s.EntityDecl(
            s.Ident(str(name), _pos(name)),
            s.Ident(str(kind), _pos(kind)),
            tuple(unquote(str(a)) for a in names),
            _span(_pos(kw), _pos(last)),
        )

    def param(self, items: list[Token]) -> s.Param:
        name, type_ = items
        return s.Param(s.Ident(str(name), _pos(name)), s.Ident(str(type_), _pos(type_)))

    def params(self, items: list[s.Param | None]) -> tuple[list[s.Param], None]:
        return [p for p in items if p is not None], None

    def predicate(self, items: list[Any]) -> s.PredicateDecl:
        # `[AKA STRING ("," STRING)*]` leaves None for AKA and the first phrase when absent.
        kw, name, (params, _), _arrow, vtype, template, aka, *phrases = items
        names = [a for a in phrases if a is not None]
        last = names[-1] if names else template or vtype or name
        return s.PredicateDecl(
            s.Ident(str(name), _pos(name)),
            tuple(params),
            s.Ident(str(vtype), _pos(vtype)) if vtype is not None else None,
            unquote(str(template)) if template is not None else None,
            _span(_pos(kw), _pos(last)),
            _pos(template) if template is not None else None,
            tuple(unquote(str(a)) for a in names),
            _pos(aka) if aka is not None else None,
        )

    def iso_money(self, items: list[Token]) -> s.Literal:
        code, number = items
        text = str(code)
        if not (len(text) == 3 and text.isalpha()):
            hint = (
                f"separate arguments with a comma ({text}, {number}); "
                "only a currency code takes an amount: USD 14.53"
            )
            raise _BadLiteral(number, f"unexpected {str(number)!r} after '{text}'; is a ',' missing?", hint)
        if not text.isupper():
            raise _BadLiteral(
                code, f"'{text}' is not a currency code (three capital letters, e.g. {text.upper()})"
            )
        sign, _, amount, scale = _decimal(number)
        money = v.Money(amount, scale, currency=text, signed=bool(sign))
        pos = _span(_pos(code), _pos(number))
        return s.Literal("ISO_MONEY", money, f"{text} {number}", pos)

    def args(self, items: list[Token | s.Literal | None]) -> tuple[tuple[s.Literal, ...], None]:
        return tuple(_value(i) for i in items if i is not None), None

    def citation(self, items: list[Any]) -> s.Citation:
        at, ident, quote, contra = items  # quote and contra may be None
        last = contra or quote or ident
        return s.Citation(
            s.Ident(str(ident), _pos(ident)),
            unquote(str(quote)) if quote is not None else None,
            contra is not None,
            _span(_pos(at), _pos(last)),
            _pos(quote) if quote is not None else None,
        )

    def fact(self, items: list[Any]) -> s.FactStmt:
        neg, name, (args, _), *rest = items
        # `[COMPARATOR _value]` leaves one placeholder when absent.
        comp, value, cites = (None, None, rest[1:]) if rest[0] is None else (rest[0], rest[1], rest[2:])
        first = neg or name
        value_lit = _value(value) if value is not None else None
        end = cites[-1].pos if cites else (value_lit.pos if value_lit else _args_end(name, args))
        return s.FactStmt(
            neg is not None,
            s.Ident(str(name), _pos(name)),
            args,
            str(comp) if comp is not None else None,
            value_lit,
            tuple(cites),
            _span(_pos(first), end),
            _pos(comp) if comp is not None else None,
        )


def _args_end(name: Token, args: tuple[s.Literal, ...]) -> s.Pos:
    # The closing parenthesis is filtered out; the last argument (or the name)
    # is close enough for the statement's extent.
    return args[-1].pos if args else _pos(name)


@functools.cache
def lark_parser() -> Lark:
    """The one Lark parser of the grammar, built on first use."""
    # cache=True: Lark keeps the compiled LALR tables in a per-user temporary
    # file keyed by the grammar, the options, Lark's and Python's versions.
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        transformer=_Build(),
        maybe_placeholders=True,
        cache=True,
    )


# Friendly names for terminals in "expected ..." messages.
_TERMINAL_NAMES: Final[dict[str, str]] = {
    "NAME": "a name",
    "SOURCE_ID": "a source id",
    "STRING": "a quoted string",
    "COMPARATOR": "a comparator (=, !=, >, >=, <, <=, ~)",
    "PERCENT": "a value",
    "MONEY": "a value",
    "NUMBER": "a value",
    "DATE": "a value",
    "MONTH": "a value",
    "QUARTER": "a value",
    "FISCAL_YEAR": "a value",
    "TRUE": "a value",
    "FALSE": "a value",
    "AT": "'@' and a citation",
    "ARROW": "'->'",
    "LPAR": "'('",
    "RPAR": "')'",
    "COMMA": "','",
    "COLON": "':'",
    "EQUAL": "'='",
    "LBRACE": "'{'",
    "_LBRACE": "'{'",
    "RBRACE": "'}'",
    "USE": "a statement",
    "SOURCE": "a statement",
    "KIND": "a statement",
    "ENTITY": "a statement",
    "PREDICATE": "a statement",
    "NOT": "a statement",
    "AKA": "'aka'",
    "CONTRADICTS": "'contradicts'",
    "$END": "the end of the file",
    "_NEW_STATEMENT": "a new statement",
}


def _describe_token(tok: Token) -> str:
    if tok.type == "$END":
        return "end of file"
    text = str(tok)
    if tok.type == "STRING":
        return f"string {text}" if len(text) <= 30 else f'string {text[:26]}..."'
    return repr(text) if len(text) <= 30 else repr(text[:27] + "...")


_STATEMENT_START: Final = frozenset({"USE", "SOURCE", "KIND", "ENTITY", "PREDICATE", "NOT", "NAME", "$END"})


def _expected(names: set[str]) -> str:
    if "USE" in names:
        # Between statements: say so rather than list every keyword.
        names = (names - _STATEMENT_START) | {"_NEW_STATEMENT"}
    elif "NUMBER" in names and "PERCENT" in names:
        # Where any value goes, entity names and strings are values too.
        names = names - {"NAME", "STRING"}
    seen = dict.fromkeys(_TERMINAL_NAMES.get(n, repr(n.lower())) for n in sorted(names))
    items = list(seen)
    if len(items) > 6:
        items = [*items[:5], "..."]
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]


def _syntax_message(err: UnexpectedInput, text: str) -> tuple[str, int, str | None]:
    """Message, caret length and hint for a Lark error."""
    if isinstance(err, UnexpectedCharacters):
        at = err.pos_in_stream or 0
        ch = text[at] if at < len(text) else ""
        if ch == '"':
            return "unterminated string (a string ends with '\"' on the same line)", 1, None
        return f"unexpected character {ch!r}; expected {_expected(_accepts(err, err.allowed))}", 1, None
    if isinstance(err, UnexpectedToken):
        tok = err.token
        expected = _accepts(err, err.expected)
        got = _describe_token(tok)
        length = max(1, len(str(tok))) if tok.type != "$END" else 1
        hint = None
        prev = _previous_token(err)
        if tok.type == "STRING" and "AT" in expected:
            hint = 'a quote belongs to a citation: @ source_id "quote"'
        elif tok.type == "NAME" and str(tok) in s.RESERVED:
            hint = f"'{tok}' is a reserved word"
        elif prev is not None and str(prev) in s.RESERVED and (prev.type == "NAME" or tok.type == "LPAR"):
            # `kind(Apple) = 5`, or a second `contradicts` read as a fact's name.
            hint = f"'{prev}' is a reserved word"
        return f"unexpected {got}; expected {_expected(expected)}", length, hint
    if isinstance(err, UnexpectedEOF):  # pragma: no cover - LALR reports $END as a token
        return f"unexpected end of file; expected {_expected(set(err.expected))}", 1, None
    return str(err), 1, None  # pragma: no cover


_ISO_CODE_RE: Final = re.compile(r"[A-Z]{3}")
_AMOUNT_BEFORE_RE: Final = re.compile(r"([-+]?\d[\d,]*(?:\.\d+)?)\s*$")


def _at_the_culprit(err: UnexpectedInput, chunk: str) -> tuple[str, int, int, int, str | None] | None:
    """A better place and message when Lark stops one token too late.

    Two mistakes make the parser fail only at the next line's ``@``: a
    currency code written after the amount (``= 113.10 HKD``: ``HKD`` reads
    as the start of a new fact), and anything missing at the end of a line
    (a ``)``, a value). Point at the offending token, or just past the last
    thing on the line, with what was meant.
    """
    if not isinstance(err, UnexpectedToken) or err.token.type == "$END":
        return None
    tok = err.token
    expected = _accepts(err, err.expected)
    prev = _previous_token(err)
    if prev is not None and prev.type == "NAME" and expected == {"LPAR"} and prev.line is not None:
        line_start = chunk.rfind("\n", 0, prev.start_pos) + 1
        before = chunk[line_start : prev.start_pos]
        amount = _AMOUNT_BEFORE_RE.search(before)
        if before.strip() and amount is not None:
            code, number = str(prev), amount.group(1)
            if _ISO_CODE_RE.fullmatch(code):
                hint = f"an ISO currency code goes before the amount: {code} {number}"
            else:
                hint = "a value is one token: 16%, $14.53, HKD 113.10, 2025-02-13"
            message = f"unexpected {_describe_token(prev)} after the value {number}"
            return message, prev.line, prev.column or 1, len(code), hint
    start = tok.start_pos
    if start is None or "USE" in expected:
        return None
    line_start = chunk.rfind("\n", 0, start) + 1
    if chunk[line_start:start].strip():
        return None  # the unexpected token is not the first on its line: Lark's place is right
    before = chunk[:line_start].rstrip()
    if not before:
        return None
    last_line = before[before.rfind("\n") + 1 :]
    if "#" in last_line or '"' in last_line:
        return None  # a comment or a string ends the line: keep Lark's place
    line = before.count("\n") + 1
    column = len(last_line) + 1
    last = last_line.split()[-1] if last_line.split() else last_line
    missing = "is a ')' missing?" if "RPAR" in expected else None
    return f"expected {_expected(expected)} after {last!r}", line, column, 1, missing


def _previous_token(err: UnexpectedInput) -> Token | None:
    """The last token the parser took before the error, if it was a token."""
    interactive = getattr(err, "interactive_parser", None)
    stack = interactive.parser_state.value_stack if interactive is not None else ()
    return stack[-1] if stack and isinstance(stack[-1], Token) else None


def _accepts(err: UnexpectedInput, fallback: set[str]) -> set[str]:
    """The terminals that can follow where the parser stopped.

    Lark's interactive parser simulates the parse past default reductions;
    the raw ``expected``/``allowed`` sets of a merged LALR state mix in
    terminals of unrelated contexts.
    """
    interactive = getattr(err, "interactive_parser", None)
    accepts = set(interactive.accepts()) if interactive is not None else set()
    return (accepts or set(fallback)) - {"COMMENT"}


# A line that can start a statement: where parsing resumes after an error.
_RESUME_RE: Final = re.compile(r"^(?:use|source|kind|entity|predicate|not)\b|^[A-Za-z_]\w*\s*\(", re.M)


def parse_with_lark(text: str, path: str) -> s.ParsedFile:
    """Parse decoded text with Lark: every file the fast path is not certain of, and every error."""
    lines = text.split("\n")  # Lark counts lines by "\n" alone, so must we
    statements: list[s.Statement] = []
    errors: list[Diagnostic] = []
    offset = 0  # where the chunk being parsed starts in text
    parser = lark_parser()
    while True:
        # Pad with the text before the chunk so positions are file positions.
        chunk = _blank_prefix(text, offset) + text[offset:]
        try:
            result: list[s.Statement] = parser.parse(chunk)  # type: ignore[assignment]
        except UnexpectedInput as err:
            message, length, hint = _syntax_message(err, chunk)
            line, col = _where(err, chunk)
            better = _at_the_culprit(err, chunk)
            if better is not None:
                message, line, col, length, hint = better
            errors.append(
                Diagnostic.at(message, path, lines, (line, col), code="FL100", length=length, hint=hint)
            )
            resume = _resume_after(text, err, chunk)
            if resume is None or len(errors) >= _MAX_ERRORS_PER_FILE:
                break
            offset = resume
            continue
        except _BadLiteral as bad:
            pos = _pos(bad.token)
            errors.append(
                Diagnostic.at(
                    bad.message, path, lines, pos, code="FL108", length=len(str(bad.token)), hint=bad.hint
                )
            )
            resume = _next_statement(text, pos.end)
            if resume is None or len(errors) >= _MAX_ERRORS_PER_FILE:
                break
            offset = resume
            continue
        statements.extend(result)
        break
    if errors:
        raise ParseError(errors)
    return _group(path, statements, _comments(text))


# Outside strings, '#' only starts a comment and '"' only starts a string, so
# in text that parsed, this finds exactly the comments the grammar ignored.
_COMMENT_OR_STRING_RE: Final = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*')


def _comments(text: str) -> list[s.Comment]:
    """The comments of a file that parsed, kept for the formatter."""
    if "#" not in text:
        return []
    out: list[s.Comment] = []
    line, counted = 1, 0
    for m in _COMMENT_OR_STRING_RE.finditer(text):
        start = m.start()
        if text[start] != "#":
            continue
        line += text.count("\n", counted, start)
        counted = start
        out.append(s.Comment(m.group(), line, start - text.rfind("\n", 0, start)))
    return out


def _blank_prefix(text: str, offset: int) -> str:
    # Newlines keep line numbers; spaces keep offsets (and so columns).
    if offset == 0:
        return ""
    before = text[:offset]
    return re.sub(r"[^\n]", " ", before)


def _where(err: UnexpectedInput, chunk: str) -> tuple[int, int]:
    if isinstance(err, UnexpectedToken) and err.token.type == "$END":
        # Point just past the last real character, not at a phantom line.
        stripped = chunk.rstrip()
        line = stripped.count("\n") + 1
        col = len(stripped) - (stripped.rfind("\n") + 1) + 1
        return line, col
    return err.line, err.column


def _resume_after(text: str, err: UnexpectedInput, chunk: str) -> int | None:
    if isinstance(err, UnexpectedToken) and err.token.type == "$END":
        return None
    pos = getattr(err, "pos_in_stream", None)
    if pos is None and isinstance(err, UnexpectedToken):
        pos = err.token.start_pos
    if pos is None:
        return None
    return _next_statement(text, int(pos) + 1)


def _next_statement(text: str, after: int) -> int | None:
    # Resume at the start of the next line that looks like a statement.
    line_end = text.find("\n", after)
    if line_end < 0:
        return None
    m = _RESUME_RE.search(text, line_end + 1)
    return m.start() if m else None
