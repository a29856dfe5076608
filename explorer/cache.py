"""A cache of the loaded and indexed fact base, for a fast start.

Parsing and validating YAML costs most of a start (about 0.7 ms a fact);
the cache holds the base and its search index as a pickle in the user's cache
folder (``$FACT_EXPLORER_CACHE``, else the platform's), never beside the fact
files. It is keyed by the contents of every fact file, the schema and the
code that builds it, so any change rebuilds it; it is written to a temporary
file and renamed into place, so a reader never sees half of one. A cache that
cannot be read or written is ignored: the base is then loaded from its files.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

from explorer.model import Fact, FactBase

ENV_CACHE = "FACT_EXPLORER_CACHE"
"""Environment variable naming the cache folder; ``off`` (or empty) disables the cache."""

FORMAT = b"fact-explorer-cache 1"
"""The first line's tag; a new layout changes it."""

KEEP = 8
"""Cache files kept (one per fact base folder); the least recently used go first."""

_SUFFIX = ".factbase"
_FIELDS = tuple(f.name for f in fields(Fact))
_SETTERS = tuple(getattr(Fact, name).__set__ for name in _FIELDS)  # the slots' descriptors
_CODE = Path(__file__).resolve().parent
_BUILDERS = ("cache.py", "loader.py", "model.py", "numbers.py", "yamlread.py")
"""The modules (with ``search/``) whose code shapes a cached base: a change rebuilds it."""


def cache_dir() -> Path | None:
    """Return the cache folder, or None when caching is off."""
    chosen = os.environ.get(ENV_CACHE)
    if chosen is not None:
        off = chosen.strip().lower() in ("", "0", "off", "no", "none")
        return None if off else Path(chosen).expanduser()
    from explorer.paths import user_dir

    return user_dir("cache")


def cached(root: Path, load: Callable[[Path], FactBase]) -> FactBase:
    """Return the base in ``root`` from the cache, or load, index and cache it.

    Args:
        root: The fact base folder.
        load: Loads the base from its files (raising on any problem).
    """
    folder = cache_dir()
    if folder is None or _inside(folder.resolve(), root.resolve()):
        return load(root)
    try:
        key = fingerprint(root)
    except OSError:
        return load(root)
    path = folder / (hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24] + _SUFFIX)
    base = read(path, key)
    if base is not None:
        return base
    base = load(root)
    from explorer.search import index_for

    index_for(base)
    write(path, key, base)
    return base


def fingerprint(root: Path) -> str:
    """Return a key of everything a cached base depends on: data, schema and code."""
    from explorer.loader import TOP_FILES, _fact_files
    from explorer.paths import schema_path

    digest = hashlib.sha256(FORMAT)
    files = [root / name for name in TOP_FILES if (root / name).is_file()]
    files += _fact_files(root) + [schema_path()]
    code = [_CODE / name for name in _BUILDERS] + sorted((_CODE / "search").glob("*.py"))
    for file in files + code:
        digest.update(str(file).encode() + b"\0")
        with open(file, "rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()


def read(path: Path, key: str) -> FactBase | None:
    """Return the base cached at ``path`` under ``key``, or None."""
    collector = gc.isenabled()
    gc.disable()  # loading makes millions of objects; collections meanwhile triple its cost
    try:
        with open(path, "rb") as handle:
            if handle.readline() != FORMAT + b" " + key.encode() + b"\n":
                return None
            base = _restore(pickle.load(handle))
        os.utime(path)  # recently used: kept longest
        return base
    # A damaged cache may fail in many ways; any of them means: load from the files.
    except Exception:
        return None
    finally:
        if collector:
            gc.enable()


def write(path: Path, key: str, base: FactBase) -> bool:
    """Write the base to ``path`` atomically; return False (and leave no file) on failure."""
    state = {
        "facts": [tuple(getattr(f, name) for name in _FIELDS) for f in base.facts],
        "sources": dict(base.sources), "chapters": dict(base.chapters),
        "gri": base.gri, "glossary": base.glossary, "synonyms": base.synonyms,
        "root": base.root, "index": base._search_index,
    }  # fmt: skip
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=_SUFFIX, dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(FORMAT + b" " + key.encode() + b"\n")
            pickle.dump(state, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError):
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        return False
    prune(path.parent)
    return True


def prune(folder: Path, keep: int = KEEP) -> None:
    """Delete all but the ``keep`` most recently used cache files in ``folder``."""
    try:
        files = sorted(folder.glob("*" + _SUFFIX), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[keep:]:
            if not old.name.startswith(".tmp-"):
                old.unlink(missing_ok=True)
    except OSError:
        pass


def _restore(state: dict[str, Any]) -> FactBase:
    index = state.pop("index")
    state["facts"] = _facts(state["facts"])
    base = FactBase(**state)
    object.__setattr__(base, "_search_index", index)
    return base


def _facts(rows: list[tuple[Any, ...]]) -> tuple[Fact, ...]:
    """Rebuild facts from their field values.

    A frozen dataclass unpickles through a Python ``__setstate__`` (about 8 us
    a fact); filling its slots directly takes a third of that, which is most
    of a warm start at 100k facts.
    """
    new = object.__new__
    facts = []
    for row in rows:
        fact = new(Fact)
        for put, value in zip(_SETTERS, row, strict=True):
            put(fact, value)
        facts.append(fact)
    return tuple(facts)


def _inside(folder: Path, root: Path) -> bool:
    """True when ``folder`` is ``root`` or below it (the cache never goes there)."""
    return folder == root or root in folder.parents
