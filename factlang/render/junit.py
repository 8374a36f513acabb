"""JUnit XML: one testcase per fact and per conflict, and a failing one per static error.

:func:`write_junit` writes the document one ``<testcase>`` at a time, as
ElementTree serializes and ``ET.indent`` indents the whole tree (the same
escaping, the same layout), without building the tree: a testcase is a
start tag and at most one child with text.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import IO, Final

from factlang._gc import paused_gc
from factlang.diagnostics import Diagnostic
from factlang.render.explain import explain
from factlang.report import Report

__all__ = ["render_junit", "write_junit"]

# How many testcases are serialized before one write.
_BATCH: Final = 256
# Indentation as ET.indent(root) lays out <testsuites>/<testsuite>/<testcase>/<failure>.
_CASE: Final = "\n    "
_CHILD: Final = "\n      "


def _classname(path: str) -> str:
    return (path or "factlang").replace("/", ".").removesuffix(".fact")


def _attr(text: str) -> str:
    """An attribute value escaped as ElementTree escapes it."""
    text = _cdata(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    # Line ends and tabs as character references, so they survive attribute normalization.
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#09;")
    return text


def _cdata(text: str) -> str:
    """Character data escaped as ElementTree escapes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _tag(name: str, attrs: Sequence[tuple[str, str]]) -> str:
    """``<name a="...">`` (without the closing ``>``)."""
    return f"<{name}" + "".join(f' {k}="{_attr(v)}"' for k, v in attrs)


def _case(
    attrs: Sequence[tuple[str, str]],
    child: str | None = None,
    child_attrs: Sequence[tuple[str, str]] = (),
    text: str = "",
) -> str:
    """One ``<testcase>`` with at most one child element holding text, as ET writes it."""
    head = _tag("testcase", attrs)
    if child is None:
        return head + " />"
    inner = _tag(child, child_attrs) + (f">{_cdata(text)}</{child}>" if text else " />")
    return f"{head}>{_CHILD}{inner}{_CASE}</testcase>"


def _cases(report: Report, errors: Sequence[Diagnostic]) -> Iterator[str]:
    """Every ``<testcase>`` as text, in document order."""
    strict = report.strict
    for d in errors:
        attrs = [
            ("classname", _classname(d.path)),
            ("name", f"{d.code} {d.location or 'factlang'}"),
            ("file", d.path),
            ("line", str(d.line)),
        ]
        yield _case(attrs, "failure", [("message", d.message), ("type", d.code)], d.render())
    for r in report.facts:
        loc = r.fact.location
        attrs = [
            ("classname", _classname(loc.path if loc else "")),
            ("name", r.fact.head),
            ("file", loc.path if loc else ""),
            ("line", str(loc.line if loc else 0)),
        ]
        if not r.passes(strict=strict):
            label = r.label(strict)
            failure = [("message", f"{label}: {r.fact.claim}"), ("type", label)]
            yield _case(attrs, "failure", failure, explain(r, strict=strict))
        elif r.warnings:
            yield _case(attrs, "system-out", (), "\n".join(f"{w.code}: {w.text}" for w in r.warnings))
        else:
            yield _case(attrs)
    for c in report.conflicts:
        attrs = [("classname", "factlang.conflicts"), ("name", c.key)]
        text = "\n".join(f"{f.location}: {f.claim}" for f in c.facts)
        yield _case(attrs, "failure", [("message", c.message), ("type", "conflict")], text)


def write_junit(report: Report, out: IO[str], diagnostics: Sequence[Diagnostic] = ()) -> None:
    """Write the JUnit XML to ``out``, one testcase at a time; the same text as :func:`render_junit`."""
    s = report.summary()
    errors = [d for d in diagnostics if d.severity == "error"]
    tests = str(len(report.facts) + len(report.conflicts) + len(errors))
    failures = str(s["failed"] + s["conflicts"] + len(errors))
    suite = _tag(
        "testsuite",
        [("name", "factlang"), ("tests", tests), ("failures", failures), ("errors", "0"), ("skipped", "0")],
    )
    out.write('<?xml version="1.0" encoding="utf-8"?>\n')
    out.write(_tag("testsuites", [("tests", tests), ("failures", failures)]) + ">\n  " + suite)
    if tests == "0":
        out.write(" />\n</testsuites>\n")  # no testcase: the suite is an empty element
        return
    out.write(">")
    with paused_gc():  # only short-lived, acyclic garbage (see render.json)
        batch: list[str] = []
        for case in _cases(report, errors):
            batch.append(case)
            if len(batch) >= _BATCH:
                out.write(_CASE + _CASE.join(batch))
                batch.clear()
        if batch:
            out.write(_CASE + _CASE.join(batch))
    out.write("\n  </testsuite>\n</testsuites>\n")


def render_junit(report: Report, diagnostics: Sequence[Diagnostic] = ()) -> str:
    """One ``<testcase>`` per fact (and per conflict, and per static error), loadable by CI test reporters."""
    out = io.StringIO()
    write_junit(report, out, diagnostics)
    return out.getvalue()
