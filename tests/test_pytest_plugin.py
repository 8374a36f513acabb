"""factlang.pytest_plugin: fact files as pytest test suites, end to end with pytester.

Most runs are in-process (fast; installed plugins load through their entry
points there too); where entry-point loading, xdist or a clean interpreter
matter, ``runpytest_subprocess``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

# Imported before any in-process run: pytester takes the modules a run imports out of
# sys.modules afterwards, and objects cached from a removed module's classes could
# then no longer be pickled (when this file ran alone).
import factlang.loader
import factlang.verify  # noqa: F401

pytest_plugins = ["pytester"]

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

#: The seed articles the facts below cite, under the names the sources use.
ARTICLES = {
    "cnn.txt": "003_de8af479a19a1395.txt",
    "wsj.txt": "000_c068dfba5a7ee47a.txt",
    "reuters.txt": "001_f348f285d0361a47.txt",
}

#: As strict as this project's own configuration. (Hypothesis's plugin is left
#: out only for speed: it imports Hypothesis at the end of every run.)
PYTEST_INI = """\
[tool.pytest.ini_options]
addopts = ["--strict-markers", "--strict-config", "-p", "no:hypothesispytest"]
filterwarnings = ["error"]
"""


def pyproject(factlang: str | None = "", ini: str = "") -> str:
    """A pyproject.toml: a ``[tool.factlang]`` table (None: none) and pytest's settings."""
    table = "" if factlang is None else f"[tool.factlang]\n{factlang}\n"
    return table + PYTEST_INI + ini


COMMON = """\
source cnn = "articles/cnn.txt" { outlet: "CNN" published: 2025-02-13 }
source wsj = "articles/wsj.txt" { outlet: "WSJ" published: 2025-02-13 }
source reuters = "articles/reuters.txt" { outlet: "Reuters" published: 2025-02-13 }

kind Company
kind Region
entity Huawei: Company
entity Apple: Company aka "iPhone maker"
entity Baidu: Company
entity China: Region aka "the country"
entity GreaterChina: Region

predicate share(company: Company, market: Region, year: Year) -> Percent
predicate revenue_change(company: Company, region: Region, quarter: Quarter) -> Percent
predicate partner(a: Company, b: Company)
"""

APPLE_2023 = """\
share(Apple, China, 2023) = 19%
    @ cnn "In 2023, Apple was the top mobile phone seller in the country with 19% of market share"
"""
HUAWEI_16 = """\
share(Huawei, China, 2024) = 16%
    @ cnn "Huawei, posted a market share of 16% in China"
"""
HUAWEI_17 = """\
share(Huawei, China, 2024) = 17%
    @ cnn "Huawei, posted a market share of 16% in China"
"""
# Supported, with a warning: the text near the quote has no negation.
NOT_PARTNER = """\
not partner(Apple, Baidu)
    @ wsj "their collaboration ran into snags"
"""

#: One supported fact and one the source refutes (it says 16%).
PASS_AND_FAIL = f'use "common.fact"\n\n{APPLE_2023}\n{HUAWEI_17}'


