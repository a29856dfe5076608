"""Browse mode: sources, chapters, sections and facts as a tree.

| Key | Action |
| :- | :- |
| up / down | Move. |
| right / left | Open or close a branch. |
| enter | Open a branch, or show a fact. |
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Tree

from explorer.model import FactBase
from explorer.tui.safe import clean


def literal(text: str, style: str = "") -> Text:
    """Tree labels are Rich Text: built directly, so never parsed as markup."""
    return Text(clean(text), style=style)


class BrowseTree(Tree[str]):
    """The whole base in reading order; a leaf's data is its fact id."""

    def fill(self, base: FactBase) -> None:
        """Build the tree from ``base`` (sources open, chapters closed)."""
        self.clear()
        self.root.set_label(literal(f"{len(base.facts)} facts"))
        for source in base.sources.values():
            source_node = self.root.add(literal(source.title, "bold"), expand=True)
            for chapter in base.chapters.values():
                if chapter.source_id != source.id:
                    continue
                count = sum(1 for f in base.facts if f.chapter == chapter.id)
                chapter_node = source_node.add(literal(f"{chapter.title} ({count})"))
                for section in chapter.sections:
                    facts = base.in_section(chapter.id, section.title)
                    node = chapter_node.add(literal(f"{section.title} ({len(facts)})"))
                    for fact in facts:
                        node.add_leaf(literal(fact.claim), data=fact.id)
        self.root.expand()
