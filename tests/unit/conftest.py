"""Fixtures the cache tests share: a private cache folder, and a count of loads from files."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer import cache, loader
from explorer.model import FactBase


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder in tmp_path, signed with a secret kept there too, and no warnings yet."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_CACHE, str(folder))
    monkeypatch.setattr(cache, "secret_path", lambda: tmp_path / "data" / cache.SECRET_NAME)
    monkeypatch.setattr(cache, "_said", set())
    monkeypatch.setattr(cache, "_unread", [])
    return folder


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every load from the fact files, in order (the cache answered when none)."""
    done: list[Path] = []
    strict = loader._load_strict

    def counted(root: str | Path) -> FactBase:
        done.append(Path(root))  # the cache names it as text
        return strict(root)

    monkeypatch.setattr(loader, "_load_strict", counted)
    return done
