"""Search latency at scale, against ``fzf --filter`` in the same run.

Run by hand (not a test)::

    python -m benchmarks.search                    # bundled, 10k, 100k, 1M
    python -m benchmarks.search 0 100000           # bundled (0) and 100k only

For each base: 1-3 word queries drawn from its own claims, with and without
one typo, each timed with the engine's memo of expansions cleared (a cold
query: no help from having typed the same word before), p50 and p95 per
class; "typing" times every keystroke of two-word queries as the app sends
them (memo kept). The same queries go through ``fzf --filter`` over the same
claim lines (process start included, as an app shelling out would pay it);
the ratio is fzf's p50 over the engine's. 1M-fact bases are built in memory
(their YAML would take too long to write and parse here; see benchmarks.load).
"""

from __future__ import annotations

import gc
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.load import synthetic_base
from explorer import open_factbase
from explorer.model import FactBase
from explorer.paths import bundled_facts_dir
from explorer.search import index_for, search
from explorer.search.text import STOPWORDS

SIZES = (0, 10_000, 100_000, 1_000_000)
"""Base sizes; 0 is the bundled base."""

TARGETS = {0: 2.0, 100_000: 16.0, 1_000_000: 100.0}
"""p95 targets in ms."""

PER_CLASS = {0: 40, 10_000: 30, 100_000: 30, 1_000_000: 20}
FZF_PER_CLASS = {0: 10, 10_000: 6, 100_000: 4, 1_000_000: 2}
_WORD = re.compile(r"[A-Za-z]{4,}")


def queries(base: FactBase, words: int, typo: bool, count: int, rng: random.Random) -> list[str]:
    """Draw ``count`` queries of ``words`` words from the base's claims."""
    out: list[str] = []
    while len(out) < count:
        fact = base.facts[rng.randrange(len(base.facts))]
        found = [w.lower() for w in _WORD.findall(fact.claim) if w.lower() not in STOPWORDS]
        if len(found) < words:
            continue
        start = rng.randrange(len(found) - words + 1)
        chosen = found[start : start + words]
        if typo:
            longest = max(range(words), key=lambda k: len(chosen[k]))
            chosen[longest] = _typo(chosen[longest], rng)
        out.append(" ".join(chosen))
    return out


def _typo(word: str, rng: random.Random) -> str:
    """One edit: a swap of neighbours, a dropped, doubled or wrong letter."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiourstln") + word[i + 1 :]


def time_engine(base: FactBase, batch: list[str]) -> list[float]:
    """Milliseconds per query, each with a cold memo."""
    index = index_for(base)
    out = []
    for query in batch:
        index.memo.clear()
        start = time.perf_counter()
        search(base, query, 20)
        out.append((time.perf_counter() - start) * 1000)
    return out


def time_typing(base: FactBase, batch: list[str]) -> list[float]:
    """Milliseconds per keystroke, typing each query as the app would send it."""
    index_for(base).memo.clear()
    out = []
    for query in batch:
        for end in range(1, len(query) + 1):
            start = time.perf_counter()
            search(base, query[:end], 20)
            out.append((time.perf_counter() - start) * 1000)
    return out


def time_fzf(claims: Path, batch: list[str]) -> list[float]:
    """Milliseconds per ``fzf --filter`` run over the claim lines."""
    out = []
    for query in batch:
        with open(claims, "rb") as lines:
            start = time.perf_counter()
            subprocess.run(["fzf", "--filter", query], stdin=lines, capture_output=True)
            out.append((time.perf_counter() - start) * 1000)
    return out


def p(values: list[float], q: float) -> float:
    """The ``q`` quantile (0-1) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench(size: int, fzf: bool) -> None:
    """Print one base's rows."""
    start = time.perf_counter()
    base = open_factbase(bundled_facts_dir()) if size == 0 else synthetic_base(size)
    made = time.perf_counter() - start
    start = time.perf_counter()
    index = index_for(base)
    built = time.perf_counter() - start
    gc.collect()
    gc.freeze()  # as the app does after loading: no full collections of the base while typing
    label = f"bundled ({len(base.facts)})" if size == 0 else f"{size:,}"
    rss = int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20
    print(f"\n{label}: base made in {made:.1f} s, index built in {built:.1f} s, "
          f"{len(index.vocab):,} terms, RSS {rss:,.0f} MB")  # fmt: skip
    rng = random.Random(size)
    claims = Path(tempfile.mkstemp(suffix=".txt")[1])
    claims.write_text("".join(" ".join(f.claim.split()) + "\n" for f in base.facts))
    worst = 0.0
    for words in (1, 2, 3):
        for typo in (False, True):
            batch = queries(base, words, typo, PER_CLASS[size], rng)
            engine = time_engine(base, batch)
            worst = max(worst, p(engine, 0.95))
            row = f"  {words} word{'s' if words > 1 else ' '}{' + typo' if typo else '       '}"
            row += f" {p(engine, 0.5):>9.2f} {p(engine, 0.95):>9.2f}"
            if fzf:
                slow = time_fzf(claims, batch[: FZF_PER_CLASS[size]])
                ratio = p(slow, 0.5) / p(engine, 0.5)
                row += f" {p(slow, 0.5):>9.1f} {p(slow, 0.95):>9.1f} {ratio:>8.0f}x"
            print(row)
    typing = time_typing(base, queries(base, 2, False, 10, rng))
    worst = max(worst, p(typing, 0.95))
    print(f"  typing (per key)  {p(typing, 0.5):>9.2f} {p(typing, 0.95):>9.2f}")
    claims.unlink()
    target = TARGETS.get(size)
    if target is not None:
        verdict = "met" if worst <= target else "MISSED"
        print(f"  target p95 <= {target:g} ms: {verdict} (worst class p95 {worst:.2f} ms)")
    gc.unfreeze()


def main(sizes: tuple[int, ...] = SIZES) -> None:
    """Print the search table for each base size."""
    fzf = shutil.which("fzf") is not None
    header = f"  {'query class':<17} {'p50 ms':>9} {'p95 ms':>9}"
    if fzf:
        header += f" {'fzf p50':>9} {'fzf p95':>9} {'fzf/eng':>9}"
    print(header + ("" if fzf else "   (fzf not installed: no comparison)"))
    for size in sizes:
        bench(size, fzf)


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
