"""rapidfuzz as the search uses it, imported only when a query needs it.

Importing rapidfuzz costs a whole ``fact-explorer search`` process ~11 ms
(it imports every metric, its Python fallbacks and ``typing``): more than
the search. A search needs none of it: the closeness of the best hits to
the query (`fuzz.token_sort_ratio` and `fuzz.token_set_ratio` with
`default_process`) is computed here, in Python, for texts in the Latin
scripts, punctuation and symbols (`computed_here`), and so are a typed
word's typo neighbours (`osa_within`: `OSA` distances), with the same results
to the last bit (``tests/unit/test_search_fuzzy.py`` compares them with
rapidfuzz's). Any other text, and any other use (`process`, `OSA`), is
rapidfuzz's own, imported on first use. Only a process that searches once
(`ONE_SEARCH`) computes in Python; any other imports rapidfuzz and uses its C.
"""

from __future__ import annotations

import re
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def computed_here(text: str) -> bool:
    """Whether every character of ``text`` is one `default_process` makes as Python's ``isalnum``
    and ``lower`` make it: those of the Latin scripts (``\\x00-\\u036f`` but ``İ``, which lowers
    to two characters), punctuation and symbols (``\\u2000-\\u2bff``). rapidfuzz's Unicode
    tables differ from Python's in some newer characters, and a final ``Σ`` lowers by its
    context. A loop, not a pattern: the pattern cost a search 0.5 ms to compile."""
    if max(text, default="") < "\u0130":
        return True
    return all(c < "\u0130" or "\u0130" < c < "\u0370" or "\u2000" <= c < "\u2c00" for c in text)


_NOT_ALNUM = re.compile(r"[\W_]")


