"""The app's screens: main, help, citation style picker, export."""

from __future__ import annotations

from textual.binding import Binding

from explorer.keys import SPECS


def bound(
    binding_id: str,
    action: str,
    description: str = "",
    *,
    tooltip: str = "",
    show: bool = True,
) -> Binding:
    """A binding whose id, default keys and priority are `explorer.keys.BINDINGS`' entry.

    The ids live there, not here, so that the config is checked without Textual.

    Raises:
        KeyError: When ``binding_id`` is not in `explorer.keys.BINDINGS`.
    """
    spec = SPECS[binding_id]
    return Binding(
        spec.keys,
        action,
        description,
        show=show,
        priority=spec.priority,
        tooltip=tooltip,
        id=binding_id,
    )
