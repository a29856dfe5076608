"""The terminal app's key bindings as data: ids, default keys, scopes, and Textual's key names.

The one list of binding ids. The app's screens build their Textual bindings from
`BINDINGS` (see `explorer.tui.screens.bound`), and `explorer.config` checks a
``[keys]`` table against it, without importing Textual: a config is checked the
same way by the CLI and before the app paints.

Key names follow Textual's (``textual/keys.py``, ``textual/_xterm_parser.py``):
a key is one printable character, or modifiers joined by ``+`` to a key name
(``ctrl+y``, ``alt+left``, ``ctrl+question_mark``). Textual compares names as
strings, so a name it never reports (``ctrl+alt+x``: it says ``alt+ctrl+x``)
binds a key that never fires; `key_problem` says so. A test holds these tables
to Textual's own.
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

Scope = Literal["app", "main", "style-picker", "export", "help"]
"""Where a binding is active: the app's are active on every screen."""

SCOPE_NAMES: Mapping[Scope, str] = MappingProxyType(
    {
        "app": "everywhere",
        "main": "on the main screen",
        "style-picker": "in the style picker",
        "export": "in the export dialog",
        "help": "on the help screen",
    }
)
"""How a message names each scope."""


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One remappable binding."""

    id: str
    """The binding id, as ``[keys]`` names it."""
    keys: str
    """Its default keys, Textual's names, comma-separated."""
    scope: Scope
    """Where it is active."""
    priority: bool = False
    """Whether it fires before the focused widget and the screen see the key."""


BINDINGS: tuple[KeySpec, ...] = (
    # Priority, so ? opens the help before the search bar can take it (see SearchBar).
    KeySpec("help", "question_mark,f1", "app", priority=True),
    KeySpec("palette", "ctrl+p", "app"),
    KeySpec("quit", "ctrl+q", "app"),
    KeySpec("focus-search", "slash", "main"),
    KeySpec("escape-to-search", "escape", "main"),
    KeySpec("copy-citation", "c", "main"),
    KeySpec("pick-style", "C", "main"),
    KeySpec("copy-quote", "y", "main"),
    KeySpec("toggle-mark", "space", "main"),
    KeySpec("export", "e", "main"),
    KeySpec("back", "alt+left,left_square_bracket,b", "main"),
    KeySpec("forward", "alt+right,right_square_bracket,f", "main"),
    KeySpec("next-in-section", "n", "main"),
    KeySpec("previous-in-section", "p", "main"),
    KeySpec("show-related", "r", "main"),
    KeySpec("show-chapter", "o", "main"),
    KeySpec("close-picker", "escape", "style-picker"),
    KeySpec("close-export", "escape", "export"),
    KeySpec("close-help", "escape,q,question_mark,f1", "help"),
)
"""Every binding a user can remap, in the help screen's order."""

SPECS: Mapping[str, KeySpec] = MappingProxyType({spec.id: spec for spec in BINDINGS})
"""`BINDINGS` by id."""

DEFAULT_KEYS: Mapping[str, str] = MappingProxyType({spec.id: spec.keys for spec in BINDINGS})
"""Each binding id's default keys."""

SHARED: frozenset[frozenset[str]] = frozenset(
    {
        frozenset({"help", "close-help"}),  # help toggles: both close the help screen
        frozenset({"focus-search", "escape-to-search"}),  # the same action
    }
)
"""Pairs of bindings that may share a key: on it they do the same thing."""

FIXED_KEYS: Mapping[str, str] = MappingProxyType(
    {
        "tab": "moves the focus to the next pane",
        "shift+tab": "moves the focus to the previous pane",
        "ctrl+c": "copies the selected text",
        "super+c": "copies the selected text",
    }
)
"""Textual's own bindings on every screen, which have no id and cannot be remapped
(not its priority ``ctrl+q``: the app's ``quit`` binding takes its place)."""

MODIFIERS = ("alt", "ctrl", "hyper", "meta", "shift", "super")
"""Textual's modifiers, in the order it writes them in a key's name."""

NAMED_KEYS: frozenset[str] = frozenset(
    ["escape", "enter", "return", "tab", "space", "backspace", "insert", "delete",
     "home", "end", "pageup", "pagedown", "up", "down", "left", "right",
     *(f"f{n}" for n in range(1, 36)),
     "print_screen", "pause", "menu", "kp_begin",
     "add", "subtract", "multiply", "divide", "decimal", "equal", "separator",
     "media_play", "media_pause", "media_play_pause", "media_reverse", "media_stop",
     "media_fast_forward", "media_rewind", "media_track_next", "media_track_previous",
     "media_record", "lower_volume", "raise_volume", "mute_volume"]
)  # fmt: skip
"""Textual's names of keys that type no character (``textual.keys.Keys`` and the kitty
protocol's functional keys, less the lock and modifier keys Textual never reports)."""

ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "ctrl+i": "tab",
        "ctrl+m": "enter",
        "ctrl+left_square_brace": "escape",
        "ctrl+space": "ctrl+at",
        "newline": "ctrl+j",
    }
)
"""Names that fire on another key's press (``textual.keys.KEY_ALIASES``, inverted)."""

