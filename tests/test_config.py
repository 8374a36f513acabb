"""The project root and ``[tool.factlang]`` (SPEC §2 and §4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from factlang import ConfigError, load
from factlang.cli import main
from factlang.config import Config, find_root, load_config


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def messages(err: ConfigError) -> list[str]:
    return [d.message for d in err.diagnostics]


# --- the project root -------------------------------------------------------------


def test_the_root_is_the_nearest_folder_with_a_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "")
    (tmp_path / "facts" / "deep").mkdir(parents=True)

    assert find_root(tmp_path / "facts" / "deep") == tmp_path.resolve()


def test_a_factlang_toml_marks_a_root_too(tmp_path: Path) -> None:
    write(tmp_path / "factlang.toml", "")
    (tmp_path / "facts").mkdir()

    assert find_root(tmp_path / "facts") == tmp_path.resolve()


def test_the_nearest_marker_wins(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "")
    write(tmp_path / "newsroom" / "factlang.toml", "")
    (tmp_path / "newsroom" / "facts").mkdir()

    assert find_root(tmp_path / "newsroom" / "facts") == (tmp_path / "newsroom").resolve()


def test_a_pyproject_without_a_factlang_table_still_marks_the_root(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "newsroom"\n')
    (tmp_path / "sub").mkdir()

    assert find_root(tmp_path / "sub") == tmp_path.resolve()


def test_a_folder_named_like_a_marker_is_no_marker(tmp_path: Path) -> None:
    (tmp_path / "outer" / "pyproject.toml").mkdir(parents=True)
    write(tmp_path / "factlang.toml", "")

    assert find_root(tmp_path / "outer") == tmp_path.resolve()


def test_without_a_marker_the_root_is_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if any(
        (folder / marker).is_file()
        for folder in tmp_path.parents
        for marker in ("pyproject.toml", "factlang.toml")
    ):
        pytest.skip("a marker file above the temporary folder")
    monkeypatch.chdir(tmp_path)

    assert find_root() == tmp_path.resolve()


def test_the_root_is_found_from_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "pyproject.toml", "[tool.factlang]\n")
    (tmp_path / "facts").mkdir()
    monkeypatch.chdir(tmp_path / "facts")

    assert load_config().root == tmp_path.resolve()


# --- settings -------------------------------------------------------------------------


def test_defaults_without_a_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "newsroom"\n')

    config = load_config(tmp_path)

    assert config == Config(root=tmp_path.resolve())
    assert (config.facts, config.sources, config.strict) == (("facts",), (), False)
    assert not config.configured
    assert config.cache_dir == tmp_path.resolve() / ".factlang_cache"


def test_every_key_of_tool_factlang(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[tool.factlang]\nfacts = ["facts", "more.fact"]\nsources = ["seeds", "archive"]\nstrict = true\n'
        'cache = "build/factlang"\n',
    )

    config = load_config(tmp_path)

    assert config.configured
    assert config.facts == ("facts", "more.fact")
    assert config.sources == ("seeds", "archive")
    assert config.strict
    assert config.cache_dir == tmp_path.resolve() / "build" / "factlang"


def test_an_empty_table_opts_in_with_defaults(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.factlang]\n")

    config = load_config(tmp_path)

    assert config.configured
    assert config.facts == ("facts",)


def test_one_path_may_be_given_as_a_string(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.factlang]\nfacts = "claims"\nsources = "seeds"\n')

    config = load_config(tmp_path)

    assert (config.facts, config.sources) == (("claims",), ("seeds",))


def test_cache_false_turns_the_cache_off(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.factlang]\ncache = false\n")

    assert load_config(tmp_path).cache_dir is None


def test_cache_true_is_the_default_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.factlang]\ncache = true\n")

    assert load_config(tmp_path).cache == ".factlang_cache"


def test_factlang_toml_holds_the_settings_at_its_top_level(tmp_path: Path) -> None:
    write(tmp_path / "factlang.toml", 'sources = ["seeds"]\nstrict = true\n')

    config = load_config(tmp_path)

    assert config.configured
    assert (config.sources, config.strict) == (("seeds",), True)


def test_factlang_toml_wins_over_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.factlang]\nsources = ["old"]\n')
    write(tmp_path / "factlang.toml", 'sources = ["seeds"]\n')

    assert load_config(tmp_path).sources == ("seeds",)


# --- errors -------------------------------------------------------------------------


def test_an_unknown_key_is_an_error_with_a_suggestion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "pyproject.toml", '[tool.factlang]\nsource = ["seeds"]\n')
    monkeypatch.chdir(tmp_path)

    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)

    (d,) = info.value.diagnostics
    assert d.path == "pyproject.toml"
    assert d.message == "unknown setting 'source' in [tool.factlang]; did you mean 'sources'?"


def test_an_unknown_key_of_factlang_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "factlang.toml", "colour = true\n")
    monkeypatch.chdir(tmp_path)

    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)

    assert str(info.value) == "factlang.toml: error: unknown setting 'colour' in factlang.toml"


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("facts = 3", "'facts' in [tool.factlang] must be a path or a list of paths, not 3"),
        ("sources = [1, 2]", "'sources' in [tool.factlang] must be a path or a list of paths, not [1, 2]"),
        ('strict = "yes"', "'strict' in [tool.factlang] must be true or false, not 'yes'"),
        ("cache = 0", "'cache' in [tool.factlang] must be a folder or true or false, not 0"),
        ('cache = ""', "'cache' in [tool.factlang] must be a folder or true or false, not ''"),
    ],
)
def test_a_value_of_the_wrong_type_is_an_error(tmp_path: Path, setting: str, message: str) -> None:
    write(tmp_path / "pyproject.toml", f"[tool.factlang]\n{setting}\n")

    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)

    assert messages(info.value) == [message]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.factlang]\nstrict = 1\nfacts = 2\nformat = "json"\n')

    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)

    assert messages(info.value) == [
        "unknown setting 'format' in [tool.factlang]",
        "'facts' in [tool.factlang] must be a path or a list of paths, not 2",
        "'strict' in [tool.factlang] must be true or false, not 1",
    ]


def test_tool_factlang_must_be_a_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool]\nfactlang = "facts"\n')

    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)

    assert messages(info.value) == ["[tool.factlang] must be a table of settings"]


def test_invalid_toml_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "pyproject.toml", "[tool.factlang]\nstrict = yes\n")
    monkeypatch.chdir(tmp_path)

    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)

    assert str(info.value) == "pyproject.toml: error: invalid TOML: Invalid value (at line 2, column 10)"


def test_a_config_error_is_a_value_error(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.factlang]\nstrict = 1\n")

    with pytest.raises(ValueError, match="must be true or false"):
        load_config(tmp_path)


def test_the_command_line_exits_2_on_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "pyproject.toml", "[tool.factlang]\nstrict = 1\n")
    monkeypatch.chdir(tmp_path)

    code = main(["check"])

    assert code == 2
    assert capsys.readouterr().err == (
        "pyproject.toml: error: 'strict' in [tool.factlang] must be true or false, not 1\n"
        "Found 1 error in 1 file.\n"
    )


def test_a_missing_sources_folder_is_a_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "pyproject.toml", '[tool.factlang]\nsources = ["seeds"]\n')
    write(tmp_path / "facts" / "a.fact", "kind Company\n")
    monkeypatch.chdir(tmp_path)

    with pytest.raises(ConfigError) as info:
        load(root=tmp_path)

    assert messages(info.value) == ["sources folder 'seeds' does not exist"]
