"""The related pane: facts a reader wants next, with why; conflicts stand out.

| Key | Action |
| :- | :- |
| up / down | Move through the related facts. |
| enter | Open the related fact (back with alt+left or `[`). |
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from explorer.related import Related
from explorer.tui.safe import literal

REL_STYLES = {
    "conflicts": "bold $text-error",
    "supports": "bold $text-success",
    "same-metric": "bold $text-accent",
}
"""Relations that stand out; the rest are muted."""


def related_line(item: Related) -> Content:
    """Relation, reason and the other fact's claim."""
    style = REL_STYLES.get(item.rel, "$text-muted")
    marker = "⚠ " if item.rel == "conflicts" else ""
    return Content.assemble(
        Content.styled(f"{marker}{item.rel}", style),
        Content.styled(" · ", "$text-muted"),
        literal(item.reason, "italic"),
        "\n  ",
        literal(item.fact.claim),
    )


class RelatedPane(OptionList):
    """The facts related to the one shown."""

    def show(self, related: list[Related]) -> None:
        """List these related facts."""
        self.clear_options()
        self.add_options([Option(related_line(r), id=r.fact.id) for r in related])
        if related:
            self.highlighted = 0
        self.border_subtitle = f"{len(related)} related" if related else "none related"