EXTRA_KEYS = frozenset({"ctrl+@"})
"""Names Textual reports that the rule in `key_problem` does not make (``Keys.ControlAt``)."""

_REPLACEMENTS = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}
"""Textual's shorter names for some characters (``textual.keys.KEY_NAME_REPLACEMENTS``)."""


def character_key(char: str) -> str:
    """Return Textual's name of the key that types ``char``: ``"?"`` -> ``"question_mark"``.

    The same as ``textual.keys._character_to_key``: letters and digits name themselves.
    """
    if char.isalnum():
        return char
    try:
        key = unicodedata.name(char).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        key = "tab" if char == "\t" else char
    return _REPLACEMENTS.get(key, key)


_ASCII_NAMES = {character_key(char): char for char in string.punctuation}


def character_of(name: str) -> str | None:
    """Return the character a key name types (``"question_mark"`` -> ``"?"``), or None."""
    if name in _ASCII_NAMES:
        return _ASCII_NAMES[name]
    try:
        char = unicodedata.lookup(name.replace("_", " ").upper())
    except KeyError:
        return None
    if len(char) != 1 or char.isalnum() or not char.isprintable():
        return None
    return char if character_key(char) == name else None


def normal_key(key: str) -> str:
    """A key as Textual binds it: one character by its name (``"?"`` -> ``"question_mark"``)."""
    key = key.strip()
    return character_key(key) if len(key) == 1 else key


def split_keys(keys: str) -> list[str]:
    """``"alt+left, b"`` -> ``["alt+left", "b"]``, as Textual splits a binding's keys."""
    return [key.strip() for key in keys.split(",")]


def key_problem(key: str) -> str | None:
    """Say why ``key`` (one key, stripped) never fires, or return None when it is a key.

    Returns:
        A sentence naming the fix, or None.
    """
    if len(key) == 1:
        return None if key.isprintable() else "not a printable character"
    if key in EXTRA_KEYS or key in ALIASES or key in NAMED_KEYS or character_of(key):
        return None
    *modifiers, name = key.split("+")
    if "" in modifiers or not name:
        head = key.rstrip("+").split("+")
        if key.endswith("++") and all(part in MODIFIERS for part in head):
            return f"for the + key write {'+'.join(head)}+plus"
        return (
            f"+ joins modifiers ({', '.join(MODIFIERS)}) to a key, as in ctrl+y, "
            "with nothing else around it"
        )
    problem = _modifiers_problem(modifiers, name)
    if problem:
        return problem
    if modifiers == ["shift"] and _is_character(name):
        return "Textual reports shift with a character as the character typed: " + (
            f"write {name.upper()}" if name.isalpha() else "write that character"
        )
    problem = _name_problem(name, modifiers)
    if problem:
        return problem
    ordered = sorted(modifiers, key=MODIFIERS.index)
    if modifiers != ordered:
        return (
            f"Textual names the modifiers in the order {', '.join(MODIFIERS)}: "
            f"write {'+'.join([*ordered, name])}"
        )
    return None


def _is_character(name: str) -> bool:
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    char = character_of(name)
    return char is not None and not char.isspace()


def _modifiers_problem(modifiers: list[str], name: str) -> str | None:
    for modifier in modifiers:
        if modifier in MODIFIERS:
            continue
        if modifier.lower() in MODIFIERS:
            lower = "+".join(m.lower() for m in modifiers)
            return f"modifiers are lower case: write {lower}+{name}"
        if modifier in NAMED_KEYS or len(modifier) == 1 or character_of(modifier):
            return f"{modifier} is a key, not a modifier; only the last part names a key"
        return f"{modifier} is not a modifier; the modifiers are {', '.join(MODIFIERS)}"
    repeated = sorted({m for m in modifiers if modifiers.count(m) > 1})
    return f"{repeated[0]} is given twice" if repeated else None