def facts(*blocks: str) -> str:
    return 'use "common.fact"\n\n' + "\n".join(blocks)


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project that opted in: [tool.factlang], seed articles, shared declarations."""
    pytester.makepyprojecttoml(pyproject())
    articles = pytester.mkdir("articles")
    for name, seed in ARTICLES.items():
        shutil.copyfile(SEEDS / seed, articles / name)
    write(pytester, "common.fact", COMMON)
    return pytester


def write(pytester: pytest.Pytester, name: str, text: str) -> Path:
    path = pytester.path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def collected(result: pytest.RunResult) -> list[str]:
    """Node ids listed by ``--collect-only -q``."""
    return [line for line in result.outlines if "::" in line]


INTERNALS = ("Traceback", "_pytest", "pluggy", "pytest_plugin.py", "site-packages")


def assert_no_internals(result: pytest.RunResult) -> None:
    """No traceback or frame of pytest, pluggy or the plugin (the session header names pluggy)."""
    header = ("platform ", "plugins: ", "rootdir: ")
    lines = [line for line in result.outlines + result.errlines if not line.startswith(header)]
    for needle in INTERNALS:
        assert not [line for line in lines if needle in line], needle


# --- opting in ---------------------------------------------------------------------


def test_a_project_that_did_not_opt_in_collects_no_fact_files(pytester: pytest.Pytester) -> None:
    pytester.makepyprojecttoml(pyproject(None))
    write(pytester, "market.fact", "this is not even factlang (\n")
    pytester.makepyfile(test_plain="def test_plain():\n    pass\n")

    result = pytester.runpytest_subprocess()

    result.assert_outcomes(passed=1)
    assert "market.fact" not in result.stdout.str()


@pytest.mark.parametrize(
    ("table", "factlang_toml", "args"),
    [("", False, []), (None, True, []), (None, False, ["--factlang"])],
    ids=["tool.factlang table", "factlang.toml", "--factlang"],
)
def test_a_project_opts_in_by_configuration_or_option(
    project: pytest.Pytester, table: str | None, factlang_toml: bool, args: list[str]
) -> None:
    project.makepyprojecttoml(pyproject(table))
    if factlang_toml:
        write(project, "factlang.toml", "")
    write(project, "market.fact", PASS_AND_FAIL)

    result = project.runpytest_subprocess(*args)

    result.assert_outcomes(passed=1, failed=1)


def test_the_glob_of_fact_files_is_an_ini_key(project: pytest.Pytester) -> None:
    write(project, "market.facts", PASS_AND_FAIL)
    write(project, "ignored.fact", "not factlang (\n")
    project.makepyprojecttoml(pyproject(ini='factlang_glob = ["*.facts"]\n'))

    result = project.runpytest("--collect-only", "-q")

    assert collected(result) == [
        "market.facts::share(Apple, China, 2023)",
        "market.facts::share(Huawei, China, 2024)",
    ]


def test_fact_files_of_a_nested_project_are_left_to_it(project: pytest.Pytester) -> None:
    write(project, "market.fact", PASS_AND_FAIL)
    write(project, "fixtures/other/factlang.toml", "")
    write(project, "fixtures/other/facts/broken.fact", "not factlang (\n")

    result = project.runpytest("--collect-only", "-q")

    assert collected(result) == [
        "market.fact::share(Apple, China, 2023)",
        "market.fact::share(Huawei, China, 2024)",
    ]


# --- items --------------------------------------------------------------------------


def test_one_item_per_fact_named_by_its_key(project: pytest.Pytester) -> None:
    write(project, "market.fact", facts(APPLE_2023, HUAWEI_16, NOT_PARTNER))

    result = project.runpytest("--collect-only", "-q")

    assert collected(result) == [
        "market.fact::share(Apple, China, 2023)",
        "market.fact::share(Huawei, China, 2024)",
        "market.fact::not partner(Apple, Baidu)",
    ]


def test_facts_with_the_same_key_in_one_file_are_told_apart_by_line(project: pytest.Pytester) -> None:
    write(project, "market.fact", facts(HUAWEI_16, HUAWEI_16))

    result = project.runpytest("--collect-only", "-q")

    assert collected(result) == [
        "market.fact::share(Huawei, China, 2024) (line 3)",
        "market.fact::share(Huawei, China, 2024) (line 6)",
    ]


@pytest.mark.parametrize(
    ("expression", "selected"),
    [
        ("Huawei", ["share(Huawei, China, 2024)"]),
        ("share", ["share(Apple, China, 2023)", "share(Huawei, China, 2024)"]),
        ("Apple and 2023", ["share(Apple, China, 2023)"]),
        ("not Huawei and not partner", ["share(Apple, China, 2023)"]),
        ("partner and Baidu", ["not partner(Apple, Baidu)"]),
    ],
)
def test_k_selects_facts_by_the_words_of_their_key(
    project: pytest.Pytester, expression: str, selected: list[str]
) -> None:
    write(project, "market.fact", facts(APPLE_2023, HUAWEI_16, NOT_PARTNER))

    result = project.runpytest("--collect-only", "-q", "-k", expression)

    assert collected(result) == [f"market.fact::{name}" for name in selected]


def test_a_fact_is_selected_by_its_node_id(project: pytest.Pytester) -> None:
    write(project, "market.fact", PASS_AND_FAIL)

    result = project.runpytest("market.fact::share(Huawei, China, 2024)")

    result.assert_outcomes(failed=1)


# --- verdicts -----------------------------------------------------------------------


def test_a_supported_fact_passes_and_a_refuted_one_fails(project: pytest.Pytester) -> None:
    write(project, "market.fact", PASS_AND_FAIL)

    result = project.runpytest_subprocess()

    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*1 failed, 1 passed*"])


def test_a_failure_is_the_verifiers_explanation(project: pytest.Pytester) -> None:
    write(project, "market.fact", PASS_AND_FAIL)

    result = project.runpytest_subprocess()

    result.stdout.fnmatch_lines(
        [
            "*_ share(Huawei, China, 2024) _*",
            "refuted: share(Huawei, China, 2024) = 17%",
            "  at market.fact:6:1",
            "  @ cnn: refuted",
            '    quote:    "Huawei, posted a market share of 16% in China"',
        ]
    )
    assert (
        "    evidence: Last year, «Huawei, posted a market share of [16%] in China», overtaking Apple’s 15%, "
        "according to Canalys data.\n"
        "    states:   16%\n"
        "    the quote states 16%, not = 17%"
    ) in result.stdout.str()
    assert_no_internals(result)


#: A conftest that logs each fact the plugin verifies (as its node id) and
#: each load of fact files, with the process (xdist worker) that made it, to
#: ``calls.log``.
COUNTING_CONFTEST = """
from pathlib import Path

