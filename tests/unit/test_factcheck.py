"""The hand-written fact file check says "valid" only of what the schema accepts.

`explorer.factcheck.fact_file` stands in front of fastjsonschema: its True is
taken without asking further. So every file it accepts must be one jsonschema
and fastjsonschema accept too, which a property test draws files to hold it
to: the bundled base's facts and generated ones, broken in the ways files
break. It must also accept every file of the bundled base (or it is never of
use), and it must stand for the schema as it is now: a pinned digest says so.
"""

from __future__ import annotations

import copy
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from explorer import factcheck, loader
from explorer.loader import _fast, _schema, _validator, schema_accepts
from explorer.paths import bundled_facts_dir
from explorer.walk import walk_base
from explorer.yamlread import Bare, RawFloat, RawInt, read_yaml


@cache
def bundled_files() -> tuple[tuple[str, Any], ...]:
    root = Path(bundled_facts_dir())
    files = []
    for file in walk_base(root).files:
        doc, problems = read_yaml(Path(file).read_text(encoding="utf-8"), str(file))
        assert not problems, problems
        files.append((Path(file).name, doc.data))
    return tuple(files)


@cache
def bundled_facts() -> tuple[dict[str, Any], ...]:
    return tuple(fact for _, data in bundled_files() for fact in data["facts"])


def both_accept(data: Any) -> bool:
    """The schema's verdict, as jsonschema and as fastjsonschema give it: True if both accept."""
    full = not any(True for _ in _validator("fact_file").iter_errors(data))
    try:
        _fast("fact_file")(data)
    except Exception:  # fastjsonschema's refusal
        return False
    return full


def test_the_digest_pins_the_schema_the_check_was_written_for() -> None:
    found = factcheck.digest(_schema()["$defs"])
    assert found == factcheck.DIGEST, (
        "facts/schema.json changed one of the definitions explorer/factcheck.py checks by hand "
        f"({', '.join(factcheck.MIRRORED)}): until the digest matches, the loader does not use "
        "the hand check (every file goes to fastjsonschema, ~4x slower). Review fact_file() "
        "against the schema's new definitions, make it accept nothing the schema refuses, "
        f"then set factcheck.DIGEST = {found!r}."
    )


def test_the_patterns_are_the_schemas() -> None:
    defs = _schema()["$defs"]
    fact = defs["fact"]["properties"]
    assert factcheck.PATTERNS == {
        "id": defs["id"]["pattern"],
        "fact.period": fact["period"]["pattern"],
        "fact.metric": fact["metric"]["pattern"],
        "fact.gri": fact["gri"]["items"]["pattern"],
        "fact.series": fact["series"]["propertyNames"]["pattern"],
    }
    assert defs["text"] == {"type": "string", "minLength": 1, "pattern": r"\S"}


def test_the_fields_and_their_choices_are_the_schemas() -> None:
    defs = _schema()["$defs"]
    fact = defs["fact"]
    fields = fact["properties"]
    assert factcheck._FILE_KEYS == set(defs["fact_file"]["properties"])
    assert set(factcheck._FIELDS) == set(fields)
    assert factcheck._REQUIRED == set(fact["required"])
    for key, rule in factcheck._FIELDS.items():
        if isinstance(rule, frozenset):
            assert rule == set(fields[key]["enum"]), key
        else:
            assert "enum" not in fields[key], key
    assert factcheck._RELS == set(fields["related"]["items"]["properties"]["rel"]["enum"])
    measured, table = fact["allOf"]
    assert factcheck._MEASURED == set(measured["if"]["properties"]["kind"]["enum"])
    assert factcheck._MEASURES == set(measured["then"]["required"])
    assert table["if"]["properties"]["kind"] == {"const": "table"}
    assert table["then"]["required"] == ["series"]


def test_a_texts_non_space_is_what_isspace_says() -> None:
    """The check reads ``pattern: "\\S"`` as ``not value.isspace()``: over every code point,
    re's ``\\s`` is the method's whitespace."""
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert re.findall(r"\s", every) == [c for c in every if c.isspace()]


