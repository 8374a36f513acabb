"""The wheel carries the grammar, so an installed (not editable) copy works."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_wheel_ships_the_grammar_and_parses_with_it(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("factlang-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "factlang/_grammar/factlang.lark" in names
        archive.extractall(tmp_path / "site")
    # Run from the unpacked wheel, ahead of the editable install on the path.
    code = (
        "import factlang, factlang.parser as p;"
        "print(p.grammar_path());"
        "print(factlang.parse('kind Company').kinds[0].name.text)"
    )
    out = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tmp_path / 'site')!r}); {code}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    grammar, kind = out.stdout.split()
    assert Path(grammar) == tmp_path / "site" / "factlang" / "_grammar" / "factlang.lark"
    assert kind == "Company"
