"""The streamed report (issue 14): JSON, JUnit and SARIF written record by record, the same bytes.

Each writer is checked against the one-shot rendering it replaces (the whole
data dumped once, the whole ElementTree serialized once) on a report with
every kind of record: failures, warnings, conflicts, suppressions, a quote
with markup and line breaks, static errors. A stream that records its
writes shows that no write holds the whole report.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from factlang.cli import main
from factlang.diagnostics import Diagnostic
from factlang.loader import load
from factlang.model import Fact
from factlang.render import FORMATS, WRITERS
from factlang.render.explain import explain
from factlang.render.json import to_data, write_json
from factlang.render.junit import _attr, _cdata, write_junit
from factlang.render.sarif import _indented, sarif_data, write_sarif
from factlang.report import Report
from factlang.verify import verify
from tests.conftest import MakeProject

FACTS = """\
share(Huawei, China, 2024) = 61%
    @ cnn "Huawei, posted a market share of 16% in China"
share(Huawei, China, 2024) = 16%
    @ cnn "Huawei, posted a market share of 16% in China"
share(Apple, China, 2024) = 15%
    @ cnn "Apple won 30% of <Japan> & \\"more\\""
share(Baidu, China, 2024) = 16%
    @ cnn "posted a market share of 16% in China"
share(Alibaba, China, 2024) = 15%  # factlang: ignore[FL303]
    @ cnn "a quote that is nowhere"
