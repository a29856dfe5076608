"""Claim coverage: the citable claims of a seeded sample of the report, each in a quote.

The figure coverage test counts numbers; this one counts what a fact-checker
quotes beyond them (commitments, programmes, policies, what a product does).
``data/claims.yaml`` lists every citable claim a careful reader found in a
seeded random sample of 25-line stretches of the report's body, each with a
verbatim key: the words a quote of that claim must hold. The list was made
from the source alone, without looking at the base. A claim is held when some
fact of the report quotes its key (white space aside).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from explorer import FactBase, open_factbase
from explorer.check import fold
from tests.conftest import FACTS, SOURCES

CLAIMS = Path(__file__).parent / "data" / "claims.yaml"
REPORT = SOURCES / "huawei-2020-sustainability-report.txt"
BODY_END = 6719
"""The front matter to the end of Appendix I (FACTBASE.md)."""

TARGET = 0.97


@cache
def sample() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(CLAIMS.read_text(encoding="utf-8"))
    return data


def seeded_stretches(seed: str, block: int, count: int) -> list[tuple[int, int]]:
    """The ``count`` blocks whose sha256 of ``seed:k`` sorts lowest, in order."""
    blocks = range((BODY_END + block - 1) // block)
    order = sorted(blocks, key=lambda k: hashlib.sha256(f"{seed}:{k}".encode()).hexdigest())
    return [(k * block + 1, min(BODY_END, (k + 1) * block)) for k in sorted(order[:count])]


@pytest.fixture(scope="module")
def report() -> str:
    if not REPORT.is_file():
        pytest.skip(f"source text not found at {REPORT}")
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def base() -> FactBase:
    return open_factbase(FACTS)


def claims() -> list[dict[str, Any]]:
    return [claim for stretch in sample()["stretches"] for claim in stretch["claims"]]


def test_the_sample_is_the_seeded_one_and_a_tenth_of_the_body() -> None:
    data = sample()
    drawn = seeded_stretches(data["seed"], data["block"], data["count"])
    assert [tuple(s["lines"]) for s in data["stretches"]] == drawn
    assert sum(b - a + 1 for a, b in drawn) >= BODY_END / 10
    assert len(claims()) >= 150


def test_every_key_is_verbatim_and_starts_in_its_stretch(report: str) -> None:
    lines = report.splitlines()
    folded, starts = "", []  # the folded text, and the offset where each line starts in it
    for line in lines:
        starts.append(len(folded))
        words = line.split()
        if words:
            folded += " ".join(words) + " "
    wrong = []
    for stretch in sample()["stretches"]:
        first, last = stretch["lines"]
        for claim in stretch["claims"]:
            key = fold(claim["key"])
            at = folded.find(key, starts[first - 1])
            if at < 0 or at >= (starts[last] if last < len(starts) else len(folded)):
                wrong.append(f"{claim['line']}: {key!r}")
            elif not 4 <= len(key.split()) <= 14:
                wrong.append(f"{claim['line']}: {key!r} has {len(key.split())} words")
    assert not wrong, "keys not found in their stretch:\n" + "\n".join(wrong)


def test_the_base_holds_the_claims_of_the_sample(
    base: FactBase, capsys: pytest.CaptureFixture[str]
) -> None:
    quotes = [fold(part) for f in base.facts if f.source == "report" for part in f.parts]
    missing = [
        f"  line {c['line']}: {c['what']} ({c['key']!r})"
        for c in claims()
        if not any(fold(c["key"]) in quote for quote in quotes)
    ]
    total = len(claims())
    share = 1 - len(missing) / total
    with capsys.disabled():
        print(f"\nclaim coverage: {total - len(missing)} of {total} ({share:.1%})")
        if missing:
            print("missing:\n" + "\n".join(missing))
    assert share >= TARGET, f"{share:.1%} of the sample's claims are held"
