"""Each fact file parsed and checked, kept apart: after an edit, only the edited file is parsed.

The cache of the whole base (`explorer.cache`) answers while nothing changed.
When something did, the base is built again from its files, and this store
(`Parsed`) gives every file whose bytes it has seen, under the same name,
schema and code, without parsing or validating it again: editing one file of a
100k-fact base re-parses that one file. Its problems are kept too, so a base
being fixed one problem at a time re-reads only the file just fixed.

One file per fact file, in a folder beside the base's cache file
(``<base>.files``), under the same guarantees: the folder ``0700`` and each
file ``0600`` and the user's own, never a link; a MAC under the user's secret
over all of it, checked before a byte is unpickled; and a pickle that may name
only the few classes a parsed file is made of (`ALLOWED`), never code. The
entries are not synced to disk one by one: after a crash one may fail its
check, and is then said once and parsed again.

The same folder keeps the base's every search posting (`POSTINGS`: arrays of
numbers and nothing else may be unpickled from it), under the key of the base
cached with them, so that a re-open after an edit patches the index
(`explorer.search.patch`) instead of building it.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import pickle
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer import cache, digests

if TYPE_CHECKING:
    from explorer.loader import Parsed
    from explorer.paths import Name
    from explorer.search.index import Postings

FORMAT = b"fact-explorer-parsed 1"
"""The first line's tag, then the entry's key; the MAC follows that line, then the pickle."""

SUFFIX = ".parsed"

ALLOWED = {
    "explorer.yamlread": ("Document", "Bare", "RawInt", "RawFloat"),
    "explorer.problems": ("Problem",),
    "datetime": ("date", "datetime", "time", "timedelta", "timezone"),
}
"""Every class a parsed file may name: its document, its problems, the dates YAML reads."""


def folder_of(base_file: Name) -> Path:
    """The folder of parsed files that goes with the cache file of a base."""
    return Path(base_file).with_suffix(".files")


def remove(base_file: Name) -> None:
    """Delete the parsed files of a base whose cache file is being pruned."""
    shutil.rmtree(folder_of(base_file), ignore_errors=True)


class Store:
    """The parsed files of one base; the loader asks it before parsing (`loader.kept_in`)."""

    def __init__(self, folder: Path, secret: bytes, tools: str) -> None:
        """Args:
        folder: Where the entries are (made ``0700`` on first write).
        secret: The user's cache secret, which signs them.
        tools: A digest of the schema and the code that parse and check (part of each key).
        """
        self.folder = folder
        self.secret = secret
        self.tools = tools
        self.used: set[str] = set()
        """Entries read or written this run; `sweep` deletes the rest."""
        self.writable: bool | None = None

    def key(self, name: str, schema: str, raw: bytes) -> str:
        """The key of a file's parse: its name, its schema, its bytes, the code."""
        digest = hashlib.sha256(self.tools.encode())
        digest.update(os.fsencode(name) + b"\0" + schema.encode() + b"\0")
        digest.update(raw)
        return digest.hexdigest()

    def get(self, name: str, schema: str, raw: bytes) -> Parsed | None:
        """The kept parse of these bytes, or None (none kept, or refused: said once)."""
        key = self.key(name, schema, raw)
        path = self.folder / (key + SUFFIX)
        data = cache._cache_bytes(path)
        if data is None:
            return None
        header = FORMAT + b" " + key.encode() + b"\n"
        start = len(header) + cache._MAC_SIZE
        body = memoryview(data)[start:]
        mac = data[len(header) : start]
        if not data.startswith(header) or not digests.compare_digest(
            digests.mac(self.secret, header, body), mac
        ):
            why = "it fails its integrity check (damaged or altered)"
            cache._warn(f"ignoring the cache file {path}: {why}; parsing the fact file")
            return None
        collector = gc.isenabled()
        gc.disable()  # a parse is many small objects; collections meanwhile triple the cost
        try:
            parsed: Parsed = _Unpickler(io.BytesIO(body)).load()
        except Exception as err:  # signed by us, yet unreadable: a bug, said once
            cache._warn(f"ignoring the cache file {path}: {type(err).__name__}: {err}")
            return None
        finally:
            if collector:
                gc.enable()
        self.used.add(path.name)
        return parsed

    def put(self, name: str, schema: str, raw: bytes, parsed: Parsed) -> None:
        """Keep a parse for next time; a failure only means parsing again then."""
        if self.writable is None:
            self.writable = cache._trusted_folder(
                self.folder.parent, create=True
            ) and cache._trusted_folder(self.folder, create=True)
        if not self.writable:
            return
        key = self.key(name, schema, raw)
        try:
            body = pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return
        header = FORMAT + b" " + key.encode() + b"\n"
        if cache._write_bytes(self.folder / (key + SUFFIX), header, body, self.secret, sync=False):
            self.used.add(key + SUFFIX)

    def sweep(self) -> None:
        """Delete the entries this run did not use: files since edited or removed."""
        try:
            for entry in os.scandir(self.folder):
                if entry.name.endswith(SUFFIX) and entry.name not in self.used:
                    os.unlink(entry.path)
        except OSError:
            pass


class _Unpickler(pickle.Unpickler):
    """Unpickles only what a parsed file is made of: an entry can hold data, never code."""

    def find_class(self, module: str, name: str, /) -> Any:
        if name not in ALLOWED.get(module, ()):
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache")
        return super().find_class(module, name)


POSTINGS = "index.postings"
"""The base's every search posting (`explorer.search.index.Postings`), in the same folder."""

POSTINGS_FORMAT = b"fact-explorer-postings 1"


def put_postings(base_file: Name, key: str, postings: Postings, secret: bytes) -> None:
    """Keep the postings of the base cached under ``key``, for its next re-open after an edit."""
    folder = folder_of(base_file)
    if not (cache._trusted_folder(folder.parent, create=True)
            and cache._trusted_folder(folder, create=True)):  # fmt: skip
        return
    body = pickle.dumps(
        (postings.keys, postings.offsets, postings.counts), protocol=pickle.HIGHEST_PROTOCOL
    )
    header = POSTINGS_FORMAT + b" " + key.encode() + b"\n"
    cache._write_bytes(folder / POSTINGS, header, body, secret, sync=False)


def get_postings(base_file: Name, key: str, secret: bytes) -> Postings | None:
    """The postings kept with the base cached under ``key``, or None (none, or refused: said)."""
    from explorer.search.index import Postings

    path = folder_of(base_file) / POSTINGS
    data = cache._cache_bytes(path)
    if data is None:
        return None
    header = POSTINGS_FORMAT + b" " + key.encode() + b"\n"
    if not data.startswith(header):
        return None  # another base's (an older cache file's): not these
    start = len(header) + cache._MAC_SIZE
    body = memoryview(data)[start:]
    if not digests.compare_digest(digests.mac(secret, header, body), data[len(header) : start]):
        why = "it fails its integrity check (damaged or altered)"
        cache._warn(f"ignoring the cache file {path}: {why}")
        return None
    try:
        keys, offsets, counts = _PostingsUnpickler(io.BytesIO(body)).load()
    except Exception as err:  # signed by us, yet unreadable: a bug, said once
        cache._warn(f"ignoring the cache file {path}: {type(err).__name__}: {err}")
        return None
    return Postings(keys, offsets, counts)


class _PostingsUnpickler(pickle.Unpickler):
    """Unpickles arrays alone: the postings are numbers, never code."""

    def find_class(self, module: str, name: str, /) -> Any:
        if module != "array" or name not in ("array", "_array_reconstructor"):
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache")
        return super().find_class(module, name)
