"""The config file: a broken one is an error naming the file, the line and the key, never a
silent fallback; the key tables it is checked against agree with Textual's own."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.config import ENV_CONFIG, ConfigError, load_config
from explorer.keys import (
    ALIASES,
    BINDINGS,
    FIXED_KEYS,
    NAMED_KEYS,
    SPECS,
    character_key,
    key_problem,
    normal_key,
    split_keys,
)
from tests.conftest import FACTS, REPO


def problems(tmp_path: Path, text: str) -> list[str]:
    """The problems `load_config` reports for ``text``, each without the file's path."""
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == "\n".join(caught.value.problems)
    prefix = f"{path}:"
    assert all(p.startswith(prefix) for p in caught.value.problems)
    return [p.removeprefix(prefix) for p in caught.value.problems]


def loads(tmp_path: Path, text: str) -> dict[str, str]:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return dict(load_config(path).keys)


# ------------------------------------------------------------------ what is accepted


def test_no_file_gives_the_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "absent.toml")
    assert (config.cite_style, dict(config.keys), config.path) == ("plain", {}, None)


def test_every_toml_example_in_the_readme_is_a_good_config(tmp_path: Path) -> None:
    blocks = re.findall(r"```toml\n(.*?)```", (REPO / "README.md").read_text("utf-8"), re.S)
    assert blocks
    for block in blocks:
        loads(tmp_path, block)


def test_the_help_screens_example_is_a_good_config(tmp_path: Path) -> None:
    assert loads(tmp_path, '[keys]\ncopy-citation = "ctrl+y"\nback = "alt+left,b"\n') == {
        "copy-citation": "ctrl+y",
        "back": "alt+left,b",
    }


@pytest.mark.parametrize(
    "keys",
    ["ctrl+y", "?", "question_mark", "f1,f24", "alt+left, b", "C", "ctrl+shift+1", "alt+ctrl+x",
     "shift+tab", "shift+space", "ctrl+question_mark", "escape", "pageup", "ctrl+@", "é", "+",
     "plus", "comma", "media_play", "ctrl+pound_sign", "super+k"],
)  # fmt: skip
def test_textual_key_names_are_accepted(keys: str) -> None:
    assert [key_problem(key) for key in split_keys(keys)] == [None] * len(split_keys(keys))


def test_a_remap_to_free_keys_is_kept_as_written(tmp_path: Path) -> None:
    text = '[keys]\ncopy-quote = "ctrl+y, alt+ctrl+x"\n"back" = "ctrl+question_mark"\n'
    assert loads(tmp_path, text) == {
        "copy-quote": "ctrl+y, alt+ctrl+x",
        "back": "ctrl+question_mark",
    }


def test_a_remap_may_take_a_key_the_other_binding_gives_up(tmp_path: Path) -> None:
    text = '[keys]\nquit = "ctrl+x"\ncopy-citation = "ctrl+q"\n'
    assert loads(tmp_path, text) == {"quit": "ctrl+x", "copy-citation": "ctrl+q"}


def test_bindings_that_do_the_same_thing_may_share_a_key(tmp_path: Path) -> None:
    text = '[keys]\nfocus-search = "escape,slash"\nclose-help = "h"\nhelp = "h"\n'
    assert len(loads(tmp_path, text)) == 3


def test_a_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'\xef\xbb\xbf[cite]\r\nstyle = "apa"\r\n')
    assert load_config(path).cite_style == "apa"


# ------------------------------------------------------------------ what is refused

