"""SHA-256 as `hashlib` makes it, a keyed BLAKE2b MAC, and JSON as `json` reads it,
without importing those modules or OpenSSL.

A warm ``fact-explorer search`` hashes a few short texts, checks one MAC over
its cache file and reads one line of JSON. `hashlib` is a Python layer over
OpenSSL's `_hashlib`, and `json` one over the C scanner in `_json`; loading
OpenSSL costs the process ~2 ms, the layers ~1.2 ms and ~1.5 ms (json
compiles its patterns when imported). Here Python's own C digests are called
directly (`_sha256`: the same digests as OpenSSL's), and the MAC is BLAKE2b
keyed with the secret, which BLAKE2 is made for (RFC 7693): 1.3 ms over the
bundled base's 1.8 MB, where HMAC-SHA256 took 0.9 ms after OpenSSL's 2 ms. A
Python built without them uses `hashlib`'s.
"""

from __future__ import annotations

from _operator import _compare_digest as compare_digest  # hmac.compare_digest's own

TYPE_CHECKING = False
if TYPE_CHECKING:
    from io import BufferedReader

try:
    from _blake2 import blake2b
    from _sha256 import sha256
except ImportError:  # a Python without its own digests: OpenSSL's, through hashlib
    from hashlib import blake2b, sha256

__all__ = ["MAC_SIZE", "compare_digest", "file_sha256", "json_value", "mac", "sha256"]

MAC_SIZE = 32
"""Bytes of a `mac`."""


def mac(key: bytes, *parts: bytes | memoryview) -> bytes:
    """The MAC of ``parts``, one after the other, under ``key`` (at most 64 bytes): BLAKE2b
    keyed with it, 256 bits."""
    check = blake2b(key=key, digest_size=MAC_SIZE)
    for part in parts:
        check.update(part)
    return check.digest()


def file_sha256(handle: BufferedReader) -> str:
    """The SHA-256 (hex) of an open file's contents, as `hashlib.file_digest` reads it."""
    import hashlib  # only a changed file is read: a warm start hashes none

    return hashlib.file_digest(handle, "sha256").hexdigest()


class _Reading:
    """What `json.loads` tells its C scanner: the defaults."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = float  # "NaN", "Infinity", "-Infinity", as json's own table reads them


def json_value(text: str) -> object:
    """``json.loads(text)`` for a text that holds one JSON value and nothing else (no space
    before or after it, as `json.dumps` writes none).

    Raises:
        ValueError: When it is not such a text.
    """
    from _json import make_scanner

    try:
        value, end = make_scanner(_Reading())(text, 0)  # type: ignore[arg-type]
    except StopIteration as stop:  # the scanner's "no value here"
        raise ValueError(f"no JSON value at {stop.value}") from None
    if end != len(text):
        raise ValueError(f"more than one JSON value: more at {end}")
    return value
