"""The hand-written fact file check against fastjsonschema's, per fact, in one process, paired.

Run by hand (not a test)::

    python -m benchmarks.factcheck FOLDER [--rounds N]

Each fact file under FOLDER (a base `benchmarks.load.write_base` wrote, say
100k facts) is read as a parse worker reads it (``read_yaml(text, name,
False)``). Round after round, every document is checked by fastjsonschema's
compiled ``fact_file`` (what `explorer.loader.schema_accepts` ran alone
before) and by `explorer.factcheck.fact_file`, then the other way round, so a
busy spell of this shared machine slows both alike; each row gives us/fact
as p50, p95 and min-max over the rounds, and the ratio of the medians. Both
must accept every file: the script stops if one does not.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.terms import summary
from explorer import factcheck
from explorer.loader import _fast
from explorer.walk import walk_base
from explorer.yamlread import read_yaml


def documents(folder: Path) -> list[Any]:
    """The data of each fact file under ``folder``."""
    out = []
    for file in walk_base(folder).files:
        doc, _problems = read_yaml(Path(file).read_text(encoding="utf-8"), str(file), False)
        out.append(doc.data)
    return out


def per_fact(check: Callable[[Any], object], docs: list[Any], facts: int) -> float:
    """Microseconds per fact of ``check`` over ``docs``."""
    start = time.perf_counter()
    for data in docs:
        check(data)
    return (time.perf_counter() - start) * 1e6 / max(1, facts)


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    docs = documents(args.folder)
    facts = sum(len(data["facts"]) for data in docs)
    fast = _fast("fact_file")
    for data in docs:
        fast(data)  # raises if fastjsonschema refuses it
        if not factcheck.fact_file(data):
            sys.exit("the hand check refuses a file fastjsonschema accepts")
    checks = (fast, factcheck.fact_file)
    times: tuple[list[float], list[float]] = ([], [])
    for round_ in range(args.rounds):
        for which in (0, 1) if round_ % 2 == 0 else (1, 0):
            times[which].append(per_fact(checks[which], docs, facts))
    print(f"{len(docs)} files, {facts} facts, {args.rounds} rounds; us/fact p50 p95 min-max")
    print(f"fastjsonschema  {summary(times[0])}")
    print(f"by hand         {summary(times[1])}")
    print(f"ratio of medians {statistics.median(times[0]) / statistics.median(times[1]):.1f}")


if __name__ == "__main__":
    main()
