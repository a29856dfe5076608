"""A review session over one base: the pending candidates, each change checked and undoable."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer.check import SourceText, check, find_sources
from explorer.draft.write import Transaction
from explorer.loader import load_factbase
from explorer.model import QUALIFIERS, Fact, FactBase
from explorer.review import edit

EDITABLE = ("claim", "as_printed", "value", "upper", "unit", "qualifier", "period", "metric",
            "scope", "section", "page", "notes", "kind", "assurance")  # fmt: skip
"""Fields a reviewer may set; the quote changes only by a split."""

_NUMBERS = ("value", "upper")


class ReviewError(Exception):
    """A change that was refused or undone; the message says why."""


@dataclass(frozen=True)
class Change:
    """One write: the file and what it held before, to undo it."""

    path: Path
    before: bytes
    what: str
    """What was done, for the screen ("accepted env-1")."""


class ReviewSession:
    """The pending candidates of the base in ``root``, and the changes made to them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.undo_stack: list[Change] = []
        self.base: FactBase = self._load()
        self.texts: dict[str, SourceText] = find_sources(self.base, root / "sources")

    def _load(self) -> FactBase:
        base, problems = load_factbase(self.root)
        if base is None or problems:
            first = "; ".join(str(p) for p in problems[:3])
            raise ReviewError(f"the base in {self.root} has {len(problems)} problems: {first}")
        return base

    @property
    def pending(self) -> list[Fact]:
        """The candidates still awaiting review, in base order."""
        return [f for f in self.base.facts if f.review == "pending"]

    def context(self, fact: Fact, lines: int = 3) -> tuple[int, str]:
        """The line of the kept text where the quote stands, and the lines around it."""
        source = self.texts.get(fact.source)
        if source is None:
            return 0, ""
        line = source.find(fact.parts[0]) or 0
        return line, source.around(line, lines) if line else ""

    def metrics(self) -> list[str]:
        """The metric ids already used in the base, to suggest."""
        return sorted({f.metric for f in self.base.facts if f.metric})

    # ------------------------------------------------------------------ changes

    def accept(self, fact_id: str) -> Change:
        """Mark a candidate reviewed: its ``review: "pending"`` line goes."""
        fact = self._fact(fact_id)
        return self._write(fact, edit.remove_field(self._text(fact), fact.line, "review"),
                           f"accepted {fact_id}")  # fmt: skip

    def reject(self, fact_id: str) -> Change:
        """Remove a candidate from its file."""
        fact = self._fact(fact_id)
        return self._write(fact, edit.remove_item(self._text(fact), fact.line),
                           f"rejected {fact_id}")  # fmt: skip

    def set(self, fact_id: str, key: str, raw: str) -> Change:
        """Set one field from what the reviewer typed; empty removes an optional field.

        Raises:
            ReviewError: A field that cannot be set, a value of the wrong kind, or
                a change that breaks the check (then put back).
        """
        fact = self._fact(fact_id)
        if key not in EDITABLE:
            raise ReviewError(f"{key!r} cannot be set here; fields: {', '.join(EDITABLE)}")
        text = self._text(fact)
        raw = raw.strip()
        if not raw:
            if key in ("claim", "kind", "assurance"):
                raise ReviewError(f"{key} cannot be empty")
            return self._write(fact, edit.remove_field(text, fact.line, key), f"cleared {key}")
        value: Any = raw
        if key in _NUMBERS:
            try:
                number = float(raw.replace(",", ""))
            except ValueError:
                raise ReviewError(f"{key} is a number, not {raw!r}") from None
            value = int(number) if number.is_integer() and abs(number) < 1e15 else number
        if key == "qualifier" and raw not in QUALIFIERS:
            raise ReviewError(f"qualifier is one of: {', '.join(QUALIFIERS)}")
        return self._write(fact, edit.set_field(text, fact.line, key, value),
                           f"set {key} of {fact_id}")  # fmt: skip

    def split(self, fact_id: str, words: int) -> Change:
        """Cut a candidate's quote after ``words`` words into two candidates, both pending.

        The first keeps the id and the figure when it stays in its part; the
        second gets ``ID-b`` (``-c``, ...) and the first figure of its part.
        """
        from explorer.draft.candidates import figure_spans, read_figure

        fact = self._fact(fact_id)
        parts = fact.quote.split()
        if fact.spans or not 0 < words < len(parts):
            raise ReviewError(f"split after 1 to {len(parts) - 1} words of a one-span quote")
        first, second = " ".join(parts[:words]), " ".join(parts[words:])
        halves = []
        for half in (first, second):
            spans = figure_spans(half)
            figure = read_figure(half, *spans[0]) if spans else None
            if figure is None:
                raise ReviewError(f"{half[:40]!r}... holds no figure: split elsewhere")
            halves.append((half, figure))
        new_id = next(f"{fact_id}-{c}" for c in "bcdefghijk" if self.base.get(f"{fact_id}-{c}")
                      is None)  # fmt: skip
        text = self._text(fact)
        data = {"id": new_id, "kind": fact.kind, "claim": halves[1][0], "quote": halves[1][0]}
        data.update(self._figure_fields(halves[1][1], fact))
        text = edit.insert_after(text, fact.line, data)
        for key, value in [("quote", first), ("claim", first),
                           *self._figure_fields(halves[0][1], fact).items()]:  # fmt: skip
            text = edit.set_field(text, fact.line, key, value)
        if halves[0][1].upper is None:
            text = edit.remove_field(text, fact.line, "upper")
        return self._write(fact, text, f"split {fact_id} into {fact_id} and {new_id}")

    @staticmethod
    def _figure_fields(figure: Any, fact: Fact) -> dict[str, Any]:
        out: dict[str, Any] = {"section": fact.section} if fact.section else {}
        out.update({"as_printed": figure.as_printed, "value": figure.value})
        if figure.upper is not None:
            out["upper"] = figure.upper
        out.update({"unit": figure.unit, "qualifier": figure.qualifier})
        if figure.period:
            out["period"] = figure.period
        out["assurance"] = fact.assurance
        if fact.page:
            out["page"] = fact.page
        out["review"] = "pending"
        return {k: v for k, v in out.items() if k not in ("section",) or v}

    def undo(self) -> Change:
        """Put back the file as it was before the last change."""
        if not self.undo_stack:
            raise ReviewError("nothing to undo")
        change = self.undo_stack.pop()
        job = Transaction()
        job.write(change.path, change.before.decode("utf-8"))
        self.base = self._load()
        return change

    # ------------------------------------------------------------------ plumbing

    def _fact(self, fact_id: str) -> Fact:
        fact = self.base.get(fact_id)
        if fact is None or not fact.file:
            raise ReviewError(f"no fact {fact_id!r} in a fact file of this base")
        return fact

    def _text(self, fact: Fact) -> str:
        return (self.root / fact.file).read_text(encoding="utf-8")

    def _write(self, fact: Fact, text: str, what: str) -> Change:
        """Write one file atomically, then check the base; put it back if the check fails."""
        path = self.root / fact.file
        before = path.read_bytes()
        job = Transaction()
        job.write(path, text)
        result = check(self.root, self.root / "sources")
        if not result.ok:
            job.undo()
            mine = [p for p in result.problems if fact.id in p.message] or result.problems
            message = re.sub(r"^[^:]+: ", "", mine[0].message)
            raise ReviewError(f"not written: {message}")
        change = Change(path, before, what)
        self.undo_stack.append(change)
        self.base = self._load()
        return change
