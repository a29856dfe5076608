"""Text as search sees it: normalised terms with their offsets in the original.

Both sides of a match go through `terms`: the fact's fields when the index is
built, the query's words when it is parsed. Text is NFKC-normalised and
case-folded; a number becomes one canonical term however it is written
(``197,000``, ``197000`` and ``197 000`` are all ``197000``), and a number
with a scale word gets a second term for its value (``1.55 billion`` and
``1,550 million`` both give ``1550000000``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache

from explorer.lazyre import lazy
from explorer.numbers import SCALE_WORDS, SCALES
from explorer.records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_TERM = 48
"""Characters of one term that count; longer runs are cut (a term, not a text)."""

STOPWORDS = frozenset(
    "a an and are as at be been but by for from had has have in into is it its of on or our "
    "s that the their this to was we were which with".split()
)
"""Words too common to tell facts apart: not indexed, dropped from queries."""

SOFT_WORDS = frozenset(
    "how many much number numbers amount total count what when where who whom whose why did does "
    "do".split()
)
"""Question words: in a query with other words they rank hits but need not match."""

_NUM = (
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"(?:\s{{0,2}}(?P<scale>{SCALE_WORDS}))?(?!\w)"
)
# A GRI disclosure code ("303-5", "102-8") is one term, not two numbers.
_CODE = r"(?P<code>(?<![\d.,-])\d{3}-\d{1,2}(?![\d,-]|\.\d))"
# Compiled when first used (`lazy`): a text without a digit needs none of these four (both
# a code and a number start with one: its terms are its words, `_WORDS`).
_TOKEN = lazy(rf"{_CODE}|{_NUM}|(?P<word>\w+)", re.IGNORECASE)
_NUMBER = lazy(rf"(?<!\w){_NUM}", re.IGNORECASE)
# "197 000" is one number in a query (in running text a space separates two).
_SPACED = lazy(r"(?<![\d.,])(\d{1,3})((?:[ \u00a0\u2009\u202f]\d{3})+)(?![\d,.])")
_CANONICAL = lazy(r"\d+(?:\.\d+)?")
_SCALED = lazy(rf"(\d)\s+({SCALE_WORDS})(?!\w)", re.IGNORECASE)


class Term(NamedTuple):
    """One term of a text and where it stands in that text."""

    text: str
    """The normalised term."""
    start: int
    """Offset of its first character in the original text."""
    end: int
    """Offset just past its last character."""
    kind: str
    """``word``, ``number``, ``value`` (a scaled number's value) or ``scale``."""


def normalise(text: str) -> str:
    """Return ``text`` NFKC-normalised and case-folded, as both sides compare it."""
    return unicodedata.normalize("NFKC", text).casefold()


def canonical_number(digits: str, scale: str | None = None) -> str:
    """Return the one spelling of a number that the index and queries share.

    Args:
        digits: Digits with optional thousands commas and decimals, e.g. ``"1,550"``.
        scale: A scale word such as ``"million"``, or None.

    Returns:
        The value without separators or trailing zeros: ``"1550000000"``, ``"33.2"``.
    """
    if not scale and digits.isascii():
        if digits.isdigit():
            return (digits.lstrip("0") or "0")[:MAX_TERM]
        plain = digits.replace(",", "")
        if plain.isdigit() and len(plain) <= MAX_EXACT:  # a float holds it exactly: the same text
            return plain.lstrip("0") or "0"
    try:
        value = float(normalise(digits).replace(",", ""))
    except ValueError:
        return normalise(digits)[:MAX_TERM]
    if scale:
        value *= SCALES.get(scale.lower(), 1.0)
    if value != value or value in (float("inf"), float("-inf")) or value >= 1e18:
        return normalise(digits).replace(",", "")[:MAX_TERM]
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def terms(text: str) -> Iterator[Term]:
    """Yield the terms of ``text`` in order, stopwords included.

    A scaled number yields its digits (``number``), its scale word (``scale``)
    and its value (``value``, spanning both).
    """
    fold = str.lower if text.isascii() else normalise
    if _DIGIT.search(text) is None:
        for match in _WORDS.finditer(text):
            yield Term(fold(match.group())[:MAX_TERM], match.start(), match.end(), "word")
        return
    for match in _TOKEN.finditer(text):
        word = match.group("word") or match.group("code")
        if word is not None:
            yield Term(fold(word)[:MAX_TERM], match.start(), match.end(), "word")
            continue
        digits = match.group("num")
        yield Term(canonical_number(digits), match.start(), match.end("num"), "number")
        scale = match.group("scale")
        if scale:
            yield Term(normalise(scale), match.start("scale"), match.end(), "scale")
            value = canonical_number(digits, scale)
            yield Term(value, match.start(), match.end(), "value")


def number_terms(text: str) -> Iterator[Term]:
    """Yield only the number terms of ``text`` (kinds ``number`` and ``value``), as `terms` does."""
    for match in _NUMBER.finditer(text):
        digits, scale = match.group("num"), match.group("scale")
        yield Term(canonical_number(digits), match.start(), match.end("num"), "number")
        if scale:
            yield Term(canonical_number(digits, scale), match.start(), match.end(), "value")


def term_texts(text: str, values: bool = True) -> list[str]:
    """Return the terms of ``text`` as `terms` does, without offsets (faster).

    Args:
        text: Any text.
        values: False to leave out the values of scaled numbers (for phrases).
    """
    if text.isascii():
        if not _has_ascii_digit(text):
            return [word[:MAX_TERM] for word in _ASCII_WORDS.findall(text.lower())]
        # Lower-cased once: ASCII lower-casing keeps every offset, and the pattern has no
        # upper case to meet, so its matches are the folded matches of the text's own.
        found, fold = _ASCII_TOKEN.findall(text.lower()), None
    else:
        if _DIGIT.search(text) is None:
            return [_fold(word)[:MAX_TERM] for word in _WORDS.findall(text)]
        found, fold = _TOKEN.findall(text), _fold
    out = []
    for code, digits, scale, word in found:
        if word or code:
            word = word or code
            out.append((fold(word) if fold else word)[:MAX_TERM])
            continue
        out.append(canonical_number(digits))
        if scale:
            out.append(scale.lower())
            if values:
                out.append(canonical_number(digits, scale))
    return out


def term_set(text: str) -> set[str]:
    """Return the terms of ``text`` but its stopwords, as ``set(term_texts(text)) - STOPWORDS``.

    What the index is built from (a cold open spends a third of its parse workers' time
    here). A text without a digit (nearly half of a base's claims and quotes) holds no
    number nor code: its terms are its ``\\w+`` runs. An ASCII text with one is lower-cased
    once and its tokens taken whole into a set; only those led by a digit (a few) are then
    looked at: a code or a word such as ``5g`` is itself, a number its canonical terms.
    """
    if not text.isascii():
        if _DIGIT.search(text) is not None:
            found = set(term_texts(text))
        else:
            found = {_fold(w) for w in set(_WORDS.findall(text))}
    elif not _has_ascii_digit(text):
        found = set(_ASCII_WORDS.findall(text.lower()))
    else:
        found = set(_ASCII_WHOLE.findall(text.lower()))
        numbers = [t for t in found if t < ":"]  # led by a digit (letters and "_" sort after)
        if numbers:
            found = _with_numbers(found, numbers)
    if found and max(map(len, found)) > MAX_TERM:
        found = {t[:MAX_TERM] for t in found}
    found -= STOPWORDS
    return found


def _with_numbers(found: set[str], tokens: list[str]) -> set[str]:
    """``found`` with each number token among ``tokens`` replaced by its terms (as `terms`)."""
    terms: list[str] = []
    for token in tokens:
        if token.isdigit() and token[0] != "0":
            continue  # an integer (a year, a count) is its own canonical term
        match = None if "-" in token else _ASCII_NUMBER.fullmatch(token)
        if match is None:
            continue  # a code ("303-5") or a word led by a digit ("5g"): a term as it is
        found.discard(token)
        digits, scale = match.groups()
        terms.append(canonical_number(digits))
        if scale:
            terms.append(scale)
            terms.append(canonical_number(digits, scale))
    found.update(terms)
    return found


def _has_ascii_digit(text: str) -> bool:
    """True when ASCII ``text`` holds a digit (ten substring scans: ~5x ``\\d``'s search)."""
    return (
        "0" in text or "1" in text or "2" in text or "3" in text or "4" in text
        or "5" in text or "6" in text or "7" in text or "8" in text or "9" in text
    )  # fmt: skip


def _fold(word: str) -> str:
    """`normalise` of a word: an ASCII one (most words of any text) is only lower-cased."""
    return word.lower() if word.isascii() else normalise(word)


MAX_EXACT = 15
"""Digits of an integer that a float holds exactly (beyond, its canonical form is rounded)."""

_DIGIT = lazy(r"\d")
_WORDS = lazy(r"\w+")
# The same patterns for lower-cased ASCII text, in ASCII classes (faster than Unicode's):
# there ``\w`` is [a-z0-9_], ``\d`` [0-9] and ``\s`` [\t-\r\x1c-\x1f ] (Unicode counts the
# four separators \x1c-\x1f as spaces).
_A_S = r"[\t-\r\x1c-\x1f ]"
_A_NUM = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_A_CODE = r"(?<![0-9.,-])[0-9]{3}-[0-9]{1,2}(?![0-9,-]|\.[0-9])"
_ASCII_WORDS = lazy(r"[a-z0-9_]+")
_ASCII_TOKEN = lazy(
    rf"({_A_CODE})|({_A_NUM})(?:{_A_S}{{0,2}}({SCALE_WORDS}))?(?![a-z0-9_])|([a-z0-9_]+)"
)
# Tokens whole: a word led by a letter is tried first (where `_TOKEN` meets one, its code
# and number alternatives fail).
_ASCII_WHOLE = lazy(
    rf"[a-z_][a-z0-9_]*|{_A_CODE}|(?:{_A_NUM})(?:{_A_S}{{0,2}}(?:{SCALE_WORDS}))?"
    r"(?![a-z0-9_])|[0-9][a-z0-9_]*"
)
_ASCII_NUMBER = lazy(rf"({_A_NUM})(?:{_A_S}{{0,2}}({SCALE_WORDS}))?")


def join_numbers(query: str) -> str:
    """Return ``query`` with each number in one piece.

    ``"197 000"`` becomes ``"197000"`` and ``"1.55 billion"`` becomes
    ``"1.55billion"``, so that the query's pieces split on spaces only.
    """
    if not any(map(str.isdigit, query)):
        return query  # both patterns need a digit (``\d``: any character ``isdigit`` holds)
    query = _SPACED.sub(lambda m: m.group(1) + re.sub(r"\D", "", m.group(2)), query)
    return _SCALED.sub(r"\1\2", query)


def is_number(term: str) -> bool:
    """True when a normalised term is a number (``2020``, ``33.2``; not ``5g``)."""
    return _CANONICAL.fullmatch(term) is not None


def is_code(term: str) -> bool:
    """True when a normalised term is a disclosure code (``303-5``): matched as written."""
    return "-" in term and term[:1].isdigit()


def stem(term: str) -> str:
    """Return a term's Snowball (Porter 2) stem, so that other forms of a word meet.

    ``emissions`` and ``emission`` -> ``emiss``; ``recycling``, ``recycled`` and
    ``recycle`` -> ``recycl``; an irregular form is its lemma's first
    (``children`` -> ``child``, ``women`` -> ``woman``). Numbers and words of
    three letters or fewer are left alone.
    """
    if len(term) <= 3 or not term.isalpha():
        return term
    found = _STEMS.get(term)
    if found is None:
        found = _snowball().stemWord(_lemma(term))
        if len(_STEMS) < MAX_STEMS:
            _STEMS[term] = found
    return found


MAX_STEMS = 200_000
"""Stems remembered (a base's vocabulary; typing repeats words)."""

_STEMS: dict[str, str] = {}


@cache
def _snowball() -> Any:
    import Stemmer  # PyStemmer: Snowball's C stemmers

    return Stemmer.Stemmer("english")


BISECTED = 256
"""Irregular forms looked up one by one before the whole table is read (a query needs a few)."""

_looked_up = [0]


def _lemma(term: str) -> str:
    """``term``'s lemma if it is an irregular form ("children": "child"), else ``term``."""
    if _looked_up[0] < BISECTED:
        _looked_up[0] += 1
        from explorer.search.lexicon import lemma

        return lemma(term) or term
    return _irregular().get(term, term)


@cache
def _irregular() -> dict[str, str]:
    from explorer.search.lexicon import irregular

    return irregular()