def _name_problem(name: str, modifiers: Sequence[str]) -> str | None:
    joined = "+".join(modifiers)
    if len(name) == 1:
        if name.isspace() or not name.isprintable():
            return f"spaces are not allowed in a key; for the space bar write {joined}+space"
        if not name.isalnum():
            named = f"{joined}+{character_key(name)}"
            return f"after a modifier a character goes by its name: write {named}"
        if name != name.lower():
            shifted = "+".join([*_with_shift(modifiers), name.lower()])
            return f"Textual reports it as {shifted}: write that"
        return None
    if name in NAMED_KEYS or character_of(name):
        return None
    if name in MODIFIERS:
        return f"{name} is a modifier; add the key it goes with, e.g. {name}+y"
    if name.lower() != name and key_problem(name.lower()) is None:
        return f"key names are lower case: write {'+'.join([*modifiers, name.lower()])}"
    if name != name.strip():
        return "spaces are not allowed in a key"
    from difflib import get_close_matches

    guess = get_close_matches(name, sorted(NAMED_KEYS | _ASCII_NAMES.keys()), n=1)
    hint = f"did you mean {guess[0]}? " if guess else ""
    return f"{hint}{key_names()}"


def _with_shift(modifiers: Sequence[str]) -> list[str]:
    return sorted({*modifiers, "shift"}, key=MODIFIERS.index)


def key_names() -> str:
    """Describe every key name, for a message about a name that is none."""
    named = sorted(NAMED_KEYS - {f"f{n}" for n in range(1, 36)})
    return (
        f"a key is one character, or one of {', '.join(named)}, f1 to f35, or a character's "
        f"name ({', '.join(sorted(_ASCII_NAMES))}); modifiers ({', '.join(MODIFIERS)}) go "
        "before it, joined by +"
    )


def canonical(key: str) -> str:
    """The key a (valid) name fires on, for comparing two bindings: ``"ctrl+i"`` -> ``"tab"``."""
    key = normal_key(key)
    return ALIASES.get(key, key)


def active_together(scope: Scope, other: Scope) -> bool:
    """True when bindings of these two scopes can both take the same key press."""
    return scope == other or "app" in (scope, other)


@dataclass(frozen=True, slots=True)
class Clash:
    """A key a user's remap gives to a binding that another binding already holds."""

    binding: str
    """The remapped binding's id."""
    key: str
    """The key, as the user wrote it."""
    other: str | None
    """The other binding's id, or None when the key is one of `FIXED_KEYS`."""
    loser: str | None = None
    """The binding that would never fire on the key; None when either might."""


def clashes(keymap: Mapping[str, Sequence[str]]) -> list[Clash]:
    """Find every key a remap gives to two bindings active together.

    Only keys a remap adds count: the defaults that share a key do so on purpose.

    Args:
        keymap: Binding ids (known ones) to their new keys, each valid.

    Returns:
        One clash per pair of bindings and key, in the keymap's order.
    """
    held = {
        spec.id: {canonical(k) for k in keymap.get(spec.id, split_keys(spec.keys))}
        for spec in BINDINGS
    }
    found: list[Clash] = []
    seen: set[tuple[frozenset[str], str]] = set()
    for binding, keys in keymap.items():
        spec = SPECS[binding]
        defaults = {canonical(k) for k in split_keys(spec.keys)}
        for key in _unique(keys):
            fired = canonical(key)
            if fired in defaults:
                continue
            if fired in FIXED_KEYS:
                found.append(Clash(binding, key, None))
            for other in _others(spec):
                pair = frozenset({binding, other.id})
                if fired in held[other.id] and pair not in SHARED and (pair, fired) not in seen:
                    seen.add((pair, fired))
                    found.append(_clash(spec, key, other, keymap))
    return found


def _clash(spec: KeySpec, key: str, other: KeySpec, keymap: Mapping[str, Sequence[str]]) -> Clash:
    """The clash, told on the later of the two remaps when both add the key."""
    fired = canonical(key)
    loser = _loser(spec, other, keymap)
    order = list(keymap)
    if other.id in keymap and order.index(other.id) > order.index(spec.id):
        theirs = next(k for k in keymap[other.id] if canonical(k) == fired)
        if fired not in {canonical(k) for k in split_keys(other.keys)}:
            return Clash(other.id, theirs, spec.id, loser)
    return Clash(spec.id, key, other.id, loser)


def _loser(remapped: KeySpec, other: KeySpec, keymap: Mapping[str, object]) -> str | None:
    """Which of two bindings on one key never fires, as Textual picks, or None if either may.

    In one scope the keymap's binding takes the key from a default one; between scopes
    a priority binding of the app wins, else the screen's.
    """
    if remapped.scope == other.scope:
        return None if other.id in keymap else other.id
    app, screen = (remapped, other) if remapped.scope == "app" else (other, remapped)
    return screen.id if app.priority else app.id


def _others(spec: KeySpec) -> Iterable[KeySpec]:
    return (o for o in BINDINGS if o.id != spec.id and active_together(spec.scope, o.scope))


def _unique(keys: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(keys))
