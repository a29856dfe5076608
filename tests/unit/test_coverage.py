"""The curated base covers its sources: figures, moments, goals, tables, GRI, acronyms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from explorer import open_factbase
from explorer.coverage import figures_in, missing_figures
from explorer.model import Fact, FactBase
from tests.conftest import FACTS

REPORT = "huawei-2020-sustainability-report.txt"
MOMENTS = "huawei-20-moments-of-2020.txt"
BODY_END = 6719  # the front matter to the end of Appendix I (FACTBASE.md)


@pytest.fixture(scope="module")
def base() -> FactBase:
    return open_factbase(FACTS)


@pytest.fixture(scope="module")
def report_lines(sources_dir: Path) -> list[str]:
    return (sources_dir / REPORT).read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def sources_dir() -> Path:
    from tests.conftest import SOURCES

    if not SOURCES.is_dir():
        pytest.skip(f"source texts not found at {SOURCES}")
    return SOURCES


def test_figures_are_read_as_a_reader_cites_them() -> None:
    text = "We have approximately 197,000 employees in 2020 on 5G, cut 33.2% (ISO 14001)\n12\n"
    assert figures_in(text) == {"197,000", "33.2"}


def test_at_least_97_percent_of_report_figures_stand_in_a_quote(
    base: FactBase, report_lines: list[str]
) -> None:
    body = "\n".join(report_lines[:BODY_END])
    folded = " ".join(body.split())
    quotes = [cited(f, folded) for f in base.facts if f.source == "report"]
    missing = missing_figures(body, quotes)
    total = len(figures_in(body))
    covered = 1 - len(missing) / total
    print(f"\nfigure coverage: {total - len(missing)} of {total} ({covered:.1%})")
    assert covered >= 0.97, f"{len(missing)} figures in no quote: {', '.join(missing)}"


def cited(fact: Fact, folded: str) -> str:
    """The stretch of the source a fact cites: its quote, or from its first span to its last.

    A chart fact quotes its title, unit and pinned values as spans; the values
    between them, whose years the extraction loses, stand in the chart it cites
    (its notes list them) though no fact may state them as a year's value.
    """
    if not fact.spans:
        return fact.quote
    start = at = folded.find(" ".join(fact.spans[0].split()))
    for span in fact.spans:
        at = folded.find(" ".join(span.split()), at) + len(" ".join(span.split()))
    return folded[start:at] if start >= 0 else fact.quote


def test_the_base_holds_at_least_450_facts(base: FactBase) -> None:
    assert len(base.facts) >= 450


def test_every_moment_is_a_fact(base: FactBase, sources_dir: Path) -> None:
    text = (sources_dir / MOMENTS).read_text(encoding="utf-8")
    titles = re.findall(r"^(\d{1,2})\. (.+)$", text, re.MULTILINE)
    assert len(titles) == 20
    moments = [f for f in base.facts if f.kind == "moment"]
    for number, title in titles:
        assert any(title.strip() in f.quote for f in moments), f"moment {number} {title!r}"


def test_every_goal_is_a_target_with_its_status(base: FactBase) -> None:
    goals = [f for f in base.facts if f.chapter == "app1" and f.kind == "target"]
    assert len(goals) == 23
    assert all(g.status in ("achieved", "on-track", "not-achieved") for g in goals)


def test_chapter_4_tables_have_series(base: FactBase) -> None:
    tables = [f for f in base.facts if f.chapter == "ch4" and f.kind == "table"]
    metrics = {t.metric for t in tables}
    for wanted in ("ghg.total", "ghg.intensity", "water.total", "energy.electricity"):
        assert any(m and m.startswith(wanted) for m in metrics), wanted
    assert all(t.series for t in tables)


def test_every_gri_disclosure_is_in_the_index(base: FactBase, report_lines: list[str]) -> None:
    appendix = "\n".join(report_lines[6719:7216])
    codes = set(re.findall(r"^(\d{3}-\d{1,2})\s", appendix, re.MULTILINE))
    assert codes <= {d.code for d in base.gri}
    assert len(base.gri) >= 140


def test_every_acronym_is_in_the_glossary(base: FactBase, report_lines: list[str]) -> None:
    appendix = [line for line in report_lines[7218:7403] if line.strip()]
    terms = {t.acronym for t in base.glossary}
    assert len(terms) >= 85
    for line in appendix:
        first = line.split()[0]
        if first.isupper() and first not in ("Acronym/Abbreviation", "Appendix"):
            assert any(line.startswith(t) for t in terms), line


def test_every_chapter_has_a_summary(base: FactBase) -> None:
    for chapter in base.chapters.values():
        assert chapter.summary != "Pending curation." and len(chapter.summary) > 80, chapter.id


def test_headcount_conflict_is_linked_both_ways(base: FactBase) -> None:
    report = [f for f in base.facts if f.metric == "employees.total" and f.source == "report"]
    post = [f for f in base.facts if f.metric == "employees.total" and f.source == "moments"]
    assert report and post
    linked = {(f.id, link.id) for f in base.facts for link in f.related if link.rel == "conflicts"}
    pairs = [(r.id, p.id) for r in report for p in post if r.value != p.value]
    assert any((a, b) in linked and (b, a) in linked for a, b in pairs)
