"""`terms`, `term_texts` and `term_set` give what they gave before their ASCII fast paths.

The oracle is a copy of the code as it stood (commit 9c6049a), kept here so that a
later change to `explorer.search.text` is held to it on any text: Hypothesis builds texts
from an alphabet that reaches every branch (digits, thousands commas, decimals, spaces
and the ASCII separators that Unicode counts as spaces, scale words, disclosure codes,
letters that fold to more or other letters, fullwidth digits, superscripts, combining
marks), and every claim and quote of the bundled base is checked too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache

from hypothesis import example, given, settings
from hypothesis import strategies as st

from explorer import open_factbase
from explorer.numbers import SCALE_WORDS, SCALES
from explorer.search import text as current

# --- the oracle: explorer/search/text.py at 9c6049a, its term functions unchanged ---

MAX_TERM = 48
STOPWORDS = current.STOPWORDS
_NUM = (
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"(?:\s{{0,2}}(?P<scale>{SCALE_WORDS}))?(?!\w)"
)
_CODE = r"(?P<code>(?<![\d.,-])\d{3}-\d{1,2}(?![\d,-]|\.\d))"
_TOKEN = re.compile(rf"{_CODE}|{_NUM}|(?P<word>\w+)", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_WORDS = re.compile(r"\w+")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def canonical_number(digits: str, scale: str | None = None) -> str:
    if not scale and digits.isascii() and digits.isdigit():
        return (digits.lstrip("0") or "0")[:MAX_TERM]
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


def terms(text: str) -> Iterator[tuple[str, int, int, str]]:
    fold = str.lower if text.isascii() else normalise
    if _DIGIT.search(text) is None:
        for match in _WORDS.finditer(text):
            yield (fold(match.group())[:MAX_TERM], match.start(), match.end(), "word")
        return
    for match in _TOKEN.finditer(text):
        word = match.group("word") or match.group("code")
        if word is not None:
            yield (fold(word)[:MAX_TERM], match.start(), match.end(), "word")
            continue
        digits = match.group("num")
        yield (canonical_number(digits), match.start(), match.end("num"), "number")
        scale = match.group("scale")
        if scale:
            yield (normalise(scale), match.start("scale"), match.end(), "scale")
            value = canonical_number(digits, scale)
            yield (value, match.start(), match.end(), "value")


def term_texts(text: str, values: bool = True) -> list[str]:
    fold = str.lower if text.isascii() else normalise
    if _DIGIT.search(text) is None:
        return [fold(word)[:MAX_TERM] for word in _WORDS.findall(text)]
    out = []
    for code, digits, scale, word in _TOKEN.findall(text):
        if word or code:
            out.append(fold(word or code)[:MAX_TERM])
            continue
        out.append(canonical_number(digits))
        if scale:
            out.append(scale.lower())
            if values:
                out.append(canonical_number(digits, scale))
    return out


def term_set(text: str) -> set[str]:
    if _DIGIT.search(text) is not None:
        found = set(term_texts(text))
    elif text.isascii():
        found = set(_WORDS.findall(text.lower()))
    else:
        found = {normalise(w) for w in set(_WORDS.findall(text))}
    if found and max(map(len, found)) > MAX_TERM:
        found = {t[:MAX_TERM] for t in found}
    found -= STOPWORDS
    return found


# --- the texts ---

PIECES = (
    list("0123456789") * 3
    + list(",,..--  ") * 2
    + list("aZbE_xKzI\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u2009\u202f!%()'/:;")
    + [" million", " Million", "million", "MILLION", " bn", "bn", " mn", " billion", "billion",
       " thousand", " hundred", " trillion", "  million", "   bn", "millionth", " bnx", " mıllion",
       " bıllion", "ſ", "K", "k", "m"]
    + ["303-5", "102-8", "1,550", "197,000", "1.55", "0,000", "000", "2020", "5g", "33.2",
       "1234567890123456", "999,999,999,999,999", "9,999,999,999,999,999", "0.1234567"]
    + list("éßİıﬁÅåΣσς") + ["e\u0301", "\u0301", "\u0327"]
    + list("０１２３４５６７８９，．") + list("²³¹⁴½") + list("٣۴߅१")
    + ["straße", "ﬁnance", "İstanbul", "x" * 50, "9" * 50, "a" * 47 + "9"]
)  # fmt: skip
"""What a text is built of: single characters and whole words, weighted by repetition."""

texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def _same(text: str) -> None:
    """The current functions give the oracle's answers on ``text``."""
    assert current.term_set(text) == term_set(text)
    assert current.term_texts(text) == term_texts(text)
    assert current.term_texts(text, values=False) == term_texts(text, values=False)
    assert [tuple(t) for t in current.terms(text)] == list(terms(text))


@settings(max_examples=3000, deadline=None)
@given(texts)
@example("Huawei's 505 Moments of 291 post: 1.55 billion, 303-5 and 5G")
@example("1,234 Million and 9,999,999,999,999,999 and 000,000 bn")
@example("5\x1cmillion 5\x1c\x1dbn 303-5abc 1.5.6 1,2345")
def test_the_same_terms_as_before_on_any_text(text: str) -> None:
    _same(text)


@settings(max_examples=2000, deadline=None)
@given(st.text(max_size=60))
def test_the_same_terms_as_before_on_any_characters(text: str) -> None:
    _same(text)


@settings(max_examples=2000, deadline=None)
@given(st.from_regex(r"[0-9,. ]{0,25}(?: ?(?:million|bn|Billion|thousand|mn))?", fullmatch=True))
def test_the_same_canonical_number_as_before(digits: str) -> None:
    for scale in (None, "million", "bn", "Billion"):
        assert current.canonical_number(digits, scale) == canonical_number(digits, scale)
    number = digits.split(" ")[0]
    assert current.canonical_number(number) == canonical_number(number)


@cache
def _bundled_texts() -> tuple[str, ...]:
    base = open_factbase()
    return tuple(dict.fromkeys(t for fact in base.facts for t in (fact.claim, fact.quote)))


def test_the_same_terms_as_before_on_every_bundled_claim_and_quote() -> None:
    found = _bundled_texts()
    assert len(found) > 1000
    for text in found:
        _same(text)


def test_the_ascii_space_class_is_unicodes_on_ascii() -> None:
    spaces = re.compile(current._A_S)
    for code in range(128):
        char = chr(code)
        assert bool(spaces.fullmatch(char)) == bool(re.fullmatch(r"\s", char)), repr(char)
