"""The cache's columns give back every fact as it was, all at once or one at a time."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from array import array
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from explorer import cache
from explorer.model import Fact, Link

TEXTS = st.sampled_from(["", "a", "b", "figure", "Water", "ch4", "é"]) | st.text(max_size=4)
NUMBERS = st.none() | st.sampled_from([0, 1, 1.0, -0.0, 0.0, True, 2.5]) | st.integers()


@st.composite
def facts(draw: st.DrawFn) -> Fact:
    """A fact whose fields take the awkward values a column may mix (1 and 1.0, -0.0, None)."""
    return Fact(
        id=draw(st.text(max_size=6)), kind=draw(TEXTS), claim=draw(TEXTS), quote=draw(TEXTS),
        source=draw(TEXTS), chapter=draw(TEXTS), assurance=draw(TEXTS), section=draw(TEXTS),
        as_printed=draw(st.none() | TEXTS), value=draw(NUMBERS), upper=draw(NUMBERS),
        unit=draw(st.none() | TEXTS), period=draw(st.none() | TEXTS),
        tags=tuple(draw(st.lists(TEXTS, max_size=3))), gri=tuple(draw(st.lists(TEXTS, max_size=2))),
        related=tuple(Link(a, b) for a, b in draw(st.lists(st.tuples(TEXTS, TEXTS), max_size=2))),
        series=draw(st.none() | st.dictionaries(TEXTS, NUMBERS.filter(lambda n: n is not None),
                                                max_size=2)),
        line=draw(st.integers(0, 10**6)),
    )  # fmt: skip


def _fields(fact: Fact) -> list[tuple[type, object]]:
    """Every field with its type: 1 and 1.0 (or -0.0 and 0.0) are equal, yet not the same."""
    out: list[tuple[type, object]] = []
    for name in cache._FIELDS:
        value = getattr(fact, name)
        out.append((type(value), repr(value)))
    return out


@given(st.lists(facts(), max_size=30))
def test_the_columns_give_back_every_fact_as_it_was(made: list[Fact]) -> None:
    columns = pickle.loads(pickle.dumps(cache._columns(tuple(made))))
    again = cache._facts([cache._listed(column) for column in columns])
    assert [_fields(f) for f in again] == [_fields(f) for f in made]
    on_demand = cache.FactsOnDemand(columns)
    assert [_fields(on_demand[i]) for i in reversed(range(len(made)))] == [
        _fields(f) for f in reversed(made)
    ]
    assert on_demand == tuple(made) and tuple(made) == on_demand
    assert list(on_demand) == made and len(on_demand) == len(made)


def test_repeated_texts_are_held_once() -> None:
    made = tuple(
        Fact(id=f"f{i}", kind="figure", claim=f"c{i}", quote="q", source="report",
             chapter="ch1", assurance="assured", tags=("water", "ghg"))
        for i in range(40)
    )  # fmt: skip
    columns = cache._columns(made)
    coded = dict(zip(cache._FIELDS, columns, strict=True))
    assert coded["kind"][:2] == ("coded", ["figure"]) and list(coded["kind"][2]) == [0] * 40
    assert coded["tags"][:2] == ("coded", [("water", "ghg")])
    assert coded["claim"][:2] == ("texts", "\0".join(f"c{i}" for i in range(40)).encode())
    assert cache._listed(coded["claim"]) == [f"c{i}" for i in range(40)]
    assert coded["line"] == array("q", [0] * 40)  # whole numbers: an array


def test_a_fact_on_demand_is_made_once_and_numbered_as_in_a_tuple() -> None:
    made = tuple(Fact(id=f"f{i}", kind="figure", claim=f"c{i}", quote="q", source="s",
                      chapter="ch", assurance="assured") for i in range(5))  # fmt: skip
    lazy = cache.FactsOnDemand(cache._columns(made))
    assert lazy[1] is lazy[1] and lazy[-1] is lazy[4] and lazy[-1].id == "f4"
    assert lazy[1:3] == made[1:3] and lazy[::-2] == made[::-2] and lazy[:0] == ()
    assert sum(f is not None for f in lazy._made) == 2 + 2  # [1], [4]; then [2] and [0]
    with pytest.raises(IndexError):
        lazy[5]
    with pytest.raises(TypeError):
        hash(lazy)


def test_a_base_opened_for_a_search_is_the_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.opener import open_factbase, open_for_search
    from explorer.search import search
    from tests.unit.test_search import write_search_base

    facts_dir = write_search_base(tmp_path / "facts")
    monkeypatch.setenv("FACT_EXPLORER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    full = open_factbase(facts_dir)  # written to the cache
    lean = open_for_search(facts_dir)
    assert isinstance(lean.facts, cache.FactsOnDemand)
    for query in ("greenhouse", "solar kind:figure", "emisions", "water | energy", "!coal solar"):
        ours, theirs = search(lean, query), search(full, query)
        assert [(h.fact, h.score) for h in ours.hits] == [(h.fact, h.score) for h in theirs.hits]
        assert (ours.total, ours.messages, ours.partial) == (
            theirs.total,
            theirs.messages,
            theirs.partial,
        )
    assert sum(f is not None for f in lean.facts._made) < len(full.facts)
    first = full.facts[0]
    assert lean.get(first.id) == first and lean.get("no such id") is None
    assert lean == full and len(lean) == len(full)
    assert lean.in_section(first.chapter, first.section) == full.in_section(
        first.chapter, first.section
    )


def test_a_warm_search_prints_what_it_printed(tmp_path: Path) -> None:
    """The command line's output from a base made on demand is the library's, unchanged."""
    from tests.unit.test_search import write_search_base

    facts_dir = write_search_base(tmp_path / "facts")
    env = {**os.environ, "FACT_EXPLORER_CACHE": str(tmp_path / "cache"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "NO_COLOR": "1"}  # fmt: skip
    run = [sys.executable, "-m", "explorer", "search", "solar", "--json", "--explain",
           "--facts", str(facts_dir)]  # fmt: skip
    cold = subprocess.run(run, capture_output=True, text=True, env=env, check=False)
    warm = subprocess.run(run, capture_output=True, text=True, env=env, check=False)
    assert cold.returncode == warm.returncode == 0
    assert warm.stdout == cold.stdout and warm.stderr == cold.stderr


@given(st.lists(facts(), max_size=30), st.integers(1, 40))
def test_facts_made_from_their_coded_rows_are_the_facts(made: list[Fact], copies: int) -> None:
    """Facts that share their repeating fields are made from one row of them, unchanged."""
    many = [replace(f, id=f"{f.id}-{n}") for n in range(copies) for f in made]
    columns = cache._columns(tuple(many))
    rows = cache._rows(columns)
    on_demand = cache.FactsOnDemand(columns, rows)
    assert [_fields(on_demand[i]) for i in reversed(range(len(many)))] == [
        _fields(f) for f in reversed(many)
    ]
    if rows is not None:
        assert len(rows[1]) <= len(many) // 4 and len(rows[2]) == len(many)


def test_rows_that_do_not_match_the_facts_are_refused() -> None:
    made = tuple(Fact(id=f"f{n}", kind="figure", claim="c", quote="q", source="s", chapter="ch",
                      assurance="none", section="x", line=n) for n in range(8))  # fmt: skip
    columns = cache._columns(made)
    together, values, which = cache._rows(columns)  # type: ignore[misc]
    with pytest.raises(ValueError):
        cache.FactsOnDemand(columns, (together, values, which[:-1]))
    with pytest.raises(ValueError):
        cache.FactsOnDemand(columns, (together, [v[:-1] for v in values], which))


@given(st.lists(facts(), max_size=30), st.sets(st.integers(0, 29)), st.integers(1, 8))
def test_iterating_makes_the_rest_by_blocks_and_keeps_the_facts_made(
    made: list[Fact], asked: set[int], block: int
) -> None:
    """Facts made one by one before stay the same objects; the others come as made in bulk."""
    on_demand = cache.FactsOnDemand(cache._columns(tuple(made)))
    on_demand.BLOCK = block
    first = {i: on_demand[i] for i in asked if i < len(made)}
    listed = list(on_demand)
    assert [_fields(f) for f in listed] == [_fields(f) for f in made]
    assert all(listed[i] is fact for i, fact in first.items())
    assert all(on_demand[i] is fact for i, fact in enumerate(listed))


LEAVES = TEXTS | NUMBERS
VALUES = st.recursive(
    LEAVES, lambda inner: st.tuples(inner) | st.tuples(inner, inner), max_leaves=6
)


@given(st.lists(VALUES, max_size=20))
@example([(1,), (1.0,), (True,), ("a", (0.0,)), ("a", (-0.0,))])
def test_a_column_comes_back_with_its_values_types(column: list[object]) -> None:
    """Whatever a column holds, coded and pickled it reads back the same: ``(1,)`` never
    stands for its equal ``(1.0,)``."""
    coded = pickle.loads(pickle.dumps(cache._coded(column)))
    assert repr(cache._listed(coded)) == repr(column)


@given(st.lists(st.none() | TEXTS | st.lists(TEXTS, max_size=3).map(tuple), max_size=30))
def test_equal_texts_of_a_column_are_one_object(column: list[object]) -> None:
    shared = cache._shared(column)
    assert repr(shared) == repr(column)
    texts = [v for v in shared if type(v) is str] + [
        t for v in shared if type(v) is tuple for t in v
    ]
    assert all(a is b for a in texts for b in texts if a == b)
    tuples = [v for v in shared if type(v) is tuple and v]
    assert all(a is b for a in tuples for b in tuples if a == b)
