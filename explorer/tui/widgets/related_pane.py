"""The related pane: facts a reader wants next, with why; conflicts stand out.

| Key | Action |
| :- | :- |
| up / down | Move through the related facts. |
| enter | Open the related fact (back with alt+left or `[`). |
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.content import Content

from explorer.tui.safe import fit, literal
from explorer.tui.widgets.fact_list import FactList

if TYPE_CHECKING:
    from explorer.related import Related

REL_STYLES = {
    "conflicts": "bold $text-error",
    "supports": "bold $text-success",
    "same-metric": "bold $text-accent",
}
"""Relations that stand out; the rest are muted."""


def related_lines(item: Related, width: int) -> list[Content]:
    """Relation and reason, then the other fact's claim, each line cut to ``width``."""
    style = REL_STYLES.get(item.rel, "$text-muted")
    marker = "⚠ " if item.rel == "conflicts" else ""
    why = Content.assemble(
        " ",
        Content.styled(f"{marker}{item.rel}", style),
        Content.styled(" · ", "$text-muted"),
        literal(item.reason, "italic"),
    )
    claim = Content.assemble("   ", literal(item.fact.claim))
    return [fit(why, width), fit(claim, width)]


class RelatedPane(FactList):
    """The facts related to the one shown."""

    ROW_HEIGHT = 2

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._related: list[Related] = []

    def show(self, related: list[Related]) -> None:
        """List these related facts."""
        self._related = related
        self.set_rows([r.fact.id for r in related])
        self.border_subtitle = f"{len(related)} related" if related else "none related"

    def row(self, index: int, width: int) -> list[Content]:
        return related_lines(self._related[index], width)
