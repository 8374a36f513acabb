"""The literal vocabulary is written once (factlang.values) and every reader agrees with it.

Currency prefixes and scale words and suffixes: the grammar's terminals, the
parser, the Pygments lexer and the quantity extractor all accept exactly
what the table lists.
"""

from __future__ import annotations

import re

import pytest
from pygments.token import Number

from factlang import values as v
from factlang.lexer import FactlangLexer
from factlang.parser import grammar_text
from factlang.verify.quantities import extract


def _terminal(name: str) -> str:
    match = re.search(rf"^{name}\.\d+: /(.*)/$", grammar_text(), flags=re.MULTILINE)
    assert match is not None, name
    return match.group(1)


def _alternatives(group: str) -> set[str]:
    out: set[str] = set()
    for part in group.split("|"):
        if part.startswith("[") and part.endswith("]"):
            out.update(part[1:-1])
        else:
            out.add(part.replace("\\", ""))
    return out


def test_the_grammar_takes_its_prefixes_and_scales_from_the_table() -> None:
    money = _terminal("MONEY")
    prefixes = re.match(r"\[\+\\-\]\?\(\?:([^()]*)\)", money)
    assert prefixes is not None
    assert _alternatives(prefixes.group(1)) == set(v.CURRENCY_PREFIXES)
    words = re.search(r"\(\?:(thousand[^)]*)\)", money)
    assert words is not None
    assert _alternatives(words.group(1)) == set(v.SCALES)
    suffixes = re.search(r"\(\?:(mn[^)]*)\)\(\?!", money)
    assert suffixes is not None
    assert _alternatives(suffixes.group(1)) == set(v.SCALE_SUFFIXES)
    assert _terminal("NUMBER").endswith(money[money.index("(?:[ \\t]*") :])


def _literals() -> list[str]:
    scales = [f" {w}" for w in v.SCALES] + list(v.SCALE_SUFFIXES)
    return [f"{prefix}1.5{scale}" for prefix in v.CURRENCY_PREFIXES for scale in scales]


@pytest.mark.parametrize("literal", _literals())
def test_every_prefix_and_scale_parses_lexes_and_is_extracted(literal: str) -> None:
    from factlang.parser import parse

    parsed = parse(
        "kind Company\nentity Acme: Company\npredicate revenue(c: Company) -> Money\n"
        f'revenue(Acme) = {literal}\n    @ wire "Acme made {literal}"\n',
        "vocab.fact",
    )
    (fact,) = parsed.facts
    assert fact.value is not None
    written = fact.value.value
    assert isinstance(written, v.Money)
    # The lexer reads the literal as one number token.
    tokens = [(t, s) for t, s in FactlangLexer().get_tokens(f"revenue(Acme) = {literal}\n") if s.strip()]
    assert tokens[-1][0] in Number
    assert tokens[-1][1] == literal
    # The extractor reads the same amount in running text.
    stated = [q.value for q in extract(f"Acme made {literal} last year.") if isinstance(q.value, v.Money)]
    assert stated == [written]
