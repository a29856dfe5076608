"""The user's settings: a TOML file in the user's config folder.

``config.toml`` (``$FACT_EXPLORER_CONFIG`` names another file)::

    [cite]
    style = "apa"            # the default citation style: plain, markdown, apa, ...,
                             # a CSL style id (ieee) or a path to a .csl file

    [keys]
    copy-citation = "ctrl+y" # binding id = keys, for the terminal app

A missing file means the defaults; a broken one is an error, never a silent
fallback: an unknown section, setting or binding id, a key Textual never
reports, an empty key, a key given to two bindings. Every problem is reported
at once, each as ``path:line: [table] key = value: what is wrong``, with the
valid choices; the CLI and the app check the same file the same way.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from explorer.files import NotReadable, read_regular
from explorer.keys import (
    DEFAULT_KEYS,
    FIXED_KEYS,
    SCOPE_NAMES,
    SPECS,
    Clash,
    canonical,
    clashes,
    key_problem,
    split_keys,
)

if TYPE_CHECKING:
    # The TOML reader loads only when there is a file to read: most users have none, and
    # the app paints sooner without it (3 ms).
    import tomllib

ENV_CONFIG = "FACT_EXPLORER_CONFIG"
"""Environment variable naming the config file (tests point it into tmp_path)."""

DEFAULT_STYLE = "plain"
"""The citation style when the config names none."""

SECTIONS = {"cite": "the default citation style", "keys": "binding id = keys"}
"""The config's tables and what each holds."""

CITE_SETTINGS = ("style",)
"""The settings of ``[cite]``."""

EXAMPLE_KEYS = '"ctrl+y" or "alt+left,b"'


MAX_CONFIG_BYTES = 1 << 20
"""A config file larger than this is refused unread."""


