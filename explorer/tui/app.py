"""ExplorerApp: the terminal app over a fact base. Small: screens and widgets do the work."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.notifications import Notification, Notify, SeverityLevel
from textual.widgets import Input

from explorer.keys import DEFAULT_KEYS, normal_key, split_keys
from explorer.model import Fact, FactBase
from explorer.tui.providers import ActionsProvider, FactsProvider
from explorer.tui.screens import bound
from explorer.tui.screens.main import MainScreen, warm

# The clipboard, the help, export and style screens (and the citation code under the
# last) load when first used: the first frame needs none of them.
if TYPE_CHECKING:
    from explorer.clipboard import CopyOutcome

T = TypeVar("T")
BURST = 3
"""Printable keys that come together (queued at once) and are text, not key presses:
two may be a person typing ahead while a frame is slow, and fire their bindings."""
PASTED = {"enter": "\n", "ctrl+j": "\n", "tab": " "}
"""Keys a paste types for its line breaks and tabs: text too, once a burst has begun."""
Copier = Callable[[str], "CopyOutcome"]
Opener = Callable[[], FactBase]


class ExplorerApp(App[None]):
    """Find, read, follow and cite facts, keyboard first."""

    CSS_PATH = "explorer.tcss"
    TITLE = "Fact Explorer"
    COMMANDS = App.COMMANDS | {ActionsProvider, FactsProvider}
    # Ids and default keys: explorer.keys.BINDINGS, which the config is checked against.
    BINDINGS = [
        # With priority (see explorer.keys), so ? opens the help from the search bar.
        bound("help", "help", "Help", tooltip="Show every key"),
        # Not in the footer's list: the footer keeps the palette's key on its right.
        bound("palette", "command_palette", "Commands", show=False,
              tooltip="Search actions and facts"),
        bound("quit", "quit", "Quit", tooltip="Quit the explorer"),
    ]  # fmt: skip

    def __init__(
        self,
        base: FactBase | Opener,
        *,
        style: str = "plain",
        keymap: dict[str, str] | None = None,
        copier: Copier | None = None,
        config_path: str = "",
        collector_paused: bool = False,
    ) -> None:
        super().__init__()
        self._collector_paused = collector_paused
        """Whether the caller turned the garbage collector off for the start (as
        `explorer.cli.app_for` does): the app turns it back on after its first frame."""
        # Given an opener, the app paints first and loads the base right after (in a
        # thread): importing the engine and reading the base would double the first paint.
        self._opener = None if isinstance(base, FactBase) else base
        self.base = base if isinstance(base, FactBase) else FactBase((), {}, {})
        self.failure: Exception | None = None
        """Why the base could not be opened (the app then exits with code 1)."""
        self.cite_style = style
        if not config_path:
            from explorer.config import config_path as default_config

            config_path = str(default_config())
        self.config_path = config_path
        self.last_export_folder: Path | None = None
        """The folder of the last export, where the next one starts."""
        self._keymap_wanted = keymap or {}
        # The footer shows the palette's key by looking this one up: the user's, if remapped.
        palette_keys = self._keymap_wanted.get("palette", DEFAULT_KEYS["palette"])
        palette = normal_key(split_keys(palette_keys)[0])
        self.COMMAND_PALETTE_BINDING = palette  # type: ignore[misc]  # Textual reads it per app
        self.copier: Copier = copier or self._copy
        self._held: list[events.Key] = []
        """Printable keys held back from a list or pane (see `on_event`)."""
        self._next_notice: Notification | None = None
        """The notice to show once the messages queued now are handled (see `notify`)."""
        self._notice_due = False
        self._shown_notice: Notification | None = None

    # Typing outside the search bar ----------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Hold the printable keys that would go to a list or pane, until the keys queued
        behind them are in: keys that come together go to the search bar as one paste.

        A terminal without bracketed paste types a paste one key per character, and on a
        list most characters are bindings: a paste there marked, copied, opened the export
        dialog, once a key, with a notice each (seconds for a few thousand keys, and
        ``ctrl+q`` waited behind them). The first held key schedules `release_keys`,
        which Textual queues behind the keys already waiting, the signal the search bar
        uses: a key on its own (typed by a person) goes on to its binding as before, and
        so do two, but `BURST` or more are a paste.
        """
        if isinstance(event, (events.InputEvent, events.Paste)) and not event.is_forwarded:
            if isinstance(event, events.Key) and self._holds(event):
                if not self._held:
                    self.call_later(self.release_keys, self._held)
                self._held.append(event)
                return
            await self.release_keys()  # keys held come before what was sent after them
            if isinstance(event, events.Paste) and self._typing_outside_the_bar():
                self.main.focus_search_at_once()  # a list has no use for pasted text
        await super().on_event(event)

    def _typing_outside_the_bar(self) -> bool:
        screen = self.screen_stack[-1] if self.screen_stack else None
        return isinstance(screen, MainScreen) and not isinstance(screen.focused, Input)

    def _holds(self, key: events.Key) -> bool:
        if self._held and key.key in PASTED:
            return True
        return key.is_printable and self._typing_outside_the_bar()

    async def release_keys(self, batch: list[events.Key] | None = None) -> None:
        """Hand on the held keys: a few as the keys they are, a `BURST` as a paste into
        the search bar (which selects its query on focus, so the paste replaces it, as
        after ``/``; Input keeps a paste's first line).

        Args:
            batch: The held keys this call was scheduled for: if they were handed on
                already (other input came), the keys held since wait for their own call.
        """
        if batch is not None and batch is not self._held:
            return
        held, self._held = self._held, []
        if len(held) >= BURST and self._typing_outside_the_bar():
            text = "".join(PASTED.get(key.key) or key.character or "" for key in held)
            self.main.focus_search_at_once()
            await super().on_event(events.Paste(text))  # to the bar, before any later key
            return
        for key in held:
            await super().on_event(key)

    # Notices ---------------------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show one notice at a time: a new one replaces the one on screen.

        Textual stacks notices and looks through every earlier one as each new one comes,
        so a burst of them cost their square and covered the results. Notices sent while
        the same messages are handled come up as one, the latest; one the same as the
        notice still on screen is not shown again. Thread-safe, as Textual's.

        Args:
            message: What to say (markup only if ``markup``; the app's own pass False).
            title: A title above it.
            severity: ``information``, ``warning`` or ``error``.
            timeout: Seconds on screen (None for `NOTIFICATION_TIMEOUT`).
            markup: Render ``message`` as content markup.
        """
        seconds = self.NOTIFICATION_TIMEOUT if timeout is None else timeout
        self._next_notice = Notification(message, title, severity, seconds, markup=markup)
        if not self._notice_due:
            self._notice_due = True
            self.call_later(self._show_next_notice)

    def _show_next_notice(self) -> None:
        self._notice_due = False  # before taking it: a notice sent from now on is due again
        notice, self._next_notice = self._next_notice, None
        shown = self._shown_notice
        if notice is None or (shown is not None and self._still_shown(shown, notice)):
            return
        self._shown_notice = notice
        self.clear_notifications()
        self.post_message(Notify(notice))

    def _still_shown(self, shown: Notification, notice: Notification) -> bool:
        same = (shown.message, shown.title, shown.severity, shown.markup) == (
            notice.message, notice.title, notice.severity, notice.markup
        )  # fmt: skip
        return same and shown in self._notifications and not shown.has_expired

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.base, opening=self._opener is not None)

    def on_mount(self) -> None:
        if self._keymap_wanted:
            self.set_keymap(self._keymap_wanted)
        if self._collector_paused:  # first, so the base's loader finds the collector on
            self.call_after_refresh(self._resume_collector)
        if self._opener is not None:
            self.call_after_refresh(self.open_base)

    def _resume_collector(self) -> None:
        import gc

        # Everything made so far (Textual's modules, the screen) lives as long as the app:
        # frozen, no collection goes through it again.
        gc.freeze()
        gc.enable()
        self._collector_paused = False

    @work(thread=True, exclusive=True, group="open")
    def open_base(self) -> None:
        """Load the base after the first frame; a base that cannot be used ends the app."""
        assert self._opener is not None
        try:
            base = self._opener()
        except Exception as err:  # FactBaseError, OSError...: the command line says which
            self.failure = err
            self.call_from_thread(self.exit, None, 1)
            return
        warm(base)  # here, so typing never competes with it for the interpreter
        self.call_from_thread(self._opened, base)

    def _opened(self, base: FactBase) -> None:
        import gc

        gc.freeze()  # the base lives as long as the app: keep the collector off it while typing
        self.base = base
        self.main.base_ready(base, warmed=True)

    @property
    def main(self) -> MainScreen:
        """The main screen (under any modal)."""
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    def all_bindings(self) -> list[tuple[str, Binding]]:
        """Every binding of the app and its screens, keys as remapped by the user."""
        from explorer.tui.screens.export import ExportScreen
        from explorer.tui.screens.help import key_label
        from explorer.tui.screens.picker import StylePicker

        groups = [self.BINDINGS, MainScreen.BINDINGS, StylePicker.BINDINGS, ExportScreen.BINDINGS]
        out = []
        for group in groups:
            for binding in group:
                assert isinstance(binding, Binding)
                keys = self._keymap_wanted.get(binding.id or "", binding.key)
                out.append((key_label(keys), binding))
        return out

    async def run_in_thread(self, function: Callable[..., T], *args: Any) -> T:
        """Run a blocking call off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(None, partial(function, *args))

    def action_help(self) -> None:
        """Open the help screen, or close it when it is open."""
        from explorer.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen(self.all_bindings(), self.config_path))

    def open_fact(self, fact_id: str) -> None:
        """Open a fact on the main screen (from the command palette)."""
        self.main.open_fact(fact_id)

    # Copying ---------------------------------------------------------------

    def _copy(self, text: str) -> CopyOutcome:
        """Copy with the native tool, else by OSC 52 through Textual (the default copier)."""
        from explorer.clipboard import copy

        return copy(text, osc52=self.copy_to_clipboard)

    def copy_text(self, text: str, what: str) -> None:
        """Copy text and say truthfully where it went."""
        outcome = self.copier(text)
        severity: SeverityLevel = "information" if outcome.ok else "warning"
        self.notify(
            f"{what[:1].upper()}{what[1:]}: {outcome.message}", markup=False, severity=severity
        )

    def copy_citation(self, fact: Fact, style: str | None = None) -> None:
        """Copy the citation of ``fact`` in ``style`` (the default style when None)."""
        from explorer.cite import cite, style_label
        from explorer.styles import StyleError

        chosen = style or self.cite_style
        try:
            text = cite(self.base, fact, chosen, flavour="both")
        except StyleError as err:  # a user's .csl that cannot be rendered
            self.notify(f"Not copied: {err}", markup=False, severity="error")
            return
        self.copy_text(text, f"{style_label(chosen)} citation")

    def pick_style(self, fact: Fact) -> None:
        """Open the style picker; copy in the chosen style."""

        def chosen(style: str | None) -> None:
            if style:
                self.cite_style = style
                self.copy_citation(fact, style)

        from explorer.tui.screens.picker import StylePicker

        self.push_screen(StylePicker(self.base, fact, self.cite_style), chosen)

    def export_facts(self, ids: list[str]) -> None:
        """Ask for a format and path, then export these facts."""
        if not ids:
            self.notify("Nothing to export: mark facts with space first.", markup=False)
            return

        def chosen(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            from explorer.export import ExportError, export
            from explorer.paths import shown

            facts = [f for f in (self.base.get(i) for i in ids) if f is not None]
            try:
                written = export(self.base, facts, answer[0], answer[1])
            except (ExportError, OSError) as err:
                self.notify(f"Not exported: {err}", markup=False, severity="error")
                return
            self.last_export_folder = written.parent
            facts_written = "1 fact" if len(facts) == 1 else f"{len(facts):,} facts"
            self.notify(f"Exported {facts_written} to {shown(written)}", markup=False)

        from explorer.tui.screens.export import ExportScreen, export_folder

        folder, why = export_folder(self.last_export_folder)
        self.push_screen(ExportScreen(len(ids), folder, why), chosen)
