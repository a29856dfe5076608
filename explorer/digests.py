"""SHA-256 and HMAC-SHA256 as `hashlib` and `hmac` make them, and JSON as `json` reads it,
without importing those modules.

A warm ``fact-explorer search`` hashes a few short texts, checks one MAC and
reads one line of JSON. `hashlib` and `hmac` are Python layers over OpenSSL's
`_hashlib`, and `json` one over the C scanner in `_json`; the layers cost the
process ~1.2 ms and ~1.5 ms (json compiles its patterns when imported). Here
the same C functions are called directly: the same digests, the same MACs,
the same values. A Python built without OpenSSL uses `hashlib` and `hmac`.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from io import BufferedReader

try:
    from _hashlib import compare_digest, hmac_new
    from _hashlib import openssl_sha256 as sha256
except ImportError:  # no OpenSSL: hashlib's own SHA-256, hmac's own HMAC
    from hashlib import sha256
    from hmac import compare_digest
    from hmac import new as hmac_new  # type: ignore[assignment]

__all__ = ["compare_digest", "file_sha256", "hmac_new", "json_value", "sha256"]


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
