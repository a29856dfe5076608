"""Fact files parsed in worker processes, so a large base's cold open uses both cores.

Parsing and validating is pure Python under the GIL: threads would take
turns, processes run side by side. The loader names each file to a worker
(``python -m explorer.parsepool``, a fresh interpreter: no fork of a process
that may have threads, no re-run of the caller's main module) and goes on
building the facts of the files before it. A worker reads the file, parses
and validates it, and answers with the parse and the SHA-256 of the bytes it
read, pickled; the loader unpickles that with the same restricted unpickler as
a kept parse (`explorer.doccache`), so even a worker gone wrong cannot make it
run code, and takes the parse only if the worker read the bytes the loader
read. Starting workers costs ~0.2 s, so only a base of at least
`PARALLEL_BYTES` of fact files is parsed this way; anything a worker cannot do
(it died, would not start, read other bytes) the loader does itself.

Two more things ride along, so the loader's own process (the one that waits
for the index) does less. Unless the parse is to be kept, a worker sends only
the positions of its facts' ids: the others, a third of the pickle and more of
its cost, serve only to place a problem the loader finds, and the loader then
parses the file itself for them (`explorer.loader`). And it sends each claim's
and quote's search terms (`known_terms`), which the index build takes instead
of finding them again.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from explorer.loader import Parsed

Terms = dict[str, tuple[str, ...]]
"""Texts (claims and quotes) with their search terms."""

Answer = tuple["Parsed", Terms]
"""A worker's parse of a file, with its texts' terms."""

PARALLEL_BYTES = 8 << 20
"""Fact files of fewer bytes than this (about 13k facts) are parsed in the loader alone."""

AHEAD = 4
"""Files handed out ahead of the one whose facts are being built."""

_SIZE = 8


def start(files: list[Path]) -> Pool | None:
    """Workers for ``files``, or None when they would not pay (or cannot start).

    Handing parses across costs CPU (100k facts: 16.3 s of it serial, 19.8 s
    with workers), which pays while the workers get more of the cores than the
    loader alone would. On 2 cores with other work holding a load average of
    1.5-2 they still did (a 100k open 12.8 s against 16.3 s serial, 3 pairs),
    so the loader parses alone only once the load average is half a core past
    their count: the workers would then mostly take their time from the others.
    """
    workers = min(2, os.cpu_count() or 1)
    if workers < 2 or _busy(workers):
        return None
    total = 0
    for file in files:
        try:
            total += file.stat().st_size
        except OSError:
            continue  # the loader says why when it reads it
    if total < PARALLEL_BYTES:
        return None
    try:
        return Pool(workers)
    except OSError:
        return None


def _busy(cores: int) -> bool:
    """True when other work already keeps the machine's cores more than busy."""
    try:
        return os.getloadavg()[0] > cores + 0.5
    except OSError:  # not known here: assume the cores are free
        return False


class Pool:
    """Worker processes that parse fact files, each answering in the order it was asked."""

    def __init__(self, workers: int) -> None:
        here = str(Path(__file__).resolve().parent.parent)  # found as it was found here
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": here + (os.pathsep + path if path else "")}
        self.workers = [
            subprocess.Popen(
                [sys.executable, "-m", "explorer.parsepool"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )  # fmt: skip
            for _ in range(workers)
        ]
        self.asked = 0

    def submit(
        self, name: str, schema: str, file: Path, whole: bool = True
    ) -> subprocess.Popen[bytes] | None:
        """Ask a worker to parse ``file``; None when none can be asked.

        Args:
            name: The file as the user named it (for the problems).
            schema: Which of the schema's definitions the file follows.
            file: The file.
            whole: False when the document's positions other than its facts' ids
                may be left out (see the module's docstring).
        """
        worker = self.workers[self.asked % len(self.workers)]
        self.asked += 1
        try:
            assert worker.stdin is not None
            asked = [name, schema, os.fsdecode(file), whole]
            line = json.dumps(asked, ensure_ascii=True) + "\n"
            worker.stdin.write(line.encode())
            worker.stdin.flush()
        except (OSError, ValueError):
            return None
        return worker

    def result(self, worker: subprocess.Popen[bytes], raw: bytes) -> Answer | None:
        """The worker's answer to the oldest question put to it, if it parsed these bytes."""
        from explorer.doccache import _Unpickler

        try:
            assert worker.stdout is not None
            size = int.from_bytes(_exactly(worker.stdout, _SIZE), "big")
            body = _exactly(worker.stdout, size)
            if not body:
                return None
            digest, parsed, terms = _Unpickler(io.BytesIO(body)).load()
        except Exception:  # died, damaged, or named a class it may not: parse here instead
            return None
        if digest != hashlib.sha256(raw).hexdigest() or not _terms_shaped(terms):
            return None
        return parsed, terms

    def close(self) -> None:
        """Stop the workers."""
        for worker in self.workers:
            try:
                if worker.stdin is not None:
                    worker.stdin.close()
                worker.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                worker.kill()
                worker.wait()
            if worker.stdout is not None:
                worker.stdout.close()


def _exactly(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError("the worker stopped")
    return data


def _terms_shaped(terms: object) -> bool:
    """True when a worker's terms are a dict of tuples (what they hold is our code's: a
    worker's answer is taken only for the bytes the loader read)."""
    return type(terms) is dict and all(type(found) is tuple for found in terms.values())


def known_terms(data: object) -> dict[str, tuple[str, ...]]:
    """Each claim and quote of a fact file's data with its search terms (`term_set`'s).

    A term met again is the same string object, so the pickle names it once.
    """
    from explorer.loader import quote_text
    from explorer.search.text import term_set

    items = data.get("facts") if isinstance(data, dict) else None
    known: dict[str, tuple[str, ...]] = {}
    if not isinstance(items, list):
        return known
    same: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        for text in (item.get("claim"), quote_text(item)):
            if isinstance(text, str) and text and text not in known:
                known[text] = tuple([same.setdefault(t, t) for t in term_set(text)])
    return known


def _answer(name: str, schema: str, raw: bytes, whole: bool) -> tuple[str, Parsed, Terms]:
    """A file's digest, parse (its ids' positions alone unless ``whole``) and terms."""
    from explorer.loader import parse_file
    from explorer.yamlread import Document

    doc, problems = parse_file(name, schema, raw, every=whole)
    terms = known_terms(doc.data) if doc is not None else {}
    if doc is not None and not whole:
        marks: dict[tuple[str | int, ...], tuple[int, int]] = {
            p: m for p, m in doc.marks.items() if len(p) == 3 and p[2] == "id"
        }
        doc = Document(doc.data, marks, {})
    return hashlib.sha256(raw).hexdigest(), (doc, problems), terms


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """A worker's loop: for each file named, its bytes' digest, parse and terms, pickled."""
    from explorer.files import read_regular
    from explorer.loader import MAX_FILE_BYTES

    for line in requests:
        name, schema, path, whole = json.loads(line)
        try:
            raw = read_regular(Path(path), MAX_FILE_BYTES)
            found = _answer(name, schema, raw, whole)
            body = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # the loader parses it itself, and says what is wrong
            body = b""
        answers.write(len(body).to_bytes(_SIZE, "big") + body)
        answers.flush()


if __name__ == "__main__":
    import gc

    gc.disable()  # a worker's objects live until pickled: collecting them is waste
    serve(sys.stdin.buffer, sys.stdout.buffer)
