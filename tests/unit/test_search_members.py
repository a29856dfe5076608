"""A clause's members are the same however they are held: a bitset made a bit or a byte
at a time, a common clause's rarer alternatives as a dict or as bytes per fact."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.model import Fact, FactBase
from explorer.search import members
from explorer.search.expand import Alt
from explorer.search.index import SearchIndex, build_index
from explorer.search.members import FactWeights, Members, bitset, of_alts, spread, union

SIZE = 2600
"""Facts in the test base: ``alpha`` and ``beta`` are common (in 2,048 or more)."""


@given(
    st.integers(1, 3000).flatmap(lambda n: st.tuples(st.just(n), st.sets(st.integers(0, n - 1))))
)
def test_a_bitset_made_by_bytes_is_the_bitset_made_by_bits(case: tuple[int, set[int]]) -> None:
    size, ids = case
    expected = sum(1 << i for i in ids)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(members, "SCATTER", 0)
        assert bitset(ids, size) == expected
        assert bitset(list(ids), size) == expected
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(members, "SCATTER", 10**9)
        assert bitset(ids, size) == expected


@given(
    st.lists(
        st.tuples(st.lists(st.integers(0, 99), unique=True), st.lists(st.sets(st.integers(0, 99)),
                                                                      max_size=2)),
        max_size=12,
    )
)  # fmt: skip
def test_fact_weights_are_a_dict_updated_in_turn(
    parts: list[tuple[list[int], list[set[int]]]],
) -> None:
    """The last alternative added that holds a fact gives its weight, as dict.update does;
    a phrase's facts are its rarest term's that each other term's bytes admit."""
    held, expected = FactWeights(100), {}
    for n, (ids, others) in enumerate(parts):
        impacts = [(7 * i + n) % 256 for i in ids]
        quality = 1.0 - n / 20
        among = [bytes(int(i in other) for i in range(100)) for other in others]
        held.add(ids, impacts, quality, among)
        expected.update(
            (i, impact * (quality / members.FULL))
            for i, impact in zip(ids, impacts, strict=True)
            if all(i in other for other in others)
        )
    assert dict(held) == expected and len(held) == len(expected)
    assert all((i in held) == (i in expected) for i in range(-1, 101))
    assert [held.get(i, -1.0) for i in range(100)] == [expected.get(i, -1.0) for i in range(100)]
    assert held.bits() == sum(1 << i for i in expected)
    assert "x" not in held and 100 not in held
    with pytest.raises(KeyError):
        held[100]


@given(st.integers(0, 2**300))
def test_spread_bits_are_a_byte_each(bits: int) -> None:
    ones = spread(bits, 301)
    assert [i for i in range(301) if ones[i]] == [i for i in range(301) if bits >> i & 1]
    assert set(ones) <= {0, 1} and members.gathered(ones) == bits


def test_fact_weights_number_at_most_255_alternatives() -> None:
    held = FactWeights(4)
    for _ in range(FactWeights.MOST):
        held.add([1], [9], 1.0)
    with pytest.raises(ValueError):
        held.add([2], [9], 1.0)


@pytest.fixture(scope="module")
def base() -> FactBase:
    """A base where ``alpha`` and ``beta`` are common, ``gamma`` in more facts than are
    scored (but not common), the ``w`` words rare; with its index."""
    pick = random.Random(16)
    facts = []
    for n in range(SIZE):
        words = [w for w, share in (("alpha", 0.85), ("beta", 0.8), ("gamma", 0.7))
                 if pick.random() < share]  # fmt: skip
        words += [f"w{pick.randrange(40)}" for _ in range(pick.randrange(1, 5))]
        facts.append(Fact(id=f"f{n}", kind="figure", claim=" ".join(words), quote=f"x{n % 7}",
                          source="s", chapter="ch", assurance="none"))  # fmt: skip
    made = FactBase(facts=tuple(facts), sources={}, chapters={})
    object.__setattr__(made, "_search_index", build_index(made))
    return made


@pytest.fixture(scope="module")
def index(base: FactBase) -> SearchIndex:
    built: SearchIndex = base._search_index
    assert {built.vocab[t] for t in built.big} == {"alpha", "beta"}
    return built


