"""The cache can never run code or lie: planted, forged, damaged and foreign caches are refused."""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer import cache, loader, open_factbase
from explorer.digests import mac
from explorer.model import FactBase
from explorer.search import search
from tests.unit.test_search import write_search_base

CLAIM = "Huawei emitted 2,285,458 tonnes of greenhouse gas in 2020."
FORGED = "Huawei emitted no greenhouse gas whatsoever in 2020."
FOREIGN = 65534  # nobody


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    return write_search_base(tmp_path / "facts")


@pytest.fixture
def secret_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the secret is kept: tmp_path, never the user's own data folder; no warnings yet."""
    path = tmp_path / "data" / cache.SECRET_NAME
    monkeypatch.setattr(cache, "secret_path", lambda: path)
    monkeypatch.setattr(cache, "_said", set())
    monkeypatch.setattr(cache, "_unread", [])
    return path


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, secret_file: Path) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_CACHE, str(folder))
    return folder


@pytest.fixture
def written(facts: Path, cache_dir: Path, loads: list[Path]) -> Path:
    """The cache file of ``facts``, written by a first open."""
    open_factbase(facts)
    loads.clear()
    (path,) = cache_dir.glob("*.factbase")
    return path


def needs_root() -> None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")


def pickle_start(data: bytes) -> int:
    """Where the pickled state starts: after the header line (and the MAC, when there is one)."""
    end = data.index(b"\n") + 1
    for start in (end, end + 32):
        try:
            if isinstance(pickle.loads(data[start:]), dict):
                return start
        except Exception:
            continue
    raise AssertionError("no pickle in the cache file")


def claims(base: FactBase) -> set[str]:
    return {fact.claim for fact in base.facts}


def answers(base: FactBase) -> list[list[str]]:
    queries = ("greenhouse", "emplyees", "kind:target", "whatsoever", "water 2019")
    return [[hit.fact.id for hit in search(base, q).hits] for q in queries]


def from_files(facts: Path) -> FactBase:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(cache.ENV_CACHE, "off")
        return open_factbase(facts)


