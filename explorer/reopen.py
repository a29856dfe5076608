"""A base re-opened after some of its fact files were edited: the last base, patched.

Loading a 100k-fact base again builds 100k facts from their parsed files even
when one file changed. When only fact files changed (the same files, the top
files, schema and code as they were), `reopen` keeps every fact of the other
files, and every unchanged fact of the edited ones, as the very objects of the
last base, and builds the edited files' facts with the loader's own builder,
which checks them against the kept ones (duplicate ids, chapters, sections).
What spans the base is done again over all of it: the appendix entries (a
disclosure lists the facts citing it), the links, the chapter order. Any
problem at all gives None, and the base is then loaded from its files, which
says every problem as it always has; so a base `reopen` gives is the base a
load from the files gives.
"""

from __future__ import annotations

from contextlib import nullcontext
from operator import attrgetter
from pathlib import Path

from explorer import loader
from explorer.appendices import appendix_entries
from explorer.loader import Parsed
from explorer.model import ENTRY_KINDS, Fact, FactBase
from explorer.problems import Problem
from explorer.walk import walk_base


def reopen(
    root: Path, old: FactBase, changed: set[str], store: loader.Store | None = None
) -> FactBase | None:
    """The base in ``root`` after the fact files ``changed`` were edited, made from ``old``.

    Args:
        root: The base's folder, as it was given.
        old: The base as it was loaded before the edit, from the same files.
        changed: The edited fact files, named as ``root / relative path``.
        store: Parsed files kept (`explorer.doccache`): an edit undone is not parsed
            again. The edited files' parses are not added: a re-open is the
            common path, and pickling a parse costs about what parsing it does.

    Returns:
        The base, equal to what `explorer.loader.load_factbase` gives; None when
        it cannot be made so (a file is not a fact file, or anything is wrong).
    """
    walk = walk_base(root)
    if walk.problems:
        return None
    files = [Path(file) for file in walk.files]
    position = {file.relative_to(root).as_posix(): i for i, file in enumerate(files)}
    edited = {file.relative_to(root).as_posix(): file for file in files if str(file) in changed}
    if len(edited) != len(changed):
        return None
    problems: list[Problem] = []
    builder = loader._Builder(problems)
    sources, chapters = dict(old.sources), dict(old.chapters)
    curated = [f for f in old.facts if f.kind not in ENTRY_KINDS]
    if any(f.file not in position for f in curated):
        return None
    kept = [f for f in curated if f.file not in edited]
    # Only a problem would read where a kept id stands, and any problem means None.
    builder.where.update(dict.fromkeys(map(attrgetter("id"), kept), ("", 0, 0)))
    was = {f.id: f for f in curated if f.file in edited}
    made: dict[str, list[Fact]] = {}
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
        # An unchanged fact is the old object, reused: its postings stay as they are.
        made[relative] = [same if (same := was.get(f.id)) == f else f for f in built]
        kept.extend(made[relative])
    last = len(position)
    citing = sorted((f for f in kept if f.gri), key=lambda f: (position[f.file], f.line))
    if len({(f.file, f.line) for f in citing}) != len(citing):
        return None  # two on a line (flow style): their file order is not known here
    fresh = appendix_entries(old.gri, old.glossary, chapters, citing)
    old_entries = {f.id: f for f in old.facts if f.kind in ENTRY_KINDS}
    entries = [
        old_entries[e.id] if old_entries.get(e.id) == e else e for e in builder.entries(root, fresh)
    ]
    if problems:
        return None
    ids = builder.where.keys()
    for fact in kept:
        if fact.related and any(link.id == fact.id or link.id not in ids for link in fact.related):
            return None
    for entry in entries:
        if any(link.id == entry.id or link.id not in ids for link in entry.related):
            return None
    order = {cid: i for i, cid in enumerate(chapters)}
    facts = _in_old_seats(old, made, entries, order)
    if facts is None:
        last = len(position)
        sequence = {id(e): n for n, e in enumerate(entries)}

        def placed(fact: Fact) -> tuple[int, int, int]:
            """Where the loader's stable sort by chapter puts a fact: file, then line."""
            seat = order.get(fact.chapter, len(order))
            if id(fact) in sequence:
                return seat, last, sequence[id(fact)]
            return seat, position[fact.file], fact.line

        facts = sorted([*kept, *entries], key=placed)
    return FactBase(
        facts=tuple(facts), sources=sources, chapters=chapters, gri=old.gri,
        glossary=old.glossary, synonyms=old.synonyms, broader=old.broader, root=str(root),
    )  # fmt: skip


def _in_old_seats(
    old: FactBase, made: dict[str, list[Fact]], entries: list[Fact], order: dict[str, int]
) -> list[Fact] | None:
    """The facts in base order, when each edited file's facts take its old facts' seats.

    They do when the edited file has as many facts in each chapter as before
    (the loader's sort puts a file's facts of a chapter side by side, in file
    order) and the appendix entries are the old ones; else None (sort them).
    """
    old_entries = {id(f) for f in old.facts if f.kind in ENTRY_KINDS}
    if len(entries) != len(old_entries) or any(id(e) not in old_entries for e in entries):
        return None
    seats: dict[str, list[Fact]] = {relative: [] for relative in made}
    for fact in old.facts:
        if fact.file in seats and fact.kind not in ENTRY_KINDS:
            seats[fact.file].append(fact)
    taking: dict[int, Fact] = {}
    for relative, facts in made.items():
        ordered = sorted(facts, key=lambda f: order.get(f.chapter, len(order)))
        if [f.chapter for f in ordered] != [f.chapter for f in seats[relative]]:
            return None
        taking.update(zip(map(id, seats[relative]), ordered, strict=True))
    return [taking.get(id(f), f) for f in old.facts]


class _Unkept:
    """A store's parses, read and never added to."""

    def __init__(self, store: loader.Store) -> None:
        self.store = store

    def get(self, name: str, schema: str, raw: bytes) -> Parsed | None:
        """The kept parse of these bytes, if any."""
        return self.store.get(name, schema, raw)

    def put(self, name: str, schema: str, raw: bytes, parsed: Parsed) -> None:
        """Nothing: see `reopen`."""
