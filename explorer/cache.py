"""A cache of the loaded and indexed fact base, for a fast start, that cannot run code or lie.

Parsing and validating YAML costs most of a start (about 0.7 ms a fact);
the cache holds the base and its search index as a pickle in the user's cache
folder (``$FACT_EXPLORER_CACHE``, else the platform's), never beside the fact
files. It is keyed by the contents of every fact file, the schema and the
code that builds it, so any change rebuilds it; a file's status (size, times,
inode) stands for its contents until it changes, so a warm start makes stat
calls and reads no file but the cache (`explorer.cachekey`). It is written to a temporary
file and renamed into place, so a reader never sees half of one. A cache that
cannot be read or written is ignored: the base is then loaded from its files.

Trust. A pickle can run code and the key above is public, so a cache file is
believed only when all of these hold, checked in this order:

- the cache folder and the file are the user's own and no one else can write
  them (as ssh asks of its key files); a symbolic link is never a cache file.
  The folder is made ``0700``, the file ``0600``;
- a MAC over the whole file (BLAKE2b keyed with a per-user secret of 32
  random bytes, `explorer.digests.mac`) matches. The secret is made on first
  use in the user's data folder (`secret_path`), mode ``0600``, and is
  refused (caching off) when it is a link, has another name, or is another
  user's or readable by others. The MAC is checked on the bytes read, before
  any of them is unpickled;
- and the pickle names no class but the few a base is made of (`ALLOWED`), so
  even a leaked secret cannot make the cache run code.

Anything refused is said once per process in one line, kept for the command
line to print once the terminal is its own again (`take_warnings`; the app
loads its base in a thread while it draws), and the base is then loaded from
its files.
"""

from __future__ import annotations

import gc
import io
import os
import stat
import time
from _pickle import Unpickler, UnpicklingError  # pickle's own; pickle.py costs a search ~0.8 ms
from _thread import allocate_lock  # what threading.Lock is, without importing threading
from array import array
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import accumulate, repeat
from operator import call, itemgetter
from sys import intern

from explorer.cachekey import Inputs, inputs, key_of
from explorer.digests import MAC_SIZE, compare_digest, json_value, mac, sha256
from explorer.model import Fact, FactBase, Link
from explorer.paths import Name, expand, join, normal, parent
from explorer.records import field_names, overload

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from explorer.doccache import Store

ENV_CACHE = "FACT_EXPLORER_CACHE"
"""Environment variable naming the cache folder; ``off`` (or empty) disables the cache."""

FORMAT = b"fact-explorer-cache 6"
"""The first line's tag; a new layout changes it. The line goes on with the key and the
files' statuses (`explorer.cachekey`); the MAC follows that line, then the pickle."""

KEEP = 8
"""Cache files kept (one per fact base folder); the least recently used go first."""

SECRET_NAME = "cache.key"
"""The file of the secret that signs this user's cache files, in the user's data folder."""

ALLOWED = {
    "array": ("array", "_array_reconstructor"),
    "explorer.model": ("Chapter", "GriDisclosure", "Section", "Source", "Term"),
    "explorer.search.fields": ("Tables",),
    "explorer.search.index": ("SearchIndex",),
    "explorer.search.thesaurus": ("Thesaurus",),
}
"""Every class a cached base may name, by module: a new type in the base or its index goes here."""

_SUFFIX = ".factbase"
_MAC_SIZE = MAC_SIZE
_HEADER_MOST = 64 << 20
_PIECE = 1 << 20
"""Bytes a cache file is written by at a time. On the 2-core Linux 6.18 VMs we measure
on, one write of 77 MB took 0.5-1 s, and writes of 1 MB (or 256 KB) 0.05 s; writes of
8 MB were as slow as one."""
_SECRET_SIZE = 32
_POSIX = os.name == "posix"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_FIELDS = field_names(Fact)
_SETTERS = tuple(getattr(Fact, name).__set__ for name in _FIELDS)  # the slots' descriptors
_GETTERS = tuple(getattr(Fact, name).__get__ for name in _FIELDS)

_said: set[str] = set()
_unread: list[str] = []


def take_warnings() -> list[str]:
    """Return the warnings about refused caches not yet taken, and forget them.

    Each is one line naming the path and the reason, without a prefix, and is
    given once per process: the command line prints them on standard error.
    """
    taken = _unread[:]
    del _unread[: len(taken)]
    return taken


def cache_dir() -> str | None:
    """Return the cache folder, or None when caching is off."""
    chosen = os.environ.get(ENV_CACHE)
    if chosen is not None:
        if chosen.strip().lower() in ("", "0", "off", "no", "none"):
            return None
        folder = expand(chosen)
        if chosen.startswith("~") and folder == normal(chosen):
            # ``~someone`` who is not a user here: a folder named so in the current one
            # is not what was meant, and is not made
            _warn(f"caching off: ${ENV_CACHE} {chosen}: no such user's home folder")
            return None
        return folder
    from explorer.paths import user_dir

    return user_dir("cache")


def secret_path() -> str:
    """Return the file of the secret that signs this user's cache files."""
    from explorer.paths import user_dir

    return join(user_dir("data"), SECRET_NAME)


