"""The chapter pane: the chapter's summary, the section, and its other facts.

| Key | Action |
| :- | :- |
| up / down | Step through the section's facts. |
| enter | Open that fact. |
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from explorer.model import Fact, FactBase
from explorer.tui.safe import literal

WINDOW = 41
"""Facts of the section listed at once, centred on the current one."""


class ChapterPane(Vertical):
    """Where the current fact sits: chapter, section, position, neighbours."""

    _window: tuple[str, str, int] | None = None
    """The section and first position listed now, so a step inside it rebuilds nothing."""

    def compose(self) -> ComposeResult:
        yield Static(id="chapter-text")
        yield OptionList(id="section-facts")

    def show(self, base: FactBase, fact: Fact | None) -> None:
        """Show the chapter and section of ``fact``."""
        text = self.query_one("#chapter-text", Static)
        facts = self.query_one("#section-facts", OptionList)
        if fact is None or fact.chapter not in base.chapters:
            facts.clear_options()
            self._window = None
            text.update("")
            return
        chapter = base.chapters[fact.chapter]
        siblings = base.in_section(fact.chapter, fact.section)
        position = next((i for i, f in enumerate(siblings) if f.id == fact.id), 0)
        section_no = next((s.index + 1 for s in chapter.sections if s.title == fact.section), 0)
        text.update(
            Content.assemble(
                literal(chapter.title, "bold"),
                Content.styled(
                    f" · section {section_no} of {len(chapter.sections)}: ", "$text-muted"
                ),
                literal(fact.section, "bold $accent"),
                Content.styled(f" · fact {position + 1} of {len(siblings)}", "$text-muted"),
                "\n",
                literal(chapter.summary, "$text-muted"),
            )
        )
        # A window of the section around the fact: sections of a big base run to thousands.
        start = max(0, min(position - WINDOW // 2, len(siblings) - WINDOW))
        window = siblings[start : start + WINDOW]
        if self._window != (fact.chapter, fact.section, start):
            self._window = (fact.chapter, fact.section, start)
            facts.clear_options()
            facts.add_options([Option(literal(f.claim), id=f.id) for f in window])
        facts.highlighted = position - start
        self.border_subtitle = f"{position + 1} of {len(siblings)}"