partner(Huawei, Apple)
"""

ERRORS = [
    Diagnostic("unknown entity 'Huwei'", "facts/main.fact", 3, 7, code="FL101", source_line="share(Huwei)"),
    Diagnostic('a <bad> "option" &\tmore\nlines', code="FL115"),
    Diagnostic("a warning only", "facts/main.fact", 1, 1, severity="warning", code="FL116"),
]


@pytest.fixture
def report(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> Report:
    root = make_project(FACTS)
    monkeypatch.chdir(root)
    base = load(root=root)
    return verify(base, root=root)


def _junit_tree(report: Report, diagnostics: list[Diagnostic]) -> str:
    """JUnit as one ElementTree, serialized once: the rendering the streamed writer replaces."""
    s = report.summary()
    errors = [d for d in diagnostics if d.severity == "error"]
    suite = ET.Element(
        "testsuite",
        name="factlang",
        tests=str(len(report.facts) + len(report.conflicts) + len(errors)),
        failures=str(s["failed"] + s["conflicts"] + len(errors)),
        errors="0",
        skipped="0",
    )
    for d in errors:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=(d.path or "factlang").replace("/", ".").removesuffix(".fact"),
            name=f"{d.code} {d.location or 'factlang'}",
            file=d.path,
            line=str(d.line),
        )
        ET.SubElement(case, "failure", message=d.message, type=d.code).text = d.render()
    for r in report.facts:
        loc = r.fact.location
        assert loc is not None
        case = ET.SubElement(
            suite,
            "testcase",
            classname=loc.path.replace("/", ".").removesuffix(".fact"),
            name=r.fact.head,
            file=loc.path,
            line=str(loc.line),
        )
        if not r.passes(strict=report.strict):
            label = r.label(report.strict)
            failure = ET.SubElement(case, "failure", message=f"{label}: {r.fact.claim}", type=label)
            failure.text = explain(r, strict=report.strict)
        elif r.warnings:
            ET.SubElement(case, "system-out").text = "\n".join(f"{w.code}: {w.text}" for w in r.warnings)
    for c in report.conflicts:
        case = ET.SubElement(suite, "testcase", classname="factlang.conflicts", name=c.key)
        failure = ET.SubElement(case, "failure", message=c.message, type="conflict")
        failure.text = "\n".join(f"{f.location}: {f.claim}" for f in c.facts)
    root = ET.Element("testsuites", tests=suite.get("tests", "0"), failures=suite.get("failures", "0"))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _written(write: Any, report: Report, diagnostics: list[Diagnostic]) -> str:
    out = io.StringIO()
    write(report, out, diagnostics)
    return out.getvalue()


def test_the_report_has_every_kind_of_record(report: Report) -> None:
    verdicts = {r.label() for r in report.facts}
    assert {"refuted", "not-found", "supported"} <= verdicts
    assert report.conflicts
    assert any(r.warnings for r in report.facts)
    assert any(r.is_suppressed() for r in report.facts)


@pytest.mark.parametrize("diagnostics", [[], ERRORS], ids=["report", "errors"])
def test_json_is_the_data_dumped_at_once(report: Report, diagnostics: list[Diagnostic]) -> None:
    expected = json.dumps(to_data(report, diagnostics), ensure_ascii=False) + "\n"
    assert _written(write_json, report, diagnostics) == expected


@pytest.mark.parametrize("diagnostics", [[], ERRORS], ids=["report", "errors"])
def test_sarif_is_the_log_dumped_at_once(report: Report, diagnostics: list[Diagnostic]) -> None:
    expected = json.dumps(sarif_data(report, diagnostics), ensure_ascii=False, indent=2) + "\n"
    assert _written(write_sarif, report, diagnostics) == expected


@pytest.mark.parametrize("diagnostics", [[], ERRORS], ids=["report", "errors"])
def test_junit_is_the_tree_serialized_at_once(report: Report, diagnostics: list[Diagnostic]) -> None:
    assert _written(write_junit, report, diagnostics) == _junit_tree(report, diagnostics)


def test_an_empty_report_is_written_as_before(tmp_path: Path) -> None:
    from factlang.model import FactBase

    empty = Report(FactBase(root=str(tmp_path)), ())
    assert _written(write_junit, empty, []) == _junit_tree(empty, [])
    assert _written(write_json, empty, []) == json.dumps(to_data(empty), ensure_ascii=False) + "\n"
    expected = json.dumps(sarif_data(empty), ensure_ascii=False, indent=2) + "\n"
    assert _written(write_sarif, empty, []) == expected


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_every_writer_gives_its_renderers_text(report: Report, name: str) -> None:
    assert _written(WRITERS[name], report, ERRORS) == FORMATS[name](report, ERRORS)


class _Writes(io.StringIO):
    """A stream that remembers the size of its largest write."""

    largest = 0

    def write(self, s: str, /) -> int:
        self.largest = max(self.largest, len(s))
        return super().write(s)


@pytest.mark.parametrize("name", ["json", "junit", "sarif"])
def test_no_write_holds_the_whole_report(report: Report, name: str) -> None:
    many = attrs.evolve(report, facts=report.facts * 400)  # 2,400 facts
    out = _Writes()
    WRITERS[name](many, out)
    assert len(out.getvalue()) > 500_000
    assert out.largest < len(out.getvalue()) / 4


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@given(_JSON)
def test_the_indenting_encoder_is_json_dumps_indent_2(value: Any) -> None:
    out: list[str] = []
    _indented(value, "", out)
    assert "".join(out) == json.dumps(value, ensure_ascii=False, indent=2)


@given(st.text(), st.text())
def test_xml_escaping_is_elementtrees(attribute: str, text: str) -> None:
    elem = ET.Element("a", b=attribute)
    elem.text = text or None
    written = f'<a b="{_attr(attribute)}"' + (f">{_cdata(text)}</a>" if text else " />")
    assert written == ET.tostring(elem, encoding="unicode")


def test_a_facts_key_and_claim_are_computed_once(report: Report) -> None:
    fact = report.facts[0].fact
    assert fact.key is fact.key
    assert fact.claim is fact.claim
    assert fact.spellings is fact.spellings
    assert fact.claim == "share(Huawei, China, 2024) = 61%"
    changed = attrs.evolve(fact, negated=True, args=fact.args[:2])
    assert changed.claim == "not share(Huawei, China) = 61%"
    assert changed == Fact("share", fact.args[:2], "=", fact.value, negated=True, citations=fact.citations)


@pytest.mark.parametrize("fmt", ["json", "junit", "sarif", "github", "markdown", "text"])
def test_a_replayed_run_writes_the_same_bytes(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
) -> None:
    root = make_project(FACTS)
    monkeypatch.chdir(root)
    assert main(["check", "--format", fmt, "-o", "first.out"]) == 1
    assert main(["check", "--format", fmt, "-o", "first.out"]) == 1  # replayed from the run cache
    assert main(["check", "--format", fmt]) == 1
    printed = capsys.readouterr().out
    assert main(["check", "--format", fmt]) == 1  # replayed
    assert capsys.readouterr().out == printed
    first = (root / "first.out").read_bytes()
    assert first == printed.encode("utf-8")
    assert main(["check", "--format", fmt, "--no-cache", "-o", "fresh.out"]) == 1
    assert (root / "fresh.out").read_bytes() == first


@pytest.mark.parametrize("diagnostics", [[], ERRORS], ids=["report", "errors"])
def test_github_is_the_annotations_joined_at_once(report: Report, diagnostics: list[Diagnostic]) -> None:
    from factlang.render.github import _annotation, write_github
    from factlang.render.issues import diagnostic_issues, report_issues
    from factlang.render.text import found_line, summary_line

    lines = [_annotation(i) for i in (*diagnostic_issues(diagnostics), *report_issues(report))]
    lines.append(found_line(diagnostics) if diagnostics else summary_line(report))
    assert _written(write_github, report, diagnostics) == "\n".join(lines) + "\n"


@pytest.mark.parametrize("diagnostics", [[], ERRORS], ids=["report", "errors"])
def test_markdown_is_the_summary_and_one_table_of_every_finding(
    report: Report, diagnostics: list[Diagnostic]
) -> None:
    """The written summary is the headline, the counts, then one table of the findings in order."""
    from factlang.render.issues import diagnostic_issues, report_issues
    from factlang.render.markdown import _cell, _where, write_markdown
    from factlang.render.text import found_line, summary_line

    issues = [*diagnostic_issues(diagnostics), *report_issues(report)]
    assert any(i.code == "FL307" for i in issues)  # a conflict: the table's last rows
    icons = {"error": "❌", "warning": "⚠️", "note": "ℹ️"}
    rows = [f"| {icons[i.severity]} | {i.code} | {_where(i)} | {_cell(i.message)} |" for i in issues]
    written = _written(write_markdown, report, diagnostics)
    head, table = written.split("\n\n| | code | where | finding |\n|---|---|---|---|\n")
    assert table == "".join(row + "\n" for row in rows)
    if diagnostics:
        assert head == f"## factlang: errors, nothing verified\n\n{found_line(diagnostics)}"
    else:
        assert head.startswith(f"## ❌ factlang: {len(report.facts)} facts, ")
        assert head.endswith("\n\n" + summary_line(report))
    empty = attrs.evolve(report, facts=(), conflicts=())
    assert "| code |" not in _written(write_markdown, empty, [])  # no finding: no table
