"""A search over a base made on demand ranks from the cache's columns, and finds what a
base made whole finds: the same hits, in the same order, with the same scores."""

from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.process import QUERIES
from explorer import cache
from explorer.model import Fact, FactBase
from explorer.search import index_for, search
from explorer.search.fields import field_values
from explorer.search.intent import (
    AVOIDED_DAMP,
    DATE_BOOST,
    ENTRY_BOOST,
    PERIOD_BOOST,
    TOTAL_BOOST,
    UNIT_BOOST,
    Intent,
    read_intent,
    unit_class,
)
from explorer.search.text import term_texts
from tests.conftest import FACTS
from tests.unit.test_cache_on_demand import _fields, facts

HERE = Path(__file__).parent

DATED = (r"\b(?:1[89]\d\d|20\d\d)\b|\b(?:January|February|March|April|May|June|July|August|"
         r"September|October|November|December)\b")  # fmt: skip


@given(st.lists(facts(), max_size=30), st.lists(st.integers(0, 29), max_size=40), st.booleans())
def test_field_values_are_the_facts_fields_and_make_no_fact(
    made: list[Fact], rows: list[int], coded_rows: bool
) -> None:
    columns = cache._columns(tuple(made))
    on_demand = cache.FactsOnDemand(columns, cache._rows(columns) if coded_rows else None)
    rows = [r for r in rows if r < len(made)]
    for name in cache._FIELDS:
        values = on_demand.field_values(name, rows)
        expected = [getattr(made[r], name) for r in rows]
        assert [(type(v), repr(v)) for v in values] == [(type(v), repr(v)) for v in expected]
    assert all(fact is None for fact in on_demand._made)
    assert [_fields(on_demand[r]) for r in rows] == [_fields(made[r]) for r in rows]


UNITS = st.sampled_from([None, "", "%", "percent", "t CO2e", "CNY billion", "kWh", "GWh", "tce",
                         "m3", "t", "tons", "kg", "people", "MW", "percentage points"])  # fmt: skip
PERIODS = st.sampled_from([None, "", "2019", "2020", "2020-12", "2018/2020", "2016-2020/2021",
                           "FY2020", "1900/2100"])  # fmt: skip
METRICS = st.sampled_from([None, "ghg.total", "ghg.scope2", "energy.diesel", "water.total",
                           "employees.total", "employees.rd.total", "ghg.avoided",
                           "waste"])  # fmt: skip
CLAIMS = st.sampled_from(["Women were 20.1% to 20.6% of staff", "Launched in March 2019",
                          "Emissions fell", "In 1987 Huawei was founded",
                          "A plain claim"])  # fmt: skip


@st.composite
def ranked_facts(draw: st.DrawFn, n: int) -> Fact:
    """A fact whose unit, period, metric, kind and claim are the ones an intent weighs."""
    series = draw(st.none() | st.dictionaries(st.sampled_from(["2018", "2019", "2020-06"]),
                                              st.integers(0, 9), max_size=2))  # fmt: skip
    return Fact(
        id=f"f{n}", kind=draw(st.sampled_from(["figure", "statement", "acronym", "disclosure"])),
        claim=draw(CLAIMS), quote="q", source="s", chapter="ch", assurance="none",
        value=draw(st.none() | st.integers(0, 5)), unit=draw(UNITS), period=draw(PERIODS),
        metric=draw(METRICS), tags=tuple(draw(st.lists(st.sampled_from(["water", "ghg"]),
                                                       max_size=2))),
        series=series,
    )  # fmt: skip


QUESTIONS = ["how many employees", "what share of women", "how much water 2019", "co2 2020",
             "how much co2 did huawei emit", "when was it launched", "ghg acronym",
             "gri disclosure 2018", "total employees", "how much energy saved in 2019"]  # fmt: skip


