"""Browse mode: sources, chapters, sections and facts as a tree.

| Key | Action |
| :- | :- |
| up / down | Move. |
| right / left | Open or close a branch. |
| enter | Open a branch, or show a fact. |
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from explorer.model import Fact, FactBase
from explorer.tui.safe import clean


def literal(text: str, style: str = "") -> Text:
    """Tree labels are Rich Text: built directly, so never parsed as markup."""
    return Text(clean(text), style=style)


def counted(count: int, title: str) -> Text:
    """A branch's label: its count first, so a narrow pane cuts the title, never the count."""
    return Text.assemble((f"{count:>3} ", "dim"), literal(title))


class BrowseTree(Tree[str]):
    """The whole base in reading order; a leaf's data is its fact id.

    A section's facts are added when the section is first opened, so the
    tree costs next to nothing at start-up whatever the size of the base.
    """

    def __init__(self, label: str, **kwargs: Any) -> None:
        # As Text: a str label is parsed as markup, and Rich's markup loads its table of
        # emoji codes (2 ms before the first frame).
        super().__init__(literal(label), **kwargs)

    def say(self, text: str) -> None:
        """Show ``text`` as the root's label (while the base opens)."""
        self.root.set_label(literal(text))

    def fill(self, base: FactBase) -> None:
        """Build the tree from ``base`` (sources open, chapters closed)."""
        self.clear()
        self._base = base
        self._pending: dict[int, tuple[Fact, ...]] = {}
        self.root.set_label(literal(f"{len(base.facts)} facts"))
        for source in base.sources.values():
            source_node = self.root.add(literal(source.title, "bold"), expand=True)
            for chapter in base.chapters.values():
                if chapter.source_id != source.id:
                    continue
                sections = [
                    (section, base.in_section(chapter.id, section.title))
                    for section in chapter.sections
                ]
                count = sum(len(facts) for _s, facts in sections)
                chapter_node = source_node.add(counted(count, chapter.title))
                for section, facts in sections:
                    label = counted(len(facts), section.title)
                    node = chapter_node.add(label, allow_expand=bool(facts))
                    self._pending[node.id] = tuple(facts)
        self.root.expand()

    def render_label(self, node: TreeNode[str], base_style: Style, style: Style) -> Text:
        """The label, cut at a word with an ellipsis where the pane is too narrow for it."""
        text = super().render_label(node, base_style, style)
        depth, parent = 0, node.parent
        while parent is not None:
            depth, parent = depth + 1, parent.parent
        room = self.scrollable_content_region.width - depth * self.guide_depth - 1
        if room <= 8 or text.cell_len <= room:
            return text
        plain = text.plain
        cut = plain.rfind(" ", 0, room)
        cut = cut if cut > room // 2 else room - 1
        short = text[:cut]
        short.rstrip()
        short.append("…")
        return short

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[str]) -> None:
        facts = self._pending.pop(event.node.id, None)
        for fact in facts or ():
            event.node.add_leaf(literal(fact.claim), data=fact.id)
