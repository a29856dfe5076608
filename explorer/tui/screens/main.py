"""The main screen: search bar, results (or the browse tree), fact, related, chapter.

| Key | Action |
| :- | :- |
| / | Focus the search bar. |
| down, enter (in the search bar) | Go to the results. |
| enter | Open the highlighted fact. |
| alt+left, [, b / alt+right, ], f | Back / forward through opened facts. |
| n / p | Next / previous fact in the section. |
| c / C / y | Copy the citation / pick a style / copy the quote. |
| space / e | Mark a fact / export the marked facts. |
| keys in a burst, a paste (outside the bar) | Search for them (see `ExplorerApp.on_event`). |
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Input, Static, Tree
from textual.worker import get_current_worker

from explorer.model import Fact, FactBase
from explorer.tui.history import History
from explorer.tui.safe import literal
from explorer.tui.screens import bound
from explorer.tui.widgets.browse import BrowseTree
from explorer.tui.widgets.chapter_pane import ChapterPane, SectionFacts
from explorer.tui.widgets.fact_list import FactList
from explorer.tui.widgets.fact_pane import FactPane
from explorer.tui.widgets.footer import KeyFooter
from explorer.tui.widgets.related_pane import RelatedPane
from explorer.tui.widgets.results import ResultsList
from explorer.tui.widgets.search_bar import QUERY_LIMIT, SearchBar

if TYPE_CHECKING:  # the search engine loads after the first paint, with the base
    from collections.abc import Mapping

    from textual.dom import DOMNode

    from explorer.related import Related
    from explorer.search import SearchResult

RESULTS_LIMIT = 50
"""Hits listed at most; the count says how many matched in all, and a narrower
query brings the rest into view."""

COMPACT_BELOW = 28
"""Rows under which the screen is compact: one-line search bar, related and chapter on a key."""
NARROW_BELOW = 70
"""Columns under which the results stand above the fact."""
WIDE_FROM = 120
"""Columns from which the results column widens and claims wrap to two lines."""
FULL_FOOTER_FROM = 100
"""Columns from which the footer spaces its keys out (below, it packs them)."""
BOTH_PANES_FROM = 80
"""Columns the right column needs to show the related and chapter panes side by side."""

PREVIEW_PAUSE = 0.08
"""Seconds of no typing before the top hit fills the fact, chapter and related
panes. While keys come faster, each frame paints the results alone (filling
the panes costs two or three frames, which would delay the next results)."""


def warm(base: FactBase) -> None:
    """Build what the first keystroke and the first fact would otherwise wait for: the
    engine's modules, the sections, the related-facts indexes (0.7 s at 100k facts)."""
    import explorer.search  # noqa: F401

    if base.facts:
        first = base.facts[0]
        base.in_section(first.chapter, first.section)
        base.related(first.id, limit=1)


def layout_classes(size: Size) -> dict[str, bool]:
    """The screen's classes for its size: which to set (True) and which to clear."""
    width, height = size
    right = width if width < NARROW_BELOW else width * (0.45 if width >= WIDE_FROM else 0.55)
    return {
        "-compact": height < COMPACT_BELOW,
        "-narrow": width < NARROW_BELOW,
        "-wide": width >= WIDE_FROM,
        "-one-pane": right < BOTH_PANES_FROM,
    }


