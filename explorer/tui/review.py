"""ReviewApp: step through a drafted base's candidates and accept, edit, split or reject each.

| Key | Action |
| :- | :- |
| a | Accept the candidate as it stands. |
| r | Reject it: it leaves the fact file. |
| e | Edit the claim. |
| f | Edit a field: type ``field: value`` (``unit: t CO2e``; an empty value clears it). |
| m | Set the metric (ids already in the base are suggested). |
| s | Split: type how many words the first part keeps. |
| u | Undo the last change. |
| n / p | Next / previous candidate. |
| escape | Leave the input. |
| q | Quit. |

Every change is written at once, atomically, and the base is checked; a
change that would break it is put back and the reason shown.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widgets import Footer, Input, Static

from explorer.review import ReviewError, ReviewSession
from explorer.tui.safe import literal

FIELDS = ("claim", "as_printed", "value", "upper", "unit", "qualifier", "period", "metric",
          "section", "page", "assurance")  # fmt: skip


class ReviewApp(App[None]):
    """The review of one base's pending candidates."""

    CSS_PATH = "review.tcss"
    TITLE = "Fact Explorer review"
    BINDINGS = [
        Binding("a", "accept", "Accept", id="review.accept", tooltip="Accept as it stands"),
        Binding("r", "reject", "Reject", id="review.reject", tooltip="Remove the candidate"),
        Binding("e", "edit('claim')", "Claim", id="review.claim", tooltip="Edit the claim"),
        Binding("f", "edit('field')", "Field", id="review.field", tooltip="Edit any field"),
        Binding("m", "edit('metric')", "Metric", id="review.metric", tooltip="Set the metric"),
        Binding("s", "edit('split')", "Split", id="review.split", tooltip="Split in two"),
        Binding("u", "undo", "Undo", id="review.undo", tooltip="Undo the last change"),
        Binding("n", "move(1)", "Next", id="review.next", tooltip="Next candidate"),
        Binding("p", "move(-1)", "Prev", id="review.prev", tooltip="Previous candidate"),
        Binding("escape", "leave", "Back", id="review.leave", show=False),
        Binding("q", "quit", "Quit", id="review.quit", tooltip="Quit the review"),
    ]

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session
        self.at = 0
        self.mode = ""

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with VerticalScroll(id="body"):
            yield Static(id="context")
            yield Static(id="fields")
        yield Input(id="entry", suggester=SuggestFromList(self.session.metrics()))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#entry", Input).display = False
        self.show()

    # ------------------------------------------------------------------ drawing

    def current(self) -> str | None:
        pending = self.session.pending
        if not pending:
            return None
        self.at = max(0, min(self.at, len(pending) - 1))
        return pending[self.at].id

    def show(self) -> None:
        pending = self.session.pending
        status = self.query_one("#status", Static)
        fact_id = self.current()
        if fact_id is None:
            status.update(Content("Nothing left to review: every candidate is done. q quits."))
            self.query_one("#context", Static).update("")
            self.query_one("#fields", Static).update("")
            return
        fact = pending[self.at]
        status.update(Content.from_markup(
            "[b]$left left[/b] · $i of $n · $id", left=str(len(pending)), i=str(self.at + 1),
            n=str(len(pending)), id=fact.id))  # fmt: skip
        line, around = self.session.context(fact)
        where = f"page {fact.page}" if fact.page else "no page"
        head = Content.styled(f"{where} · text line {line}\n", "$text-muted")
        text = literal(around or fact.quote)
        span = quote_span(text.plain, fact.parts[0])
        if span is not None:
            text = text.stylize("bold $text-warning", *span)
        self.query_one("#context", Static).update(Content.assemble(head, text))
        rows = [
            Content.assemble(Content.styled(f"{name:<11}", "$text-muted"),
                             literal(str(getattr(fact, name) or "")))
            for name in FIELDS
        ]  # fmt: skip
        self.query_one("#fields", Static).update(Content("\n").join(rows))

    # ------------------------------------------------------------------ actions

    def action_move(self, step: int) -> None:
        self.at += step
        self.show()

    def action_accept(self) -> None:
        self._do(lambda fid: self.session.accept(fid).what)

    def action_reject(self) -> None:
        self._do(lambda fid: self.session.reject(fid).what)

    def action_undo(self) -> None:
        try:
            change = self.session.undo()
        except ReviewError as err:
            self.notify(str(err), severity="warning", markup=False)
            return
        self.notify(f"undone: {change.what}", markup=False)
        self.show()

    def action_edit(self, mode: str) -> None:
        fact_id = self.current()
        if fact_id is None:
            return
        fact = self.session.base.get(fact_id)
        assert fact is not None
        entry = self.query_one("#entry", Input)
        self.mode = mode
        prompts = {
            "claim": ("the claim", fact.claim),
            "metric": ("the metric id, e.g. water.replenished", fact.metric or ""),
            "field": ("field: value, e.g. unit: t CO2e", ""),
            "split": (f"words the first part keeps (1-{len(fact.quote.split()) - 1})", ""),
        }
        entry.placeholder, entry.value = prompts[mode]
        entry.display = True
        entry.focus()

    def action_leave(self) -> None:
        entry = self.query_one("#entry", Input)
        entry.display = False
        self.mode = ""
        self.set_focus(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        mode, value = self.mode, event.value
        self.action_leave()
        if mode == "claim":
            self._do(lambda fid: self.session.set(fid, "claim", value).what)
        elif mode == "metric":
            self._do(lambda fid: self.session.set(fid, "metric", value).what)
        elif mode == "field":
            key, colon, rest = value.partition(":")
            if not colon:
                self.notify("type field: value, e.g. unit: t CO2e", severity="warning")
                return
            self._do(lambda fid: self.session.set(fid, key.strip(), rest).what)
        elif mode == "split":
            if not value.strip().isdigit():
                self.notify("type a number of words", severity="warning")
                return
            self._do(lambda fid: self.session.split(fid, int(value)).what)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the input is open, letters are text, not commands."""
        if self.query_one("#entry", Input).has_focus and action not in ("leave",):
            return False
        return True

    def _do(self, change: object) -> None:
        fact_id = self.current()
        if fact_id is None:
            return
        try:
            what = change(fact_id)  # type: ignore[operator]
        except ReviewError as err:
            self.notify(str(err), severity="error", markup=False)
            return
        self.notify(str(what), markup=False)
        self.show()


def quote_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where the quote stands in ``text``, however the lines break: (start, end), or None."""
    import re

    pattern = r"\s+".join(re.escape(word) for word in quote.split())
    found = re.search(pattern, text) if pattern else None
    return found.span() if found else None


def run_review(root: Path) -> int:
    """Run the review app on the base in ``root``; return the exit code."""
    ReviewApp(ReviewSession(root)).run()
    return 0
