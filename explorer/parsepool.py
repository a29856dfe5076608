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

PARALLEL_BYTES = 8 << 20
"""Fact files of fewer bytes than this (about 13k facts) are parsed in the loader alone."""

AHEAD = 4
"""Files handed out ahead of the one whose facts are being built."""

_SIZE = 8


def start(files: list[Path]) -> Pool | None:
    """Workers for ``files``, or None when they would not pay (or cannot start).

    Handing parses across costs CPU (100k facts: 11.3 s of it serial, 14.6 s
    in workers), which pays only on a core that is free: on a machine whose
    cores are busy already (a load average near their count) the loader parses alone.
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
    """True when other work already keeps the machine's cores busy."""
    try:
        return os.getloadavg()[0] > cores - 0.5
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

    def submit(self, name: str, schema: str, file: Path) -> subprocess.Popen[bytes] | None:
        """Ask a worker to parse ``file``; None when none can be asked."""
        worker = self.workers[self.asked % len(self.workers)]
        self.asked += 1
        try:
            assert worker.stdin is not None
            line = json.dumps([name, schema, os.fsdecode(file)], ensure_ascii=True) + "\n"
            worker.stdin.write(line.encode())
            worker.stdin.flush()
        except (OSError, ValueError):
            return None
        return worker

    def result(self, worker: subprocess.Popen[bytes], raw: bytes) -> Parsed | None:
        """The worker's answer to the oldest question put to it, if it parsed these bytes."""
        from explorer.doccache import _Unpickler

        try:
            assert worker.stdout is not None
            size = int.from_bytes(_exactly(worker.stdout, _SIZE), "big")
            body = _exactly(worker.stdout, size)
            if not body:
                return None
            digest, parsed = _Unpickler(io.BytesIO(body)).load()
        except Exception:  # died, damaged, or named a class it may not: parse here instead
            return None
        return parsed if digest == hashlib.sha256(raw).hexdigest() else None

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


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """A worker's loop: for each file named, its bytes' digest and parse, pickled."""
    from explorer.files import read_regular
    from explorer.loader import MAX_FILE_BYTES, parse_file

    for line in requests:
        name, schema, path = json.loads(line)
        try:
            raw = read_regular(Path(path), MAX_FILE_BYTES)
            found = (hashlib.sha256(raw).hexdigest(), parse_file(name, schema, raw))
            body = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # the loader parses it itself, and says what is wrong
            body = b""
        answers.write(len(body).to_bytes(_SIZE, "big") + body)
        answers.flush()


if __name__ == "__main__":
    import gc

    gc.disable()  # a worker's objects live until pickled: collecting them is waste
    serve(sys.stdin.buffer, sys.stdout.buffer)
