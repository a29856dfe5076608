"""Command-palette providers: every action, and the facts themselves."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from explorer.tui.app import ExplorerApp


class ActionsProvider(Provider):
    """Every action that has a key, by its description."""

    def _commands(self) -> list[tuple[str, str, str]]:
        app: ExplorerApp = self.app  # type: ignore[assignment]
        return [
            (binding.tooltip or binding.description, binding.action, keys)
            for keys, binding in app.all_bindings()
            if binding.action not in ("command_palette", "dismiss", "dismiss(None)")
        ]

    async def discover(self) -> Hits:
        for text, action, keys in self._commands():
            yield DiscoveryHit(text, partial(self._run, action), help=f"key: {keys}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, action, keys in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self._run, action), help=keys)

    async def _run(self, action: str) -> None:
        await self.screen.run_action(action)


class FactsProvider(Provider):
    """Facts matching the palette's query, through the same engine as the search bar."""

    async def search(self, query: str) -> Hits:
        from explorer.search import search

        app: ExplorerApp = self.app  # type: ignore[assignment]
        result = await app.run_in_thread(search, app.base, query, 15)
        for rank, hit in enumerate(result.hits):
            claim = hit.fact.claim if len(hit.fact.claim) < 120 else hit.fact.claim[:117] + "..."
            yield Hit(
                1.0 - rank / 100,
                claim,
                partial(app.open_fact, hit.fact.id),
                text=hit.fact.claim,
                help=f"fact {hit.fact.id}",
            )
