"""A fact the schema accepts is a fact the loader's own type check accepts.

The loader skips `_well_typed` for the facts of a file the schema accepted
(a 100k base spends ~0.5 s in it); that holds only while the schema is at
least as strict as the check, which this test draws facts to hold it to.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.loader import _well_typed, schema_accepts
from explorer.yamlread import Bare, RawFloat, RawInt


def _raw(kind: type[Any], value: Any, raw: str) -> Any:
    number = kind(value)
    number.raw = raw
    return number


_ODD = st.sampled_from(
    [None, True, False, 0, 1, -2, 1.5, float("inf"), "", " ", "x", "2020", [], ["x"], [1], {},
     {"id": "a", "rel": "see-also"}, Bare("no", False), Bare("010", 8), Bare("2020-01-01", "d"),
     _raw(RawInt, 7, "007"), _raw(RawFloat, 1.2, "1.20")]
)  # fmt: skip
_FIELDS = {
    "section": st.sampled_from(["About", "A b"]),
    "as_printed": st.sampled_from(["1,000", "30%"]),
    "value": st.sampled_from([0, 12, 1.5, -3, _raw(RawInt, 5, "5"), _raw(RawFloat, 2.5, "2.50")]),
    "upper": st.sampled_from([50, 2.5]),
    "unit": st.sampled_from(["%", "people"]),
    "qualifier": st.sampled_from(["exact", "about"]),
    "period": st.sampled_from(["2020", "2012/2020"]),
    "metric": st.sampled_from(["ghg.total"]),
    "scope": st.sampled_from(["China"]),
    "tags": st.lists(st.sampled_from(["ghg", "energy"]), max_size=2),
    "gri": st.lists(st.sampled_from(["305-1", "102-8"]), max_size=2),
    "related": st.lists(
        st.fixed_dictionaries({"id": st.sampled_from(["a-b", "c"]), "rel": st.just("see-also")}),
        max_size=2,
    ),
    "notes": st.just("A note."),
    "page": st.just("12"),
    "series": st.dictionaries(
        st.sampled_from(["2019", "2020"]), st.sampled_from([1, 2.5]), min_size=1
    ),  # fmt: skip
    "status": st.just("achieved"),
    "actual": st.just("Done."),
    "review": st.just("pending"),
}


@st.composite
def _items(draw: st.DrawFn) -> dict[str, Any]:
    item: dict[str, Any] = {"id": "f-1", "kind": draw(st.sampled_from(["statement", "figure"])),
                            "claim": "A claim.", "quote": draw(st.sampled_from(["q", ["q", "r"]])),
                            "assurance": "assured"}  # fmt: skip
    for key in draw(st.lists(st.sampled_from(sorted(_FIELDS)), unique=True, max_size=8)):
        item[key] = draw(_FIELDS[key])
    # Then a few fields, any of them, given a value of any type: mostly what the schema refuses.
    for key in draw(st.lists(st.sampled_from(sorted(_FIELDS)), unique=True, max_size=2)):
        item[key] = draw(_ODD | _FIELDS[key])
    for key in draw(st.lists(st.sampled_from(["value", "upper", "tags", "gri", "related"]),
                             unique=True, max_size=1)):  # fmt: skip
        inner = draw(_ODD)
        item[key] = [inner] if key in ("tags", "gri", "related") else inner
    if draw(st.booleans()) and "series" in item and isinstance(item["series"], dict):
        item["series"] = {**item["series"], "2018": draw(_ODD)}
    return item


@settings(max_examples=400)
@given(_items())
def test_a_fact_the_schema_accepts_is_well_typed(item: dict[str, Any]) -> None:
    if schema_accepts({"facts": [item]}, "fact_file"):
        assert _well_typed(item)


def test_the_draws_hold_facts_of_both_verdicts() -> None:
    """The test above is not vacuous: the schema accepts some draws and refuses others."""
    accepted = {schema_accepts({"facts": [item]}, "fact_file") for item in _samples()}
    assert accepted == {True, False}


def _samples() -> list[dict[str, Any]]:
    good = {"id": "f-1", "kind": "statement", "claim": "c", "quote": "q", "assurance": "assured"}
    return [good, {**good, "value": Bare("no", False)}, {**good, "tags": [1]}]
