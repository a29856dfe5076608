"""Drafting from any layout a PDF may give: odd geometry and odd text never raise."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.draft.build import build
from explorer.draft.extract import Block, Page, Report
from explorer.draft.tables import table_rows

_EDGES = st.sampled_from([0.0, 0.0, 0.25, 0.5, 0.5, 1.0])  # often equal: zero-height blocks
_LINE = st.one_of(
    st.sampled_from(["12.5%", "3,000", "t CO2e", "(in millions)", "2020", "Energy use", "."]),
    st.text(max_size=30),
)


@st.composite
def blocks(draw: st.DrawFn) -> Block:
    top, bottom = sorted((draw(_EDGES), draw(_EDGES)))
    return Block(
        lines=tuple(draw(st.lists(_LINE, min_size=1, max_size=4))),
        size=draw(st.sampled_from([0.0, 9.0, 24.0])), bold=draw(st.booleans()),
        top=top, bottom=bottom, left=draw(_EDGES),
    )  # fmt: skip


@settings(max_examples=200)
@given(st.lists(blocks(), max_size=12))
def test_cells_beside_any_labels_join_into_rows_without_raising(page: list[Block]) -> None:
    rows = table_rows(page)
    assert all(isinstance(b, Block) and b.lines for b in rows)


@settings(max_examples=60)
@given(
    pages=st.lists(st.lists(blocks(), max_size=8), min_size=1, max_size=3),
    outline=st.lists(st.tuples(st.integers(1, 3), st.text(max_size=20), st.integers(-1, 5)),
                     max_size=4),
)  # fmt: skip
def test_any_report_drafts_candidates_proven_on_their_page(
    pages: list[list[Block]], outline: list[tuple[int, str, int]]
) -> None:
    report = Report(
        title="T", outline=outline,
        pages=[Page(n, str(n), table_rows(b)) for n, b in enumerate(pages, start=1)],
    )  # fmt: skip
    drafted = build(report, "r")
    assert all(0 <= chapter < max(1, len(drafted.chapters)) for chapter, _ in drafted.facts)
