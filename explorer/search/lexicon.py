"""Other words for a word, from WordNet: irregular forms, synonyms, derived and broader words.

Two files beside this module are made from WordNet 3.0's database files
(Princeton University; its licence heads each file) by::

    python -m explorer.search.lexicon /usr/share/wordnet   # Debian's wordnet-base

and kept in the repository, so search never needs WordNet installed:

- ``wordnet-forms.txt``: irregular forms and their lemma ("children child",
  "women woman"), which stemming folds together;
- ``wordnet.txt``: one line per stem, sorted, with the other words for the
  words of that stem: the words of the same sense, where that sense is among
  the commonest of each (WordNet lists a word's senses commonest first), so
  "plant" meets "works" but not "flora"; words derived one from the other
  ("emit", "emission"); and the broader word of a word's commonest sense
  ("timeframe", "period"), one way only, since a broad word has hundreds of
  narrow ones. Phrases are joined by ``_``.

Search looks a query word's stem up in ``wordnet.txt`` by bisection over the
memory-mapped file, so nothing is loaded up front, and keeps the other words
that the base holds. The curated groups of ``facts/synonyms.yaml`` rank above
them (see `explorer.search.expand`).
"""

from __future__ import annotations

import mmap
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache

FORMS = os.path.join(os.path.dirname(__file__), "wordnet-forms.txt")
RELATED = os.path.join(os.path.dirname(__file__), "wordnet.txt")

TOP_SENSES = 2
"""How many of a word's commonest senses its other words may come from."""

MAX_NARROWER = 40
"""A broader word with more narrow words than this ("person", "act") says too little."""

MAX_WORDS = 3
"""The most words a phrase of the lexicon may have."""

POS = ("noun", "verb", "adj", "adv")


@cache
def irregular() -> dict[str, str]:
    """Irregular forms to their lemma: "children" to "child"."""
    text = _text(FORMS)
    start = 0
    while text.startswith("#", start):  # the licence heads the file
        end = text.find("\n", start)
        start = len(text) if end < 0 else end + 1
    lines = text[start:].splitlines()
    words = text[start:].split()
    if len(words) == 2 * len(lines) and "#" not in text[start:]:  # as the file is made: one pass
        return dict(zip(words[::2], words[1::2], strict=True))
    out = {}
    for line in lines:
        pair = line.split()
        if len(pair) == 2 and not line.startswith("#"):
            out[pair[0]] = pair[1]
    return out


def other_words(key: str) -> tuple[tuple[str, ...], ...]:
    """The other words the lexicon gives for the words of stem ``key``, each as its words."""
    found = _related().find(key)
    return tuple(tuple(entry.split("_")) for entry in found)


def _text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):  # a broken install: search works, with fewer words
        return ""


def lemma(form: str) -> str | None:
    """The lemma `irregular` gives an irregular form ("children": "child"), else None.

    Found by bisection in the memory-mapped file (both files are written sorted):
    a query's few words need not read the whole table (~1 ms).
    """
    found = _mapped_forms().find(form, last=True)
    return found[0] if len(found) == 1 else None


class _Related:
    """``wordnet.txt`` (or another file of sorted lines, key first) mapped, read by bisection."""

    def __init__(self, path: str = RELATED, separator: bytes = b"\t") -> None:
        self.data: bytes | mmap.mmap = b""
        self.start = 0
        self.separator = separator
        try:
            with open(path, "rb") as handle:
                self.data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # missing or empty: no other words
            return
        while self.data[self.start : self.start + 1] == b"#":  # the licence
            self.start = self.data.find(b"\n", self.start) + 1

    def find(self, key: str, *, last: bool = False) -> list[str]:
        """The entries of ``key``'s line (its last one, if ``last`` and it has several), or none."""
        want = key.encode("utf-8", "replace")
        data, low, high = self.data, self.start, len(self.data)
        while low < high:  # find the first line whose key is >= want
            mid = (low + high) // 2
            line_start = data.rfind(b"\n", low, mid) + 1 if mid > low else low
            line_start = max(line_start, low)
            line_end = data.find(b"\n", line_start)
            line_end = len(data) if line_end < 0 else line_end
            tab = data.find(self.separator, line_start, line_end)
            current = data[line_start : tab if tab >= 0 else line_end]
            if current < want:
                low = line_end + 1
            elif current == want:
                while last and line_end < len(data):  # a key on several lines: the last one wins
                    after = data.find(b"\n", line_end + 1)
                    after = len(data) if after < 0 else after
                    if data[line_end + 1 : after].split(self.separator, 1)[0] != want:
                        break
                    line_start, line_end = line_end + 1, after
                    tab = data.find(self.separator, line_start, line_end)
                return data[tab + 1 : line_end].decode("utf-8", "replace").split()
            else:
                high = line_start
        return []


