"""Surgical edits of a fact file: one fact's lines changed, every other byte kept.

A round-trip YAML library re-emits what it parsed and moves quoting and
spacing it does not model; these edits touch only the lines of one fact (its
``- id:`` line found by the loader), so comments, order and quoting elsewhere
stay as they were, and ``git diff`` shows only the change.
"""

from __future__ import annotations

import re
from typing import Any

from explorer.draft.write import fact_item, scalar
from explorer.model import FACT_FIELDS


class EditError(ValueError):
    """The file does not have the fact where the loader said, or the field cannot be edited."""


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def item_span(lines: list[str], id_line: int) -> tuple[int, int, int]:
    """The fact at ``id_line`` (1-based): its first line, the line after its last, its indent.

    Its last line is the last one indented deeper than its ``- `` before the next
    item or key; blank lines and comments after it belong to what follows.
    """
    start = id_line - 1
    if not 0 <= start < len(lines):
        raise EditError(f"line {id_line} is past the end of the file")
    found = re.match(r"(\s*)- ", lines[start])
    if found is None:
        raise EditError(f"line {id_line} does not start a list item")
    indent = len(found.group(1))
    end = start + 1
    last = start + 1
    while end < len(lines):
        line = lines[end]
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            if len(line) - len(line.lstrip()) <= indent:
                break
            last = end + 1
        end += 1
    return start, last, indent


def _field_at(lines: list[str], start: int, end: int, indent: int, key: str) -> tuple[int, int]:
    """The lines of one field of the item: (first, after last); (-1, -1) when absent."""
    pattern = re.compile(rf"^\s{{{indent}}}(?:- |  ){re.escape(key)}:")
    for i in range(start, end):
        if pattern.match(lines[i]):
            j = i + 1
            while j < end and (len(lines[j]) - len(lines[j].lstrip())) > indent + 2:
                j += 1
            return i, j
    return -1, -1


def set_field(text: str, id_line: int, key: str, value: Any) -> str:
    """Set one scalar field of the fact at ``id_line``, in place or in schema order."""
    if key == "id":
        raise EditError("an id is never changed (it is how others cite the fact)")
    lines = _lines(text)
    start, end, indent = item_span(lines, id_line)
    first, after = _field_at(lines, start, end, indent, key)
    line = f"{' ' * (indent + 2)}{key}: {scalar(value)}\n"
    if first >= 0:
        if first == start:
            raise EditError("the field on the item's first line cannot be edited")
        lines[first:after] = [line]
        return "".join(lines)
    order = list(FACT_FIELDS)
    place = end
    for earlier in reversed(order[: order.index(key)] if key in order else order):
        f, a = _field_at(lines, start, end, indent, earlier)
        if f >= 0:
            place = a
            break
    lines.insert(place, line)
    return "".join(lines)


def remove_field(text: str, id_line: int, key: str) -> str:
    """Remove one field (and its continuation lines) from the fact at ``id_line``."""
    lines = _lines(text)
    start, end, indent = item_span(lines, id_line)
    first, after = _field_at(lines, start, end, indent, key)
    if first == start:
        raise EditError("the field on the item's first line cannot be removed")
    if first >= 0:
        del lines[first:after]
    return "".join(lines)


def remove_item(text: str, id_line: int) -> str:
    """Remove the fact at ``id_line``, with the blank line that follows it."""
    lines = _lines(text)
    start, end, _indent = item_span(lines, id_line)
    if end < len(lines) and not lines[end].strip():
        end += 1
    del lines[start:end]
    return "".join(lines)


def insert_after(text: str, id_line: int, data: dict[str, Any]) -> str:
    """Insert a new fact after the one at ``id_line``, at its indent."""
    lines = _lines(text)
    start, end, indent = item_span(lines, id_line)
    item = fact_item(data)
    if indent != 2:
        item = "".join(" " * (indent - 2) + line for line in item.splitlines(keepends=True))
    lines[end:end] = ["\n", item]
    return "".join(lines)
