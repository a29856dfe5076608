"""The footer: the keys that fit, whole; never one cut in the middle of its name.

Textual's footer lists every key the screen binds and cuts the last one at the
edge ("? He"). This one keeps the keys, in order, while they fit beside the
palette key on the right, and lays itself out again when its width changes.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

FIRST = ("focus_search", "copy_citation", "show_pane('related')", "show_pane('chapter')",
         "help", "quit", "copy_quote", "toggle_mark", "export", "pick_style")  # fmt: skip
"""Actions whose keys come first, so a narrow footer keeps the ones a newcomer needs."""


def _rank(key: object) -> int:
    action = key.action.rsplit(".", 1)[-1] if isinstance(key, FooterKey) else ""
    return FIRST.index(action) if action in FIRST else len(FIRST)


class KeyFooter(Footer):
    """A footer of whole keys: those that do not fit are left out, the palette key kept."""

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        palette = [k for k in keys if isinstance(k, FooterKey) and k.has_class("-command-palette")]
        room = self.size.width - sum(self.cells(k) for k in palette) - 1
        kept = []
        for key in sorted(keys, key=_rank):
            if key in palette:
                continue
            room -= self.cells(key)
            if room < 0:
                break
            kept.append(key)
        self.styles.grid_size_columns = max(1, len(kept))
        yield from kept
        yield from palette

    def cells(self, key: object) -> int:
        """The cells a footer key takes, as FooterKey renders it."""
        if not isinstance(key, FooterKey):
            return 0
        text = len(key.key_display) + len(key.description)
        return text + (2 if self.compact else 3)  # a space between and one after, or padding

    def on_resize(self, event: Resize) -> None:
        self.call_after_refresh(self.recompose)
