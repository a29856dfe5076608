"""Prove every fact against its source text.

Where the source texts are at hand (matched by sha256, never by file name),
each quote must stand in its source with only runs of white space differing,
``as_printed`` must stand in the quote, ``value`` must be what ``as_printed``
says, and each value of a table's series must be printed near its quote.
"""

from __future__ import annotations

import hashlib
import re
import stat
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from explorer.loader import load_factbase
from explorer.model import ENTRY_KINDS, NUMERIC_KINDS, Fact, FactBase
from explorer.numbers import numbers_in, parse_number, parse_range, ranges_in, same_number
from explorer.yamlread import Problem, read_yaml

QUOTE_WORDS = (5, 60)
"""A quote is 5 to 60 words (FACTBASE.md)."""

ENTRY_QUOTE_WORDS = (2, 60)
"""An appendix entry's quote is its whole printed label: a disclosure's code and
title, an acronym and its expansion ("App Application" is two words)."""

SPAN_LINES = 40
"""How far apart (in lines) the spans of one quote may stand: one chart or table."""

NEAR_LINES = 80
"""A table's series values must be printed within this many lines of its quote."""


class SourceText:
    """A source's text with white space folded, mapped back to its lines."""

    def __init__(self, text: str) -> None:
        self.text = text
        words = list(re.finditer(r"\S+", text))
        self.folded = " ".join(m.group() for m in words)
        self.lines = text.split("\n")  # as lines are counted: a form feed is no line break
        # Start of each word in the folded text, and the line it stands on.
        self._starts: list[int] = []
        self._word_lines: list[int] = []
        position = 0
        line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        for match in words:
            self._starts.append(position)
            self._word_lines.append(bisect_right(line_starts, match.start()))
            position += len(match.group()) + 1

    def find(self, quote: str) -> int | None:
        """Return the 1-based line where ``quote`` starts, or None if absent."""
        at = self.folded.find(fold(quote))
        return None if at < 0 else self.line_at(at)

    def find_spans(self, spans: tuple[str, ...], within: int) -> int | str:
        """Find spans in order, each a whole run of words after the last.

        Returns:
            The line where the first starts, or what is wrong: a span not
            found after the one before it, or spans that stand more than
            ``within`` lines apart.
        """
        at, first = 0, 0
        for number, span in enumerate(spans, 1):
            folded = fold(span)
            found = self._whole(folded, at)
            if found < 0:
                where = "in source" if number == 1 else f"after span {number - 1}"
                return f"span {number} {_short(folded)!r} not found {where}"
            line = self.line_at(found)
            first = first or line
            if line - first > within:
                return f"span {number} stands {line - first} lines after span 1 (at most {within})"
            at = found + len(folded)
        return first

    def _whole(self, folded: str, start: int) -> int:
        """The first place from ``start`` where ``folded`` stands as whole words."""
        at = self.folded.find(folded, start)
        while at >= 0:
            before = self.folded[at - 1] if at else " "
            end = at + len(folded)
            after = self.folded[end] if end < len(self.folded) else " "
            if not (folded[0].isalnum() and before.isalnum()) and not (
                folded[-1].isalnum() and after.isalnum()
            ):
                return at
            at = self.folded.find(folded, at + 1)
        return -1

    def line_at(self, offset: int) -> int:
        """Return the 1-based line of a position in the folded text."""
        return self._word_lines[max(0, bisect_right(self._starts, offset) - 1)]

    def around(self, line: int, span: int) -> str:
        """Return the text from ``span`` lines before ``line`` to ``span`` after."""
        return "\n".join(self.lines[max(0, line - 1 - span) : line + span])

    def longest_prefix(self, quote: str) -> str:
        """Return the longest run of the quote's first words found in the source."""
        words = fold(quote).split(" ")
        low, high = 0, len(words)
        while low < high:
            mid = (low + high + 1) // 2
            if " ".join(words[:mid]) in self.folded:
                low = mid
            else:
                high = mid - 1
        return " ".join(words[:low])


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def fold(text: str) -> str:
    """Fold every run of white space to one space."""
    return " ".join(text.split())


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def find_sources(
    base: FactBase, folder: Path | None, problems: list[Problem] | None = None
) -> dict[str, SourceText]:
    """Return the text of each source found in ``folder``, matched by sha256.

    Args:
        base: The base whose sources to look for.
        folder: Where to look; None finds nothing.
        problems: Where to say which files of the folder could not be read
            (FIFOs, devices and other entries that are not regular files are
            never opened).
    """
    if folder is None or not folder.is_dir():
        return {}
    wanted = {source.sha256: source.id for source in base.sources.values()}
    found: dict[str, SourceText] = {}
    for path in sorted(folder.iterdir()):
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                continue
            source_id = wanted.get(sha256_of(path))
            if source_id and source_id not in found:
                found[source_id] = SourceText(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as err:
            why = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            if problems is not None:
                problems.append(Problem(str(path), 0, 0, f"cannot read source text: {why}"))
    return found


@dataclass
class CheckResult:
    """What `check` found."""

    facts: int = 0
    """How many facts were loaded."""
    sources: int = 0
    """How many sources the base names."""
    verified: list[str] = field(default_factory=list)
    """Ids of the sources whose text was found and every quote proven against."""
    proven: int = 0
    """How many facts had their quote looked for in their source's text."""
    pending: int = 0
    """How many facts are drafted candidates still awaiting review (``review: pending``)."""
    structure_only: bool = False
    """True when the user asked for the structure alone: no quote is proven."""
    skipped: list[Problem] = field(default_factory=list)
    """Entries under the base that are not fact files and were not loaded."""
    problems: list[Problem] = field(default_factory=list)
    """Every problem, loader's and proof's."""

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems

    def summary(self) -> str:
        """One line: facts, sources verified, problems."""
        if self.structure_only:
            proof = "structure only, no quote proven"
        else:
            proof = f"{len(self.verified)} of {self.sources} sources verified"
        count = len(self.skipped)
        skipped = f", {count} {'entry' if count == 1 else 'entries'} not loaded" if count else ""
        pending = f" ({self.pending} awaiting review)" if self.pending else ""
        return f"{self.facts} facts{pending}, {proof}{skipped}, {len(self.problems)} problems"

    def to_dict(self) -> dict[str, object]:
        """The result as JSON-ready data."""
        return {
            "ok": self.ok,
            "facts": self.facts,
            "sources": self.sources,
            "verified": self.verified,
            "proven": self.proven,
            "pending": self.pending,
            "structure_only": self.structure_only,
            "problems": [_problem_dict(p) for p in self.problems],
            "skipped": [_problem_dict(p) for p in self.skipped],
        }


def _problem_dict(p: Problem) -> dict[str, object]:
    return {"path": p.path, "line": p.line, "col": p.col, "message": p.message}


def check(
    facts_dir: Path, sources_dir: Path | None = None, *, structure_only: bool = False
) -> CheckResult:
    """Load the base in ``facts_dir`` and prove it against ``sources_dir``.

    A check proves every quote or fails: each source of the base whose text is
    not found in ``sources_dir`` is a problem (its facts' quotes would go
    unproven), unless ``structure_only`` asks for the files' structure alone.

    Args:
        facts_dir: The fact base folder.
        sources_dir: A folder holding the source texts, or None.
        structure_only: Check the files and their links only; prove no quote.

    Returns:
        Every problem found, with the counts for the summary line.
    """
    skipped: list[Problem] = []
    base, problems = load_factbase(facts_dir, skipped)
    result = CheckResult(problems=list(problems), structure_only=structure_only)
    if base is None:
        return result
    result.skipped = skipped
    result.facts = len(base.facts)
    result.pending = sum(1 for fact in base.facts if fact.review == "pending")
    result.sources = len(base.sources)
    texts = {} if structure_only else find_sources(base, sources_dir, result.problems)
    result.verified = [sid for sid in base.sources if sid in texts]
    root = Path(base.root)
    if not structure_only:
        result.problems.extend(_unfound_sources(base, texts, sources_dir))
    for fact in base.facts:
        where = (str(root / fact.file), fact.line)
        for message in prove_fact(fact, texts.get(fact.source)):
            result.problems.append(Problem(where[0], where[1], 1, f"{fact.id}: {message}"))
        if fact.source in texts:
            result.proven += 1
    return result


def _unfound_sources(
    base: FactBase, texts: dict[str, SourceText], folder: Path | None
) -> list[Problem]:
    """A problem at each source whose text was not found: its quotes went unproven."""
    file = Path(base.root) / "sources.yaml"
    lines = _source_lines(file)
    where = f"in {folder}" if folder is not None else "(no --sources DIR given)"
    out = []
    for sid, source in base.sources.items():
        if sid in texts:
            continue
        count = sum(1 for fact in base.facts if fact.source == sid)
        if not count:
            continue  # no quote of it to prove
        out.append(
            Problem(str(file), lines.get(sid, 0), 1 if sid in lines else 0,
                    f"source {sid!r}: no text with sha256 {source.sha256[:12]}... {where}, so "
                    f"its {count} facts' quotes are unproven; pass --sources DIR, or "
                    f"--structure-only to check the structure alone")
        )  # fmt: skip
    return out


def _source_lines(file: Path) -> dict[str, int]:
    """The line of each source's entry in sources.yaml."""
    try:
        doc, _problems = read_yaml(file.read_text(encoding="utf-8"), str(file))
    except (OSError, UnicodeDecodeError):
        return {}
    items = doc.data.get("sources") if isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        return {}
    return {
        item["id"]: doc.mark(("sources", i))[0]
        for i, item in enumerate(items)
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    }


def prove_fact(fact: Fact, source: SourceText | None) -> list[str]:
    """Return what is wrong with one fact (its source text may be absent)."""
    out: list[str] = []
    words = sum(len(fold(part).split(" ")) for part in fact.parts)
    low, high = ENTRY_QUOTE_WORDS if fact.kind in ENTRY_KINDS else QUOTE_WORDS
    if not low <= words <= high:
        out.append(f"quote has {words} words; a quote is {low} to {high}")
    if fact.as_printed is not None:
        if not any(fold(fact.as_printed) in fold(part) for part in fact.parts):
            out.append(f"as_printed {fact.as_printed!r} is not in the quote")
        out.extend(_value_problems(fact))
        out.extend(_half_range(fact))
    if fact.kind in NUMERIC_KINDS and fact.as_printed is None:
        out.append(f"a {fact.kind} fact needs as_printed, value and unit")
    if source is None:
        return out
    if fact.spans:
        found = source.find_spans(fact.spans, SPAN_LINES)
        if isinstance(found, str):
            out.append(f"quote {found} ({fact.source})")
            return out
        line: int | None = found
    else:
        line = source.find(fact.quote)
    if line is None:
        found = source.longest_prefix(fact.quote)
        hint = f"; the source has its first words up to {found[-40:]!r}" if found else ""
        out.append(f"quote not found in source {fact.source}{hint}")
        return out
    near = source.around(line, NEAR_LINES)
    if fact.series:
        printed = numbers_in(near)
        for period, value in fact.series.items():
            # A printed "-33.2%" reads as 33.2 here: a hyphen is as often a range.
            if not any(same_number(abs(value), p) for p in printed):
                out.append(f"series {period}: {value} is not printed near the quote (line {line})")
    if fact.actual is not None and fold(fact.actual) not in fold(near):
        out.append(f"actual {fact.actual!r} is not printed near the quote (line {line})")
    return out


def _value_problems(fact: Fact) -> list[str]:
    assert fact.as_printed is not None
    printed = parse_number(fact.as_printed)
    if fact.unit == "%" and not any(c.isdigit() for c in fact.as_printed):
        # "all" suppliers is 100%; "half" of the world is 50%.
        whole = fact.as_printed.strip().lower() in ("all", "every", "each")
        printed = 100.0 if whole else None if printed is None else printed * 100
    if printed is None:
        return [f"as_printed {fact.as_printed!r} holds no number"] if fact.value is not None else []
    if fact.value is None:
        return [f"as_printed {fact.as_printed!r} is a number but value is missing"]
    bounds = parse_range(fact.as_printed)
    if fact.upper is not None or bounds is not None:
        return _range_problems(fact, bounds)
    if not same_number(float(fact.value), printed):
        return [f"value {fact.value} does not match as_printed {fact.as_printed!r} ({printed:g})"]
    return []


def _half_range(fact: Fact) -> list[str]:
    """A figure stored as one bound of a range its quote prints ("26" of "26-50%")."""
    if fact.upper is not None or fact.value is None or fact.kind == "table":
        return []
    if parse_range(fact.as_printed or "") is not None:
        return []  # the range itself: _range_problems says what it lacks
    printed = fold(fact.as_printed or "")
    for part in fact.parts:
        text = fold(part)
        for start, end, (lo, hi) in ranges_in(text):
            at = text.find(printed, max(0, start - len(printed)))
            inside = 0 <= at and at < end and at + len(printed) > start
            if inside and any(same_number(float(fact.value), b) for b in (lo, hi)):
                shown = text[start:end].strip()
                return [
                    f"as_printed {fact.as_printed!r} is one bound of the range {shown!r} in "
                    f"the quote: store the range (as_printed {shown!r}, value {lo:g}, "
                    f"upper {hi:g})"
                ]
    return []


def _range_problems(fact: Fact, bounds: tuple[float, float] | None) -> list[str]:
    """A range keeps both printed bounds: value the lower, upper the higher."""
    if bounds is None:
        return [f"upper {fact.upper} is set but as_printed {fact.as_printed!r} is not a range"]
    lo, hi = bounds
    if fact.upper is None:
        return [f"as_printed {fact.as_printed!r} is a range: give value {lo:g} and upper {hi:g}"]
    out = []
    if fact.value is None or not same_number(float(fact.value), lo):
        out.append(f"value {fact.value} is not the range's lower bound {lo:g}")
    if not same_number(float(fact.upper), hi):
        out.append(f"upper {fact.upper} is not the range's upper bound {hi:g}")
    return out
