"""Where a hit matched: the fields and character spans the app highlights."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from explorer.model import Fact, FactBase
from explorer.records import dataclass
from explorer.search.fields import SPAN_FIELDS, field_text
from explorer.search.text import MAX_TERM, is_number, normalise, number_terms, term_texts, terms

_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


@dataclass(frozen=True, slots=True)
class FieldMatch:
    """The spans of one field that a query matched."""

    field: str
    """One of ``claim``, ``quote``, ``tags``, ``section``, ``chapter``, ``metric``."""
    spans: tuple[tuple[int, int], ...]
    """(start, end) offsets into the field's original text (`field_text`), in order."""


@dataclass(frozen=True, slots=True)
class Targets:
    """What a query looks for in a hit's fields, split for fast finding."""

    words: frozenset[str]
    """Word terms."""
    numbers: frozenset[str]
    """Number terms (canonical)."""
    phrases: tuple[tuple[str, ...], ...] = ()
    """Term sequences that count only together."""

    @classmethod
    def of(cls, terms: Iterable[str], phrases: Iterable[tuple[str, ...]] = ()) -> Targets:
        """Split matched index terms into words and numbers."""
        found = set(terms)
        numbers = frozenset(t for t in found if is_number(t))
        return cls(frozenset(found - numbers), numbers, tuple(dict.fromkeys(phrases)))


def find_spans(base: FactBase, fact: Fact, targets: Targets) -> tuple[FieldMatch, ...]:
    """Return the matched spans of each field of a fact, fields in `SPAN_FIELDS` order.

    Args:
        base: The fact's base (for its chapter title).
        fact: The fact.
        targets: The terms and phrases the query matched.
    """
    texts = [field_text(base, fact, name) for name in SPAN_FIELDS]
    blob = "\n".join(texts).lower()
    words = [w for w in targets.words if w in blob]  # the few this fact holds: fewer finds
    out = []
    for name, text in zip(SPAN_FIELDS, texts, strict=True):
        if text:
            spans = spans_in(text, targets, words)
            if spans:
                out.append(FieldMatch(name, spans))
    return tuple(out)


def spans_in(
    text: str, targets: Targets, words: Iterable[str] | None = None
) -> tuple[tuple[int, int], ...]:
    """Return the merged spans of ``text`` where the targets occur.

    Args:
        text: A field's text.
        targets: What the query matched.
        words: The target words worth looking for in ``text`` (all when None).
    """
    ascii_text = text.isascii()
    if ascii_text:
        spans = _ascii_spans(text.lower(), targets.words if words is None else words)
    else:
        spans = [
            m.span()
            for m in _WORD.finditer(text)
            if normalise(m.group())[:MAX_TERM] in targets.words
        ]
    if targets.numbers and _DIGIT.search(text):
        spans += [(t.start, t.end) for t in number_terms(text) if t.text in targets.numbers]
    phrases = targets.phrases
    if phrases and ascii_text:
        patterns = [(p, _phrase_pattern(p)) for p in phrases]
        spans += [m.span() for _p, pattern in patterns if pattern for m in pattern.finditer(text)]
        phrases = tuple(p for p, pattern in patterns if pattern is None)
    if phrases:
        sequence = [t for t in terms(text) if t.kind != "value"]
        texts = [t.text for t in sequence]
        for phrase in phrases:
            size = len(phrase)
            for i in range(len(texts) - size + 1):
                if tuple(texts[i : i + size]) == phrase:
                    spans.append((sequence[i].start, sequence[i + size - 1].end))
    if len(spans) < 2:
        return tuple(spans)
    return merge(spans)


def _ascii_spans(low: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Whole-word occurrences of ``words`` in lower-cased ASCII text (C-speed finds)."""
    out = []
    size = len(low)
    for word in words:
        start = low.find(word)
        while start != -1:
            end = start + len(word)
            if (start == 0 or low[start - 1] not in _WORD_CHARS) and (
                end == size or low[end] not in _WORD_CHARS
            ):
                out.append((start, end))
            start = low.find(word, end)
    return out


def has_phrase(text: str, phrase: tuple[str, ...]) -> bool:
    """True when the terms of ``phrase`` stand together, in order, in ``text``."""
    if text.isascii():
        pattern = _phrase_pattern(phrase)
        if pattern is not None:
            return pattern.search(text) is not None
    texts = term_texts(text, values=False)
    size = len(phrase)
    first = phrase[0]
    return any(
        texts[i] == first and tuple(texts[i : i + size]) == phrase
        for i in range(len(texts) - size + 1)
    )


@lru_cache(maxsize=256)
def _phrase_pattern(phrase: tuple[str, ...]) -> re.Pattern[str] | None:
    """A regex for a phrase of words (None when it holds numbers: those need the tokenizer)."""
    if any(not w.isascii() or not w.isalpha() for w in phrase):
        return None
    body = r"\W+".join(re.escape(w) for w in phrase)
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])", re.IGNORECASE)


def merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sort spans and merge those that overlap."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return tuple(out)
