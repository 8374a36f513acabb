"""The wheel carries the grammar and the site's assets, so an installed (not editable) copy works."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_wheel_ships_the_grammar_and_site_assets_and_uses_them(tmp_path: Path) -> None:
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
        assert "factlang/render/site/assets/factlang.css" in names
        assert "factlang/render/site/assets/factlang.js" in names
        archive.extractall(tmp_path / "site")
    # Run from the unpacked wheel, ahead of the editable install on the path.
    code = (
        "import factlang, factlang.parser as p;"
        "print(p.grammar_path());"
        "print(factlang.parse('kind Company').kinds[0].name.text);"
        "import factlang.render.site as s;"
        "print(s.__file__);"
        "print(len(s.CSS) > 100 and len(s.JAVASCRIPT) > 100)"
    )
    out = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tmp_path / 'site')!r}); {code}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    grammar, kind, site_module, assets_read = out.stdout.split()
    assert Path(grammar) == tmp_path / "site" / "factlang" / "_grammar" / "factlang.lark"
    assert kind == "Company"
    assert Path(site_module).is_relative_to(tmp_path / "site")
    assert assets_read == "True"
