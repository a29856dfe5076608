"""The results list: two lines per matching fact, matched words highlighted.

| Key | Action |
| :- | :- |
| up / down | Highlight a fact (the fact pane follows). |
| enter | Open the fact: it goes into the history and the related pane takes focus. |
| space | Mark the fact for export. |
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.content import Content

from explorer.model import Fact, FactBase
from explorer.tui.safe import fit, highlighted, literal, split_at_width
from explorer.tui.widgets.fact_list import FactList

if TYPE_CHECKING:
    from explorer.search import Hit


def figure_text(fact: Fact) -> str:
    """The figure as a reader says it: qualifier, number, unit ("" for a statement)."""
    from explorer.figures import figure_text as spoken_figure

    return spoken_figure(fact) if fact.as_printed is not None else ""


def badge(base: FactBase, fact: Fact) -> str:
    """A short chapter badge: ``Ch 4``, ``App I``, ``Front``, ``Post``."""
    chapter = base.chapters.get(fact.chapter)
    if chapter is None:
        return fact.chapter
    if chapter.number:
        return chapter.label
    return "Post" if base.sources[chapter.source_id].kind == "post" else "Front"


def result_lines(base: FactBase, hit: Hit, marked: bool, width: int) -> list[Content]:
    """Two lines: the claim with its matches, then badge, figure and period; cut at words.

    From `WRAP_FROM` cells the claim runs on into the second line, the details
    standing at its end, so a claim shows in full where it fits.
    """
    fact = hit.fact
    spans = [span for match in hit.matches if match.field == "claim" for span in match.spans]
    mark = Content.styled("● " if marked else "  ", "bold $warning")
    claim = Content.assemble(mark, highlighted(fact.claim, spans, "bold underline $text-warning"))
    details: list[Content | str] = [Content.styled(badge(base, fact), "$text-muted")]
    if fact.review == "pending":
        details.insert(0, Content.styled("draft ", "bold $warning"))
    figure = figure_text(fact)
    if figure:
        details += [Content.styled(" · ", "$text-muted"), literal(figure, "bold $accent")]
    if fact.period:
        details += [Content.styled(f" · {fact.period}", "$text-muted")]
    meta = Content.assemble(*details)
    if width < WRAP_FROM:
        return [fit(claim, width), fit(Content.assemble("  ", meta), width)]
    first, rest = split_at_width(claim, width)
    room = width - meta.cell_length - 2
    if not rest.plain.strip() or room < 12:
        return [fit(claim, width), fit(Content.assemble("  ", meta), width)]
    second = Content.assemble("  ", fit(rest, room - 2))
    gap = max(2, width - second.cell_length - meta.cell_length)
    return [first, Content.assemble(second, " " * gap, meta)]


WRAP_FROM = 60
"""Cells from which a result's claim runs on into its second line."""


class ResultsList(FactList):
    """The facts matching the query, best first, two lines each, cut to fit."""

    ROW_HEIGHT = 2

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._base: FactBase | None = None
        self._hits: list[Hit] = []
        self._marked: set[str] = set()

    def show(self, base: FactBase, hits: list[Hit], marked: set[str]) -> None:
        """Replace the list with these hits, the cursor on the first."""
        self._base, self._hits, self._marked = base, hits, marked
        self.set_rows([hit.fact.id for hit in hits])

    def row(self, index: int, width: int) -> list[Content]:
        assert self._base is not None
        hit = self._hits[index]
        return result_lines(self._base, hit, hit.fact.id in self._marked, width)

    def redraw_fact(self, fact_id: str) -> None:
        """Redraw one fact's row (after marking it)."""
        if fact_id in self.ids:
            self.redraw(self.ids.index(fact_id))
