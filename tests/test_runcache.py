"""The run cache: an unchanged project replays its report; any change to an input is a full run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(REPO / "facts", root / "facts")
    shutil.copytree(REPO / "seeds", root / "seeds")
    (root / "pyproject.toml").write_text('[tool.factlang]\nfacts = ["facts"]\nsources = ["seeds"]\n')
    return root


def check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``factlang check`` in ``root``, reporting which heavy modules the run imported.

    The parser and the verifier: Lark and rapidfuzz only when they are needed
    (a file the fast path cannot read, a quote not found as it is).
    """
    code = (
        "import sys\n"
        "from factlang.cli import main\n"
        "rc = main(sys.argv[1:])\n"
        "heavy = sorted(m for m in ('factlang.parser', 'factlang.verify', 'lark', 'rapidfuzz') if m in sys.modules)\n"
        "print('IMPORTED=' + ','.join(heavy), file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-c", code, "check", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def imported(result: subprocess.CompletedProcess[str]) -> str:
    return result.stderr.strip().splitlines()[-1].removeprefix("IMPORTED=")


def test_an_unchanged_project_replays_without_parsing_or_verifying(project: Path) -> None:
    first = check(project, "--format", "json")
    assert first.returncode == 0
    assert imported(first) == "factlang.parser,factlang.verify"
    second = check(project, "--format", "json")
    assert second.returncode == 0
    assert imported(second) == ""  # neither the parser nor the verifier was needed
    assert second.stdout == first.stdout
    summary = json.loads(second.stdout)["summary"]
    assert summary["supported"] == summary["facts"] > 0  # the seed fact base, all supported


def test_other_arguments_are_another_run(project: Path) -> None:
    facts = json.loads(check(project, "--format", "json").stdout)["summary"]["facts"]
    text = check(project)
    assert imported(text) != ""
    assert text.stdout.rstrip().splitlines()[-1].startswith(f"{facts} facts")


def test_editing_a_fact_file_is_seen(project: Path) -> None:
    assert check(project).returncode == 0
    fact_file = project / "facts" / "market_share.fact"
    fact_file.write_text(fact_file.read_text().replace("= 16%", "= 61%", 1))
    again = check(project)
    assert again.returncode == 1
    assert imported(again) != ""


def test_editing_a_source_is_seen_and_a_touch_is_not(project: Path) -> None:
    assert check(project).returncode == 0
    source = next((project / "seeds").glob("003_*.txt"))
    os.utime(source, ns=(1, 1))  # new times, same bytes: still a replay
    touched = check(project)
    assert touched.returncode == 0
    assert imported(touched) == ""
    source.write_text(source.read_text().replace("16%", "61%"))
    changed = check(project)
    assert changed.returncode == 1
    assert imported(changed) != ""


def test_a_new_file_in_a_searched_folder_is_seen(project: Path) -> None:
    check(project)
    (project / "facts" / "more.fact").write_text('use "common.fact"\n')
    assert imported(check(project)) != ""


def test_a_tampered_entry_is_never_replayed(project: Path) -> None:
    check(project)
    entries = list((project / ".factlang_cache" / "run").glob("*.run"))
    assert len(entries) == 1
    blob = entries[0].read_bytes()
    tampered = blob.replace(b'"code":0', b'"code":7', 1)
    assert tampered != blob
    entries[0].write_bytes(tampered)
    again = check(project)
    assert again.returncode == 0
    assert imported(again) != ""


def test_no_cache_neither_reads_nor_writes_a_run_entry(project: Path) -> None:
    check(project, "--no-cache")
    assert not (project / ".factlang_cache" / "run").exists()
