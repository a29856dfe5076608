"""The schema's ``fact_file`` definition checked by hand: a quick "valid" for nearly every file.

`explorer.loader.schema_accepts` asks `fact_file` first; only its False goes on
to fastjsonschema (and a refusal there to jsonschema, for the messages). The
code fastjsonschema generates spends most of its time on what a valid file
does not need: per fact it formats a name with ``.format(**locals())``, copies
the keys into a set three times (once per ``allOf`` clause) and calls a
function per text. Over the 100k synthetic base's files (`benchmarks.factcheck`)
this check takes ~3.4-3.6 us per fact where fastjsonschema's takes ~13.6-14.9
(medians of 7 rounds, the two alternating in one process, in each of 3 runs).

It is sound, not complete: True only for data that jsonschema and fastjsonschema
both accept. So types are exact (``type(x) is str``: a subclass, a tuple for a
list, a `~explorer.yamlread.Bare` value, a bool for a number, all get False
and the slow path's verdict), and each pattern is compiled as fastjsonschema
compiles it: ``$`` as ``\\Z``, which refuses a trailing newline that
jsonschema's ``$`` lets through, so a match here is a match for both.

What it mirrors is pinned: `DIGEST` is the sha256 of the JSON of the `MIRRORED`
definitions. The loader uses this check only while the bundled schema's hash
to it (`pinned`), and a test fails when they do not: edit the schema, then
this check to match, then the digest.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from explorer.yamlread import RawFloat, RawInt

MIRRORED = ("fact_file", "fact", "quote", "text", "texts", "id")
"""The schema's definitions this check stands for: ``fact_file`` and all it refers to."""

DIGEST = "5909befcd50594e8fa7a01e3ad4cb4529b39527317eb9797b9dadab01d2bb87c"
"""sha256 of `MIRRORED`'s definitions as `digest` writes them, when this check was last
made to match them."""