def cached(root: Name, load: Callable[[str], FactBase], *, on_demand: bool = False) -> FactBase:
    """Return the base in ``root`` from the cache, or load, index and cache it.

    Args:
        root: The fact base folder (`load` is given it as `explorer.paths.normal` spells it).
        load: Loads the base from its files (raising on any problem).
        on_demand: From the cache, make each fact when it is first asked for
            (a search shows a few of them: at 100k facts, making them all costs
            more than the search); see `FactsOnDemand`.
    """
    root = normal(root)
    folder = cache_dir()
    real = os.path.realpath(root)
    if folder is None or _inside(os.path.realpath(folder), real):
        return load(root)
    try:
        files = inputs(root)
    except OSError:
        return load(root)
    secret = user_secret() if _trusted_folder(folder) else None
    if secret is None:
        return load(root)
    path = join(folder, sha256(os.fsencode(real)).hexdigest()[:24] + _SUFFIX)
    data = _cache_bytes(path)
    header = None if data is None else _verified(data, secret, path)
    try:
        now = key_of(files, FORMAT, Inputs.known(header[2]) if header else {}, root)
    except OSError:
        return load(root)
    if data is not None and header is not None and header[1] == now.key:
        base = _unpickled(data, header[0], path, on_demand=on_demand)
        if base is not None:
            if now.to_json() != header[2]:  # touched, not changed: keep the new statuses
                _write_bytes(path, _header(now), data[header[0] :], secret)
            return base
    from explorer import doccache

    store = doccache.Store(doccache.folder_of(path), secret, now.tools)
    if data is not None and header is not None:
        held, data = [data], None  # `_reopened` lets the old file's bytes go once read
        patched = _reopened(root, path, held, header, now, store)
        if patched is not None:
            return patched
        held.clear()
    base = _load_kept(root, load, store)
    _index_and_write(path, now, base, secret)
    return base


def _index_and_write(path: str, now: Inputs, base: FactBase, secret: bytes) -> None:
    """Index a base just loaded and cache it, with every posting kept for a re-open."""
    from explorer import doccache
    from explorer.search.index import build_index_kept

    collector = gc.isenabled()
    gc.disable()  # millions of postings, all kept: a collection meanwhile is waste
    try:
        index, postings = build_index_kept(base)
    finally:
        if collector:
            gc.enable()
    object.__setattr__(base, "_search_index", index)
    if write(path, now, base, secret):
        doccache.put_postings(path, now.key, postings, secret)


def _reopened(
    root: str,
    path: str,
    held: list[bytes],
    header: tuple[int, str, object],
    now: Inputs,
    store: Store,
) -> FactBase | None:
    """The cached base patched where fact files were edited since (`explorer.reopen`), or None.

    Only when the same files are there, and every one that changed is a fact
    file: the old base's unchanged facts and its index are reused, the index
    patched (`explorer.search.patch`), and the result cached as a load would.
    Both bases' facts are made on demand (`FactsOnDemand`), as a warm open's
    are: the kept ones are read and copied by column, never made.
    ``held`` holds the old cache file's bytes, its only reference: once read,
    they are let go (90 MB at 100k facts).
    """
    recorded = header[2]
    if not isinstance(recorded, dict) or recorded.keys() != now.files.keys():
        return None
    was = {name: entry[1] if isinstance(entry, list) and len(entry) == 2 else None
           for name, entry in recorded.items()}  # fmt: skip
    changed = {name for name, (_info, sha) in now.files.items() if was[name] != sha}
    if not changed or any(not name.endswith(".yaml") for name in changed):
        return None  # a top file, the schema or the code: the reopen cannot vouch for those
    from explorer import doccache

    postings = doccache.get_postings(path, header[1], store.secret)
    if postings is None:
        return None
    loaded = _unpickled_columns(held.pop(), header[0], path, on_demand=True)  # freed after
    if loaded is None:
        return None
    old, columns = loaded
    if old._search_index is None:
        return None
    from pathlib import Path

    from explorer.reopen import reopen
    from explorer.search.index import build_index_kept
    from explorer.search.patch import patch_index

    collector = gc.isenabled()
    gc.disable()
    try:
        try:
            got = reopen(Path(root), old, changed, store)
            if got is None:
                return None
            columns = _spliced(columns, len(old.facts), got.found, got.added)
            rows = _rows(columns)
            new = (j for j, at in enumerate(got.found) if at is None)
            seeded = dict(zip(new, got.added, strict=False))  # as many: `reopen` counts them
            facts = FactsOnDemand(columns, rows, seeded)  # the new facts are the built ones
            base = FactBase(
                facts=facts, sources=got.sources, chapters=got.chapters, gri=old.gri,  # type: ignore[arg-type]
                glossary=old.glossary, synonyms=old.synonyms, broader=old.broader,
                root=str(root), _by_id=_IdsOnDemand(facts, columns[_FIELDS.index("id")]),
            )  # fmt: skip
            patched = patch_index(old, old._search_index, postings, base, got.found)
        except Exception as err:  # a bug, said once; the base then comes from its files
            _warn(f"not patching the cache file {path}: {type(err).__name__}: {err}")
            return None
        index, postings = patched if patched is not None else build_index_kept(base)
    finally:
        if collector:
            gc.enable()
    object.__setattr__(base, "_search_index", index)
    if write(path, now, base, store.secret, (columns, rows)):
        doccache.put_postings(path, now.key, postings, store.secret)
    return base