import factlang.loader
import factlang.verify

LOG = Path(__file__).parent / "calls.log"
WHO = ["main"]

def pytest_configure(config):
    # Not the environment: an outer xdist run leaks PYTEST_XDIST_WORKER into it.
    WHO[0] = getattr(config, "workerinput", {}).get("workerid", "main")

def log(line):
    with LOG.open("a", encoding="utf-8") as f:
        f.write(WHO[0] + " " + line + "\\n")

check = factlang.verify.Verifier.check

def counting_check(self, fact):
    log(f"verify {Path(fact.location.path).name}::{fact.head}")
    return check(self, fact)

factlang.verify.Verifier.check = counting_check
load_project = factlang.loader.load_project

def counting_load(config, paths=None):
    log("load " + " ".join(sorted(Path(p).name for p in paths or ())))
    return load_project(config, paths)

factlang.loader.load_project = counting_load
"""


def calls(project: pytest.Pytester, kind: str) -> list[tuple[str, str]]:
    """The (process, what) of each call of ``kind`` (``verify``, ``load``) the conftest logged."""
    log = project.path / "calls.log"
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return [(who, what) for who, k, what in (line.split(" ", 2) for line in lines) if k == kind]


def test_each_test_verifies_its_own_fact_once(project: pytest.Pytester) -> None:
    write(project, "a.fact", facts(APPLE_2023, NOT_PARTNER))
    write(project, "b.fact", facts(HUAWEI_16))
    project.makeconftest(COUNTING_CONFTEST)

    result = project.runpytest_subprocess()

    result.assert_outcomes(passed=3)
    assert sorted(calls(project, "verify")) == [
        ("main", "a.fact::not partner(Apple, Baidu)"),
        ("main", "a.fact::share(Apple, China, 2023)"),
        ("main", "b.fact::share(Huawei, China, 2024)"),
    ]


def test_a_selection_verifies_only_the_facts_it_runs(project: pytest.Pytester) -> None:
    write(project, "a.fact", facts(APPLE_2023, NOT_PARTNER))
    write(project, "b.fact", facts(HUAWEI_16))
    project.makeconftest(COUNTING_CONFTEST)

    result = project.runpytest_subprocess("-k", "Huawei")

    result.assert_outcomes(passed=1)
    assert calls(project, "verify") == [("main", "b.fact::share(Huawei, China, 2024)")]


def test_under_xdist_each_worker_verifies_the_facts_it_runs_once(project: pytest.Pytester) -> None:
    quote = '@ cnn "Huawei, posted a market share of 16% in China"'
    blocks = [f"share(Company{i}, China, 2024) = 16%\n    {quote}\n" for i in range(12)]
    companies = "".join(f"entity Company{i}: Company\n" for i in range(12))
    write(project, "common.fact", COMMON + companies)
    write(project, "a.fact", facts(*blocks[:6]))
    write(project, "b.fact", facts(*blocks[6:]))
    project.makeconftest(COUNTING_CONFTEST)

    result = project.runpytest_subprocess("-n", "2", "-v")

    result.assert_outcomes(passed=12)
    ran: list[tuple[str, str]] = []  # "[gw0] [  8%] PASSED a.fact::share(Company0, China, 2024)"
    for line in result.outlines:
        worker, passed, nodeid = line.partition(" PASSED ")
        if passed and worker.startswith("[gw"):
            ran.append((worker.split("]")[0][1:], nodeid.strip()))
    assert len(ran) == 12
    # The union of what the workers verified is what ran, each fact once, by the worker that ran it.
    assert sorted(calls(project, "verify")) == sorted(ran)


def test_the_fact_base_is_loaded_once_at_collection(project: pytest.Pytester) -> None:
    write(project, "a.fact", facts(APPLE_2023, NOT_PARTNER))
    write(project, "b.fact", facts(HUAWEI_16))
    project.makeconftest(COUNTING_CONFTEST)

    result = project.runpytest_subprocess()

    result.assert_outcomes(passed=3)
    assert [what for _, what in calls(project, "load")] == ["a.fact b.fact common.fact"]


def test_a_file_left_out_by_the_arguments_is_not_loaded(project: pytest.Pytester) -> None:
    write(project, "a.fact", facts(APPLE_2023))
    write(project, "b.fact", facts("share(Huwei, China, 2024) = 16% @ cnn\n"))
    project.makeconftest(COUNTING_CONFTEST)

    result = project.runpytest_subprocess("a.fact")

    result.assert_outcomes(passed=1)
    assert [what for _, what in calls(project, "load")] == ["a.fact"]


# --- static errors ------------------------------------------------------------------


def test_an_unknown_name_is_a_collection_error_with_a_positioned_diagnostic(project: pytest.Pytester) -> None:
    write(project, "market.fact", facts("share(Huwei, China, 2024) = 16% @ cnn\n"))

    result = project.runpytest()

    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(
        [
            "*ERROR collecting market.fact*",
            "market.fact:3:7: error: unknown entity 'Huwei'; did you mean 'Huawei'?",
            "    share(Huwei, China, 2024) = 16% @ cnn",
            "          ^~~~~",
        ]
    )
    assert_no_internals(result)


def test_a_syntax_error_is_a_collection_error_with_a_positioned_diagnostic(project: pytest.Pytester) -> None:
    write(project, "market.fact", "kind Company\nentity Huawei Company\n")

    result = project.runpytest()

    result.stdout.fnmatch_lines(
        [
            "*ERROR collecting market.fact*",
            "market.fact:2:15: error: *",
            "    entity Huawei Company",
            "                  ^~~~~~~",
        ]
    )
    assert_no_internals(result)


def test_files_that_load_alone_but_clash_together_are_a_collection_error(project: pytest.Pytester) -> None:
    write(project, "a.fact", "kind Company\n")
    write(project, "b.fact", "kind Company\n")

    result = project.runpytest()

    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["b.fact:1:6: error: duplicate kind 'Company'", "*1 error*"])


def test_a_file_with_errors_beside_good_ones_is_the_only_collection_error(project: pytest.Pytester) -> None:
    write(project, "a.fact", facts(APPLE_2023))
    write(project, "b.fact", facts("share(Huwei, China, 2024) = 16% @ cnn\n"))
    write(project, "c.fact", facts(HUAWEI_16))

    result = project.runpytest("--continue-on-collection-errors")

    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        ["*ERROR collecting b.fact*", "b.fact:3:7: error: unknown entity 'Huwei'; did you mean 'Huawei'?"]
    )
    assert "a.fact:" not in result.stdout.str()


def test_last_failed_collects_only_the_files_that_failed(project: pytest.Pytester) -> None:
    write(project, "a.fact", PASS_AND_FAIL)
    write(project, "b.fact", facts(NOT_PARTNER))
    project.runpytest().assert_outcomes(passed=2, failed=1)

    # b.fact is found beside a.fact, but --lf skips collecting it.
    result = project.runpytest("--lf")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*skipped 2 files*", "refuted: share(Huawei, China, 2024) = 17%"])


def test_facts_in_several_folders_are_one_fact_base(project: pytest.Pytester) -> None:
    write(project, "europe/a.fact", 'use "../common.fact"\n\n' + HUAWEI_16)
    write(project, "asia/b.fact", 'use "../common.fact"\n\n' + HUAWEI_17)
    write(project, "asia/c.fact", 'use "../common.fact"\n\n' + APPLE_2023)

    result = project.runpytest()

    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*_ conflict: share(Huawei, China, 2024) _*",
            "  asia/b.fact:3:1: share(Huawei, China, 2024) = 17% (@cnn)",
            "  europe/a.fact:3:1: share(Huawei, China, 2024) = 16% (@cnn)",
        ]
    )


def test_a_source_that_cannot_be_read_fails_every_fact(project: pytest.Pytester) -> None:
    write(project, "market.fact", facts(APPLE_2023, NOT_PARTNER))
    (project.path / "articles" / "wsj.txt").write_bytes(b"not UTF-8: \xff\n")

    result = project.runpytest()

    result.assert_outcomes(failed=2)
    # The fact citing only cnn fails too, as `factlang check` fails as a whole.
    # Counted in the failure reports, not the summary (which CI prints untruncated).
    message = "error: source 'wsj' (articles/wsj.txt) is not valid UTF-8"
    reports = [line for line in result.stdout.lines if message in line and not line.startswith("FAILED")]
    assert len(reports) == 2
    assert_no_internals(result)


# --- options ------------------------------------------------------------------------

FOLDER_SOURCE = """\
kind Company
kind Region
entity Huawei: Company
entity China: Region
predicate share(company: Company, market: Region, year: Year) -> Percent
share(Huawei, China, 2024) = 16%
    @ cnn_article "Huawei, posted a market share of 16% in China"
