"""``factlang fmt`` (SPEC §4): one canonical layout, never a change of meaning.

The layout cases are fixture pairs: ``fixtures/fmt/<case>.fact`` formats to
``fixtures/fmt/<case>.formatted``.
"""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from factlang import ParseError, parse
from factlang.cli import main
from factlang.formatter import format_text, write_atomic

FIXTURES = Path(__file__).parent / "fixtures" / "fmt"
CASES = sorted(p.stem for p in FIXTURES.glob("*.fact"))

UNFORMATTED = 'kind Company\nshare(Huawei,China,2024)=16% @cnn "a market share of 16%"\n'
FORMATTED = 'kind Company\n\nshare(Huawei, China, 2024) = 16%\n    @ cnn "a market share of 16%"\n'


def _case(case: str) -> tuple[str, str]:
    original = (FIXTURES / f"{case}.fact").read_text(encoding="utf-8")
    formatted = (FIXTURES / f"{case}.formatted").read_text(encoding="utf-8")
    return original, formatted


# --- layout ----------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_canonical_layout(case: str) -> None:
    original, formatted = _case(case)

    assert format_text(original) == formatted


@pytest.mark.parametrize("case", CASES)
def test_formatting_twice_changes_nothing(case: str) -> None:
    _, formatted = _case(case)

    assert format_text(formatted) == formatted


@pytest.mark.parametrize("case", CASES)
def test_formatting_keeps_the_meaning(case: str) -> None:
    original, formatted = _case(case)

    assert parse(formatted) == parse(original)


def test_declarations_are_grouped_in_order() -> None:
    _, formatted = _case("grouping")
    heads = [line.split()[0] for line in formatted.splitlines() if line and not line.startswith(" ")]

    assert heads == [
        "use",
        "source",
        "kind",
        "kind",
        "entity",
        "entity",
        "entity",
        "predicate",
        "share(Huawei,",
        "share(Apple,",
    ]


def test_each_citation_on_its_own_indented_line() -> None:
    formatted = format_text(
        'partner(Apple, Alibaba) @ cnn "Apple will work with Alibaba" @ reuters contradicts'
    )

    assert formatted == (
        'partner(Apple, Alibaba)\n    @ cnn "Apple will work with Alibaba"\n    @ reuters contradicts\n'
    )


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("$185.1bn", "$185.1 billion"),
        ("$185.1B", "$185.1 billion"),
        ("US$14.53", "$14.53"),
        ("USD 14.53", "$14.53"),
        ("USD -2.5m", "-$2.5 million"),
        ("CNY -5", "CNY -5"),
        ("CNY 5 billion", "CNY 5 billion"),
        ("HK$113.10", "HK$113.10"),
        ("16.0%", "16.0%"),
        ("+7.8%", "+7.8%"),
        ("-0%", "+0%"),
        ("1.5m", "1.5 million"),
        ("25000", "25,000"),
        ('"say \\"hi\\""', '"say \\"hi\\""'),
    ],
)
def test_literals_are_spelled_canonically(written: str, canonical: str) -> None:
    assert format_text(f"price(Apple) = {written}") == f"price(Apple) = {canonical}\n"


def test_a_header_comment_stays_at_the_top() -> None:
    formatted = format_text("# Market shares.\n\nshare(Apple, China, 2024) = 15%\nkind Company\n")

    assert formatted == "# Market shares.\n\nkind Company\n\nshare(Apple, China, 2024) = 15%\n"


def test_a_comment_above_a_statement_moves_with_it() -> None:
    formatted = format_text("share(Apple, China, 2024) = 15%\n# the kinds\nkind Company\n")

    assert formatted == "# the kinds\nkind Company\n\nshare(Apple, China, 2024) = 15%\n"


def test_a_detached_comment_stays_detached() -> None:
    formatted = format_text("kind Company\n\n# --- places ---\n\nkind Region\n")

    assert formatted == "kind Company\n\n# --- places ---\n\nkind Region\n"


