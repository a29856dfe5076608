"""Whole processes: `fact-explorer search` against `fzf --filter`, each a new process, paired.

Run by hand (not a test)::

    python -m benchmarks.process              # the bundled base
    python -m benchmarks.process 0 100000     # and a synthetic 100k-fact base (written as YAML)

A user meets the whole process, not the engine: each query runs as a fresh
``fact-explorer search`` (Python's start, the imports, the cache key, the
cache read, the search, the printing) and as a fresh ``fzf --filter`` over the
same claims, one after the other, round after round, so a busy spell slows
both alike; ``python -c pass`` runs beside them as the floor of any Python
program. The in-process rows time the same queries inside one process with the
index warm. Queries are what a user types (`QUERIES`: 1-4 words, a third with
a typo), never cut from the base's own claims.

The explorer is compiled to bytecode first, as an install does (with
PYTHONDONTWRITEBYTECODE set, every launch would compile it again, ~40 ms).
Verdicts are on medians; p95 and the spread (min-max) stand beside them.
"""

from __future__ import annotations

import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERIES = (
    "renewable energy", "greenhouse gas emissions", "female employees", "carbon neutral",
    "supplier audits", "solar power", "water consumption", "training hours", "recycling",
    "base station energy saving", "data center", "charity", "safety incidents",
    "renewble electricty", "emisions scope 2", "womn in management", "suplier sustainabilty",
    "packging", "enrgy saving 2020", "employe training",
)  # fmt: skip
"""1-4 words as a user types them; the last seven with a typo."""

TARGETS = {0: 4.0, 100_000: 1.0}
"""The most `fact-explorer search` may take, as a multiple of fzf's median (issue #16)."""

ROUNDS = {0: 3, 100_000: 1}


def timed(command: list[str], env: dict[str, str], stdin: Path | None = None) -> float:
    """Milliseconds from spawning ``command`` to its exit."""
    with open(stdin or os.devnull, "rb") as feed:
        start = time.perf_counter()
        subprocess.run(command, stdin=feed, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=env, check=False)  # fmt: skip
        return (time.perf_counter() - start) * 1000


def summary(values: list[float]) -> str:
    """p50, p95 and the spread of ``values``, in ms."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"{statistics.median(ordered):8.1f} {p95:8.1f} "
            f"{ordered[0]:7.1f}-{ordered[-1]:<7.1f}")  # fmt: skip


def in_process(folder: Path, env: dict[str, str]) -> list[float]:
    """Milliseconds per query inside one process, the base open and its index warm."""
    probe = (
        "import sys, time, explorer\n"
        "from explorer.search import search\n"
        "base = explorer.open_factbase(sys.argv[1])\n"
        "search(base, 'warm up')\n"
        "for q in sys.argv[2:]:\n"
        "    t = time.perf_counter(); search(base, q); print((time.perf_counter() - t) * 1000)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(folder), *QUERIES], env=env,
                         capture_output=True, text=True, check=True)  # fmt: skip
    return [float(line) for line in out.stdout.split()]


def bench(size: int, work: Path) -> None:
    """Print one base's rows."""
    from benchmarks.load import synthetic_base, write_base
    from explorer.paths import bundled_facts_dir

    if size:
        folder = write_base(synthetic_base(size), work / f"base-{size}")
    else:
        folder = Path(bundled_facts_dir())
    env = {**os.environ, "FACT_EXPLORER_CACHE": str(work / "cache"), "NO_COLOR": "1",
           "XDG_DATA_HOME": str(work / "data")}  # fmt: skip
    explorer = [str(Path(sys.executable).with_name("fact-explorer")), "search"]
    subprocess.run([*explorer, "--facts", str(folder), "warm"], env=env, capture_output=True)
    claims = work / f"claims-{size}.txt"
    dump = "import sys, explorer\nfor f in explorer.open_factbase(sys.argv[1]).facts: " \
           "print(' '.join(f.claim.split()))"  # fmt: skip
    with open(claims, "w", encoding="utf-8") as out:
        subprocess.run([sys.executable, "-c", dump, str(folder)], env=env, stdout=out, check=True)
    ours: list[float] = []
    fzf: list[float] = []
    floor: list[float] = []
    ratios: list[float] = []
    for _ in range(ROUNDS.get(size, 1)):
        for query in QUERIES:
            theirs = timed(["fzf", "--filter", query], env, claims)
            mine = timed([*explorer, "--facts", str(folder), *query.split()], env)
            floor.append(timed([sys.executable, "-c", "pass"], env))
            fzf.append(theirs)
            ours.append(mine)
            ratios.append(mine / theirs)
    engine = in_process(folder, env)
    count = len(claims.read_text(encoding="utf-8").splitlines())
    label = f"{size:,}" if size else f"bundled ({count:,})"
    print(f"\n{label} facts, {len(ours)} paired runs ({len(QUERIES)} queries)")
    print(f"  {'row':<40} {'p50 ms':>8} {'p95 ms':>8} {'min-max ms':>15}")
    print(f"  {'fact-explorer search (process, warm)':<40} {summary(ours)}")
    print(f"  {'fzf --filter (process)':<40} {summary(fzf)}")
    print(f"  {'python -c pass (floor)':<40} {summary(floor)}")
    print(f"  {'in-process search (index warm)':<40} {summary(engine)}")
    ratio = statistics.median(ours) / statistics.median(fzf)
    paired = statistics.median(ratios)
    target = TARGETS.get(size)
    verdict = ""
    if target is not None:
        verdict = f"; target <= {target:g}x: {'met' if ratio <= target else 'MISSED'}"
    print(f"  fact-explorer / fzf: {ratio:.2f}x on medians, {paired:.2f}x median of pairs{verdict}")


def main(sizes: tuple[int, ...] = (0,)) -> None:
    """Print the process table for each base size (0: the bundled base)."""
    if shutil.which("fzf") is None:
        raise SystemExit("fzf is not installed: nothing to compare with")
    import explorer

    compileall.compile_dir(Path(explorer.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            bench(size, Path(tmp))


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or (0,))
