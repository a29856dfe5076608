"""Writing a drafted base: the kept text, sources.yaml, chapters.yaml and one file per chapter.

Every file is written whole to a temporary name and moved into place; an
existing base gains only appended entries, never a rewritten line, and the
whole change is undone when the result does not check.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from explorer.model import FACT_FIELDS


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return (
        json.dumps(text, ensure_ascii=False)
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def scalar(value: Any) -> str:
    """A value as YAML: text quoted, numbers plain."""
    if isinstance(value, bool):
        raise TypeError("no booleans in a fact base")
    if isinstance(value, (int, float)):
        return repr(value)
    return q(str(value))


def mapping_item(data: dict[str, Any], order: tuple[str, ...], indent: str = "  ") -> str:
    """One list item of mappings, keys in ``order`` then any others, as YAML lines."""
    keys = [k for k in order if k in data] + [k for k in data if k not in order]
    lines = []
    for n, key in enumerate(keys):
        lead = f"{indent}- " if n == 0 else f"{indent}  "
        value = data[key]
        if isinstance(value, list):
            lines.append(f"{lead}{key}:")
            lines += [f"{indent}    - {scalar(v)}" for v in value]
        else:
            lines.append(f"{lead}{key}: {scalar(value)}")
    return "\n".join(lines) + "\n"


def fact_item(data: dict[str, Any]) -> str:
    """A fact as a list item, its fields in schema order."""
    return mapping_item(data, FACT_FIELDS)


SOURCE_ORDER = ("id", "title", "kind", "author", "publisher", "published", "period", "url",
                "language", "file", "sha256", "pdf_sha256", "notes")  # fmt: skip
CHAPTER_ORDER = ("id", "source", "number", "title", "summary", "sections")


class Transaction:
    """Files written atomically, with what they held before, to undo all at once."""

    def __init__(self) -> None:
        self._before: dict[Path, bytes | None] = {}
        self._folders: list[Path] = []

    def folder(self, path: Path) -> None:
        """Make a folder (and its parents), remembering the ones made, to remove on undo."""
        made = []
        at = path
        while not at.exists():
            made.append(at)
            at = at.parent
        path.mkdir(parents=True, exist_ok=True)
        self._folders += reversed(made)

    def write(self, path: Path, text: str) -> None:
        """Write ``text`` to ``path`` atomically (a temporary file moved over it)."""
        if path not in self._before:
            self._before[path] = path.read_bytes() if path.exists() else None
        self.folder(path.parent)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def append(self, path: Path, head: str, items: str) -> None:
        """Add ``items`` at the end of ``path``, or write ``head`` + ``items`` when it is new."""
        if path.exists():
            old = path.read_text(encoding="utf-8")
            self.write(path, old + ("" if old.endswith("\n") else "\n") + items)
        else:
            self.write(path, head + items)

    def undo(self) -> None:
        """Put back every file as it was, and remove the folders made."""
        for path, before in self._before.items():
            if before is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(before)
        for folder in reversed(self._folders):
            try:
                folder.rmdir()
            except OSError:
                pass