def test_a_trailing_comment_stays_on_its_line() -> None:
    formatted = format_text('share(Apple, China, 2024) = 15%  # Canalys\n    @ cnn "Apple’s 15%"  # CNN\n')

    assert formatted == 'share(Apple, China, 2024) = 15%  # Canalys\n    @ cnn "Apple’s 15%"  # CNN\n'


def test_a_comment_between_citations_stays_between_them() -> None:
    text = 'share(Apple, China, 2024) = 15%\n    @ cnn "Apple’s 15%"\n# the other one\n    @ reuters\n'

    assert format_text(text) == (
        'share(Apple, China, 2024) = 15%\n    @ cnn "Apple’s 15%"\n    # the other one\n    @ reuters\n'
    )


def test_a_comment_on_a_field_line_stays_on_it() -> None:
    formatted = format_text('source cnn = "seeds/cnn.txt" { published: 2025-02-13  # Thursday\n}')

    assert formatted == 'source cnn = "seeds/cnn.txt" {\n    published: 2025-02-13  # Thursday\n}\n'


def test_comments_at_the_end_stay_at_the_end() -> None:
    formatted = format_text("# TODO: Vivo\nkind Company\n\n# TODO: Xiaomi\n")

    assert formatted == "# TODO: Vivo\nkind Company\n\n# TODO: Xiaomi\n"


def test_two_comments_on_one_line_of_output_keep_their_order() -> None:
    formatted = format_text("share(Apple,  # first\n  China, 2024) = 15%  # second\n")

    assert formatted == "# first\nshare(Apple, China, 2024) = 15%  # second\n"


def test_windows_line_endings_become_newlines() -> None:
    assert format_text("kind Company\r\nkind Region\r\n") == "kind Company\nkind Region\n"


def test_an_empty_file_stays_empty() -> None:
    assert format_text("") == ""
    assert format_text("\n\n  \n") == ""


def test_bytes_are_formatted_as_utf_8() -> None:
    assert (
        format_text('entity Apple: Company aka "Apple’s"'.encode()) == 'entity Apple: Company aka "Apple’s"\n'
    )


def test_a_file_that_does_not_parse_is_not_formatted() -> None:
    with pytest.raises(ParseError):
        format_text("share(Apple, China 2024) = 15%")


# --- the command --------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.factlang]\nfacts = ["facts"]\n', encoding="utf-8")
    (tmp_path / "facts").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_fmt_check_lists_the_files_that_would_change_and_exits_1(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "facts" / "messy.fact").write_text(UNFORMATTED, encoding="utf-8")
    (project / "facts" / "tidy.fact").write_text(FORMATTED, encoding="utf-8")

    code = main(["fmt", "--check", "facts"])

    out, err = capsys.readouterr()
    assert code == 1
    assert out == f"would reformat {Path('facts', 'messy.fact')}\n"
    assert err == "1 file would be reformatted\n"


def test_fmt_check_changes_nothing(project: Path) -> None:
    path = project / "facts" / "messy.fact"
    path.write_text(UNFORMATTED, encoding="utf-8")

    main(["fmt", "--check", "facts"])

    assert path.read_text(encoding="utf-8") == UNFORMATTED


def test_fmt_check_exits_0_when_every_file_is_canonical(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "facts" / "tidy.fact").write_text(FORMATTED, encoding="utf-8")

    code = main(["fmt", "--check", "facts"])

    assert code == 0
    assert capsys.readouterr() == ("", "")


def test_fmt_rewrites_the_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "facts" / "messy.fact"
    path.write_text(UNFORMATTED, encoding="utf-8")

    code = main(["fmt", "facts/messy.fact"])

    assert code == 0
    assert path.read_text(encoding="utf-8") == FORMATTED
    assert capsys.readouterr().out == f"reformatted {Path('facts', 'messy.fact')}\n"


def test_fmt_defaults_to_the_configured_facts(project: Path) -> None:
    path = project / "facts" / "messy.fact"
    path.write_text(UNFORMATTED, encoding="utf-8")

    assert main(["fmt"]) == 0
    assert path.read_text(encoding="utf-8") == FORMATTED


