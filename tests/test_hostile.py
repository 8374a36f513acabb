"""Hostile input stays harmless (issue 10): no crash, nothing read or written outside the project.

Each test is a regression test for something that, before its fix, gave
``factlang: internal error``, read a file outside the project, or trusted
something it should not have.
"""

from __future__ import annotations

import json
import os
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from factlang import load, values
from factlang.cli import main
from factlang.diagnostics import ConfigError, FactlangError
from factlang.formatter import format_text

posix = pytest.mark.skipif(os.name != "posix", reason="a POSIX filesystem feature")
LONG_NAME = "x" * 300  # over NAME_MAX (255) on every common filesystem
DIGITS = "1" * 5000  # over Python's 4,300-digit limit for int()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project with one source, as the current directory."""
    (tmp_path / "pyproject.toml").write_text('[tool.factlang]\nsources = ["src"]\n', encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text(
        "Huawei posted a market share of 16% in China.\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    # A key folder of this test's own: the cache-trust tests change its owner and modes.
    from factlang import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    cache._signing_key.cache_clear()
    return tmp_path


def check(project: Path, text: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run ``factlang check`` on a fact file with ``text``; the exit code and stderr."""
    (project / "t.fact").write_text(text, encoding="utf-8")
    code = main(["check", "t.fact", *args])
    captured = capsys.readouterr()
    assert "internal error" not in captured.err
    check.out = captured.out  # type: ignore[attr-defined]
    return code, captured.err


# --- crashes on filesystem calls ---------------------------------------------------------


def test_a_use_path_over_the_name_limit(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = check(project, f'use "{LONG_NAME}.fact"\n', capsys)

    assert code == 2
    assert err.startswith(
        f"t.fact:1:5: error: included file '{LONG_NAME}.fact' cannot be read: File name too long"
    )


def test_a_source_path_over_the_name_limit(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = check(project, f'source s = "{LONG_NAME}.txt"\n', capsys)

    assert code == 2
    assert err.startswith(
        f"t.fact:1:12: error: source path '{LONG_NAME}.txt' cannot be read: File name too long"
    )


def test_a_command_line_path_over_the_name_limit(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", LONG_NAME]) == 2
    assert (
        capsys.readouterr().err
        == f"{LONG_NAME}: error: this path cannot be read: File name too long\nFound 1 error in 1 file.\n"
    )


@posix
@pytest.mark.parametrize("text", ['source s = "loop1"\n', 'use "loop1"\n'])
def test_a_symlink_loop(project: Path, capsys: pytest.CaptureFixture[str], text: str) -> None:
    (project / "loop1").symlink_to("loop2")
    (project / "loop2").symlink_to("loop1")

    code, err = check(project, text, capsys)

    assert code == 2
    assert "'loop1' cannot be read: a symlink loop" in err.splitlines()[0]


@posix
def test_a_named_pipe_is_not_a_regular_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo(project / "pipe.fact")

    code, err = check(project, 'use "pipe.fact"\nsource s = "pipe.fact"\n', capsys)

    assert code == 2
    lines = err.splitlines()
    assert lines[0] == "t.fact:1:5: error: included file 'pipe.fact' is not a regular file (a named pipe)"
    assert main(["check", "pipe.fact"]) == 2
    assert (
        capsys.readouterr().err
        == "pipe.fact: error: this path is not a regular file (a named pipe)\nFound 1 error in 1 file.\n"
    )


@posix
def test_use_dev_zero_says_it_is_not_a_regular_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = check(project, 'use "/dev/zero"\n', capsys)

    assert code == 2
    assert (
        err.splitlines()[0] == "t.fact:1:5: error: included file '/dev/zero' is not a regular file (a device)"
    )


# --- crashes on numbers -------------------------------------------------------------------


@pytest.mark.parametrize("literal", [DIGITS, f"${DIGITS}", f"{DIGITS}%"])
def test_a_literal_over_4300_digits_checks(
    project: Path, capsys: pytest.CaptureFixture[str], literal: str
) -> None:
    value_type = {"$": "Money", "%": "Percent"}.get(
        literal[0] if literal[0] == "$" else literal[-1], "Number"
    )
    text = f'predicate p() -> {value_type}\np() = {literal} @ a "Huawei posted a market share"\n'

    code, err = check(project, text, capsys)

    assert code == 1  # a verdict, not an error
    assert err == ""


def test_fmt_groups_a_literal_over_4300_digits() -> None:
    out = format_text(f"predicate p() -> Money\np() = ${DIGITS}\n")

    groups = out.splitlines()[-1].removeprefix("p() = $").split(",")
    assert "".join(groups) == DIGITS
    assert 1 <= len(groups[0]) <= 3
    assert {len(g) for g in groups[1:]} == {3}


def test_fmt_keeps_every_digit_of_a_40_digit_amount() -> None:
    """It wrote $1,111,...,111,000,000,000,000: abs() rounded to 28 digits, and so did the meaning check."""
    out = format_text("predicate p() -> Money\np() = -$" + "1" * 40 + "\n")

    assert out.splitlines()[-1].replace(",", "") == "p() = -$" + "1" * 40


def test_digit_grouping_matches_python_for_every_length() -> None:
    for n in range(1, 30):
        digits = "9" * n
        expected = digits if n <= 4 else f"{int(digits):,}"
        assert values.Number(Decimal(digits)).spelling() == expected


def test_amounts_compare_exactly_past_28_digits() -> None:
    a = values.Number(Decimal("1" * 30 + "1"))
    b = values.Number(Decimal("1" * 30 + "2"))
    big = values.Money(Decimal("1" * 30 + ".5"), "billion")

    assert a != b
    assert a == values.Number(Decimal("1" * 30 + "1.000"))
    assert big.total == Decimal("1" * 30 + "500000000")
    assert values.Money(Decimal("185.1"), "billion") == values.Money(Decimal("185100"), "million")


# --- paths that leave the project -----------------------------------------------------------


@posix
def test_a_symlink_in_a_sources_folder_to_outside_the_root(
    project: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path_factory.mktemp("outside") / "secret.txt"
    secret.write_text("the private key\n", encoding="utf-8")
    (project / "src" / "evil.txt").symlink_to(secret)

    code, err = check(project, 'predicate p() -> Percent\np() = 16% @ evil "the private key"\n', capsys)

    assert code == 2
    assert err.splitlines()[0] == (
        "src/evil.txt: error: 'src/evil.txt' is a symlink to outside the project root;"
        " sources are read from the project only"
    )
    assert "private key" not in err.replace('"the private key"', "")


@posix
def test_a_symlink_in_a_sources_folder_inside_the_root_is_a_source(project: Path) -> None:
    (project / "other").mkdir()
    (project / "other" / "b.txt").write_text("Apple held 19%.\n", encoding="utf-8")
    (project / "src" / "b.txt").symlink_to(project / "other" / "b.txt")
    (project / "t.fact").write_text("kind K\n", encoding="utf-8")

    assert set(load(["t.fact"], root=project).sources) == {"a", "b"}


@pytest.mark.parametrize("setting", ['sources = ["../../etc"]', 'facts = ["/etc"]', 'cache = "../elsewhere"'])
def test_configured_folders_lie_inside_the_root(project: Path, setting: str) -> None:
    (project / "pyproject.toml").write_text(f"[tool.factlang]\n{setting}\n", encoding="utf-8")
    (project / "t.fact").write_text("kind K\n", encoding="utf-8")

    with pytest.raises(ConfigError) as info:
        load(["t.fact"], root=project)

    assert "is outside the project root" in info.value.diagnostics[0].message


def test_a_sources_override_outside_the_root(project: Path) -> None:
    (project / "t.fact").write_text("kind K\n", encoding="utf-8")

    with pytest.raises(ConfigError) as info:
        load(["t.fact"], root=project, sources=["/etc"])

    assert info.value.diagnostics[0].message.startswith("sources folder '/etc' is outside the project root")


def test_use_etc_passwd_is_refused_and_not_shown(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not Path("/etc/passwd").is_file():
        pytest.skip("no /etc/passwd here")
    code, err = check(project, 'use "/etc/passwd"\n', capsys)

    assert code == 2
    assert err.splitlines()[0] == "t.fact:1:5: error: included file '/etc/passwd' is outside the project root"
    assert "root:" not in err


def test_a_syntax_error_in_an_included_non_fact_file_shows_no_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "notes.txt").write_text("password: hunter2\n", encoding="utf-8")

    code, err = check(project, 'use "notes.txt"\n', capsys)

    assert code == 2
    assert "hunter2" not in err
    assert err.startswith("notes.txt:1:")


@posix
def test_a_symlinked_cache_folder_is_never_followed(
    project: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (project / ".factlang_cache").symlink_to(elsewhere, target_is_directory=True)
    (project / "t.fact").write_text("kind K\n", encoding="utf-8")

    load(["t.fact"], root=project)

    assert list(elsewhere.iterdir()) == []
    assert "is a symlink" in capsys.readouterr().err


@posix
def test_a_symlinked_cache_subfolder_is_never_followed(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (project / ".factlang_cache").mkdir()
    (project / ".factlang_cache" / "parse").symlink_to(elsewhere, target_is_directory=True)
    (project / "t.fact").write_text("kind K\n", encoding="utf-8")

    load(["t.fact"], root=project)

    assert list(elsewhere.iterdir()) == []


@posix
def test_a_symlinked_run_cache_folder_is_never_followed(
    project: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (project / ".factlang_cache").mkdir()
    (project / ".factlang_cache" / "run").symlink_to(elsewhere, target_is_directory=True)
    (project / "t.fact").write_text(
        'predicate p() -> Percent\np() = 16% @ a "market share of 16%"\n', "utf-8"
    )

    assert main(["check", "t.fact"]) == 0
    assert main(["check", "t.fact"]) == 0

    assert list(elsewhere.iterdir()) == []


@posix
def test_a_symlinked_gitignore_in_the_cache_is_not_written_through(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    target = tmp_path_factory.mktemp("elsewhere") / "victim"
    (project / ".factlang_cache").mkdir()
    (project / ".factlang_cache" / ".gitignore").symlink_to(target)
    (project / "t.fact").write_text("kind K\n", encoding="utf-8")

    load(["t.fact"], root=project)

    assert not target.exists()


# --- cache trust -------------------------------------------------------------------------------


def _key_folder() -> Path:
    return Path(os.environ["XDG_CACHE_HOME"]) / "factlang"


@posix
def test_the_key_is_written_0600_in_a_0700_folder(project: Path) -> None:
    (project / "t.fact").write_text("kind K\n", encoding="utf-8")
    load(["t.fact"], root=project)

    assert stat.S_IMODE(_key_folder().stat().st_mode) == 0o700
    assert stat.S_IMODE((_key_folder() / "cache-key").stat().st_mode) == 0o600


@posix
@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666])
def test_a_key_writable_by_others_is_replaced(
    project: Path, capsys: pytest.CaptureFixture[str], mode: int
) -> None:
    from factlang import cache

    _key_folder().mkdir(parents=True, exist_ok=True, mode=0o700)
    key = _key_folder() / "cache-key"
    key.write_bytes(b"k" * 32)
    key.chmod(mode)

    signing = cache._signing_key()

    assert signing is not None
    assert signing != b"k" * 32
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert "the cache key is writable by group or others; made a new key" in capsys.readouterr().err


@posix
def test_a_key_folder_writable_by_others_is_made_private(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from factlang import cache

    _key_folder().mkdir(parents=True, exist_ok=True)
    _key_folder().chmod(0o777)
    (_key_folder() / "cache-key").write_bytes(b"k" * 32)
    (_key_folder() / "cache-key").chmod(0o600)

    signing = cache._signing_key()

    assert signing is not None
    assert signing != b"k" * 32
    assert stat.S_IMODE(_key_folder().stat().st_mode) == 0o700
    assert "writable by group or others; made it private" in capsys.readouterr().err


@posix
def test_a_key_owned_by_another_user_is_replaced(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from factlang import cache

    if os.getuid() != 0:
        pytest.skip("only root can give a file to another user")
    _key_folder().mkdir(parents=True, exist_ok=True, mode=0o700)
    key = _key_folder() / "cache-key"
    key.write_bytes(b"k" * 32)
    key.chmod(0o600)
    os.chown(key, 12345, 12345)

    signing = cache._signing_key()

    assert signing is not None
    assert signing != b"k" * 32
    assert key.stat().st_uid == os.getuid()
    assert "the cache key is owned by another user; made a new key" in capsys.readouterr().err


@posix
def test_a_key_folder_owned_by_another_user_turns_the_cache_off(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from factlang import cache

    if os.getuid() != 0:
        pytest.skip("only root can give a folder to another user")
    _key_folder().mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chown(_key_folder(), 12345, 12345)

    assert cache._signing_key() is None
    assert "is owned by another user; the parse cache is off" in capsys.readouterr().err


# --- small ones ------------------------------------------------------------------------------------


@posix
def test_fmt_refuses_a_read_only_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "t.fact"
    path.write_text("kind   K\n", encoding="utf-8")
    path.chmod(0o444)

    code = main(["fmt", "t.fact"])

    assert code == 2
    assert capsys.readouterr().err == (
        "t.fact: error: cannot write the formatted file: the file is read-only; make it writable to format it\n"
        "Found 1 error in 1 file.\n"
    )
    assert path.read_text(encoding="utf-8") == "kind   K\n"


def test_a_source_over_the_size_limit_is_reported_once(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from factlang.verify import corpus

    monkeypatch.setattr(corpus, "MAX_SOURCE_BYTES", 10)
    code, err = check(project, 'predicate p() -> Percent\np() = 16% @ a "Huawei"\n', capsys)

    assert code == 2
    assert (
        err
        == "src/a.txt: error: source 'a' (src/a.txt) is 46 bytes; the limit is 10\nFound 1 error in 1 file.\n"
    )


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32"), ("utf-32-be", "UTF-32")],
)
def test_a_utf16_or_utf32_source_is_named(
    project: Path, capsys: pytest.CaptureFixture[str], encoding: str, name: str
) -> None:
    text = "\ufeffHuawei posted a market share of 16% in China.\n"
    (project / "src" / "a.txt").write_bytes(text.encode(encoding))

    code, err = check(project, 'predicate p() -> Percent\np() = 16% @ a "Huawei"\n', capsys)

    assert code == 2
    assert (
        err
        == f"src/a.txt: error: source 'a' (src/a.txt) is {name} with a byte-order mark: save it as UTF-8\nFound 1 error in 1 file.\n"
    )


def test_a_utf16_fact_file_is_named(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "t.fact").write_bytes("\ufeffkind K\n".encode("utf-16"))

    assert main(["check", "t.fact"]) == 2
    assert capsys.readouterr().err.startswith(
        "t.fact:1:1: error: UTF-16 with a byte-order mark: save it as UTF-8"
    )


def test_bidi_controls_in_a_quote_and_an_alias_are_warned_about(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        'kind K\nentity Huawei: K aka "Hua\u202ewei"\npredicate p(k: K) -> Percent\n'
        'p(Huawei) = 16% @ a "Huawei posted a market share of 16%\u2066"\n'
    )

    code, _err = check(project, text, capsys, "--format", "json")

    assert code == 0
    warnings = json.loads(check.out)["facts"][0]["warnings"]  # type: ignore[attr-defined]
    assert warnings[-2:] == [
        "@a: the quote contains bidirectional control characters (U+2066 at character 36):"
        " it may display differently from what is checked",
        "@a: alias 'Hua<U+202E>wei' of Huawei contains bidirectional control characters"
        " (U+202E at character 4): it may display differently from what is checked",
    ]


def test_bidi_warning_positions() -> None:
    from factlang.bidi import bidi_warning

    assert bidi_warning("the quote", "plain") is None
    assert bidi_warning("the quote", "a\u202eb\u2069") == (
        "the quote contains bidirectional control characters (U+202E at character 2, U+2069 at character 4):"
        " it may display differently from what is checked"
    )


def test_a_fact_file_that_cannot_be_read_is_never_an_internal_error(project: Path) -> None:
    (project / "t.fact").write_text("kind K\n", encoding="utf-8")

    with pytest.raises(FactlangError):
        load(["t.fact", LONG_NAME], root=project)


# --- scale ------------------------------------------------------------------------------------------


def _logged_parse_job(job: Any, cache_dir: Path | None) -> object:
    """The loader's parse job, logging which process ran it (module level: workers unpickle it)."""
    from factlang import loader

    with Path(os.environ["FACTLANG_TEST_PARSE_LOG"]).open("a", encoding="utf-8") as fh:
        fh.write(f"{job.path.name} {os.getpid()}\n")
    return loader._real_parse_job(job, cache_dir)  # type: ignore[attr-defined]


def test_a_very_large_file_is_parsed_in_this_process(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its syntax tree is not pickled back from a worker (that took 9 GB for a million facts)."""
    from factlang import loader

    log = project / "parsed-by.log"
    monkeypatch.setenv("FACTLANG_TEST_PARSE_LOG", str(log))
    monkeypatch.setattr(loader, "_real_parse_job", loader._parse_job, raising=False)
    monkeypatch.setattr(loader, "_parse_job", _logged_parse_job)
    monkeypatch.setattr(loader, "_PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(loader, "_LOCAL_MIN_BYTES", 1000)
    # Workers are only for files that need Lark, with cores to spare: as if so here.
    monkeypatch.setattr(loader, "parse_fast", lambda data, path: None)
    monkeypatch.setattr(loader, "_POOL_MIN_CORES", 1)
    facts = project / "facts"
    facts.mkdir()
    (facts / "big.fact").write_text(
        "kind K\n" + "".join(f"entity E{i}: K\n" for i in range(200)), encoding="utf-8"
    )
    (facts / "a.fact").write_text("kind A\n", encoding="utf-8")
    (facts / "b.fact").write_text("kind B\n", encoding="utf-8")

    base = load([facts], root=project, cache=False)

    assert len(base.entities) == 200
    by = dict(line.split() for line in log.read_text(encoding="utf-8").splitlines())
    assert by["big.fact"] == str(os.getpid())
    assert by["a.fact"] != str(os.getpid())  # the small ones still went to the workers


@pytest.mark.parametrize("command", [["check", "t.fact", "-o"], ["site", "t.fact", "--out"]])
def test_an_output_path_that_cannot_be_written(
    project: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    (project / "t.fact").write_text("kind K\n", encoding="utf-8")
    (project / "file").write_text("", encoding="utf-8")

    code = main([*command, "file/inside"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("file/inside: error: cannot write the output: Not a directory")
