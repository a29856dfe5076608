"""Field filters: ``chapter:4``, ``kind:target``, ``value:100..500`` and the rest.

Each filter resolves to the fact numbers it admits, and a message when the
user should know something. Two cases, told apart on purpose:

- A value that names nothing (``kind:targt``, ``chapter:9``, ``tag:zzz``,
  ``gri:water``) or cannot be read (``value:lots``, a reversed range such as
  ``year:2020..2010``) gives a message, with the close valid choices, and is
  dropped, so the rest of the query still runs.
- A well-formed filter that names something no fact meets (a chapter or kind
  with no facts, a year or a value range no fact covers) matches nothing, and
  says so: an empty answer is never silent.
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
from array import array
from collections.abc import Sequence

from explorer.lazyre import lazy
from explorer.model import KINDS, FactBase
from explorer.search.fields import Tables
from explorer.search.query import Filter, near

_COMPARE = lazy(r"(?P<op>>=|<=|>|<|=)?(?P<number>.*)", re.DOTALL)
_NUMBER = lazy(
    r"(?P<sign>[-+\u2212]?)(?P<num>(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)\s*"
    r"(?P<scale>hundred|thousand|k|million|mn|m|billion|bn|trillion)?\s*%?"
)
_SCALES = {"hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6,
           "billion": 1e9, "bn": 1e9, "trillion": 1e12}  # fmt: skip
_YES = ("yes", "y", "true", "1", "assured")
_NO = ("no", "n", "false", "0", "not")
_LISTED = 12
"""Choices up to this many are all listed when a value names none of them."""

Answer = tuple[list[int] | None, str]
"""The fact numbers a filter admits (None: the filter is dropped) and a message, or ``""``."""


def filter_ids(base: FactBase, tables: Tables, item: Filter) -> Answer:
    """Return the fact numbers a filter admits (ascending), and what to tell the user.

    Args:
        base: The fact base (for chapter numbers and titles).
        tables: The index's filter tables.
        item: The filter.

    Returns:
        ``(ids, "")`` when all is well; ``(ids, message)`` when the filter
        matches no fact (``ids`` is then empty); ``(None, message)`` when the
        filter names nothing or cannot be read, and is dropped.
    """
    name, value = item.name, item.value.casefold()
    if name == "value":
        return _values(tables, value)
    if name == "year":
        return _years(tables, value)
    if name == "chapter":
        return _chapter(base, tables, item.value)
    if name == "assured":
        return _assured(tables, value)
    if name in ("kind", "source"):
        table = tables.kind if name == "kind" else tables.source
        choices = KINDS if name == "kind" else tuple(base.sources)
        keys = [k for k in choices if k == value] or [k for k in choices if k.startswith(value)]
        if not keys:
            return None, _names_nothing(name, item.value, choices, f"{name}s are")
        return _admitted(_union(table, keys), f"no fact is of {name} {', '.join(keys)}")
    table = {"tag": tables.tag, "gri": tables.gri, "metric": tables.metric}[name]
    if value in table:
        return list(table[value]), ""
    found = _union(table, [k for k in table if k.startswith(value)])
    if found:
        return found, ""
    label = {"tag": "tag", "gri": "GRI disclosure", "metric": "metric"}[name]
    plural = {"tag": "tags are", "gri": "GRI disclosures are", "metric": "metrics are"}[name]
    shape = "GRI codes look like 305-1" if name == "gri" else ""
    return None, _names_nothing(label, item.value, sorted(table), plural, shape)


def _names_nothing(
    label: str, value: str, choices: Sequence[str], plural: str, otherwise: str = ""
) -> str:
    """Say that ``value`` names no ``label``: the close choices, or all when they are few.

    Args:
        label: What the value should name (``tag``, ``GRI disclosure``).
        value: What the user wrote.
        choices: The valid values.
        plural: How the list of all of them starts (``tags are``).
        otherwise: A hint for when no choice is close and they are too many to list.
    """
    said = f"no {label} {value!r}"
    close = near(value, choices)
    if close:
        return f"{said}; did you mean {', '.join(close)}?"
    if not choices:
        return f"{said}; no fact has a {label}"
    if len(choices) <= _LISTED:
        return f"{said}; {plural} {', '.join(choices)}"
    return f"{said}; {otherwise}" if otherwise else said


def _admitted(ids: list[int], empty: str) -> Answer:
    """The ids, with ``empty`` as the message when there are none."""
    return ids, "" if ids else empty


def _union(table: dict[str, array[int]], keys: list[str]) -> list[int]:
    lists = [table[k] for k in keys if k in table]
    if len(lists) == 1:
        return list(lists[0])
    return list(dict.fromkeys(heapq.merge(*lists)))


def _chapter(base: FactBase, tables: Tables, value: str) -> Answer:
    keys = _chapters(base, value.casefold())
    if not keys:
        choices = [c.number or c.id for c in base.chapters.values()]
        titles = {c.title: c.number or c.id for c in base.chapters.values()}
        close = near(value, choices) or [titles[t] for t in near(value, list(titles))]
        hint = f"did you mean {', '.join(dict.fromkeys(close))}?" if close else ""
        hint = hint or f"chapters are {', '.join(choices)}"
        return None, f"no chapter {value!r}; {hint}"
    names = ", ".join(f"{c.number or c.id} ({c.title})" for c in map(base.chapters.get, keys) if c)
    return _admitted(_union(tables.chapter, keys), f"no fact is in chapter {names}")


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


def _assured(tables: Tables, value: str) -> Answer:
    if value in _YES:
        return _admitted(list(tables.assurance.get("assured", ())), "no fact is assured")
    if value in _NO:
        unassured = _union(tables.assurance, [k for k in tables.assurance if k != "assured"])
        return _admitted(unassured, "every fact is assured")
    keys = [k for k in tables.assurance if k.startswith(value)]
    if keys:
        return _union(tables.assurance, keys), ""
    levels = sorted(tables.assurance)
    close = near(value, [*levels, "yes", "no"])
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return None, f"assured:{value} should be yes or no, or one of {', '.join(levels)}{hint}"


def _years(tables: Tables, value: str) -> Answer:
    """``year:2020``, ``year:2016..2018``, and the open ``year:2018..`` and ``year:..2018``."""
    low, dots, high = value.partition("..")
    high = high if dots else low
    if not (low or high) or not all(_is_year(text) for text in (low, high) if text):
        return None, f"year:{value} should be a year such as 2020, or 2019..2020"
    first, last = int(low or 0), int(high or 9999)
    if first > last:
        return None, f"year:{value} is reversed; write year:{high}..{low}"
    known = sorted(int(year) for year in tables.year)
    found = _union(tables.year, [str(year) for year in known if first <= year <= last])
    covered = f"; facts cover {known[0]} to {known[-1]}" if known else ""
    return _admitted(found, f"no fact covers year:{value}{covered}")


def _is_year(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 4


def _values(tables: Tables, value: str) -> Answer:
    """``value:>1000000``, ``value:<=5``, ``value:=33.2``, ``value:100..500``."""
    bad = f"value:{value} should be a comparison such as >1000000 or a range such as 100..500"
    if ".." in value:
        low_text, _, high_text = value.partition("..")
        low = _number(low_text) if low_text else -math.inf
        high = _number(high_text) if high_text else math.inf
        if low is None or high is None or not (low_text or high_text):
            return None, bad
        if low > high:
            return None, f"value:{value} is reversed; write value:{high_text}..{low_text}"
        start = bisect.bisect_left(tables.values, low)
        end = bisect.bisect_right(tables.values, high)
    else:
        found = _COMPARE.fullmatch(value)
        number = _number(found.group("number")) if found else None
        if found is None or number is None:
            return None, bad
        op = found.group("op") or "="
        left = bisect.bisect_left(tables.values, number)
        right = bisect.bisect_right(tables.values, number)
        start, end = {
            ">": (right, len(tables.values)), ">=": (left, len(tables.values)),
            "<": (0, left), "<=": (0, right), "=": (left, right),
        }[op]  # fmt: skip
    return _admitted(sorted(tables.value_ids[start:end]), f"no fact has value:{value}")


def _number(text: str) -> float | None:
    """The number ``text`` is, all of it (``1.5billion``, ``-5``, ``33.2%``), or None."""
    found = _NUMBER.fullmatch(text.strip())
    if found is None:
        return None
    scale = found.group("scale")
    number = float(found.group("num").replace(",", "")) * (_SCALES[scale] if scale else 1.0)
    if not math.isfinite(number):
        return None
    return -number if found.group("sign") in ("-", "\u2212") else number
