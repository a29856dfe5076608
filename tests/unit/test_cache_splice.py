"""The columns a re-open writes, spliced from the old ones, hold the new facts as they are."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer import cache
from explorer.model import Fact
from tests.unit.test_cache_on_demand import _fields, facts


@st.composite
def edits(draw: st.DrawFn) -> tuple[list[Fact], list[Fact], list[int | None]]:
    """Old facts, the new ones (kept ones, the same objects, in runs; some gone, some new,
    a block moved), and for each new fact its old number or None."""
    old = draw(st.lists(facts(), min_size=1, max_size=24))
    seats: list[int | None] = [i for i in range(len(old)) if draw(st.booleans()) or len(old) < 3]
    if len(seats) > 2 and draw(st.booleans()):  # a block of them moves elsewhere
        start = draw(st.integers(0, len(seats) - 1))
        end = draw(st.integers(start, len(seats)))
        block, seats = seats[start:end], seats[:start] + seats[end:]
        at = draw(st.integers(0, len(seats)))
        seats[at:at] = block
    for _ in range(draw(st.integers(0, 4))):
        seats.insert(draw(st.integers(0, len(seats))), None)
    made = iter(draw(st.lists(facts(), min_size=seats.count(None), max_size=seats.count(None))))
    new = [old[at] if at is not None else next(made) for at in seats]
    return old, new, seats


@pytest.mark.parametrize("most_runs", [cache._MOST_RUNS, 0])
@given(edit=edits())
def test_spliced_columns_give_back_the_new_facts_as_they_are(
    most_runs: int, edit: tuple[list[Fact], list[Fact], list[int | None]]
) -> None:
    old, new, found = edit
    columns = pickle.loads(pickle.dumps(cache._columns(tuple(old))))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "_MOST_RUNS", most_runs)  # by runs, and row by row
        added = [f for f, at in zip(new, found, strict=True) if at is None]
        spliced = pickle.loads(pickle.dumps(cache._spliced(columns, len(old), found, added)))
    want = [_fields(f) for f in new]
    assert [_fields(f) for f in cache._facts([cache._listed(c) for c in spliced])] == want
    on_demand = cache.FactsOnDemand(spliced, cache._rows(spliced))
    assert [_fields(on_demand[i]) for i in range(len(new))] == want


def test_runs_are_the_kept_rows_in_order_and_the_new_ones_after_them() -> None:
    assert cache._runs([0, 1, 2, None, 3, 4], 5) == [(0, 3), (5, 6), (3, 5)]
    assert cache._runs([3, 4, None, None, 0], 5) == [(3, 5), (5, 7), (0, 1)]
    assert cache._runs([0, 1, 2, 3, 4, None], 5) == [(0, 5), (5, 6)]  # old and new never join