class Payload:
    """Creates ``marker`` when unpickled, as a planted cache would run anything."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (str(self.marker), "w"))


@pytest.mark.parametrize("mac", [b"", bytes(32)], ids=["old-layout", "made-up-mac"])
def test_a_planted_payload_never_runs(
    facts: Path, written: Path, tmp_path: Path, loads: list[Path], mac: bytes
) -> None:
    marker = tmp_path / "owned"
    data = written.read_bytes()
    header = data[: data.index(b"\n") + 1]
    written.write_bytes(header + mac + pickle.dumps({"facts": Payload(marker)}))
    base = open_factbase(facts)
    assert not marker.exists() and loads == [facts]
    assert answers(base) == answers(from_files(facts))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG folders")
def test_fact_explorer_search_never_runs_a_planted_cache(facts: Path, tmp_path: Path) -> None:
    env = {**os.environ, cache.ENV_CACHE: str(tmp_path / "cache"), "NO_COLOR": "1"}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")  # the secret, away from the user's own
    command = [sys.executable, "-m", "explorer", "search", "--facts", str(facts), "greenhouse"]
    first = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    (path,) = (tmp_path / "cache").glob("*.factbase")
    data = path.read_bytes()
    marker = tmp_path / "owned"
    path.write_bytes(data[: data.index(b"\n") + 1] + pickle.dumps(Payload(marker)))
    second = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert not marker.exists()
    assert second.returncode == 0 and second.stdout == first.stdout
    assert (tmp_path / "data" / "fact-explorer" / cache.SECRET_NAME).is_file()


def test_a_payload_signed_with_the_secret_still_never_runs(
    facts: Path, written: Path, tmp_path: Path, secret_file: Path, loads: list[Path]
) -> None:
    marker = tmp_path / "owned"
    data = written.read_bytes()
    header = data[: data.index(b"\n") + 1]
    body = pickle.dumps({"facts": Payload(marker)})
    written.write_bytes(header + mac(secret_file.read_bytes(), header, body) + body)
    base = open_factbase(facts)
    assert not marker.exists()
    assert loads == [facts] and CLAIM in claims(base)
    (warning,) = cache.take_warnings()
    assert warning == (
        f"ignoring the cache file {written}: UnpicklingError: io.open is not allowed in a cache"
    )


def test_a_forged_claim_is_never_served(facts: Path, written: Path, loads: list[Path]) -> None:
    data = written.read_bytes()
    start = pickle_start(data)
    state = pickle.loads(data[start:])
    state["facts"] = [tuple(FORGED if v == CLAIM else v for v in row) for row in state["facts"]]
    written.write_bytes(data[:start] + pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    base = open_factbase(facts)
    assert CLAIM in claims(base) and FORGED not in claims(base)
    assert loads == [facts] and not search(base, "whatsoever").hits
    assert cache.take_warnings() == [
        f"ignoring the cache file {written}: it fails its integrity check (damaged or altered); "
        "loading from the fact files"
    ]
    assert CLAIM in claims(open_factbase(facts)) and len(loads) == 1  # rebuilt, then served


def test_a_truncated_cache_is_rebuilt(facts: Path, written: Path, loads: list[Path]) -> None:
    data = written.read_bytes()
    header = data.index(b"\n") + 1
    cuts = [0, 1, header - 1, header, header + 16, header + 32, len(data) // 2, len(data) - 1]
    keyed = data.index(b" ", len(cache.FORMAT) + 1)
    expected = answers(from_files(facts))
    loads.clear()
    for cut in cuts:
        written.write_bytes(data[:cut])
        assert answers(open_factbase(facts)) == expected
        # Whole again: the same layout and key (the rest of the line is the files' statuses,
        # which a rebuild records anew).
        assert written.read_bytes()[:keyed] == data[:keyed]
    assert loads == [facts] * len(cuts)


def test_a_foreign_cache_folder_is_refused(
    facts: Path, written: Path, cache_dir: Path, loads: list[Path]
) -> None:
    needs_root()
    os.chown(cache_dir, FOREIGN, FOREIGN)
    before = written.read_bytes()
    assert CLAIM in claims(open_factbase(facts))
    assert loads == [facts] and written.read_bytes() == before  # neither read nor written
    assert cache.take_warnings() == [
        f"ignoring the cache folder {cache_dir}: it belongs to another user (uid {FOREIGN}); "
        "loading from the fact files"
    ]
    open_factbase(facts)
    assert cache.take_warnings() == []  # said once


def test_a_group_writable_cache_folder_is_refused(
    facts: Path, written: Path, cache_dir: Path, loads: list[Path]
) -> None:
    cache_dir.chmod(0o775)
    assert CLAIM in claims(open_factbase(facts)) and loads == [facts]
    assert cache.take_warnings() == [
        f"ignoring the cache folder {cache_dir}: other users can write it (mode 0775); "
        "loading from the fact files"
    ]
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o775  # the user's choice, left alone


def test_a_missing_cache_folder_is_made_private(
    facts: Path, tmp_path: Path, cache_dir: Path
) -> None:
    old = os.umask(0o002)
    try:
        open_factbase(facts)
    finally:
        os.umask(old)
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700


def test_the_default_folder_left_open_by_an_older_version_is_made_private(
    facts: Path, tmp_path: Path, secret_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "user-cache"
    folder.mkdir(mode=0o775)
    folder.chmod(0o775)
    monkeypatch.delenv(cache.ENV_CACHE, raising=False)
    monkeypatch.setattr("explorer.paths.user_dir", lambda kind: tmp_path / f"user-{kind}")
    open_factbase(facts)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert list(folder.glob("*.factbase")) and cache.take_warnings() == []


@pytest.mark.parametrize("how", ["foreign", "writable", "symlink", "folder"])
def test_a_cache_file_not_the_users_alone_is_refused_and_replaced(
    facts: Path, written: Path, tmp_path: Path, loads: list[Path], how: str
) -> None:
    if how == "foreign":
        needs_root()
        os.chown(written, FOREIGN, FOREIGN)
        why = f"it belongs to another user (uid {FOREIGN})"
    elif how == "writable":
        written.chmod(0o666)
        why = "other users can write it (mode 0666)"
    elif how == "symlink":
        elsewhere = tmp_path / "elsewhere.factbase"
        written.rename(elsewhere)
        written.symlink_to(elsewhere)
        why = "it is a symbolic link"
    else:
        written.unlink()
        written.mkdir()
        why = "it is not a regular file"
    assert CLAIM in claims(open_factbase(facts)) and loads == [facts]
    assert cache.take_warnings() == [
        f"ignoring the cache file {written}: {why}; loading from the fact files"
    ]
    if how != "folder":
        assert not written.is_symlink() and written.stat().st_uid == os.geteuid()
        assert CLAIM in claims(open_factbase(facts)) and loads == [facts]  # the new one served


def test_the_secret_is_made_private_once(facts: Path, cache_dir: Path, secret_file: Path) -> None:
    open_factbase(facts)
    secret = secret_file.read_bytes()
    assert len(secret) == 32 and stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(secret_file.parent.stat().st_mode) == 0o700
    open_factbase(facts)
    assert secret_file.read_bytes() == secret


@pytest.mark.parametrize("how", ["readable", "symlink", "hardlink", "short", "foreign"])
def test_a_secret_not_the_users_alone_turns_caching_off(
    facts: Path, cache_dir: Path, secret_file: Path, loads: list[Path], how: str
) -> None:
    secret_file.parent.mkdir()
    real = secret_file.parent / "real"
    real.write_bytes(os.urandom(32))
    real.chmod(0o600)
    why = {
        "readable": "other users can read or write it (mode 0644)",
        "symlink": "it is a symbolic link",
        "hardlink": "it has other names (hard links)",
        "short": "it is damaged (delete it to make a new one)",
        "foreign": f"it belongs to another user (uid {FOREIGN})",
    }[how]
    if how == "symlink":
        secret_file.symlink_to(real)
    elif how == "hardlink":
        os.link(real, secret_file)
    else:
        real.rename(secret_file)
    if how == "readable":
        secret_file.chmod(0o644)
    elif how == "short":
        secret_file.write_bytes(b"x" * 31)
    elif how == "foreign":
        needs_root()
        os.chown(secret_file, FOREIGN, FOREIGN)
    for _ in range(2):
        assert CLAIM in claims(open_factbase(facts))
    assert loads == [facts, facts] and not cache_dir.exists()
    assert cache.take_warnings() == [
        f"caching off: the cache secret {secret_file} cannot be trusted: {why}"
    ]


def test_a_secret_being_made_by_another_process_turns_caching_off_quietly(
    facts: Path, cache_dir: Path, secret_file: Path, loads: list[Path]
) -> None:
    secret_file.parent.mkdir(mode=0o700)
    os.close(os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # not written yet
    assert CLAIM in claims(open_factbase(facts))
    assert loads == [facts] and not cache_dir.exists() and cache.take_warnings() == []


def test_a_secret_that_cannot_be_made_turns_caching_off_quietly(
    facts: Path, cache_dir: Path, secret_file: Path, loads: list[Path]
) -> None:
    secret_file.parent.write_text("a file where the data folder should be")
    assert CLAIM in claims(open_factbase(facts))
    assert loads == [facts] and not cache_dir.exists() and cache.take_warnings() == []


def test_another_secret_rebuilds_the_cache(
    facts: Path, written: Path, secret_file: Path, loads: list[Path]
) -> None:
    secret_file.write_bytes(os.urandom(32))
    assert CLAIM in claims(open_factbase(facts)) and loads == [facts]
    assert CLAIM in claims(open_factbase(facts)) and loads == [facts]


def test_a_fact_folder_whose_name_is_not_utf8_is_cached(
    tmp_path: Path, cache_dir: Path, loads: list[Path]
) -> None:
    root = write_search_base(tmp_path / os.fsdecode(b"facts-\xff"))
    first = open_factbase(root)
    second = open_factbase(root)
    assert loads == [root] and second.facts == first.facts
    assert answers(second) == answers(first)


def test_the_real_base_comes_back_from_the_cache(cache_dir: Path, loads: list[Path]) -> None:
    from tests.conftest import FACTS

    fresh = open_factbase(FACTS)
    cached = open_factbase(FACTS)  # every class in it is allowed
    assert loads == [FACTS] and cached.facts == fresh.facts and cache.take_warnings() == []
    assert answers(cached) == answers(fresh)


def test_a_warning_is_one_printable_line_said_once(
    facts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, secret_file: Path
) -> None:
    folder = tmp_path / os.fsdecode(b"shared\n\xff")
    folder.mkdir()
    folder.chmod(0o777)
    monkeypatch.setenv(cache.ENV_CACHE, str(folder))
    open_factbase(facts)
    open_factbase(facts)
    assert cache.take_warnings() == [
        f"ignoring the cache folder {tmp_path}/shared\\n\\xff: other users can write it "
        "(mode 0777); loading from the fact files"
    ]
    assert cache.take_warnings() == []


# One base and one valid cache file for every example below.
@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, bytes]]:
    tmp = tmp_path_factory.mktemp("signed")
    facts = write_search_base(tmp / "facts")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(cache.ENV_CACHE, str(tmp / "cache"))
        patch.setattr(cache, "secret_path", lambda: tmp / "data" / cache.SECRET_NAME)
        patch.setattr(cache, "_said", set())
        patch.setattr(cache, "_unread", [])
        open_factbase(facts)
        (path,) = (tmp / "cache").glob("*.factbase")
        yield facts, path, path.read_bytes()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_other_bytes_in_the_cache_are_never_served(
    signed: tuple[Path, Path, bytes], data: st.DataObject
) -> None:
    facts, path, valid = signed
    size = len(valid)
    header = valid.index(b"\n") + 1
    near = st.integers(0, min(size - 1, header + 64))  # the header, the MAC, the pickle's start
    where = st.one_of(near, st.integers(0, size - 1))
    change = data.draw(st.sampled_from(["flip", "cut", "append", "splice", "replace"]))
    if change == "flip":
        at, bits = data.draw(where), data.draw(st.integers(1, 255))
        mutated = valid[:at] + bytes([valid[at] ^ bits]) + valid[at + 1 :]
    elif change == "cut":
        mutated = valid[: data.draw(where)]
    elif change == "append":
        mutated = valid + data.draw(st.binary(min_size=1, max_size=64))
    elif change == "splice":
        at = data.draw(where)
        mutated = valid[:at] + data.draw(st.binary(min_size=1, max_size=64)) + valid[at:]
    else:
        mutated = data.draw(st.binary(max_size=256).filter(lambda b: b != valid))
    path.write_bytes(mutated)
    done: list[Path] = []

    def load(root: str) -> FactBase:
        done.append(Path(root))
        return loader._load_strict(root)

    base = cache.cached(facts, load)
    assert done == [facts]  # from the files, never from the changed cache
    assert CLAIM in claims(base) and len(base.facts) == 8
