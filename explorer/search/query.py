"""The query language: words, operators and field filters, parsed without raising.

``space`` is AND, ``|`` is OR; ``'word`` exact, ``^prefix``, ``suffix$``,
``!word`` excludes, ``"a phrase"``; ``field:value`` filters (see `FIELDS`).
A problem becomes a message and the rest of the query still runs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from explorer.records import dataclass, field
from explorer.search.fuzzy import default_process, fuzz, process
from explorer.search.text import MAX_TERM, STOPWORDS, join_numbers, normalise, terms

MAX_QUERY = 1000
"""Characters of a query that are read; the rest is ignored, and said so."""

MAX_CLAUSES = 12
"""Clauses (AND-ed parts) that are searched; more are ignored, and said so."""

FIELDS = ("chapter", "source", "kind", "tag", "gri", "year", "metric", "assured", "value")
"""Names a field filter may use."""

_PIECE = re.compile(r'(?P<phrase>!?"[^"]*(?:"|$))|(?P<bar>\|)|(?P<word>[^\s|"]+(?:"[^"]*(?:"|$))?)')
_FILTER = re.compile(r"(?P<name>[^\W\d_]+):(?P<value>.*)", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Word:
    """A word to find; numbers are words too."""

    text: str
    """The normalised term."""
    mode: str = "fuzzy"
    """``fuzzy`` (typos, stems, synonyms), ``exact``, ``prefix`` or ``suffix``."""
    last: bool = False
    """True for the word being typed (the query's last, with no space after it)."""


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words that must stand together, in this order, in one field."""

    words: tuple[str, ...]
    """The normalised terms, stopwords included."""


@dataclass(frozen=True, slots=True)
class Filter:
    """A field filter such as ``kind:target`` or ``value:>1000``."""

    name: str
    """One of `FIELDS`."""
    value: str
    """The text after the colon, quotes removed."""


Atom = Word | Phrase | Filter


@dataclass(frozen=True, slots=True)
class Clause:
    """Atoms joined by ``|``: a fact matches the clause when it matches any of them."""

    atoms: tuple[Atom, ...]
    """The alternatives."""
    negated: bool = False
    """True for ``!``: facts matching the clause are excluded."""


@dataclass
class Query:
    """A parsed query: clauses that must all match, and what went wrong."""

    clauses: list[Clause] = field(default_factory=list)
    """AND-ed clauses, in the order written."""
    messages: list[str] = field(default_factory=list)
    """Problems with the query, in words."""
    text: str = ""
    """The normalised free text, for re-ranking."""


def parse(query: str) -> Query:
    """Parse a query; never raises.

    Args:
        query: What the user typed.

    Returns:
        The clauses and any messages.
    """
    out = Query()
    if len(query) > MAX_QUERY:
        out.messages.append(f"query cut to its first {MAX_QUERY} characters")
        query = query[:MAX_QUERY]
    query = join_numbers(normalise(query))
    typing = bool(query) and not query[-1].isspace()
    groups: list[list[tuple[str, bool]]] = [[]]
    joined = False
    for match in _PIECE.finditer(query):
        if match.lastgroup == "bar":
            if not groups[-1]:
                out.messages.append("'|' needs a word on each side")
            joined = True
            continue
        if groups[-1] and not joined:
            groups.append([])
        joined = False
        groups[-1].append((match.group(), match.end() == len(query) and typing))
    if joined and groups[-1]:
        out.messages.append("'|' needs a word on each side")
    words: list[str] = []
    for group in groups:
        if group:
            _add_group(out, group, words)
    out.text = " ".join(words)
    if len(out.clauses) > MAX_CLAUSES:
        out.messages.append(f"only the first {MAX_CLAUSES} words are searched")
        del out.clauses[MAX_CLAUSES:]
    out.messages[:] = dict.fromkeys(out.messages)  # each problem said once
    return out


def _add_group(out: Query, group: list[tuple[str, bool]], words: list[str]) -> None:
    """Turn the pieces joined by ``|`` into clauses (several when one is plain text)."""
    parsed = [_piece(piece, last, out.messages, words) for piece, last in group]
    negated = [atoms for atoms, neg in parsed if atoms and neg]
    positive = [atoms for atoms, neg in parsed if atoms and not neg]
    if negated and positive:
        out.messages.append("'!' cannot be combined with '|'; each '!' word is excluded alone")
    for atoms in negated:
        out.clauses.extend(Clause((atom,), negated=True) for atom in atoms)
    if len(positive) == 1:  # one piece may hold several words ("eco-friendly"): AND them
        out.clauses.extend(Clause((atom,)) for atom in positive[0])
    elif positive:
        out.clauses.append(Clause(tuple(atom for atoms in positive for atom in atoms)))


def _piece(
    piece: str, last: bool, messages: list[str], words: list[str]
) -> tuple[list[Atom], bool]:
    """Parse one piece of the query into atoms, and whether it is negated."""
    negated = piece.startswith("!")
    body = piece.lstrip("!")
    if negated and not body:
        messages.append("'!' needs a word after it")
        return [], False
    if negated:
        words = []  # excluded words take no part in ranking
    if body.startswith('"'):
        closed = len(body) > 1 and body.endswith('"')
        if not closed and not last:
            messages.append("a phrase has no closing '\"'; read to the end of the query")
        inside = [t.text for t in terms(body.strip('"')) if t.kind != "value"]
        words.extend(inside)
        if not inside:
            return [], negated
        return [Phrase(tuple(inside)) if len(inside) > 1 else Word(inside[0], "exact")], negated
    found = _FILTER.fullmatch(body)
    if found and not body.startswith(("'", "^")):
        return _filter(found.group("name"), found.group("value"), messages), negated
    return _words(body, last and not negated, messages, words), negated


def _filter(name: str, value: str, messages: list[str]) -> list[Atom]:
    value = value.strip().strip('"').strip()
    if name not in FIELDS:
        close = [_LIKE[name]] if name in _LIKE else near(name, FIELDS, limit=1)
        hint = f"did you mean '{close[0]}:'? " if close else ""
        messages.append(f"unknown field '{name}:'; {hint}fields are {', '.join(FIELDS)}")
        return []
    if not value:
        messages.append(f"'{name}:' needs a value, e.g. {_EXAMPLES[name]}")
        return []
    return [Filter(name, value)]


_EXAMPLES = {
    "chapter": "chapter:4", "source": "source:moments", "kind": "kind:target",
    "tag": "tag:ghg", "gri": "gri:305-1", "year": "year:2020", "metric": "metric:ghg.total",
    "assured": "assured:yes", "value": "value:>1000000 or value:100..500",
}  # fmt: skip

_LIKE = {"period": "year", "date": "year", "type": "kind", "topic": "tag", "assurance": "assured"}
"""Field names people try, and the field they mean."""


def near(value: str, choices: Sequence[str], limit: int = 3) -> list[str]:
    """Return up to ``limit`` of ``choices`` that read like ``value`` (a typo away), best first.

    Args:
        value: What the user wrote.
        choices: The valid names.
        limit: The most to return.
    """
    found = process.extract(
        value, choices, scorer=fuzz.ratio, processor=default_process, limit=limit, score_cutoff=80
    )
    return [str(choice) for choice, _score, _index in found]


def _words(body: str, last: bool, messages: list[str], words: list[str]) -> list[Atom]:
    """Parse a plain or marked word (``'w``, ``^w``, ``w$``) into word atoms."""
    mode = "fuzzy"
    if body.startswith("'"):
        mode, body = "exact", body[1:]
    elif body.startswith("^"):
        mode, body = "prefix", body[1:]
    if body.endswith("$") and len(body) > 1:
        mode = "exact" if mode == "prefix" else "suffix"
        body = body[:-1]
    found = list(terms(body))
    if any(t.kind == "value" for t in found):  # "1.55billion": its value stands for it
        found = [t for t in found if t.kind in ("value", "word")]
    if not found:
        if mode != "fuzzy":
            messages.append(f"nothing to search for in {piece_text(mode, body)!r}")
        return []
    atoms: list[Atom] = []
    for i, term in enumerate(found):
        text = term.text[:MAX_TERM]
        words.append(text)
        is_last = last and i == len(found) - 1
        if text in STOPWORDS and mode == "fuzzy" and not is_last:
            continue
        atoms.append(Word(text, mode, is_last))
    return atoms


def piece_text(mode: str, body: str) -> str:
    """Return a word as the user wrote it, marks included, for messages."""
    return {"exact": "'", "prefix": "^"}.get(mode, "") + body + ("$" if mode == "suffix" else "")