# The list, one per row: (config text, the problem's line, words the message holds).
BROKEN = [
    ("[bogus]\n", 1, ["[bogus]", "not a section", "[cite]", "[keys]"]),
    ('[cite]\nfoo = "bar"\n', 2, ['[cite] foo = "bar"', "not a setting", "style"]),
    ('[keys]\ncopy-cite = "ctrl+y"\n', 2,
     ["[keys] copy-cite", "no binding has this id", "did you mean", *SPECS]),
    ('[keys]\nquit = "notakey+++"\n', 2,
     ['[keys] quit = "notakey+++"', "is not a key", "alt, ctrl, hyper, meta, shift, super"]),
    ('[keys]\ncopy-citation = "ctrl+q"\n', 2,
     ['[keys] copy-citation = "ctrl+q"', "quit", "quit would never fire", "no key to quit"]),
    ('[keys]\nquit = ""\n', 2, ['[keys] quit = ""', "no key given", "ctrl+q"]),
    ('[keys]\nback = ",,,"\n', 2, ["[keys] back", "only commas", "alt+left"]),
    ('[keys]\nquit = "c"\n', 2, ['[keys] quit = "c"', "copy-citation", "no key to quit"]),
    ('[keys]\nquit = "ctrl+x"\nhelp = "ctrl+x"\n', 3,
     ["[keys] help", "quit", "line 2", "one of them would never fire", "no key to quit"]),
    ('[cite]\nstyle = "harvard"\n', 2, ["is not a citation style", "apa, mla"]),
    ("[cite]\nstyle = 3\n", 2, ["[cite] style = 3", "must be a string", "apa"]),
    ('style = "apa"\n', 1, ['style = "apa"', "outside any section", "under [cite]"]),
    ("cite = 3\n", 1, ["cite = 3", "[cite] must be a table"]),
    ("[[keys]]\n", 1, ["[keys] must be a table"]),
    ('[keys]\nback = ["b"]\n', 2, ["[keys] back = [\"b\"]", "must be a string of keys"]),
    ("[keys]\nback = 1\n", 2, ["must be a string of keys"]),
    ('[keys]\nback = "b,,x"\n', 2, ["an empty key between commas"]),
    ('[keys]\ntoggle-mark = "tab"\n', 2, ["tab moves the focus", "cannot be remapped"]),
    ('[keys]\nclose-picker = "f1"\n', 2, ["help", "in the style picker, close-picker would"]),
    ('[keys]\nexport = "c"\n', 2, ["copy-citation", "on the main screen, copy-citation would"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "words"), BROKEN)
def test_a_broken_config_names_the_line_the_key_and_the_choices(
    tmp_path: Path, text: str, line: int, words: list[str]
) -> None:
    [problem] = problems(tmp_path, text)
    assert problem.startswith(f"{line}: ")
    missing = [word for word in words if word not in problem]
    assert not missing, problem


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("notakey+++", "+ joins modifiers"),
        ("ctrl++", "write ctrl+plus"),
        ("ctrl+alt+x", "write alt+ctrl+x"),
        ("Ctrl+q", "write ctrl+q"),
        ("ctrl+?", "write ctrl+question_mark"),
        ("ctrl+Q", "ctrl+shift+q"),
        ("shift+a", "write A"),
        ("F1", "write f1"),
        ("esc", "did you mean escape?"),
        ("ctrl", "ctrl is a modifier"),
        ("ctrl+ q", "spaces are not allowed"),
        ("q+ctrl", "q is a key, not a modifier"),
        ("ctrl+ctrl+x", "ctrl is given twice"),
        ("\x01", "not a printable character"),
        ("bogus", "f1 to f35"),
    ],
)
def test_a_key_textual_never_reports_says_what_to_write(key: str, says: str) -> None:
    problem = key_problem(key)
    assert problem is not None and says in problem


def test_every_problem_is_reported_at_once_in_the_files_order(tmp_path: Path) -> None:
    text = '[keys]\nquit = ""\n\n[bogus]\n\n[cite]\nstyle = "x"\n'
    found = problems(tmp_path, text)
    assert [p.split(":")[0] for p in found] == ["2", "4", "7"]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('keys.quit = ""\n', 1),
        ('# mine\n\n[keys]\n# why\n\n"quit" = ""\n', 6),
        ("[keys]\n'quit' = ''\n", 2),
        ('keys = {help = "f1", quit = ""}\n', 1),
        ('[keys]\nhelp = "f1"\nback = [\n  "b",\n]\nquit = "ctrl+q"\n', 3),
        ('[cite]\nstyle = """\nharvard"""\n', 2),
        ('[keys]\nquit = "ctrl+q"\n[keys.sub]\n', 3),
        ('[keys]\r\nhelp = "f1"\r\nquit = ""\r\n', 3),
    ],
)
def test_the_line_is_the_one_that_sets_the_key(tmp_path: Path, text: str, line: int) -> None:
    [problem] = problems(tmp_path, text)
    assert problem.startswith(f"{line}: "), problem


def test_not_toml_gives_the_line_and_column(tmp_path: Path) -> None:
    assert problems(tmp_path, '[cite]\nstyle = "apa\n') == [
        "2:13: not valid TOML: Illegal character '\\n'"
    ]


def test_an_unterminated_string_points_at_the_last_line(tmp_path: Path) -> None:
    [problem] = problems(tmp_path, '[cite]\nstyle = """apa\n\n')
    assert problem.startswith("2:1: not valid TOML:")


def test_not_utf8_gives_the_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'[cite]\nstyle = "\xff"\n')
    with pytest.raises(ConfigError, match=r"config\.toml:2: not UTF-8 text"):
        load_config(path)


