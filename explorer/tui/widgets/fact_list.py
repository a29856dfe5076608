"""A list of facts drawn line by line: only the rows on screen are ever built.

Textual's OptionList measures (wraps) every option each time it is filled and
lays the screen out again when its height changes: about 12 ms for 50
two-line results, on every keystroke. Here a row has a fixed number of lines,
each cut to fit, and is built only when it scrolls into view, so filling the
list costs next to nothing whatever its length.

| Key | Action |
| :- | :- |
| up / down | Move the cursor. |
| page up / page down, home / end | Move by a page, to the first or last fact. |
| enter | Select the fact under the cursor. |
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip


class FactList(ScrollView, can_focus=True):
    """Fact ids, one row each; subclasses say what a row shows (`row`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"fact-list--row", "fact-list--cursor"}

    DEFAULT_CSS = """
    FactList {
        height: 1fr;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        background: transparent;
    }
    FactList > .fact-list--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
        text-style: $block-cursor-blurred-text-style;
    }
    FactList:focus > .fact-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """

    ROW_HEIGHT: ClassVar[int] = 1
    """Lines a row takes; every row takes exactly this many."""

    class Highlighted(Message):
        """The user moved the cursor onto a fact."""

        def __init__(self, fact_list: FactList, index: int, fact_id: str) -> None:
            super().__init__()
            self.fact_list = fact_list
            self.index = index
            self.fact_id = fact_id

        @property
        def control(self) -> FactList:
            return self.fact_list

    class Selected(Highlighted):
        """The user chose a fact (enter or a click)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._ids: tuple[str, ...] = ()
        self._cursor: int | None = None
        self._strips: dict[tuple[int, bool], list[Strip]] = {}

    # What is listed ------------------------------------------------------

    @property
    def ids(self) -> tuple[str, ...]:
        """The listed fact ids, in order."""
        return self._ids

    @property
    def cursor(self) -> int | None:
        """The row under the cursor (None when the list is empty)."""
        return self._cursor

    @property
    def cursor_id(self) -> str | None:
        """The fact under the cursor."""
        return None if self._cursor is None else self._ids[self._cursor]

    def set_rows(self, ids: Sequence[str], cursor: int = 0) -> None:
        """List ``ids`` with the cursor on row ``cursor``, quietly (no Highlighted)."""
        self._ids = tuple(ids)
        self._strips.clear()
        self._cursor = min(max(cursor, 0), len(self._ids) - 1) if self._ids else None
        self.virtual_size = Size(self.scrollable_content_region.width, self._lines())
        self.scroll_to(y=0, animate=False, force=True)
        self._show_cursor()
        self.refresh()

    def row(self, index: int, width: int) -> list[Content]:
        """Row ``index`` as at most ROW_HEIGHT lines, each at most ``width`` cells (a row
        brings its own left margin)."""
        raise NotImplementedError

    def redraw(self, index: int) -> None:
        """Build row ``index`` again (its content changed)."""
        self._strips.pop((index, True), None)
        self._strips.pop((index, False), None)
        self.refresh_lines(index * self.ROW_HEIGHT, self.ROW_HEIGHT)

    def plain(self, index: int) -> str:
        """Row ``index`` as plain text, at the list's width."""
        return "\n".join(line.plain for line in self.row(index, self._width()))

    # Moving --------------------------------------------------------------

    def move_to(self, index: int, *, announce: bool = True) -> None:
        """Put the cursor on row ``index`` and, if ``announce``, say so (Highlighted)."""
        if not self._ids:
            return
        index = min(max(index, 0), len(self._ids) - 1)
        old, self._cursor = self._cursor, index
        if old is not None and old != index:
            self.refresh_lines(old * self.ROW_HEIGHT, self.ROW_HEIGHT)
        self._show_cursor()
        self.refresh_lines(index * self.ROW_HEIGHT, self.ROW_HEIGHT)
        if announce:
            self.post_message(self.Highlighted(self, index, self._ids[index]))

    def action_cursor(self, delta: int) -> None:
        self.move_to(0 if self._cursor is None else self._cursor + delta)

    def action_page(self, direction: int) -> None:
        step = max(1, self.scrollable_content_region.height // self.ROW_HEIGHT)
        self.action_cursor(direction * step)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self._ids) - 1)

    def action_select(self) -> None:
        if self._cursor is not None:
            self.post_message(self.Selected(self, self._cursor, self._ids[self._cursor]))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (round(self.scroll_y) + offset.y) // self.ROW_HEIGHT
        if 0 <= index < len(self._ids):
            self.move_to(index)
            self.action_select()

    def _show_cursor(self) -> None:
        if self._cursor is not None and self.is_mounted:
            top = self._cursor * self.ROW_HEIGHT
            region = Region(0, top, self.scrollable_content_region.width, self.ROW_HEIGHT)
            self.scroll_to_region(region, animate=False, force=True, immediate=True)

    # Drawing -------------------------------------------------------------

    def _lines(self) -> int:
        return len(self._ids) * self.ROW_HEIGHT

    def _width(self, content_width: int | None = None) -> int:
        """The width a row may take: the content's, less a cell of margin on the right."""
        if content_width is None:
            content_width = self.scrollable_content_region.width
        return max(1, content_width - 1)

    def _on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, self._lines())

    def _on_focus(self, event: events.Focus) -> None:
        self._strips.clear()  # the cursor's colours change with focus
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self._strips.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        self._strips.clear()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        index, offset = divmod(round(self.scroll_y) + y, self.ROW_HEIGHT)
        width = self.scrollable_content_region.width
        if not 0 <= index < len(self._ids):
            return Strip.blank(width, self.get_visual_style("fact-list--row").rich_style)
        return self._row_strips(index, width)[offset]

    def _row_strips(self, index: int, width: int) -> list[Strip]:
        on_cursor = index == self._cursor
        key = (index, on_cursor)
        strips = self._strips.get(key)
        if strips is None or (strips and strips[0].cell_length != width):
            style = self.get_visual_style("fact-list--cursor" if on_cursor else "fact-list--row")
            lines = self.row(index, self._width(width))[: self.ROW_HEIGHT]
            lines += [Content("")] * (self.ROW_HEIGHT - len(lines))
            # Rendered straight to segments: each line is already cut to fit, so the
            # wrapping machinery of Visual.to_strips (five times slower) has nothing to do.
            strips = [
                Strip(line.render_segments(style), line.cell_length)
                .extend_cell_length(width, style.rich_style)
                .crop(0, width)
                for line in lines
            ]
            self._strips[key] = strips
        return strips
