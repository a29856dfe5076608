"""Words that mean the same to a searcher: the synonym table and the glossary.

Both are data in ``facts/``: ``synonyms.yaml`` lists groups of words or
phrases, ``glossary.yaml`` pairs each acronym with its expansion. They merge
into classes of entries; an entry is a tuple of terms, looked up by stems so
that ``employee`` and ``employees`` find the same class.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from explorer.model import Term as GlossaryTerm
from explorer.records import dataclass, field
from explorer.search.text import STOPWORDS, stem, terms

MAX_ENTRY = 6
"""The most words an entry may have."""

Entry = tuple[str, ...]


@dataclass
class Thesaurus:
    """Classes of equivalent entries, with a lookup by stemmed words."""

    classes: list[tuple[Entry, ...]] = field(default_factory=list)
    """Each class's entries (terms, stopwords dropped)."""
    lookup: dict[Entry, int] = field(default_factory=dict)
    """Stemmed entry -> its class."""
    longest: int = 1
    """The most words any entry has."""
    wider: dict[Entry, tuple[Entry, ...]] = field(default_factory=dict)
    """Stemmed narrow entry -> the entries that name it more broadly (one way only)."""

    def broader(self, entry: Sequence[str]) -> tuple[Entry, ...]:
        """Return the entries that name ``entry`` more broadly, or ()."""
        return self.wider.get(tuple(stem(t) for t in entry), ())

    def others(self, entry: Sequence[str]) -> tuple[Entry, ...]:
        """Return the entries equivalent to ``entry`` (itself excluded), or ()."""
        key = tuple(stem(t) for t in entry)
        index = self.lookup.get(key)
        if index is None:
            return ()
        return tuple(e for e in self.classes[index] if tuple(stem(t) for t in e) != key)

    def match(self, words: Sequence[str], start: int) -> int:
        """Return how many words from ``start`` form the longest entry, or 0."""
        for size in range(min(self.longest, len(words) - start), 1, -1):
            if tuple(stem(t) for t in words[start : start + size]) in self.lookup:
                return size
        return 0


def entry_of(text: str) -> Entry:
    """Return the terms of a word or phrase as a thesaurus entry."""
    found = tuple(t.text for t in terms(text) if t.kind != "value")
    kept = tuple(t for t in found if t not in STOPWORDS)
    return (kept or found)[:MAX_ENTRY]


def build_thesaurus(
    synonyms: Iterable[Sequence[str]],
    glossary: Iterable[GlossaryTerm],
    broader: Iterable[Sequence[str]] = (),
) -> Thesaurus:
    """Merge synonym groups and acronym pairs into classes.

    Args:
        synonyms: Groups of words or phrases that mean the same.
        glossary: Acronyms with their expansions; each pair is a group.
        broader: Groups whose first word names the others more broadly.

    Returns:
        The thesaurus; groups sharing an entry become one class.
    """
    groups = [[entry_of(w) for w in group] for group in synonyms]
    groups += [[entry_of(t.acronym), entry_of(t.full)] for t in glossary]
    parent: dict[Entry, Entry] = {}

    def root(key: Entry) -> Entry:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for group in groups:
        keys = [tuple(stem(t) for t in e) for e in group if e]
        for key in keys[1:]:
            parent[root(key)] = root(keys[0])
        if keys:
            root(keys[0])
    members: dict[Entry, dict[Entry, None]] = {}
    for group in groups:
        for entry in group:
            if entry:
                members.setdefault(root(tuple(stem(t) for t in entry)), {})[entry] = None
    out = Thesaurus()
    for entries in members.values():
        out.classes.append(tuple(entries))
        for entry in entries:
            out.lookup[tuple(stem(t) for t in entry)] = len(out.classes) - 1
            out.longest = max(out.longest, len(entry))
    for ladder in broader:
        wide, *narrow = (entry_of(w) for w in ladder)
        for entry in narrow:
            if wide and entry:
                key = tuple(stem(t) for t in entry)
                out.wider[key] = (*out.wider.get(key, ()), wide)
    return out