"""


@pytest.fixture
def folder_source(project: pytest.Pytester) -> pytest.Pytester:
    """A fact citing ``cnn_article`` by file stem: needs ``corpus`` as a sources folder."""
    (project.path / "common.fact").unlink()
    corpus = project.mkdir("corpus")
    shutil.copyfile(SEEDS / ARTICLES["cnn.txt"], corpus / "cnn_article.txt")
    write(project, "market.fact", FOLDER_SOURCE)
    return project


def test_without_the_sources_folder_its_files_are_unknown_sources(folder_source: pytest.Pytester) -> None:
    result = folder_source.runpytest()

    result.stdout.fnmatch_lines(["market.fact:7:7: error: unknown source 'cnn_article'*"])


@pytest.mark.parametrize(
    ("table", "ini", "args"),
    [
        ('sources = ["corpus"]', "", []),
        ('sources = ["elsewhere"]', 'factlang_sources = ["corpus"]', []),
        ('sources = ["elsewhere"]', "", ["--factlang-sources", "corpus"]),
    ],
    ids=["tool.factlang", "ini key", "option"],
)
def test_the_sources_folder_comes_from_config_ini_or_option(
    folder_source: pytest.Pytester, table: str, ini: str, args: list[str]
) -> None:
    folder_source.makepyprojecttoml(pyproject(table, ini))

    result = folder_source.runpytest(*args)

    result.assert_outcomes(passed=1)


def test_warnings_do_not_fail_a_fact_but_are_listed(project: pytest.Pytester) -> None:
    write(project, "market.fact", facts(NOT_PARTNER))

    result = project.runpytest()

    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        ["*= factlang =*", "market.fact::not partner(Apple, Baidu): @wsj: the fact is negated*"]
    )


@pytest.mark.parametrize(
    ("table", "ini", "args"),
    [
        ("strict = true", "", []),
        ("", "factlang_strict = true", []),
        ("strict = false", "", ["--factlang-strict"]),
    ],
    ids=["tool.factlang", "ini key", "option"],
)
def test_strict_mode_fails_facts_with_warnings(
    project: pytest.Pytester, table: str, ini: str, args: list[str]
) -> None:
    project.makepyprojecttoml(pyproject(table, ini))
    write(project, "market.fact", facts(NOT_PARTNER))

    result = project.runpytest(*args)

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "warnings (strict mode): not partner(Apple, Baidu)",
            "*warning: the fact is negated*",
            "  strict mode: warnings fail the fact",
        ]
    )


def test_the_strict_ini_key_overrides_the_table(project: pytest.Pytester) -> None:
    project.makepyprojecttoml(pyproject("strict = true", "factlang_strict = false"))
    write(project, "market.fact", facts(NOT_PARTNER))

    result = project.runpytest()

    result.assert_outcomes(passed=1)


# --- markers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "selected"),
    [
        ("share", ["share(Apple, China, 2023)", "share(Huawei, China, 2024)"]),
        ("partner", ["not partner(Apple, Baidu)"]),
        ("factlang and not share", ["not partner(Apple, Baidu)"]),
    ],
)
def test_m_selects_facts_by_predicate_under_strict_markers(
    project: pytest.Pytester, expression: str, selected: list[str]
) -> None:
    write(project, "market.fact", facts(APPLE_2023, HUAWEI_16, NOT_PARTNER))

    result = project.runpytest("--collect-only", "-q", "--strict-markers", "-m", expression)

    assert collected(result) == [f"market.fact::{name}" for name in selected]


def test_a_predicate_named_like_a_pytest_marker_does_not_act_as_one(project: pytest.Pytester) -> None:
    write(
        project,
        "market.fact",
        facts(
            "predicate skip(company: Company) -> Percent\n", 'skip(Huawei) = 16%\n    @ cnn "share of 16%"\n'
        ),
    )

    result = project.runpytest()

    result.assert_outcomes(passed=1)


# --- contradicts and conflicts ------------------------------------------------------

KNOWN_ERROR = """\
revenue_change(Apple, GreaterChina, 2024-Q4) = -11%
    @ wsj "Apple's revenue from the Greater China region fell 11%"
    @ reuters "Apple's Greater China Sales rose 11%" contradicts
