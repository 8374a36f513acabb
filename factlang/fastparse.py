"""The fast path of the parser: the common statements, scanned by hand.

Lark's LALR loop costs most of a parse. Every statement shape of the
grammar (facts with their citations, ``use``, ``source`` with its block,
``kind``, ``entity``, ``predicate``) is read here by one linear scan with
the grammar's own terminal regexes, building exactly the syntax nodes, with
exactly the positions, that :mod:`factlang.parser` builds through Lark.

The scan only accepts what it is certain Lark accepts the same way: a
reserved word where a name goes, a literal that lexes but means nothing
(a 13th month), any syntax error, anything unexpected, and :func:`statements`
answers None so that the caller parses the file with Lark, whose
diagnostics are then unchanged. ``tests/test_fastparse.py`` proves the two
agree on generated files.

It also holds what both paths share: the meaning of a literal token.

Lark's contextual lexer tries, in each parser state, the terminals that
state accepts, in a fixed order (priority, then width), and keywords are
names retyped when they match whole. The scan mirrors that in the places
where it matters: a value is matched by one alternation in Lark's order
(dates before months before numbers before names), and words are read
whole with the ``NAME`` regex. Where Lark's answer would depend on a
merged state's lookahead (a keyword used as a name), the scan gives up.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from decimal import Decimal, InvalidOperation
from typing import Final

from factlang import syntax as s
from factlang import values as v

__all__ = ["TERMINALS", "VALUE_ORDER", "BadValue", "decimal_parts", "literal_value", "statements", "unquote"]

#: The grammar's terminals the scan uses, copied from ``grammar/factlang.lark``
#: (a test checks they are the same as Lark's).
TERMINALS: Final[dict[str, str]] = {
    "DATE": r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9\-])",
    "QUARTER": r"[0-9]{4}-Q[0-9](?![A-Za-z0-9_])",
    "MONTH": r"[0-9]{4}-[0-9]{2}(?![0-9\-])",
    "FISCAL_YEAR": r"FY[0-9]{4}(?![A-Za-z0-9_])",
    "PERCENT": r"[+\-]?(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)%",
    "MONEY": r"[+\-]?(?:US\$|HK\$|NT\$|A\$|C\$|S\$|\$|¥|€|£)"
    r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
    r"(?:[ \t]*(?:thousand|million|billion|trillion)(?![A-Za-z0-9_])"
    r"|(?:mn|bn|tn|MN|BN|TN|Bn|Mn|Tn|[kKmMbBT])(?![A-Za-z0-9_]))?",
    "NUMBER": r"[+\-]?(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
    r"(?:[ \t]*(?:thousand|million|billion|trillion)(?![A-Za-z0-9_])"
    r"|(?:mn|bn|tn|MN|BN|TN|Bn|Mn|Tn|[kKmMbBT])(?![A-Za-z0-9_]))?",
    "NAME": r"[A-Za-z_][A-Za-z0-9_]*",
    "STRING": r'"(?:[^"\\\n]|\\.)*"',
    "SOURCE_ID": r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?",
    "COMPARATOR": r"(?:!=|>=|<=|=|>|<|\~)",
}

#: The value terminals in the order Lark's lexer tries them where a value goes
#: (priority first): the first that matches wins, as in Lark.
VALUE_ORDER: Final = (
    "DATE",
    "QUARTER",
    "MONTH",
    "FISCAL_YEAR",
    "MONEY",
    "PERCENT",
    "NUMBER",
    "NAME",
    "STRING",
)


_ESCAPES: Final = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE_RE: Final = re.compile(r"\\(.)")


def unquote(raw: str) -> str:
    r"""The value of a string literal (escapes ``\"``, ``\\``, ``\n``, ``\t``)."""
    body = raw[1:-1]
    if "\\" not in body:
        return body
    return _ESCAPE_RE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), body)


