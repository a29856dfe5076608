"""Fact files parsed in worker processes give the base, and the problems, the loader gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer import loader, parsepool
from explorer.search import search
from tests.unit.test_search import write_search_base


@pytest.fixture
def in_workers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every base, however small, parsed in workers; the files each pool was asked to parse."""
    asked: list[int] = []
    real = parsepool.Pool.close

    def close(pool: parsepool.Pool) -> None:
        asked.append(pool.asked)
        real(pool)

    monkeypatch.setattr(parsepool, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(parsepool, "_busy", lambda cores: False)
    monkeypatch.setattr(parsepool.Pool, "close", close)
    return asked


def serial(root: Path) -> tuple[object, list[str]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parsepool, "start", lambda files: None)
        base, problems = loader.load_factbase(root)
    return base, [str(p) for p in problems]


def test_a_base_parsed_in_workers_is_the_base_parsed_alone(
    tmp_path: Path, in_workers: list[int]
) -> None:
    root = write_search_base(tmp_path / "facts")
    base, problems = loader.load_factbase(root)
    assert in_workers == [3] and problems == []
    assert (base, []) == serial(root)
    assert base is not None and search(base, "greenhouse").hits


def test_problems_found_in_workers_are_said_in_file_order(
    tmp_path: Path, in_workers: list[int]
) -> None:
    root = write_search_base(tmp_path / "facts")
    (root / "report" / "bad.yaml").write_text('source: "report"\nfacts:\n  - {id: "x"}\n')
    (root / "report" / "broken.yaml").write_text("facts: [\n")
    (root / "report" / "latin.yaml").write_bytes(b"\xff\xfe not utf-8")
    base, problems = loader.load_factbase(root)
    assert in_workers and base is not None
    assert [str(p) for p in problems] == serial(root)[1] and len(problems) > 3


def test_a_worker_that_dies_leaves_the_parse_to_the_loader(
    tmp_path: Path, in_workers: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_search_base(tmp_path / "facts")
    real = parsepool.Pool.__init__

    def dying(pool: parsepool.Pool, workers: int) -> None:
        real(pool, workers)
        for worker in pool.workers:
            worker.kill()
            worker.wait()

    monkeypatch.setattr(parsepool.Pool, "__init__", dying)
    assert loader.load_factbase(root) == serial(root)
