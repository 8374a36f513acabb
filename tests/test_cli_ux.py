"""A quiet, standard command line: verbosity, FILE:LINE, selection, colour, init, codes and suppressions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from factlang import __version__
from factlang.cli import main
from factlang.codes import CODES
from factlang.render.codes_page import codes_page
from tests.conftest import MakeProject

GOOD = 'share(Huawei, China, 2024) = 16%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
BAD = 'share(Huawei, China, 2024) = 61%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
WARNED = 'share(Baidu, China, 2024) = 16%\n    @ cnn "posted a market share of 16% in China"\n'
APPLE = 'share(Apple, China, 2023) = 19%\n    @ cnn "In 2023, Apple was the top mobile phone seller in the country with 19% of market share"\n'
DOCS = Path(__file__).resolve().parent.parent / "docs"


def check(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.chdir(root)
    return main(["check", *args])


# --- verbosity and plurals ----------------------------------------------------------


def test_default_shows_failures_and_warnings_only(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(GOOD + BAD + WARNED)
    assert check(root, monkeypatch) == 1
    out = capsys.readouterr().out
    assert "supported: share(Huawei, China, 2024) = 16%" not in out  # a passing fact is not listed
    assert "error: refuted: share(Huawei, China, 2024) = 61% [FL301]" in out
    assert "facts/main.fact:31:11: warning: @cnn: company Baidu is not mentioned near the quote" in out
    assert out.splitlines()[-1] == (
        "3 facts: 2 supported, 1 refuted; 1 conflict; 1 warning; FAILED: found 2 errors in 1 file"
    )


def test_quiet_prints_the_summary_line_only(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(BAD)
    assert check(root, monkeypatch, "-q") == 1
    assert (
        capsys.readouterr().out
        == "1 fact: 1 refuted; 0 conflicts; 0 warnings; FAILED: found 1 error in 1 file\n"
    )


def test_verbose_lists_every_fact_with_its_evidence(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(GOOD + APPLE)
    assert check(root, monkeypatch, "-v") == 0
    out = capsys.readouterr().out
    assert "facts/main.fact:26:1: supported: share(Huawei, China, 2024) = 16%" in out
    assert "facts/main.fact:28:1: supported: share(Apple, China, 2023) = 19%" in out
    assert "      > Last year, «Huawei, posted a market share of [16%] in China»" in out


def test_fmt_uses_correct_plurals(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project("share(Huawei,China,2024)=16%\n")
    monkeypatch.chdir(root)
    assert main(["fmt", "--check", "facts/main.fact"]) == 1
    assert capsys.readouterr().err == "1 file would be reformatted\n"


# --- FILE:LINE and selection ------------------------------------------------------------


def test_file_colon_line_checks_that_fact_only(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(GOOD + BAD)  # facts at lines 26 and 28
    assert check(root, monkeypatch, "facts/main.fact:27") == 0  # line 27 is the first fact's citation
    assert capsys.readouterr().out.startswith("1 fact: 1 supported")
    assert check(root, monkeypatch, "facts/main.fact:28") == 1


def test_file_colon_line_without_a_fact_is_an_error(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(GOOD)
    assert check(root, monkeypatch, "facts/main.fact:3") == 2
    err = capsys.readouterr().err
    assert err.startswith("facts/main.fact:3:1: error: no fact at line 3\n")
    assert "hint: facts in this file start on lines 26" in err


def test_selection_by_predicate_entity_source_and_verdict(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    revenue = 'revenue_change(Apple, GreaterChina, 2024-Q4) = -11%\n    @ wsj "Apple’s revenue from the Greater China region fell 11%"\n'
    root = make_project(GOOD + APPLE + revenue)
    assert check(root, monkeypatch, "-q", "--predicate", "revenue_change") == 0
    assert capsys.readouterr().out.startswith("1 fact:")
    assert check(root, monkeypatch, "-q", "--entity", "Apple") == 0
    assert capsys.readouterr().out.startswith("2 facts:")
    assert check(root, monkeypatch, "-q", "--source", "wsj") == 0
    assert capsys.readouterr().out.startswith("1 fact:")
    assert check(root, monkeypatch, "-q", "--verdict", "refuted") == 0
    assert capsys.readouterr().out.startswith("0 facts:")


def test_selecting_an_unknown_name_suggests_one(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(GOOD)
    assert check(root, monkeypatch, "--entity", "Huwei") == 2
    assert "unknown entity 'Huwei'; did you mean 'Huawei'?" in capsys.readouterr().err


def test_paths_without_facts_exit_2(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project("", files={"decls.fact": "kind Solo\n"})
    assert check(root, monkeypatch, "facts/decls.fact") == 2
    err = capsys.readouterr().err
    assert "error: no facts found in facts/decls.fact" in err
    assert check(root, monkeypatch, "--format", "json") == 2
    assert '"code": "FL114"' in capsys.readouterr().out


def test_a_folder_without_configuration_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "no [tool.factlang] configuration and no facts/ folder" in err
    assert "run 'factlang init'" in err


# --- colour -----------------------------------------------------------------------------


def test_colour_follows_no_color_and_force_color(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(BAD)
    monkeypatch.setenv("FORCE_COLOR", "1")
    check(root, monkeypatch)
    assert "\x1b[1;31merror\x1b[0m" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    check(root, monkeypatch)
    assert "\x1b[" not in capsys.readouterr().out
    check(root, monkeypatch, "--color", "always")
    assert "\x1b[" in capsys.readouterr().out


def test_static_errors_are_coloured_on_request(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project("share(Huwei, China, 2024) = 16%\n")
    assert check(root, monkeypatch, "--color", "always") == 2
    err = capsys.readouterr().err
    assert "\x1b[1;31merror\x1b[0m: unknown entity 'Huwei'" in err
    assert "\x1b[1;31m^~~~~\x1b[0m" in err


# --- the command itself -----------------------------------------------------------------


def test_no_command_prints_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: factlang")
    for command in ("check", "explain", "fmt", "init", "site"):
        assert command in out


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([flag])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"factlang {__version__}\n"


def test_init_scaffolds_a_project_that_checks_green(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    made = subprocess.run(
        [sys.executable, "-m", "factlang", "init"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert made.returncode == 0, made.stderr
    assert (
        (tmp_path / "facts" / "example.fact").read_text(encoding="utf-8").startswith("# An example fact file")
    )
    run = subprocess.run(
        [sys.executable, "-m", "factlang", "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == "2 facts: 2 supported; 0 conflicts; 0 warnings; OK\n"


def test_init_appends_to_a_pyproject_and_refuses_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "mine"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    text = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert text.startswith('[project]\nname = "mine"\n\n[tool.factlang]\n')
    capsys.readouterr()
    assert main(["init"]) == 2
    err = capsys.readouterr().err
    assert "pyproject.toml: error: already has a [tool.factlang] table" in err
    assert (tmp_path / "pyproject.toml").read_text(encoding="utf-8") == text  # nothing clobbered


# --- codes: the page, --select/--ignore, suppressions -------------------------------------


def test_the_codes_page_is_generated_from_the_table() -> None:
    """Set FACTLANG_UPDATE_GOLDEN=1 to write docs/codes.md again after a change to CODES."""
    page = codes_page()
    if os.environ.get("FACTLANG_UPDATE_GOLDEN"):
        (DOCS / "codes.md").write_text(page, encoding="utf-8")
    assert (DOCS / "codes.md").read_text(encoding="utf-8") == page
    for code in CODES:
        assert f"### {code} " in page


def test_ignore_and_select_filter_warnings(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(WARNED)
    assert check(root, monkeypatch, "-q") == 0
    assert "; 1 warning;" in capsys.readouterr().out
    assert check(root, monkeypatch, "-q", "--ignore", "FL202") == 0
    assert "; 0 warnings;" in capsys.readouterr().out
    assert check(root, monkeypatch, "-q", "--select", "FL201") == 0
    assert "; 0 warnings;" in capsys.readouterr().out
    assert check(root, monkeypatch, "--strict", "--ignore", "FL202") == 0  # an ignored warning cannot fail


def test_ignore_setting_in_the_configuration(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(
        WARNED, pyproject='[tool.factlang]\nfacts = ["facts"]\nsources = ["seeds"]\nignore = ["FL202"]\n'
    )
    assert check(root, monkeypatch, "-q", "--strict") == 0
    assert "; 0 warnings;" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("FL101", "static errors are never ignored"),
        ("FL301", "suppressed only on its fact"),
        ("FL999", "unknown"),
    ],
)
def test_static_errors_and_verdicts_cannot_be_ignored_globally(
    code: str,
    why: str,
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = make_project(BAD)
    assert check(root, monkeypatch, "--ignore", code) == 2
    assert why in capsys.readouterr().err
    root = make_project(
        BAD, pyproject=f'[tool.factlang]\nfacts = ["facts"]\nsources = ["seeds"]\nignore = ["{code}"]\n'
    )
    assert check(root, monkeypatch) == 2
    assert why in capsys.readouterr().err


def test_inline_suppression_of_a_warning(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(WARNED.replace("16%\n", "16%  # factlang: ignore[FL202]\n", 1))
    assert check(root, monkeypatch, "-q", "--strict") == 0
    assert "; 0 warnings;" in capsys.readouterr().out


def test_inline_suppression_of_a_verdict_is_counted(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # On the citation's line: any line of the fact counts.
    root = make_project(BAD.replace('China"\n', 'China"  # factlang: ignore[FL301]\n'))
    assert check(root, monkeypatch) == 0
    out = capsys.readouterr().out
    assert "refuted (suppressed: FL301): share(Huawei, China, 2024) = 61%" in out
    assert out.splitlines()[-1] == "1 fact: 1 refuted; 0 conflicts; 0 warnings; 1 suppressed; OK"


def test_an_unused_suppression_is_a_warning(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(GOOD.replace("16%\n", "16%  # factlang: ignore[FL202, FL101]\n", 1))
    assert check(root, monkeypatch) == 0
    out = capsys.readouterr().out
    assert "facts/main.fact:26:35: warning: unused suppression: FL202 (entity-not-mentioned)" in out
    assert "FL101 cannot be suppressed: static errors are never ignored" in out
    assert "; 2 warnings;" in out
    assert check(root, monkeypatch, "--strict", "-q") == 1


# --- explain ---------------------------------------------------------------------------------


def test_explain_by_key_and_by_line(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(BAD)
    monkeypatch.chdir(root)
    assert main(["explain", "share(Huawei, China, 2024)"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("refuted: share(Huawei, China, 2024) = 61%\n  at facts/main.fact:26:1\n")
    assert "16%              type Percent, level, unit %" in out
    assert "[FL301 refuted] error: the quote states 16%, not = 61%" in out
    assert "entity Huawei: mentioned" in out
    assert "outcome: FL301 at facts/main.fact:26:30" in out
    assert main(["explain", "facts/main.fact:27"]) == 1
    assert capsys.readouterr().out == out


def test_explain_an_unknown_key_suggests_one(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(GOOD)
    monkeypatch.chdir(root)
    assert main(["explain", "share(Huwei, China, 2024)"]) == 2
    assert "did you mean 'share(Huawei, China, 2024)'?" in capsys.readouterr().err
