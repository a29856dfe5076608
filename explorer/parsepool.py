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
parses the file itself for them (`explorer.loader`). And it sends each fact's
search terms and the fields each is in (`known_masks`), which the index build
takes instead of finding them again: the loader's process keeps the part of a
cold open that spans the whole base.
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

Terms = dict[tuple[str, ...], tuple[tuple[str, ...], bytes]]
"""A fact's indexed texts (claim, quote, `explorer.search.index.shared_texts`) with
their terms and each term's field mask, as `text_masks` finds them."""

Answer = tuple["Parsed", Terms]
"""A worker's parse of a file, with its texts' terms."""

PARALLEL_BYTES = 8 << 20
"""Fact files of fewer bytes than this (about 13k facts) are parsed in the loader alone."""

AHEAD = 4
"""Files handed out ahead of the one whose facts are being built."""

_SIZE = 8


def start(files: list[Path], titles: dict[str, str] | None = None) -> Pool | None:
    """Workers for ``files``, or None when they would not pay (or cannot start).

    ``titles`` are the chapters' titles by id (a fact's terms include its chapter's).

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
        return Pool(workers, titles or {})
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

    def __init__(self, workers: int, titles: dict[str, str] | None = None) -> None:
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
        told = (json.dumps({"titles": titles or {}}, ensure_ascii=True) + "\n").encode()
        for worker in self.workers:
            try:
                assert worker.stdin is not None
                worker.stdin.write(told)
            except (OSError, ValueError):
                pass  # its answers will not come: the loader parses those files itself

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

    def done(self) -> None:
        """Say no more files will be asked for: each worker ends after its last answer,
        while the loader takes the answers, rather than once it asks them to stop."""
        for worker in self.workers:
            try:
                if worker.stdin is not None:
                    worker.stdin.close()
            except OSError:
                pass

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
    """True when a worker's terms are a dict of (terms, masks) of one length each (what
    they hold is our code's: a worker's answer is taken only for the bytes the loader read)."""
    return type(terms) is dict and all(
        type(found) is tuple
        and len(found) == 2
        and type(found[0]) is tuple
        and type(found[1]) is bytes
        and len(found[0]) == len(found[1])
        for found in terms.values()
    )


def known_masks(data: object, titles: dict[str, str]) -> Terms:
    """Each fact of a fact file's data with its terms and their field masks, keyed by its
    indexed texts (claim, quote, then `shared_texts`) as the loader's fact will give them.

    Read from the data as the loader builds a fact (`explorer.loader`); a fact built
    otherwise has other texts, misses its key, and is indexed from its own fields.
    A text met again is the same string object, so the pickle names it once.
    """
    from explorer.loader import figure_of, quote_text
    from explorer.search.fields import figure_text
    from explorer.search.index import text_masks
    from explorer.search.text import term_set

    items = data.get("facts") if isinstance(data, dict) else None
    known: Terms = {}
    if not isinstance(data, dict) or not isinstance(items, list):
        return known
    same: dict[str, str] = {}
    repeated: dict[str, frozenset[str]] = {}
    for item in items:
        try:
            claim, quote = item["claim"], quote_text(item)
            tags = ", ".join(item.get("tags", ()))
            chapter = item.get("chapter", data.get("chapter"))
            shared = (same.setdefault(tags, tags), item.get("section", ""),
                      titles.get(chapter, "") if isinstance(chapter, str) else "",
                      item.get("metric") or "", figure_text(figure_of(item)))  # fmt: skip
            if not all(type(t) is str for t in (claim, quote, *shared)):
                continue
            masks = text_masks(term_set(claim), term_set(quote), shared, repeated)
        except Exception:  # an ill-typed fact: the loader indexes what it makes of it
            continue
        terms = tuple([same.setdefault(t, t) for t in masks])
        known[(claim, quote, *shared)] = (terms, bytes(masks.values()))
    return known


def _answer(
    name: str, schema: str, raw: bytes, whole: bool, titles: dict[str, str] | None = None
) -> tuple[str, Parsed, Terms]:
    """A file's digest, parse (its ids' positions alone unless ``whole``) and terms."""
    from explorer.loader import parse_file
    from explorer.yamlread import Document

    doc, problems = parse_file(name, schema, raw, every=whole)
    terms = known_masks(doc.data, titles or {}) if doc is not None and not problems else {}
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

    titles = json.loads(requests.readline() or "{}").get("titles", {})
    for line in requests:
        name, schema, path, whole = json.loads(line)
        try:
            raw = read_regular(Path(path), MAX_FILE_BYTES)
            found = _answer(name, schema, raw, whole, titles)
            body = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # the loader parses it itself, and says what is wrong
            body = b""
        answers.write(len(body).to_bytes(_SIZE, "big") + body)
        answers.flush()


if __name__ == "__main__":
    import gc

    gc.disable()  # a worker's objects live until pickled: collecting them is waste
    serve(sys.stdin.buffer, sys.stdout.buffer)
    # Every answer is written and flushed: end now, without freeing what the parses made
    # (the loader waits for the workers to end; an interpreter's teardown took ~0.1 s).
    os._exit(0)