def _spliced(
    columns: list[Any], count: int, found: list[int | None], facts: list[Fact]
) -> list[Any]:
    """The columns of a base of ``count`` facts after an edit: only the new facts are read.

    Reading 31 fields of 100k facts costs ~0.2 s; taking the kept facts'
    values from the columns they were read from is a copy in C. After an edit
    the kept facts stand in a few runs of the old order, each copied as one
    slice of each column (a text column's bytes too); rows picked one by one,
    then decoded and coded again, cost a 100k re-open ~0.3 s.

    Args:
        found: For each fact after the edit, its number among the ``count``, or None.
        facts: The new facts, one for each None of ``found``, in its order.
    """
    if not facts and found == list(range(count)):
        return columns
    if not found:
        return _columns(())
    runs = _runs(found, count)
    added = _listed_columns(tuple(facts))
    if len(runs) <= _MOST_RUNS:
        return [_splice_runs(c, more, runs, count) for c, more in zip(columns, added, strict=True)]
    more = iter(range(count, count + len(facts)))
    seats = [at if at is not None else next(more) for at in found]
    pick = itemgetter(*seats) if len(seats) > 1 else lambda column: (column[seats[0]],)
    return [_splice(column, more, pick) for column, more in zip(columns, added, strict=True)]


_MOST_RUNS = 512
"""Past this many runs of kept facts, a column is spliced row by row (`_splice`)."""


def _runs(found: list[int | None], count: int) -> list[tuple[int, int]]:
    """The rows ``found`` takes, as runs ``(start, end)`` of consecutive rows.

    Rows from ``count`` on are the new facts', numbered in their order; no run
    holds both an old row and a new one.
    """
    runs: list[tuple[int, int]] = []
    more = count
    start = end = -1
    for at in found:
        if at is None:
            at, more = more, more + 1
        if at == end and at != count:
            end += 1
            continue
        if start >= 0:
            runs.append((start, end))
        start, end = at, at + 1
    runs.append((start, end))
    return runs


def _splice_runs(column: Any, added: list[Any], runs: list[tuple[int, int]], count: int) -> Any:
    """A cached column with the new facts' values added, its rows taken by runs, coded as it was.

    As `_splice`, the kept values are not checked again, only the added ones.
    """
    if type(column) is array and all(type(v) is int and 0 <= v < 1 << 63 for v in added):
        return _picked(column, array(column.typecode, added), runs, count)
    if type(column) is tuple and column[0] == "coded" and all(map(_text_like, added)):
        _kind, values, which = column
        numbers = dict(zip(values, range(len(values)), strict=True))
        more = array("I", [numbers.setdefault(value, len(numbers)) for value in added])
        return ("coded", list(numbers), _picked(which, more, runs, count))
    if type(column) is tuple and column[0] == "texts" and _plain_texts(added):
        return _picked_texts(column, _texts(added), runs, count)
    return _coded(_picked(_listed(column), added, runs, count))


def _picked(old: Any, new: Any, runs: list[tuple[int, int]], count: int) -> Any:
    """The rows of ``runs`` from ``old`` followed by ``new`` (two lists, or two arrays)."""
    out = old[:0]
    for start, end in runs:
        out.extend(old[start:end] if start < count else new[start - count : end - count])
    return out


def _picked_texts(
    old: tuple[str, bytes, array[int]],
    new: tuple[str, bytes, array[int]],
    runs: list[tuple[int, int]],
    count: int,
) -> tuple[str, bytes, array[int]]:
    """`_picked` of two ``"texts"`` columns: each run's bytes as one slice, its ends shifted."""
    pieces: list[bytes] = []
    ends = array("Q")
    at = 0  # where the next run starts in the joined bytes
    for start, end in runs:
        _kind, blob, which = old if start < count else new
        if start >= count:
            start, end = start - count, end - count
        first = which[start - 1] + 1 if start else 0
        last = which[end - 1]
        pieces.append(blob[first:last])
        shift = at - first
        ends.extend(
            which[start:end] if not shift else array("Q", map(shift.__add__, which[start:end]))
        )
        at += last - first + 1
    return ("texts", b"\0".join(pieces), ends)


def _splice(column: Any, added: list[Any], pick: Callable[[Any], tuple[Any, ...]]) -> Any:
    """A cached column with the new facts' values added, its rows picked, coded as it was.

    Only the added values are checked; the kept ones were when the column was coded
    (re-coding every value of 28 columns cost a 100k re-open ~0.5 s).
    """
    if type(column) is array and all(type(v) is int and 0 <= v < 1 << 63 for v in added):
        return array(column.typecode, pick(column.tolist() + added))
    if type(column) is tuple and column[0] == "coded" and all(map(_text_like, added)):
        _kind, values, which = column
        numbers = dict(zip(values, range(len(values)), strict=True))
        more = [numbers.setdefault(value, len(numbers)) for value in added]
        return ("coded", list(numbers), array("I", pick(which.tolist() + more)))
    if type(column) is tuple and column[0] == "texts" and _plain_texts(added):
        return _texts(list(pick(_listed(column) + added)))
    return _coded(list(pick(_listed(column) + added)))