@cache
def _related() -> _Related:
    """The mapped file, opened on the first lookup and kept (at worst two threads map it)."""
    return _Related()


@cache
def _mapped_forms() -> _Related:
    """``wordnet-forms.txt`` mapped (a form, a space, its lemma on each line), as `_related`."""
    return _Related(FORMS, b" ")


# --- making wordnet.txt from WordNet's database files -----------------------


def build(wordnet: str, stem: Callable[[str], str]) -> tuple[str, str]:
    """Return the texts of ``wordnet-forms.txt`` and ``wordnet.txt`` from WordNet's files.

    Args:
        wordnet: The folder of WordNet's ``index.*``, ``data.*`` and ``*.exc`` files.
        stem: How search stems a word (the key of each line of ``wordnet.txt``).
    """
    senses: dict[tuple[str, str], list[str]] = {}
    for pos in POS:
        for line in _read(os.path.join(wordnet, f"index.{pos}")):
            fields = line.split()
            count = int(fields[2])
            senses[(pos, fields[0])] = fields[-count:]
    pairs: set[tuple[str, str]] = set()  # (word, another word for it)
    broader: set[tuple[str, str]] = set()
    for pos in POS:
        for line in _read(os.path.join(wordnet, f"data.{pos}")):
            offset, words, pointers = _synset(line)
            common = [
                w
                for w in dict.fromkeys(words)
                if offset in senses.get((pos, w), [])[:TOP_SENSES] and w.count("_") < MAX_WORDS
            ]
            pairs.update((a, b) for a in common for b in common if a != b)
            for source, target_offset, target_pos, target in pointers:
                if not target or target.count("_") >= MAX_WORDS:
                    continue
                if target_offset not in senses.get((target_pos, target), [])[:TOP_SENSES]:
                    continue
                if source < 0:  # a broader word of the word's commonest sense
                    broader.update(
                        (word, target)
                        for word in common
                        if word != target and senses[(pos, word)][0] == offset
                    )
                elif source < len(words) and words[source] in common:
                    pairs.update({(words[source], target), (target, words[source])})
    fan_in = Counter(b for _a, b in broader)
    pairs.update(pair for pair in broader if fan_in[pair[1]] <= MAX_NARROWER)
    lines: dict[str, set[str]] = {}
    for word, other in pairs:
        if "_" not in word and word.isalpha():
            key = stem(word)
            if tuple(stem(w) for w in other.split("_")) != (key,):
                lines.setdefault(key, set()).add(other)
    head = "".join(f"# {line}".rstrip() + "\n" for line in _LICENCE.splitlines())
    related = "".join(f"{k}\t{' '.join(sorted(v))}\n" for k, v in sorted(lines.items()))
    return head + "\n".join(sorted(set(_forms(wordnet, senses)))) + "\n", head + related


def _forms(wordnet: str, senses: dict[tuple[str, str], list[str]]) -> Iterator[str]:
    for pos, lemma in senses:  # morphy's rule: "women" is "woman", "chairmen" "chairman"
        if pos == "noun" and lemma.endswith("man") and lemma.isalpha() and len(lemma) > 3:
            yield f"{lemma[:-3]}men {lemma}"
    for pos in ("noun", "verb", "adj"):
        for line in _read(os.path.join(wordnet, f"{pos}.exc")):
            form, lemma, *_ = line.split()
            if _plain_form(form, lemma):
                yield f"{form} {lemma}"


def _read(path: str) -> Iterator[str]:
    with open(path, encoding="latin-1") as handle:
        for line in handle:
            if not line.startswith(" "):
                yield line


