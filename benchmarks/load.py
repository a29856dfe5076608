"""Load at scale: synthetic bases shaped like the real one, cold and warm, with RSS.

Run by hand (not a test)::

    python -m benchmarks.load            # 10k and 100k facts
    python -m benchmarks.load 10000      # one size

Each size is written as YAML fact files (one folder per chapter, files of
5,000 facts), then opened in a fresh interpreter three times: cold (cache
off: libyaml parse, validation, index build), cold with the cache being
written, and warm (from the cache). The table gives wall time and peak RSS.
Synthetic facts are real facts with their numbers and some of their words
replaced (words drawn by the real word frequencies, plus new names at the rate
a growing corpus meets them), so the vocabulary grows as a real one would.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from itertools import accumulate
from pathlib import Path

from explorer import open_factbase
from explorer.model import ENTRY_KINDS, Fact, FactBase
from explorer.numbers import parse_number
from explorer.paths import bundled_facts_dir

SIZES = (10_000, 100_000)
CHUNK = 5_000
_WORD = re.compile(r"[A-Za-z]{4,}")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_SYLLABLES = ["ka", "lo", "mi", "ra", "ten", "vo", "su", "ni", "gar", "pel", "to", "zu", "an", "ex"]


def synthetic_base(size: int, seed: int = 7) -> FactBase:
    """Return a base of ``size`` facts made from the bundled base's facts.

    Args:
        size: How many facts.
        seed: For the random choices, so runs compare.
    """
    real = open_factbase(bundled_facts_dir())
    rng = random.Random(seed)
    counts = Counter(w.lower() for f in real.facts for w in _WORD.findall(f.claim + f.quote))
    words, weights = zip(*counts.most_common(), strict=True)
    cumulative = tuple(accumulate(weights))
    names = [_name(rng) for _ in range(int(125 * size**0.5))]
    # Only curated facts: the appendix entries are built from gri.yaml and glossary.yaml,
    # and a fact file may not hold one.
    pool = [f for f in real.facts if f.kind not in ENTRY_KINDS]
    facts = []
    for i in range(size):
        facts.append(_variant(pool[i % len(pool)], i, rng, words, cumulative, names))
    order = {cid: n for n, cid in enumerate(real.chapters)}
    facts.sort(key=lambda f: order[f.chapter])
    return FactBase(
        facts=tuple(facts), sources=real.sources, chapters=real.chapters, gri=real.gri,
        glossary=real.glossary, synonyms=real.synonyms, root="",
    )  # fmt: skip


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))


def _variant(
    fact: Fact,
    i: int,
    rng: random.Random,
    words: tuple[str, ...],
    cumulative: tuple[int, ...],
    names: list[str],
) -> Fact:
    """A fact like ``fact``: new numbers, a fifth of its words swapped, one new name."""
    numbers: dict[str, str] = {}

    def number(match: re.Match[str]) -> str:
        old = match.group()
        if old not in numbers:
            digits = len(old.replace(",", "").split(".")[0])
            numbers[old] = (
                f"{rng.randint(1, 10**digits):,}" if digits > 3 else str(rng.randint(1, 999))
            )
        return numbers[old]

    def word(match: re.Match[str]) -> str:
        roll = rng.random()
        if roll < 0.2:
            return rng.choices(words, cum_weights=cumulative)[0]
        return rng.choice(names) if roll < 0.24 else match.group()

    claim = _WORD.sub(word, _NUMBER.sub(number, fact.claim))
    quote = _WORD.sub(word, _NUMBER.sub(number, fact.quote))
    printed = _NUMBER.sub(number, fact.as_printed) if fact.as_printed else None
    found = parse_number(printed) if printed else None
    value = found if found is not None and fact.value is not None else fact.value
    return replace(
        fact, id=f"{fact.id}-s{i}", claim=claim, quote=quote, as_printed=printed, value=value,
        related=(), file="", line=0, spans=(),
    )  # fmt: skip


def write_base(base: FactBase, folder: Path) -> Path:
    """Write ``base`` as a fact base folder the loader reads (strict YAML, text quoted)."""
    real = bundled_facts_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("sources.yaml", "chapters.yaml", "gri.yaml", "glossary.yaml", "synonyms.yaml"):
        if (real / name).exists():
            shutil.copy(real / name, folder / name)
    by_file: dict[str, list[Fact]] = {}
    for n, fact in enumerate(base.facts):
        by_file.setdefault(f"{fact.source}/{fact.chapter}-{n // CHUNK:03d}.yaml", []).append(fact)
    for name, facts in by_file.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as out:
            out.write(f"source: {json.dumps(facts[0].source)}\n")
            out.write(f"chapter: {json.dumps(facts[0].chapter)}\nfacts:\n")
            for fact in facts:
                out.write(_yaml(fact))
    return folder


def _yaml(fact: Fact) -> str:
    """One fact as a YAML list item: JSON scalars are valid double-quoted YAML."""
    data = fact.to_dict()
    for key in ("source", "chapter", "related"):
        data.pop(key, None)
    lines = []
    for key, value in data.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "  - " + "\n    ".join(lines) + "\n"


_PROBE = """
import resource, sys, time
start = time.perf_counter()
import explorer
base = explorer.open_factbase(sys.argv[1])
loaded = time.perf_counter() - start
base.search("renewable energy 2020")
rss = int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{loaded:.2f} {rss:.0f} {peak:.0f}")
"""


def probe(folder: Path, cache: str) -> tuple[float, float, float]:
    """Open a base in a fresh interpreter; return seconds, RSS after and peak RSS (MB)."""
    env = {"FACT_EXPLORER_CACHE": cache, "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(folder)], capture_output=True, text=True, env=env,
        check=True,
    )  # fmt: skip
    seconds, rss, peak = out.stdout.split()
    return float(seconds), float(rss), float(peak)


def main(sizes: tuple[int, ...] = SIZES) -> None:
    """Print the load table for each size."""
    print(f"{'facts':>8} {'run':<28} {'seconds':>8} {'RSS MB':>7} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            folder = write_base(synthetic_base(size), Path(tmp) / f"base-{size}")
            cache = str(Path(tmp) / f"cache-{size}")
            for label, where in (("cold (no cache)", "off"), ("cold, writing the cache", cache),
                                 ("warm (from the cache)", cache)):  # fmt: skip
                seconds, rss, peak = probe(folder, where)
                print(f"{size:>8} {label:<28} {seconds:>8.2f} {rss:>7.0f} {peak:>8.0f}")


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
