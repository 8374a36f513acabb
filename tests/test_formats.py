"""Every finding in every format (SPEC §4): static errors, verdicts and warnings in json, junit, github and sarif.

The SARIF output is validated against the OASIS SARIF 2.1.0 schema (vendored
in ``tests/schemas``), the JSON report against the schema factlang publishes
(``factlang/schema/report-v1.json``).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from factlang.cli import main
from factlang.codes import CODES
from tests.conftest import MakeProject

SCHEMAS = Path(__file__).parent / "schemas"
TYPO = "share(Huwei, China, 2024) = 16%\nshare(Apple, China) = 15%\n"
BAD = 'share(Huawei, China, 2024) = 61%\n    @ cnn "Huawei, posted a market share of 16% in China"\n'
NOT_FOUND = 'share(Apple, China, 2024) = 15%\n    @ cnn "Apple won 30% of Japan"\n'
WARNED = 'share(Baidu, China, 2024) = 16%\n    @ cnn "posted a market share of 16% in China"\n'


def run(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.chdir(root)
    return main(["check", *args])


def report_schema() -> dict[str, Any]:
    text = resources.files("factlang").joinpath("schema/report-v1.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def sarif_schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return data


# --- json -----------------------------------------------------------------------


def test_json_carries_static_errors_and_exits_2(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(TYPO)
    assert run(root, monkeypatch, "--format", "json") == 2
    out, err = capsys.readouterr()
    data = json.loads(out)
    jsonschema.validate(data, report_schema())
    assert data["facts"] == []
    assert data["summary"]["facts"] == 0
    first, second = data["diagnostics"]
    assert first == {
        "file": "facts/main.fact",
        "line": 26,
        "column": 7,
        "end_line": 26,
        "end_column": 12,
        "severity": "error",
        "code": "FL101",
        "message": "unknown entity 'Huwei'; did you mean 'Huawei'?",
        "hint": None,
    }
    assert second["code"] == "FL102"
    assert "facts/main.fact:26:7: error: unknown entity 'Huwei'" in err  # and still on stderr
    assert err.rstrip().endswith("Found 2 errors in 1 file.")


def test_json_of_the_seed_base_matches_the_published_schema(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = Path(__file__).resolve().parent.parent
    assert run(repo, monkeypatch, "--format", "json", "facts") == 0
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, report_schema())
    assert data["diagnostics"] == []
    assert data["summary"]["facts"] > 50


def test_json_of_failures_matches_the_schema(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(BAD + NOT_FOUND + WARNED)
    assert run(root, monkeypatch, "--format", "json") == 1
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, report_schema())
    assert [f["code"] for f in data["facts"]] == ["FL301", "FL303", None]


def test_the_schema_rejects_a_report_without_diagnostics() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": 1, "summary": {}, "facts": [], "conflicts": []}, report_schema())


def test_output_file_is_written_even_on_exit_2(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(TYPO)
    assert run(root, monkeypatch, "--format", "json", "-o", "report.json") == 2
    data = json.loads((root / "report.json").read_text(encoding="utf-8"))
    assert [d["code"] for d in data["diagnostics"]] == ["FL101", "FL102"]


# --- junit and github --------------------------------------------------------------


def test_junit_has_a_failing_testcase_per_static_error(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(TYPO)
    assert run(root, monkeypatch, "--format", "junit") == 2
    suite = ET.fromstring(capsys.readouterr().out).find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert len(cases) == 2
    assert suite.get("failures") == "2"
    failure = cases[0].find("failure")
    assert failure is not None
    assert failure.get("type") == "FL101"
    assert "did you mean 'Huawei'" in (failure.get("message") or "")


def test_github_annotates_static_errors(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(TYPO)
    assert run(root, monkeypatch, "--format", "github") == 2
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "::error file=facts/main.fact,line=26,col=7,endLine=26,endColumn=12,title=FL101::"
        "unknown entity 'Huwei'; did you mean 'Huawei'?"
    )
    assert lines[1].startswith("::error file=facts/main.fact,line=27,col=1,")
    assert lines[-1] == "Found 2 errors in 1 file."


def test_github_titles_verdicts_and_warnings_with_their_codes(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(NOT_FOUND + WARNED)
    assert run(root, monkeypatch, "--format", "github") == 1
    lines = capsys.readouterr().out.splitlines()
    # A quote not found points at the quote (line 27, after `@ cnn `).
    assert lines[0].startswith(
        "::error file=facts/main.fact,line=27,col=11,endLine=27,endColumn=35,title=FL303::"
    )
    assert lines[1].startswith("::warning file=facts/main.fact,line=29,col=11,")
    assert ",title=FL202::@cnn: " in lines[1]


# --- sarif ----------------------------------------------------------------------------


def test_sarif_is_valid_with_a_rule_per_code(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(BAD + NOT_FOUND + WARNED)
    assert run(root, monkeypatch, "--format", "sarif") == 1
    log = json.loads(capsys.readouterr().out)
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(CODES)
    assert all(r["help"]["text"] for r in rules)
    by_rule = {r["ruleId"]: r for r in run_["results"]}
    assert set(by_rule) == {"FL301", "FL303", "FL202"}
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_points_at_the_value_and_at_the_quote_in_the_source(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(BAD)
    run(root, monkeypatch, "--format", "sarif")
    (result,) = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (26, 30, 33)
    related = result["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == "seeds/003_de8af479a19a1395.txt"
    r = related["region"]
    lines = (root / "seeds/003_de8af479a19a1395.txt").read_text(encoding="utf-8").splitlines()
    assert r["startLine"] == r["endLine"]
    quoted = lines[r["startLine"] - 1][r["startColumn"] - 1 : r["endColumn"] - 1]
    assert quoted == "Huawei, posted a market share of 16% in China"


def test_sarif_reports_static_errors(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(TYPO)
    assert run(root, monkeypatch, "--format", "sarif") == 2
    log = json.loads(capsys.readouterr().out)
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["FL101", "FL102"]
    assert results[0]["locations"][0]["physicalLocation"]["region"]["startColumn"] == 7


def test_markdown_summary(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(BAD + WARNED)
    assert run(root, monkeypatch, "--format", "markdown") == 1
    out = capsys.readouterr().out
    assert out.startswith("## ❌ factlang: 2 facts, 1 error\n")
    assert "| refuted | 1 |" in out
    assert "| ❌ | FL301 | `facts/main.fact:26:30` | refuted: share(Huawei, China, 2024) = 61%" in out
    assert "| ⚠️ | FL202 |" in out
