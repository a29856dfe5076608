"""The user's settings: a TOML file in the user's config folder.

``config.toml`` (``$FACT_EXPLORER_CONFIG`` names another file)::

    [cite]
    style = "apa"            # the default citation style: plain, markdown, apa, ...

    [keys]
    copy-citation = "ctrl+y" # binding id = keys, for the terminal app

A missing file means the defaults; a broken one is an error that names the
file and the problem, never a silent fallback.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

ENV_CONFIG = "FACT_EXPLORER_CONFIG"
"""Environment variable naming the config file (tests point it into tmp_path)."""

DEFAULT_STYLE = "plain"
"""The citation style when the config names none."""


class ConfigError(Exception):
    """The config file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class Config:
    """The user's settings, defaults filled in."""

    cite_style: str = DEFAULT_STYLE
    """The default citation style, one of `explorer.cite.STYLES`."""
    keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Key bindings by binding id, for the terminal app."""
    path: Path | None = None
    """The file these settings were read from, None when there was none."""


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """Return the config file: ``$FACT_EXPLORER_CONFIG``, else ``config.toml`` in the config folder.

    Args:
        env: The environment to read (default ``os.environ``).
    """
    env = os.environ if env is None else env
    chosen = env.get(ENV_CONFIG)
    if chosen:
        return Path(chosen).expanduser()
    from explorer.paths import user_dir

    return user_dir("config") / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """Read the user's settings.

    Args:
        path: The file to read; None means `config_path`.

    Returns:
        The settings; the defaults when the file does not exist.

    Raises:
        ConfigError: When the file cannot be read, is not TOML, or holds a bad value.
    """
    path = config_path() if path is None else path
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read it ({err})") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from err
    return Config(cite_style=_style(path, data), keys=_keys(path, data), path=path)


def default_style(path: Path | None = None) -> str:
    """Return the default citation style: the config's, else ``plain``.

    Raises:
        ConfigError: As `load_config`.
    """
    return load_config(path).cite_style


def _table(path: Path, data: dict[str, Any], name: str) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    return table


def _style(path: Path, data: dict[str, Any]) -> str:
    from explorer.cite import STYLES

    style = _table(path, data, "cite").get("style", DEFAULT_STYLE)
    if not isinstance(style, str) or style not in STYLES:
        raise ConfigError(
            f"{path}: [cite] style = {style!r} is not a citation style; "
            f"choose one of {', '.join(STYLES)}"
        )
    return str(style)


def _keys(path: Path, data: dict[str, Any]) -> Mapping[str, str]:
    keys = _table(path, data, "keys")
    bad = [name for name, value in keys.items() if not isinstance(value, str)]
    if bad:
        raise ConfigError(f'{path}: [keys] {bad[0]} must be a string such as "ctrl+y"')
    return MappingProxyType(dict(keys))
