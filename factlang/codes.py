"""Finding codes: one table of every code factlang reports.

Every finding (a static error, a citation warning, a verdict) carries a
stable, short code, the way ruff's rules do: ``FL1xx`` for static errors
(before any source is read), ``FL2xx`` for what the verifier notes about a
citation, ``FL3xx`` for failing verdicts and conflicts. Codes are never
reused or renumbered; the docs page of codes, SARIF rule ids, ``--select``
and suppressions all read this table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Literal

import attrs

#: The verdicts of a citation and of a fact (SPEC §3), in the order reports count them.
#: (Here, not in :mod:`factlang.report`: the command line needs them before anything is loaded.)
CITATION_VERDICTS: Final[tuple[str, ...]] = ("supported", "refuted", "unverified", "not-found")
FACT_VERDICTS: Final[tuple[str, ...]] = (
    "supported",
    "refuted",
    "unverified",
    "not-found",
    "disputed",
    "uncited",
)

__all__ = ["CODES", "Code", "Severity", "check_codes", "code_for"]

Severity = Literal["error", "warning", "note"]


@attrs.frozen
class Code:
    """One finding code: its id, a kebab-case name, its usual severity, what it means, an example."""

    code: str
    name: str
    severity: Severity
    summary: str
    example: str = ""


_TABLE: Final = (
    # -- static errors: the fact files and the configuration ---------------------
    Code(
        "FL100", "syntax-error", "error", "The file is not valid factlang.", "share(Huawei, China 2024) = 16%"
    ),
    Code(
        "FL101",
        "unknown-name",
        "error",
        "A name (entity, kind, predicate, source, type) is not declared, or not visible from this file.",
        "share(Huwei, China, 2024) = 16%   # did you mean 'Huawei'?",
    ),
    Code("FL102", "wrong-arity", "error", "A fact gives more or fewer arguments than its predicate takes."),
    Code(
        "FL103",
        "wrong-type",
        "error",
        "An argument or value has the wrong type for the predicate's signature.",
    ),
    Code("FL104", "duplicate", "error", "A name, parameter or source field is declared twice."),
    Code(
        "FL105",
        "missing-file",
        "error",
        "A source file or an included fact file does not exist or cannot be read.",
    ),
    Code("FL106", "outside-root", "error", "A path leaves the project root."),
    Code("FL107", "include-cycle", "error", "Fact files include each other in a cycle."),
    Code(
        "FL108",
        "invalid-literal",
        "error",
        "A literal is malformed: a date, month, quarter or currency code.",
    ),
    Code("FL109", "encoding", "error", "A file is not UTF-8 text."),
    Code("FL110", "config", "error", "The configuration (``[tool.factlang]`` or an option) is invalid."),
    Code("FL111", "reserved-word", "error", "A reserved word or built-in type is used as a name."),
    Code("FL112", "template-slot", "error", "A predicate's template names a slot that is not a parameter."),
    Code(
        "FL113",
        "value-shape",
        "error",
        "A fact's value or comparator does not fit its predicate: a relation with a value, "
        "a valued fact without one, ``not`` on a valued predicate, a comparator the type does not allow.",
    ),
    Code("FL114", "no-facts", "error", "The paths given hold no fact at all (an empty run is never green)."),
    Code("FL115", "usage", "error", "A command-line argument is wrong (a path, a line, an option)."),
    Code(
        "FL120",
        "not-a-regular-file",
        "error",
        "A path names a named pipe, a device or a socket, not a regular file.",
        'use "/dev/zero"',
    ),
    # -- citation findings --------------------------------------------------------
    # -- sources: formats, URLs, the lock (issue 16) -------------------------------
    Code(
        "FL140",
        "url-not-locked",
        "error",
        "A URL source is not in ``factlang.lock`` (or its locked copy is missing): run ``factlang lock``.",
    ),
    Code(
        "FL141",
        "missing-extra",
        "error",
        "Reading an HTML or PDF source needs an optional extra: ``pip install 'factlang[html,pdf]'``.",
    ),
    Code(
        "FL142",
        "unreadable-source",
        "error",
        "A source cannot be read as its format (a damaged or encrypted PDF, a page without main text).",
    ),
    Code("FL143", "bad-lock", "error", "``factlang.lock`` is not a lock this factlang can read."),
    Code(
        "FL144",
        "fetch-failed",
        "error",
        "``factlang lock`` could not fetch a URL source (the reason is given).",
    ),
    Code("FL145", "bad-pin", "error", "A source's ``sha256`` pin is not 64 hexadecimal digits."),
    Code("FL146", "url-scheme", "error", "A source URL is neither http nor https.", 'source x = "ftp://..."'),
    Code(
        "FL200",
        "searched-evidence",
        "note",
        "A citation without a quote: the verifier chose the evidence itself.",
    ),
    Code(
        "FL201",
        "quote-drift",
        "warning",
        "The quote is found only approximately (90% similar or more); the source's real wording is shown.",
    ),
    Code(
        "FL202",
        "entity-not-mentioned",
        "warning",
        "An entity argument is not mentioned in the quote's sentence or the one before or after.",
    ),
    Code(
        "FL203",
        "time-not-stated",
        "warning",
        "A time argument is neither stated near the quote nor follows from the publication date.",
    ),
    Code(
        "FL204",
        "negation-missing",
        "warning",
        "The fact is negated but the text near the quote has no negation.",
    ),
    Code(
        "FL205",
        "citation-failed",
        "note",
        "A supported fact has another citation that does not support it.",
    ),
    Code(
        "FL206", "explanation", "note", "What the verifier found in the evidence (the quantity that matched)."
    ),
    Code(
        "FL209",
        "unused-suppression",
        "warning",
        "A ``# factlang: ignore[CODE]`` comment on a fact silences nothing (or names a code that cannot be "
        "suppressed): remove it, so that it cannot hide the next real finding.",
        "share(Huawei, China, 2024) = 16%  # factlang: ignore[FL202]",
    ),
    Code(
        "FL220",
        "relation-stated",
        "note",
        "A relation's evidence: its entities are mentioned, its predicate stated with the fact's polarity.",
    ),
    Code(
        "FL240",
        "bidi-control",
        "warning",
        "A quote, text value or alias holds bidirectional control characters (U+202A-U+202E,"
        " U+2066-U+2069): it may display differently from what is checked (Trojan Source).",
    ),
    Code(
        "FL241",
        "cache-untrusted",
        "warning",
        "The parse cache's key or folder could have been tampered with (not the user's own, writable by"
        " others, or a symlink): the key is replaced or the cache is off.",
    ),
    Code(
        "FL250",
        "quote-moved",
        "warning",
        "The source changed since it was locked; the quote is found again with its context, elsewhere.",
    ),
    Code(
        "FL251",
        "quote-changed",
        "warning",
        "The source changed since it was locked; the quote is found only without its context, "
        "elsewhere, or with other wording (old and new are shown).",
    ),
    Code(
        "FL252",
        "quote-gone",
        "error",
        "The source changed since it was locked and the quote is no longer found.",
    ),
    # -- verdicts and conflicts ---------------------------------------------------
    Code("FL301", "refuted", "error", "The quote states a quantity of the value's type and none matches."),
    Code("FL302", "unverified", "error", "The quote is found but states nothing that bears on the value."),
    Code("FL303", "not-found", "error", "The quote is not in the source."),
    Code("FL304", "disputed", "error", "The fact's own citations disagree: one supports, another refutes."),
    Code("FL305", "uncited", "error", "The fact has no citation (or only 'contradicts' ones)."),
    Code(
        "FL306",
        "unexpected-pass",
        "error",
        "A citation marked 'contradicts' no longer refutes the fact: the known error does not reproduce.",
    ),
    Code("FL307", "conflict", "error", "Facts with the same key have values that cannot all hold."),
    Code("FL308", "strict-warning", "error", "A supported fact has warnings and the run is ``--strict``."),
)

CODES: Final[dict[str, Code]] = {c.code: c for c in _TABLE}
_BY_NAME: Final[dict[str, Code]] = {c.name: c for c in _TABLE}

_VERDICT_CODES: Final[dict[str, str]] = {
    "refuted": "FL301",
    "unverified": "FL302",
    "not-found": "FL303",
    "disputed": "FL304",
    "uncited": "FL305",
}


def code_for(name_or_verdict: str) -> Code:
    """The code of a finding name (``quote-drift``) or a failing verdict (``refuted``)."""
    if name_or_verdict in CODES:
        return CODES[name_or_verdict]
    if name_or_verdict in _BY_NAME:
        return _BY_NAME[name_or_verdict]
    return CODES[_VERDICT_CODES[name_or_verdict]]


def check_codes(codes: Iterable[str], where: str) -> tuple[list[str], list[str]]:
    """The codes, upper-cased, and a problem message for each one that may not be selected or ignored."""
    good: list[str] = []
    problems: list[str] = []
    for raw in codes:
        code = raw.strip().upper()
        if not code:
            continue
        if code not in CODES:
            problems.append(f"unknown finding code '{raw}' in {where} (see docs/codes.md)")
        elif code.startswith("FL1"):
            problems.append(f"{where} cannot name {code}: static errors are never ignored")
        elif code.startswith("FL3"):
            problems.append(
                f"{where} cannot name {code}: a failing verdict is suppressed only on its fact, "
                f"with '# factlang: ignore[{code}]'"
            )
        else:
            good.append(code)
    return good, problems