class MainScreen(Screen[None]):
    """Search, read, follow and cite, all from the keyboard."""

    # Ids and default keys: explorer.keys.BINDINGS, which the config is checked against.
    BINDINGS = [
        bound("focus-search", "focus_search", "Search", tooltip="Focus the search bar"),
        bound("escape-to-search", "focus_search", "Search", show=False,
              tooltip="Back to the search bar"),
        bound("copy-citation", "copy_citation", "Cite",
              tooltip="Copy the citation in your default style"),
        bound("pick-style", "pick_style", "Style", tooltip="Choose a citation style"),
        bound("copy-quote", "copy_quote", "Quote", tooltip="Copy the quote alone"),
        bound("toggle-mark", "toggle_mark", "Mark", tooltip="Mark the fact for export"),
        bound("export", "export", "Export", tooltip="Export the marked facts"),
        bound("back", "back", "Back", tooltip="Back to the previous fact"),
        bound("forward", "forward", "Fwd", tooltip="Forward again"),
        bound("next-in-section", "step(1)", "Next", show=False,
              tooltip="Next fact in the section"),
        bound("previous-in-section", "step(-1)", "Prev", show=False,
              tooltip="Previous fact in the section"),
        bound("show-related", "show_pane('related')", "Related",
              tooltip="The related facts"),
        bound("show-chapter", "show_pane('chapter')", "Chapter",
              tooltip="The chapter and its section's facts"),
    ]  # fmt: skip

    def __init__(self, base: FactBase, *, opening: bool = False) -> None:
        super().__init__()
        self.base = base
        self.opening = opening
        """True until the app hands over the base (see `base_ready`)."""
        self.history = History()
        self.marked: set[str] = set()
        self.current: Fact | None = None
        self.terms: list[str] = []
        self.shown_terms: list[str] = []
        self._preview: Timer | None = None
        self._searching = False
        """True from a search's start until its results are painted (or dropped)."""
        self._count: tuple[bool, int, int, list[str], int] = (False, 0, 0, [], 0)
        """What the count line says: searching, matched, shown, the query's problems."""
        self._shown: str | None = None
        """The query whose results are on screen."""

    def compose(self) -> ComposeResult:
        # Laid out for the app's size from the start: classes set before the first styling
        # cost nothing, where the first resize would restyle the whole screen for them.
        size = self.app.size
        _set_classes(self, layout_classes(size), update=False)
        yield SearchBar(placeholder="Search facts: words, typos welcome.  ? help", id="search")
        with Horizontal(id="body"):
            with ContentSwitcher(initial="browse", id="left"):
                with Vertical(id="results-box"):
                    yield Static(id="count")
                    yield ResultsList(id="results")
                yield BrowseTree("facts", id="browse")
            with Vertical(id="right"):
                yield FactPane(id="fact")
                with Horizontal(id="lower"):
                    yield RelatedPane(id="related")
                    yield ChapterPane(id="chapter")
        yield KeyFooter(compact=size.width < FULL_FOOTER_FROM)

    def on_mount(self) -> None:
        self.query_one("#left").border_title = "Browse"
        self.query_one("#fact").border_title = "Fact"
        self.query_one("#related").border_title = "Related"
        self.query_one("#chapter").border_title = "Chapter"
        self.query_one("#search", Input).focus()
        if self.opening:
            self.query_one(BrowseTree).say("Opening the fact base...")
            self.query_one(FactPane).show(self.base, None, [], "Opening the fact base...")
        else:
            self.base_ready(self.base, warmed=False)

    def base_ready(self, base: FactBase, *, warmed: bool) -> None:
        """Fill the panes from ``base``; search for anything typed while it loaded.

        Args:
            base: The base to show.
            warmed: Whether `warm` has run on it already (the app's opening thread runs it).
        """
        self.base, self.opening = base, False
        self.query_one(BrowseTree).fill(base)
        if not warmed:
            self.set_timer(0.3, self.warm_up)  # after the first frames, not competing with them
        # The first frame shows the search bar at once; the first fact follows it.
        self.call_after_refresh(self.show_first)
        if self.query_one("#search", Input).value:
            self.search_latest()

    def show_first(self) -> None:
        """Show the base's first fact, unless something was opened already."""
        if self.current is None:
            self.show_fact(self.base.facts[0] if self.base.facts else None)

    def on_resize(self) -> None:
        """Lay the screen out for its size (the classes are described in explorer.tcss)."""
        width, _height = self.size
        _set_classes(self, layout_classes(self.size))  # one restyle of the screen, not four
        self.query_one(KeyFooter).compact = width < FULL_FOOTER_FROM
        self.show_count()

    @property
    def compact(self) -> bool:
        """True when the related and chapter panes take the fact's place, one at a time."""
        return self.has_class("-compact")

    def action_show_pane(self, pane: str) -> None:
        """Show and focus the related or chapter pane; again (or escape) goes back to the fact.

        Where both fit beside the fact, this only moves the focus there.
        """
        wanted = f"-show-{pane}"
        if self.compact or self.has_class("-one-pane"):
            if self.has_class(wanted) and self.compact:
                self.hide_panes()
                return
            self.set_class(pane == "related", "-show-related")
            self.set_class(pane == "chapter", "-show-chapter")
        target = self.query_one(RelatedPane) if pane == "related" else self.query_one(SectionFacts)
        self.call_after_refresh(target.focus)

    def hide_panes(self) -> None:
        """Back to the fact (on a small screen the related or chapter pane stood in its place)."""
        self.remove_class("-show-related", "-show-chapter")

    # Searching -----------------------------------------------------------

    @on(Input.Changed, "#search")
    def query_changed(self, event: Input.Changed) -> None:
        if not self.opening:  # else base_ready searches for what is typed by then
            self.search_latest()

    @on(SearchBar.Cut)
    def query_cut(self) -> None:
        self.notify(f"Query cut to its first {QUERY_LIMIT:,} characters.", markup=False)

    def search_latest(self) -> None:
        """Search for what the bar holds, now or once the search under way is painted.

        One search at a time, and at most one a frame: keys that come faster (a paste
        into a terminal without bracketed paste types every character) coalesce into
        one search for the latest query, instead of a worker and a search per key.
        """
        if not self._searching:  # else `searched` comes back for the latest query
            self._searching = True
            self.run_search(self.query_one("#search", Input).value)

    def searched(self) -> None:
        """The last search is painted (or dropped): search again if the bar moved on."""
        self._searching = False
        if self.query_one("#search", Input).value != self._shown:
            self.search_latest()

    @work(exclusive=True, thread=True, group="search")
    def run_search(self, query: str) -> None:
        """Search off the event loop; hand the answer back to `show_results`."""
        from explorer.search import search

        result = search(self.base, query, limit=RESULTS_LIMIT)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_results, query, result)

    def show_results(self, query: str, result: SearchResult) -> None:
        """Show the hits, unless the query has moved on since; then look for more keys."""
        self.call_after_refresh(self.searched)
        if query != self.query_one("#search", Input).value:
            return  # stale: `searched` searches for the latest query
        self._shown = query
        switcher = self.query_one("#left", ContentSwitcher)
        switcher.current = "results-box" if query.strip() else "browse"
        words = (w.strip("'\"^$!|") for w in query.split() if ":" not in w)
        self.terms = [w for w in words if len(w) > 1]  # one letter would mark half the quote
        results = self.query_one(ResultsList)
        results.show(self.base, result.hits, self.marked)
        shown = len(result.hits) - result.partial  # those that hold only some words come after
        self._count = (bool(query.strip()), result.total, shown, result.messages, result.partial)
        self.show_count()
        if self._preview is not None:
            self._preview.stop()
        if result.hits:
            self._preview = self.set_timer(PREVIEW_PAUSE, partial(self.preview_top, query))

    def show_count(self) -> None:
        """The results' count and the query's problems: in the count line, or on a small
        screen in the pane's title (the line then shows only when there is something to say)."""
        searching, total, shown, messages, partial = self._count
        switcher = self.query_one("#left", ContentSwitcher)
        title = "Results" if searching else "Browse"
        if searching and self.compact:
            title = f"Results · {total:,} of {len(self.base):,}"
            if partial:  # the rows beyond the count, which hold only some of the words; the
                title = f"{total:,} of {len(self.base):,} +{partial} partial"  # 80x24 fits it
        if switcher.border_title != title:  # setting it repaints the whole pane, border and all
            switcher.border_title = title
        count = f"{total:,} of {len(self.base):,} facts"
        if partial and total and not shown:  # every full match ranks below the rows shown
            count += f" match every word; these {partial} match some"
        else:
            if total > shown:
                count += f", first {shown} shown"
            if partial and total:
                count += f"; {partial} more hold some of the words"
        said = "; ".join(messages)
        line = self.query_one("#count", Static)
        line.set_class(bool(said), "-said")
        text = f"{said}" if self.compact else f"{count}{'. ' if said else ''}{said}"
        line.update(literal(text), layout=bool(said) or line.has_class("-said"))

    def preview_top(self, query: str) -> None:
        """Show the top hit, unless the user has typed on or moved since."""
        results = self.query_one(ResultsList)
        if query != self.query_one("#search", Input).value or results.cursor_id is None:
            return
        fact = self.base.get(results.cursor_id)
        if fact is not None and (fact is not self.current or self.shown_terms != self.terms):
            self.show_fact(fact)

    def action_focus_search(self) -> None:
        self.hide_panes()
        self.query_one("#search", Input).focus()

    def focus_search_at_once(self) -> None:
        """Focus the search bar now, not once the keys queued are handled (as `focus`
        does): the keys still queued then go to the bar, in the order they were typed."""
        self.set_focus(self.query_one("#search", Input))

    @on(Input.Submitted, "#search")
    def go_to_results(self) -> None:
        self.focus_results()

    def focus_results(self) -> None:
        """Move from the search bar into the results (or the tree)."""
        switcher = self.query_one("#left", ContentSwitcher)
        target = "#results" if switcher.current == "results-box" else "#browse"
        self.query_one(target).focus()

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.focused is self.query_one("#search"):
            event.stop()
            event.prevent_default()  # the list should not also move its highlight
            self.focus_results()

    # Showing facts ------------------------------------------------------

    def show_fact(self, fact: Fact | None) -> None:
        """Fill the fact, related and chapter panes for ``fact``."""
        self.current = fact
        self.shown_terms = list(self.terms)
        self.query_one(FactPane).show(self.base, fact, self.terms)
        self.query_one(ChapterPane).show(self.base, fact)
        if fact is None:
            self.query_one(RelatedPane).show([])
        else:
            self.find_related(fact.id)

    @work(exclusive=True, thread=True, group="related")
    def find_related(self, fact_id: str) -> None:
        """Relate off the event loop: on a big base one fact can take a few hundred ms."""
        related = self.base.related(fact_id, limit=12)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_related, fact_id, related)

    def show_related(self, fact_id: str, related: list[Related]) -> None:
        """List the related facts, unless another fact is shown by now."""
        if self.current is not None and self.current.id == fact_id:
            self.query_one(RelatedPane).show(related)

    @work(thread=True, group="warm-up")
    def warm_up(self) -> None:
        """Build the per-base indexes before the first keystroke needs them."""
        warm(self.base)

    def open_fact(self, fact_id: str) -> None:
        """Show a fact and record it in the history."""
        fact = self.base.get(fact_id)
        if fact is None:
            return
        self.history.visit(fact_id)
        self.show_fact(fact)

    @on(FactList.Highlighted, "#results")
    def preview(self, event: FactList.Highlighted) -> None:
        fact = self.base.get(event.fact_id)
        if fact is not None and (fact is not self.current or self.shown_terms != self.terms):
            self.show_fact(fact)

    @on(FactList.Selected, "#results")
    def open_result(self, event: FactList.Selected) -> None:
        self.open_fact(event.fact_id)
        if self.compact:
            self.action_show_pane("related")  # in the fact's place: enter there follows one
        else:
            self.query_one(RelatedPane).focus()

    @on(FactList.Selected, "#related, #section-facts")
    def jump(self, event: FactList.Selected) -> None:
        if self.current is not None:
            self.history.visit(self.current.id)
        self.open_fact(event.fact_id)
        if self.compact:
            self.hide_panes()  # show the fact followed to; r brings its related facts

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """A list taking the focus shows the fact under its cursor: what is shown is
        what a key acts on (after n, escape, down the fact pane still showed n's fact)."""
        if isinstance(event.widget, ResultsList) and event.widget.cursor_id is not None:
            fact = self.base.get(event.widget.cursor_id)
            if fact is not None and fact is not self.current:
                self.show_fact(fact)

    @on(Tree.NodeHighlighted, "#browse")
    def browse_preview(self, event: Tree.NodeHighlighted[str]) -> None:
        if event.node.data:
            self.show_fact(self.base.get(event.node.data))

    @on(Tree.NodeSelected, "#browse")
    def browse_open(self, event: Tree.NodeSelected[str]) -> None:
        if event.node.data:
            self.open_fact(event.node.data)

    def action_back(self) -> None:
        self._go(self.history.back(), "Nothing further back.")

    def action_forward(self) -> None:
        self._go(self.history.forward(), "Nothing further forward.")

    def _go(self, fact_id: str | None, nothing: str) -> None:
        if fact_id is None:
            self.notify(nothing, markup=False, timeout=2)
            return
        self.show_fact(self.base.get(fact_id))

    def action_step(self, delta: int) -> None:
        """Open the next or previous fact of the current section."""
        if self.current is None:
            return
        siblings = self.base.in_section(self.current.chapter, self.current.section)
        index = next((i for i, f in enumerate(siblings) if f.id == self.current.id), 0)
        target = index + delta
        if 0 <= target < len(siblings):
            self.history.visit(self.current.id)
            self.open_fact(siblings[target].id)

    # Copy, mark, export -------------------------------------------------

    def action_copy_citation(self) -> None:
        if self.current is not None:
            self.app.copy_citation(self.current)  # type: ignore[attr-defined]

    def action_pick_style(self) -> None:
        if self.current is not None:
            self.app.pick_style(self.current)  # type: ignore[attr-defined]

    def action_copy_quote(self) -> None:
        if self.current is not None:
            self.app.copy_text(" ".join(self.current.quote.split()), "quote")  # type: ignore[attr-defined]

    def action_toggle_mark(self) -> None:
        """Mark the fact under the focused list's cursor, else the fact shown."""
        focused = self.focused
        fact_id = focused.cursor_id if isinstance(focused, FactList) else None
        if fact_id is None and self.current is not None:
            fact_id = self.current.id
        if fact_id is None:
            return
        self.marked.symmetric_difference_update({fact_id})
        self.query_one(ResultsList).redraw_fact(fact_id)
        state = "Marked" if fact_id in self.marked else "Unmarked"
        self.notify(f"{state} {fact_id}; {len(self.marked)} marked. e exports them.", markup=False)

    def action_export(self) -> None:
        ids = [f.id for f in self.base.facts if f.id in self.marked]
        if not ids and self.current is not None:
            ids = [self.current.id]
        self.app.export_facts(ids)  # type: ignore[attr-defined]


def _set_classes(node: DOMNode, classes: Mapping[str, bool], update: bool = True) -> None:
    """Add and remove classes with one restyle at most (``update_classes`` where Textual
    has it: 8.0 has not)."""
    batch = getattr(node, "update_classes", None)
    if batch is not None:
        batch(classes, update=update)
        return
    adds = [name for name, on in classes.items() if on and not node.has_class(name)]
    drops = [name for name, on in classes.items() if not on and node.has_class(name)]
    node.add_class(*adds, update=update and not drops)
    node.remove_class(*drops, update=update)
