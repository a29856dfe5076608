"""An index's vocabulary and its tables by term, held compactly and looked up by bisection.

At a million facts the vocabulary has millions of terms: as a list of texts,
a dict of their ids and dicts of stems and of typo buckets, unpickling them
made tens of millions of objects (most of a warm open, and of its memory).
Here each is one text and an array or two, unpickled as a few blocks of
bytes; a term, an id or a stem's terms are made when asked for.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import accumulate

from explorer.records import overload

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DICT_AFTER = 20_000
"""Lookups by bisection before `TermIds` makes a dict (a re-open looks up every term)."""


class Terms(Sequence[str]):
    """Texts in one string with where each ends: a text is sliced out when asked for.

    Sorted texts (a vocabulary) are found by `find` in log time; equal to a
    list of the same texts, so an index compares alike however it was made.
    """

    __slots__ = ("_ends", "_text")

    def __init__(self, text: str, ends: array[int]) -> None:
        if (ends[-1] if ends else 0) != len(text):
            raise ValueError("the terms' ends do not match their text")
        self._text = text
        self._ends = ends

    @classmethod
    def of(cls, texts: Iterable[str]) -> Terms:
        """The texts given, in their order."""
        listed = list(texts)
        return cls("".join(listed), array("Q", accumulate(map(len, listed))))

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, at: int) -> str: ...

    @overload
    def __getitem__(self, at: slice) -> list[str]: ...

    def __getitem__(self, at: int | slice) -> str | list[str]:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self._ends)))]
        end = self._ends[at]  # an IndexError as a list's, for a number out of range
        if at < 0:
            at += len(self._ends)
        return self._text[self._ends[at - 1] if at else 0 : end]

    def __iter__(self) -> Iterator[str]:
        text, start = self._text, 0
        for end in self._ends:
            yield text[start:end]
            start = end

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and self.find(text) is not None

    def find(self, text: str) -> int | None:
        """The position of ``text`` among sorted texts, or None."""
        at = bisect.bisect_left(self, text)
        return at if at < len(self._ends) and self[at] == text else None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Terms):
            return self._text == other._text and self._ends == other._ends
        if isinstance(other, list):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def state(self) -> tuple[str, array[int]]:
        """What a cache holds of it: the text and the ends."""
        return self._text, self._ends


class TermIds(Mapping[str, int]):
    """Term -> id for a sorted `Terms`, by bisection; a dict once it has been asked often."""

    def __init__(self, vocab: Terms) -> None:
        self._vocab = vocab
        self._asked = 0
        self._dict: dict[str, int] | None = None

    def _made(self) -> dict[str, int]:
        if self._dict is None:
            self._dict = {t: i for i, t in enumerate(self._vocab)}
        return self._dict

    def get(self, term: str, default: Any = None) -> Any:
        if self._dict is None:
            self._asked += 1
            if self._asked <= DICT_AFTER:
                found = self._vocab.find(term) if isinstance(term, str) else None
                return default if found is None else found
        return self._made().get(term, default)

    def __getitem__(self, term: str) -> int:
        found = self.get(term)
        if found is None:
            raise KeyError(term)
        return found  # type: ignore[no-any-return]

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.get(term) is not None

    def __len__(self) -> int:
        return len(self._vocab)

    def __iter__(self) -> Iterator[str]:
        return iter(self._vocab)


class Grouped(Mapping[str, tuple[int, ...]]):
    """Sorted keys (`Terms`), each with a run of whole numbers: a stem and its terms' ids."""

    def __init__(self, keys: Terms, starts: array[int], values: array[int]) -> None:
        if len(starts) != len(keys) + 1 or (starts and starts[-1] != len(values)):
            raise ValueError("the groups' starts do not match their keys")
        self._keys = keys
        self._starts = starts
        self._values = values

    @classmethod
    def of(cls, groups: Mapping[str, Sequence[int]]) -> Grouped:
        """The same groups as ``groups``."""
        keys = sorted(groups)
        values = array("I")
        starts = array("Q", [0])
        for key in keys:
            values.extend(groups[key])
            starts.append(len(values))
        return cls(Terms.of(keys), starts, values)

    def get(self, key: str, default: Any = None) -> Any:
        at = self._keys.find(key) if isinstance(key, str) else None
        if at is None:
            return default
        return tuple(self._values[self._starts[at] : self._starts[at + 1]])

    def __getitem__(self, key: str) -> tuple[int, ...]:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found  # type: ignore[no-any-return]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._keys.find(key) is not None

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def state(self) -> tuple[tuple[str, array[int]], array[int], array[int]]:
        """What a cache holds of it."""
        return self._keys.state(), self._starts, self._values


class Buckets(Mapping[tuple[int, str], list[str]]):
    """Terms by a small key (a length and a letter), each bucket one text split when asked for."""

    def __init__(self, joined: dict[tuple[int, str], str]) -> None:
        self._joined = joined

    @classmethod
    def of(cls, buckets: Mapping[tuple[int, str], list[str]]) -> Buckets:
        """The same buckets (no term holds a newline: terms are words)."""
        return cls({key: "\n".join(terms) for key, terms in buckets.items()})

    def get(self, key: tuple[int, str], default: Any = None) -> Any:
        joined = self._joined.get(key)
        return default if joined is None else joined.split("\n")

    def __getitem__(self, key: tuple[int, str]) -> list[str]:
        return self._joined[key].split("\n")

    def __contains__(self, key: object) -> bool:
        return key in self._joined

    def __len__(self) -> int:
        return len(self._joined)

    def __iter__(self) -> Iterator[tuple[int, str]]:
        return iter(self._joined)

    def state(self) -> dict[tuple[int, str], str]:
        """What a cache holds of it."""
        return self._joined