"""

STALE_KNOWN_ERROR = """\
revenue_change(Apple, GreaterChina, 2024-Q4) = -11%
    @ wsj "Apple's revenue from the Greater China region fell 11%"
    @ wsj "Apple's revenue from the Greater China region fell 11%" contradicts
"""


def test_a_contradicts_citation_refuted_as_expected_passes_like_an_xfail(project: pytest.Pytester) -> None:
    write(project, "market.fact", facts(KNOWN_ERROR))

    result = project.runpytest("-rx", "--junitxml=report.xml")

    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*= factlang =*",
            "market.fact::revenue_change(Apple, GreaterChina, 2024-Q4): "
            "@reuters refutes it, as marked 'contradicts'",
        ]
    )
    properties = ET.parse(project.path / "report.xml").getroot().iter("property")
    assert ("factlang_known_error", "@reuters refutes it, as marked 'contradicts'") in [
        (p.get("name"), p.get("value")) for p in properties
    ]


def test_a_known_error_that_no_longer_reproduces_fails(project: pytest.Pytester) -> None:
    write(project, "market.fact", facts(STALE_KNOWN_ERROR))

    result = project.runpytest()

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "known error no longer reproduces: revenue_change(Apple, GreaterChina, 2024-Q4) = -11%",
            "*@ wsj (contradicts): supported — known error NO LONGER reproduced",
            "*the known error no longer reproduces",
        ]
    )


def test_a_conflict_between_files_is_its_own_failing_item(project: pytest.Pytester) -> None:
    write(project, "a.fact", facts(HUAWEI_16))
    write(project, "b.fact", facts(HUAWEI_17))

    result = project.runpytest()

    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*_ conflict: share(Huawei, China, 2024) _*",
            "conflict: share(Huawei, China, 2024): share(Huawei, China, 2024) = 16% and * = 17% cannot both hold",
            "  a.fact:3:1: share(Huawei, China, 2024) = 16% (@cnn)",
            "  b.fact:3:1: share(Huawei, China, 2024) = 17% (@cnn)",
        ]
    )


def test_conflict_items_are_counted_and_selectable(project: pytest.Pytester) -> None:
    write(project, "a.fact", facts(HUAWEI_16))
    write(project, "b.fact", facts(HUAWEI_17))

    result = project.runpytest("-k", "conflict")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["collected 3 items / 2 deselected / 1 selected"])


# --- reports and xdist --------------------------------------------------------------


def test_junitxml_has_a_testcase_per_fact(project: pytest.Pytester) -> None:
    write(project, "market.fact", PASS_AND_FAIL)

    project.runpytest("--junitxml=report.xml", "-o", "junit_family=xunit1")

    cases = {c.get("name"): c for c in ET.parse(project.path / "report.xml").getroot().iter("testcase")}
    assert set(cases) == {"share(Apple, China, 2023)", "share(Huawei, China, 2024)"}
    assert cases["share(Apple, China, 2023)"].find("failure") is None
    failure = cases["share(Huawei, China, 2024)"].find("failure")
    assert failure is not None
    assert (failure.text or "").startswith("refuted: share(Huawei, China, 2024) = 17%")
    assert cases["share(Huawei, China, 2024)"].get("file") == "market.fact"
    assert cases["share(Huawei, China, 2024)"].get("line") == "5"  # 0-based, as JUnit XML has it


def test_runs_under_xdist(project: pytest.Pytester) -> None:
    write(project, "a.fact", PASS_AND_FAIL)
    write(project, "b.fact", facts(KNOWN_ERROR, NOT_PARTNER))

    result = project.runpytest_subprocess("-n", "2", "--junitxml=report.xml")

    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["refuted: share(Huawei, China, 2024) = 17%"])
    assert_no_internals(result)
    assert len(list(ET.parse(project.path / "report.xml").getroot().iter("testcase"))) == 4


# --- staying out of the way ---------------------------------------------------------


def test_importing_the_plugin_imports_nothing_more_of_factlang() -> None:
    code = (
        "import sys, factlang; before = set(sys.modules); import factlang.pytest_plugin; "
        "print(sorted(m for m in set(sys.modules) - before if m.startswith('factlang')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['factlang.pytest_plugin']"


def _failures(result: pytest.RunResult) -> list[str]:
    """The failures section of a run's output, without its timing."""
    lines = result.outlines
    start = next(i for i, line in enumerate(lines) if "FAILURES" in line)
    end = next(i for i, line in enumerate(lines) if "short test summary" in line)
    return lines[start:end]


