"""`fact-explorer search` uses the library's engine; `--explain` shows why each fact came."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from explorer import open_factbase
from explorer.search import index_for, search
from tests.unit.test_search import write_search_base


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    return write_search_base(tmp_path / "facts")


def run(facts: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FACT_EXPLORER_CACHE": str(facts.parent / "cache"), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "explorer", "search", "--facts", str(facts), *args],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip


def test_the_cli_lists_what_the_library_finds(facts: Path) -> None:
    out = run(facts, "emplyees", "2020")
    listed = [line.split("\t")[0] for line in out.stdout.splitlines()]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FACT_EXPLORER_CACHE", "off")
        base = open_factbase(facts)
    assert listed == [h.fact.id for h in search(base, "emplyees 2020").hits]
    assert out.returncode == 0


def test_explain_prints_the_score_and_the_matched_words(facts: Path) -> None:
    out = run(facts, "--explain", "greenhouse", "emissions")
    lines = out.stdout.splitlines()
    assert lines[0].startswith("env-ghg-total-2020\t")
    assert lines[1].startswith("  score ")
    assert "claim: emitted, greenhouse" in lines[1] and "quote: Emissions" in lines[1]


def test_explain_in_json_gives_fields_spans_and_text(facts: Path) -> None:
    out = run(facts, "--explain", "--json", "1.55", "billion")
    hit = json.loads(out.stdout)["hits"][0]
    claim = next(m for m in hit["matches"] if m["field"] == "claim")
    assert claim["text"] == ["1,550 million"]
    start, end = claim["spans"][0]
    assert hit["claim"][start:end] == "1,550 million"


def test_query_problems_go_to_stderr_and_the_rest_runs(facts: Path) -> None:
    out = run(facts, "colour:red", "water")
    assert "unknown field 'colour:'" in out.stderr
    assert out.stdout.startswith("env-water-table\t") and out.returncode == 0


def test_searches_from_many_threads_agree(facts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACT_EXPLORER_CACHE", "off")
    base = open_factbase(facts)
    queries = ["e", "em", "emp", "emplyees", "csd", "water 2019", "photov", "^gre", "1.55bn"] * 20
    expected = {q: [h.fact.id for h in search(base, q).hits] for q in set(queries)}
    index_for(base).memo.clear()  # the threads fill the memo together
    with ThreadPoolExecutor(max_workers=8) as pool:
        found = list(pool.map(lambda q: [h.fact.id for h in search(base, q).hits], queries))
    assert found == [expected[q] for q in queries]


@pytest.mark.parametrize(
    ("query", "said", "code"),
    [
        ("year:2020..2010 water", "fact-explorer: year:2020..2010 is reversed; write year:20", 0),
        ("value:500..100 water", "fact-explorer: value:500..100 is reversed; write value:100..", 0),
        ("tag:zzz water", "fact-explorer: no tag 'zzz'; tags are clean-energy", 0),
        ("gri:water water", "fact-explorer: no GRI disclosure 'water'", 0),
        ("metric:zzz water", "fact-explorer: no metric 'zzz'", 0),
        ("kind:award water", "fact-explorer: no fact is of kind award", 1),
        ("year:1990", "fact-explorer: no fact covers year:1990; facts cover 2012 to 2020", 1),
    ],
)  # fmt: skip
def test_filters_that_name_nothing_are_said_on_stderr(
    facts: Path, query: str, said: str, code: int
) -> None:
    out = run(facts, *query.split())
    assert out.returncode == code and out.stderr.startswith(said), out.stderr
    if code:
        assert out.stdout == ""
    else:  # the filter is dropped and the rest of the query still runs
        assert out.stdout.startswith("env-water-table\t")


def test_a_search_runs_without_the_collector_and_gives_it_back(
    facts: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """One search, then the process ends: nothing it makes is collected meanwhile."""
    import gc

    import explorer.search
    from explorer.cli import main
    from explorer.search import fuzzy

    seen: list[bool] = []
    real = explorer.search.search

    def watched(*args: object, **kwargs: object) -> object:
        assert fuzzy.ONE_SEARCH  # and scores in Python, sparing the process rapidfuzz's import
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(explorer.search, "search", watched)
    monkeypatch.setenv("FACT_EXPLORER_CACHE", str(facts.parent / "cache"))
    assert gc.isenabled()
    assert main(["search", "--facts", str(facts), "employees"]) == 0
    assert seen == [False] and gc.isenabled()
    assert main(["search", "--facts", str(facts), "nothing-like-it-anywhere"]) == 1
    assert seen == [False, False] and gc.isenabled()
    assert main(["search", "--facts", str(facts), " "]) == 2  # raised from within: given back
    assert gc.isenabled() and not fuzzy.ONE_SEARCH
    assert "employees" in capsys.readouterr().out.lower()
