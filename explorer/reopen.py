"""A base re-opened after some of its fact files were edited: the last base, patched.

Loading a 100k-fact base again builds 100k facts from their parsed files even
when one file changed. When only fact files changed (the same files, the top
files, schema and code as they were), `reopen` keeps every fact of the other
files, and every unchanged fact of the edited ones, as the rows of the last
base, and builds the edited files' facts with the loader's own builder,
which checks them against the kept ones (duplicate ids, chapters, sections).
What spans the base is done again over all of it: the appendix entries (a
disclosure lists the facts citing it), the links, the chapter order. Any
problem at all gives None, and the base is then loaded from its files, which
says every problem as it always has; so a base `reopen` describes is the base
a load from the files gives.

The kept facts are read by field, a column at a time (`explorer.cache.FactsOnDemand`
holds them so): making the 100k facts of the last base to keep them cost a re-open
~0.3 s, and only the edited files' old facts are made, to be compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from explorer import loader
from explorer.appendices import appendix_entries
from explorer.loader import Parsed
from explorer.model import ENTRY_KINDS, Chapter, Fact, FactBase, Source
from explorer.problems import Problem
from explorer.records import field_names
from explorer.walk import walk_base


class Reopened(NamedTuple):
    """The base after an edit, told by the rows of the last base it keeps."""

    found: list[int | None]
    """For each fact of the new base, in base order, its number in the last base
    (the same fact), or None for a fact that is new."""
    added: list[Fact]
    """The new facts, in base order (one for each None of `found`)."""
    sources: dict[str, Source]
    chapters: dict[str, Chapter]

    def facts(self, old: Sequence[Fact]) -> tuple[Fact, ...]:
        """The new base's facts, the kept ones taken from ``old``, the last base's."""
        added = iter(self.added)
        return tuple(old[at] if at is not None else next(added) for at in self.found)

    def base(self, root: Path, old: FactBase, facts: Sequence[Fact] | None = None) -> FactBase:
        """The new base, its facts `facts` of ``old``'s unless given (as `explorer.cache` does)."""
        return FactBase(
            facts=self.facts(old.facts) if facts is None else facts,  # type: ignore[arg-type]
            sources=self.sources, chapters=self.chapters, gri=old.gri, glossary=old.glossary,
            synonyms=old.synonyms, broader=old.broader, root=str(root),
        )  # fmt: skip


class _Citing(NamedTuple):
    """What `appendix_entries` reads of a fact that cites disclosures."""

    id: str
    gri: tuple[str, ...]


