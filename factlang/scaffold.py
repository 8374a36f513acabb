"""``factlang init``: start a project that ``factlang check`` passes right away.

It writes ``[tool.factlang]`` into ``pyproject.toml`` (appending the table
to an existing file that has none; refusing when it has one), a ``facts/``
folder with one commented example fact, and a ``sources/`` folder with the
example text it cites. It never overwrites a file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Final

from factlang.diagnostics import ConfigError, Diagnostic

__all__ = ["init"]

TABLE: Final = """\
[tool.factlang]
facts = ["facts"]        # fact files or folders that `factlang check` reads
sources = ["sources"]    # every .txt or .md file here is a source, cited by its file stem
"""

SOURCE: Final = """\
Example Times, 3 March 2025.

The town library lent 12,400 books last year, up 8% from the year before.
Its director said the new opening hours had brought in younger readers.
"""

FACT: Final = """\
# An example fact file: declare what the facts talk about, then state the
# facts, each with the source it comes from and the words it quotes.
# Run `factlang check` to verify them; `factlang check -v` shows the evidence.

# The source. Every file of the sources folder can be cited by its file stem
# as it is; declaring it adds metadata: the publication date lets the checker
# read "last year" as 2024.
source example = "sources/example.txt" {
    title: "The town library lends more books"
    published: 2025-03-03
}

kind Library

entity TownLibrary: Library aka "town library"

# A predicate: what a fact says, its parameters and the type of its value.
predicate loans(library: Library, year: Year) -> Number
    "books {library} lent in {year}"
predicate loans_change(library: Library, year: Year) -> Percent

# A fact: the claim, then `@ source "the words it quotes"`.
loans(TownLibrary, 2024) = 12400
    @ example "The town library lent 12,400 books last year"

loans_change(TownLibrary, 2024) = +8%
    @ example "up 8% from the year before"
"""


def init(folder: Path) -> list[str]:
    """Scaffold a project in ``folder``; returns one line per file written.

    Raises :class:`~factlang.diagnostics.ConfigError` when the folder
    already has a factlang configuration or a file it would write.
    """
    folder.mkdir(parents=True, exist_ok=True)
    pyproject = folder / "pyproject.toml"
    facts = folder / "facts" / "example.fact"
    source = folder / "sources" / "example.txt"
    problems = [
        Diagnostic("already exists; factlang init never overwrites a file", _shown(p), code="FL110")
        for p in (facts, source, folder / "factlang.toml")
        if p.exists()
    ]
    existing = pyproject.read_text(encoding="utf-8") if pyproject.is_file() else None
    if existing is not None:
        try:
            tool = tomllib.loads(existing).get("tool", {})
        except tomllib.TOMLDecodeError as err:
            problems.append(Diagnostic(f"invalid TOML: {err}", _shown(pyproject), code="FL110"))
        else:
            if isinstance(tool, dict) and "factlang" in tool:
                problems.append(
                    Diagnostic(
                        "already has a [tool.factlang] table: this is a factlang project",
                        _shown(pyproject),
                        code="FL110",
                    )
                )
    if problems:
        raise ConfigError(problems)
    done = []
    if existing is None:
        pyproject.write_text(TABLE, encoding="utf-8")
        done.append(f"wrote {_shown(pyproject)}")
    else:
        sep = "" if existing.endswith("\n\n") else "\n" if existing.endswith("\n") else "\n\n"
        pyproject.write_text(existing + sep + TABLE, encoding="utf-8")
        done.append(f"added [tool.factlang] to {_shown(pyproject)}")
    for path, text in ((source, SOURCE), (facts, FACT)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        done.append(f"wrote {_shown(path)}")
    done.append("next: factlang check")
    return done


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
