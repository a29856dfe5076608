"""The search bar: an Input that leaves ``?`` to the help screen.

| Key | Action |
| :- | :- |
| any text | Search as you type. |
| down, enter | Go to the results. |
| ? | Open the help (queries never need a question mark). |
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class SearchBar(Input):
    """Where the query is typed."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    """The width of the text typed. Input declares it with ``layout=True``, so each
    keystroke lays the whole screen out again (and repaints every scrollbar on it); the
    bar's own size is fixed by CSS, so a keystroke only needs the bar repainted."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Let ``?`` reach the app's help binding instead of the query."""
        return character != "?" and super().check_consume_key(key, character)
