"""The limit only cuts the list: the app (50 hits) and the command line (20) rank alike.

A query's best facts must not depend on how many of them are asked for: the
bug this holds off made "share of women employees" head the list with the
gender chart at ``--limit 3`` and with an Internet-use figure at 20.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer import FactBase, open_factbase
from explorer.paths import bundled_facts_dir
from explorer.search import index_for, search
from explorer.search.engine import DEPTH

SUITE_WORDS = (
    "share", "of", "women", "employees", "female", "managers", "pc", "recycling", "how",
    "many", "water", "energy", "renewable", "emisions", "suplier", "gri", "303-5", "what",
    "does", "csd", "stand", "for", "2019", "child", "workers", "rural", "star", "huawei",
)  # fmt: skip


@pytest.fixture(scope="module")
def base() -> FactBase:
    return open_factbase(bundled_facts_dir())


def _ranked(base: FactBase, query: str, limit: int) -> list[tuple[str, float]]:
    return [(h.fact.id, h.score) for h in search(base, query, limit).hits]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    words=st.lists(
        st.sampled_from(SUITE_WORDS) | st.from_regex(r"[a-z]{2,9}", fullmatch=True),
        min_size=1,
        max_size=4,
    ),
    limit=st.integers(min_value=0, max_value=DEPTH),
)
def test_a_shorter_list_is_the_head_of_a_longer_one(
    base: FactBase, words: list[str], limit: int
) -> None:
    query = " ".join(words)
    full = search(base, query, DEPTH)
    index_for(base).memo.clear()  # a cold query ranks as a warm one does
    cut = search(base, query, limit)
    assert [(h.fact.id, h.score) for h in cut.hits] == [
        (h.fact.id, h.score) for h in full.hits[:limit]
    ]
    assert (cut.total, cut.messages) == (full.total, full.messages)


def test_the_issue_example_ranks_alike_at_every_limit(base: FactBase) -> None:
    heads = {_ranked(base, "share of women employees", n)[0][0] for n in (1, 3, 5, 20, DEPTH)}
    assert heads == {"eco-employee-gender-chart"}


def test_a_fact_holding_every_word_stands_before_an_equal_one_holding_some(
    base: FactBase,
) -> None:
    result = search(base, "share of women employees", 5)
    ids = [h.fact.id for h in result.hits]
    assert ids.index("eco-employee-gender-chart") < ids.index("eco-itu-women-internet-use")