def test_an_unreadable_file_is_an_error_not_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.toml"
    path.write_text("", encoding="utf-8")

    def refuse(*_args: object) -> bytes:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("explorer.config.read_regular", refuse)
    with pytest.raises(ConfigError, match="cannot read it"):
        load_config(path)


def test_a_huge_config_still_names_lines(tmp_path: Path) -> None:
    text = "[keys]\n" + "# padding\n" * 1000 + 'quit = ""\n'
    [problem] = problems(tmp_path, text)
    assert problem.startswith("1002: ")


# ------------------------------------------------------------------ never anything else

FIXTURE = [HealthCheck.function_scoped_fixture]  # tmp_path: each example rewrites the file

TABLES = st.sampled_from(["cite", "keys", "bogus", "keys.sub", '"keys"', "cite.style"])
KEYS = st.one_of(
    st.sampled_from([*SPECS, "style", "foo", '"quit"', "quit.x", "keys.quit", '""']),
    st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True),
)
KEY_TEXT = st.lists(
    st.one_of(
        st.sampled_from(["ctrl", "alt", "shift", "super", "Ctrl", "q", "Q", "?", "f1", "escape",
                         "question_mark", "plus", "", " ", "left", "tab", "é", "\x01", "+"]),
        st.text(max_size=4),
    ),
    max_size=4,
).map(lambda parts: "+".join(parts))  # fmt: skip
VALUES = st.one_of(
    st.lists(KEY_TEXT, max_size=3).map(lambda keys: ",".join(keys)),
    st.sampled_from(["apa", "plain", "harvard", ""]),
    st.integers(),
    st.booleans(),
    st.lists(st.text(max_size=3), max_size=2),
)


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}"
                             for c in value) + '"'  # fmt: skip
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return str(value)


LINE = st.one_of(
    TABLES.map(lambda table: f"[{table}]"),
    st.tuples(KEYS, VALUES).map(lambda kv: f"{kv[0]} = {toml_value(kv[1])}"),
    st.just("# a comment"),
    st.just(""),
    st.text(max_size=20),
)