class _Lazy:
    """Stands for a rapidfuzz module, imported when an attribute is first read."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> object:
        __import__(self._name)
        value = getattr(sys.modules[self._name], attribute)
        setattr(self, attribute, value)
        return value


def default_process(text: str) -> str:
    """``rapidfuzz.utils.default_process``: every character but letters and digits a space,
    lower case, trimmed."""
    if not computed_here(text):
        from rapidfuzz.utils import default_process as theirs

        return theirs(text)
    return _NOT_ALNUM.sub(" ", text).lower().strip()


def _processed(text: str, processor: Callable[[str], str] | None) -> str | None:
    """``text`` through ``processor`` when it is computed here, else None (rapidfuzz's)."""
    if processor is not default_process or not computed_here(text):
        return None
    return _NOT_ALNUM.sub(" ", text).lower().strip()


def _indel(a: str, b: str) -> int:
    """The Indel distance (insertions and deletions) of ``a`` and ``b``: both lengths less
    twice their longest common subsequence, found bit-parallel (Hyyrö)."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    masks: dict[str, int] = {}
    bit = 1
    for char in a:
        masks[char] = masks.get(char, 0) | bit
        bit <<= 1
    full = bit - 1
    row = full
    get = masks.get
    for char in b:
        matched = row & get(char, 0)
        row = ((row + matched) | (row - matched)) & full
    common = len(a) - row.bit_count()
    return len(a) + len(b) - 2 * common


def _ratio(a: str, b: str) -> float:
    """``fuzz.ratio``: the normalised Indel similarity, 0-100."""
    total = len(a) + len(b)
    if not total:
        return 100.0
    return (1.0 - _indel(a, b) / total) * 100


def _norm_distance(distance: int, total: int) -> float:
    return (100 - 100 * distance / total) if total else 100.0


def _token_sort_ratio(a: str, b: str, cutoff: float = 0.0) -> float:
    """``fuzz.token_sort_ratio`` of two processed texts: `fuzz.ratio` of their words, sorted."""
    result = _ratio(" ".join(sorted(a.split())), " ".join(sorted(b.split())))
    return result if result >= cutoff else 0.0


def _token_set_ratio(a: str, b: str, cutoff: float = 0.0) -> float:
    """``fuzz.token_set_ratio`` of two processed texts: their words in common, and the rest.

    Args:
        cutoff: rapidfuzz's ``score_cutoff``: a score below it is 0. The rests are
            then compared only when their lengths leave room for a score that
            counts (their Indel distance is at least the difference): a long
            quote's words against a short query's cost the reranking most of its time.
    """
    words_a, words_b = set(a.split()), set(b.split())
    if not words_a or not words_b:
        return 0.0
    both = words_a & words_b
    only_a, only_b = words_a - words_b, words_b - words_a
    if both and (not only_a or not only_b):
        return 100.0
    rest_a, rest_b = " ".join(sorted(only_a)), " ".join(sorted(only_b))
    shared = len(" ".join(both))
    with_a = shared + (shared != 0) + len(rest_a)
    with_b = shared + (shared != 0) + len(rest_b)
    best = 0.0
    if shared:
        ab = _norm_distance((shared != 0) + len(rest_a), shared + with_a)
        ba = _norm_distance((shared != 0) + len(rest_b), shared + with_b)
        best = max(ab, ba)
    most = _norm_distance(abs(len(rest_a) - len(rest_b)), with_a + with_b)
    if most >= max(cutoff, best):
        best = max(best, _norm_distance(_indel(rest_a, rest_b), with_a + with_b))
    return best if best >= cutoff else 0.0


ONE_SEARCH = False
"""True in a process that searches once and ends (`fact-explorer search` sets it): the
scores are then computed here unless rapidfuzz is imported already (for a typo). Any
other process (the app, a script, the in-process benchmarks) imports rapidfuzz on its
first reranking and scores with its C, ten times faster (~2 ms a query); the scores are
the same."""


def _compiled() -> Any:
    """``rapidfuzz.fuzz``, unless this process searches once and has not imported it: None."""
    if ONE_SEARCH:
        return sys.modules.get("rapidfuzz.fuzz")
    from rapidfuzz import fuzz

    return fuzz


def _their_processor(processor: Callable[[str], str] | None) -> Callable[[str], str] | None:
    """rapidfuzz's own `default_process` in C for ours (the same texts out), else ``processor``."""
    if processor is default_process:
        from rapidfuzz.utils import default_process as theirs

        return theirs
    return processor


class _Fuzz:
    """``rapidfuzz.fuzz``: two scorers computed here, the rest imported when first used."""

    def __getattr__(self, attribute: str) -> object:
        from rapidfuzz import fuzz

        return getattr(fuzz, attribute)

    @staticmethod
    def token_sort_ratio(
        s1: str,
        s2: str,
        *,
        processor: Callable[[str], str] | None = None,
        score_cutoff: float | None = None,
    ) -> float:
        """``fuzz.token_sort_ratio``: `fuzz.ratio` of the texts' words, sorted."""
        return _scored("token_sort_ratio", _token_sort_ratio, s1, s2, processor, score_cutoff)

    @staticmethod
    def token_set_ratio(
        s1: str,
        s2: str,
        *,
        processor: Callable[[str], str] | None = None,
        score_cutoff: float | None = None,
    ) -> float:
        """``fuzz.token_set_ratio``: the texts' words in common, and each one's others."""
        return _scored("token_set_ratio", _token_set_ratio, s1, s2, processor, score_cutoff)


def _scored(
    name: str,
    ours: Callable[[str, str, float], float],
    s1: str,
    s2: str,
    processor: Callable[[str], str] | None,
    score_cutoff: float | None = None,
) -> float:
    """rapidfuzz's scorer ``name`` of two texts: ``ours`` when both are computed here, else
    rapidfuzz's own (imported already, or text this module does not compute)."""
    a = b = None
    if _compiled() is None:
        a, b = _processed(s1, processor), _processed(s2, processor)
    if a is None or b is None:
        from rapidfuzz import fuzz

        theirs: Callable[..., float] = getattr(fuzz, name)
        return theirs(s1, s2, processor=_their_processor(processor), score_cutoff=score_cutoff)
    return ours(a, b, score_cutoff or 0.0)


def _osa(a: str, b: str, most: int) -> int:
    """The OSA distance of ``a`` and ``b`` (`OSA.distance`), or ``most + 1`` when it is more.

    Exact, without a table: the common prefix and suffix change no distance (rapidfuzz drops
    them too); what is left differs in its first letters, so a first edit is there: drop
    ``a``'s, insert ``b``'s, replace it, or swap the first two. OSA is the same read from
    either end, so the distance is one more than the least of the rest's, each found within
    ``most - 1`` the same way. At most 4 + 16 small comparisons for ``most`` 2."""
    shorter = min(len(a), len(b))
    start = 0
    while start < shorter and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    a, b = a[start:end_a], b[start:end_b]
    if not a or not b:
        return min(len(a) + len(b), most + 1)
    if most < 1 or abs(len(a) - len(b)) > most:
        return most + 1
    if most == 1:  # one edit: a letter replaced, added or dropped, or two swapped
        if len(a) + len(b) <= 2 or (len(a) == len(b) == 2 and a[0] == b[1] and a[1] == b[0]):
            return 1
        return 2
    rest = most - 1
    least = min(_osa(a[1:], b, rest), _osa(a, b[1:], rest), _osa(a[1:], b[1:], rest))
    if least and len(a) > 1 and len(b) > 1 and a[0] == b[1] and a[1] == b[0]:
        least = min(least, _osa(a[2:], b[2:], rest))
    return 1 + least


def osa_within(text: str, terms: list[str], most: int) -> list[tuple[str, int]]:
    """``terms`` at most ``most`` edits (`OSA.distance`) from ``text``, with their distances,
    nearest first, then in their order: what ``process.extract(text, terms,
    scorer=OSA.distance, score_cutoff=most, limit=None)`` finds. Computed here, in Python,
    when this process searches once (`ONE_SEARCH`) and has not imported rapidfuzz: ~0.2-0.5 ms
    over a typo's 300-1200 terms, where importing rapidfuzz costs ~13-19 ms."""
    extract = sys.modules.get("rapidfuzz.process") if ONE_SEARCH else process
    if extract is not None:
        from rapidfuzz.distance import OSA as theirs

        found = extract.extract(text, terms, scorer=theirs.distance, score_cutoff=most, limit=None)
        return [(term, int(distance)) for term, distance, _i in found]
    return _near(text, terms, most)


def _near(text: str, terms: list[str], most: int) -> list[tuple[str, int]]:
    """`osa_within` computed here. A term is first told apart by its set of letters, in C:
    an edit adds at most one letter the other lacks and takes away at most one (a swap
    none), so letters in one word but not the other are at most twice the distance; that
    leaves ~6% of a typo's buckets to `_osa` (a fifth of the time over them)."""
    unlike = set(text).symmetric_difference
    bound = 2 * most
    near = [
        (term, distance)
        for term in terms
        if len(unlike(term)) <= bound and (distance := _osa(text, term, most)) <= most
    ]
    near.sort(key=lambda match: match[1])  # stable: equally near ones in their order
    return near


if TYPE_CHECKING:  # what each stands for: rapidfuzz's own
    from rapidfuzz import fuzz as fuzz
    from rapidfuzz import process as process
    from rapidfuzz.distance import OSA as OSA
else:
    fuzz = _Fuzz()  # its two reranking scorers computed here (see the module's text)
    process = _Lazy("rapidfuzz.process")  # imported when first used
    OSA = _Lazy("rapidfuzz.distance.OSA")
