"""`term_set` and `term_texts` against an earlier version of themselves, in one process, paired.

Run by hand (not a test)::

    python -m benchmarks.terms [FOLDER] [--against REV] [--rounds N]

Each claim and quote of the base in FOLDER (the bundled base by default) is
one text, put in one of three classes: ASCII with a digit, ASCII without one,
and the rest. The reference is ``explorer/search/text.py`` as commit REV held
it (default: the last one before the ASCII paths), read with ``git show`` and
imported under another name. Round after round, each class is timed with the
reference, then with the current code, then the other way round, so a busy
spell of this shared machine slows both alike; each row gives us/text as
p50, p95 and min-max over the rounds, and the ratio of the medians. The two
must give the same terms for every text: the script stops if they do not.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from explorer import open_factbase
from explorer.search import text as current

REFERENCE = "9c6049a"
"""The commit whose `term_set` the ASCII paths replace."""


def reference(rev: str) -> ModuleType:
    """``explorer/search/text.py`` as commit ``rev`` held it, imported as its own module."""
    root = Path(__file__).resolve().parent.parent
    source = subprocess.run(["git", "-C", str(root), "show", f"{rev}:explorer/search/text.py"],
                            capture_output=True, text=True, check=True).stdout  # fmt: skip
    spec = importlib.util.spec_from_loader("reference_text", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    exec(compile(source, f"{rev}:text.py", "exec"), module.__dict__)  # our own file, from git
    return module


def classes(folder: str | None) -> dict[str, list[str]]:
    """The base's claims and quotes (each once), by class."""
    base = open_factbase(folder) if folder else open_factbase()
    texts = dict.fromkeys(t for fact in base.facts for t in (fact.claim, fact.quote) if t)
    out: dict[str, list[str]] = {"ascii, digit": [], "ascii, no digit": [], "non-ascii": []}
    for text in texts:
        if not text.isascii():
            out["non-ascii"].append(text)
        elif any(c.isdigit() for c in text):
            out["ascii, digit"].append(text)
        else:
            out["ascii, no digit"].append(text)
    return out


def per_text(function: Callable[[str], object], texts: list[str]) -> float:
    """Microseconds per text of ``function`` over ``texts``."""
    start = time.perf_counter()
    for text in texts:
        function(text)
    return (time.perf_counter() - start) * 1e6 / max(1, len(texts))


def summary(values: list[float]) -> str:
    """p50, p95 and the spread of ``values``."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):6.2f} {p95:6.2f} {ordered[0]:6.2f}-{ordered[-1]:<6.2f}"


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?")
    parser.add_argument("--against", default=REFERENCE)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    old = reference(args.against)
    by_class = classes(args.folder)
    for texts in by_class.values():
        for text in texts:
            if old.term_set(text) != current.term_set(text):
                sys.exit(f"term_set differs on {text!r}")
            if old.term_texts(text) != current.term_texts(text):
                sys.exit(f"term_texts differs on {text!r}")
    print(f"{'function':<10} {'class':<16} {'texts':>7}  {'reference p50 p95 min-max':<28}"
          f" {'current p50 p95 min-max':<28} ratio")  # fmt: skip
    for label in ("term_set", "term_texts"):
        for name, texts in by_class.items():
            if not texts:
                continue
            before: list[float] = []
            after: list[float] = []
            functions = (getattr(old, label), getattr(current, label))
            for round_ in range(args.rounds):
                pair = (0, 1) if round_ % 2 == 0 else (1, 0)
                for which in pair:
                    (before, after)[which].append(per_text(functions[which], texts))
            ratio = statistics.median(after) / statistics.median(before)
            print(f"{label:<10} {name:<16} {len(texts):>7}  {summary(before):<28}"
                  f" {summary(after):<28} {ratio:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
