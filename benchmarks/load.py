"""Load at scale: synthetic bases shaped like the real one, cold and warm, with RSS.

Run by hand (not a test)::

    python -m benchmarks.load            # 10k and 100k facts
    python -m benchmarks.load 10000      # one size

Each size is written as YAML fact files (one folder per chapter, files of
5,000 facts), then opened in a fresh interpreter four times: cold (cache
off: libyaml parse, validation, index build), cold with the cache being
written, warm (from the cache), and again after one claim of one file was
edited (the incremental cache parses that file alone). Each open ends when the
base can be searched (its index built or loaded). The table gives wall time,
RSS once open and peak RSS, with the issue's targets; then the in-process
search times of the queries users type (`benchmarks.process.QUERIES`).
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
import time
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
    real = Path(bundled_facts_dir())
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
from explorer.search import index_for, search
base = explorer.open_factbase(sys.argv[1])
index_for(base)  # a cold open is not done until the base can be searched
loaded = time.perf_counter() - start
rss = int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
times = []
for query in sys.argv[2:]:
    index_for(base).memo.clear()  # each query cold: no help from the one before
    began = time.perf_counter()
    search(base, query)
    times.append((time.perf_counter() - began) * 1000)
print(f"{loaded:.2f} {rss:.0f} {peak:.0f}", *times)
"""

TARGETS = {
    100_000: {"cold (no cache)": 10.0, "re-open after editing one file": 2.0},
    1_000_000: {"warm (from the cache)": 2.0},
}
"""Seconds each open may take (issue #16)."""

RSS_TARGETS = {100_000: 300, 1_000_000: 1024}
"""MB the process may hold once the base is open (issue #16)."""

SEARCH_P95 = {1_000_000: 30.0}
"""In-process search p95 in ms on the queries users type, once open (issue #16)."""


def probe(folder: Path, cache: str, queries: tuple[str, ...] = ()) -> tuple[float, ...]:
    """Open a base in a fresh interpreter; return seconds, RSS after and peak RSS (MB),
    then the milliseconds of each query searched once it is open."""
    env = {"FACT_EXPLORER_CACHE": cache, "PATH": "/usr/bin:/bin", "XDG_DATA_HOME": cache + ".d"}
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(folder), *queries], capture_output=True, text=True,
        env=env, check=True,
    )  # fmt: skip
    return tuple(float(v) for v in out.stdout.split())


def edit_one_file(folder: Path) -> Path:
    """Change one claim in one fact file, as a curator's edit does; return the file."""
    file = sorted(folder.glob("*/*.yaml"))[0]
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace('claim: "', 'claim: "Edited: ', 1), encoding="utf-8")
    return file


def main(sizes: tuple[int, ...] = SIZES) -> None:
    """Print the load table for each size."""
    from benchmarks.process import QUERIES

    print(f"{'facts':>9} {'run':<32} {'seconds':>8} {'RSS MB':>7} {'peak MB':>8}  target")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            folder = Path(tmp) / f"base-{size}"
            started = time.perf_counter()
            write_base(synthetic_base(size), folder)
            print(f"{size:>9} {'(YAML written)':<32} {time.perf_counter() - started:>8.2f}")
            cache = str(Path(tmp) / f"cache-{size}")
            runs = (
                ("cold (no cache)", "off"),
                ("cold, writing the cache", cache),
                ("warm (from the cache)", cache),
                ("re-open after editing one file", cache),
            )
            searched: tuple[float, ...] = ()
            for label, where in runs:
                if label.startswith("re-open"):
                    edit_one_file(folder)
                seconds, rss, peak, *times = probe(folder, where, QUERIES)
                goal = TARGETS.get(size, {}).get(label)
                verdict = f"<= {goal:g} s: {'met' if seconds <= goal else 'MISSED'}" if goal else ""
                if label.startswith("warm"):
                    searched = tuple(times)
                    most = RSS_TARGETS.get(size)
                    if most:
                        verdict += f"{'; ' if verdict else ''}RSS <= {most} MB: "
                        verdict += "met" if rss <= most else "MISSED"
                print(f"{size:>9} {label:<32} {seconds:>8.2f} {rss:>7.0f} {peak:>8.0f}  {verdict}")
            ordered = sorted(searched)
            p50 = ordered[len(ordered) // 2]
            p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
            goal = SEARCH_P95.get(size)
            verdict = f"  p95 <= {goal:g} ms: {'met' if p95 <= goal else 'MISSED'}" if goal else ""
            print(f"{size:>9} {'search, in-process (ms)':<32} p50 {p50:.1f}, p95 {p95:.1f}, "
                  f"max {ordered[-1]:.1f} over {len(ordered)} queries{verdict}")  # fmt: skip


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
