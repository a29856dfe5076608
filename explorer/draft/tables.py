"""Table rows rebuilt from the cells the layout analysis returns as blocks of their own.

A row is quoted as ``pdftotext -layout`` prints it: its label, then its cells,
left to right ("Total Water Withdrawn (megaliters) 298,235 308,736 311,998").
"""

from __future__ import annotations

import re

from explorer.draft.extract import Block

_CELL = re.compile(
    r"[-~$\u20ac\u00a3(]*\d[\d.,]*\s?(?:%|[A-Za-z]{1,3})?\)?[*\u00b9\u00b2\u00b3]*"
    r"(?:\s*\(\d[\d.,]*\s?%?\))?"
)


def table_rows(blocks: list[Block]) -> list[Block]:
    """Cells that stand side by side on one line, one of them a number, as one row each.

    A table's cells come out of the layout analysis as blocks of one line; a
    quote of a row as printed ("Total Water Withdrawn (megaliters) 298,235
    308,736 311,998") needs them joined, left to right. The rows take the place
    of the first cell, top to bottom, so that rows stand together in the text.
    """
    singles = [i for i, b in enumerate(blocks) if len(b.lines) == 1 and b.bottom > b.top]
    singles.sort(key=lambda i: (blocks[i].top + blocks[i].bottom) / 2)
    groups: list[list[int]] = []
    for i in singles:
        block = blocks[i]
        middle = (block.top + block.bottom) / 2
        if groups:
            last = blocks[groups[-1][0]]
            tall = min(last.bottom - last.top, block.bottom - block.top)
            if abs(middle - (last.top + last.bottom) / 2) < 0.35 * tall:
                groups[-1].append(i)
                continue
        groups.append([i])
    rows: list[Block] = []
    used: set[int] = set()
    labelled = _label_cells(blocks, singles, used)
    for group in groups:
        group = [i for i in group if i not in used]
        cells = sorted((blocks[i] for i in group), key=lambda b: b.left)
        texts = [c.text for c in cells]
        # A label, then cells (numbers, or a word or two such as a unit); or tiles side
        # by side, each a short text with a number ("34.77% female employees").
        numbers = sum(1 for t in texts if _CELL.fullmatch(t))
        table = numbers * 2 >= len(texts) and all(
            _CELL.fullmatch(t) or len(t.split()) <= 6 for t in texts[1:]
        )
        table = table or (
            len(texts[0].split()) <= 12
            and all(re.search(r"\d", t) and len(t.split()) <= 6 for t in texts[1:])
        )
        tiles = all(re.search(r"\d", t) and len(t.split()) <= 8 for t in texts)
        if len(group) < 2 or not (table or tiles):
            continue
        rows.append(Block((" ".join(c.text for c in cells),), cells[0].size, cells[0].bold,
                          min(c.top for c in cells), max(c.bottom for c in cells),
                          cells[0].left, row=True))  # fmt: skip
        used.update(group)
    if not rows and not labelled:
        return blocks
    out: list[Block] = []
    for i, block in enumerate(blocks):
        if i in labelled:
            found = labelled[i]
            out.extend(found if isinstance(found, list) else [found])
        elif i not in used:
            out.append(block)
        elif rows:
            out.extend(rows)
            rows = []
    return out


def _label_cells(
    blocks: list[Block], singles: list[int], used: set[int]
) -> dict[int, Block | list[Block]]:
    """Cells whose label is a block of several lines to their left, joined into that block.

    The cells go at the end of the label's line they stand beside, as ``-layout``
    prints them ("(in millions)   3.88   3.91   4.01"). Marks the cells used.
    """
    labels = [i for i, b in enumerate(blocks) if len(b.lines) > 1]
    lone: dict[int, list[int]] = {}
    for i in singles:
        cell = blocks[i]
        unit = len(cell.text) <= 12 and len(cell.text.split()) <= 2  # "%", "MWh", "t CO2e"
        if i in used or not (_CELL.fullmatch(cell.text) or unit):
            continue
        middle = (cell.top + cell.bottom) / 2
        beside = [j for j in labels if blocks[j].top <= middle <= blocks[j].bottom
                  and blocks[j].left < cell.left]  # fmt: skip
        if beside:
            lone.setdefault(max(beside, key=lambda j: blocks[j].left), []).append(i)
    out: dict[int, Block | list[Block]] = {}
    for j, cells in lone.items():
        label = blocks[j]
        lines = list(label.lines)
        if any(line.endswith(".") for line in lines) or not any(
            _CELL.fullmatch(blocks[i].text) for i in cells
        ):
            continue  # prose, not a label; or units with no number
        if label.bottom <= label.top:
            continue  # lines printed over each other: no line to place the cells beside
        step = (label.bottom - label.top) / len(lines)
        cells.sort(key=lambda i: blocks[i].left)
        at = {int(((blocks[i].top + blocks[i].bottom) / 2 - label.top) / step) for i in cells}
        k = min(len(lines) - 1, at.pop()) if len(at) == 1 else -1
        if k < 0:
            continue  # cells beside different lines
        top, bottom = label.top + k * step, label.top + (k + 1) * step
        right = blocks[cells[-1]].left
        between = [
            b
            for n, b in enumerate(blocks)
            if n != j
            and n not in cells
            and b.top < bottom
            and b.bottom > top
            and label.left < b.left < right
        ]
        if between:
            continue  # other text between the label and its cells
        row = f"{lines[k]} {' '.join(blocks[i].text for i in cells)}"
        used.update(cells)
        if k == len(lines) - 1:  # beside the label's last line: label and row read on
            out[j] = Block((*lines[:-1], row), label.size, label.bold, label.top, label.bottom,
                           label.left, row=True)  # fmt: skip
            continue
        # Beside an inner line: that line and its cells are the row; the lines after
        # it print below the row, so they stand apart.
        parts = [Block(tuple(lines[:k]), label.size, label.bold, label.top, top, label.left)]
        parts.append(Block((row,), label.size, label.bold, top, bottom, label.left, row=True))
        parts.append(Block(tuple(lines[k + 1 :]), label.size, label.bold, bottom, label.bottom,
                           label.left))  # fmt: skip
        out[j] = [part for part in parts if part.lines]
    return out
