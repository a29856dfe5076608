"""The command line, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

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