@pytest.mark.parametrize(("name", "data"), bundled_files(), ids=lambda v: str(v)[:16])
def test_each_bundled_fact_file_is_accepted_by_hand(name: str, data: Any) -> None:
    assert factcheck.fact_file(data), name


def test_the_loader_asks_the_hand_check_while_it_is_pinned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name, data = bundled_files()[0]
    asked: list[Any] = []
    real = factcheck.fact_file
    monkeypatch.setattr(factcheck, "fact_file", lambda d: asked.append(d) or real(d))
    loader._by_hand.cache_clear()
    try:
        assert schema_accepts(data, "fact_file")
        assert asked == [data]
        monkeypatch.setattr(factcheck, "DIGEST", "0" * 64)  # as if the schema had changed
        loader._by_hand.cache_clear()
        assert loader._by_hand("fact_file") is None
        assert schema_accepts(data, "fact_file")  # fastjsonschema's verdict
        assert not schema_accepts({"facts": [{"id": "x"}]}, "fact_file")
        assert asked == [data]
    finally:
        monkeypatch.undo()
        loader._by_hand.cache_clear()
    assert loader._by_hand("fact_file") is factcheck.fact_file
    assert loader._by_hand("sources_file") is None


def test_a_refusal_by_hand_is_not_the_verdict() -> None:
    """What the hand check cannot be sure of goes to fastjsonschema: a tuple is an array there."""
    fact = {
        "id": "a",
        "kind": "statement",
        "claim": "c",
        "quote": ("q", "r"),
        "assurance": "assured",
    }
    assert not factcheck.fact_file({"facts": [fact]})
    assert schema_accepts({"facts": [fact]}, "fact_file")


def _raw(kind: type[Any], value: Any, raw: str) -> Any:
    number = kind(value)
    number.raw = raw
    return number


class _Text(str):
    pass


_ODD: dict[str, list[Any]] = {
    "none and bools": [None, True, False],
    "numbers": [
        0, 1, -2, 10**400, -(10**30), 1.5, -0.0, float("inf"), float("-inf"), float("nan"),
        _raw(RawInt, 7, "007"), _raw(RawInt, 10**20, "1" + "0" * 20), _raw(RawFloat, 1.2, "1.20"),
        _raw(RawFloat, float("inf"), "1e999"),
    ],
    "blank texts": ["", " ", "\t\n", "\u3000", "\x85", "\u200b", "\n\n"],
    "texts": [
        "x", "X", "a\n", "a-b\n", "\na", "a--b", "-a", "a-", "A-b", "a_b", "a.b", "a..b", "Ghg",
        "2020", "2020\n", "2020-13", "20201", "2012/2020", "2020-02-03", "2020/2021-01",
        "2020/2021-01-02", "2020-02-03/2021", "305-1", "305-1\n", "305-10a", "305-100", "30-1",
        "figure", "table", "target", "statement", "Figure", "assured", "pending", "see-also",
        "exact", "achieved", "a b", _Text("a"), _Text("table"),
    ],
    "bare": [
        Bare("no", False), Bare("010", 8), Bare("~", None), Bare("2020-01-01", "d"),
        Bare("1.0", "1.0"), Bare("2020", "2020"), Bare("x", "x"),
    ],
    "lists": [
        [], [""], ["x"], ["x", "y"], ["x"] * 3, ["x"] * 4, ["x"] * 5, [1], ["x", 2], ["x", None],
        [" "], ["x", " "], ["x", Bare("no", False)], [["x", "y"]], ("x", "y"), ["305-1"],
        ["305-1", "305"], ["305-1\n"], [None], [[]], [{}], [_Text("x"), "y"],
    ],
    "mappings": [
        {}, {"x": 1}, {"2020": 1}, {"2020": True}, {"2020": "1"}, {"2020": None},
        {"2020\n": 1}, {"2020/2021": 1.5}, {"2020/2021-01": 1}, {2020: 1}, {"2020": [1]},
        {"2020": 1, "x": 2}, {"2020": Bare("010", 8)}, {"id": "a", "rel": "see-also"},
        {"id": "a"}, {"a": {"b": [{"c": None}]}},
    ],
    "related": [
        [{"id": "a", "rel": "see-also"}], [{"id": "a", "rel": "see-also", "x": 1}],
        [{"id": "a", "rel": "nope"}], [{"id": "A", "rel": "see-also"}], [{"rel": "see-also"}],
        [{"id": "a\n", "rel": "see-also"}], [{"id": "a", "rel": Bare("no", False)}],
        [{"id": "a", "rel": "see-also"}, None], [{"id": ["a"], "rel": "see-also"}],
    ],
}  # fmt: skip
"""Values of every type, valid for some field and not for others, by group."""

