"""From a parsed query to the members of each clause, ready to combine.

Plain words that together form a thesaurus entry (``greenhouse gas``,
``corporate sustainable development``) become one clause that also matches
the entry's synonyms and acronym. Excluded words match themselves and their
other forms only, never typos or synonyms.
"""

from __future__ import annotations

import math
from itertools import islice, product

from explorer.model import ENTRY_KINDS, FactBase
from explorer.records import dataclass, field
from explorer.search.expand import EXACT, Alt, expand_entry, expand_word
from explorer.search.filters import filter_ids
from explorer.search.index import MEMO_LOCK, SearchIndex
from explorer.search.intent import Intent, is_soft, read_intent
from explorer.search.members import Members, of_alts, of_ids, union
from explorer.search.query import Clause, Filter, Phrase, Query, Word
from explorer.search.text import SOFT_WORDS, STOPWORDS, stem


@dataclass
class Part:
    """One clause that facts must match."""

    members: Members
    """The facts that match it."""
    idf: float
    """How much a match counts: rarer clauses count more."""
    scored: bool = True
    """False for filters, which admit facts but do not rank them."""
    phrases: tuple[tuple[str, ...], ...] = ()
    """Phrases a member must really contain (words standing together)."""
    required: bool = True
    """False for a question word ("how many"): it ranks facts but need not match."""
    key: str = ""
    """The words of a plain-word clause (empty for any other)."""
    alts: tuple[Alt, ...] = ()
    """The alternatives of a plain-word clause: with its words, what names it in the memo."""
    own: frozenset[str] = frozenset()
    """The stems of the terms the clause looks for."""
    loose: Members | None = None
    """Facts that say the clause in other terms, faintly (`explorer.search.associate`)."""


@dataclass
class Plan:
    """Every clause of a query, evaluated against one index."""

    positive: list[Part] = field(default_factory=list)
    """Clauses every hit must match."""
    negative: list[Members] = field(default_factory=list)
    """Clauses no hit may match."""
    words: set[str] = field(default_factory=set)
    """Index terms the positive clauses look for (for spans)."""
    phrases: list[tuple[str, ...]] = field(default_factory=list)
    """Phrases the positive clauses look for (for spans)."""
    intent: Intent = field(default_factory=Intent)
    """What the query asks for (a count, a share, a year): ranks, never filters."""


def make_plan(index: SearchIndex, base: FactBase, query: Query) -> Plan:
    """Evaluate each clause of ``query``; problems are added to ``query.messages``."""
    plan = Plan(intent=read_intent(_plain_words(query)))
    run: list[Word] = []
    for clause in query.clauses:
        atom = clause.atoms[0]
        if not clause.negated and len(clause.atoms) == 1 and isinstance(atom, Word):
            if atom.mode == "fuzzy":
                run.append(atom)
                continue
        _flush(index, plan, run, query.messages)
        if clause.negated:
            excluded = _atom(index, base, _excluded(atom), query.messages, Plan())
            if excluded is not None:
                plan.negative.append(excluded)
        else:
            _clause(index, base, clause, query.messages, plan)
    _flush(index, plan, run, query.messages)
    if all(not p.required for p in plan.positive if p.scored):
        for part in plan.positive:
            part.required = True
    if any(not p.members.size for p in plan.positive if p.required):
        _explain_missing(index, query)
    plan.intent.bind(index, plan.words)
    return plan


def _plain_words(query: Query) -> list[str]:
    """The query's plain words in order: what the intent is read from."""
    return [
        atom.text
        for clause in query.clauses
        if not clause.negated and len(clause.atoms) == 1
        for atom in clause.atoms
        if isinstance(atom, Word)
    ]


def _excluded(atom: Word | Phrase | Filter) -> Word | Phrase | Filter:
    return Word(atom.text, "stem") if isinstance(atom, Word) and atom.mode == "fuzzy" else atom


def _flush(index: SearchIndex, plan: Plan, run: list[Word], messages: list[str]) -> None:
    """Add a run of plain words, joining those that form a thesaurus entry."""
    texts = [w.text for w in run]
    j = 0
    while j < len(run):
        size = index.thesaurus.match(texts, j) or _compound(index, texts, j)
        soft = all(t in SOFT_WORDS or is_soft(plan.intent, t) for t in texts[j : j + (size or 1)])
        if size or soft:  # a question word is taken as written: "many" is not "may"
            alts = expand_entry(index, texts[j : j + (size or 1)])
        else:
            alts = expand_word(index, run[j])
        part = _part(index, of_alts(index, alts))
        if alts:  # a word the base never says, found only in other words, is an unsure clue
            part.idf *= alts[0].quality ** 2
        part.required = not soft
        part.key, part.alts = " ".join(texts[j : j + (size or 1)]), alts
        part.own = frozenset(stem(index.vocab[t]) for alt in alts for t in alt.terms)
        if not alts and not soft:
            messages.append(
                f"no fact has {' '.join(texts[j : j + (size or 1)])!r} or a word like it"
            )
        plan.positive.append(part)
        _note_words(index, plan, alts)
        if size <= 1 and texts[j] in index.acronyms:
            plan.positive.extend(_spelled_out(index, texts[j]))
        j += size or 1
    run.clear()


