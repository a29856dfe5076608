"""What of a fact is searched, and the tables behind the field filters.

The app highlights spans in the texts `field_text` returns; the index reads
the same texts, so offsets always agree.
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Iterable, Sequence
from itertools import chain, repeat
from operator import attrgetter, call

from explorer.lazyre import lazy
from explorer.model import Fact, FactBase
from explorer.records import dataclass, field

TYPE_CHECKING = False  # typing costs a warm search ~3.5 ms: nothing on its path imports it
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any, Protocol

    class Figured(Protocol):
        """What `figure_text` reads of a fact (a fact file's item can give it too)."""

        @property
        def unit(self) -> str | None: ...
        @property
        def scope(self) -> str | None: ...
        @property
        def period(self) -> str | None: ...
        @property
        def status(self) -> str | None: ...
        @property
        def actual(self) -> str | None: ...
        @property
        def value(self) -> float | int | None: ...
        @property
        def series(self) -> Mapping[str, float | int] | None: ...


SPAN_FIELDS = ("claim", "quote", "tags", "section", "chapter", "metric")
"""Fields whose matches carry spans, in the order hits list them."""

INDEXED = (*SPAN_FIELDS, "figure")
"""Every indexed field; ``figure`` (unit, scope, period, value, series, status) has no spans."""

WEIGHTS = (1.0, 0.55, 0.9, 0.6, 0.5, 0.85, 0.45)
"""How much a match in each of `INDEXED` counts, a claim match being 1."""

_YEAR = lazy(r"(?<!\d)(1[89]\d\d|20\d\d|2100)(?!\d)")


def field_text(base: FactBase, fact: Fact, name: str) -> str:
    """Return the text of one searched field of a fact; spans index into it.

    Args:
        base: The base the fact belongs to (for its chapter's title).
        fact: The fact.
        name: One of `SPAN_FIELDS`; ``tags`` is the tags joined by ``", "``,
            ``chapter`` is the chapter's title.
    """
    if name == "claim":
        return fact.claim
    if name == "quote":
        return fact.quote
    if name == "tags":
        return ", ".join(fact.tags)
    if name == "section":
        return fact.section
    if name == "chapter":
        chapter = base.chapters.get(fact.chapter)
        return chapter.title if chapter is not None else ""
    if name == "metric":
        return fact.metric or ""
    return figure_text(fact)


def figure_text(fact: Figured) -> str:
    """Return the words and numbers of a fact's figure: unit, scope, period, value, series."""
    parts = [fact.unit or "", fact.scope or "", fact.period or "", fact.status or ""]
    parts.append(fact.actual or "")
    if fact.value is not None:
        parts.append(f"{float(fact.value):f}")
    for period, value in (fact.series or {}).items():
        parts += [period, f"{float(value):f}"]
    return " ".join(p for p in parts if p)


def field_values(base: FactBase, name: str, rows: Sequence[int]) -> list[Any]:
    """Return field ``name`` of the facts numbered ``rows`` (from 0), without making them.

    A base opened from the cache makes each fact when first asked for
    (`explorer.cache.FactsOnDemand`); ranking reads a few fields of thousands of
    candidates, so those are read from its columns. Any other base's facts are read.
    """
    read = getattr(base.facts, "field_values", None)
    if read is not None:
        values: list[Any] = read(name, rows)
        return values
    facts = base.facts
    return [getattr(facts[i], name) for i in rows]


class _Appends(dict[object, "Callable[[int], None]"]):
    """The append of each key's array in a table, the array made the first time it is asked."""

    def __init__(self, table: dict[Any, array[int]]) -> None:
        super().__init__((key, ids.append) for key, ids in table.items())
        self.table = table

    def __missing__(self, key: Any) -> Callable[[int], None]:
        ids = self.table[key] = array("I")
        self[key] = ids.append
        return ids.append


def file_under(table: dict[Any, array[int]], keys: Iterable[Any], numbers: Iterable[int]) -> None:
    """Append each of ``numbers`` to the array of the key beside it in ``keys``, a new
    array for a key ``table`` has not met (in the order keys are first met, as a loop
    of ``setdefault`` gives): the loop runs in C, not a step of Python per number."""
    deque(map(call, map(_Appends(table).__getitem__, keys), numbers), maxlen=0)


def years_of(fact: Fact) -> set[int]:
    """Return the years a fact covers: its period's span and its series' years."""
    years = [int(y) for y in _YEAR.findall(fact.period or "")]
    out = (
        set(range(min(years), max(years) + 1)) if years and max(years) - min(years) < 200 else set()
    )
    for key in fact.series or {}:
        out.update(int(y) for y in _YEAR.findall(key))
    return out


@dataclass
class Tables:
    """Fact ids (ascending) by the value of each filterable field."""

    kind: dict[str, array[int]] = field(default_factory=dict)
    chapter: dict[str, array[int]] = field(default_factory=dict)
    source: dict[str, array[int]] = field(default_factory=dict)
    assurance: dict[str, array[int]] = field(default_factory=dict)
    tag: dict[str, array[int]] = field(default_factory=dict)
    gri: dict[str, array[int]] = field(default_factory=dict)
    metric: dict[str, array[int]] = field(default_factory=dict)
    year: dict[str, array[int]] = field(default_factory=dict)
    values: array[float] = field(default_factory=lambda: array("d"))
    """Every fact value, ascending."""
    value_ids: array[int] = field(default_factory=lambda: array("I"))
    """The fact of each entry of `values`."""

    def add(self, i: int, fact: Fact) -> None:
        """Record fact number ``i`` under each of its field values."""
        for table, key in ((self.kind, fact.kind), (self.chapter, fact.chapter),
                           (self.source, fact.source), (self.assurance, fact.assurance),
                           (self.metric, fact.metric or "")):  # fmt: skip
            if key:
                table.setdefault(key, array("I")).append(i)
        for tag in dict.fromkeys(t.casefold() for t in fact.tags):
            self.tag.setdefault(tag, array("I")).append(i)
        for code in dict.fromkeys(fact.gri):
            self.gri.setdefault(code.casefold(), array("I")).append(i)
        for year in years_of(fact):
            self.year.setdefault(str(year), array("I")).append(i)

    def add_all(self, facts: Sequence[Fact]) -> None:
        """Record every fact of a base, numbered from 0, as `add` would one by one.

        Column by column, each fact's keys looked up and its number appended in
        C (`file_under`), the tags, GRI codes and years of each distinct value
        worked out once: ~0.43 s -> ~0.25 s for the 100k base, whose cold open
        waits for it.
        """
        numbers = range(len(facts))
        for table, name in ((self.kind, "kind"), (self.chapter, "chapter"),
                            (self.source, "source"), (self.assurance, "assurance"),
                            (self.metric, "metric")):  # fmt: skip
            keyed: dict[Any, array[int]] = table
            file_under(keyed, map(attrgetter(name), facts), numbers)
            for empty in ("", None):  # what `add` leaves out (a fact without a metric)
                keyed.pop(empty, None)
        tags: dict[tuple[str, ...], tuple[str, ...]] = {}
        for t in {fact.tags for fact in facts}:
            tags[t] = tuple(dict.fromkeys(tag.casefold() for tag in t))
        self._file_many(self.tag, [tags[fact.tags] for fact in facts])
        codes: dict[tuple[str, ...], tuple[str, ...]] = {}
        for g in {fact.gri for fact in facts}:
            codes[g] = tuple(code.casefold() for code in dict.fromkeys(g))
        self._file_many(self.gri, [codes[fact.gri] for fact in facts])
        years: dict[Any, tuple[str, ...]] = {}
        covered = []
        for fact in facts:
            key = (fact.period, tuple(fact.series)) if fact.series else fact.period
            if key not in years:
                years[key] = tuple(str(year) for year in years_of(fact))
            covered.append(years[key])
        self._file_many(self.year, covered)

    @staticmethod
    def _file_many(table: dict[str, array[int]], keys: list[tuple[str, ...]]) -> None:
        """File fact ``i`` under each of ``keys[i]``."""
        numbers = chain.from_iterable(map(repeat, range(len(keys)), map(len, keys)))
        file_under(table, chain.from_iterable(keys), numbers)

    def add_values(self, facts: tuple[Fact, ...]) -> None:
        """Sort every numeric value once, for range filters."""
        pairs = sorted(
            (float(f.value), i)
            for i, f in enumerate(facts)
            if isinstance(f.value, (int, float)) and not isinstance(f.value, bool)
        )
        self.values = array("d", (v for v, _ in pairs))
        self.value_ids = array("I", (i for _, i in pairs))