def check_any(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8", newline="")
    try:
        load_config(path)
    except ConfigError as err:
        lines = max(1, text.count("\n") + 1)
        for problem in err.problems:
            found = re.match(rf"{re.escape(str(path))}:(\d+):", problem)
            assert found, problem
            assert 1 <= int(found[1]) <= lines, (problem, text)


@settings(max_examples=300, deadline=None, suppress_health_check=FIXTURE)
@given(st.lists(LINE, max_size=12).map("\n".join))
def test_config_like_text_gives_a_config_or_a_config_error_with_lines(
    tmp_path: Path, text: str
) -> None:
    check_any(tmp_path, text)


@settings(max_examples=200, deadline=None, suppress_health_check=FIXTURE)
@given(st.text(max_size=60))
def test_any_text_gives_a_config_or_a_config_error_with_lines(tmp_path: Path, text: str) -> None:
    check_any(tmp_path, text)


@settings(max_examples=300, deadline=None, suppress_health_check=FIXTURE)
@given(st.sampled_from(list(SPECS)), st.text(max_size=12))
def test_any_keys_value_gives_a_config_or_a_config_error_with_lines(
    tmp_path: Path, binding: str, keys: str
) -> None:
    check_any(tmp_path, f"[keys]\n{binding} = {toml_value(keys)}\n")


# ------------------------------------------------------------------ the CLI checks it too


def test_cli_cite_reports_a_bad_keys_table_in_one_line_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from explorer.cli import main

    path = tmp_path / "config.toml"
    path.write_text('[keys]\ncopy-citation = "ctrl+q"\n', encoding="utf-8")
    monkeypatch.setenv(ENV_CONFIG, str(path))
    assert main(["cite", "env-ghg-intensity-2020", "--facts", str(FACTS)]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.startswith(f"fact-explorer: {path}:2: [keys] copy-citation = ")
    assert out.err.count("\n") == 1


def test_every_problem_is_its_own_line_from_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from explorer.cli import main

    path = tmp_path / "config.toml"
    path.write_text('[bogus]\n[cite]\nfoo = "bar"\n[keys]\nquit = ""\n', encoding="utf-8")
    monkeypatch.setenv(ENV_CONFIG, str(path))
    assert main(["cite", "env-ghg-intensity-2020", "--facts", str(FACTS)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3 and all(line.startswith(f"fact-explorer: {path}:") for line in lines)
    assert [line.split(":")[2] for line in lines] == ["1", "3", "5"]


# ------------------------------------------------------------------ agreement with Textual


def test_the_key_modules_do_not_import_textual() -> None:
    code = "import sys, explorer.keys, explorer.config; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_named_keys_are_textuals_names() -> None:
    from textual import _keyboard_protocol
    from textual._keyboard_protocol import FUNCTIONAL_KEYS
    from textual.keys import Keys

    # Modifier keys pressed alone: Textual names them in a set since 8.1 (not in 8.0).
    MODIFIER_FUNCTIONAL_KEYS = getattr(  # noqa: N806
        _keyboard_protocol, "MODIFIER_FUNCTIONAL_KEYS",
        {f"{side}_{name}" for side in ("left", "right")
         for name in ("shift", "control", "alt", "super", "hyper", "meta")}
        | {"iso_level3_shift", "iso_level5_shift"},
    )  # fmt: skip

    textual = {key.value.rpartition("+")[2] for key in Keys if not key.value.startswith("<")}
    textual |= set(FUNCTIONAL_KEYS.values()) - MODIFIER_FUNCTIONAL_KEYS
    textual -= {"ctrl-at", "caps_lock", "num_lock", "scroll_lock"}  # never reported as keys
    named = {name for name in textual if len(name) > 1 and key_problem(name) is None}
    assert named == textual - {name for name in textual if len(name) == 1}
    assert NAMED_KEYS <= textual


def test_every_key_textual_reports_is_accepted() -> None:
    from textual.keys import Keys

    refused = {
        key.value: key_problem(key.value)
        for key in Keys
        if not key.value.startswith("<") and key.value != "ctrl-at" and key_problem(key.value)
    }
    assert refused == {}


def test_character_names_are_textuals() -> None:
    from textual.keys import _character_to_key

    chars = [chr(code) for code in range(0x20, 0x3000) if chr(code).isprintable()]
    assert [character_key(c) for c in chars] == [_character_to_key(c) for c in chars]


def test_keys_are_normalised_as_textual_normalises_a_keymap() -> None:
    from textual.keys import _normalize_key_list

    for value in ["?", "alt+left, b", "C,question_mark", "+", "ctrl+y,/"]:
        assert ",".join(normal_key(k) for k in split_keys(value)) == _normalize_key_list(value)


def test_aliases_are_textuals() -> None:
    from textual.keys import KEY_ALIASES

    assert dict(ALIASES) == {
        alias: key for key, aliases in KEY_ALIASES.items() for alias in aliases
    }


def test_fixed_keys_are_the_bindings_without_an_id_on_every_screen() -> None:
    from explorer.tui.app import ExplorerApp
    from explorer.tui.screens.export import ExportScreen
    from explorer.tui.screens.help import HelpScreen
    from explorer.tui.screens.main import MainScreen
    from explorer.tui.screens.picker import StylePicker

    for screen in [MainScreen, StylePicker, ExportScreen, HelpScreen]:
        fixed = {
            key
            for owner in [ExplorerApp, screen]  # as Textual merges each class's BINDINGS
            for key, bindings in owner._merge_bindings().key_to_bindings.items()
            if any(binding.id is None for binding in bindings)
        }
        assert fixed == set(FIXED_KEYS), screen


def test_the_apps_bindings_are_the_key_table() -> None:
    from textual.binding import Binding

    from explorer.tui.app import ExplorerApp
    from explorer.tui.screens.export import ExportScreen
    from explorer.tui.screens.help import HelpScreen
    from explorer.tui.screens.main import MainScreen
    from explorer.tui.screens.picker import StylePicker

    scopes = {"app": ExplorerApp, "main": MainScreen, "style-picker": StylePicker,
              "export": ExportScreen, "help": HelpScreen}  # fmt: skip
    for scope, owner in scopes.items():
        bindings = [b for b in owner.BINDINGS if isinstance(b, Binding)]
        assert len(bindings) == len(owner.BINDINGS)
        assert [(b.id, b.key, b.priority) for b in bindings] == [
            (spec.id, spec.keys, spec.priority) for spec in BINDINGS if spec.scope == scope
        ]


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "huge"])
def test_a_config_that_is_not_a_regular_file_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """A FIFO would block for ever and /dev/zero never ends: both are named, never read."""
    import os

    import explorer.config as config_module
    from explorer.config import ConfigError, load_config

    path = tmp_path / "config.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    else:
        monkeypatch.setattr(config_module, "MAX_CONFIG_BYTES", 10)
        path.write_text('[cite]\nstyle = "apa"\n', encoding="utf-8")
    expected = {"fifo": "a FIFO, not a regular file", "device": "a character device",
                "folder": "a folder", "huge": "21 bytes, more than 10"}[kind]  # fmt: skip
    with pytest.raises(ConfigError, match=expected) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: ")
