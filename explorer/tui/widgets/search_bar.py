"""The search bar: an Input that leaves ``?`` to the help screen, and takes a flood of keys.

| Key | Action |
| :- | :- |
| any text | Search as you type. |
| down, enter | Go to the results. |
| ? | Open the help (queries never need a question mark). |
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input

QUERY_LIMIT = 1_000
"""Characters the bar holds: as many as the engine reads of a query (its ``MAX_QUERY``),
so what the bar shows is what is searched, and an edit never costs more than this long
a value does (Input's work per edit grows with the value)."""


class SearchBar(Input):
    """Where the query is typed.

    A terminal without bracketed paste sends a paste as one key per character, faster
    than Textual can insert them one at a time (each insert re-measures the whole value,
    so 10,000 of them took seconds, and ``ctrl+q``, queued behind them, waited as long).
    The bar gathers the characters already waiting in its queue and inserts them in one
    edit, so they cost one `Changed`, one search and one repaint.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    """The width of the text typed. Input declares it with ``layout=True``, so each
    keystroke lays the whole screen out again (and repaints every scrollbar on it); the
    bar's own size is fixed by CSS, so a keystroke only needs the bar repainted."""

    class Cut(Message):
        """Text typed or pasted did not fit in `QUERY_LIMIT` characters and was dropped."""

    def __init__(self, **kwargs: Any) -> None:
        self._typed: list[str] = []
        """Characters received and not yet inserted (see `on_event`)."""
        self._cut_said = False
        """Whether `Cut` was posted since the value was last shorter than the limit."""
        super().__init__(**kwargs)  # sets the value: validate_value needs the above

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Let ``?`` reach the app's help binding instead of the query."""
        return character != "?" and super().check_consume_key(key, character)

    async def on_event(self, event: events.Event) -> None:
        """Gather typed characters; insert them before anything else is handled.

        A character is what Input's own key handler would insert (a printable key: the
        app's priority bindings have had it already, and the bar consumes it, so no
        other binding would see it). The first one schedules the insert, which Textual
        queues behind the keys already waiting; every other event inserts the
        characters first, so edits, pastes and clicks keep their order with the typing.
        """
        if isinstance(event, events.Key) and event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            if not self._typed:
                self.call_later(self.insert_typed)
            self._typed.append(event.character)
            return
        self.insert_typed()
        await super().on_event(event)

    def insert_typed(self) -> None:
        """Insert the characters gathered so far, over the selection if there is one."""
        if not self._typed:
            return
        text = "".join(self._typed)
        self._typed.clear()
        self._restart_blink()
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)

    def replace(self, text: str, start: int, end: int) -> None:
        """Replace the text between ``start`` and ``end``, keeping what fits the limit.

        Args:
            text: Text to put in.
            start: Start index to replace (inclusive).
            end: End index to replace (exclusive).
        """
        start, end = sorted((max(0, start), min(len(self.value), end)))
        room = QUERY_LIMIT - (len(self.value) - (end - start))
        if len(text) > room:
            text = text[: max(0, room)]
            self._say_cut()
        super().replace(text, start, end)

    def validate_value(self, value: str) -> str:
        """Cut a value set directly (not typed) to the limit."""
        if len(value) > QUERY_LIMIT:
            self._say_cut()
            return value[:QUERY_LIMIT]
        return value

    def watch_value(self, value: str) -> None:
        if len(value) < QUERY_LIMIT:
            self._cut_said = False

    def _say_cut(self) -> None:
        # Once while the bar stays full: a flood of keys past the limit is one notice.
        if not self._cut_said:
            self._cut_said = True
            self.post_message(self.Cut())