def _alts(index: SearchIndex) -> st.SearchStrategy[tuple[Alt, ...]]:
    terms = st.sampled_from(range(len(index.vocab)))
    qualities = st.sampled_from([1.0, 0.95, 0.88, 0.7, 0.62])
    alt = st.builds(
        lambda ts, q: Alt(tuple(ts), q), st.lists(terms, min_size=1, max_size=2), qualities
    )
    return st.lists(alt, min_size=1, max_size=10, unique=True).map(tuple)


def _held(index: SearchIndex, alts: tuple[Alt, ...], scatter: int) -> Members:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(members, "SCATTER", scatter)
        index.memo.clear()
        return of_alts(index, alts)


def _same(a: Members, b: Members) -> None:
    assert (a.size, a.bits, a.tiers, list(a.head)) == (b.size, b.bits, b.tiers, list(b.head))
    assert a.small == b.small and (a.small is None or list(a.small) == list(b.small or ()))
    assert [a.weight(i, -1.0) for i in range(SIZE)] == [b.weight(i, -1.0) for i in range(SIZE)]
    assert [i in a for i in range(SIZE)] == [i in b for i in range(SIZE)]


@given(st.data())
def test_a_clause_held_as_bytes_per_fact_is_the_clause_held_as_a_dict(
    index: SearchIndex, data: st.DataObject
) -> None:
    alts = data.draw(_alts(index))
    as_bytes, as_dict = _held(index, alts, 0), _held(index, alts, 10**9)
    _same(as_bytes, as_dict)
    if as_bytes.small is None and any(len(a.terms) == 1 and a.terms[0] not in index.big
                                      for a in alts):  # fmt: skip
        assert isinstance(as_bytes.extra, FactWeights) and type(as_dict.extra) is dict


@given(st.data())
def test_a_union_of_clauses_held_as_bytes_is_the_union_held_as_dicts(
    index: SearchIndex, data: st.DataObject
) -> None:
    clauses = data.draw(st.lists(_alts(index), min_size=2, max_size=3))
    for scatter in (10**9, 0):
        parts = [_held(index, alts, scatter) for alts in clauses]
        joined = union(index, parts)
        if scatter:
            expected = joined
        else:
            _same(joined, expected)
    mixed = [p for p in parts if p.small is None]
    if mixed and len(mixed) < len(parts):  # weights: the last part's that holds a fact
        reference: dict[int, float] = {}
        for part in parts:
            reference.update(part.small if part.small is not None else part.extra)
        assert {i: expected.extra[i] for i in reference} == reference


QUERIES = ["alpha", "alpha beta", "w1", "w1 w2", "alpha w3", "beta w1 w2", "w", "w1 alpha",
           "w3 | w4", "alpha | w5", "!alpha w6", "!w7 beta", '"alpha beta"', '"w1 alpha"',
           "alpha beta w9", "w12 w13 w14", "be", "al", "gamma alpha", "beta gamma w2",
           "gamma !alpha", "gamma w", "alpha gamma", "gamma !w1 alpha",
           "beta gamma !w2"]  # fmt: skip


def test_a_search_finds_the_same_however_its_clauses_are_held(
    base: FactBase, index: SearchIndex
) -> None:
    """Bytes per fact or dicts, bitsets made a bit or a byte at a time, candidates counted
    through bitsets or bytes: the same hits, scores and counts."""
    from explorer.search import engine, rank

    found = {}
    for scatter in (10**9, 0):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(members, "SCATTER", scatter)
            patch.setattr(rank, "SCATTER", scatter)
            for query in QUERIES:
                index.memo.clear()
                result = engine.search(base, query, 50)
                got = ([(h.fact.id, h.score) for h in result.hits], result.total, result.partial)
                if scatter:
                    found[query] = got
                else:
                    assert got == found[query], query
    assert found["gamma alpha"][1] > 1500  # more candidates than are scored


@given(st.lists(st.integers(0, 255), max_size=3000), st.floats(0.0, 1.0))
def test_a_terms_weights_are_its_impacts_times_its_quality(
    impacts: list[int], quality: float
) -> None:
    from array import array

    ids = array("I", range(len(impacts)))
    weights = list(members._weighted(ids, array("B", impacts), quality))
    assert weights == [(i, impact * (quality / members.FULL)) for i, impact in enumerate(impacts)]