def digest(defs: dict[str, Any]) -> str:
    """The sha256 of the `MIRRORED` definitions of ``defs`` (the schema's ``$defs``)."""
    mirrored = {name: defs.get(name) for name in MIRRORED}
    text = json.dumps(mirrored, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def pinned(defs: dict[str, Any]) -> bool:
    """True when ``defs`` holds the definitions this check was written for."""
    return digest(defs) == DIGEST


def _pattern(pattern: str) -> Any:
    """A schema ``pattern``'s search, compiled as fastjsonschema compiles it (``$`` as ``\\Z``)."""
    return re.compile(re.sub(r"(?<!\\)\$", r"\\Z", pattern)).search


PATTERNS = {
    "id": r"^[a-z0-9]+(-[a-z0-9]+)*$",
    "fact.period": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?(/[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?$",
    "fact.metric": r"^[a-z0-9_]+([.-][a-z0-9_]+)*$",
    "fact.gri": r"^[0-9]{3}-[0-9]{1,2}[a-z]?$",
    "fact.series": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?(/[0-9]{4})?$",
}
"""The schema's patterns, copied (a test compares them with the schema's), by where they stand."""

_ID = _pattern(PATTERNS["id"])
_PERIOD = _pattern(PATTERNS["fact.period"])
_METRIC = _pattern(PATTERNS["fact.metric"])
_GRI = _pattern(PATTERNS["fact.gri"])
_SERIES_KEY = _pattern(PATTERNS["fact.series"])
# The texts' ``minLength: 1`` and ``pattern: "\\S"`` are taken as ``value and not
# value.isspace()``: re's ``\s`` on text is str.isspace's whitespace (its docs say so, and a
# test holds the two to it over every code point), and the method is ~5x cheaper than a
# search, paid ~8 times per fact.

_NUMBER = frozenset({int, float, RawInt, RawFloat})
"""The types taken for a JSON number: not bool (both validators refuse it), not `Bare`."""

_FILE_KEYS = frozenset({"source", "chapter", "facts"})
_REQUIRED = frozenset({"id", "kind", "claim", "quote", "assurance"})
_MEASURED = frozenset({"figure", "table", "target"})
_MEASURES = frozenset({"as_printed", "value", "unit"})
_RELATED_KEYS = frozenset({"id", "rel"})
_RELS = frozenset(
    {"same-metric", "breakdown-of", "part-of", "target-of", "supports", "conflicts", "see-also"}
)

# How each field of a fact is checked: an enum is the frozenset of its choices.
_TEXT, _IDENT, _NUM, _QUOTE, _TEXTS, _FORM, _GRIS, _RELATED, _SERIES = range(9)
_FIELDS: dict[str, int | frozenset[str]] = {
    "id": _IDENT,
    "kind": frozenset({"figure", "table", "target", "statement", "award", "event", "moment"}),
    "claim": _TEXT,
    "quote": _QUOTE,
    "source": _IDENT,
    "chapter": _IDENT,
    "section": _TEXT,
    "as_printed": _TEXT,
    "value": _NUM,
    "upper": _NUM,
    "unit": _TEXT,
    "qualifier": frozenset(
        {"exact", "about", "nearly", "more-than", "at-least", "less-than", "up-to"}
    ),
    "period": _FORM,
    "metric": _FORM,
    "scope": _TEXT,
    "tags": _TEXTS,
    "gri": _GRIS,
    "related": _RELATED,
    "assurance": frozenset({"assured", "excluded-positional", "excluded-financial", "not-covered"}),
    "notes": _TEXT,
    "page": _TEXT,
    "series": _SERIES,
    "status": frozenset({"achieved", "on-track", "not-achieved"}),
    "actual": _TEXT,
    "review": frozenset({"pending"}),
}
_FORMS = {"period": _PERIOD, "metric": _METRIC}


def fact_file(data: Any) -> bool:
    """True when ``data`` follows the schema's ``fact_file``; False when it may not."""
    if type(data) is not dict or "facts" not in data or not data.keys() <= _FILE_KEYS:
        return False
    for key in ("source", "chapter"):
        if key in data:
            value = data[key]
            if type(value) is not str or not _ID(value):
                return False
    facts = data["facts"]
    if type(facts) is not list:
        return False
    for fact in facts:
        if not _fact(fact):
            return False
    return True


def _fact(fact: Any) -> bool:
    if type(fact) is not dict:
        return False
    keys = fact.keys()
    if not _REQUIRED <= keys:
        return False
    for key, value in fact.items():
        rule = _FIELDS.get(key)
        if rule is None:
            return False  # not a field of a fact (additionalProperties: false)
        if rule is _TEXT:
            if type(value) is not str or not value or value.isspace():
                return False
        elif type(rule) is frozenset:
            if type(value) is not str or value not in rule:
                return False
        elif rule is _IDENT:
            if type(value) is not str or not _ID(value):
                return False
        elif rule is _NUM:
            if type(value) not in _NUMBER:
                return False
        elif rule is _QUOTE:
            if type(value) is str:
                if not value or value.isspace():
                    return False
            elif type(value) is not list or not 2 <= len(value) <= 4 or not _texts(value):
                return False
        elif rule is _TEXTS:
            if type(value) is not list or not _texts(value):
                return False
        elif rule is _FORM:
            if type(value) is not str or not _FORMS[key](value):
                return False
        elif rule is _GRIS:
            if type(value) is not list:
                return False
            for code in value:
                if type(code) is not str or not _GRI(code):
                    return False
        elif rule is _RELATED:
            if not _related(value):
                return False
        elif not _series(value):
            return False
    kind = fact["kind"]
    if kind in _MEASURED and not _MEASURES <= keys:
        return False
    return kind != "table" or "series" in fact


def _texts(values: list[Any]) -> bool:
    for value in values:
        if type(value) is not str or not value or value.isspace():
            return False
    return True


def _related(value: Any) -> bool:
    if type(value) is not list:
        return False
    for link in value:
        if type(link) is not dict or link.keys() != _RELATED_KEYS:
            return False
        ident, rel = link["id"], link["rel"]
        if type(ident) is not str or not _ID(ident) or type(rel) is not str or rel not in _RELS:
            return False
    return True


def _series(value: Any) -> bool:
    if type(value) is not dict or not value:
        return False
    for period, number in value.items():
        if type(period) is not str or not _SERIES_KEY(period) or type(number) not in _NUMBER:
            return False
    return True
