"""The language's syntax (SPEC §2): every statement form, literal and position."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from factlang import ParsedFile, ParseError, parse
from factlang import syntax as s
from factlang.values import (
    Bool,
    Date,
    EntityRef,
    FiscalYear,
    Money,
    Month,
    Number,
    Percent,
    Quarter,
    Text,
    Value,
)

# SPEC §2's example, kept as a data file.
SPEC_EXAMPLE = (Path(__file__).parent / "fixtures" / "spec_example.fact").read_text(encoding="utf-8")


#: Positions never take part in equality; expected nodes are built with this one.
AT = s.Pos(0, 0, 0, 0)


def ident(text: str) -> s.Ident:
    return s.Ident(text, AT)


def one(text: str) -> s.Statement:
    (statement,) = parse(text).statements
    return statement


def fact(text: str) -> s.FactStmt:
    statement = one(text)
    assert isinstance(statement, s.FactStmt)
    return statement


def value(literal: str) -> s.Literal:
    """The value literal of ``price(Apple) = <literal>``."""
    stated = fact(f"price(Apple) = {literal}").value
    assert stated is not None
    return stated


# --- statements --------------------------------------------------------------------


def test_the_spec_example_parses_into_groups_of_statements() -> None:
    parsed = parse(SPEC_EXAMPLE, "market.fact")

    assert parsed.path == "market.fact"
    assert [len(group) for group in (parsed.uses, parsed.sources, parsed.kinds)] == [1, 1, 2]
    assert [len(group) for group in (parsed.entities, parsed.predicates, parsed.facts)] == [3, 1, 2]


def test_statements_are_listed_in_the_order_written() -> None:
    parsed = parse('share(Huawei, China, 2024) = 16%\nkind Company\nuse "common.fact"\n')

    assert [type(st).__name__ for st in parsed.statements] == ["FactStmt", "KindDecl", "Use"]


def test_use_names_a_path() -> None:
    assert one('use "common/companies.fact"') == s.Use("common/companies.fact", AT, AT)


def test_source_without_a_block() -> None:
    source = one('source reuters = "seeds/001_f348f285d0361a47.txt"')

    assert source == s.SourceDecl(ident("reuters"), "seeds/001_f348f285d0361a47.txt", (), False, AT, AT)
    assert isinstance(source, s.SourceDecl)
    assert not source.has_block


def test_source_with_a_metadata_block() -> None:
    source = one(SPEC_EXAMPLE.split("\n\n")[1])

    assert isinstance(source, s.SourceDecl)
    assert source.has_block
    assert [(f.name.text, f.value.value) for f in source.fields] == [
        ("title", Text("Apple picks Alibaba to launch AI features in China")),
        ("outlet", Text("CNN")),
        ("published", Date(dt.date(2025, 2, 13))),
    ]


def test_source_block_keeps_fields_it_does_not_know() -> None:
    source = one('source blog = "seeds/002_37c9d46621587dce.txt" { section: "Tech" words: 850 }')

    assert isinstance(source, s.SourceDecl)
    assert [(f.name.text, f.value.value) for f in source.fields] == [
        ("section", Text("Tech")),
        ("words", Number(Decimal(850))),
    ]


def test_source_with_an_empty_block() -> None:
    source = one('source cnn = "seeds/cnn.txt" {}')

    assert isinstance(source, s.SourceDecl)
    assert source.has_block
    assert source.fields == ()


def test_kind() -> None:
    assert one("kind Company") == s.KindDecl(ident("Company"), AT)


def test_entity_without_aliases() -> None:
    assert one("entity Huawei: Company") == s.EntityDecl(ident("Huawei"), ident("Company"), (), AT)


def test_entity_with_aliases() -> None:
    entity = one('entity Apple: Company aka "iPhone maker", "Cupertino-based firm"')

    assert entity == s.EntityDecl(
        ident("Apple"), ident("Company"), ("iPhone maker", "Cupertino-based firm"), AT
    )


def test_predicate_with_typed_parameters_value_type_and_template() -> None:
    predicate = one(
        "predicate share(company: Company, market: Region, year: Year) -> Percent\n"
        '    "{company}\'s smartphone market share in {market} in {year}"'
    )

    assert predicate == s.PredicateDecl(
        ident("share"),
        (
            s.Param(ident("company"), ident("Company")),
            s.Param(ident("market"), ident("Region")),
            s.Param(ident("year"), ident("Year")),
        ),
        ident("Percent"),
        "{company}'s smartphone market share in {market} in {year}",
        AT,
        AT,
    )


def test_predicate_without_arrow_is_a_relation() -> None:
    predicate = one("predicate partner(company: Company, partner: Company)")

    assert isinstance(predicate, s.PredicateDecl)
    assert predicate.value_type is None
    assert predicate.template is None


def test_relation_with_a_template() -> None:
    predicate = one('predicate partner(company: Company, partner: Company) "{company} works with {partner}"')

    assert isinstance(predicate, s.PredicateDecl)
    assert predicate.value_type is None
    assert predicate.template == "{company} works with {partner}"


def test_predicate_aka_phrases_follow_the_signature() -> None:
    predicate = one('predicate partner(a: Company, b: Company) aka "partner", "work with", "team up"')

    assert isinstance(predicate, s.PredicateDecl)
    assert predicate.aka == ("partner", "work with", "team up")
    assert predicate.template is None
    assert predicate.aka_pos is not None
    assert predicate.aka_pos.column == 43


def test_predicate_aka_phrases_follow_the_template() -> None:
    predicate = one(
        'predicate moved(c: Company) -> Percent\n    "{c}\'s shares moved {value}"\n    aka "shares moved"'
    )

    assert isinstance(predicate, s.PredicateDecl)
    assert predicate.template == "{c}'s shares moved {value}"
    assert predicate.aka == ("shares moved",)
    assert predicate.pos.end_line == 3


def test_predicate_without_aka_has_no_phrases() -> None:
    predicate = one("predicate partner(a: Company, b: Company)")

    assert isinstance(predicate, s.PredicateDecl)
    assert predicate.aka == ()
    assert predicate.aka_pos is None


def test_aka_needs_a_phrase() -> None:
    with pytest.raises(ParseError):
        parse("predicate partner(a: Company, b: Company) aka\n")


def test_predicate_without_parameters() -> None:
    predicate = one("predicate summit_held() -> Date")

    assert isinstance(predicate, s.PredicateDecl)
    assert predicate.params == ()
    assert predicate.value_type == ident("Date")


def test_fact_with_a_value_and_a_citation() -> None:
    stated = fact(
        'share(Huawei, China, 2024) = 16%\n    @ cnn "Huawei, posted a market share of 16% in China"'
    )

    assert stated.predicate == ident("share")
    assert [a.value for a in stated.args] == [EntityRef("Huawei"), EntityRef("China"), Number(Decimal(2024))]
    assert stated.comparator == "="
    assert stated.value is not None
    assert stated.value.value == Percent(Decimal(16))
    assert not stated.negated
    assert stated.citations == (
        s.Citation(ident("cnn"), "Huawei, posted a market share of 16% in China", False, AT, AT),
    )


def test_relation_fact_has_no_comparator_or_value() -> None:
    stated = fact('partner(Apple, Alibaba) @ cnn "Apple will work with Chinese tech giant Alibaba"')

    assert stated.comparator is None
    assert stated.value is None
    assert not stated.negated


def test_not_negates_a_relation() -> None:
    stated = fact('not partner(Apple, Baidu) @ cnn "before ultimately selecting Alibaba"')

    assert stated.negated
    assert stated.predicate == ident("partner")


def test_a_name_that_starts_with_a_keyword_is_a_name() -> None:
    stated = fact("notable(Apple)")

    assert not stated.negated
    assert stated.predicate == ident("notable")


@pytest.mark.parametrize("comparator", ["=", "!=", ">", ">=", "<", "<=", "~"])
def test_every_comparator(comparator: str) -> None:
    stated = fact(f"share(Huawei, China, 2024) {comparator} 15%")

    assert stated.comparator == comparator


@pytest.mark.parametrize("comparator", ["=", "!=", ">", ">=", "<", "<=", "~"])
def test_comparators_need_no_spaces(comparator: str) -> None:
    stated = fact(f"change(Apple){comparator}-11%")

    assert stated.comparator == comparator
    assert stated.value is not None
    assert stated.value.value == Percent(Decimal(-11), signed=True)


def test_fact_without_arguments() -> None:
    assert fact("summit_held() = 2025-02-11").args == ()


def test_citation_without_a_quote() -> None:
    (citation,) = fact("share(Huawei, China, 2024) = 16% @ cnn").citations

    assert citation == s.Citation(ident("cnn"), None, False, AT, None)


def test_citation_marked_contradicts() -> None:
    stated = fact(
        "revenue_change(Apple, GreaterChina, 2024-Q4) = -11%\n"
        '    @ wsj "Apple\'s revenue from the Greater China region fell 11%"\n'
        '    @ reuters "Apple\'s Greater China Sales rose 11%" contradicts'
    )

    assert [(c.source.text, c.contradicts) for c in stated.citations] == [("wsj", False), ("reuters", True)]


def test_citation_without_a_quote_marked_contradicts() -> None:
    (citation,) = fact("share(Huawei, China, 2024) = 16% @ blog contradicts").citations

    assert citation == s.Citation(ident("blog"), None, True, AT, None)


def test_source_ids_may_start_with_a_digit() -> None:
    (citation,) = fact(
        'share(Huawei, China, 2024) = 16% @ 003_de8af479a19a1395 "market share of 16%"'
    ).citations

    assert citation.source == ident("003_de8af479a19a1395")


def test_source_ids_may_contain_dashes_and_dots() -> None:
    source = one('source reuters-2025.02.13 = "seeds/r.txt"')

    assert isinstance(source, s.SourceDecl)
    assert source.id == ident("reuters-2025.02.13")


def test_a_declared_source_id_may_start_with_a_digit() -> None:
    source = one('source 003_de8af479a19a1395 = "seeds/003_de8af479a19a1395.txt"')

    assert isinstance(source, s.SourceDecl)
    assert source.id.text == "003_de8af479a19a1395"


# --- comments and whitespace -------------------------------------------------------


def test_comments_run_to_the_end_of_the_line() -> None:
    parsed = parse("# Market shares\nkind Company  # the firms\n")

    assert parsed.kinds == (s.KindDecl(ident("Company"), AT),)
    assert parsed.comments == (s.Comment("# Market shares", 1, 1), s.Comment("# the firms", 2, 15))


def test_a_hash_inside_a_string_is_not_a_comment() -> None:
    parsed = parse('entity Apple: Company aka "#1 seller"  # in 2023\n')

    assert parsed.entities[0].aliases == ("#1 seller",)
    assert [c.text for c in parsed.comments] == ["# in 2023"]


def test_a_statement_may_span_lines() -> None:
    spread = parse("share(\n  Huawei,\n  China,\n  2024\n)\n=\n16%\n@\ncnn\n")

    assert spread == parse("share(Huawei, China, 2024) = 16% @ cnn")


def test_statements_may_share_a_line() -> None:
    parsed = parse("kind Company kind Region entity Huawei: Company")

    assert [k.name.text for k in parsed.kinds] == ["Company", "Region"]
    assert len(parsed.entities) == 1


def test_a_comment_may_sit_inside_a_statement() -> None:
    stated = fact("share(Huawei,  # the leader\n  China, 2024) = 16%")

    assert [a.raw for a in stated.args] == ["Huawei", "China", "2024"]


def test_tabs_form_feeds_and_crlf_are_whitespace() -> None:
    assert parse("kind\tCompany\r\n\x0ckind Region\r\n") == parse("kind Company\nkind Region\n")


def test_an_empty_file() -> None:
    assert parse("") == ParsedFile("<string>")


def test_a_file_of_comments_only() -> None:
    parsed = parse("# nothing yet\n\n# still nothing\n")

    assert parsed.statements == []
    assert len(parsed.comments) == 2


def test_bytes_are_read_as_utf_8() -> None:
    parsed = parse('entity Apple: Company aka "Apple’s"\n'.encode())

    assert parsed.entities[0].aliases == ("Apple’s",)


# --- literals ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        ("16%", Percent(Decimal("16"))),
        ("2.2%", Percent(Decimal("2.2"))),
        ("+7.8%", Percent(Decimal("7.8"), signed=True)),
        ("-11%", Percent(Decimal("-11"), signed=True)),
        ("$14.53", Money(Decimal("14.53"), currency="USD")),
        ("US$14.53", Money(Decimal("14.53"), currency="USD")),
        ("HK$113.10", Money(Decimal("113.10"), currency="HKD")),
        ("NT$30", Money(Decimal("30"), currency="TWD")),
        ("¥100", Money(Decimal("100"), currency="¥")),
        ("€5", Money(Decimal("5"), currency="EUR")),
        ("£5", Money(Decimal("5"), currency="GBP")),
        ("USD 14.53", Money(Decimal("14.53"), currency="USD")),
        ("CNY 5 billion", Money(Decimal("5"), "billion", currency="CNY")),
        ("$185.1 billion", Money(Decimal("185.1"), "billion", currency="USD")),
        ("$185.1bn", Money(Decimal("185.1"), "billion", currency="USD")),
        ("$185.1B", Money(Decimal("185.1"), "billion", currency="USD")),
        ("-$2.5 million", Money(Decimal("-2.5"), "million", currency="USD", signed=True)),
        ("42", Number(Decimal("42"))),
        ("3,000", Number(Decimal("3000"))),
        ("1.5 million", Number(Decimal("1.5"), "million")),
        ("20k", Number(Decimal("20"), "thousand")),
        ("2024", Number(Decimal("2024"))),
        ("FY2024", FiscalYear(2024)),
        ("2024-Q4", Quarter(2024, 4)),
        ("2025-01", Month(2025, 1)),
        ("2025-02-13", Date(dt.date(2025, 2, 13))),
        ('"Qwen 2.5-Max"', Text("Qwen 2.5-Max")),
        ("true", Bool(True)),
        ("false", Bool(False)),
        ("Alibaba", EntityRef("Alibaba")),
    ],
)
def test_literal(literal: str, expected: Value) -> None:
    assert value(literal).value == expected


@pytest.mark.parametrize(
    ("literal", "kind"),
    [
        ("+7.8%", "PERCENT"),
        ("HK$113.10", "MONEY"),
        ("USD 14.53", "ISO_MONEY"),
        ("1.5 million", "NUMBER"),
        ("2024", "NUMBER"),
        ("FY2024", "FISCAL_YEAR"),
        ("2024-Q4", "QUARTER"),
        ("2025-01", "MONTH"),
        ("2025-02-13", "DATE"),
        ('"Qwen 2.5-Max"', "STRING"),
        ("true", "BOOL"),
        ("Alibaba", "NAME"),
    ],
)
def test_literal_kind_and_spelling_are_kept(literal: str, kind: str) -> None:
    parsed = value(literal)

    assert parsed.kind == kind
    assert parsed.raw == literal


def test_a_year_is_a_number_until_a_signature_types_it() -> None:
    assert value("2024").value == Number(Decimal(2024))


def test_strings_unescape_quotes_backslashes_newlines_and_tabs() -> None:
    assert value(r'"the \"Qwen\" model\\2.5\nMax\tnow"').value == Text('the "Qwen" model\\2.5\nMax\tnow')


def test_unknown_escapes_are_kept_as_written() -> None:
    assert value(r'"C:\temp\q"').value == Text("C:\temp\\q")


def test_money_keeps_its_currency_and_scale_as_stated() -> None:
    money = value("CNY 5 billion").value

    assert isinstance(money, Money)
    assert (money.amount, money.scale, money.currency) == (Decimal(5), "billion", "CNY")


def test_values_compare_by_meaning() -> None:
    assert value("$185.1 billion").value == value("$185100 million").value
    assert value("$185.1bn").value == value("$185.1B").value == value("US$185.1 billion").value
    assert value("USD 14.53").value == value("$14.53").value
    assert value("3,000").value == value("3 thousand").value


def test_values_of_different_currencies_differ() -> None:
    assert value("USD 5").value != value("CNY 5").value
    assert value("HK$113.10").value != value("$113.10").value


def test_a_change_differs_from_a_level() -> None:
    assert value("+7.8%").value != value("7.8%").value


def test_precision_is_kept() -> None:
    percent = value("16.0%").value

    assert isinstance(percent, Percent)
    assert str(percent.amount) == "16.0"
    assert percent == Percent(Decimal("16"))
    assert percent.precision == Decimal("0.05")


def test_money_precision_counts_in_its_scale() -> None:
    money = value("$18.5 billion").value

    assert isinstance(money, Money)
    assert money.total == Decimal("18500000000")
    assert money.precision == Decimal("50000000")


def test_minus_zero_is_zero() -> None:
    assert value("-0%").value == value("+0%").value


# --- positions -----------------------------------------------------------------------


def test_positions_are_lines_and_columns() -> None:
    parsed = parse(SPEC_EXAMPLE)
    share = parsed.facts[0]

    assert (share.pos.line, share.pos.column) == (19, 1)
    assert (share.pos.end_line, share.pos.end_column) == (20, 58)
    assert (share.predicate.pos.line, share.predicate.pos.column) == (19, 1)
    assert [(a.pos.line, a.pos.column) for a in share.args] == [(19, 7), (19, 15), (19, 22)]
    assert share.value is not None
    assert (share.value.pos.line, share.value.pos.column) == (19, 30)
    assert share.comparator_pos is not None
    assert share.comparator_pos.column == 28


def test_citation_and_quote_positions() -> None:
    (citation,) = parse(SPEC_EXAMPLE).facts[0].citations

    assert (citation.pos.line, citation.pos.column) == (20, 5)
    assert (citation.source.pos.line, citation.source.pos.column) == (20, 7)
    assert citation.quote_pos is not None
    assert (citation.quote_pos.line, citation.quote_pos.column) == (20, 11)


def test_declaration_positions() -> None:
    parsed = parse(SPEC_EXAMPLE)

    assert parsed.uses[0].path_pos.column == 5
    assert parsed.sources[0].pos[:4] == (3, 1, 7, 2)
    assert (parsed.sources[0].fields[2].value.pos.line, parsed.sources[0].fields[2].value.pos.column) == (
        6,
        16,
    )
    assert (parsed.entities[1].name.pos.line, parsed.entities[1].name.pos.column) == (13, 8)
    assert (parsed.entities[1].kind.pos.line, parsed.entities[1].kind.pos.column) == (13, 15)
    predicate = parsed.predicates[0]
    assert predicate.template_pos is not None
    assert (predicate.template_pos.line, predicate.template_pos.column) == (17, 5)
    assert (predicate.params[1].type.pos.line, predicate.params[1].type.pos.column) == (16, 43)


def test_positions_count_characters_not_bytes() -> None:
    stated = fact('note(Apple) = "Apple’s “AI”" @ cnn')

    assert stated.citations[0].source.pos.column == 32


def test_positions_do_not_take_part_in_equality() -> None:
    assert parse("kind Company\n\n\nkind Region") == parse("kind Company kind Region")


def test_comments_do_not_take_part_in_equality() -> None:
    assert parse("kind Company  # firms") == parse("kind Company")


def test_a_line_separator_inside_a_comment_does_not_shift_lines() -> None:
    parsed = parse("# a\u2028b\x85c\nkind Company\n")

    assert parsed.kinds[0].pos.line == 2