def reopen(
    root: Path, old: FactBase, changed: set[str], store: loader.Store | None = None
) -> Reopened | None:
    """The base in ``root`` after the fact files ``changed`` were edited, told from ``old``.

    Args:
        root: The base's folder, as it was given.
        old: The base as it was loaded before the edit, from the same files.
        changed: The edited fact files, named as ``root / relative path``.
        store: Parsed files kept (`explorer.doccache`): an edit undone is not parsed
            again. The edited files' parses are not added: a re-open is the
            common path, and pickling a parse costs about what parsing it does.

    Returns:
        The base (`Reopened.base`), equal to what `explorer.loader.load_factbase`
        gives; None when it cannot be made so (a file is not a fact file, or
        anything is wrong).
    """
    walk = walk_base(root)
    if walk.problems:
        return None
    paths = [Path(file) for file in walk.files]
    position = {path.relative_to(root).as_posix(): i for i, path in enumerate(paths)}
    edited = {path.relative_to(root).as_posix(): path for path in paths if str(path) in changed}
    if len(edited) != len(changed):
        return None
    problems: list[Problem] = []
    builder = loader._Builder(problems)
    sources, chapters = dict(old.sources), dict(old.chapters)
    kinds, files, ids = (_values(old.facts, name) for name in ("kind", "file", "id"))
    curated = [row for row, kind in enumerate(kinds) if kind not in ENTRY_KINDS]
    if not {files[row] for row in curated} <= position.keys():
        return None
    kept = [row for row in curated if files[row] not in edited]
    # Only a problem would read where a kept id stands, and any problem means None.
    builder.where.update(dict.fromkeys([ids[row] for row in kept], ("", 0, 0)))
    was = {ids[row]: row for row in curated if files[row] in edited}
    made: dict[str, list[tuple[Fact, int | None]]] = {}
    for relative, file in sorted(edited.items(), key=lambda item: position[item[0]]):
        with loader.kept_in(_Unkept(store)) if store is not None else nullcontext():
            doc = loader._read(file, "fact_file", problems)
        if problems:
            return None
        if doc is None:  # parsed, yet nothing to build from: let the loader say so
            return None
        built = builder.facts(str(file), doc, relative, sources, chapters)
        if problems:
            return None
        # An unchanged fact is the old row, kept: its postings stay as they are.
        made[relative] = _kept(old.facts, [(f, was.get(f.id)) for f in built])
    lines, gris = _values(old.facts, "line"), _values(old.facts, "gri")
    citing = [(position[files[row]], lines[row], _Citing(ids[row], gris[row]))
              for row in kept if gris[row]]  # fmt: skip
    citing += [(position[f.file], f.line, _Citing(f.id, f.gri))
               for facts in made.values() for f, _row in facts if f.gri]  # fmt: skip
    citing.sort(key=lambda c: c[:2])
    if len({c[:2] for c in citing}) != len(citing):
        return None  # two on a line (flow style): their file order is not known here
    readers: list[Any] = [c[2] for c in citing]  # an id and codes are all it reads of a fact
    fresh = appendix_entries(old.gri, old.glossary, chapters, readers)
    old_entries = {ids[row]: row for row, kind in enumerate(kinds) if kind in ENTRY_KINDS}
    entries = _kept(old.facts, [(e, old_entries.get(e.id)) for e in builder.entries(root, fresh)])
    if problems:
        return None
    if not _linked(old.facts, kept, ids, builder.where.keys(), made, entries):
        return None
    order = {cid: i for i, cid in enumerate(chapters)}
    placed = _in_old_seats(old.facts, kinds, files, made, entries, order)
    if placed is None:
        placed = _sorted(old.facts, kept, files, lines, made, entries, order, position)
    found = [item if type(item) is int else None for item in placed]
    added = [item for item in placed if type(item) is not int]
    return Reopened(found, added, sources, chapters)  # type: ignore[arg-type]


def _values(facts: Sequence[Fact], name: str) -> list[Any]:
    """Field ``name`` of every fact, from the columns of a base made on demand."""
    column = getattr(facts, "column", None)
    return column(name) if column is not None else list(map(attrgetter(name), facts))


def _kept(
    old: Sequence[Fact], pairs: list[tuple[Fact, int | None]]
) -> list[tuple[Fact, int | None]]:
    """Each fact with the old row it may be, kept only when the old fact there equals it.

    The old facts are read from their columns, not made: a disclosure of a 100k
    base links to hundreds of facts, and comparing their links one `Link` at a time
    cost ~0.3 s. A fact's fields are compared as `Fact`'s ``==`` does, its links as pairs.
    """
    rows = [row for _f, row in pairs if row is not None]
    read = getattr(old, "field_values", None)
    if read is None or not rows:
        return [(f, row if row is not None and old[row] == f else None) for f, row in pairs]
    columns = [read(name, rows, pairs=True) for name in _NAMES]
    was = dict(zip(rows, zip(*columns, strict=True), strict=True))
    out: list[tuple[Fact, int | None]] = []
    for fact, row in pairs:
        if row is not None:
            mine = _FIELDS(fact)
            now = (*mine[:_RELATED], tuple((link.id, link.rel) for link in mine[_RELATED]),
                   *mine[_RELATED + 1 :])  # fmt: skip
            row = row if now == was[row] else None
        out.append((fact, row))
    return out


