"""The chapter pane: the chapter's summary, the section, and its other facts.

| Key | Action |
| :- | :- |
| up / down | Step through the section's facts. |
| enter | Open that fact. |
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from explorer.model import Fact, FactBase
from explorer.tui.safe import fit, literal
from explorer.tui.widgets.fact_list import FactList


class SectionFacts(FactList):
    """The facts of one section, one line each."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._facts: tuple[Fact, ...] = ()

    def show_section(self, facts: tuple[Fact, ...], cursor: int) -> None:
        """List ``facts`` (rebuilt only when they change) with the cursor on ``cursor``."""
        if facts is not self._facts:
            self._facts = facts
            self.set_rows([f.id for f in facts], cursor)
        elif cursor != self.cursor:
            self.move_to(cursor, announce=False)

    def row(self, index: int, width: int) -> list[Content]:
        claim = Content.assemble(" ", literal(self._facts[index].claim))
        return [fit(claim, width)]


class ChapterPane(Vertical):
    """Where the current fact sits: chapter, section, position, neighbours."""

    def compose(self) -> ComposeResult:
        yield Static(id="chapter-text")
        yield SectionFacts(id="section-facts")

    def show(self, base: FactBase, fact: Fact | None) -> None:
        """Show the chapter and section of ``fact``."""
        text = self.query_one("#chapter-text", Static)
        facts = self.query_one(SectionFacts)
        if fact is None or fact.chapter not in base.chapters:
            facts.show_section((), 0)
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
        facts.show_section(siblings, position)
        self.border_subtitle = f"{position + 1} of {len(siblings)}"