class BadValue(Exception):
    """A literal that lexes but means nothing (a 13th month)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_NUMBER_RE: Final = re.compile(
    rf"(?P<sign>[+\-]?)(?P<prefix>{v.CURRENCY_PREFIX_PATTERN})?"
    r"(?P<digits>[0-9,]+(?:\.[0-9]+)?)[ \t]*(?P<scale>[A-Za-z]*)%?"
)


def decimal_parts(text: str) -> tuple[str, str | None, Decimal, str | None]:
    """Split a numeric token into sign, currency prefix, amount and scale."""
    m = _NUMBER_RE.fullmatch(text)
    if m is None:  # pragma: no cover - the grammar only lets matching tokens through
        raise BadValue(f"malformed number {text!r}")
    try:
        amount = Decimal(m["digits"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - guarded by the regex
        raise BadValue(f"malformed number {text!r}") from None
    if m["sign"] == "-" and amount:  # no negative zero: "-0%" is "+0%"
        amount = amount.copy_negate()  # exact: unary minus would round to 28 digits
    scale = v.canonical_scale(m["scale"]) if m["scale"] else None
    return m["sign"], m["prefix"], amount, scale


def literal_value(kind: str, text: str) -> v.Value:
    """The untyped meaning of a literal token of terminal ``kind``; :class:`BadValue` if it has none."""
    if kind == "STRING":
        return v.Text(unquote(text))
    if kind == "NAME":
        return v.EntityRef(text)
    if kind in ("TRUE", "FALSE"):
        return v.Bool(kind == "TRUE")
    if kind == "PERCENT":
        sign, _, amount, _ = decimal_parts(text)
        return v.Percent(amount, None, signed=bool(sign))
    if kind == "MONEY":
        sign, prefix, amount, scale = decimal_parts(text)
        assert prefix is not None
        return v.Money(amount, scale, currency=v.CURRENCY_PREFIXES[prefix], signed=bool(sign))
    if kind == "NUMBER":
        sign, _, amount, scale = decimal_parts(text)
        return v.Number(amount, scale, signed=bool(sign))
    if kind == "DATE":
        try:
            return v.Date(_dt.date.fromisoformat(text))
        except ValueError:
            raise BadValue(f"invalid date {text!r}") from None
    if kind == "MONTH":
        year, month = int(text[:4]), int(text[5:7])
        if not 1 <= month <= 12:
            raise BadValue(f"invalid month {text!r}: months are 01 to 12")
        return v.Month(year, month)
    if kind == "QUARTER":
        if not 1 <= int(text[6]) <= 4:
            raise BadValue(f"invalid quarter {text!r}: quarters are Q1 to Q4")
        return v.Quarter(int(text[:4]), int(text[6]))
    if kind == "FISCAL_YEAR":
        return v.FiscalYear(int(text[2:]))
    raise BadValue(f"unexpected literal {text!r}")  # pragma: no cover - every literal terminal is handled


class _Unsure(Exception):
    """The scan met something it does not take on: Lark parses the file."""


_UNSURE: Final = _Unsure()


def _atomic(*names: str) -> str:
    # An atomic group commits to its first match, as a lexer does: a longer
    # pattern around it can never make it give back characters.
    return "(?>" + "|".join(TERMINALS[n] for n in names) + ")"


_VALUE: Final = re.compile("|".join(f"(?P<{n}>{TERMINALS[n]})" for n in VALUE_ORDER))
_NAME: Final = re.compile(TERMINALS["NAME"])
_NUMBER: Final = re.compile(TERMINALS["NUMBER"])
_STRING: Final = re.compile(TERMINALS["STRING"])
_SOURCE_ID: Final = re.compile(TERMINALS["SOURCE_ID"])
_COMPARATOR: Final = re.compile(TERMINALS["COMPARATOR"])
_FISCAL_NAME: Final = re.compile(r"FY[0-9]{4}")
# Whitespace and comments: matched alone and possessively, never backtracking.
_SKIP: Final = re.compile(r"(?:[ \t\f\r\n]++|#[^\n]*+)++")

# The common shapes in one match each, on one line with no comment inside:
# `name(v, v, ...) CMP v` and `@ id "quote" contradicts`. Every token is an
# atomic group, every gap a possessive `[ \t]*+`, so a match is the same
# tokens the lexer would cut, and matching is linear. Anything else (a
# line break or a comment inside, more arguments) takes the token-by-token way.
_V: Final = _atomic(*VALUE_ORDER)
_GAP: Final = r"[ \t]*+"
_MAX_ARGS: Final = 6


def _args_pattern() -> str:
    inner = ""
    for i in range(_MAX_ARGS, 0, -1):
        sep = f"{_GAP},{_GAP}" if i > 1 else ""
        inner = f"(?:{sep}(?P<a{i}>{_V}){inner})?"
    return inner


_FACT_LINE: Final = re.compile(
    rf"(?P<name>{_atomic('NAME')}){_GAP}\({_GAP}{_args_pattern()}{_GAP}\)"
    rf"(?:{_GAP}(?P<cmp>{_atomic('COMPARATOR')}){_GAP}(?P<value>{_V}))?"
)
_CITATION_LINE: Final = re.compile(
    rf"@{_GAP}(?P<id>{_atomic('SOURCE_ID')})(?:{_GAP}(?P<quote>{_atomic('STRING')}))?"
    rf"(?:{_GAP}(?P<contradicts>contradicts)(?![A-Za-z0-9_]))?"
)
_ARG_GROUPS: Final = tuple(f"a{i}" for i in range(1, _MAX_ARGS + 1))
_new_pos: Final = functools.partial(tuple.__new__, s.Pos)


def statements(text: str) -> tuple[list[s.Statement], list[s.Comment]] | None:
    """The statements and comments of ``text`` in file order, or None when Lark must parse it.

    ``text`` is what Lark would parse: decoded, without a byte-order mark.
    None means only "not certain": the file may well be valid.
    """
    try:
        return _Scan(text).run()
    except _Unsure:
        return None


class _Scan:
    """One left-to-right pass: ``at`` is the next character, ``line``/``line_start`` where it is."""

    __slots__ = ("at", "comments", "line", "line_start", "n", "text", "values")

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.at = 0
        self.line = 1
        self.line_start = 0  # offset of the current line's first character
        self.comments: list[s.Comment] = []
        # Literal meanings are immutable and repeat (entity names, years):
        # one per spelling per file.
        self.values: dict[tuple[str, str], v.Value] = {}

    # --- tokens ----------------------------------------------------------------------------------

    def char(self) -> str:
        """The next significant character ('' at the end), after whitespace and comments."""
        text, at = self.text, self.at
        c = text[at] if at < self.n else ""
        if c in " \t\f\r\n#" and c:
            m = _SKIP.match(text, at)
            assert m is not None
            end = m.end()
            if c == "#" or "#" in text[at:end]:
                self._comments(at, end)
            newlines = text.count("\n", at, end)
            if newlines:
                self.line += newlines
                self.line_start = text.rfind("\n", at, end) + 1
            self.at = at = end
            c = text[at] if at < self.n else ""
        return c

    def _comments(self, at: int, end: int) -> None:
        text, line = self.text, self.line
        while True:
            mark = text.find("#", at, end)
            if mark < 0:
                return
            line += text.count("\n", at, mark)
            stop = text.find("\n", mark, end)
            stop = end if stop < 0 else stop
            self.comments.append(s.Comment(text[mark:stop], line, mark - text.rfind("\n", 0, mark)))
            at = stop

    def pos(self, start: int, end: int) -> s.Pos:
        """The position of a token at [start, end) on the current line."""
        base = self.line_start - 1
        return _new_pos((self.line, start - base, self.line, end - base, start, end))

    def punct(self, c: str) -> s.Pos:
        """Take the one-character token ``c`` (or give up)."""
        if self.char() != c:
            raise _UNSURE
        start = self.at
        self.at = start + 1
        return self.pos(start, start + 1)

    def word(self) -> str | None:
        """The word at the next significant character, not taken (None if there is none)."""
        self.char()
        m = _NAME.match(self.text, self.at)
        return m.group() if m is not None else None

    def keyword(self) -> s.Pos:
        """Take the word just looked at by :meth:`word`."""
        m = _NAME.match(self.text, self.at)
        assert m is not None
        self.at = m.end()
        return self.pos(m.start(), self.at)

    def name(self) -> s.Ident:
        """Take a name. A keyword or a fiscal year there is Lark's to judge."""
        self.char()
        m = _NAME.match(self.text, self.at)
        if m is None:
            raise _UNSURE
        text = m.group()
        if text in s.RESERVED or _FISCAL_NAME.fullmatch(text):
            raise _UNSURE
        self.at = m.end()
        return s.Ident(text, self.pos(m.start(), self.at))

    def string(self) -> tuple[str, s.Pos]:
        """Take a string literal: its raw text and position."""
        self.char()
        m = _STRING.match(self.text, self.at)
        if m is None:
            raise _UNSURE
        self.at = m.end()
        return m.group(), self.pos(m.start(), self.at)

    def source_id(self) -> s.Ident:
        """Take a source id (Lark would take a keyword there as an id: left to Lark)."""
        self.char()
        m = _SOURCE_ID.match(self.text, self.at)
        if m is None or m.group() in s.RESERVED:
            raise _UNSURE
        self.at = m.end()
        return s.Ident(m.group(), self.pos(m.start(), self.at))

    def literal(self, kind: str, raw: str, start: int, end: int, *, names: bool = True) -> s.Literal:
        """The literal of one value token already matched at [start, end) on the current line."""
        pos = self.pos(start, end)
        if kind == "NAME":
            if raw == "true" or raw == "false":
                return s.Literal("BOOL", v.Bool(raw == "true"), raw, pos)
            # (FY2024 would have matched FISCAL_YEAR, which is tried first.)
            if not names or raw in s.RESERVED:
                raise _UNSURE
        key = (kind, raw)
        value = self.values.get(key)
        if value is None:
            try:
                value = literal_value(kind, raw)
            except BadValue:
                raise _UNSURE from None  # Lark reports it (FL108)
            self.values[key] = value
        return s.Literal(kind, value, raw, pos)  # type: ignore[arg-type]

    def value(self, *, names: bool = True) -> s.Literal:
        """Take a value: a literal, an entity name, or ``CODE amount`` (``names``: the last two allowed)."""
        self.char()
        m = _VALUE.match(self.text, self.at)
        if m is None:
            raise _UNSURE
        kind = m.lastgroup
        assert kind is not None
        self.at = m.end()
        lit = self.literal(kind, m.group(), m.start(), self.at, names=names)
        if kind == "NAME" and lit.kind == "NAME":
            return self.maybe_iso_money(lit)
        return lit

    def maybe_iso_money(self, code: s.Literal) -> s.Literal:
        """``USD 14.53``: a name followed by a number is an amount in that currency."""
        c = self.char()
        if not c or c not in "0123456789+-":  # not NUMBER's first character: just a name
            return code
        m = _NUMBER.match(self.text, self.at)
        text = code.raw
        if m is None or not (len(text) == 3 and text.isalpha() and text.isupper()):
            raise _UNSURE  # Lark reports it
        number = m.group()
        self.at = m.end()
        end = self.pos(m.start(), self.at)
        raw = f"{text} {number}"
        key = ("ISO_MONEY", raw)
        money = self.values.get(key)
        if money is None:
            sign, _, amount, scale = decimal_parts(number)
            money = self.values[key] = v.Money(amount, scale, currency=text, signed=bool(sign))
        first = code.pos
        pos = _new_pos((first.line, first.column, end.end_line, end.end_column, first.start, end.end))
        return s.Literal("ISO_MONEY", money, raw, pos)

    # --- statements ------------------------------------------------------------------------------

    def run(self) -> tuple[list[s.Statement], list[s.Comment]]:
        out: list[s.Statement] = []
        fact_line = _FACT_LINE.match
        while True:
            # Most statements are facts on one line: tried first, in one match.
            c = self.char()
            m = fact_line(self.text, self.at) if c else None
            if m is not None and m["name"] not in s.RESERVED:
                out.append(self.fact(None, m))
                continue
            w = self.word()
            if w is None:
                if self.at < self.n:
                    raise _UNSURE  # not a statement's start: an error, Lark's to report
                return out, self.comments
            if w not in s.RESERVED:
                out.append(self.fact(None))
            elif w == "not":
                out.append(self.fact(self.keyword()))
            elif w == "entity":
                out.append(self.entity())
            elif w == "use":
                kw = self.keyword()
                raw, path_pos = self.string()
                out.append(s.Use(unquote(raw), _span(kw, path_pos), path_pos))
            elif w == "kind":
                kw = self.keyword()
                name = self.name()
                out.append(s.KindDecl(name, _span(kw, name.pos)))
            elif w == "source":
                out.append(self.source())
            elif w == "predicate":
                out.append(self.predicate())
            else:  # aka, contradicts, true, false: a name Lark may read either way
                raise _UNSURE

    def fact(self, neg: s.Pos | None, m: re.Match[str] | None = None) -> s.FactStmt:
        if m is None:
            self.char()
            m = _FACT_LINE.match(self.text, self.at)
        if m is not None:
            name, args, comparator, comparator_pos, value = self.fact_line(m)
        else:
            name, args = self.fact_head()
            comparator = comparator_pos = value = None
        if comparator is None and self.char() in ("!", "=", "<", ">", "~"):
            cm = _COMPARATOR.match(self.text, self.at)
            if cm is None:
                raise _UNSURE
            comparator = cm.group()
            self.at = cm.end()
            comparator_pos = self.pos(cm.start(), self.at)
            value = self.value()
        citations: list[s.Citation] = []
        while self.char() == "@":
            citations.append(self.citation())
        if citations:
            end = citations[-1].pos
        elif value is not None:
            end = value.pos
        else:
            end = args[-1].pos if args else name.pos
        return s.FactStmt(
            neg is not None,
            name,
            tuple(args),
            comparator,
            value,
            tuple(citations),
            _span(neg or name.pos, end),
            comparator_pos,
        )

    def fact_line(
        self, m: re.Match[str]
    ) -> tuple[s.Ident, list[s.Literal], str | None, s.Pos | None, s.Literal | None]:
        """The parts of a fact head matched whole by ``_FACT_LINE``."""
        raw = m["name"]
        if raw in s.RESERVED or _FISCAL_NAME.fullmatch(raw):
            raise _UNSURE
        line, base = self.line, self.line_start - 1
        start, end = m.span("name")
        name = s.Ident(raw, _new_pos((line, start - base, line, end - base, start, end)))
        text = self.text
        args: list[s.Literal] = []
        match_value, values, Literal = _VALUE.match, self.values, s.Literal
        for group in _ARG_GROUPS:
            start, end = m.span(group)
            if start < 0:
                break
            # The same alternation at the same place: the terminal Lark's lexer picks.
            vm = match_value(text, start)
            if vm is None or vm.end() != end:  # pragma: no cover - the same patterns
                raise _UNSURE
            kind, arg = vm.lastgroup, vm.group()
            meaning = values.get((kind, arg))  # type: ignore[arg-type]
            # Only a literal that passed its checks is remembered (a name is
            # neither a keyword nor true/false), so a known one needs none.
            if meaning is None:
                args.append(self.literal(kind, arg, start, end))  # type: ignore[arg-type]
            else:
                pos = _new_pos((line, start - base, line, end - base, start, end))
                args.append(Literal(kind, meaning, arg, pos))  # type: ignore[arg-type]
        self.at = m.end()
        comparator = m["cmp"]
        if comparator is None:
            return name, args, None, None, None
        comparator_pos = self.pos(m.start("cmp"), m.end("cmp"))
        vm = _VALUE.match(text, m.start("value"))
        if vm is None or vm.end() != m.end():  # pragma: no cover - the same patterns
            raise _UNSURE
        value = self.literal(vm.lastgroup, vm.group(), vm.start(), vm.end())  # type: ignore[arg-type]
        if value.kind == "NAME":
            value = self.maybe_iso_money(value)
        return name, args, comparator, comparator_pos, value

    def fact_head(self) -> tuple[s.Ident, list[s.Literal]]:
        """``name(value, ...)`` token by token."""
        name = self.name()
        self.punct("(")
        args: list[s.Literal] = []
        if self.char() == ")":
            self.at += 1
            return name, args
        while True:
            args.append(self.value())
            c = self.char()
            self.at += 1
            if c == ")":
                return name, args
            if c != ",":
                raise _UNSURE

    def citation(self) -> s.Citation:
        m = _CITATION_LINE.match(self.text, self.at)
        quote = quote_pos = None
        contradicts = False
        if m is None:  # the id on another line: token by token
            at = self.punct("@")
            source = self.source_id()
            last = source.pos
        else:
            at = self.pos(m.start(), m.start() + 1)
            raw = m["id"]
            if raw in s.RESERVED:
                raise _UNSURE  # Lark reads a keyword there as an id
            source = s.Ident(raw, self.pos(m.start("id"), m.end("id")))
            last = source.pos
            if m["quote"] is not None:
                quote_pos = last = self.pos(m.start("quote"), m.end("quote"))
                quote = unquote(m["quote"])
            contradicts = m["contradicts"] is not None
            if contradicts:
                last = self.pos(m.start("contradicts"), m.end())
            self.at = m.end()
        # What the one-line match did not reach may follow on the next lines.
        if quote is None and not contradicts and self.char() == '"':
            raw_quote, quote_pos = self.string()
            quote = unquote(raw_quote)
            last = quote_pos
        if not contradicts and self.char() == "c" and self.word() == "contradicts":
            contradicts = True
            last = self.keyword()
        return s.Citation(source, quote, contradicts, _span(at, last), quote_pos)

    def entity(self) -> s.EntityDecl:
        kw = self.keyword()
        name = self.name()
        self.punct(":")
        kind = self.name()
        aliases = self.aka()
        last = aliases[-1][1] if aliases else kind.pos
        return s.EntityDecl(name, kind, tuple(unquote(raw) for raw, _ in aliases), _span(kw, last))

    def aka(self) -> list[tuple[str, s.Pos]]:
        """An optional ``aka "a", "b"`` list, as raw strings and positions."""
        if self.word() != "aka":
            return []
        self.keyword()
        out = [self.string()]
        while self.char() == ",":
            self.at += 1
            out.append(self.string())
        return out

    def source(self) -> s.SourceDecl:
        kw = self.keyword()
        ident = self.source_id()
        self.punct("=")
        raw, path_pos = self.string()
        fields: list[s.Field] = []
        last = path_pos
        has_block = self.char() == "{"
        if has_block:
            self.at += 1
            while self.char() != "}":
                name = self.name()
                self.punct(":")
                value = self.value(names=False)
                fields.append(s.Field(name, value, _span(name.pos, value.pos)))
            last = self.punct("}")
        return s.SourceDecl(ident, unquote(raw), tuple(fields), has_block, _span(kw, last), path_pos)

    def predicate(self) -> s.PredicateDecl:
        kw = self.keyword()
        name = self.name()
        self.punct("(")
        params: list[s.Param] = []
        if self.char() == ")":
            self.at += 1
        else:
            while True:
                pname = self.name()
                self.punct(":")
                params.append(s.Param(pname, self.name()))
                c = self.char()
                self.at += 1
                if c == ")":
                    break
                if c != ",":
                    raise _UNSURE
        vtype = None
        last = name.pos
        if self.char() == "-" and self.text.startswith("->", self.at):
            self.at += 2
            vtype = self.name()
            last = vtype.pos
        template = template_pos = None
        if self.char() == '"':
            raw, template_pos = self.string()
            template = unquote(raw)
            last = template_pos
        aka_pos = self.pos(self.at, self.at + 3) if self.word() == "aka" else None
        phrases = self.aka()
        if phrases:
            last = phrases[-1][1]
        return s.PredicateDecl(
            name,
            tuple(params),
            vtype,
            template,
            _span(kw, last),
            template_pos,
            tuple(unquote(raw) for raw, _ in phrases),
            aka_pos,
        )


def _span(first: s.Pos, last: s.Pos) -> s.Pos:
    return _new_pos((first.line, first.column, last.end_line, last.end_column, first.start, last.end))
