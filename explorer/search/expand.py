"""From a query word to the index terms it stands for, each with a quality.

A plain word finds itself (quality 1), its other forms (same stem), words it
begins (the word being typed), words one or two typos away, and its synonyms
and acronym expansions. Qualities rank whole-word matches above prefixes and
typos. Expansions are remembered per index, since typing repeats them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from explorer.records import dataclass
from explorer.search.fuzzy import osa_within
from explorer.search.index import MEMO_LOCK, SearchIndex
from explorer.search.lexicon import other_words
from explorer.search.query import Word
from explorer.search.text import STOPWORDS, is_code, is_number, stem

EXACT, STEM, SYNONYM, COMPOUND, TYPING, RELATED, TYPO, PREFIX, TYPO2 = (
    1.0, 0.95, 0.93, 0.9, 0.88, 0.84, 0.78, 0.7, 0.62
)  # fmt: skip
"""Qualities of each kind of expansion."""

SELDOM = 40
"""Below this many facts holding a word (or a thousandth of the base), WordNet's other words
for it are tried too."""

KNOWN = 3
"""Facts that must hold a word before it is taken as spelled right (no typo neighbours)."""

MAX_PREFIXED = 48
"""Completions kept for the word being typed (the commonest)."""

PREFIX_BUDGET = 20_000
"""Postings of rare completions kept for the word being typed (common ones are bitsets)."""

MAX_TYPOS = 12
"""Typo neighbours kept for one word."""

MAX_MEMO = 4096
"""Expansions remembered before the memo is cleared."""


@dataclass(frozen=True, slots=True)
class Alt:
    """One way a fact can match a query word."""

    terms: tuple[int, ...]
    """Term ids; with several (a phrase from the thesaurus) the fact needs them all."""
    quality: float
    """How good a match this is, 0-1."""


def expand_word(index: SearchIndex, word: Word) -> tuple[Alt, ...]:
    """Return the alternatives of a query word, best first.

    Args:
        index: The index to look terms up in.
        word: The word and its mode.
    """
    key = ("w", word.text, word.mode, word.last)
    found = index.memo.get(key)
    if found is None:
        found = _expand(index, word)
        _remember(index, key, found)
    return found


def expand_entry(index: SearchIndex, words: Sequence[str]) -> tuple[Alt, ...]:
    """Return the alternatives of several words that form one thesaurus entry."""
    key = ("e", tuple(words))
    found = index.memo.get(key)
    if found is None:
        alts = {}
        ids = _ids(index, words)
        if ids is not None:
            alts[ids] = EXACT
        joined = index.term_ids.get("".join(words))
        if len(words) == 2 and joined is not None:
            _add(alts, (joined,), STEM)  # "rural star" is RuralStar
        _add_synonyms(index, alts, words, SYNONYM)
        found = _ranked(alts)
        _remember(index, key, found)
    return found


def _expand(index: SearchIndex, word: Word) -> tuple[Alt, ...]:
    text = word.text
    alts: dict[tuple[int, ...], float] = {}
    exact = index.term_ids.get(text)
    if exact is not None:
        alts[(exact,)] = EXACT
    if word.mode == "prefix":
        _add(alts, _commonest(index, index.prefixed(text), MAX_PREFIXED * 4), EXACT)
    elif word.mode == "suffix":
        _add(alts, _commonest(index, index.suffixed(text), MAX_PREFIXED * 4), EXACT)
    elif word.mode == "stem":
        _add(alts, index.stems.get(stem(text), ()), STEM)
    elif word.mode == "fuzzy" and is_code(text):
        pass  # "102-8" is not a typo of "102-9"
    elif word.mode == "fuzzy":
        if not is_number(text):
            _add(alts, index.stems.get(stem(text), ()), STEM)
        if word.last:
            most = MAX_PREFIXED if len(text) > 2 else MAX_PREFIXED // (4 - len(text))
            completions = _commonest(index, index.prefixed(text), most)
            _add(alts, _budgeted(index, completions), TYPING)
        elif len(text) >= 4:
            _add(alts, _commonest(index, index.prefixed(text), MAX_PREFIXED // 4), PREFIX)
        if exact is None:
            _add_split(index, alts, text)
        if not is_number(text) and len(text) >= 4 and text not in STOPWORDS:
            # A word the base holds often is seldom a typo ("supplier" is not "supplied").
            known = exact is not None and index.df[exact] >= KNOWN
            typos = [] if known else _typos(index, text)
            _add_typos(index, alts, typos)
            corrected = [t for t, d in typos if d == 1] if exact is None else []
            _add_synonyms(index, alts, (text,), SYNONYM)
            for term in corrected[:2]:
                _add_synonyms(index, alts, (term,), SYNONYM * TYPO)
        else:
            _add_synonyms(index, alts, (text,), SYNONYM)
    return _ranked(alts)


def _add_split(index: SearchIndex, alts: dict[tuple[int, ...], float], text: str) -> None:
    """Add a word the base writes as two: "ewaste" is "e-waste", "takeback" "take back".

    Of the ways to cut it into two terms of the base, the one whose rarer half
    is commonest wins (a real compound's halves are ordinary words).
    """
    if len(text) < 5 or not text.isalpha():
        return
    best: tuple[int, int, int] | None = None
    for cut in range(1, len(text) - 1):
        head, tail = index.term_ids.get(text[:cut]), index.term_ids.get(text[cut:])
        if head is None or tail is None or text[:cut] in STOPWORDS or text[cut:] in STOPWORDS:
            continue
        rarity = min(index.df[head], index.df[tail])
        if best is None or rarity > best[0]:
            best = (rarity, head, tail)
    if best is not None and alts.get(best[1:], 0.0) < COMPOUND:
        alts[best[1:]] = COMPOUND


def _add(alts: dict[tuple[int, ...], float], ids: Iterable[int], quality: float) -> None:
    for term_id in ids:
        if alts.get((term_id,), 0.0) < quality:
            alts[(term_id,)] = quality


def _commonest(index: SearchIndex, ids: Sequence[int], most: int) -> Sequence[int]:
    if len(ids) <= most:
        return ids
    # Commonest first, equal ones in term order (a stable sort, reversed or not): the key is
    # a C method, where a lambda cost ~2 ms over the ~15k completions of "2" at 1M facts.
    return sorted(ids, key=index.df.__getitem__, reverse=True)[:most]


def _budgeted(index: SearchIndex, ids: Sequence[int]) -> list[int]:
    """Keep completions, commonest first, while their postings fit `PREFIX_BUDGET`.

    A one- or two-letter word has thousands of completions; merging all their
    postings would cost more than a keystroke may. Common terms cost nothing
    here (they are bitsets); the rest share the budget.
    """
    kept: list[int] = []
    spent = 0
    for term_id in sorted(ids, key=lambda i: -index.df[i]):
        if term_id not in index.big:
            spent += index.df[term_id]
            if spent > max(PREFIX_BUDGET, index.size // 5) and kept:
                break
        kept.append(term_id)
    return kept


def _typos(index: SearchIndex, text: str) -> list[tuple[str, int]]:
    """Return terms one typo away (two for long words), nearest and commonest first.

    Only terms whose first two letters share one with the word's first two
    (in place, or shifted by one: a letter dropped or added at the start) are
    compared; a typo seldom spoils both, and it keeps the comparisons to a
    small share of the vocabulary.
    """
    most = 1 if len(text) < 8 else 2
    first, second = text[0], text[1]
    found: dict[str, int] = {}
    for length in range(len(text) - most, len(text) + most + 1):
        for bucket in (
            index.by_start.get((length, first)),
            index.by_second.get((length, second)),
            index.by_second.get((length, first)),
            index.by_start.get((length, second)),
        ):
            if bucket:
                for term, distance in osa_within(text, bucket, most):
                    if distance:
                        found[term] = distance
    ranked = sorted(found.items(), key=lambda m: (m[1], -index.df[index.term_ids[m[0]]]))
    return ranked[:MAX_TYPOS]


def _add_typos(
    index: SearchIndex, alts: dict[tuple[int, ...], float], typos: list[tuple[str, int]]
) -> None:
    for term, distance in typos:
        quality = TYPO2 if distance > 1 else (TYPO if len(term) >= 6 else TYPO - 0.06)
        _add(alts, (index.term_ids[term],), quality)


def _add_synonyms(
    index: SearchIndex, alts: dict[tuple[int, ...], float], words: Sequence[str], quality: float
) -> None:
    """Add the other entries of the words' thesaurus class, with their other forms.

    A single word also gets the lexicon's other words for it, a step lower.
    """
    entries = [(e, quality) for e in index.thesaurus.others(words)]
    if len(words) == 1 and words[0].isalpha() and _seldom(index, words[0]):
        entries += [(e, quality * RELATED) for e in _lexicon(index, words[0])]
    for entry, quality in entries:
        if len(entry) == 1:
            term_id = index.term_ids.get(entry[0])
            ids = index.stems.get(stem(entry[0]), ()) if not is_number(entry[0]) else ()
            _add(alts, (*(() if term_id is None else (term_id,)), *ids), quality)
            continue
        phrase = _ids(index, entry)
        if phrase is not None and alts.get(phrase, 0.0) < quality:
            alts[phrase] = quality


def _seldom(index: SearchIndex, word: str) -> bool:
    """Whether the base says a word seldom: then its other words may say what it means.

    A word many facts hold is answered by them; its other words would only add
    weaker matches, and their postings cost time on a large base.
    """
    forms = index.stems.get(stem(word), ())
    return sum(index.df[t] for t in forms) < max(SELDOM, index.size // 1000)


def _lexicon(index: SearchIndex, word: str) -> list[tuple[str, ...]]:
    """WordNet's other words for ``word`` whose every word the base holds (in some form)."""
    return [
        entry
        for entry in other_words(stem(word))
        if all(stem(t) in index.stems for t in entry) and entry != (word,)
    ]


def _ids(index: SearchIndex, words: Sequence[str]) -> tuple[int, ...] | None:
    """Return the term ids of indexed words (stopwords skipped), or None if one is missing."""
    ids = []
    for word in words:
        if word in STOPWORDS:
            continue
        term_id = index.term_ids.get(word)
        if term_id is None:
            return None
        ids.append(term_id)
    return tuple(ids) or None


def _ranked(alts: dict[tuple[int, ...], float]) -> tuple[Alt, ...]:
    return tuple(Alt(t, q) for t, q in sorted(alts.items(), key=lambda a: -a[1]))


def _remember(index: SearchIndex, key: object, value: object) -> None:
    with MEMO_LOCK:
        if len(index.memo) > MAX_MEMO:
            kept = {k: v for k, v in index.memo.items() if isinstance(k, str)}
            index.memo.clear()
            index.memo.update(kept)
        index.memo[key] = value
