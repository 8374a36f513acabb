"""The documentation page of finding codes (``docs/codes.md``), generated from :data:`factlang.codes.CODES`.

``python -m factlang.render.codes_page > docs/codes.md`` writes it; a test
keeps the page equal to this output.
"""

from __future__ import annotations

from typing import Final

from factlang.codes import CODES, Code

__all__ = ["EXAMPLES", "codes_page"]

#: Examples for the codes whose table row has none: what a user writes to get it.
EXAMPLES: Final[dict[str, str]] = {
    "FL102": "share(Huawei, China) = 16%   # 'share' takes a company, a market and a year",
    "FL103": "share(Huawei, China, 2024) = 16   # the value is a Percent: 16%",
    "FL104": "entity Apple: Company\nentity Apple: Company",
    "FL105": 'source wsj = "seeds/no-such-article.txt"',
    "FL106": 'source wsj = "../../elsewhere/article.txt"',
    "FL107": '# a.fact\nuse "b.fact"\n# b.fact\nuse "a.fact"',
    "FL108": "price(Alibaba, 2025-02-30) = HK$113.10   # there is no 30 February",
    "FL109": "# a fact file saved as Latin-1 instead of UTF-8",
    "FL110": '[tool.factlang]\nstrict = "yes"   # true or false',
    "FL111": "kind Percent   # a built-in type",
    "FL112": "predicate share(company: Company) -> Percent \"{firm}'s share\"   # no parameter 'firm'",
    "FL113": "partner(Apple, Alibaba) = 1   # a relation takes no value",
    "FL114": "factlang check empty-folder/",
    "FL115": "factlang check facts/market.fact:999   # no fact at line 999",
    "FL140": 'source wsj = "https://example.com/article"   # and no factlang.lock entry yet',
    "FL141": 'source report = "reports/annual.pdf"   # without factlang[pdf] installed',
    "FL142": 'source report = "reports/encrypted.pdf"',
    "FL143": "# factlang.lock edited by hand into something else",
    "FL144": "factlang lock   # the server answers 404",
    "FL145": 'source wsj = "seeds/wsj.txt" { sha256: "abc" }',
    "FL250": "# after factlang lock --update: the paragraph moved down the page",
    "FL251": "# after factlang lock --update: the sentence was reworded",
    "FL252": "# after factlang lock --update: the sentence was deleted",
    "FL240": '@ cnn "market share of 16% in China"   # with a U+202E RIGHT-TO-LEFT OVERRIDE inside',
    "FL241": "# the parse cache folder is writable by other users, or a symlink",
    "FL200": "share(Huawei, China, 2024) = 16%\n    @ cnn",
    "FL201": (
        "share(Apple, China, 2023) = 19%\n"
        '    @ cnn "In 2023 Apple was the top seller with 19% of the market share"'
    ),
    "FL202": (
        'share(Baidu, China, 2024) = 16%\n    @ cnn "posted a market share of 16% in China"   # about Huawei'
    ),
    "FL203": (
        "price(Alibaba, 2025-02-13) = HK$113.10\n"
        '    @ wsj "to 113.10 Hong Kong dollars"   # said of 12 February'
    ),
    "FL204": 'not partner(Apple, Alibaba)\n    @ cnn "Apple picks Alibaba to launch AI features in China"',
    "FL205": 'share(Huawei, China, 2024) = 16%\n    @ cnn "market share of 16% in China"\n    @ wsj "Huawei"',
    "FL206": (
        'share(Huawei, China, 2024) = 16%\n    @ cnn "market share of 16% in China"   # the source states 16%'
    ),
    "FL301": 'share(Huawei, China, 2023) = 13%\n    @ cnn "Huawei trailed behind at 12%"',
    "FL302": (
        "share(Vivo, China, 2024) = 9%\n"
        '    @ cnn "losing market share in China to domestic rivals such as Huawei and Vivo"'
    ),
    "FL303": 'share(Vivo, China, 2023) = 8%\n    @ cnn "Vivo held 8% of the market in 2023"',
    "FL304": (
        "stock_change(Alibaba, 2025-02-13) = +9.2%\n"
        '    @ reuters "stocks rose 9.2%"\n'
        '    @ wsj "shares 7.8% higher"'
    ),
    "FL305": "share(Apple, China, 2024) > 10%",
    "FL306": (
        "share(Apple, China, 2024) = 15%\n"
        '    @ cnn "overtaking Apple’s 15%" contradicts   # the source is right'
    ),
    "FL307": "share(Huawei, China, 2023) = 13%  @ cnn ...\nshare(Huawei, China, 2023) = 12%  @ cnn ...",
    "FL308": "factlang check --strict   # a supported fact with a warning",
}

_FAMILIES: Final = (
    (
        "FL1",
        "Static errors",
        "The fact files or the configuration are wrong: nothing is verified and the exit is 2.",
    ),
    (
        "FL2",
        "Citation findings",
        "What the verifier notes about a citation: warnings, and notes that explain.",
    ),
    ("FL3", "Verdicts", "Why a fact fails (exit 1)."),
)

_SILENCING: Final = """\
## Silencing findings

| | `--select` / `--ignore` / `ignore = [...]` | `# factlang: ignore[CODE]` on the fact |
|---|---|---|
| `FL1xx` static errors | never | never |
| `FL2xx` warnings and notes | yes | yes |
| `FL3xx` failing verdicts | never | yes, counted as *suppressed* in the summary |

A run never turns green by a global switch: a failing verdict can only be
suppressed on the very fact, by a comment on any of its lines (its first
line through its last citation), and the summary line says how many facts
were suppressed. A suppression that silences nothing is itself a warning
(`FL209`), so a stale comment cannot hide the next real finding. A
conflict (`FL307`) cannot be suppressed: correct one of the facts.

```factlang
share(Apple, China, 2024) = 15%  # factlang: ignore[FL202, FL203]
    @ cnn "overtaking Apple’s 15%"
```

```toml title="pyproject.toml"
[tool.factlang]
ignore = ["FL203"]   # never report times that are not stated near the quote
```

```console
$ factlang check --select FL201          # of the warnings, only quote drift
$ factlang check --ignore FL202,FL203    # no mention warnings
```
"""


def _entry(c: Code) -> list[str]:
    example = c.example or EXAMPLES.get(c.code, "")
    lines = [f"### {c.code} `{c.name}`", "", f"*{c.severity}* — {c.summary}", ""]
    if example:
        lines += [
            "```factlang" if not example.startswith(("factlang ", "[")) else "```text",
            example,
            "```",
            "",
        ]
    return lines


def codes_page() -> str:
    """The Markdown of ``docs/codes.md``."""
    lines = [
        "# Finding codes",
        "",
        "Every finding factlang reports has a stable code, the way linters' rules do:",
        "the text output ends a failure's first line with it (`[FL301]`), GitHub",
        "annotations use it as their title, SARIF as its rule id, and JSON as `code`.",
        "Codes are never reused or renumbered. `factlang explain KEY` shows every",
        "finding of one fact with its code.",
        "",
        "<!-- Generated from factlang.codes.CODES by factlang/render/codes_page.py; do not edit. -->",
        "",
        _SILENCING,
    ]
    for prefix, title, blurb in _FAMILIES:
        lines += [f"## {title} (`{prefix}xx`)", "", blurb, ""]
        for c in CODES.values():
            if c.code.startswith(prefix):
                lines += _entry(c)
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(codes_page(), end="")