_ODDS = [value for group in _ODD.values() for value in group]
_FIELD_NAMES = sorted(_schema()["$defs"]["fact"]["properties"])
_KEYS = st.sampled_from([*_FIELD_NAMES, "facts", "source", "chapter", "unknown", "Id", ""])

_GOOD = {
    "id": st.from_regex(r"\A[a-z0-9]{1,3}(-[a-z0-9]{1,3}){0,2}\Z"),
    "kind": st.sampled_from(["figure", "table", "target", "statement", "award", "event", "moment"]),
    "claim": st.text(min_size=1, max_size=8).filter(lambda t: not t.isspace()),
    "quote": st.sampled_from(["q", ["a", "b"], ["a", "b", "c", "d"]]),
    "source": st.just("report"),
    "chapter": st.just("ch1"),
    "section": st.just("About"),
    "as_printed": st.just("1,000"),
    "value": st.sampled_from([0, -3, 1.5, 10**30, float("inf"), _raw(RawInt, 5, "5")]),
    "upper": st.sampled_from([50, _raw(RawFloat, 2.5, "2.50")]),
    "unit": st.just("%"),
    "qualifier": st.sampled_from(["exact", "up-to"]),
    "period": st.from_regex(r"\A[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?(/[0-9]{4})?\Z"),
    "metric": st.from_regex(r"\A[a-z0-9_]{1,3}([.-][a-z0-9_]{1,3}){0,2}\Z"),
    "scope": st.just("China"),
    "tags": st.lists(st.sampled_from(["ghg", "a b"]), max_size=3),
    "gri": st.lists(st.from_regex(r"\A[0-9]{3}-[0-9]{1,2}[a-z]?\Z"), max_size=2),
    "related": st.lists(
        st.fixed_dictionaries(
            {"id": st.sampled_from(["a-b", "c"]), "rel": st.sampled_from(["supports", "part-of"])}
        ),
        max_size=2,
    ),
    "assurance": st.sampled_from(["assured", "not-covered"]),
    "notes": st.just("A note."),
    "page": st.just("12"),
    "series": st.dictionaries(
        st.from_regex(r"\A[0-9]{4}(-[0-9]{2})?(/[0-9]{4})?\Z"),
        st.sampled_from([1, 2.5, _raw(RawInt, 3, "3")]),
        min_size=1,
        max_size=3,
    ),
    "status": st.sampled_from(["achieved", "on-track"]),
    "actual": st.just("Done."),
    "review": st.just("pending"),
}


@st.composite
def _generated_fact(draw: st.DrawFn) -> dict[str, Any]:
    """A fact the schema accepts, with some of the fields it may have."""
    kind = draw(_GOOD["kind"])
    needed = ["id", "claim", "quote", "assurance"]
    if kind in ("figure", "table", "target"):
        needed += ["as_printed", "value", "unit"]
    if kind == "table":
        needed.append("series")
    more = draw(st.lists(st.sampled_from(sorted(_GOOD)), unique=True, max_size=8))
    fact: dict[str, Any] = {"kind": kind}
    for key in [*needed, *more]:
        if key not in fact:
            fact[key] = draw(_GOOD[key])
    return fact


def _junk(depth: int = 2) -> st.SearchStrategy[Any]:
    leaf = st.sampled_from(_ODDS) | st.text(max_size=4) | st.integers() | st.floats()
    if depth == 0:
        return leaf
    inner = _junk(depth - 1)
    return leaf | st.lists(inner, max_size=5) | st.dictionaries(_KEYS, inner, max_size=3)


_VALUE = st.one_of([st.sampled_from(group) for group in _ODD.values()]) | _junk()