def _load_kept(root: str, load: Callable[[str], FactBase], store: Store) -> FactBase:
    """Load the base from its files, each file unchanged since a load parsed from ``store``."""
    from explorer.loader import kept_in
    from explorer.opener import FactBaseError

    try:
        with kept_in(store):
            base = load(root)
    except FactBaseError:
        store.sweep()  # every file was read: what was not used is stale
        raise
    store.sweep()
    return base


def fingerprint(root: Name) -> str:
    """Return a key of everything a cached base depends on: data, schema and code."""
    return key_of(inputs(root), FORMAT, {}, root).key


def read(path: Name, key: str, secret: bytes) -> FactBase | None:
    """Return the base cached at ``path`` under ``key`` and signed with ``secret``, or None."""
    data = _cache_bytes(path)
    header = None if data is None else _verified(data, secret, path)
    if data is None or header is None or header[1] != key:
        return None
    return _unpickled(data, header[0], path)


def _unpickled(data: bytes, start: int, path: Name, *, on_demand: bool = False) -> FactBase | None:
    """The base pickled in ``data`` from ``start`` (its MAC checked), or None."""
    loaded = _unpickled_columns(data, start, path, on_demand=on_demand)
    return None if loaded is None else loaded[0]


def _unpickled_columns(
    data: bytes, start: int, path: Name, *, on_demand: bool = False
) -> tuple[FactBase, list[Any]] | None:
    """As `_unpickled`, with the facts' columns as read (for `_spliced`)."""
    collector = gc.isenabled()
    gc.disable()  # loading makes millions of objects; collections meanwhile triple its cost
    try:
        stream = io.BytesIO(data)  # shares the bytes: no copy
        stream.seek(start)
        state = _Unpickler(stream).load()
        columns = state["facts"]
        base = _restore(state, on_demand)
        os.utime(path)  # recently used: kept longest
        # Out of the collector's sight (as the app does after loading): the base lives as
        # long as it is held, and a full collection would otherwise walk all of it soon
        # after this (0.1 s at 100k facts). Refcounting still frees it when let go.
        gc.freeze()
        return base, columns
    # Signed by us, yet unreadable: a bug, said once; the base then comes from its files.
    except Exception as err:
        _warn(f"ignoring the cache file {path}: {type(err).__name__}: {err}")
        return None
    finally:
        if collector:
            gc.enable()


def write(
    path: Name,
    inputs: Inputs,
    base: FactBase,
    secret: bytes,
    laid: tuple[list[Any], Any] | None = None,
) -> bool:
    """Write the base to ``path`` atomically; return False (and leave no file) on failure.

    Args:
        laid: The facts' columns (`_columns`) and their rows (`_rows`), when known already.
    """
    columns, rows = laid if laid is not None else (_columns(base.facts), None)
    state = {
        "facts": columns, "rows": _rows(columns) if laid is None else rows,
        "sources": dict(base.sources), "chapters": dict(base.chapters),
        "gri": base.gri, "glossary": base.glossary, "synonyms": base.synonyms,
        "broader": base.broader,
        "root": base.root, "index": base._search_index,
    }  # fmt: skip
    import pickle

    try:
        body = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
    except pickle.PicklingError:
        return False
    return _write_bytes(path, _header(inputs), body, secret)


def _header(inputs: Inputs) -> bytes:
    """The first line: the layout, the key, and each file's status and digest (one JSON line)."""
    import json

    files = json.dumps(inputs.to_json(), separators=(",", ":"))
    return FORMAT + b" " + inputs.key.encode() + b" " + files.encode() + b"\n"


def _write_bytes(
    path: Name, header: bytes, body: bytes, secret: bytes, *, sync: bool = True
) -> bool:
    """Write a signed cache file atomically; False (and no file left) on failure.

    Args:
        sync: Flush it to disk before it replaces the old one, and prune the
            folder's base files (False for the many small files of `explorer.doccache`).
    """
    import tempfile

    temporary = None
    try:
        if not _trusted_folder(parent(path), create=True):
            return False
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=_SUFFIX, dir=parent(path))
        with os.fdopen(handle, "wb") as out:
            out.write(header + mac(secret, header, body))
            with memoryview(body) as view:
                for start in range(0, len(view), _PIECE):
                    out.write(view[start : start + _PIECE])
            out.flush()
            if sync:
                os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            _unlink(temporary)
        return False
    if sync:
        prune(parent(path))
    return True


def prune(folder: Name, keep: int = KEEP) -> None:
    """Delete all but the ``keep`` most recently used cache files in ``folder``."""
    from explorer import doccache

    try:
        names = [join(normal(folder), n) for n in os.listdir(folder) if n.endswith(_SUFFIX)]
        files = sorted(names, key=lambda name: os.stat(name).st_mtime, reverse=True)
        for old in files[keep:]:
            if not os.path.basename(old).startswith(".tmp-"):
                _unlink(old)
                doccache.remove(old)
    except OSError:
        pass


