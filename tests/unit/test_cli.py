"""The command line, run as a user runs it: in a subprocess."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import explorer
from explorer.cli import main
from tests.conftest import GOOD_FACT, REPO, make_base


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        capture_output=True, text=True, timeout=60, cwd=REPO, env=env, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_search_prints_one_plain_line_per_fact(tiny_base: Path) -> None:
    out = run("search", "emissions", "--facts", str(tiny_base))
    assert out.returncode == 0, out.stderr
    assert out.stdout == (
        "env-ghg-total-2020\t2,285,458 t CO2e (2020)\tHuawei emitted 2,285,458 tonnes of CO2 in "
        "2020.\n"
    )
    assert "\x1b" not in out.stdout


def test_search_with_no_match_exits_1(tiny_base: Path) -> None:
    out = run("search", "zebra", "--facts", str(tiny_base))
    assert (out.returncode, out.stdout) == (1, "")


def test_search_json_carries_every_field(tiny_base: Path) -> None:
    out = run("search", "emissions", "--json", "--facts", str(tiny_base))
    hit = json.loads(out.stdout)["hits"][0]
    assert hit["id"] == "env-ghg-total-2020" and hit["metric"] == "ghg.total"
    assert hit["value"] == 2285458 and hit["tags"] == ["ghg"] and "score" in hit


def test_show_json_has_every_field_the_fact_has(tiny_base: Path) -> None:
    out = run("show", "env-ghg-total-2020", "--json", "--facts", str(tiny_base))
    assert json.loads(out.stdout) == {
        "id": "env-ghg-total-2020", "kind": "figure",
        "claim": "Huawei emitted 2,285,458 tonnes of CO2 in 2020.",
        "quote": "Emissions (t-CO2) 41,736 2,243,722 2,285,458", "source": "report",
        "chapter": "ch4", "section": "Reducing Carbon Emissions", "as_printed": "2,285,458",
        "value": 2285458, "unit": "t CO2e", "qualifier": "exact", "period": "2020",
        "metric": "ghg.total", "tags": ["ghg"], "assurance": "assured",
    }  # fmt: skip


def test_show_text_names_source_chapter_and_section(tiny_base: Path) -> None:
    out = run("show", "env-ghg-total-2020", "--facts", str(tiny_base)).stdout
    assert "Source:   2020 Sustainability Report (Huawei Investment & Holding Co., Ltd." in out
    assert "Chapter:  Environmental Protection" in out
    assert "Section:  Reducing Carbon Emissions" in out


def test_show_unknown_id_suggests_near_ones(tiny_base: Path) -> None:
    out = run("show", "env-ghg-total-2021", "--facts", str(tiny_base))
    assert out.returncode == 1
    assert "no fact with id 'env-ghg-total-2021'; did you mean env-ghg-total-2020?" in out.stderr


def test_broken_base_gives_positions_not_a_traceback(tmp_path: Path) -> None:
    root = make_base(tmp_path / "facts", {"report/ch4.yaml": GOOD_FACT + "    unit: 't'\n"})
    for command in (["check"], ["search", "x"], ["show", "x"]):
        out = run(*command, "--facts", str(root))
        assert out.returncode == 1
        assert "Traceback" not in out.stderr + out.stdout
        assert f"{root}/report/ch4.yaml:16:5: duplicate key 'unit'" in out.stdout + out.stderr


def test_check_summary_and_exit_code(tiny_base: Path, sources_dir: Path) -> None:
    out = run("check", "--facts", str(tiny_base), "--sources", str(sources_dir))
    assert out.returncode == 0
    assert out.stdout == "check: 1 facts, 2 of 2 sources verified, 0 problems\n"


def test_check_json(tmp_path: Path, sources_dir: Path) -> None:
    root = make_base(tmp_path / "f", {"report/ch4.yaml": GOOD_FACT.replace("41,736", "41,737")})
    out = run("check", "--json", "--facts", str(root), "--sources", str(sources_dir))
    report = json.loads(out.stdout)
    assert out.returncode == 1 and report["ok"] is False
    assert (
        report["problems"][0]["line"] == 4 and "quote not found" in report["problems"][0]["message"]
    )


def test_env_var_selects_the_base(tiny_base: Path) -> None:
    import os

    env = {**os.environ, "FACT_EXPLORER_FACTS": str(tiny_base)}
    assert run("show", "env-ghg-total-2020", env=env).returncode == 0


@pytest.mark.parametrize("command", [["--help"], ["search", "--help"], ["check", "--help"]])
def test_help(command: list[str]) -> None:
    assert run(*command).returncode == 0


# ------------------------------------------------------------------ in-process: says what is wrong


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `main` as the command line would: argparse's own exit is an exit code too."""
    if isinstance(sys.stderr, io.TextIOWrapper):  # as Python's own stderr; stdout stays strict
        sys.stderr.reconfigure(errors="backslashreplace")
    try:
        code = main(list(argv))
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch folder to run in, with its own cache and no config."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("FACT_EXPLORER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("FACT_EXPLORER_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.delenv("FACT_EXPLORER_FACTS", raising=False)
    monkeypatch.delenv("FACT_EXPLORER_SOURCES", raising=False)
    return work


COMMANDS = {
    "search": ["search", "emissions"],
    "show": ["show", "env-ghg-total-2020"],
    "check": ["check", "--structure-only"],
    "conflicts": ["conflicts"],
    "cite": ["cite", "env-ghg-total-2020", "--style", "plain"],
    "export": ["export", "env-ghg-total-2020", "--format", "json", "-o", "-"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_facts_before_the_command_is_used_and_the_later_one_wins(
    scratch: Path, tiny_base: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    missing = str(scratch / "missing")
    code, _, err = cli(capsys, "--facts", missing, *COMMANDS[command])
    assert (code, err) == (2, f"fact-explorer: --facts {missing}: no such folder\n")
    code, out, err = cli(capsys, "--facts", missing, *COMMANDS[command], "--facts", str(tiny_base))
    assert code == 0 and out and "Traceback" not in err, err
    code, _, err = cli(capsys, "--facts", str(tiny_base), *COMMANDS[command], "--facts", missing)
    assert (code, err) == (2, f"fact-explorer: --facts {missing}: no such folder\n")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, "--version") == (0, f"fact-explorer {explorer.__version__}\n", "")


@pytest.mark.parametrize("limit", ["0", "-1", "abc", "", "1.5", "-0"])
def test_limit_must_be_a_positive_whole_number(
    scratch: Path, tiny_base: Path, capsys: pytest.CaptureFixture[str], limit: str
) -> None:
    code, out, err = cli(capsys, "search", "emissions", "--limit", limit, "--facts", str(tiny_base))
    assert (code, out) == (2, "")
    assert f"argument --limit: must be a positive whole number, not {limit!r}" in err


def test_limit_one_gives_one_fact(
    scratch: Path, tiny_base: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "search", "2020", "--limit", "1", "--facts", str(tiny_base))
    assert code == 0 and out.count("\n") == 1


NOT_FOLDERS = {
    "a file": ("file.txt", "is a file, not a folder"),
    "missing": ("missing", "no such folder"),
    "not UTF-8": (os.fsdecode(b"x\xff"), "no such folder"),
}


@pytest.mark.parametrize("command", [*COMMANDS, "the app"])
@pytest.mark.parametrize("case", NOT_FOLDERS)
def test_facts_that_is_no_folder_is_one_line_and_exit_2(
    scratch: Path, capsys: pytest.CaptureFixture[str], command: str, case: str
) -> None:
    (scratch / "file.txt").write_text("x", encoding="utf-8")
    name, why = NOT_FOLDERS[case]
    argv = COMMANDS.get(command, [])
    code, out, err = cli(capsys, *argv, "--facts", name)
    shown = name.replace("\udcff", "\\xff")
    assert (code, out, err) == (2, "", f"fact-explorer: --facts {shown}: {why}\n")


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("", "fact-explorer search: error: argument --facts: needs a folder, not an empty name"),
        ("a\0b", "fact-explorer: --facts a\\x00b: no such folder"),
    ],
)
def test_facts_that_names_no_folder_at_all_is_usage(
    scratch: Path, capsys: pytest.CaptureFixture[str], value: str, said: str
) -> None:
    code, out, err = cli(capsys, "search", "x", "--facts", value)
    assert (code, out, err.splitlines()[-1]) == (2, "", said)


def test_the_environment_variable_is_named_when_it_is_no_folder(
    scratch: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FACT_EXPLORER_FACTS", str(scratch / "gone"))
    code, _, err = cli(capsys, "show", "x")
    said = f"fact-explorer: $FACT_EXPLORER_FACTS {scratch}/gone: no such folder\n"
    assert (code, err) == (2, said)


def test_sources_that_is_a_file_is_said(
    scratch: Path, tiny_base: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (scratch / "f").write_text("x", encoding="utf-8")
    code, _, err = cli(capsys, "check", "--facts", str(tiny_base), "--sources", "f")
    assert (code, err) == (2, "fact-explorer: --sources f: is a file, not a folder\n")


@pytest.mark.parametrize("cache", ["off", "on"])
def test_a_base_in_a_folder_whose_name_is_not_utf8_is_searched_or_said(
    scratch: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, cache: str
) -> None:
    if cache == "off":
        monkeypatch.setenv("FACT_EXPLORER_CACHE", "off")
    root = make_base(scratch / os.fsdecode(b"facts\xff"))
    code, out, err = cli(capsys, "search", "emissions", "--facts", str(root))
    if code == 0:
        assert out.startswith("env-ghg-total-2020\t")
    else:  # the cache could not take the name: one line, not a traceback
        assert code == 1 and err.count("\n") == 1 and "cannot open the fact base" in err
        assert "facts\\xff" in err


def test_problems_under_a_name_that_is_not_utf8_print_escaped(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_base(scratch / os.fsdecode(b"facts\xff"), {"report/ch4.yaml": GOOD_FACT + "  x\n"})
    code, out, _ = cli(capsys, "check", "--structure-only", "--facts", str(root))
    assert code == 1 and "facts\\xff/report/ch4.yaml:" in out and out.isascii()
    code, out, _ = cli(capsys, "check", "--json", "--structure-only", "--facts", str(root))
    assert json.loads(out)["problems"][0]["path"].startswith(str(root))


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("", "search: the query is empty; give words, or a filter such as kind:target"),
        ("   ", "search: the query is empty"),
        ("| !", "search: nothing to search for in '| !': '|' needs a word on each side; '!'"),
        ("!", "search: nothing to search for in '!': '!' needs a word after it"),
        ("kind:", "search: nothing to search for in 'kind:': 'kind:' needs a value"),
        ("colour:red", "search: nothing to search for in 'colour:red': unknown field 'colour:'"),
        ("the of ", "search: nothing to search for in 'the of ': only common words"),
    ],
)
def test_a_query_with_nothing_to_search_for_is_usage(
    scratch: Path, tiny_base: Path, capsys: pytest.CaptureFixture[str], query: str, said: str
) -> None:
    code, out, err = cli(capsys, "search", query, "--facts", str(tiny_base))
    assert (code, out) == (2, "") and err.startswith(f"fact-explorer: {said}")
    assert err.count("\n") == 1


@pytest.mark.parametrize("wanted", ["a\x1b[31mb\x07", "new\nline", "\u202eevil", "x" * 5000])
def test_show_of_an_odd_id_says_so_in_one_escaped_line(
    scratch: Path, tiny_base: Path, capsys: pytest.CaptureFixture[str], wanted: str
) -> None:
    code, out, err = cli(capsys, "show", wanted, "--facts", str(tiny_base))
    assert (code, out) == (1, "") and err.count("\n") == 1 and len(err) < 200
    assert err.startswith("fact-explorer: no fact with id '") and err[:-1].isprintable()


def test_structure_only_is_passed_to_check(
    scratch: Path,
    tiny_base: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from explorer import check as check_module

    asked: list[dict[str, object]] = []

    def fake(facts: Path, sources: Path | None, **options: object) -> check_module.CheckResult:
        asked.append(options)
        return check_module.CheckResult(structure_only=bool(options["structure_only"]))

    monkeypatch.setattr(check_module, "check", fake)
    assert cli(capsys, "check", "--facts", str(tiny_base), "--structure-only")[0] == 0
    assert cli(capsys, "check", "--facts", str(tiny_base))[0] == 0
    assert asked == [{"structure_only": True}, {"structure_only": False}]
    code, out, _ = cli(capsys, "check", "--help")
    assert "--structure-only" in out and "prove no quote" in out


def test_warnings_from_loading_are_printed_once_after_it(
    scratch: Path,
    tiny_base: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from explorer import cache as cache_module

    pending = ["ignoring the cache folder /x: owned by another user\n(second line)"]
    monkeypatch.setattr(cache_module, "take_warnings", lambda: [pending.pop()] if pending else [])
    code, _, err = cli(capsys, "search", "emissions", "--facts", str(tiny_base))
    assert code == 0
    assert err == (
        "fact-explorer: warning: ignoring the cache folder /x: owned by another user"
        "\\n(second line)\n"
    )
    monkeypatch.delattr(cache_module, "take_warnings")
    assert cli(capsys, "search", "emissions", "--facts", str(tiny_base))[::2] == (0, "")


HOSTILE = [
    "", " ", "-", "./-", "--", "0", "-1", "abc", "|", "!", '"', "kind:", "year:2020..2010",
    "value:500..100", "tag:zzz", "chapter:II", "the ", "\x00", "\x1b[2J", "a\nb",
    os.fsdecode(b"x\xff"), "\ud800", "sub/", "missing/x.csv", "file.txt", "tiny", "--nope",
]  # fmt: skip
"""Values a user (or a script with an empty variable) may put in any place."""

SHAPES = [
    ["search", "emissions", "--limit", "5"], ["search", "emissions", "--json", "--explain"],
    ["show", "env-ghg-total-2020"], ["show", "env-ghg-total-2020", "--json"],
    ["check", "--structure-only"], ["check", "--sources", "tiny"], ["conflicts", "--json"],
    ["cite", "env-ghg-total-2020", "--style", "apa"],
    ["export", "env-ghg-total-2020", "--format", "csv", "-o", "out.csv"],
    ["export", "env-ghg-total-2020", "-f", "json", "-o", "-"], ["--facts", "tiny"], [],
]  # fmt: skip
"""Command lines that work; the property test changes their words and adds others."""

WORD = st.sampled_from(HOSTILE) | st.text(max_size=5) | st.sampled_from(sum(SHAPES, []))


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """A command line that works, with some of its words changed and others added anywhere."""
    argv = list(draw(st.sampled_from(SHAPES)))
    values = [i for i, word in enumerate(argv) if i and word not in ("-o", "-f", "--")]
    values = [i for i in values if not argv[i].startswith("--")]
    for i in draw(st.lists(st.sampled_from(values), max_size=2)) if values else []:
        argv[i] = draw(WORD)
    for _ in range(draw(st.integers(0, 2))):
        argv.insert(draw(st.integers(0, len(argv))), draw(WORD))
    if draw(st.booleans()):
        argv[draw(st.integers(0, len(argv))) : 0] = ["--facts", draw(WORD)]
    return argv


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(argv=command_lines())
def test_no_command_line_ends_in_a_traceback(
    scratch: Path,
    tiny_base: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
) -> None:
    """Any words in any order: an exit code of 0, 1 or 2 and no traceback, never an exception."""
    monkeypatch.setenv("FACT_EXPLORER_FACTS", str(tiny_base))
    monkeypatch.setattr(sys, "stdin", io.StringIO())  # no terminal: the app never starts
    (scratch / "file.txt").write_text("x", encoding="utf-8")
    if not (scratch / "tiny").exists():
        (scratch / "tiny").symlink_to(tiny_base)
    capsys.readouterr()
    code, _, err = cli(capsys, *argv)
    event(f"exit {code}")
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err
