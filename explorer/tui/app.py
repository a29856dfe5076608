"""ExplorerApp: the terminal app over a fact base. Small: screens and widgets do the work."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel

from explorer.clipboard import CopyOutcome, copy
from explorer.keys import DEFAULT_KEYS, normal_key, split_keys
from explorer.model import Fact, FactBase
from explorer.tui.providers import ActionsProvider, FactsProvider
from explorer.tui.screens import bound
from explorer.tui.screens.export import ExportScreen
from explorer.tui.screens.help import HelpScreen, key_label
from explorer.tui.screens.main import MainScreen, warm
from explorer.tui.screens.picker import StylePicker

T = TypeVar("T")
Copier = Callable[[str], CopyOutcome]
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
    ) -> None:
        super().__init__()
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
        self._keymap_wanted = keymap or {}
        # The footer shows the palette's key by looking this one up: the user's, if remapped.
        palette_keys = self._keymap_wanted.get("palette", DEFAULT_KEYS["palette"])
        palette = normal_key(split_keys(palette_keys)[0])
        self.COMMAND_PALETTE_BINDING = palette  # type: ignore[misc]  # Textual reads it per app
        self.copier: Copier = copier or (lambda text: copy(text, osc52=self.copy_to_clipboard))

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.base, opening=self._opener is not None)

    def on_mount(self) -> None:
        if self._keymap_wanted:
            self.set_keymap(self._keymap_wanted)
        if self._opener is not None:
            self.call_after_refresh(self.open_base)

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
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen(self.all_bindings(), self.config_path))

    def open_fact(self, fact_id: str) -> None:
        """Open a fact on the main screen (from the command palette)."""
        self.main.open_fact(fact_id)

    # Copying ---------------------------------------------------------------

    def copy_text(self, text: str, what: str) -> None:
        """Copy text and say truthfully where it went."""
        outcome = self.copier(text)
        severity: SeverityLevel = "information" if outcome.ok else "warning"
        self.notify(f"{what.capitalize()}: {outcome.message}", markup=False, severity=severity)

    def copy_citation(self, fact: Fact, style: str | None = None) -> None:
        """Copy the citation of ``fact`` in ``style`` (the default style when None)."""
        from explorer.cite import STYLES, cite

        chosen = style or self.cite_style
        self.copy_text(cite(self.base, fact, chosen), f"{STYLES.get(chosen, chosen)} citation")

    def pick_style(self, fact: Fact) -> None:
        """Open the style picker; copy in the chosen style."""

        def chosen(style: str | None) -> None:
            if style:
                self.cite_style = style
                self.copy_citation(fact, style)

        self.push_screen(StylePicker(self.base, fact, self.cite_style), chosen)

    def export_facts(self, ids: list[str]) -> None:
        """Ask for a format and path, then export these facts."""
        if not ids:
            self.notify("Nothing to export: mark facts with space first.", markup=False)
            return

        def chosen(answer: tuple[str, Path] | None) -> None:
            if answer is None:
                return
            from explorer.export import ExportError, export

            facts = [f for f in (self.base.get(i) for i in ids) if f is not None]
            try:
                written = export(self.base, facts, answer[0], answer[1])
            except (ExportError, OSError) as err:
                self.notify(f"Not exported: {err}", markup=False, severity="error")
                return
            self.notify(f"Exported {len(facts)} fact(s) to {written}", markup=False)

        self.push_screen(ExportScreen(len(ids), Path.cwd()), chosen)
