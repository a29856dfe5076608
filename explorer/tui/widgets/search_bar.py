"""The search bar: an Input that leaves ``?`` to the help screen.

| Key | Action |
| :- | :- |
| any text | Search as you type. |
| down, enter | Go to the results. |
| ? | Open the help (queries never need a question mark). |
"""

from __future__ import annotations

from textual.widgets import Input


class SearchBar(Input):
    """Where the query is typed."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Let ``?`` reach the app's help binding instead of the query."""
        return character != "?" and super().check_consume_key(key, character)
