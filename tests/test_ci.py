"""CI packaging: the pre-commit hooks and the GitHub Action's script.

The hooks run through the real ``pre-commit``: a scratch git repository uses
the hook definitions of ``.pre-commit-hooks.yaml`` as local hooks (with
``factlang`` from this environment, so no network is needed). The full
``pre-commit try-repo`` — which builds a fresh virtualenv and installs
factlang into it from PyPI — takes a minute; it runs when
``FACTLANG_PRECOMMIT_TRY_REPO=1`` is set.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO, SEEDS

BIN = Path(sys.executable).parent
GOOD = """\
source cnn = "seeds/003_de8af479a19a1395.txt" {
    published: 2025-02-13
}

kind Company
kind Region

entity Huawei: Company
entity China: Region

predicate share(company: Company, market: Region, year: Year) -> Percent

share(Huawei, China, 2024) = 16%
    @ cnn "Huawei, posted a market share of 16% in China"
"""


def hooks() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return data


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=ci@example.com", "-c", "user.name=ci", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git repository holding a small factlang project."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(SEEDS, root / "seeds")
    (root / "pyproject.toml").write_text('[tool.factlang]\nsources = ["seeds"]\n', encoding="utf-8")
    (root / "facts").mkdir()
    (root / "facts" / "main.fact").write_text(GOOD, encoding="utf-8")
    (root / "notes.txt").write_text("not a fact file\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    return root


def test_hook_definitions() -> None:
    by_id = {h["id"]: h for h in hooks()}
    assert set(by_id) == {"factlang-check", "factlang-fmt"}
    for hook in by_id.values():
        assert hook["files"] == r"\.fact$"
        assert hook["language"] == "python"
    assert by_id["factlang-check"]["entry"] == "factlang check"
    assert (
        by_id["factlang-check"]["pass_filenames"] is False
    )  # the whole project: declarations live elsewhere
    assert by_id["factlang-fmt"]["entry"] == "factlang fmt"


def _run_hooks(project: Path, *hook_args: str) -> subprocess.CompletedProcess[str]:
    # The published definitions, as local hooks with this environment's factlang.
    local = [{**h, "language": "system", "entry": str(BIN / h["entry"])} for h in hooks()]
    config = {"repos": [{"repo": "local", "hooks": local}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {**os.environ, "PRE_COMMIT_HOME": str(project.parent / "pre-commit-home")}
    return subprocess.run(
        [str(BIN / "pre-commit"), "run", "--all-files", *hook_args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_pre_commit_runs_the_hooks(project: Path) -> None:
    run = _run_hooks(project)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "factlang check" in run.stdout
    assert "factlang fmt" in run.stdout


def test_pre_commit_fails_on_a_refuted_fact_and_reformats(project: Path) -> None:
    (project / "facts" / "main.fact").write_text(GOOD.replace("= 16%", "=   61%"), encoding="utf-8")
    run = _run_hooks(project)
    assert run.returncode == 1
    assert "refuted: share(Huawei, China, 2024) = 61% [FL301]" in run.stdout
    assert "= 61%\n" in (project / "facts" / "main.fact").read_text(encoding="utf-8")  # fmt rewrote it


@pytest.mark.skipif(
    not os.environ.get("FACTLANG_PRECOMMIT_TRY_REPO"), reason="set FACTLANG_PRECOMMIT_TRY_REPO=1 (needs PyPI)"
)
def test_pre_commit_try_repo(project: Path, tmp_path: Path) -> None:
    hook_repo = tmp_path / "hook-repo"
    hook_repo.mkdir()
    for name in ("factlang", "grammar"):
        shutil.copytree(REPO / name, hook_repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(REPO / name, hook_repo / name)
    git(hook_repo, "init", "-q")
    git(hook_repo, "add", "-A")
    git(hook_repo, "commit", "-qm", "hooks")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    run = subprocess.run(
        [str(BIN / "pre-commit"), "try-repo", str(hook_repo), "factlang-check", "--all-files"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "factlang check" in run.stdout


# --- the GitHub Action -------------------------------------------------------------------


def _action(
    project: Path, tmp_path: Path, **inputs: str
) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    summary = tmp_path / "step-summary.md"
    output = tmp_path / "github-output"
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(output),
        **inputs,
    }
    env.pop("NO_COLOR", None)
    run = subprocess.run(
        ["bash", str(REPO / "ci" / "github-action.sh")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return run, summary, output


def test_action_script_annotates_and_summarises_a_passing_run(project: Path, tmp_path: Path) -> None:
    run, summary, output = _action(project, tmp_path, FACTLANG_SARIF="factlang.sarif")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "1 fact: 1 supported; 0 conflicts; 0 warnings; OK"
    assert summary.read_text(encoding="utf-8").startswith("## ✅ factlang: 1 fact, all facts hold\n")
    assert output.read_text(encoding="utf-8") == "exit-code=0\n"
    sarif = json.loads((project / "factlang.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"] == []


def test_action_script_reports_a_failure_through_its_output(project: Path, tmp_path: Path) -> None:
    (project / "facts" / "main.fact").write_text(GOOD.replace("16%\n", "61%\n", 1), encoding="utf-8")
    run, summary, output = _action(project, tmp_path, FACTLANG_ARGS="--strict")
    assert run.returncode == 0  # the action fails the job after uploading SARIF, from the output
    assert run.stdout.startswith(
        "::error file=facts/main.fact,line=13,col=30,endLine=13,endColumn=33,title=FL301::"
    )
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## ❌ factlang: 1 fact, 1 error\n")
    assert "| ❌ | FL301 | `facts/main.fact:13:30` |" in text
    assert output.read_text(encoding="utf-8") == "exit-code=1\n"
    assert not (project / "factlang.sarif").exists()  # not asked for


def test_action_definition_runs_the_script() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert any("ci/github-action.sh" in s.get("run", "") for s in steps)
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert "inputs.sarif == 'true'" in upload["if"]
    assert set(action["inputs"]) >= {"paths", "args", "sarif", "python-version"}
