"""Back and forward through the facts a user opened, like a browser."""

from __future__ import annotations


class History:
    """A list of fact ids with a cursor; opening a new fact drops the forward part."""

    def __init__(self, limit: int = 200) -> None:
        self._items: list[str] = []
        self._at = -1
        self._limit = limit

    @property
    def current(self) -> str | None:
        """The fact shown now, or None."""
        return self._items[self._at] if self._at >= 0 else None

    def visit(self, fact_id: str) -> None:
        """Record a fact the user opened."""
        if self.current == fact_id:
            return
        del self._items[self._at + 1 :]
        self._items.append(fact_id)
        if len(self._items) > self._limit:
            del self._items[0]
        self._at = len(self._items) - 1

    def back(self) -> str | None:
        """Step back; return the fact to show, or None at the start."""
        if self._at <= 0:
            return None
        self._at -= 1
        return self._items[self._at]

    def forward(self) -> str | None:
        """Step forward; return the fact to show, or None at the end."""
        if self._at >= len(self._items) - 1:
            return None
        self._at += 1
        return self._items[self._at]
