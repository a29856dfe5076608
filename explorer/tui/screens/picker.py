"""The citation style picker: a list of styles with a live preview.

The hand-written styles come first, then the CSL styles (bundled, and the
user's own ``.csl`` files), and the config's own style file when it is none
of those.

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

from explorer.cite import STYLES, StyleError, cite, csl_name, style_label
from explorer.model import Fact, FactBase
from explorer.styles import SHORT_TITLES, available
from explorer.tui.safe import literal
from explorer.tui.screens import bound
from explorer.tui.widgets.footer import KeyFooter


def style_choices(current: str) -> dict[str, str]:
    """Every style to offer, name to label; the current one too when it is a file of its own.

    A bundled CSL style is labelled by its short name, a user's by its id: the list is narrow.
    """
    choices = dict(STYLES)
    for style in available():
        short = SHORT_TITLES.get(style.id) if style.origin == "bundled" else None
        choices[csl_name(style)] = f"{short or style.id} (CSL)"
    if current not in choices:
        choices[current] = f"{style_label(current)} (CSL, {current})"
    return choices


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
        self.choices = style_choices(current)
        self.broken: dict[str, str] = {}
        """Styles whose preview failed, with why: choosing one copies nothing."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="picker-box"):
            yield OptionList(
                *[Option(literal(label), id=name) for name, label in self.choices.items()],
                id="styles",
            )
            with VerticalScroll(id="preview-box"):
                yield Static(id="preview")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#picker-box").border_title = "Citation style (enter copies)"
        styles = self.query_one("#styles", OptionList)
        names = list(self.choices)
        styles.highlighted = names.index(self.current) if self.current in names else 0
        styles.focus()

    @on(OptionList.OptionHighlighted, "#styles")
    def preview(self, event: OptionList.OptionHighlighted) -> None:
        name = event.option.id or "plain"
        try:
            text = cite(self.base, self.fact, name)
        except StyleError as err:  # a user's .csl file that citeproc-py cannot use
            self.broken[name] = text = f"This style cannot be used: {err}"
        self.query_one("#preview", Static).update(literal(text))

    @on(OptionList.OptionSelected, "#styles")
    def choose(self, event: OptionList.OptionSelected) -> None:
        name = event.option.id or "plain"
        if name in self.broken:
            self.notify(self.broken[name], severity="error", markup=False)
            return
        self.dismiss(name)
