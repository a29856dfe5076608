"""Quotes made of spans (charts, table rows) and figures printed as ranges.

A chart's extraction scrambles its axis text, so a chart fact quotes its
title, unit and value as separate spans, each proven, in source order. A
printed range ("26-50%") keeps both bounds: ``value`` the lower, ``upper``
the higher, both proven to be the ones printed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer import open_factbase
from explorer.check import SourceText, check, prove_fact
from explorer.cite import STYLES, cite
from explorer.loader import FactBaseError
from explorer.model import GAP, Fact
from explorer.numbers import parse_range, ranges_in
from explorer.related.compare import compare
from tests.conftest import FACTS, make_base

SOURCE = """\
Total GHG emissions* (2012-2020)
201620152012 2013 2014
1,585,369
Unit: Ton
2,213,546
2,285,458
2017 2018 2019 2020
Our routers cut energy use by 26-50% compared with others in 2020.
Tons of paper were saved.
"""


def fact(**fields: object) -> Fact:
    base: dict[str, object] = {
        "id": "a", "kind": "table", "claim": "c", "quote": "q", "source": "report",
        "chapter": "ch4", "assurance": "assured", "as_printed": "2,285,458",
        "value": 2285458, "unit": "t",
    }  # fmt: skip
    base.update(fields)
    spans = base.get("spans", ())
    if spans:
        base["quote"] = GAP.join(spans)  # type: ignore[arg-type]
    return Fact(**base)  # type: ignore[arg-type]


def test_spans_are_proven_in_order_as_whole_words() -> None:
    text = SourceText(SOURCE)
    good = fact(spans=("Total GHG emissions* (2012-2020)", "Unit: Ton", "2,285,458"))
    assert prove_fact(good, text) == []
    backwards = fact(spans=("Unit: Ton", "Total GHG emissions* (2012-2020)", "2,285,458"))
    assert "span 2 'Total GHG emissions* (2012-2020)' not found after span 1" in " ".join(
        prove_fact(backwards, text)
    )
    # "Ton" stands in "Tons" only as part of a word: not a span of its own.
    partial = fact(spans=("Total GHG emissions* (2012-2020)", "2,285,458", "Ton"))
    assert any("span 3 'Ton' not found" in p for p in prove_fact(partial, text))


def test_spans_stand_within_one_chart() -> None:
    far = "Chart title of one chart\n" + "filler line\n" * 60 + "2,285,458\n"
    found = prove_fact(fact(spans=("Chart title of one chart", "2,285,458")), SourceText(far))
    assert found == ["quote span 2 stands 61 lines after span 1 (at most 40) (report)"]


def test_the_figure_must_stand_in_a_span() -> None:
    spans = ("Total GHG emissions* (2012-2020)", "Unit: Ton", "2,213,546")
    problems = prove_fact(fact(spans=spans), SourceText(SOURCE))
    assert "as_printed '2,285,458' is not in the quote" in problems


def test_words_are_counted_over_all_spans() -> None:
    short = fact(spans=("Unit: Ton", "2,285,458"))
    assert "quote has 3 words; a quote is 5 to 60" in prove_fact(short, None)


def test_a_quote_list_loads_as_spans_and_round_trips(tmp_path: Path) -> None:
    text = """\
source: "report"
chapter: "ch4"
facts:
  - id: "env-ghg-total-table"
    kind: "table"
    claim: "Huawei's GHG emissions were 2,285,458 tons in 2020."
    quote: ["Total GHG emissions* (2012-2020)", "Unit: Ton", "2,285,458"]
    section: "Reducing Carbon Emissions"
    as_printed: "2,285,458"
    value: 2285458
    unit: "t CO2e"
    series: {"2020": 2285458}
    assurance: "assured"
"""
    base = open_factbase(make_base(tmp_path / "f", {"report/ch4.yaml": text}))
    loaded = base.get("env-ghg-total-table")
    assert loaded is not None
    assert loaded.parts == ("Total GHG emissions* (2012-2020)", "Unit: Ton", "2,285,458")
    assert loaded.quote == "Total GHG emissions* (2012-2020) \u2026 Unit: Ton \u2026 2,285,458"
    assert loaded.to_dict()["quote"] == list(loaded.parts)


@pytest.mark.parametrize(
    ("quote", "said"),
    [
        ('["only one"]', "fits neither form"),
        ('["a", "b", "c", "d", "e"]', "fits neither form"),
        ('["a", 3]', "fits neither form"),
        ("[]", "fits neither form"),
    ],
)
def test_a_quote_of_the_wrong_shape_is_named_at_its_line(
    tmp_path: Path, quote: str, said: str
) -> None:
    text = f"""\
