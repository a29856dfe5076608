"""Hostile queries: any text at all answers, without an exception, in bounded work."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer import FactBase, open_factbase
from explorer.search import field_text, search
from explorer.search.query import MAX_QUERY
from tests.unit.test_search import write_search_base

HOSTILE = [
    "", " ", "\t\n", "!!!", "|||", "| |", "'", "^", "$", "^$", "'^$", '"', '""', '" "', "!",
    "!'", ":", "kind:", ":value", "value:>", "value:..", "value:1..x", "year:99999999",
    "chapter:", "a:b:c", ".*", "(?P<x>", "[", "\\", "\\b", "%s%n", "{{}}", "' OR 1=1 --",
    "ＣＯ２ 排放", "二氧化碳", "🌍🔥 emissions", "e\u0301missions", "\u200b", "\x00\x01",
    "ﬁnance", "Ⅻ", "①②③", "١٢٣", "9" * 400, "1e308", "0.0000001", "1" + ",000" * 200,
    "-5", "−33.2%", "a" * 5000, "emissions " * 1000, "$ ^ ' ! | \" : ..",
]  # fmt: skip


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> FactBase:
    root = tmp_path_factory.mktemp("hostile")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FACT_EXPLORER_CACHE", str(root / "cache"))
        return open_factbase(write_search_base(root / "facts"))


@pytest.mark.parametrize("query", HOSTILE)
def test_a_hostile_query_answers_without_raising(base: FactBase, query: str) -> None:
    result = search(base, query)
    assert result.total + result.partial >= len(result.hits) and result.partial <= len(result.hits)
    assert all(0 <= hit.score <= 100 for hit in result.hits)
    assert all(isinstance(message, str) and message for message in result.messages)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=st.text(max_size=300), limit=st.integers(min_value=-5, max_value=50))
def test_any_text_answers_with_hits_in_range(base: FactBase, query: str, limit: int) -> None:
    result = search(base, query, limit)
    assert len(result.hits) <= max(limit, 0)
    assert result.total + result.partial >= len(result.hits) >= result.partial
    for hit in result.hits:
        assert 0 <= hit.score <= 100
        for match in hit.matches:
            text = field_text(base, hit.fact, match.field)
            assert all(0 <= a < b <= len(text) for a, b in match.spans)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=st.text(alphabet=st.sampled_from("ab1 '^$!|\":.,-"), max_size=60))
def test_operator_soup_answers(base: FactBase, query: str) -> None:
    search(base, query)


def test_a_very_long_query_is_cut_so_its_work_is_bounded(base: FactBase) -> None:
    query = "photovoltaic emissions 197,000 " * 400  # about 12,000 characters
    start = time.perf_counter()
    result = search(base, query)
    elapsed = time.perf_counter() - start
    assert any(str(MAX_QUERY) in m for m in result.messages)
    assert result.hits
    assert elapsed < 1.0  # a loose guard against unbounded work; benchmarks measure speed


def test_the_real_base_answers_hostile_queries(tmp_path: Path) -> None:
    from tests.conftest import FACTS

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FACT_EXPLORER_CACHE", str(tmp_path / "cache"))
        real = open_factbase(FACTS)
    for query in HOSTILE:
        search(real, query)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    claims=st.lists(
        st.one_of(st.sampled_from(["", " ", "\t\n", "\u200b", "!!"]), st.text(max_size=40)),
        min_size=1, max_size=12,
    ),
    query=st.sampled_from(["emissions", "", "e", "!", "2020", "value:>1"]),
)  # fmt: skip
def test_a_base_of_any_claims_answers_any_query(
    base: FactBase, claims: list[str], query: str
) -> None:
    """Claims empty, blank or odd (a base the loader faults) still index and answer a search."""
    facts = tuple(
        replace(base.facts[i % len(base.facts)], id=f"h{i}", claim=claim, related=())
        for i, claim in enumerate(claims)
    )
    odd = FactBase(
        facts=facts, sources=base.sources, chapters=base.chapters, synonyms=base.synonyms,
        broader=base.broader, root="",
    )  # fmt: skip
    result = search(odd, query, limit=5)
    assert len(result.hits) <= 5 and all(hit.fact in facts for hit in result.hits)