_NOT_TEXT = [*_ODD["blank texts"], 1, True, None, Bare("no", False), Bare("~", None), ["x"]]
_NOT_ID = ["a\n", "A", "a--b", "-a", "a-", "a_b", "", 7, _raw(RawInt, 7, "007"), Bare("no", False)]
_NOT_CHOICE = ["roughly", "opinion", "", "exact\n", True, None, Bare("no", False), ["exact"]]
_NOT_NUMBER = [True, False, "1", None, Bare("010", 8), Bare("1.0", "1.0"), [1], {"2020": 1}]
_NEAR: dict[str, list[Any]] = {
    **dict.fromkeys(["id", "source", "chapter"], _NOT_ID),
    **dict.fromkeys(["claim", "section", "as_printed", "unit", "scope", "notes", "page",
                     "actual"], _NOT_TEXT),
    **dict.fromkeys(["kind", "qualifier", "assurance", "status", "review"], _NOT_CHOICE),
    **dict.fromkeys(["value", "upper"], _NOT_NUMBER),
    "quote": ["", " ", [], ["x"], ["x"] * 5, ["x", " "], ["x", 1], ("x", "y"), Bare("no", False)],
    "period": ["2020\n", "20201", "last year", "2020-1", 2020, Bare("2020", "2020")],
    "metric": ["Ghg", "a..b", "a.b\n", "a b", ".a", 1],
    "tags": [[""], [" "], [1], "x", ["x", None], [["x"]], ["x", Bare("no", False)]],
    "gri": [["305"], ["305-1\n"], ["305-100"], "305-1", [305], ["305-1", None]],
    "related": [*_ODD["related"], {"id": "a", "rel": "see-also"}, [[]]],
    "series": [{}, {"2020\n": 1}, {"2020": True}, {"2020": "1"}, {"x": 1}, {"2020": None}, [1]],
}  # fmt: skip
"""For each field, values that are nearly right for it: the mistakes worth drawing often."""


@st.composite
def _field_value(draw: st.DrawFn, fact: dict[str, Any]) -> tuple[str, Any]:
    """A field (mostly one the fact has) and a value for it (often a near miss)."""
    key = draw(st.sampled_from(sorted(fact)) if fact and draw(st.booleans()) else _KEYS)
    if key in _NEAR and draw(st.integers(0, 2)):
        return key, draw(st.sampled_from(_NEAR[key]))
    return key, draw(_VALUE)


_HOW = ["drop", "near", "set", "extra", "good", "kind", "replace"]


@st.composite
def _mutated(draw: st.DrawFn, fact: dict[str, Any]) -> Any:
    """The fact broken a few ways: fields dropped, added, given other values, or not a fact."""
    fact = copy.deepcopy(fact)
    for _ in range(draw(st.sampled_from([1, 1, 1, 1, 2, 3]))):  # mostly one: the rest is valid
        how = draw(st.sampled_from([*_HOW, "near", "near", "set"]))
        if how == "drop" and fact:
            fact.pop(draw(st.sampled_from(sorted(fact))))
        elif how == "near":  # a field given a value that is nearly right for it
            key = draw(st.sampled_from(sorted(_NEAR)))
            fact[key] = draw(st.sampled_from(_NEAR[key]))
        elif how == "set":
            key, value = draw(_field_value(fact))
            fact[key] = value
        elif how == "extra":
            fact[draw(st.sampled_from(["unknown", "Id", "", "facts", "kind "]))] = draw(_VALUE)
        elif how == "good":
            key = draw(st.sampled_from(sorted(_GOOD)))
            fact[key] = draw(_GOOD[key])
        elif how == "kind":  # the if/then rules: a kind whose fields the fact may lack
            fact["kind"] = draw(st.sampled_from(["figure", "table", "table", "target", "award"]))
        elif how == "replace":
            return draw(_VALUE)
    return fact


