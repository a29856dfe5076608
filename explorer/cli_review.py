"""The ``review`` subcommand: the review app over a drafted base (Textual imported only here)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    """Add ``review`` to the subcommands ``sub``."""
    cmd = sub.add_parser(
        "review",
        help="step through a drafted base's candidates: accept, edit, split, reject, undo",
        description="The only command that writes fact files, and only on a key press: each "
        "change is written at once and the base checked again.",
    )
    cmd.add_argument("dir", type=Path, metavar="DIR", help="the base fact-explorer draft made")


def cmd_review(args: argparse.Namespace) -> int:
    """Open the review app, or say in one line why it cannot open."""
    from explorer.cli import CliError, terminal_problem
    from explorer.paths import bundled_facts_dir, shown
    from explorer.review import ReviewError, ReviewSession

    root: Path = args.dir
    if not root.is_dir():
        raise CliError(f"review: {shown(root)}: no such folder")
    bundled = Path(bundled_facts_dir()).resolve()
    if root.resolve() == bundled or bundled in root.resolve().parents:
        raise CliError("review: the bundled base is curated by hand, not reviewed here")
    why = terminal_problem()
    if why:
        raise CliError(f"review: {why}")
    try:
        session = ReviewSession(root)
    except ReviewError as err:
        raise CliError(f"review: {err}", 1) from err
    from explorer.tui.review import ReviewApp

    ReviewApp(session).run()
    return 0
