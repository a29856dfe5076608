"""The help screen: every key binding, the query language, and how to remap keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from explorer.tui.screens import bound
from explorer.tui.widgets.footer import KeyFooter

QUERY_HELP = """\
Words are ANDed; typos and other wordings are welcome.
  a | b         either word               'word       this exact word
  ^prefix       word starting so          suffix$     word ending so
  !word         without this word         "a phrase"  these words in order
  chapter:4  source:moments  kind:target  tag:ghg  gri:305-1  year:2020
  metric:ghg.total  assured:yes  value:>1000000  value:100..500
An empty query browses the base: sources, chapters, sections, facts."""


KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "space": "space",
}
"""Textual's key names as a user types them."""


def key_label(keys: str) -> str:
    """``"question_mark,f1"`` -> ``"? or f1"``."""
    return " or ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


def binding_rows(bindings: list[tuple[str, Binding]]) -> Content:
    """Keys (as `key_label` writes them) and what they do, with each binding's id."""
    labels = [keys for keys, _binding in bindings]
    width = max((len(label) for label in labels), default=10) + 2
    rows = []
    for label, (_keys, binding) in zip(labels, bindings, strict=True):
        what = binding.tooltip or binding.description or binding.action
        ident = f"  [{binding.id}]" if binding.id else ""
        rows.append(
            Content.assemble(
                Content.styled(f"{label:<{width}}", "bold $accent"),
                Content(what),
                Content.styled(ident, "$text-muted"),
            )
        )
    return Content("\n").join(rows)


class HelpScreen(ModalScreen[None]):
    """Lists every binding of the app and its screens; any of escape, q, ? or F1 closes it."""

    BINDINGS = [
        bound("close-help", "dismiss", "Close"),
    ]

    def __init__(self, bindings: list[tuple[str, Binding]], config_path: str) -> None:
        super().__init__()
        self.bindings = bindings
        self.config_path = config_path

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Content.styled("Keys", "bold underline"))
            yield Static(binding_rows(self.bindings))
            yield Static(Content.styled("\nSearch", "bold underline"))
            yield Static(Content(QUERY_HELP))
            yield Static(Content.styled("\nRemapping keys", "bold underline"))
            yield Static(
                Content(
                    f"Put a [keys] table in {self.config_path}, binding id = keys, e.g.\n"
                    '  [keys]\n  copy-citation = "ctrl+y"\n  back = "alt+left,b"'
                )
            )
            yield Static(Content.styled("\nescape closes this help.", "$text-muted"))
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = "Help"