@st.composite
def fact_files(draw: st.DrawFn) -> Any:
    """Files of 0-3 valid facts (the bundled base's, generated ones) of which, mostly, one is
    broken (`_mutated`): a break then is the file's one fault, which the check must see."""
    facts = []
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.booleans()):
            facts.append(copy.deepcopy(draw(st.sampled_from(bundled_facts()))))
        else:
            facts.append(draw(_generated_fact()))
    how = draw(st.sampled_from(["one"] * 7 + ["none", "each"]))
    for at in range(len(facts)):
        if how == "each" and draw(st.booleans()) or how == "one" and at == 0:
            facts[at] = draw(_mutated(facts[at]))
    if facts and how == "one":
        facts.insert(draw(st.integers(0, len(facts) - 1)), facts.pop(0))
    data: dict[Any, Any] = {"facts": facts}
    for key in draw(st.lists(st.sampled_from(["source", "chapter"]), unique=True)):
        data[key] = draw(st.sampled_from(["report", "ch1", "ch1", "report", *_NOT_ID]))
    how = draw(st.sampled_from(["none"] * 12 + ["facts", "extra", "drop", "whole"]))
    if how == "facts":
        data["facts"] = draw(st.sampled_from([tuple(facts), facts[:1], {}, None, "facts"]))
    elif how == "extra":
        data[draw(_KEYS)] = draw(_VALUE)
    elif how == "drop":
        del data["facts"]
    elif how == "whole":
        return draw(_VALUE)
    return data


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fact_files())
def test_what_the_hand_check_accepts_the_schema_accepts(data: Any) -> None:
    if factcheck.fact_file(data):
        assert both_accept(data), data


def _sweep_facts() -> list[dict[str, Any]]:
    """The bundled base's fact with the most fields, of each kind; and one with every field."""
    best: dict[str, dict[str, Any]] = {}
    for fact in bundled_facts():
        if len(fact) > len(best.get(fact["kind"], {})):
            best[fact["kind"]] = fact
    every = {key: find(_GOOD[key], lambda v: bool(v) or v == 0) for key in _GOOD}
    return [*best.values(), {**every, "kind": "table"}]


def _inexact(value: Any) -> bool:
    """True when ``value`` holds what the hand check leaves to fastjsonschema: a tuple, a
    subclass of str, a key that is not text (the reader makes none of them)."""
    if isinstance(value, (tuple, _Text)):
        return True
    if isinstance(value, list):
        return any(map(_inexact, value))
    if isinstance(value, dict):
        return any(type(k) is not str for k in value) or any(map(_inexact, value.values()))
    return False


def test_each_field_set_to_each_odd_value_is_judged_as_the_schema_judges_it() -> None:
    """Every field of a valid fact, dropped or given each of the odd values in turn: what the
    hand check accepts the schema accepts, and what it refuses the schema refuses, but for
    the types it leaves to fastjsonschema (then the loader asks fastjsonschema)."""
    facts = _sweep_facts()
    assert {f["kind"] for f in facts} >= {"figure", "table", "target", "statement"}
    cases: list[Any] = []
    for fact in facts:
        for key in [*_FIELD_NAMES, "unknown", "", "facts"]:
            cases.append((None, {"facts": [{k: v for k, v in fact.items() if k != key}]}))
            cases += [(value, {"facts": [{**fact, key: value}]}) for value in _ODDS]
        for key in ["source", "chapter", "facts", "unknown"]:
            cases += [(value, {"facts": [fact], key: value}) for value in _ODDS]
        cases += [(value, {"facts": [fact, value]}) for value in _ODDS]
    accepted = 0
    for value, data in cases:
        hand = factcheck.fact_file(data)
        if hand or not _inexact(value):
            assert hand == both_accept(data), (hand, data)
        accepted += hand
    assert 0 < accepted < len(cases) / 2


def test_the_draws_hold_files_of_both_verdicts() -> None:
    """The property test above is not vacuous: the hand check accepts some draws of several
    facts, and refuses some whose facts are all mappings (a field broken)."""
    quick = settings(database=None, max_examples=2000)

    def facts(data: Any) -> list[Any]:
        found = data.get("facts") if isinstance(data, dict) else None
        return found if isinstance(found, list) else []

    many = find(
        fact_files(), lambda d: factcheck.fact_file(d) and len(facts(d)) >= 2, settings=quick
    )
    assert both_accept(many)
    broken = find(
        fact_files(),
        lambda d: (
            len(facts(d)) >= 1
            and all(isinstance(f, dict) for f in facts(d))
            and not factcheck.fact_file(d)
        ),
        settings=quick,
    )
    assert not both_accept(broken)