def test_fmt_replaces_the_file_atomically(project: Path) -> None:
    path = project / "facts" / "messy.fact"
    path.write_text(UNFORMATTED, encoding="utf-8")
    path.chmod(0o640)
    inode = path.stat().st_ino

    main(["fmt", "facts"])

    assert path.stat().st_ino != inode  # a new file renamed over the old one
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in (project / "facts").iterdir()) == ["messy.fact"]


def test_fmt_leaves_a_canonical_file_alone(project: Path) -> None:
    path = project / "facts" / "tidy.fact"
    path.write_text(FORMATTED, encoding="utf-8")
    before = path.stat()

    main(["fmt", "facts"])

    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_fmt_never_touches_a_file_with_a_syntax_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project / "facts" / "broken.fact"
    path.write_text("share(Apple, China 2024) = 15%\nkind   Company\n", encoding="utf-8")
    before = path.stat()

    code = main(["fmt", "facts"])

    assert code == 2
    assert path.read_text(encoding="utf-8") == "share(Apple, China 2024) = 15%\nkind   Company\n"
    assert path.stat().st_ino == before.st_ino
    assert capsys.readouterr().err == (
        f"{Path('facts', 'broken.fact')}:1:20: error: unexpected '2024' after 'China'; is a ',' missing?\n"
        "    share(Apple, China 2024) = 15%\n"
        "                       ^~~~\n"
        "    hint: separate arguments with a comma (China, 2024); only a currency code takes an amount: USD 14.53\n"
        "Found 1 error in 1 file.\n"
    )


def test_fmt_formats_the_other_files_when_one_has_an_error(project: Path) -> None:
    (project / "facts" / "broken.fact").write_text("kind (\n", encoding="utf-8")
    messy = project / "facts" / "messy.fact"
    messy.write_text(UNFORMATTED, encoding="utf-8")

    assert main(["fmt", "facts"]) == 2
    assert messy.read_text(encoding="utf-8") == FORMATTED


def test_fmt_on_a_file_with_an_error_exits_2_without_traceback(project: Path) -> None:
    shutil.copy(
        Path(__file__).parent / "fixtures" / "errors" / "binary.fact", project / "facts" / "binary.fact"
    )

    run = subprocess.run(
        [sys.executable, "-m", "factlang", "fmt", "facts"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )

    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "binary data (NUL byte) in a fact file" in run.stderr


def test_write_atomic_leaves_the_old_file_when_the_rename_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.fact"
    path.write_text("kind Company\n", encoding="utf-8")

    def fail(self: Path, target: object) -> Path:
        raise OSError("disk full")

    monkeypatch.setattr(Path, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(path, "kind Region\n")

    assert path.read_text(encoding="utf-8") == "kind Company\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.fact"]


def test_a_byte_order_mark_is_dropped() -> None:
    assert format_text("\ufeff# about\nkind A  # a kind\n".encode()) == "# about\nkind A  # a kind\n"


def test_fmt_reports_a_file_it_cannot_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "x.fact"
    target.write_text("kind   A\n", encoding="utf-8")

    def refuse(path: Path, text: str) -> None:
        raise PermissionError(13, "Permission denied")

    import factlang.formatter

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(factlang.formatter, "write_atomic", refuse)
        code = main(["fmt", str(target)])

    assert code == 2
    err = capsys.readouterr().err
    assert "cannot write the formatted file: Permission denied" in err
    assert "internal error" not in err
    assert target.read_text(encoding="utf-8") == "kind   A\n"


def test_fmt_never_writes_a_file_whose_meaning_would_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "x.fact"
    target.write_text("kind   A\n", encoding="utf-8")
    import factlang.formatter

    with pytest.MonkeyPatch.context() as mp:
        # A formatter bug that drops a statement.
        mp.setattr(factlang.formatter, "format_text", lambda data, path="": "\n")
        code = main(["fmt", str(target)])

    assert code == 2
    assert "fmt would change this file's meaning; left as it is" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "kind   A\n"
