"""Load, verify and report from Python; run from the repository root."""

from factlang import load
from factlang.render import render_json, summary_line
from factlang.verify import verify

base = load(["docs/examples/first.fact"], cache=False)
report = verify(base)

for result in report.facts:
    print(result.verdict, result.fact.claim)
    for cite in result.citations:
        start, end = cite.span or (0, 0)
        print(f"  @{cite.citation.source} [{start}:{end}] {cite.source_text!r}")

print(summary_line(report))
assert report.ok
data = render_json(report)  # the same JSON as `factlang check --format json`
