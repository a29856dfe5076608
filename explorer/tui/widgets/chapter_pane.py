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


class ChapterPane(Vertical):
    """Where the current fact sits: chapter, section, position, neighbours."""

    _section: tuple[str, str] | None = None
    """The section listed now, so stepping within it does not rebuild the list."""

    def compose(self) -> ComposeResult:
        yield Static(id="chapter-text")
        yield OptionList(id="section-facts")

    def show(self, base: FactBase, fact: Fact | None) -> None:
        """Show the chapter and section of ``fact``."""
        text = self.query_one("#chapter-text", Static)
        facts = self.query_one("#section-facts", OptionList)
        if fact is None or fact.chapter not in base.chapters:
            facts.clear_options()
            self._section = None
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
        if self._section != (fact.chapter, fact.section):  # a new section: list its facts
            self._section = (fact.chapter, fact.section)
            facts.clear_options()
            facts.add_options([Option(literal(f.claim), id=f.id) for f in siblings])
        facts.highlighted = position
        self.border_subtitle = f"{position + 1} of {len(siblings)}"
