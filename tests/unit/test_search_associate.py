"""Associates: the base's own other terms for a word, used only when nothing holds every word."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer import FactBase, open_factbase
from explorer.paths import bundled_facts_dir
from explorer.search import engine, index_for, search
from explorer.search.associate import MOST, MOST_COMMON, _associated_terms
from explorer.search.plan import make_plan
from explorer.search.query import parse
from explorer.search.text import stem

WORDS = (
    "supplier", "carbon", "footprint", "cut", "female", "managers", "recycling", "pc", "energy",
    "water", "solar", "business", "start", "year", "lockdown", "online", "classes", "china",
)  # fmt: skip


@pytest.fixture(scope="module")
def base() -> FactBase:
    return open_factbase(bundled_facts_dir())


@pytest.mark.parametrize("word", WORDS)
def test_associates_are_few_telling_and_never_the_word_itself(base: FactBase, word: str) -> None:
    index = index_for(base)
    part = make_plan(index, base, parse(word)).positive[0]
    alts = _associated_terms(index, base, part.members, part.own)
    roots = {stem(index.vocab[a.terms[0]]) for a in alts}
    assert len(roots) <= MOST and not roots & part.own
    for alt in alts:
        assert index.df[alt.terms[0]] * MOST_COMMON <= index.size or len(roots) == 0


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))
def test_a_query_some_fact_fully_holds_ranks_as_without_associates(
    base: FactBase, words: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    query = " ".join(words)
    with_them = search(base, query, 20)
    if with_them.total == 0:
        return
    index_for(base).memo.clear()
    with monkeypatch.context() as patch:
        patch.setattr(engine, "loosen", lambda *_args: None)
        without = search(base, query, 20)
    assert [(h.fact.id, h.score) for h in with_them.hits] == [
        (h.fact.id, h.score) for h in without.hits
    ]


def test_a_fact_saying_the_missing_word_in_other_terms_ranks_higher(
    base: FactBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    query, wanted = "supplier carbon footprint cut 2020", "env-suppliers-emissions-change"

    def rank_of() -> int:
        index_for(base).memo.clear()
        ids = [h.fact.id for h in search(base, query, 20).hits]
        return ids.index(wanted) + 1 if wanted in ids else 99

    found = rank_of()
    monkeypatch.setattr(engine, "loosen", lambda *_args: None)
    assert found <= 3 < rank_of()
