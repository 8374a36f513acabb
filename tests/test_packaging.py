"""The wheel carries the grammar, the site's assets, the type marker and the report schema, so an installed copy works."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

# A user's script, using the public API the way the docs show it.
USER_SCRIPT = """from pathlib import Path

import factlang
from factlang.report import Report


def failing(paths: list[str]) -> list[str]:
    base = factlang.load(paths)
    report: Report = factlang.verify(base, strict=True)
    return [r.fact.key for r in report.facts if not r.passes(strict=report.strict)]


print(failing([str(Path("facts"))]))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built once for this module."""
    out = tmp_path_factory.mktemp("wheel")
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
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("factlang-*.whl")
    return built


def test_wheel_ships_the_grammar_and_site_assets_and_uses_them(wheel: Path, tmp_path: Path) -> None:
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


def test_wheel_ships_the_type_marker_and_the_report_schema(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "factlang/py.typed" in names
    assert "factlang/schema/report-v1.json" in names


def test_mypy_strict_accepts_a_script_using_the_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    """The wheel installed on its own (no editable copy on the path): mypy sees typed code, not Any."""
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:  # what pip install --no-deps --target does for a pure wheel
        archive.extractall(target)
    script = tmp_path / "user.py"
    script.write_text(USER_SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(target)}
    mypy = shutil.which("mypy", path=str(Path(sys.executable).parent)) or "mypy"
    run = subprocess.run(
        [mypy, "--strict", "--no-incremental", "--python-executable", sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    # And the check can fail: a wrong use of the API is an error, not an untyped Any.
    script.write_text(USER_SCRIPT.replace("strict=True", 'strict="yes"'), encoding="utf-8")
    run = subprocess.run(
        [mypy, "--strict", "--no-incremental", "--python-executable", sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert 'Argument "strict" to "verify" has incompatible type' in run.stdout
