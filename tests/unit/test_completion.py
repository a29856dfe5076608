"""`fact-explorer completion SHELL`: the scripts are valid, and Tab in bash completes for real.

Bash is driven as it drives a completion: the printed script is sourced,
``COMP_WORDS``/``COMP_LINE`` set for a line, the registered function called, and
``COMPREPLY`` read; the function runs the installed ``fact-explorer`` itself.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.cli import build_parser, main
from explorer.completion import SHELLS, fact_ids, script
from tests.conftest import REPO, make_base

BIN = Path(sys.executable).parent

DRIVE = r"""
source "$1"
COMP_LINE="$2"
COMP_POINT=${#COMP_LINE}
COMP_TYPE=9
read -ra COMP_WORDS <<< "$COMP_LINE"
[[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMPREPLY=()
"$(complete -p fact-explorer | sed -E 's/.* -F ([^ ]+) .*/\1/')" fact-explorer \
    "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"""


@pytest.fixture(scope="module")
def bash_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    if not (BIN / "fact-explorer").exists():
        pytest.skip(f"fact-explorer is not installed beside {sys.executable}")
    path = tmp_path_factory.mktemp("completion") / "fact-explorer.bash"
    path.write_text(script("bash"), encoding="utf-8")
    return path


def tab(bash_script: Path, line: str, env: dict[str, str] | None = None) -> list[str]:
    """What bash offers on Tab at the end of ``line``."""
    environ = {**os.environ, **(env or {}), "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    out = subprocess.run(["bash", "-c", DRIVE, "drive", str(bash_script), line],
                         capture_output=True, text=True, timeout=30, cwd=REPO,
                         env=environ, check=True)  # fmt: skip
    return [word.strip() for word in out.stdout.splitlines() if word.strip()]


def subcommands() -> list[str]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return list(action.choices)


def test_the_bash_script_is_valid_bash(bash_script: Path) -> None:
    checked = subprocess.run(["bash", "-n", str(bash_script)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "complete " in bash_script.read_text() and "fact-explorer" in bash_script.read_text()


def test_tab_completes_every_subcommand(bash_script: Path) -> None:
    assert tab(bash_script, "fact-explorer ") == subcommands()
    assert {"serve", "completion", "cite", "search"} <= set(subcommands())
    assert tab(bash_script, "fact-explorer se") == ["search", "serve"]


def test_tab_completes_fact_ids_of_the_base_on_the_line(bash_script: Path, tiny_base: Path) -> None:
    line = f"fact-explorer --facts {tiny_base} show env-g"
    assert tab(bash_script, line) == ["env-ghg-total-2020"]
    assert tab(bash_script, f"fact-explorer cite --facts {tiny_base} x env-") == [
        "env-ghg-total-2020"
    ]


def test_tab_completes_fact_ids_of_the_base_in_the_environment(
    bash_script: Path, tiny_base: Path
) -> None:
    words = tab(bash_script, "fact-explorer export ", {"FACT_EXPLORER_FACTS": str(tiny_base)})
    assert words == ["env-ghg-total-2020"]


def test_tab_completes_styles_formats_and_shells(bash_script: Path) -> None:
    assert tab(bash_script, "fact-explorer cite x --style a") == ["apa"]
    assert tab(bash_script, "fact-explorer export x --format c") == ["csl-json", "csv"]
    assert tab(bash_script, "fact-explorer completion ") == list(SHELLS)


def test_options_complete_after_a_dash_only(bash_script: Path) -> None:
    assert "--port" in tab(bash_script, "fact-explorer serve --")
    assert tab(bash_script, "fact-explorer serve ") == []


def test_a_base_that_cannot_open_completes_no_ids(bash_script: Path, tmp_path: Path) -> None:
    assert tab(bash_script, f"fact-explorer --facts {tmp_path} show ") == []


def test_fact_ids_describe_each_id_by_its_claim(tiny_base: Path) -> None:
    ids = fact_ids("env", parsed_args=argparse.Namespace(facts=tiny_base))
    assert ids == {"env-ghg-total-2020": "Huawei emitted 2,285,458 tonnes of CO2 in 2020."}
    assert fact_ids("zzz", parsed_args=argparse.Namespace(facts=tiny_base)) == {}


def test_long_claims_are_cut(tmp_path: Path) -> None:
    long_fact = """\
source: "report"
chapter: "ch4"
facts:
  - id: "env-long"
    kind: "statement"
    claim: "Huawei states a claim that runs on and on, well past what a menu of ids can show."
    quote: "a claim that runs on and on"
    section: "Reducing Carbon Emissions"
    assurance: "assured"
"""
    root = make_base(tmp_path / "facts", {"report/ch4.yaml": long_fact})
    (described,) = fact_ids("", parsed_args=argparse.Namespace(facts=root)).values()
    assert len(described) == 60 and described.endswith("…")


@pytest.mark.parametrize("shell", SHELLS)
def test_completion_prints_the_script(shell: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", shell]) == 0
    out = capsys.readouterr().out
    assert out == script(shell) and "fact-explorer" in out


@pytest.mark.parametrize(("shell", "check"), [("zsh", ["zsh", "-n"]),
                                              ("fish", ["fish", "--no-execute"])])  # fmt: skip
def test_the_zsh_and_fish_scripts_parse(shell: str, check: list[str], tmp_path: Path) -> None:
    if shutil.which(check[0]) is None:
        pytest.skip(f"{shell} is not installed")
    path = tmp_path / f"fact-explorer.{shell}"
    path.write_text(script(shell), encoding="utf-8")
    out = subprocess.run([*check, str(path)], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr


def test_an_unknown_shell_is_bad_usage() -> None:
    out = subprocess.run([sys.executable, "-m", "explorer", "completion", "powershell"],
                         capture_output=True, text=True, timeout=30, cwd=REPO)  # fmt: skip
    assert out.returncode == 2 and "invalid choice: 'powershell'" in out.stderr


def test_a_plain_run_does_not_import_argcomplete() -> None:
    code = "import sys, explorer.cli; print('argcomplete' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