def _unlink(path: Name) -> None:
    """Delete the file ``path`` if it is there (``Path.unlink(missing_ok=True)``)."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _mkdir(folder: Name, mode: int) -> None:
    """Make ``folder`` unless it is one already (``Path.mkdir(exist_ok=True)``)."""
    try:
        os.mkdir(folder, mode)
    except FileExistsError:
        if not os.path.isdir(folder):
            raise


def user_secret() -> bytes | None:
    """Return this user's cache secret, made on first use; None when refused or not made."""
    path = secret_path()
    for _ in range(2):  # once more when another process makes it meanwhile
        try:
            secret, info = _own(path, 0o077, _SECRET_SIZE + 1)
            if info.st_nlink != 1:
                raise _Untrusted("it has other names (hard links)")
            if not secret and time.time() - info.st_mtime < 5:
                return None  # another process is writing it this moment: no cache this once
            if len(secret) != _SECRET_SIZE:
                raise _Untrusted("it is damaged (delete it to make a new one)")
            return secret
        except _Untrusted as why:
            _warn(f"caching off: the cache secret {path} cannot be trusted: {why}")
            return None
        except FileNotFoundError:
            pass
        except OSError:
            return None
        try:
            return _make_secret(path)
        except FileExistsError:
            continue
        except OSError:
            return None
    return None


def _make_secret(path: Name) -> bytes:
    """Write a new secret to ``path``, which must not exist: made ``0600``, never through a link."""
    os.makedirs(parent(parent(path)), exist_ok=True)
    _mkdir(parent(path), 0o700)
    secret = os.urandom(_SECRET_SIZE)
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(secret)
            out.flush()
            os.fsync(out.fileno())
    except OSError:
        _unlink(path)
        raise
    return secret


def _cache_bytes(path: Name) -> bytes | None:
    """Return the bytes of the cache file ``path`` if it is the user's own, else None."""
    try:
        return _own(path, 0o022)[0]
    except _Untrusted as why:
        _warn(f"ignoring the cache file {path}: {why}; loading from the fact files")
    except OSError:  # none yet, or it went away: nothing to read
        pass
    return None


def _verified(data: bytes, secret: bytes, path: Name) -> tuple[int, str, object] | None:
    """Where the pickle starts, the key and the files' record, when ``data`` is ours; else None."""
    end = data.find(b"\n", 0, _HEADER_MOST) + 1
    if not end or not data.startswith(FORMAT + b" "):
        return None  # another layout, an older version's: rebuilt without a word
    start = end + _MAC_SIZE
    view = memoryview(data)
    if not compare_digest(mac(secret, view[:end], view[start:]), data[end:start]):
        why = "it fails its integrity check (damaged or altered)"
        _warn(f"ignoring the cache file {path}: {why}; loading from the fact files")
        return None
    key, _, files = data[len(FORMAT) + 1 : end - 1].partition(b" ")
    try:
        return start, key.decode("ascii"), json_value(files.decode("utf-8"))
    except ValueError:  # signed by us: only a bug could get here (UnicodeError is one)
        return None


def _trusted_folder(folder: Name, *, create: bool = False) -> bool:
    """True when ``folder`` is the user's alone, or (unless ``create``: made) is not there.

    The default folder, being ours, is made private rather than refused: versions
    before this one made it with the umask's mode, group-writable under ``002``.
    """
    try:
        if create:
            os.makedirs(parent(folder), exist_ok=True)
            _mkdir(folder, 0o700)
        _check(os.stat(folder), 0o022, stat.S_ISDIR, "a folder")
        return True
    except FileNotFoundError:
        return not create
    except OSError:
        return False
    except _Untrusted as why:
        if why.mine and os.environ.get(ENV_CACHE) is None:
            try:
                os.chmod(folder, 0o700)
                return True
            except OSError:
                pass
        _warn(f"ignoring the cache folder {folder}: {why}; loading from the fact files")
        return False


class _Untrusted(Exception):
    """A file or folder someone else may have written; the message says why."""

    def __init__(self, why: str, *, mine: bool = False) -> None:
        super().__init__(why)
        self.mine = mine
        """True when it is the user's own, only too open."""


def _own(path: Name, mask: int, size: int = -1) -> tuple[bytes, os.stat_result]:
    """Return the bytes of ``path`` (up to ``size``) and its status, if it is the user's alone.

    Raises:
        _Untrusted: When it is a link, not a file, another user's or has a bit of ``mask``.
        OSError: When it cannot be read (`FileNotFoundError`: it is not there).
    """
    if os.path.islink(path):
        raise _Untrusted("it is a symbolic link")
    handle = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK)  # a planted FIFO cannot hang us
    try:
        info = os.fstat(handle)  # of what was opened: no swapping it after the check
        _check(info, mask, stat.S_ISREG, "a regular file")
        with os.fdopen(handle, "rb", closefd=False) as opened:
            return opened.read(size), info
    finally:
        os.close(handle)


def _check(info: os.stat_result, mask: int, kind: Callable[[int], bool], what: str) -> None:
    """Raise `_Untrusted` unless ``info`` is a ``kind``, the user's, with no bit of ``mask``."""
    if not kind(info.st_mode):
        raise _Untrusted(f"it is not {what}")
    if not _POSIX:
        return  # no owners nor modes to speak of; the MAC still holds
    if info.st_uid != os.geteuid():
        raise _Untrusted(f"it belongs to another user (uid {info.st_uid})")
    mode = stat.S_IMODE(info.st_mode)
    if mode & mask:
        can = "read or write" if mask & 0o044 else "write"
        raise _Untrusted(f"other users can {can} it (mode {mode:04o})", mine=True)


