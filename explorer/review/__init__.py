"""Reviewing a drafted base: accept, edit, split or reject each candidate, and undo.

`ReviewSession` is the only writer of fact files. Each change is one
surgical edit (`explorer.review.edit`) written atomically; the base is then
checked, and a change that breaks it is put back at once with the reason.
Nothing here imports Textual; the screen is `explorer.tui.review`.
"""

from __future__ import annotations

from explorer.review.session import Change, ReviewError, ReviewSession

__all__ = ["Change", "ReviewError", "ReviewSession"]
