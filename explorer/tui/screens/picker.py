"""The citation style picker: a list of styles with a live preview.

| Key | Action |
| :- | :- |
| up / down | Choose a style; the preview follows. |
| enter | Copy the citation in that style. |
| escape | Close without copying. |
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from explorer.cite import STYLES, cite
from explorer.model import Fact, FactBase
from explorer.tui.safe import literal
from explorer.tui.screens import bound


class StylePicker(ModalScreen[str | None]):
    """Returns the chosen style's name, or None."""

    BINDINGS = [
        bound("close-picker", "dismiss(None)", "Close",
              tooltip="Close the style picker without copying"),
    ]  # fmt: skip

    def __init__(self, base: FactBase, fact: Fact, current: str) -> None:
        super().__init__()
        self.base = base
        self.fact = fact
        self.current = current

    def compose(self) -> ComposeResult:
        with Horizontal(id="picker-box"):
            yield OptionList(
                *[Option(literal(label), id=name) for name, label in STYLES.items()],
                id="styles",
            )
            with VerticalScroll(id="preview-box"):
                yield Static(id="preview")

    def on_mount(self) -> None:
        self.query_one("#picker-box").border_title = "Citation style (enter copies)"
        styles = self.query_one("#styles", OptionList)
        names = list(STYLES)
        styles.highlighted = names.index(self.current) if self.current in names else 0
        styles.focus()

    @on(OptionList.OptionHighlighted, "#styles")
    def preview(self, event: OptionList.OptionHighlighted) -> None:
        text = cite(self.base, self.fact, event.option.id or "plain")
        self.query_one("#preview", Static).update(literal(text))

    @on(OptionList.OptionSelected, "#styles")
    def choose(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
