"""`factlang check`: exit codes, configuration and every output format."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from factlang.cli import main
from tests.conftest import MakeProject

GOOD = 'share(Huawei, China, 2024) = 16%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
BAD = 'share(Huawei, China, 2024) = 61%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
KNOWN = (
    "revenue_change(Apple, GreaterChina, 2024-Q4) = -11%\n"
    '    @ wsj "Apple’s revenue from the Greater China region fell 11%"\n'
    '    @ reuters "Apple’s Greater China Sales rose 11%" contradicts\n'
)


def check(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.chdir(root)
    return main(["check", *args])


def test_exit_0_when_every_fact_is_supported(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(GOOD + KNOWN)
    assert check(root, monkeypatch) == 0
    # Quiet by default: passing facts are not listed, only the summary (with correct plurals).
    assert (
        capsys.readouterr().out
        == "2 facts: 2 supported; 1 known error reproduced; 0 conflicts; 0 warnings; OK\n"
    )
    assert check(root, monkeypatch, "-v") == 0
    assert "facts/main.fact:26:1: supported: share(Huawei, China, 2024) = 16%" in capsys.readouterr().out


def test_exit_1_and_the_evidence_when_a_fact_fails(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(BAD)
    assert check(root, monkeypatch) == 1
    out = capsys.readouterr().out
    # A refuted fact points at its value, with a caret under it, like a static error.
    assert "facts/main.fact:26:30: error: refuted: share(Huawei, China, 2024) = 61% [FL301]" in out
    assert "    share(Huawei, China, 2024) = 61%\n                                 ^~~\n" in out
    assert out.rstrip().endswith("FAILED: found 1 error in 1 file")
    # The evidence sentence, the quote's span «…» and the stated quantity [...].
    assert "> Last year, «Huawei, posted a market share of [16%] in China», overtaking Apple’s 15%" in out
    assert "\x1b[" not in out  # no colour when not on a terminal


def test_colour_on_request(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(BAD)
    check(root, monkeypatch, "--color", "always")
    assert "\x1b[1;31merror\x1b[0m" in capsys.readouterr().out


def test_exit_1_on_a_conflict(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(GOOD + 'share(Huawei, China, 2024) < 10%\n    @ cnn "market share of 16% in China"\n')
    assert check(root, monkeypatch) == 1


def test_exit_2_on_a_static_error_without_traceback(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project("share(Huwei, China, 2024) = 16%\n")
    assert check(root, monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.startswith("facts/main.fact:26:7: error: unknown entity 'Huwei'; did you mean 'Huawei'?")
    assert "    share(Huwei, China, 2024) = 16%\n          ^~~~~" in err
    assert "Traceback" not in err


def test_strict_fails_on_warnings(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(
        'share(Baidu, China, 2024) = 16%\n    @ cnn "posted a market share of 16% in China"\n'
    )
    assert check(root, monkeypatch) == 0
    assert check(root, monkeypatch, "--strict") == 1


def test_strict_from_configuration(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(
        'share(Baidu, China, 2024) = 16%\n    @ cnn "posted a market share of 16% in China"\n',
        pyproject='[tool.factlang]\nfacts = ["facts"]\nsources = ["seeds"]\nstrict = true\n',
    )
    assert check(root, monkeypatch) == 1


def test_paths_on_the_command_line_override_configuration(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(GOOD, files={"other.fact": 'use "main.fact"\n' + GOOD.replace("16%", "61%")})
    assert check(root, monkeypatch) == 1  # the configured folder holds both files
    assert check(root, monkeypatch, "facts/main.fact") == 0


def test_sources_option_names_the_folder(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(
        'share(Huawei, China, 2024) = 16%\n    @ 003_de8af479a19a1395 "market share of 16% in China"\n',
        pyproject='[tool.factlang]\nfacts = ["facts"]\n',
    )
    assert check(root, monkeypatch) == 2
    assert "unknown source '003_de8af479a19a1395'" in capsys.readouterr().err
    assert check(root, monkeypatch, "--sources", "seeds") == 0


def test_missing_sources_folder_is_a_configuration_error(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(GOOD)
    assert check(root, monkeypatch, "--sources", "nowhere") == 2
    assert "sources folder 'nowhere' does not exist" in capsys.readouterr().err


def test_json_follows_the_spec_field_for_field(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(BAD + KNOWN)
    assert check(root, monkeypatch, "--format", "json") == 1
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == 1
    assert set(data) == {"version", "summary", "diagnostics", "facts", "conflicts", "sources"}
    assert data["diagnostics"] == []
    summary = data["summary"]
    assert summary["facts"] == 2
    assert summary["refuted"] == 1
    assert summary["supported"] == 1
    assert summary["conflicts"] == 0
    assert summary["expected_failures"] == 1
    fact = data["facts"][0]
    for field in ("file", "line", "key", "comparator", "value", "verdict", "warnings", "citations"):
        assert field in fact
    assert fact["file"] == "facts/main.fact"
    assert fact["line"] == 26
    assert fact["key"] == "share(Huawei, China, 2024)"
    assert (fact["comparator"], fact["value"], fact["verdict"]) == ("=", "61%", "refuted")
    cite = fact["citations"][0]
    for field in ("source", "quote", "verdict", "span", "similarity", "evidence", "messages"):
        assert field in cite
    text = (root / "seeds/003_de8af479a19a1395.txt").read_text(encoding="utf-8")
    start, end = cite["span"]
    assert text[start:end] == "Huawei, posted a market share of 16% in China"
    assert cite["evidence"].startswith("Last year, Huawei")
    assert cite["stated"][0]["text"] == "16%"
    known = data["facts"][1]["citations"][1]
    assert known["contradicts"] is True
    assert known["verdict"] == "refuted"
    assert known["ok"] is True


def test_json_reports_a_missing_quote_with_null_span(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project('share(Apple, China, 2024) = 15%\n    @ cnn "Apple won 30% of Japan"\n')
    check(root, monkeypatch, "--format", "json")
    cite = json.loads(capsys.readouterr().out)["facts"][0]["citations"][0]
    assert cite["verdict"] == "not-found"
    assert cite["span"] is None
    assert cite["evidence"] is None


def test_json_gives_every_part_of_an_elided_quote(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project('share(Huawei, China, 2024) = 16%\n    @ cnn "Huawei, posted … of 16% in China"\n')
    assert check(root, monkeypatch, "--format", "json") == 0
    cite = json.loads(capsys.readouterr().out)["facts"][0]["citations"][0]
    text = (root / "seeds/003_de8af479a19a1395.txt").read_text(encoding="utf-8")
    assert [text[a:b] for a, b in cite["spans"]] == ["Huawei, posted", "of 16% in China"]
    assert cite["span"] == cite["spans"][0]
    assert cite["verdict"] == "supported"


def test_junit_parses_with_one_testcase_per_fact(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(GOOD + BAD)
    check(root, monkeypatch, "--format", "junit")
    tree = ET.fromstring(capsys.readouterr().out)
    suite = tree.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["share(Huawei, China, 2024)"] * 2 + [
        "share(Huawei, China, 2024)"
    ]
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure is not None
    assert failure.get("type") == "refuted"
    assert "16%" in (failure.text or "")
    assert cases[2].get("classname") == "factlang.conflicts"  # the two facts conflict
    assert suite.get("tests") == "3"
    assert suite.get("failures") == "2"


def test_github_annotations(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(BAD)
    check(root, monkeypatch, "--format", "github")
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    # The region is the value; the title the verdict's code.
    assert first.startswith(
        "::error file=facts/main.fact,line=26,col=30,endLine=26,endColumn=33,title=FL301::"
    )
    assert "%0A" in first  # the explanation's lines are escaped into one annotation


def test_output_to_a_file(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(GOOD)
    assert check(root, monkeypatch, "--format", "json", "-o", "report.json") == 0
    assert json.loads((root / "report.json").read_text(encoding="utf-8"))["summary"]["supported"] == 1


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["check", "--format", "yaml"])
    assert info.value.code == 2


def test_console_script_runs_without_traceback(make_project: MakeProject) -> None:
    root = make_project("share(Huawei, China, 2024 = 16%\n")
    proc = subprocess.run(
        [sys.executable, "-m", "factlang", "check"], cwd=root, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert "facts/main.fact:26:27: error: unexpected '='; expected ',' or ')'" in proc.stderr
    assert "Traceback" not in proc.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_only_after_a_moment() -> None:
    from factlang.cli import _Progress

    quiet = _Progress(io.StringIO(), delay=0)
    quiet(1, 2)
    assert not quiet.shown

    tty = _Terminal()
    soon = _Progress(tty, delay=60)
    soon(1, 2)
    assert tty.getvalue() == ""  # a quick run shows nothing

    bar = _Progress(tty, delay=0)
    bar(5, 10)
    bar.close()
    assert "[###############...............] 5/10 facts" in tty.getvalue()
    assert tty.getvalue().endswith("\r")  # the line is cleared afterwards
