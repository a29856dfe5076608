"""Export the marked facts: choose a format and a path.

| Key | Action |
| :- | :- |
| up / down | Choose a format. |
| enter | Export to the path shown (edit it first if you like). |
| escape | Close without writing. |
"""

from __future__ import annotations

import os
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from explorer.tui.safe import literal
from explorer.tui.screens import bound
from explorer.tui.widgets.footer import KeyFooter

FORMATS = {
    "markdown": "md",
    "bibtex": "bib",
    "csl-json": "json",
    "ris": "ris",
    "csv": "csv",
    "json": "json",
}
"""Export formats and their file extensions."""


class ExportScreen(ModalScreen[tuple[str, str] | None]):
    """Returns (format, path as typed, ``~`` expanded) to export to, or None."""

    BINDINGS = [
        bound("close-export", "dismiss(None)", "Close",
              tooltip="Close the export dialog without writing"),
    ]  # fmt: skip

    def __init__(self, count: int, folder: Path, why: str) -> None:
        super().__init__()
        self.count = count
        self.folder = folder
        self.why = why
        """Why the path starts in this folder, to say so ("your Documents folder")."""

    def compose(self) -> ComposeResult:
        facts = "1 fact" if self.count == 1 else f"{self.count:,} facts"
        with Vertical(id="export-box"):
            yield Static(literal(f"Export {facts} as:"))
            yield OptionList(*[Option(name, id=name) for name in FORMATS], id="formats")
            yield Input(str(self.folder / "fact-explorer-collection.md"), id="export-path")
            yield Static(literal(f"In {self.why}; edit the path to write elsewhere."),
                         id="export-where")  # fmt: skip
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#export-box").border_title = "Export"
        self.query_one("#formats", OptionList).focus()

    @on(OptionList.OptionHighlighted, "#formats")
    def follow(self, event: OptionList.OptionHighlighted) -> None:
        path = self.query_one("#export-path", Input)
        path.value = with_extension(path.value, FORMATS[event.option.id or "json"])

    @on(OptionList.OptionSelected, "#formats")
    @on(Input.Submitted, "#export-path")
    def done(self) -> None:
        formats = self.query_one("#formats", OptionList)
        option = formats.highlighted_option
        # The text as typed: a Path would drop a trailing "/" and write a file
        # where the user named a folder; export() refuses that instead.
        path = os.path.expanduser(self.query_one("#export-path", Input).value)
        self.dismiss((option.id or "markdown", path) if option else None)


def export_folder(last: Path | None) -> tuple[Path, str]:
    """Where an export starts: the last folder written to, else the user's documents
    folder, else the home folder; with how to say it."""
    if last is not None and last.is_dir():
        return last, f"the folder you last exported to ({last})"
    import platformdirs

    documents = Path(platformdirs.user_documents_dir())
    if documents.is_dir():
        return documents, f"your Documents folder ({documents})"
    return Path.home(), f"your home folder ({Path.home()})"


def with_extension(path: str, extension: str) -> str:
    """The path with its file name's extension set to ``extension`` (none added to a folder)."""
    head, sep, name = path.rpartition("/")
    if not name or name in (".", ".."):
        return path  # a folder, or nothing yet: export() says what is wrong with it
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return f"{head}{sep}{stem}.{extension}"
