"""The key of a cached base: the contents of every file it depends on, known from stat calls.

Hashing every file on every start costs what a start should not (the bundled
base's 40 files: ~7 ms; a 1M-fact base's 0.5 GB: seconds). So the cache file
remembers, for each file it was built from, its size, modification and change
times and inode beside its SHA-256 (`Inputs`); a file whose status is the same
is taken to be the same, and only the others are read and hashed. A file
changed within `RACY_NS` of being recorded is not vouched for by its status
(an edit in the same clock tick would keep it): it is hashed again next time.

The key covers the fact files, the top files, the schema and the code that
shapes a cached base (`BUILDERS` and ``search/``): a change to any rebuilds it.
"""

from __future__ import annotations

import os
import time

from explorer.digests import file_sha256, sha256
from explorer.paths import Name, join, normal
from explorer.records import dataclass

CODE = os.path.dirname(os.path.realpath(__file__))
BUILDERS = ("appendices.py", "cache.py", "cachekey.py", "digests.py", "doccache.py",
            "loader.py", "model.py", "numbers.py", "problems.py", "reopen.py", "walk.py",
            "yamlread.py")  # fmt: skip
"""The modules (with ``search/``) whose code shapes a cached base: a change rebuilds it."""

RACY_NS = 2_000_000_000
"""A file modified this close to being recorded is hashed again on the next start."""

Status = tuple[int, int, int, int]
"""What a file's status says of its contents: size, mtime and ctime (ns), inode."""


def inputs(root: Name) -> list[str]:
    """Every file a cached base of ``root`` depends on, in a fixed order.

    Raises:
        OSError: When an entry meant to be a fact file cannot be read.
    """
    from explorer.paths import schema_path
    from explorer.walk import TOP_FILES, fact_files

    folder = normal(root)
    files = [join(folder, name) for name in TOP_FILES if os.path.isfile(join(folder, name))]
    files += fact_files(folder) + [schema_path()]
    search = join(CODE, "search")
    names = sorted(os.listdir(search))  # as Path.glob finds them, without its patterns (~0.3 ms)
    code = [join(CODE, name) for name in BUILDERS]
    code += [join(search, n) for n in names if n.endswith(".py")]
    wordnet = [join(search, n) for n in names if n.startswith("wordnet") and n.endswith(".txt")]
    return files + code + wordnet  # the wordnet files: stems the index holds


def status(info: os.stat_result) -> Status:
    """The parts of a file's status that change when its contents do."""
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


@dataclass
class Inputs:
    """The files a base was built from, each with its status and digest, and their key."""

    key: str
    """One digest of every file's path and contents (and the cache's layout)."""
    files: dict[str, tuple[Status | None, str]]
    """Path -> (status when it can vouch for the contents, else None; SHA-256 hex)."""
    tools: str = ""
    """One digest of the schema and the code alone (what parses and checks a file)."""
    hashed: int = 0
    """How many files had to be read to make the key (0: stat calls only)."""

    def to_json(self) -> dict[str, list[object]]:
        """The files as JSON-ready data, for the cache file's header."""
        return {path: [list(info) if info else None, digest]
                for path, (info, digest) in self.files.items()}  # fmt: skip

    @staticmethod
    def known(data: object) -> dict[str, tuple[Status, str]]:
        """The statuses and digests a header recorded (what is not well formed is dropped)."""
        out: dict[str, tuple[Status, str]] = {}
        if not isinstance(data, dict):
            return out
        for path, entry in data.items():
            if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], str)):
                continue
            info = entry[0]
            if isinstance(info, list) and len(info) == 4 and all(type(n) is int for n in info):
                out[str(path)] = ((info[0], info[1], info[2], info[3]), entry[1])
        return out


def key_of(
    files: list[str], layout: bytes, known: dict[str, tuple[Status, str]], root: Name
) -> Inputs:
    """Return the key of ``files``, hashing only those whose status ``known`` cannot vouch for.

    Args:
        files: What the base depends on (`inputs`).
        layout: The cache's format tag, part of the key.
        known: Statuses and digests recorded when the cache was written.
        root: The base's folder: the files outside it are the tools (schema, code).

    Raises:
        OSError: When a file cannot be read or stated.
    """
    digest = sha256(layout)
    tools = sha256(layout)
    now = time.time_ns()
    out: dict[str, tuple[Status | None, str]] = {}
    hashed = 0
    folder = normal(root)
    # The folder, ending in a separator; ``.``'s files are named without it (`join`).
    inside = os.path.join(folder, "") if folder != "." else ""
    for file in files:
        name = os.fsdecode(file)
        info = os.stat(file)
        seen = status(info)
        entry = known.get(name)
        if entry is not None and entry[0] == seen:
            sha = entry[1]
        else:
            with open(file, "rb") as handle:
                sha = file_sha256(handle)
            hashed += 1
        racy = now - max(info.st_mtime_ns, info.st_ctime_ns) < RACY_NS
        out[name] = (None if racy else seen, sha)
        digest.update(os.fsencode(file) + b"\0" + sha.encode())
        # `Path.is_relative_to`, without a Path made per file
        if not name.startswith(inside) or (not inside and os.path.isabs(name)):
            tools.update(os.fsencode(file) + b"\0" + sha.encode())
    return Inputs(digest.hexdigest(), out, tools.hexdigest(), hashed)