source: "report"
chapter: "ch4"
facts:
  - id: "a-fact"
    kind: "statement"
    claim: "A claim."
    quote: {quote}
    section: "Reducing Carbon Emissions"
    assurance: "assured"
"""
    with pytest.raises(FactBaseError) as err:
        open_factbase(make_base(tmp_path / "f", {"report/ch4.yaml": text}))
    problems = [str(p) for p in err.value.problems]
    assert any(":7:" in p and said in p for p in problems), problems


def range_fact(**fields: object) -> Fact:
    base: dict[str, object] = {
        "kind": "figure", "quote": "Our routers cut energy use by 26-50% compared with others",
        "as_printed": "26-50%", "value": 26, "upper": 50, "unit": "%", "period": "2020",
        "metric": "m", "spans": (),
    }  # fmt: skip
    base.update(fields)
    return fact(**base)


def test_a_range_keeps_both_printed_bounds() -> None:
    text = SourceText(SOURCE)
    assert prove_fact(range_fact(), text) == []
    assert prove_fact(range_fact(upper=60), text) == ["upper 60 is not the range's upper bound 50"]
    assert prove_fact(range_fact(upper=None), text) == [
        "as_printed '26-50%' is a range: give value 26 and upper 50"
    ]
    assert "upper 50 is set but as_printed '50%' is not a range" in prove_fact(
        range_fact(as_printed="50%", upper=50), text
    )


def test_one_bound_of_a_printed_range_is_not_a_figure() -> None:
    half = range_fact(as_printed="50%", value=50, upper=None, qualifier="up-to")
    assert prove_fact(half, None) == [
        "as_printed '50%' is one bound of the range '26-50%' in the quote: store the range "
        "(as_printed '26-50%', value 26, upper 50)"
    ]
    change = range_fact(
        quote="the number will rise from 605 million to 2 billion by 2050",
        as_printed="605 million", value=605_000_000, upper=None,
    )  # fmt: skip
    assert prove_fact(change, None) == []


@given(st.integers(0, 10**6), st.integers(1, 10**6), st.sampled_from(["-", "\u2013", " to "]))
def test_every_printed_range_reads_as_its_two_bounds(lo: int, step: int, dash: str) -> None:
    hi = lo + step
    assert parse_range(f"{lo:,}{dash}{hi:,}%") == (lo, hi)
    assert parse_range(f"{hi:,}{dash}{lo:,}") is None  # falling: a change, not a range
    text = f"cut by {lo:,}{dash}{hi:,} tons"
    assert [bounds for _s, _e, bounds in ranges_in(text)] == [(lo, hi)]


def test_related_facts_compare_intervals() -> None:
    from explorer.model import FactBase

    base = FactBase(facts=(), sources={}, chapters={})
    band = range_fact(id="band")
    inside = range_fact(id="inside", as_printed="30%", value=30, upper=None, quote="30%")
    outside = range_fact(id="outside", as_printed="60%", value=60, upper=None, quote="60%")
    assert compare(base, band, inside).rel == "supports"
    assert compare(base, band, outside).rel == "conflicts"


def test_the_bundled_base_stores_every_printed_range_with_both_bounds(
    sources_dir: Path,
) -> None:
    result = check(FACTS, sources_dir)
    assert not [p for p in result.problems if "range" in p.message]
    ranges = [f for f in open_factbase(FACTS).facts if f.upper is not None]
    assert len(ranges) >= 8


_SCRAMBLED = re.compile(r"(?:19|20)\d\d(?:19|20)\d\d|\d%\d")
"""Axis text a chart's extraction glues: "201620152012", "69%71%"."""


def test_no_citation_of_a_table_fact_carries_scrambled_axis_text() -> None:
    base = open_factbase(FACTS)
    tables = [f for f in base.facts if f.kind == "table"]
    assert tables
    for table in tables:
        for part in table.parts:
            numbers = re.findall(r"\d[\d,.]*%?", part)
            row = re.match(r"[A-Za-z*(]", part) is not None  # a labelled row or a title
            assert not _SCRAMBLED.search(part), (table.id, part)
            assert row or len(numbers) <= 3, (table.id, part)
        for style in STYLES:
            text = cite(base, table, style)
            assert not _SCRAMBLED.search(text.replace(table.id, "")), (table.id, style)