def _synset(line: str) -> tuple[str, list[str], list[tuple[int, str, str, str]]]:
    """A data line's offset, its words (lower case) and its derivation pointers."""
    fields = line.split(" | ")[0].split()
    count = int(fields[3], 16)
    words = [fields[4 + 2 * i].lower().split("(")[0] for i in range(count)]
    at = 4 + 2 * count
    pointers = []
    for _ in range(int(fields[at])):
        symbol, offset, pos, ends = fields[at + 1 : at + 5]
        at += 4
        if symbol == "+":
            source, target = int(ends[:2], 16) - 1, int(ends[2:], 16) - 1
            pointers.append((source, offset, _POS_NAMES.get(pos, ""), _target(offset, pos, target)))
        elif symbol in ("@", "@i", "#m") and ends == "0000":  # its broader sense, its group
            for word in _TARGETS.get((offset, pos), []):
                pointers.append((-1, offset, _POS_NAMES.get(pos, ""), word))
    return fields[0], words, pointers


_POS_NAMES = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}
_TARGETS: dict[tuple[str, str], list[str]] = {}


def _target(offset: str, pos: str, index: int) -> str:
    words = _TARGETS.get((offset, pos))
    return words[index] if words and 0 <= index < len(words) else ""


def _plain_form(form: str, lemma: str) -> bool:
    """An irregular form to keep: an English plural or tense, not a Latin or Greek one.

    "data datum" and "media medium" are left out: each is a word of its own in
    use, which folding would lose.
    """
    if form == lemma or "_" in form or not form.isalpha():
        return False
    return not form.endswith(("a", "i", "ae")) and form[:2] == lemma[:2]


_LICENCE = """\
Made from WordNet 3.0 (https://wordnet.princeton.edu) under its licence:

This software and database is being provided to you, the LICENSEE, by
Princeton University under the following license.  By obtaining, using
and/or copying this software and database, you agree that you have
read, understood, and will comply with these terms and conditions.:

Permission to use, copy, modify and distribute this software and
database and its documentation for any purpose and without fee or
royalty is hereby granted, provided that you agree to comply with
the following copyright notice and statements, including the disclaimer,
and that the same appear on ALL copies of the software, database and
documentation, including modifications that you make for internal
use or for distribution.

WordNet 3.0 Copyright 2006 by Princeton University.  All rights reserved.

THIS SOFTWARE AND DATABASE IS PROVIDED \"AS IS\" AND PRINCETON
UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR
IMPLIED.  BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON
UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES OF MERCHANT-
ABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE
OF THE LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL NOT
INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR
OTHER RIGHTS.

The name of Princeton University or Princeton may not be used in
advertising or publicity pertaining to distribution of the software
and/or database.  Title to copyright in this software, database and
any associated documentation shall at all times remain with"""


def _load_targets(wordnet: str) -> None:
    for pos in POS:
        letter = pos[0] if pos != "adj" else "a"
        for line in _read(os.path.join(wordnet, f"data.{pos}")):
            fields = line.split()
            count = int(fields[3], 16)
            words = [fields[4 + 2 * i].lower().split("(")[0] for i in range(count)]
            _TARGETS[(fields[0], letter)] = words
            if letter == "a":
                _TARGETS[(fields[0], "s")] = words


def main(argv: list[str]) -> int:
    """Write ``wordnet-forms.txt`` and ``wordnet.txt`` from the WordNet folder in ``argv``."""
    if len(argv) != 1 or not os.path.isdir(argv[0]):
        print("usage: python -m explorer.search.lexicon WORDNET_DIR", file=sys.stderr)
        return 2
    folder = argv[0]
    _load_targets(folder)
    forms, _ = build(folder, lambda word: word)  # the forms first: stemming folds them
    _write(FORMS, forms)
    from explorer.search import text

    irregular.cache_clear()
    _mapped_forms.cache_clear()
    text._irregular.cache_clear()
    text._STEMS.clear()
    _forms, related = build(folder, text.stem)
    _write(RELATED, related)
    print(f"wrote {FORMS} and {RELATED}", file=sys.stderr)
    return 0


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