def _reference(intent: Intent, fact: Fact) -> float:
    """The multiplier as worked out from the fact itself, one fact at a time."""
    period = fact.period or ""
    exact: set[str] = set()
    covered: set[str] = set()
    found = re.match(r"^(\d{4})[^/]*/(\d{4})", period)
    if found:
        start, end = int(found[1]), int(found[2])
        if end - start <= 100:
            covered.update(str(y) for y in range(start, end + 1))
    elif period[:4].isdigit():
        exact = {period[:4]}
    covered.update(k[:4] for k in fact.series or ())
    metric = fact.metric or ""
    boost = ENTRY_BOOST if intent.entry and fact.kind == intent.entry else 0.0
    if unit_class(fact) in intent.classes:
        boost += UNIT_BOOST
    if intent.years:
        if intent.years & exact:
            boost += PERIOD_BOOST
        elif intent.years & covered:
            boost += PERIOD_BOOST / 2
    if metric and metric in intent.totals:
        boost += TOTAL_BOOST
    if intent.date and re.search(DATED, fact.claim):
        boost += DATE_BOOST
    if intent.emitted and re.search(r"avoid|sav(?:ed|ing)|reduc|offset", metric):
        return (1.0 + boost) * AVOIDED_DAMP
    return 1.0 + boost


@given(st.integers(1, 25).flatmap(lambda n: st.tuples(*(ranked_facts(i) for i in range(n)))),
       st.sampled_from(QUESTIONS), st.data())  # fmt: skip
def test_factors_read_from_the_columns_are_each_facts_own(
    made: tuple[Fact, ...], question: str, data: st.DataObject
) -> None:
    """Facts that share a combination share a factor; any field that differs is seen."""
    whole = FactBase(facts=made, sources={}, chapters={})
    columns = cache._columns(made)
    lazy = FactBase(facts=cache.FactsOnDemand(columns, cache._rows(columns)), sources={},
                    chapters={}, _by_id=MappingProxyType({}))  # type: ignore[arg-type]  # fmt: skip
    object.__setattr__(lazy, "_search_index", index_for(whole))
    words = list(term_texts(question))
    intent = read_intent(words)
    intent.bind(index_for(whole), set(words))
    assert intent.active
    rows = data.draw(st.lists(st.integers(0, len(made) - 1), max_size=40))
    expected = [_reference(intent, made[r]) for r in rows]
    assert intent.factors(whole, rows) == expected
    assert intent.factors(lazy, rows) == expected
    assert all(fact is None for fact in lazy.facts._made)  # type: ignore[attr-defined]


def test_field_values_of_a_base_made_whole_are_read_from_its_facts() -> None:
    made = tuple(
        Fact(id=f"f{i}", kind="figure", claim=f"c{i}", quote="q", source="s", chapter="ch",
             assurance="none", unit=f"u{i % 2}")
        for i in range(4)
    )  # fmt: skip
    base = FactBase(facts=made, sources={}, chapters={})
    assert field_values(base, "unit", [3, 0, 3]) == ["u1", "u0", "u1"]
    assert field_values(base, "claim", []) == []


def _queries() -> list[str]:
    """The search suites' queries, the benchmark's, and each of those as it is typed."""
    out: list[str] = []
    for name in ("dev", "held"):
        text = (HERE / "data" / f"queries-{name}.yaml").read_text(encoding="utf-8")
        out += [entry["q"] for entry in yaml.safe_load(text)["queries"]]
    for name in ("test_search_quality.py", "test_search_questions.py"):
        out += re.findall(r'^\s+\("([^"]+)",', (HERE / name).read_text(encoding="utf-8"), re.M)
    out += [*QUERIES, *(q[:n] for q in QUERIES for n in range(1, len(q)))]
    out += ["kind:figure solar", "solar | wind", "!coal energy", '"renewable energy"']
    return list(dict.fromkeys(out))


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> tuple[FactBase, FactBase]:
    """The bundled base made whole (from its files) and on demand (from the cache)."""
    from explorer.loader import _load_strict
    from explorer.opener import open_factbase

    tmp = tmp_path_factory.mktemp("on-demand")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FACT_EXPLORER_CACHE", str(tmp / "cache"))
        patch.setenv("XDG_DATA_HOME", str(tmp / "data"))
        open_factbase(FACTS)  # writes the cache
        lazy = open_factbase(FACTS)
    assert isinstance(lazy.facts, cache.FactsOnDemand)
    return _load_strict(FACTS), lazy


def test_every_suite_query_finds_the_same_on_demand(bases: tuple[FactBase, FactBase]) -> None:
    whole, lazy = bases
    queries = _queries()
    assert len(queries) > 500
    for query in queries:
        for limit in (20, 50):
            ours, theirs = search(lazy, query, limit), search(whole, query, limit)
            assert [(h.fact.id, h.score) for h in ours.hits] == [
                (h.fact.id, h.score) for h in theirs.hits
            ], query
            assert (ours.total, ours.messages, ours.partial) == (
                theirs.total,
                theirs.messages,
                theirs.partial,
            ), query
