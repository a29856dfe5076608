"""`explorer.digests`: hashlib's digests, hmac's MACs and json's values, without those modules."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.digests import compare_digest, file_sha256, hmac_new, json_value, sha256

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(st.binary(), st.binary(max_size=80), st.binary())
def test_the_mac_is_hmacs(key: bytes, header: bytes, body: bytes) -> None:
    mine = hmac_new(key, header, digestmod="sha256")
    mine.update(memoryview(body))
    theirs = hmac.new(key, header, "sha256")
    theirs.update(body)
    assert mine.digest() == theirs.digest()
    assert compare_digest(mine.digest(), theirs.digest())
    altered = theirs.digest()[:-1] + bytes([theirs.digest()[-1] ^ 1])
    assert not compare_digest(mine.digest(), altered)


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
