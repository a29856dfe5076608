"""The ``draft`` subcommand: thin over `explorer.draft` (imported only when it runs).

Exit codes: 0 drafted (or nothing new to add); 1 a report that cannot be
drafted (not a PDF, encrypted, corrupt, truncated, no text layer, no
figures) or a base in ``--into`` with problems; 2 bad usage (a folder inside
the bundled base, a folder that holds no base, an id taken by another text).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from explorer.paths import shown


def add_parser(sub: Any) -> None:
    """Add ``draft`` to the subcommands ``sub``."""
    cmd = sub.add_parser(
        "draft",
        help="draft a proven fact base from a report (PDF or text)",
        description="Extract a report's text, keep it in DIR/sources, and write a candidate "
        "fact (awaiting review) for every sentence or table row holding a figure, with its "
        "page. Run it again on the same report: it adds nothing twice.",
    )
    cmd.add_argument("report", type=Path, metavar="REPORT", help="a .pdf, or a UTF-8 .txt")
    cmd.add_argument("--into", type=Path, required=True, metavar="DIR", help="the fact base folder")
    cmd.add_argument("--id", metavar="ID", help="the source's id (default: from its title)")
    cmd.add_argument("--title", metavar="T", help="the report's title (default: the PDF's)")
    cmd.add_argument("--author", metavar="A", help="its author (default: the PDF's)")
    cmd.add_argument("--published", metavar="YYYY-MM", help="its date (default: the PDF's)")
    cmd.add_argument("--url", metavar="URL", help="where the report can be found")


class Progress:
    """A progress bar on standard error, redrawn in place on a terminal, silent elsewhere."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.live = stream.isatty()
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        if not self.live:
            return
        filled = self.width * done // max(1, total)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\rdraft: [{bar}] page {done}/{total}")
        self.stream.flush()

    def end(self) -> None:
        if self.live:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def cmd_draft(args: argparse.Namespace) -> int:
    """Draft the report into the folder; say what was written and what to fill in."""
    from explorer.draft import DraftError, draft

    progress = Progress(sys.stderr)
    try:
        result = draft(
            args.report, args.into, source_id=args.id, title=args.title, author=args.author,
            published=args.published, url=args.url, progress=progress,
        )  # fmt: skip
    except DraftError as err:
        progress.end()
        print(f"fact-explorer: draft: {err}", file=sys.stderr)
        return err.code
    progress.end()
    seconds = time.perf_counter() - progress.started
    into = shown(args.into)
    if result.others:
        print(f"draft: {into} already held {', '.join(result.others)}; "
              f"{result.source_id!r} is added beside them", file=sys.stderr)  # fmt: skip
    if result.added:
        print(f"draft: {result.added} candidates from {result.pages} pages into {into} "
              f"(source {result.source_id!r}, {result.chapters} chapters from the "
              f"{result.structure}, text in {result.text_file}) in {seconds:.1f} s")  # fmt: skip
    else:
        print(f"draft: {into} already has {result.source_id!r} from this very text; nothing "
              "added (candidates rejected in review stay rejected)")  # fmt: skip
    for page in result.unread:
        print(f"draft: could not read {page}; its figures are not drafted", file=sys.stderr)
    for what in result.missing:
        print(f"draft: no {what.split(' ')[0]} in the report: fill it in sources.yaml, "
              f"or run again with {what[what.find('(') + 6 : -1] if '(' in what else what}",
              file=sys.stderr)  # fmt: skip
    print(f"next: fact-explorer check --facts {into}; fact-explorer --facts {into}")
    return 0
