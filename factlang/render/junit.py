"""JUnit XML: one testcase per fact and per conflict, and a failing one per static error."""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree as ET

from factlang.diagnostics import Diagnostic
from factlang.render.explain import explain
from factlang.report import Report

__all__ = ["render_junit"]


def _classname(path: str) -> str:
    return (path or "factlang").replace("/", ".").removesuffix(".fact")


def render_junit(report: Report, diagnostics: Sequence[Diagnostic] = ()) -> str:
    """One ``<testcase>`` per fact (and per conflict, and per static error), loadable by CI test reporters."""
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
            classname=_classname(d.path),
            name=f"{d.code} {d.location or 'factlang'}",
            file=d.path,
            line=str(d.line),
        )
        failure = ET.SubElement(case, "failure", message=d.message, type=d.code)
        failure.text = d.render()
    for r in report.facts:
        loc = r.fact.location
        case = ET.SubElement(
            suite,
            "testcase",
            classname=_classname(loc.path if loc else ""),
            name=r.fact.head,
            file=loc.path if loc else "",
            line=str(loc.line if loc else 0),
        )
        if not r.passes(strict=report.strict):
            label = r.label(report.strict)
            failure = ET.SubElement(case, "failure", message=f"{label}: {r.fact.claim}", type=label)
            failure.text = explain(r, strict=report.strict)
        elif r.warnings:
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join(f"{w.code}: {w.text}" for w in r.warnings)
    for c in report.conflicts:
        case = ET.SubElement(suite, "testcase", classname="factlang.conflicts", name=c.key)
        failure = ET.SubElement(case, "failure", message=c.message, type="conflict")
        failure.text = "\n".join(f"{f.location}: {f.claim}" for f in c.facts)
    root = ET.Element("testsuites", tests=suite.get("tests", "0"), failures=suite.get("failures", "0"))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