def _warn(message: str) -> None:
    """Keep ``message`` for `take_warnings`, as one printable line, unless already said."""
    from explorer.paths import shown

    message = shown(message)  # a name may hold a newline, or bytes that are not UTF-8
    if message not in _said:
        _said.add(message)
        _unread.append(message)


class _Unpickler(Unpickler):
    """Unpickles only the classes a base is made of: a cache can hold data, never code."""

    def find_class(self, module: str, name: str, /) -> Any:
        if name not in ALLOWED.get(module, ()):
            raise UnpicklingError(f"{module}.{name} is not allowed in a cache")
        return super().find_class(module, name)


def _restore(state: dict[str, Any], on_demand: bool = False) -> FactBase:
    index = state.pop("index")
    columns = state.pop("facts")
    rows = state.pop("rows", None)
    if len(columns) != len(_FIELDS) or len({_length(c) for c in columns}) > 1:
        raise ValueError("the cached facts do not have the fields of a fact")
    if on_demand:
        facts = FactsOnDemand(columns, rows)
        state["_by_id"] = _IdsOnDemand(facts, columns[_FIELDS.index("id")])
        base = FactBase(facts=facts, **state)  # type: ignore[arg-type]
    else:
        base = FactBase(facts=_facts([_listed(c) for c in columns]), **state)
    object.__setattr__(base, "_search_index", index)
    return base


def _columns(facts: tuple[Fact, ...]) -> list[Any]:
    """The facts as one column per field (a link as its two texts), as the cache holds them.

    A column of texts (or of tuples of texts) that repeat, as ``kind``, ``tags``
    or ``section`` do, is held as its distinct values and an array of which
    each fact has (``"coded"``); one of texts that do not, as ``id``, ``claim``
    or ``quote``, as their UTF-8 joined by NUL (which no fact text holds) and
    an array of where each ends (``"texts"``), so that one of them is read
    without reading the others; one of whole numbers (``line``) as an array.
    Any other column is a list.
    """
    return [_coded(column) for column in _listed_columns(facts)]


def _listed_columns(facts: tuple[Fact, ...]) -> list[list[Any]]:
    """The facts as one list per field (a link as its two texts), before `_coded`."""
    columns = [list(map(get, facts)) for get in _GETTERS]  # each slot read by a loop in C
    at = _FIELDS.index("related")
    # Interned, a link's id and kind are pickled once each, and read back as references
    # (the bundled base's links read in 0.43 ms, not 0.6).
    columns[at] = [tuple((intern(link.id), intern(link.rel)) for link in links) if links else ()
                   for links in columns[at]]  # fmt: skip
    return columns


def _coded(column: list[Any]) -> Any:
    """``column`` as the cache holds it: ``("coded", ...)``, ``("texts", ...)``, array or list."""
    if column and all(type(value) is int and 0 <= value < 1 << 63 for value in column):
        return array("q", column)  # line numbers: read as one block of bytes
    if not all(_text_like(value) for value in column):
        return column
    numbers: dict[Any, int] = {}
    which = array("I", [numbers.setdefault(value, len(numbers)) for value in column])
    if len(numbers) <= len(column) // 4:
        return ("coded", list(numbers), which)
    if _plain_texts(column):
        return _texts(column)
    return _shared(column)


def _shared(column: list[Any]) -> list[Any]:
    """A column of texts and tuples of texts, equal ones made one object each.

    Pickle writes an object once and then refers to it, and reading a reference
    makes nothing: the bundled base's tags (a tuple per fact, of a few hundred
    texts in all) read in a fifth of the time.
    """
    seen: dict[object, object] = {}
    share = seen.setdefault
    return [
        share(value, value) if type(value) is str
        else share(shared := tuple(share(t, t) for t in value), shared) if value
        else value
        for value in column
    ]  # fmt: skip


def _plain_texts(column: list[Any]) -> bool:
    """Whether every value is a text without NUL (which joins them in a ``"texts"`` column)."""
    return all(type(value) is str and "\0" not in value for value in column)


def _texts(column: list[str]) -> tuple[str, bytes, array[int]]:
    """Texts as one UTF-8 block joined by NUL, with where each ends (``"texts"``)."""
    ends = array("Q", accumulate(len(v.encode("utf-8", "surrogatepass")) + 1 for v in column))
    blob = "\0".join(column).encode("utf-8", "surrogatepass")
    return ("texts", blob, array("Q", (end - 1 for end in ends)))


def _text_like(value: Any) -> bool:
    """None, a text, or a tuple of texts: values a dict can key without mixing ``1`` and ``1.0``."""
    if value is None or type(value) is str:
        return True
    return type(value) is tuple and all(type(item) is str for item in value)


def _length(column: Any) -> int:
    """How many facts a cached column holds."""
    return len(column) if type(column) in (list, array) else len(column[2])


