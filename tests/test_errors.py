"""Static errors (SPEC §2): every one reported as ``file:line:col: error: ...``.

Each case is a fact file in ``fixtures/errors`` with the exact output
expected beside it (``<case>.expected``). A case is checked in a copy of
``fixtures/errors/project`` (shared declarations in ``common.fact``, the seed
articles as sources) together with ``common.fact``, as ``factlang check``
would, and must exit 2 with exactly the expected diagnostics: message,
offending line and caret. Diagnostics mention the project root as
``<root>``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from factlang import CheckError, Diagnostic, FactlangError, LoadError, ParseError, load, parse
from factlang.cli import main
from factlang.diagnostics import render

FIXTURES = Path(__file__).parent / "fixtures" / "errors"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CASES = sorted(p.stem for p in FIXTURES.glob("*.fact"))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with the shared declarations and the seed articles, as the current directory."""
    shutil.copytree(FIXTURES / "project", tmp_path, dirs_exist_ok=True)
    shutil.copytree(SEEDS, tmp_path / "seeds")
    (tmp_path / "pyproject.toml").write_text('[tool.factlang]\nsources = ["seeds"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _add_case(project: Path, case: str) -> str:
    shutil.copy(FIXTURES / f"{case}.fact", project / f"{case}.fact")
    return f"{case}.fact"


def _expected(case: str) -> str:
    return (FIXTURES / f"{case}.expected").read_text(encoding="utf-8")


# --- every case, exactly ---------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_check_reports_the_static_error_exactly(
    case: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = _add_case(project, case)

    code = main(["check", name, "common.fact"])

    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    if os.environ.get("FACTLANG_UPDATE_GOLDEN"):  # after a deliberate change; review the diff
        (FIXTURES / f"{case}.expected").write_text(err.replace(str(project), "<root>"), encoding="utf-8")
    assert err.replace(str(project), "<root>") == _expected(case)


@pytest.mark.parametrize("case", CASES)
def test_command_line_exits_2_without_traceback(case: str, project: Path) -> None:
    name = _add_case(project, case)

    run = subprocess.run(
        [sys.executable, "-m", "factlang", "check", name, "common.fact"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )

    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert run.stderr.replace(str(project), "<root>") == _expected(case)


def test_every_case_has_its_expected_output() -> None:
    expected = sorted(p.stem for p in FIXTURES.glob("*.expected"))
    assert expected == CASES


# --- the error types ----------------------------------------------------------------


def test_a_syntax_error_is_a_parse_error(project: Path) -> None:
    name = _add_case(project, "syntax_errors")

    with pytest.raises(ParseError) as info:
        load([name], root=project)

    assert isinstance(info.value, FactlangError)
    assert isinstance(info.value, ValueError)


def test_every_syntax_error_of_a_file_is_reported(project: Path) -> None:
    name = _add_case(project, "syntax_errors")

    with pytest.raises(ParseError) as info:
        load([name], root=project)

    assert [(d.line, d.column) for d in info.value.diagnostics] == [(3, 21), (9, 13), (10, 81), (12, 26)]


def test_an_unknown_name_is_a_check_error(project: Path) -> None:
    name = _add_case(project, "unknown_entity")

    with pytest.raises(CheckError) as info:
        load([name], root=project)

    assert isinstance(info.value, ValueError)
    assert info.value.diagnostics[0].message == "unknown entity 'Huwei'; did you mean 'Huawei'?"


def test_bad_encoding_is_a_parse_error(project: Path) -> None:
    name = _add_case(project, "not_utf8")

    with pytest.raises(ParseError):
        load([name], root=project)


def test_the_error_text_is_the_rendered_diagnostics(project: Path) -> None:
    name = _add_case(project, "unknown_kind")

    with pytest.raises(CheckError) as info:
        load([name], root=project)

    assert str(info.value) + "\n" == _expected("unknown_kind").removesuffix("Found 1 error in 1 file.\n")


def test_errors_of_a_file_come_in_the_order_of_its_lines(project: Path) -> None:
    (project / "mixed.fact").write_text(
        'use "common.fact"\nshare(Huwei, China, 2024) = 16%\nentity Vivo: Compnay\nkind Percent\n',
        encoding="utf-8",
    )

    with pytest.raises(CheckError) as info:
        load(["mixed.fact"], root=project)

    assert [d.line for d in info.value.diagnostics] == [2, 3, 4]


def test_parse_errors_stop_before_name_checks(project: Path) -> None:
    (project / "both.fact").write_text('use "common.fact"\nshare(Huwei, China, 2024) = 16%\nkind (\n')

    with pytest.raises(ParseError) as info:
        load(["both.fact"], root=project)

    assert [d.message for d in info.value.diagnostics] == ["unexpected '('; expected a name"]


def test_a_parse_error_carries_its_position() -> None:
    with pytest.raises(ParseError) as info:
        parse("kind Company\nentity Apple Company\n", "market.fact")

    (d,) = info.value.diagnostics
    assert (d.path, d.line, d.column, d.length) == ("market.fact", 2, 14, 7)
    assert d.source_line == "entity Apple Company"


def test_at_most_twenty_syntax_errors_are_reported_per_file() -> None:
    text = "".join(f"entity E{i} Company\n" for i in range(30))

    with pytest.raises(ParseError) as info:
        parse(text)

    assert len(info.value.diagnostics) == 20


def test_rendering_many_diagnostics_ends_with_how_many_more() -> None:
    diagnostics = [Diagnostic(f"problem {i}", "x.fact") for i in range(53)]

    assert render(diagnostics).splitlines()[-1] == "... and 3 more"


# --- files that cannot be read -------------------------------------------------------


def _unreadable(path: Path) -> None:
    path.chmod(0)
    try:
        path.read_bytes()
    except PermissionError:
        return
    path.chmod(0o644)
    pytest.skip("running with privileges that read any file (root)")


def test_an_unreadable_fact_file_is_a_load_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "locked.fact").write_text("kind Company\n", encoding="utf-8")
    _unreadable(project / "locked.fact")

    code = main(["check", "locked.fact"])

    assert code == 2
    assert capsys.readouterr().err == "locked.fact: error: cannot read fact file: Permission denied\n"


def test_an_unreadable_fact_file_raises_load_error(project: Path) -> None:
    (project / "locked.fact").write_text("kind Company\n", encoding="utf-8")
    _unreadable(project / "locked.fact")

    with pytest.raises(LoadError) as info:
        load(["locked.fact"], root=project)

    assert isinstance(info.value, OSError)


def test_an_unreadable_source_file_is_an_error(project: Path) -> None:
    (project / "seeds" / "locked.txt").write_text("Huawei posted 16%.\n", encoding="utf-8")
    _unreadable(project / "seeds" / "locked.txt")
    (project / "a.fact").write_text('source locked = "seeds/locked.txt"\n', encoding="utf-8")

    with pytest.raises(CheckError) as info:
        load(["a.fact"], root=project, sources=[])

    assert info.value.diagnostics[0].message == "source file 'seeds/locked.txt' is not readable"


def test_a_missing_path_on_the_command_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "nowhere.fact"])

    assert code == 2
    assert (
        capsys.readouterr().err == "nowhere.fact: error: no such file or folder\nFound 1 error in 1 file.\n"
    )


def test_a_folder_without_fact_files(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "empty").mkdir()

    code = main(["check", "empty"])

    assert code == 2
    assert (
        capsys.readouterr().err == "empty: error: no .fact files in this folder\nFound 1 error in 1 file.\n"
    )


@pytest.mark.skipif(os.name != "posix", reason="symlink loops are a POSIX matter")
def test_a_source_path_through_a_symlink_out_of_the_root(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.txt"
    outside.write_text("not a source\n", encoding="utf-8")
    (project / "seeds" / "link.txt").symlink_to(outside)
    (project / "a.fact").write_text('source link = "seeds/link.txt"\n', encoding="utf-8")

    with pytest.raises(CheckError) as info:
        load(["a.fact"], root=project, sources=[])

    assert info.value.diagnostics[0].message == "source path 'seeds/link.txt' leaves the project root"
