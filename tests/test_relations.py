"""The relation check (SPEC §3 step 4): phrases with inflections, polarity per clause."""

from __future__ import annotations

import pytest

from factlang.model import Param, Predicate
from factlang.verify.relations import inflections, phrase_pattern, relation_verdict

PARTNER = Predicate(
    "partner",
    (Param("a", "Company"), Param("b", "Company")),
    aka=("partnership", "work with", "team up"),
)
BARE = Predicate("passed_over", (Param("a", "Company"), Param("b", "Company")))


def verdict(sentence: str, *, negated: bool = False, predicate: Predicate = PARTNER) -> str:
    return relation_verdict(predicate, negated, sentence, (0, len(sentence)), ()).verdict


@pytest.mark.parametrize(
    "text",
    [
        "Acme partners with Globex",
        "Acme partnered with Globex",
        "Acme is partnering with Globex",
        "a partnership with Globex",
        "Acme works with Globex",
        "Acme worked with Globex",
        "Acme is working with Globex",
        "Acme worked closely with Globex",
        "Acme teamed up with Globex",
        "the team-up of Acme and Globex",
        "Acme and Globex\nteamed up",
    ],
)
def test_a_phrase_is_found_in_its_ordinary_inflections(text: str) -> None:
    assert phrase_pattern(("partnership", "work with", "team up")).search(text)


@pytest.mark.parametrize("text", ["Acme's workers", "the teams", "a partnerless firm", "homework with"])
def test_a_phrase_is_a_whole_word_match(text: str) -> None:
    assert not phrase_pattern(("partner", "work with", "team up")).search(text)


def test_inflections_of_a_verb_and_a_noun() -> None:
    assert {"partner", "partners", "partnered", "partnering", "partnership"} <= set(inflections("partner"))
    assert {"tap", "tapped", "tapping", "taps"} <= set(inflections("tap"))
    assert {"collaborate", "collaborated", "collaborating", "collaboration"} <= set(
        inflections("collaborate")
    )
    assert inflections("with") == ("with",)


@pytest.mark.parametrize(
    ("sentence", "negated", "expected"),
    [
        ("Acme ruled out a partnership with Globex.", True, "supported"),
        ("Acme ruled out a partnership with Globex.", False, "refuted"),
        ("Acme will work with Globex on chips.", False, "supported"),
        ("Acme will work with Globex on chips.", True, "refuted"),
        ("Acme did not team up with Globex.", True, "supported"),
        ("Acme decided against a partnership with Globex.", True, "supported"),
        ("Acme passed over Globex for a partnership.", True, "supported"),
        ("Acme is no longer working with Globex.", True, "supported"),
        ("Acme never worked with Globex.", True, "supported"),
        ("Acme didn't team up with Globex.", True, "supported"),
        ("The partnership with Globex was ruled out.", True, "supported"),
        # A negation in another clause does not negate the relation.
        ("Acme, which did not comment, works with Globex.", False, "supported"),
        ("Acme did not comment, but it works with Globex.", False, "supported"),
        ("No one expected it, yet Acme works with Globex.", False, "supported"),
        ("With no fanfare, Acme teamed up with Globex.", False, "supported"),
        ("Acme dropped its pursuit of a partnership with Globex.", True, "supported"),
        ("Acme rejected a proposal for a partnership with Globex.", True, "supported"),
        ("Acme has no interest in a partnership with Globex.", True, "supported"),
        ("This isn't the first time Acme has worked with Globex.", False, "supported"),
        # A quote opening inside the clause keeps it one clause; speech meeting its attribution ends it.
        ('Acme has no interest in "a partnership with Globex," it said.', True, "supported"),
        ("“It is not easy,” said Acme, which works with Globex.", False, "supported"),
        ("“We do not compete,” said Acme, which works with Globex.", False, "supported"),
        # "not only" is no negation; two negations state neither polarity.
        ("Acme not only works with Globex but also with Initech.", False, "supported"),
        ("Acme did not rule out a partnership with Globex.", False, "unverified"),
        ("Acme did not rule out a partnership with Globex.", True, "unverified"),
        # The predicate must be stated.
        ("Acme met Globex.", False, "unverified"),
        ("Acme met Globex.", True, "unverified"),
    ],
)
def test_polarity_comes_from_the_clause_that_states_the_relation(
    sentence: str, negated: bool, expected: str
) -> None:
    assert verdict(sentence, negated=negated) == expected


def test_a_missing_entity_leaves_the_relation_unverified() -> None:
    check = relation_verdict(
        PARTNER, False, "Acme works with Globex.", (0, 10), ("b Initech is not mentioned",)
    )
    assert check.verdict == "unverified"
    assert "Initech" in check.message


def test_the_predicates_own_words_are_not_its_negation() -> None:
    assert verdict("Acme had reportedly passed over Globex.", predicate=BARE) == "supported"
    assert verdict("Acme did not pass over Globex.", predicate=BARE) == "refuted"


def test_without_aka_a_quote_that_names_no_phrase_is_trusted() -> None:
    assert verdict("Acme decided against Globex's model.", predicate=BARE) == "supported"


def test_a_phrase_outside_the_quote_never_refutes() -> None:
    sentence = "Acme announced a partnership with Initech, replacing its work with Globex."
    quote = (sentence.index("replacing"), len(sentence) - 1)
    assert relation_verdict(PARTNER, True, sentence, quote, ()).verdict == "supported"
    only_outside = (sentence.index("Initech"), sentence.index(","))
    assert relation_verdict(PARTNER, True, sentence, only_outside, ()).verdict == "unverified"


def test_a_refutation_says_what_the_text_states() -> None:
    check = relation_verdict(PARTNER, False, "Acme ruled out a partnership with Globex.", (0, 40), ())
    assert check.verdict == "refuted"
    assert "“partnership”" in check.message
    assert "negated" in check.message