def _listed(column: Any) -> list[Any]:
    """A cached column as the list of its values."""
    if type(column) is list:
        return column
    if type(column) is array:
        return column.tolist()
    kind, values, which = column
    if kind == "coded":
        return list(map(values.__getitem__, which))
    if kind == "texts":
        return values.decode("utf-8", "surrogatepass").split("\0") if which else []
    raise ValueError(f"a cached column of an unknown kind: {kind!r}")


def _rows(columns: list[Any]) -> tuple[tuple[int, ...], list[tuple[Any, ...]], array[int]] | None:
    """The coded columns' values together, when few facts differ in all of them, else None.

    Only the columns of few values (at most a 64th of the facts') join.

    Facts that share their kind, source, chapter, section, tags... share one
    row of those values: a fact made on demand (`FactsOnDemand`) then reads one
    number and sets the row's fields in one loop in C, not ~25 lookups of
    ~25 columns (half the cost of making one).

    Returns:
        The fields' numbers (in `_FIELDS`), each distinct row of their values,
        and which row each fact has.
    """
    most = max(64, _length(columns[0]) // 64) if columns else 0
    coded = [  # a column of many values (a figure as printed) would make most rows differ
        n
        for n, c in enumerate(columns)
        if type(c) is tuple and c[0] == "coded" and len(c[1]) <= most
    ]
    if not coded:
        return None
    numbers: dict[tuple[int, ...], int] = {}
    which = array("I", map(lambda key: numbers.setdefault(key, len(numbers)),
                           zip(*(columns[n][2] for n in coded), strict=True)))  # fmt: skip
    if len(numbers) > len(which) // 4:
        return None
    values = [tuple(columns[n][1][at] for n, at in zip(coded, key, strict=True)) for key in numbers]
    return tuple(coded), values, which


def _maker(columns: list[Any], rows: Any = None) -> Callable[[int], Fact]:
    """Makes one fact (by its number, from 0) from the cached columns, in one call.

    Written for these columns' kinds (as `explorer.records` writes a record's
    ``__init__``): a loop of 31 readers and setters cost ~16 us a fact, and a
    search at 1M facts ranks ~1,000 of them. Only the column kinds choose the
    code; no text of the cache goes into it.
    """
    names: dict[str, Any] = {"new": object.__new__, "Fact": Fact, "links": _links}
    lines = ["def make(row):", " f = new(Fact)"]
    together: tuple[int, ...] = ()
    if rows is not None:
        together, names["rv"], names["rw"] = rows
        if len(names["rw"]) != _length(columns[0]) or any(
            len(row) != len(together) for row in names["rv"]
        ):
            raise ValueError("the cached rows do not match the facts")
        names.update(consume=deque, call=call, repeat=repeat, many=len(together))
        names["puts"] = tuple(_SETTERS[n] for n in together)
        lines.append(" consume(map(call, puts, repeat(f, many), rv[rw[row]]), 0)")
    for n, (name, column) in enumerate(zip(_FIELDS, columns, strict=True)):
        if n in together:
            continue
        names[f"put{n}"] = _SETTERS[n]
        if type(column) in (list, array):
            names[f"c{n}"] = column
            value = f"c{n}[row]"
        else:
            kind, values, which = column
            names[f"v{n}"], names[f"w{n}"] = values, which
            if kind == "coded":
                value = f"v{n}[w{n}[row]]"
            elif kind == "texts":
                value = f"v{n}[w{n}[row - 1] + 1 if row else 0 : w{n}[row]]"
                value += '.decode("utf-8", "surrogatepass")'
            else:
                raise ValueError(f"a cached column of an unknown kind: {kind!r}")
        if name == "related":
            value = f"links({value})"
        lines.append(f" put{n}(f, {value})")
    lines.append(" return f")
    exec("\n".join(lines), names)  # noqa: S102 - our own template, filled with field numbers
    make: Callable[[int], Fact] = names["make"]
    return make


def _listed_rows(column: Any, start: int, end: int) -> list[Any]:
    """The values of rows ``start`` to ``end`` of a cached column, as `_listed` gives them all."""
    if type(column) is list:
        return column[start:end]
    if type(column) is array:
        return column[start:end].tolist()
    kind, values, which = column
    if kind == "coded":
        return list(map(values.__getitem__, which[start:end]))
    if kind == "texts":
        if start >= end:
            return []
        first = which[start - 1] + 1 if start else 0
        return values[first : which[end - 1]].decode("utf-8", "surrogatepass").split("\0")  # type: ignore[no-any-return]
    raise ValueError(f"a cached column of an unknown kind: {kind!r}")


def _links(pairs: tuple[tuple[str, str], ...]) -> tuple[Link, ...]:
    return tuple(Link(*pair) for pair in pairs) if pairs else ()


def _facts(columns: list[list[Any]]) -> tuple[Fact, ...]:
    """Make every fact from its fields' columns (as lists).

    A frozen dataclass unpickles through a Python ``__setstate__`` (about 8 us
    a fact). Here each slot's descriptor fills a whole column at once through
    `map`, a loop in C: most of a warm start at 100k facts, then a small part.
    """
    count = len(columns[0]) if columns else 0
    facts = list(map(object.__new__, repeat(Fact, count)))
    for name, put, column in zip(_FIELDS, _SETTERS, columns, strict=True):
        if name == "related":
            column = list(map(_links, column))
        deque(map(put, facts, column), maxlen=0)
    return tuple(facts)


class FactsOnDemand(Sequence[Fact]):
    """A base's facts in base order, each made from the cached columns when first asked for.

    What a search reads of a base: a fact by its number, a slice, the count.
    Each fact is made once (the same object every time) and is a `Fact` like
    any other; iterating makes them all, in order, a block of `BLOCK` at a time
    as `_facts` does (one by one, all of 1M facts cost 6.9 s; by blocks ~3.5 s).
    The app asks from several threads at once: a lock keeps a fact one object.
    """

    BLOCK = 4096

    def __init__(
        self, columns: list[Any], rows: Any = None, made: Mapping[int, Fact] | None = None
    ) -> None:
        """Args:
        columns: The facts' columns, as the cache holds them (`_columns`).
        rows: Their coded rows (`_rows`), or None.
        made: Facts made already, by number: these are those objects.
        """
        self._make = _maker(columns, rows)
        self._columns = columns
        self._made: list[Fact | None] = [None] * (_length(columns[0]) if columns else 0)
        for at, fact in (made or {}).items():
            self._made[at] = fact
        self._making = allocate_lock()

    def __len__(self) -> int:
        return len(self._made)

    @overload
    def __getitem__(self, at: int) -> Fact: ...

    @overload
    def __getitem__(self, at: slice) -> tuple[Fact, ...]: ...

    def __getitem__(self, at: int | slice) -> Fact | tuple[Fact, ...]:
        if isinstance(at, slice):
            return tuple(self[i] for i in range(*at.indices(len(self._made))))
        fact = self._made[at]  # an IndexError as a tuple's, for a number out of range
        if fact is None:
            with self._making:
                fact = self._made[at]
                if fact is None:
                    fact = self._make(at if at >= 0 else at + len(self._made))
                    self._made[at] = fact
        return fact

    def __iter__(self) -> Iterator[Fact]:
        for start in range(0, len(self._made), self.BLOCK):
            end = min(start + self.BLOCK, len(self._made))
            block: list[Any] = self._made[start:end]
            if None in block:
                block = self._block(start, end)
            yield from block

    def _block(self, start: int, end: int) -> list[Fact]:
        """Make the facts ``start`` to ``end`` not made yet, as `_facts` does; return them all."""
        collector = gc.isenabled()
        gc.disable()  # thousands of objects that live as long as the base: no collection
        try:
            with self._making:
                return self._made_block(start, end)
        finally:
            if collector:
                gc.enable()

    def _made_block(self, start: int, end: int) -> list[Fact]:
        made = _facts([_listed_rows(c, start, end) for c in self._columns])
        was = self._made[start:end]
        block: list[Any] = [old if old is not None else new
                            for old, new in zip(was, made, strict=True)]  # fmt: skip
        self._made[start:end] = block
        return block

    def column(self, name: str) -> list[Any]:
        """Return field ``name`` of every fact, in order, read from the columns (none is made)."""
        column = self._columns[_FIELDS.index(name)]
        values = _listed(column)
        if name == "related":
            return list(map(_links, values))
        return list(values) if values is column else values

    def field_values(self, name: str, rows: Sequence[int], *, pairs: bool = False) -> list[Any]:
        """Return field ``name`` of the facts numbered ``rows`` (from 0), read from the columns.

        With ``pairs``, links are given as ``(id, rel)`` pairs, as the columns hold them.

        The values are the ones the facts would hold, but no fact is made: a search at 1M
        facts reads the unit and period of ~2,000 candidates to rank them and shows 20, and
        making each one cost ~15 us (`explorer.search.intent.Intent.factors`).
        """
        column = self._columns[_FIELDS.index(name)]
        if type(column) is list or type(column) is array:
            values = list(map(column.__getitem__, rows))
        else:
            kind, texts, which = column
            if kind == "coded":
                values = list(map(texts.__getitem__, map(which.__getitem__, rows)))
            elif kind == "texts":
                values = [texts[which[row - 1] + 1 if row else 0 : which[row]].decode(
                    "utf-8", "surrogatepass") for row in rows]  # fmt: skip
            else:
                raise ValueError(f"a cached column of an unknown kind: {kind!r}")
        return list(map(_links, values)) if name == "related" and not pairs else values

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, FactsOnDemand)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


class _IdsOnDemand(Mapping[str, Fact]):
    """A base's facts by id, for `FactsOnDemand`: the ids are read when first looked up."""

    def __init__(self, facts: FactsOnDemand, ids: Any) -> None:
        self._facts = facts
        self._ids = ids
        self._rows: dict[str, int] | None = None

    def _by_id(self) -> dict[str, int]:
        if self._rows is None:
            self._rows = {fact_id: row for row, fact_id in enumerate(_listed(self._ids))}
        return self._rows

    def __getitem__(self, fact_id: str) -> Fact:
        return self._facts[self._by_id()[fact_id]]

    def __len__(self) -> int:
        return len(self._by_id())

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id())


def _inside(folder: str, root: str) -> bool:
    """True when ``folder`` is ``root`` or below it (the cache never goes there).

    Both are `os.path.realpath`'s: absolute, spelled as `pathlib` spells them.
    """
    return folder == root or folder.startswith(os.path.join(root, ""))
