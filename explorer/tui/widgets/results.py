"""The results list: one line per matching fact, matched words highlighted.

| Key | Action |
| :- | :- |
| up / down | Highlight a fact (the fact pane follows). |
| enter | Open the fact: it goes into the history and the related pane takes focus. |
| space | Mark the fact for export. |
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from explorer.model import Fact, FactBase
from explorer.related.compare import figure_text as spoken_figure
from explorer.search import Hit
from explorer.tui.safe import highlighted, literal


def figure_text(fact: Fact) -> str:
    """The figure as a reader says it: qualifier, number, unit ("" for a statement)."""
    return spoken_figure(fact) if fact.as_printed is not None else ""


def badge(base: FactBase, fact: Fact) -> str:
    """A short chapter badge: ``Ch 4``, ``App I``, ``Front``, ``Post``."""
    chapter = base.chapters.get(fact.chapter)
    if chapter is None:
        return fact.chapter
    if chapter.number:
        return chapter.label
    return "Post" if base.sources[chapter.source_id].kind == "post" else "Front"


def result_line(base: FactBase, hit: Hit, marked: bool, width: int) -> Content:
    """Two lines: the claim with its matches, cut to fit; then badge, figure and period."""
    fact = hit.fact
    spans = [span for match in hit.matches if match.field == "claim" for span in match.spans]
    mark = Content.styled("● " if marked else "  ", "bold $warning")
    claim = highlighted(fact.claim, spans, "bold underline $text-warning")
    first = Content.assemble(mark, claim).truncate(width, ellipsis=True)
    details: list[Content | str] = ["  ", Content.styled(badge(base, fact), "$text-muted")]
    figure = figure_text(fact)
    if figure:
        details += [Content.styled(" · ", "$text-muted"), literal(figure, "bold $accent")]
    if fact.period:
        details += [Content.styled(f" · {fact.period}", "$text-muted")]
    second = Content.assemble(*details).truncate(width, ellipsis=True)
    return Content("\n").join([first, second])


class ResultsList(OptionList):
    """The facts matching the query, best first, one line each, cut to fit."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._base: FactBase | None = None
        self._hits: list[Hit] = []
        self._marked: set[str] = set()

    def show(self, base: FactBase, hits: list[Hit], marked: set[str]) -> None:
        """Replace the list with these hits, keeping the highlight at the top."""
        self._base, self._hits, self._marked = base, hits, marked
        self.clear_options()
        self.add_options([Option(self.line(hit), id=hit.fact.id) for hit in hits])
        if hits:
            self.highlighted = 0

    def line(self, hit: Hit) -> Content:
        """One hit's line, cut to the list's width."""
        assert self._base is not None
        # Leave room for the scrollbar, which appears once the list overflows.
        width = max(10, (self.scrollable_content_region.width or self.size.width or 80) - 3)
        return result_line(self._base, hit, hit.fact.id in self._marked, width)

    def redraw_fact(self, base: FactBase, hit: Hit, marked: bool) -> None:
        """Redraw one fact's line (after marking it)."""
        index = self.get_option_index(hit.fact.id)
        self.replace_option_prompt_at_index(index, self.line(hit))

    def on_resize(self) -> None:
        if self._hits:
            for index, hit in enumerate(self._hits):
                self.replace_option_prompt_at_index(index, self.line(hit))