MAX_FORMS = 16
"""Combinations of word forms tried for one acronym's expansion."""


def _spelled_out(index: SearchIndex, acronym: str) -> list[Part]:
    """A soft clause for an acronym's expansion: the fact that spells "CSD" out ranks first."""
    key = ("spelled", acronym)
    members: Members | None = index.memo.get(key)
    if key not in index.memo:  # typing repeats it: worked out once per acronym
        members = _spelled_members(index, acronym)
        with MEMO_LOCK:
            index.memo[key] = members
    if members is None:
        return []
    part = _part(index, members)
    part.required = False
    return [part]


def _spelled_members(index: SearchIndex, acronym: str) -> Members | None:
    """The facts (not appendix entries) that hold an acronym's expansion, in any form."""
    alts: list[Alt] = []
    for phrase in index.thesaurus.others((acronym,)):
        forms = [index.stems.get(stem(w), ()) for w in phrase if w not in STOPWORDS]
        if len(phrase) > 1 and all(forms):  # any form of each word: "centers" for "center"
            alts += [Alt(ids, EXACT) for ids in islice(product(*forms), MAX_FORMS)]
    if not alts:
        return None
    members = of_alts(index, tuple(alts))
    if members.small is None:
        return None  # a common phrase tells no fact apart
    entries = {i for kind in ENTRY_KINDS for i in index.tables.kind.get(kind, ())}
    small = {i: w for i, w in members.small.items() if i not in entries}  # they all spell out
    return Members(small=small, head=[i for i in members.head if i in small])


def _compound(index: SearchIndex, texts: list[str], j: int) -> int:
    """2 when the words at ``j`` and ``j + 1``, written as one, are a term ("rural star")."""
    if j + 1 < len(texts) and (texts[j] + texts[j + 1]) in index.term_ids:
        return 2 if texts[j].isalpha() and texts[j + 1].isalpha() else 0
    return 0


def _clause(
    index: SearchIndex, base: FactBase, clause: Clause, messages: list[str], plan: Plan
) -> None:
    parts = [_atom(index, base, atom, messages, plan) for atom in clause.atoms]
    kept = [p for p, a in zip(parts, clause.atoms, strict=True) if p is not None]
    if not kept:
        return
    scored = any(not isinstance(a, Filter) for a in clause.atoms)
    phrases = tuple(a.words for a in clause.atoms if isinstance(a, Phrase))
    part = _part(index, union(index, kept), scored)
    part.phrases = phrases if len(clause.atoms) == 1 else ()
    plan.positive.append(part)


def _atom(
    index: SearchIndex,
    base: FactBase,
    atom: Word | Phrase | Filter,
    messages: list[str],
    plan: Plan,
) -> Members | None:
    """Return the members of one atom, or None when it is dropped (said in messages)."""
    if isinstance(atom, Filter):
        key = ("f", atom.name, atom.value)
        memo: tuple[Members | None, str] | None = index.memo.get(key)
        if memo is None:
            ids, message = filter_ids(base, index.tables, atom)
            memo = (of_ids(index, ids) if ids is not None else None, message)
            with MEMO_LOCK:
                index.memo[key] = memo
        found, message = memo
        if message and message not in messages:  # said once, however often it is written
            messages.append(message)
        return found
    if isinstance(atom, Phrase):
        kept = [w for w in atom.words if w not in STOPWORDS]
        if not kept:
            messages.append(f'"{" ".join(atom.words)}" has only common words; left out')
            return None
        plan.phrases.append(atom.words)
        if any(w not in index.term_ids for w in kept):
            return Members(small={})
        return of_alts(index, [Alt(tuple(index.term_ids[w] for w in kept), EXACT)])
    alts = expand_word(index, atom)
    _note_words(index, plan, alts)
    return of_alts(index, alts)


def _part(index: SearchIndex, members: Members, scored: bool = True) -> Part:
    return Part(members, math.log(1.0 + index.size / (1.0 + members.size)), scored)


def _note_words(index: SearchIndex, plan: Plan, alts: tuple[Alt, ...]) -> None:
    for alt in alts:
        plan.words.update(index.vocab[t] for t in alt.terms)


def _explain_missing(index: SearchIndex, query: Query) -> None:
    for clause in query.clauses:
        for atom in clause.atoms:
            if isinstance(atom, Word) and atom.mode == "exact" and atom.text in STOPWORDS:
                query.messages.append(f"'{atom.text}' is too common a word to search for")
