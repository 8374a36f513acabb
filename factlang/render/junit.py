"""JUnit XML: one testcase per fact and per conflict, and a failing one per static error.

:func:`write_junit` writes the document one ``<testcase>`` at a time, as
ElementTree serializes and ``ET.indent`` indents the whole tree (the same
escaping, the same layout), without building the tree: a testcase is a
start tag and at most one child with text.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import IO, Final

from factlang.diagnostics import Diagnostic
from factlang.render.explain import explain
from factlang.render.issues import file_runs, write_by_file
from factlang.report import FactResult, Report

__all__ = ["JOINS", "file_parts", "render_junit", "write_junit", "write_parts"]

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


def _error_cases(errors: Sequence[Diagnostic]) -> Iterator[str]:
    for d in errors:
        attrs = [
            ("classname", _classname(d.path)),
            ("name", f"{d.code} {d.location or 'factlang'}"),
            ("file", d.path),
            ("line", str(d.line)),
        ]
        yield _case(attrs, "failure", [("message", d.message), ("type", d.code)], d.render())


def _fact_case(r: FactResult, strict: bool) -> str:
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
        return _case(attrs, "failure", failure, explain(r, strict=strict))
    if r.warnings:
        return _case(attrs, "system-out", (), "\n".join(f"{w.code}: {w.text}" for w in r.warnings))
    return _case(attrs)


def _conflict_cases(report: Report) -> Iterator[str]:
    for c in report.conflicts:
        attrs = [("classname", "factlang.conflicts"), ("name", c.key)]
        text = "\n".join(f"{f.location}: {f.claim}" for f in c.facts)
        yield _case(attrs, "failure", [("message", c.message), ("type", "conflict")], text)


#: How a file's shares (:func:`file_parts`) join when one file yields several.
JOINS: Final = ("",)


def file_parts(report: Report, **_: object) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The fact files' shares of the XML, in order: (the file as shown, (its testcases,)), a batch at a time.

    A share depends on its facts' results alone (each testcase is indented as in the suite).
    """
    strict, facts = report.strict, report.facts
    for path, ns in file_runs(report):
        for start in range(0, len(ns), _BATCH):
            yield path, ("".join(_CASE + _fact_case(facts[n], strict) for n in ns[start : start + _BATCH]),)


def write_parts(
    out: IO[str],
    parts: Iterable[tuple[str, ...]],
    tail: Report,
    summary: Mapping[str, int],
    where: Collection[str] = (),
    diagnostics: Sequence[Diagnostic] = (),
    **_: object,
) -> None:
    """Write the XML of a report from its files' shares (:func:`file_parts`); ``tail`` holds its conflicts."""
    errors = [d for d in diagnostics if d.severity == "error"]
    tests = str(summary["facts"] + len(tail.conflicts) + len(errors))
    failures = str(summary["failed"] + summary["conflicts"] + len(errors))
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
    out.write("".join(_CASE + case for case in _error_cases(errors)))
    for (cases,) in parts:
        out.write(cases)
    out.write("".join(_CASE + case for case in _conflict_cases(tail)))
    out.write("\n  </testsuite>\n</testsuites>\n")


def write_junit(report: Report, out: IO[str], diagnostics: Sequence[Diagnostic] = ()) -> None:
    """Write the JUnit XML to ``out``, testcases a batch at a time; the same text as :func:`render_junit`."""
    write_by_file(report, out, file_parts, write_parts, diagnostics)


def render_junit(report: Report, diagnostics: Sequence[Diagnostic] = ()) -> str:
    """One ``<testcase>`` per fact (and per conflict, and per static error), loadable by CI test reporters."""
    out = io.StringIO()
    write_junit(report, out, diagnostics)
    return out.getvalue()
