"""Words a base says alongside a query word, or more broadly: a faint match for a fact that
lacks the word.

When no fact (or few) holds every word of a query, facts holding some of them
are ranked by what they hold (`explorer.search.rank.relaxed`). A fact may still
speak of a missing word in other terms: "female managers" has no answer, but
the chart of male and female employees is about the workforce the managers
belong to. The terms a base uses far more often in the facts holding a word
than elsewhere say what the word is about in this base ("managers": employees,
responsibilities, systems). This is local context analysis (Xu and Croft,
1996), read from the base itself, never from the queries it is tested with.

The associates of a clause are worked out from its best `SAMPLE` members only,
so the work is bounded on any base, and remembered per clause. Beside them, the
curated broader words of ``synonyms.yaml`` (``broader:``) count a step higher:
a base that never says "female managers" says "female employees".
"""

from __future__ import annotations

import math
from collections import Counter

from explorer.model import FactBase
from explorer.search.expand import Alt
from explorer.search.index import MEMO_LOCK, SearchIndex
from explorer.search.members import Members, of_alts
from explorer.search.plan import Part, Plan
from explorer.search.text import STOPWORDS, is_number, stem, term_texts

ASSOCIATE = 0.35
"""Quality of a match through an associate, against 1 for the word itself."""

BROADER = 0.6
"""Quality of a match through a curated broader word ("employees" for "managers")."""

SAMPLE = 50
"""A clause's best members whose words are counted."""

MOST = 8
"""Associates kept for one clause."""

LEAST_SHARE = 0.1
"""An associate is in at least this share of the sample (and in two of its facts)."""

LEAST_LIFT = 2.0
"""And at least this many times as frequent there as in the whole base."""

MOST_COMMON = 8
"""Terms in more than 1/MOST_COMMON of the base tell nothing: never associates."""


def loosen(index: SearchIndex, base: FactBase, plan: Plan) -> None:
    """Give each word clause of ``plan`` its associates' members (`Part.loose`)."""
    for part in plan.positive:
        if part.scored and part.required and part.key:
            part.loose = associates(index, base, part)


def associates(index: SearchIndex, base: FactBase, part: Part) -> Members | None:
    """Return the facts holding an associate of a word clause, with their (faint) weights.

    Args:
        index: The base's index.
        base: The base (the sample's words are read from its facts).
        part: The clause: its words and alternatives name it in the memo (the word being
            typed has more of them), its members are the sample.

    Returns:
        The associates' members, or None when the clause has none.
    """
    memo_key = ("associates", part.key, part.alts)
    if memo_key in index.memo:
        found: Members | None = index.memo[memo_key]
        return found
    alts = _associated_terms(index, base, part.members, part.own) + _broader(index, part.key)
    found = of_alts(index, alts) if alts else None
    with MEMO_LOCK:
        index.memo[memo_key] = found
    return found


def _associated_terms(
    index: SearchIndex, base: FactBase, members: Members, own: frozenset[str]
) -> tuple[Alt, ...]:
    sample = list(members.head[:SAMPLE])
    if len(sample) < SAMPLE and members.small is not None:
        taken = set(sample)
        sample += [i for i in members.small if i not in taken][: SAMPLE - len(sample)]
    if len(sample) < 2:
        return ()
    counts: Counter[str] = Counter()
    for i in sample:
        fact = base.facts[i]
        words = set(term_texts(f"{fact.claim} {fact.quote}", values=False)) - STOPWORDS
        counts.update({stem(w) for w in words if not is_number(w) and len(w) > 2})
    least = max(2, math.ceil(LEAST_SHARE * len(sample)))
    scored: list[tuple[float, str]] = []
    for root, n in counts.items():
        if n < least or root in own:
            continue
        forms = index.stems.get(root, ())
        df = max(n, sum(index.df[t] for t in forms))
        if df * MOST_COMMON > index.size:
            continue
        lift = (n / len(sample)) / (df / index.size)
        if lift >= LEAST_LIFT:
            scored.append((n * math.log(lift), root))
    scored.sort(reverse=True)
    return tuple(
        Alt((t,), ASSOCIATE) for _s, root in scored[:MOST] for t in index.stems.get(root, ())
    )


def _broader(index: SearchIndex, words: str) -> tuple[Alt, ...]:
    """The curated broader words of a clause's words, in every form the base holds."""
    out: list[Alt] = []
    for entry in index.thesaurus.broader(words.split()):
        forms = [index.stems.get(stem(w), ()) for w in entry if w not in STOPWORDS]
        if len(forms) == 1:
            out += [Alt((t,), BROADER) for t in forms[0]]
        elif forms and all(forms):  # a phrase: the words as the base holds them
            out.append(Alt(tuple(f[0] for f in forms), BROADER))
    return tuple(out)
