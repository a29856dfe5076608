"""Field filters: ``chapter:4``, ``kind:target``, ``value:100..500`` and the rest.

Each filter resolves to the fact numbers it admits. A value that names
nothing (``kind:targt``, ``chapter:9``) gives a message and is dropped, so the
rest of the query still runs; a well-formed filter that no fact meets (a tag
no fact carries) simply matches nothing.
"""

from __future__ import annotations

import bisect
import heapq
import re
from array import array

from explorer.model import KINDS, FactBase
from explorer.numbers import parse_number
from explorer.search.fields import Tables
from explorer.search.query import Filter

_COMPARE = re.compile(r"(?P<op>>=|<=|>|<|=)?(?P<number>.+)")
_YES = ("yes", "y", "true", "1", "assured")
_NO = ("no", "n", "false", "0", "not")


def filter_ids(base: FactBase, tables: Tables, item: Filter) -> tuple[list[int] | None, str]:
    """Return the fact numbers a filter admits (ascending), or None and why not.

    Args:
        base: The fact base (for chapter numbers and titles).
        tables: The index's filter tables.
        item: The filter.

    Returns:
        ``(ids, "")`` or ``(None, message)`` when the filter cannot be read.
    """
    name, value = item.name, item.value.casefold()
    if name == "value":
        return _values(tables, value)
    if name == "year":
        return _years(tables, value)
    if name == "chapter":
        keys = _chapters(base, value)
        if not keys:
            known = ", ".join(c.number or c.id for c in base.chapters.values())
            return None, f"no chapter {item.value!r}; chapters are {known}"
        return _union(tables.chapter, keys), ""
    if name == "assured":
        return _assured(tables, value)
    if name in ("kind", "source"):
        table = tables.kind if name == "kind" else tables.source
        choices = KINDS if name == "kind" else tuple(base.sources)
        keys = [k for k in choices if k == value] or [k for k in choices if k.startswith(value)]
        if not keys:
            return None, f"no {name} {item.value!r}; {name}s are {', '.join(choices)}"
        return _union(table, keys), ""
    table = {"tag": tables.tag, "gri": tables.gri, "metric": tables.metric}[name]
    if value in table:
        return list(table[value]), ""
    return _union(table, [k for k in table if k.startswith(value)]), ""


def _union(table: dict[str, array[int]], keys: list[str]) -> list[int]:
    lists = [table[k] for k in keys if k in table]
    if len(lists) == 1:
        return list(lists[0])
    return list(dict.fromkeys(heapq.merge(*lists)))


def _chapters(base: FactBase, value: str) -> list[str]:
    """Chapters named by ``value``: by id or number, else by title, else by a prefix."""
    chapters = list(base.chapters.values())
    found = [c.id for c in chapters if value in (c.id.casefold(), c.number.casefold())]
    found = found or [c.id for c in chapters if c.title.casefold() == value]
    return found or [
        c.id
        for c in chapters
        if c.title.casefold().startswith(value) or c.id.casefold().startswith(value)
    ]


def _assured(tables: Tables, value: str) -> tuple[list[int] | None, str]:
    if value in _YES:
        return list(tables.assurance.get("assured", ())), ""
    if value in _NO:
        return _union(tables.assurance, [k for k in tables.assurance if k != "assured"]), ""
    keys = [k for k in tables.assurance if k.startswith(value)]
    if keys:
        return _union(tables.assurance, keys), ""
    return None, f"assured:{value} should be yes or no"


def _years(tables: Tables, value: str) -> tuple[list[int] | None, str]:
    low, _, high = value.partition("..")
    if not low.isdigit() or (high and not high.isdigit()) or len(low) > 4 or len(high) > 4:
        return None, f"year:{value} should be a year such as 2020, or 2019..2020"
    years = range(int(low), int(high or low) + 1)
    return _union(tables.year, [str(y) for y in years if str(y) in tables.year]), ""


def _values(tables: Tables, value: str) -> tuple[list[int] | None, str]:
    """``value:>1000000``, ``value:<=5``, ``value:=33.2``, ``value:100..500``."""
    bad = f"value:{value} should be a comparison such as >1000000 or a range such as 100..500"
    if ".." in value:
        low_text, _, high_text = value.partition("..")
        low = parse_number(low_text) if low_text else float("-inf")
        high = parse_number(high_text) if high_text else float("inf")
        if low is None or high is None:
            return None, bad
        start = bisect.bisect_left(tables.values, low)
        end = bisect.bisect_right(tables.values, high)
    else:
        found = _COMPARE.fullmatch(value)
        number = parse_number(found.group("number")) if found else None
        if found is None or number is None:
            return None, bad
        op = found.group("op") or "="
        left = bisect.bisect_left(tables.values, number)
        right = bisect.bisect_right(tables.values, number)
        start, end = {
            ">": (right, len(tables.values)), ">=": (left, len(tables.values)),
            "<": (0, left), "<=": (0, right), "=": (left, right),
        }[op]  # fmt: skip
    return sorted(tables.value_ids[start:end]), ""