class ConfigError(Exception):
    """The config file cannot be used; each problem names the file, the line and the key."""

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems = (problems,) if isinstance(problems, str) else tuple(problems)
        """Every problem, one line each, in the file's order."""
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True, slots=True)
class Config:
    """The user's settings, defaults filled in."""

    cite_style: str = DEFAULT_STYLE
    """The default citation style: one of `explorer.cite.STYLES`, a CSL style id, or the
    absolute path of a ``.csl`` file (written relative to the config file's folder)."""
    keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Key bindings by binding id (each one of `explorer.keys.BINDINGS`), as written."""
    path: Path | None = None
    """The file these settings were read from, None when there was none."""


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """Return the config file: ``$FACT_EXPLORER_CONFIG``, else ``config.toml`` in the config folder.

    Args:
        env: The environment to read (default ``os.environ``).
    """
    env = os.environ if env is None else env
    chosen = env.get(ENV_CONFIG)
    from explorer.paths import expand, user_dir

    if chosen:
        return Path(expand(chosen))
    return Path(user_dir("config")) / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """Read and check the user's settings.

    Args:
        path: The file to read; None means `config_path`.

    Returns:
        The settings; the defaults when the file does not exist.

    Raises:
        ConfigError: When the file cannot be read, is not TOML, or holds anything
            but known settings with good values; it lists every problem.
    """
    path = config_path() if path is None else path
    try:
        raw = read_regular(path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        return Config()
    except OSError as err:
        raise ConfigError(f"{path}: cannot read it ({err.strerror or err})") from err
    except NotReadable as err:  # a FIFO would block, /dev/zero never ends
        raise ConfigError(f"{path}: not read: {err}") from err
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: not UTF-8 text ({err.reason})") from err
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(_toml_problem(path, text, err)) from err
    return _Checker(path, text).config(data)


def default_style(path: Path | None = None) -> str:
    """Return the default citation style: the config's, else ``plain``.

    Raises:
        ConfigError: As `load_config`.
    """
    return load_config(path).cite_style


def _toml_problem(path: Path, text: str, err: tomllib.TOMLDecodeError) -> str:
    message = str(getattr(err, "msg", "") or err)
    line, column = getattr(err, "lineno", None), getattr(err, "colno", None)
    found = re.search(r" \(at line (\d+), column (\d+)\)$", message)
    if found:
        line, column = int(found[1]), int(found[2])
    message = re.sub(r" \(at (line \d+, column \d+|end of document)\)$", "", message)
    if line is None:  # at the end of the document
        line, column = max(1, len(text.rstrip("\n").split("\n"))), 1
    return f"{path}:{line}:{column}: not valid TOML: {message}"


class _Checker:
    """Checks parsed settings, collecting every problem with its line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = _Lines(text)
        self.problems: list[tuple[int, str]] = []
        self.written: dict[str, str] = {}
        """Each binding's keys as written, for the clashes' messages."""

    def config(self, data: dict[str, Any]) -> Config:
        for name, value in data.items():
            if name not in SECTIONS:
                self._unknown_section(name, value)
            elif not isinstance(value, dict):
                self.add((name,), f"{_key(name)} = {_toml(value)}", f"[{name}] must be a table")
        style = self._style(_table(data, "cite"))
        keys = self._keys(_table(data, "keys"))
        if self.problems:
            raise ConfigError([text for _line, text in sorted(self.problems, key=lambda p: p[0])])
        return Config(cite_style=style, keys=MappingProxyType(keys), path=self.path)

    def add(self, where: tuple[str, ...], subject: str, problem: str) -> None:
        line = self.lines.of(where)
        self.problems.append((line, f"{self.path}:{line}: {subject}: {problem}"))

    def _unknown_section(self, name: str, value: object) -> None:
        sections = " and ".join(f"[{s}] ({what})" for s, what in SECTIONS.items())
        if isinstance(value, dict):
            subject, problem = f"[{_key(name)}]", "not a section"
        else:
            subject, problem = f"{_key(name)} = {_toml(value)}", "a setting outside any section"
            home = "cite" if name in CITE_SETTINGS else "keys" if name in SPECS else None
            problem += f" (it goes under [{home}])" if home else ""
        hint = _guess(name, list(SECTIONS), "[{}]") if isinstance(value, dict) else ""
        self.add((name,), subject, f"{problem}; {hint}the sections are {sections}")

    def _style(self, cite: dict[str, Any]) -> str:
        from explorer.cite import STYLES, csl_name
        from explorer.styles import available

        for name, value in cite.items():
            if name not in CITE_SETTINGS:
                hint = _guess(name, CITE_SETTINGS)
                subject = f"[cite] {_key(name)} = {_toml(value)}"
                settings = ", ".join(CITE_SETTINGS)
                self.add(("cite", name), subject, f"not a setting; {hint}[cite] has {settings}")
        style = cite.get("style", DEFAULT_STYLE)
        if isinstance(style, str) and style in STYLES:
            return style
        what = "must be a string"
        if isinstance(style, str):
            kept, problem = self._csl_style(style)
            if kept is not None:
                return kept
            what = problem or f"{_toml(style)} is not a citation style"
        ids = ", ".join(csl_name(s) for s in available())
        self.add(
            ("cite", "style"),
            f"[cite] style = {_toml(style)}",
            f"{what}; choose one of {', '.join(STYLES)}, a CSL style ({ids}) "
            "or a path to a .csl file",
        )
        return DEFAULT_STYLE

    def _csl_style(self, style: str) -> tuple[str | None, str | None]:
        """A CSL style to keep (a path made absolute), else what is wrong with its file."""
        from explorer.styles import PREFIX, StyleError, find, looks_like_path

        written = style.removeprefix(PREFIX)
        folder = self.path.parent  # a relative path is read from the config's folder
        try:
            find(style, relative_to=folder)
        except StyleError as err:
            return None, str(err) if looks_like_path(written) else None
        if not looks_like_path(written):
            return style, None
        from explorer.paths import expand

        path = Path(expand(written))
        return str(path if path.is_absolute() else (folder / path).absolute()), None

    def _keys(self, table: dict[str, Any]) -> dict[str, str]:
        good: dict[str, str] = {}
        remaps: dict[str, list[str]] = {}
        for binding, value in table.items():
            subject = f"[keys] {_key(binding)} = {_toml(value)}"
            where = ("keys", binding)
            if binding not in SPECS:
                hint = _guess(binding, list(SPECS))
                ids = ", ".join(SPECS)
                self.add(where, subject, f"no binding has this id; {hint}the ids are {ids}")
            elif not isinstance(value, str):
                self.add(where, subject, f"must be a string of keys, such as {EXAMPLE_KEYS}")
            else:
                keys = self._key_list(where, subject, binding, value)
                if keys:  # else, for the clashes, it keeps its defaults as Textual does
                    remaps[binding], self.written[binding] = keys, value
                if len(keys) == len(split_keys(value)):
                    good[binding] = value
        self._clashes(remaps)
        return good

    def _key_list(
        self, where: tuple[str, ...], subject: str, binding: str, value: str
    ) -> list[str]:
        """Report each bad key of ``value``; return the good ones."""
        keys = split_keys(value)
        default = f"{binding}'s default is {DEFAULT_KEYS[binding]}"
        if not any(keys):
            what = "no key given" if len(keys) == 1 else "only commas, no key"
            self.add(
                where,
                subject,
                f"{what}; write one, such as {EXAMPLE_KEYS}, or delete the line ({default})",
            )
            return []
        if "" in keys:
            self.add(where, subject, "an empty key between commas (the , key is written comma)")
        for key in keys:
            problem = key_problem(key) if key else None
            if problem:
                self.add(where, subject, f"{_toml(key)} is not a key: {problem}")
        return [key for key in keys if key and key_problem(key) is None]

    def _clashes(self, remaps: dict[str, list[str]]) -> None:
        found = clashes(remaps)
        starved = _no_key_to_quit(remaps, found)
        for clash in found:
            subject = f"[keys] {_key(clash.binding)} = {_toml(self.written[clash.binding])}"
            self.add(("keys", clash.binding), subject, self._clash_problem(clash, remaps))
            if starved and "quit" in (clash.binding, clash.other):
                self.problems[-1] = (self.problems[-1][0], self.problems[-1][1] + starved)

    def _clash_problem(self, clash: Clash, remaps: Mapping[str, list[str]]) -> str:
        binding, key = clash.binding, clash.key
        if clash.other is None:
            what = FIXED_KEYS[canonical(key)]
            return (
                f"{key} {what} on every screen (Textual's own key, which cannot be remapped); "
                f"choose another key for {binding}"
            )
        other = SPECS[clash.other]
        if other.id in remaps:
            origin = f"[keys] {other.id}, line {self.lines.of(('keys', other.id))}"
        else:
            origin = "its default"
        if clash.loser is None:
            fate = f"{binding} and {other.id} cannot share it: one of them would never fire"
        else:
            both = other.scope if other.scope != "app" else SPECS[binding].scope
            where = f"{SCOPE_NAMES[both]}, " if both != "app" else ""
            fate = f"{where}{clash.loser} would never fire on it"
        return f"{key} is also the key of {other.id} {SCOPE_NAMES[other.scope]} ({origin}); {fate}"