_NAMES = field_names(Fact)
_FIELDS = attrgetter(*_NAMES)
_RELATED = _NAMES.index("related")


def _linked(
    old: Sequence[Fact],
    kept: list[int],
    ids: list[str],
    now: Any,
    made: dict[str, list[tuple[Fact, int | None]]],
    entries: list[tuple[Fact, int | None]],
) -> bool:
    """Whether every link goes to a fact of the new base, and none to its own fact.

    A kept fact's links were checked when the last base was loaded: they can only
    break when a fact they name went.
    """
    gone = {fid for fid in ids if fid not in now}
    if gone:
        related = _values(old, "related")
        if any(link.id in gone for row in kept for link in related[row]):
            return False
    for fact, _row in (*(pair for facts in made.values() for pair in facts), *entries):
        if any(link.id == fact.id or link.id not in now for link in fact.related):
            return False
    return True


def _in_old_seats(
    old: Sequence[Fact],
    kinds: list[str],
    files: list[str],
    made: dict[str, list[tuple[Fact, int | None]]],
    entries: list[tuple[Fact, int | None]],
    order: dict[str, int],
) -> list[int | Fact] | None:
    """The facts in base order (a kept one as its old row), when each edited file's facts
    take its old facts' seats.

    They do when the edited file has as many facts in each chapter as before
    (the loader's sort puts a file's facts of a chapter side by side, in file
    order) and the appendix entries are the old ones; else None (sort them).
    """
    old_entries = [row for row, kind in enumerate(kinds) if kind in ENTRY_KINDS]
    if len(entries) != len(old_entries) or any(row is None for _e, row in entries):
        return None  # (each a distinct old entry's row: their ids differ)
    seats: dict[str, list[int]] = {relative: [] for relative in made}
    for row, (kind, file) in enumerate(zip(kinds, files, strict=True)):
        if file in seats and kind not in ENTRY_KINDS:
            seats[file].append(row)
    chapter = _values(old, "chapter")
    taking: dict[int, int | Fact] = {}
    for relative, facts in made.items():
        ordered = sorted(facts, key=lambda pair: order.get(pair[0].chapter, len(order)))
        if [f.chapter for f, _row in ordered] != [chapter[row] for row in seats[relative]]:
            return None
        taking.update((seat, f if row is None else row)
                      for seat, (f, row) in zip(seats[relative], ordered, strict=True))  # fmt: skip
    return [taking.get(row, row) for row in range(len(kinds))]


def _sorted(
    old: Sequence[Fact],
    kept: list[int],
    files: list[str],
    lines: list[int],
    made: dict[str, list[tuple[Fact, int | None]]],
    entries: list[tuple[Fact, int | None]],
    order: dict[str, int],
    position: dict[str, int],
) -> list[int | Fact]:
    """The facts in base order (a kept one as its old row), as the loader's stable sort by
    chapter puts them: file, then line; the appendix entries after every file."""
    last, other = len(position), len(order)
    chapter = _values(old, "chapter")
    keyed: list[tuple[tuple[int, int, int], int | Fact]] = [
        ((order.get(chapter[row], other), position[files[row]], lines[row]), row) for row in kept
    ]
    for facts in made.values():
        keyed += [((order.get(f.chapter, other), position[f.file], f.line),
                   f if row is None else row) for f, row in facts]  # fmt: skip
    keyed += [((order.get(e.chapter, other), last, n), e if row is None else row)
              for n, (e, row) in enumerate(entries)]  # fmt: skip
    keyed.sort(key=itemgetter(0))
    return [item for _key, item in keyed]


class _Unkept:
    """A store's parses, read and never added to."""

    def __init__(self, store: loader.Store) -> None:
        self.store = store

    def get(self, name: str, schema: str, raw: bytes) -> Parsed | None:
        """The kept parse of these bytes, if any."""
        return self.store.get(name, schema, raw)

    def put(self, name: str, schema: str, raw: bytes, parsed: Parsed) -> None:
        """Nothing: see `reopen`."""
