"""The fact pane: claim, the figure large, the verbatim quote, where it stands."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Digits, Static

from explorer.model import Fact, FactBase
from explorer.tui.safe import find_spans, highlighted, literal
from explorer.tui.widgets.chart import Chart
from explorer.tui.widgets.results import figure_text

ASSURANCE_BADGES = {
    "assured": ("ASSURED", "bold $text-success"),
    "excluded-positional": ("NOT ASSURED: positional statement", "bold $text-warning"),
    "excluded-financial": ("NOT ASSURED: Annual Report financial data", "bold $text-warning"),
    "not-covered": ("NOT COVERED by the assurance statement", "bold $text-warning"),
}
"""How each assurance value is shown."""

DRAFT_BADGE = "DRAFT: awaiting review (fact-explorer review)"
"""Shown on a drafted candidate no reviewer has accepted yet."""

_DIGITS = re.compile(r"[0-9][0-9.,]*%?")


class FactPane(VerticalScroll, can_focus=True):
    """Everything about one fact; scrolls when it does not fit."""

    def compose(self) -> ComposeResult:
        yield Static(id="fact-claim")
        yield Digits(id="fact-digits")
        yield Static(id="fact-figure")
        yield Static(id="fact-quote")
        yield Static(id="fact-place")
        yield Static(id="fact-meta")
        yield Chart(id="fact-chart")

    def show(
        self,
        base: FactBase,
        fact: Fact | None,
        terms: list[str],
        empty: str = "No fact to show. Type to search; / focuses the search bar.",
    ) -> None:
        """Show ``fact`` (or ``empty``), highlighting the query ``terms`` in its quote."""
        claim = self.query_one("#fact-claim", Static)
        digits = self.query_one("#fact-digits", Digits)
        figure = self.query_one("#fact-figure", Static)
        if fact is None:
            claim.update(Content(empty))
            for widget in self.query(Static).exclude("#fact-claim"):
                widget.update("")
            digits.set_class(True, "-none")
            self.query_one(Chart).display = False
            return
        claim.update(literal(fact.claim, "bold"))
        number = _DIGITS.fullmatch(fact.as_printed or "")
        digits.set_class(number is None, "-none")  # CSS hides it too where there is no room
        if number is not None:
            digits.update(number.group())
        figure.update(self.figure_line(fact))
        self.query_one("#fact-quote", Static).update(self.quote(fact, terms))
        self.query_one("#fact-place", Static).update(self.place(base, fact))
        self.query_one("#fact-meta", Static).update(self.meta(fact))
        self.plot(base, fact)
        self.scroll_home(animate=False)

    def figure_line(self, fact: Fact) -> Content:
        """Qualifier, figure, unit and period, under the big digits."""
        if fact.as_printed is None:
            return Content.styled(fact.kind.upper(), "bold $text-muted")
        period = f"  ({fact.period})" if fact.period else ""
        status = f"  goal {fact.status.replace('-', ' ')}" if fact.status else ""
        actual = f"  {fact.actual}" if fact.actual else ""
        return Content.assemble(
            literal(figure_text(fact), "bold $accent"), literal(period + status + actual)
        )

    def quote(self, fact: Fact, terms: list[str]) -> Content:
        """The quote, in quotation marks, with the figure and the query terms marked."""
        text = " ".join(fact.quote.split())
        spans = find_spans(text, terms)
        figure = find_spans(text, [fact.as_printed] if fact.as_printed else [])
        quote = highlighted(text, spans, "bold underline $text-warning")
        for start, end in figure:
            quote = quote.stylize("bold reverse $accent", start, end)
        return Content.assemble("\u201c", quote, "\u201d")

    def place(self, base: FactBase, fact: Fact) -> Content:
        """Source, chapter, section and page."""
        source = base.sources.get(fact.source)
        chapter = base.chapters.get(fact.chapter)
        lines = [
            ("Source", f"{source.title}, {source.author} ({source.published})" if source else ""),
            ("Chapter", chapter.title if chapter else fact.chapter),
            ("Section", fact.section),
            ("Page", fact.page or ""),
        ]
        badge, style = ASSURANCE_BADGES.get(fact.assurance, (fact.assurance, "bold"))
        body = [
            Content.assemble(Content.styled(f"{name:<8}", "$text-muted"), literal(value))
            for name, value in lines
            if value
        ]
        badges = [Content.styled(badge, style)]
        if fact.review == "pending":
            badges.append(Content.styled(DRAFT_BADGE, "bold reverse $warning"))
        return Content("\n").join([*body, *badges])

    def meta(self, fact: Fact) -> Content:
        """Metric, scope, GRI codes, tags, notes and the id."""
        rows = [
            ("Metric", fact.metric or ""),
            ("Scope", fact.scope or ""),
            ("GRI", ", ".join(fact.gri)),
            ("Tags", ", ".join(fact.tags)),
            ("Notes", fact.notes or ""),
            ("Id", fact.id),
        ]
        return Content("\n").join(
            Content.assemble(Content.styled(f"{name:<8}", "$text-muted"), literal(value))
            for name, value in rows
            if value
        )

    def plot(self, base: FactBase, fact: Fact) -> None:
        """Chart the fact's metric over time when there are two points or more."""
        chart = self.query_one(Chart)
        series = base.series(fact.metric) if fact.metric else None
        if series is None:
            chart.display = False
            return
        points = [(period, value) for period, value, _id in series.points]
        chart.plot(fact.metric or "", series.unit, points, fact.period)