def _no_key_to_quit(remaps: Mapping[str, list[str]], found: list[Clash]) -> str:
    """A note for the clashes that leave quit without a key of its own, else ``""``."""
    held = {canonical(k) for k in remaps.get("quit", split_keys(DEFAULT_KEYS["quit"]))}
    lost = {
        canonical(c.key)
        for c in found
        if "quit" in (c.binding, c.other) and c.loser in ("quit", None)
    }
    return "; that leaves no key to quit" if held and held <= lost else ""


def _guess(name: str, choices: Sequence[str], wrap: str = "{}") -> str:
    """``"did you mean x? "`` for the closest choices to ``name``, else ``""``."""
    from difflib import get_close_matches

    guesses = [wrap.format(g) for g in get_close_matches(name, choices, n=2)]
    return f"did you mean {' or '.join(guesses)}? " if guesses else ""


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    table = data.get(name, {})
    return table if isinstance(table, dict) else {}


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _key(name: str) -> str:
    """A TOML key as it would be written: bare when it can be."""
    import json

    return name if _BARE_KEY.fullmatch(name) else json.dumps(name, ensure_ascii=False)


def _toml(value: object, limit: int = 60) -> str:
    """A value as TOML writes it, cut short when long."""
    text = _toml_value(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _toml_value(value: object) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (int, float)):
        return repr(value)
    isoformat = getattr(value, "isoformat", None)
    return str(isoformat()) if callable(isoformat) else repr(value)


class _Lines:
    """Finds the line where a key is set: tomllib gives no positions for values.

    The line is where the statement setting the key starts: the first line whose
    prefix of the file parses with the key in it, moved back to the start of its
    statement (a value may span lines) by the last shorter prefix that parses.
    A prefix cut inside a string or array never parses, so dotted and quoted keys,
    inline tables and multi-line values all land on the line that sets them.
    """

    LIMIT = 400
    """Beyond this many lines, each prefix costs too much: scan the text instead."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.parsed: list[tuple[int, dict[str, Any]]] | None = None

    def of(self, where: tuple[str, ...]) -> int:
        """The 1-based line that sets ``where`` (a key path), or 1 when none is found."""
        if len(self.lines) > self.LIMIT:
            return self._scan(where)
        if self.parsed is None:
            self.parsed = list(self._prefixes())
        start = 0
        for end, data in self.parsed:
            if _has(data, where):
                return self._first_statement(start, end)
            start = end
        return 1

    def _prefixes(self) -> Any:
        import tomllib

        for end in range(len(self.lines) + 1):
            try:
                yield end, tomllib.loads("\n".join(self.lines[:end]) + "\n")
            except tomllib.TOMLDecodeError:
                continue

    def _first_statement(self, start: int, end: int) -> int:
        for index in range(start, end):
            stripped = self.lines[index].strip()
            if stripped and not stripped.startswith("#"):
                return index + 1
        return max(end, 1)

    def _scan(self, where: tuple[str, ...]) -> int:
        """The first line naming the last part of ``where`` as a key or table (large files)."""
        name = re.escape(where[-1])
        pattern = re.compile(rf"""^\s*\[*\s*(?:[^=]*\.)?["']?{name}["']?\s*[.=\]]""")
        for index, line in enumerate(self.lines):
            if pattern.match(line):
                return index + 1
        return 1


def _has(data: Any, where: tuple[str, ...]) -> bool:
    for part in where:
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True