def test_facts_factlang_check_verified_are_not_verified_again(project: pytest.Pytester) -> None:
    """The results cache ``factlang check`` fills gives pytest its results, failures told alike."""
    a = write(project, "a.fact", facts(APPLE_2023, NOT_PARTNER))
    b = write(project, "b.fact", PASS_AND_FAIL.replace(APPLE_2023, ""))
    for path in (a, b, project.path / "common.fact"):
        os.utime(path, ns=(1, 1))  # written long ago: their records are stored
    project.makeconftest(COUNTING_CONFTEST)
    fresh = project.runpytest_subprocess()
    fresh.assert_outcomes(passed=2, failed=1)
    assert len(calls(project, "verify")) == 3
    (project.path / "calls.log").unlink()

    done = subprocess.run(
        [sys.executable, "-m", "factlang", "check", "common.fact", "a.fact", "b.fact"],
        cwd=project.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr  # the refuted fact
    replayed = project.runpytest_subprocess()
    replayed.assert_outcomes(passed=2, failed=1)
    assert calls(project, "verify") == []  # every result from the cache
    assert _failures(replayed) == _failures(fresh)

    # An edited file's facts are verified again; the other file's still come from the cache.
    b.write_text(b.read_text(encoding="utf-8").replace("= 17%", "= 16%"), encoding="utf-8")
    again = project.runpytest_subprocess()
    again.assert_outcomes(passed=3)
    assert calls(project, "verify") == [("main", "b.fact::share(Huawei, China, 2024)")]
    # Other settings are another context: nothing replayed.
    (project.path / "calls.log").unlink()
    project.runpytest_subprocess("--factlang-strict")
    assert len(calls(project, "verify")) == 3
