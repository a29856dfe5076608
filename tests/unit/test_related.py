"""Related facts: curated links, agreement and conflict by the figures, series."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from explorer.loader import open_factbase
from explorer.model import Fact, FactBase
from explorer.related import RELATIONS, conflicts, related, series
from explorer.related.graph import index
from explorer.related.measure import interval, match_period, match_scope, parse_unit, period_key
from tests.conftest import FACTS, REPO, make_base

SYMMETRIC = {"conflicts", "supports", "same-metric", "target-of", "see-also", "part-of"}


def figure(fact_id: str, value: float, **fields: Any) -> dict[str, Any]:
    """A figure of employees.total in 2020 unless ``fields`` say otherwise."""
    out: dict[str, Any] = {
        "id": fact_id,
        "kind": "figure",
        "claim": f"Statement {fact_id}.",
        "quote": "a quote of five words",
        "section": "Reducing Carbon Emissions",
        "as_printed": f"{value:,}",
        "value": value,
        "unit": "people",
        "qualifier": "exact",
        "period": "2020",
        "metric": "employees.total",
        "assurance": "assured",
    }
    out.update(fields)
    return {k: v for k, v in out.items() if v is not None}


def build(
    root: Path, report: list[dict[str, Any]], post: Sequence[dict[str, Any]] = ()
) -> FactBase:
    """A base with ``report`` facts in ch4 and ``post`` facts in the moments post."""

    def text(source: str, chapter: str, facts: list[dict[str, Any]]) -> str:
        lines = [f'source: "{source}"', f'chapter: "{chapter}"', "facts:"]
        return "\n".join(lines + [f"  - {json.dumps(f)}" for f in facts]) + "\n"

    moments = [{**f, "section": "20 Moments of 2020", "assurance": "not-covered"} for f in post]
    files = {"report/ch4.yaml": text("report", "ch4", report)}
    if moments:
        files["moments/moments.yaml"] = text("moments", "moments", moments)
    return open_factbase(make_base(root / "facts", files))


def rel_of(base: FactBase, fact_id: str, other_id: str, limit: int = 50) -> tuple[str, str]:
    found = [(r.rel, r.reason) for r in related(base, fact_id, limit) if r.fact.id == other_id]
    assert found, f"{other_id} is not related to {fact_id}"
    return found[0]


@pytest.fixture(scope="module")
def real() -> FactBase:
    return open_factbase(FACTS)


def headcount(base: FactBase) -> tuple[Fact, Fact]:
    report = [f for f in base if f.id.startswith("profile-employees-total")]
    post = [f for f in base if f.id.startswith("moment-13") and f.metric == "employees.total"]
    assert report and post
    return report[0], post[0]


# --- the bundled base -------------------------------------------------------


def test_headcount_facts_show_each_other_as_conflicts(real: FactBase) -> None:
    report, post = headcount(real)
    assert rel_of(real, report.id, post.id, limit=10) == (
        "conflicts",
        "the report says about 197,000; the post says 190,000",
    )
    assert rel_of(real, post.id, report.id, limit=10) == (
        "conflicts",
        "the post says 190,000; the report says about 197,000",
    )


def test_bundled_conflicts_include_the_headcount_pair(real: FactBase) -> None:
    report, post = headcount(real)
    pairs = {(a.id, b.id): reason for a, b, reason in conflicts(real)}
    assert pairs[report.id, post.id] == "the report says about 197,000; the post says 190,000"


def test_no_fact_is_related_to_itself_and_each_appears_once(real: FactBase) -> None:
    for fact in real:
        ids = [r.fact.id for r in real.related(fact.id)]
        assert fact.id not in ids and len(ids) == len(set(ids)) and len(ids) <= 10
        assert all(r.rel in RELATIONS and r.reason for r in real.related(fact.id))


def test_relations_that_are_symmetric_hold_both_ways(real: FactBase) -> None:
    for fact in real:
        for item in related(real, fact.id, limit=40):
            if item.rel in SYMMETRIC:
                assert rel_of(real, item.fact.id, fact.id, limit=40)[0] == item.rel


def test_every_conflict_listed_is_shown_as_related(real: FactBase) -> None:
    for a, b, _ in conflicts(real):
        assert rel_of(real, a.id, b.id)[0] == "conflicts"
        assert rel_of(real, b.id, a.id)[0] == "conflicts"


# --- agreement and conflict, qualifier by qualifier --------------------------

# (value, qualifier), (value, qualifier), do they agree?
AGREEMENT = [
    ((197000, "about"), (190000, "more-than"), True),
    ((197000, "exact"), (190000, "exact"), False),
    ((197000, "about"), (190000, "exact"), False),
    ((197000, "about"), (196000, "exact"), True),
    ((190000, "more-than"), (190000, "exact"), True),  # bounds are closed: figures are rounded
    ((190000, "more-than"), (180000, "exact"), False),
    ((10000000, "about"), (9500000, "exact"), True),  # a round "about" is loose
    ((50, "nearly"), (48, "exact"), True),
    ((50, "nearly"), (51, "exact"), False),
    ((1.5, "up-to"), (0.79, "exact"), True),
    ((1.5, "up-to"), (2, "exact"), False),
    ((26, "at-least"), (50, "up-to"), True),
    ((100, "less-than"), (120, "more-than"), False),
    ((33.2, "exact"), (33.2, "about"), True),
]


@pytest.mark.parametrize(("a", "b", "agree"), AGREEMENT)
def test_printed_figures_agree_by_their_qualifiers(
    a: tuple[float, str], b: tuple[float, str], agree: bool
) -> None:
    assert interval(*a).meets(interval(*b)) is agree
    assert interval(*b).meets(interval(*a)) is agree


def test_a_conflict_nobody_linked_is_found(tmp_path: Path) -> None:
    base = build(tmp_path, [figure("a", 197000, qualifier="about")], [figure("m", 190000)])
    assert [(a.id, b.id, r) for a, b, r in conflicts(base)] == [
        ("a", "m", "the report says about 197,000; the post says 190,000")
    ]
    assert rel_of(base, "m", "a") == (
        "conflicts",
        "the post says 190,000; the report says about 197,000",
    )


def test_agreeing_figures_support_each_other(tmp_path: Path) -> None:
    base = build(
        tmp_path,
        [figure("a", 197000, qualifier="about"), figure("b", 190000, qualifier="more-than")],
    )
    assert rel_of(base, "a", "b") == (
        "supports",
        "one passage says about 197,000; another says more than 190,000",
    )
    assert conflicts(base) == []


def test_a_year_end_date_is_the_year(tmp_path: Path) -> None:
    base = build(tmp_path, [figure("a", 197000, period="2020-12-31"), figure("b", 190000)])
    assert rel_of(base, "a", "b")[0] == "conflicts"


def test_other_periods_are_the_same_metric_in_period_order(tmp_path: Path) -> None:
    facts = [
        figure("y2020", 197000),
        figure("y2018", 180000, period="2018"),
        figure("y2019", 188000, period="2019"),
        figure("none", 1, period=None),
    ]
    base = build(tmp_path, facts)
    got = [(r.fact.id, r.rel, r.reason) for r in related(base, "y2020") if r.rel == "same-metric"]
    assert got == [
        ("y2018", "same-metric", "same metric, 2018"),
        ("y2019", "same-metric", "same metric, 2019"),
        ("none", "same-metric", "same metric, no period"),
    ]


def test_scopes_worded_alike_can_conflict_but_excluded_ones_cannot(tmp_path: Path) -> None:
    facts = [
        figure("world", 197000, scope="Huawei worldwide"),
        figure("w", 190000, scope="worldwide"),
        figure("cn", 3467, scope="China"),
        figure("os", 134, scope="overseas (outside China)"),
    ]
    base = build(tmp_path, facts)
    assert rel_of(base, "world", "w")[0] == "conflicts"
    assert rel_of(base, "cn", "os") == (
        "same-metric",
        "same metric, 2020, other scope: overseas (outside China)",
    )
    assert match_scope("China", "Huawei's electricity use in China") == "unclear"


def test_units_convert_and_mismatched_units_never_conflict(tmp_path: Path) -> None:
    facts = [
        figure("kwh", 1550000000, unit="kWh", metric="energy.clean"),
        figure("mkwh", 1550, unit="million kWh", metric="energy.clean"),
        figure("per", 7, unit="football pitches per year", metric="energy.clean"),
    ]
    base = build(tmp_path, facts)
    assert rel_of(base, "kwh", "mkwh")[0] == "supports"
    assert rel_of(base, "kwh", "per") == (
        "same-metric",
        "same metric, 2020, in football pitches per year",
    )
    assert parse_unit("t CO2e per million RMB revenue").factor == 1.0
    assert parse_unit("CNY billion").factor == 1e9 and parse_unit("count").fits(parse_unit("trees"))


def test_a_table_is_read_point_by_point(tmp_path: Path) -> None:
    table = figure(
        "t",
        14,
        kind="table",
        unit="million t",
        metric="water.total",
        series={"2019": 12.94, "2020": 14},
        period="2016/2020",
    )
    facts = [
        table,
        figure("w20", 14000000, unit="t", metric="water.total"),
        figure("w19", 13000000, unit="t", metric="water.total", period="2019"),
    ]
    base = build(tmp_path, facts)
    assert rel_of(base, "t", "w20") == (
        "supports",
        "for 2020, the table says 14 million t; the figure says 14,000,000 t",
    )
    assert rel_of(base, "t", "w19") == (
        "conflicts",
        "for 2019, the table says 12.94 million t; the figure says 13,000,000 t",
    )


def test_a_target_and_its_result_are_target_of(tmp_path: Path) -> None:
    goal = figure(
        "goal", 60, kind="target", unit="count", metric="suppliers.targets", status="achieved"
    )
    base = build(tmp_path, [goal, figure("actual", 93, unit="count", metric="suppliers.targets")])
    assert rel_of(base, "actual", "goal") == ("target-of", "its target: 60 (2020), achieved")
    assert rel_of(base, "goal", "actual") == ("target-of", "a result for this target: 93 (2020)")
    assert conflicts(base) == []


def test_overlapping_periods_may_agree_but_never_conflict(tmp_path: Path) -> None:
    facts = [figure("span", 300000, period="2019/2020"), figure("year", 300000),
             figure("low", 1000, period="2019/2020")]  # fmt: skip
    base = build(tmp_path, facts)
    assert rel_of(base, "span", "year") == (
        "supports", "one passage says 300,000 (2019/2020); another says 300,000 (2020)"
    )  # fmt: skip
    assert rel_of(base, "year", "low") == ("same-metric", "same metric, 2019/2020")


def test_period_matching() -> None:
    assert match_period("2020", "2020-12-31") == "same"
    assert match_period("2012/2020", "2020") == "overlap"
    assert match_period("2019", "2020") == "other"
    assert match_period(None, "2020") == "unknown"


# --- curated links --------------------------------------------------------------


def test_a_link_written_on_the_other_fact_counts(tmp_path: Path) -> None:
    facts = [
        figure("part", 5, metric="a.part", related=[{"id": "whole", "rel": "part-of"}]),
        figure("whole", 9, metric="a.whole", section="Promoting Renewable Energy"),
    ]
    base = build(tmp_path, facts)
    assert related(base, "whole")[0].fact.id == "part"
    assert rel_of(base, "whole", "part") == ("part-of", "part of this fact")
    assert rel_of(base, "part", "whole") == ("part-of", "this fact is part of it")


def test_curated_links_come_first_and_a_see_also_takes_the_figures_relation(tmp_path: Path) -> None:
    facts = [
        figure("a", 197000, related=[{"id": "c", "rel": "see-also"}]),
        figure("b", 197000),
        figure("c", 150000, metric="other.metric", tags=["x"]),
    ]
    post = [figure("m", 190000, related=[{"id": "a", "rel": "see-also"}])]
    base = build(tmp_path, facts, post)
    assert [(r.fact.id, r.rel) for r in related(base, "a")][:3] == [
        ("m", "conflicts"),
        ("c", "see-also"),
        ("b", "supports"),
    ]


def test_a_curated_conflict_is_listed_even_when_the_figures_agree(tmp_path: Path) -> None:
    base = build(
        tmp_path, [figure("a", 4500, related=[{"id": "b", "rel": "conflicts"}]), figure("b", 4500)]
    )
    assert [(a.id, b.id, r) for a, b, r in conflicts(base)] == [
        ("a", "b", "marked as conflicting by the curators; both say 4,500")
    ]


# --- the weaker relations ----------------------------------------------------


def test_section_neighbours_tags_and_wording_fill_in(tmp_path: Path) -> None:
    facts = [
        figure("f1", 1, metric="m.one", claim="Solar panels cover the Dongguan campus roofs."),
        figure("f2", 2, metric="m.two"),
        figure(
            "f3",
            3,
            metric="m.three",
            section="Promoting Renewable Energy",
            tags=["solar"],
            gri=["302-1"],
        ),
        figure(
            "f4",
            4,
            metric="m.four",
            section="Promoting Renewable Energy",
            claim="Solar panels cover the Dongguan campus roofs and car parks.",
        ),
        figure(
            "f5",
            5,
            metric="m.five",
            section="Promoting Renewable Energy",
            tags=["solar"],
            gri=["302-1"],
        ),
    ]
    base = build(tmp_path, facts)
    assert rel_of(base, "f1", "f2") == ("same-section", "Reducing Carbon Emissions")
    assert rel_of(base, "f3", "f5")[0] == "same-section"
    assert rel_of(base, "f1", "f4")[0] == "similar"
    far = build(tmp_path / "far", facts + [figure(f"x{i}", i, metric=f"x.m{i}") for i in range(6)])
    assert rel_of(far, "f3", "f5")[0] == "same-section"


def test_shared_tags_and_gri_are_a_topic(tmp_path: Path) -> None:
    facts = [
        figure("a", 1, metric="m.a", tags=["solar", "energy"], gri=["302-1"]),
        figure(
            "b",
            2,
            metric="m.b",
            section="Promoting Renewable Energy",
            tags=["solar", "energy"],
            gri=["302-1"],
        ),
    ]
    base = build(tmp_path, facts)
    assert rel_of(base, "a", "b") == ("shared-topic", "tags solar, energy; GRI 302-1")


def test_limits_and_unknown_ids(tmp_path: Path) -> None:
    base = build(tmp_path, [figure("a", 1), figure("b", 2), figure("c", 3)])
    assert related(base, "a", limit=0) == [] and len(related(base, "a", limit=1)) == 1
    with pytest.raises(KeyError):
        related(base, "nope")
    assert index(base) is index(base)  # built once per base


# --- series ----------------------------------------------------------------------


def test_series_merges_tables_and_figures_in_period_order(tmp_path: Path) -> None:
    table = figure(
        "t",
        3467.14,
        kind="table",
        unit="million kWh",
        metric="energy.electricity",
        scope="China",
        period="2018/2020",
        series={"2020": 3467.14, "2018": 2355.04, "2019": 3020.93},
    )
    facts = [
        table,
        figure("f21", 3600000000, unit="kWh", metric="energy.electricity", period="2021-12-31"),
        figure("f17", 2070.95, unit="million kWh", metric="energy.electricity", period="2017"),
        figure(
            "os",
            134.56,
            unit="million kWh",
            metric="energy.electricity",
            scope="overseas (outside China)",
        ),
        figure("odd", 9, unit="hours", metric="energy.electricity", period="2016"),
    ]
    chart = series(build(tmp_path, facts), "energy.electricity")
    assert chart is not None and chart.unit == "million kWh" and chart.scope == "China"
    assert chart.points == (
        ("2017", 2070.95, "f17"),
        ("2018", 2355.04, "t"),
        ("2019", 3020.93, "t"),
        ("2020", 3467.14, "t"),
        ("2021", 3600.0, "f21"),
    )
    assert any(n.startswith("os left out: scope") for n in chart.notes)
    assert any(n.startswith("odd left out: in hours") for n in chart.notes)


def test_series_keeps_one_point_per_period_and_says_which(tmp_path: Path) -> None:
    base = build(tmp_path, [figure("a", 197000, qualifier="about")], [figure("m", 190000)])
    chart = base.series("employees.total")
    assert chart is not None and chart.points == (("2020", 197000.0, "a"),)
    assert chart.notes == ("2020: 190,000 (m) left out for 197,000 (a)",)
    assert base.series("no.such.metric") is None


def test_bundled_series_are_ordered(real: FactBase) -> None:
    for metric in {f.metric for f in real if f.metric}:
        chart = real.series(metric)
        if chart is not None:
            periods = [p for p, _, _ in chart.points]
            assert len(periods) == len(set(periods)) and all(
                real.get(i) for _, _, i in chart.points
            )
            assert periods == sorted(periods, key=period_key)


def test_periods_sort_by_their_end_then_start() -> None:
    periods = ["2021", "2020", "2012/2020", "2020-01-25", "2019", "2020-02"]
    assert sorted(periods, key=period_key) == [
        "2019",
        "2020-01-25",
        "2020-02",
        "2012/2020",
        "2020",
        "2021",
    ]


# --- the command line and hygiene --------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
    )


def test_show_lists_the_other_sources_headcount(real: FactBase) -> None:
    report, post = headcount(real)
    out = run("show", report.id)
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if post.id in x)
    assert "conflicts" in line and "the report says about 197,000; the post says 190,000" in line
    data = json.loads(run("show", post.id, "--json").stdout)
    assert {
        "id": report.id,
        "rel": "conflicts",
        "reason": "the post says 190,000; the report says about 197,000",
    } in data["related"]


def test_conflicts_command_shows_both_quotes_and_sources(real: FactBase) -> None:
    report, post = headcount(real)
    out = run("conflicts")
    assert out.returncode == 0 and f"{report.id}  <>  {post.id}" in out.stdout
    assert "190,000 employees" in out.stdout and "20 Moments of 2020" in out.stdout
    data = json.loads(run("conflicts", "--json").stdout)
    assert data["total"] == len(conflicts(real)) >= 1
    first = data["conflicts"][0]["facts"]
    assert {"id", "quote", "source", "source_title", "section"} <= first[0].keys()


def test_conflicts_command_exits_0_when_there_are_none(tiny_base: Path) -> None:
    out = run("conflicts", "--facts", str(tiny_base))
    assert (out.returncode, out.stdout) == (0, "conflicts: none found\n")
    data = json.loads(run("conflicts", "--json", "--facts", str(tiny_base)).stdout)
    assert data == {"total": 0, "conflicts": []}


def test_related_does_not_import_textual() -> None:
    code = "import sys, explorer.related; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
