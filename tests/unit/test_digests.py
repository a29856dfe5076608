"""`explorer.digests`: hashlib's digests, a keyed BLAKE2b MAC and json's values, without them."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.digests import MAC_SIZE, compare_digest, file_sha256, json_value, mac, sha256

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(st.binary(min_size=1, max_size=64), st.binary(max_size=80), st.binary())
def test_the_mac_is_blake2b_keyed(key: bytes, header: bytes, body: bytes) -> None:
    mine = mac(key, header, memoryview(body))
    assert mine == hashlib.blake2b(header + body, key=key, digest_size=MAC_SIZE).digest()
    assert len(mine) == MAC_SIZE and compare_digest(mine, mac(key, header + body))
    assert not compare_digest(mine, mine[:-1] + bytes([mine[-1] ^ 1]))


@given(st.binary(min_size=1, max_size=64), st.binary(min_size=1, max_size=64), st.binary())
def test_another_key_makes_another_mac(key: bytes, other: bytes, data: bytes) -> None:
    assert (mac(key, data) == mac(other, data)) == (key == other)


@given(st.binary())
def test_sha256_is_hashlibs(data: bytes) -> None:
    assert sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()


def test_a_files_digest_is_hashlibs(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 300_000)
    with open(path, "rb") as handle:
        assert (
            file_sha256(handle)
            == hashlib.file_digest(io.BytesIO(b"x" * 300_000), "sha256").hexdigest()
        )


@given(json_values, st.sampled_from([None, (",", ":")]))
def test_a_json_value_reads_as_json_reads_it(
    value: object, separators: tuple[str, str] | None
) -> None:
    text = json.dumps(value, separators=separators)
    assert json_value(text) == json.loads(text)


@pytest.mark.parametrize("text", ["", "[1] [2]", "[1", "{'a': 1}", " ", "[1]x", '"\\x"'])
def test_a_text_json_refuses_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        json_value(text)
