"""The config's key checks hold for the running app: the clashes it refuses are real ones,
and a broken config stops `fact-explorer` before the app is built."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.config import ENV_CONFIG
from explorer.keys import clashes
from explorer.model import FactBase
from explorer.tui.app import ExplorerApp
from explorer.tui.widgets.results import ResultsList
from tests.app.conftest import FakeClipboard, settle


async def test_a_key_taken_from_quit_copies_and_no_longer_quits(
    small_base: FactBase, clipboard: FakeClipboard
) -> None:
    keymap = {"copy-citation": "ctrl+q"}
    [clash] = clashes({binding: [keys] for binding, keys in keymap.items()})
    assert (clash.other, clash.loser) == ("quit", "quit")
    app = ExplorerApp(small_base, copier=clipboard, keymap=keymap)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.main.open_fact("env-solar")
        app.query_one(ResultsList).focus()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running and len(clipboard.copied) == 1  # quit lost its only key


async def test_a_key_taken_from_the_help_never_fires_in_the_picker(
    small_base: FactBase,
) -> None:
    [clash] = clashes({"close-picker": ["f1"]})
    assert (clash.other, clash.loser) == ("help", "close-picker")
    app = ExplorerApp(small_base, keymap={"close-picker": "f1"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        fact = app.base.get("env-solar")
        assert fact is not None
        app.pick_style(fact)
        await pilot.pause()
        await pilot.press("f1")  # the help, with priority, opens over the picker
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"


async def test_quit_on_a_main_screen_key_never_quits_there(
    small_base: FactBase, clipboard: FakeClipboard
) -> None:
    [clash] = clashes({"quit": ["c"]})
    assert (clash.other, clash.loser) == ("copy-citation", "quit")
    app = ExplorerApp(small_base, copier=clipboard, keymap={"quit": "c"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.main.open_fact("env-solar")
        app.query_one(ResultsList).focus()
        await pilot.press("c")
        await pilot.pause()
        assert app.is_running and len(clipboard.copied) == 1  # copied instead


async def test_a_remap_the_config_accepts_moves_the_key(
    small_base: FactBase, clipboard: FakeClipboard
) -> None:
    assert clashes({"copy-citation": ["ctrl+q"], "quit": ["ctrl+x"]}) == []
    app = ExplorerApp(
        small_base, copier=clipboard, keymap={"copy-citation": "ctrl+q", "quit": "ctrl+x"}
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.main.open_fact("env-solar")
        app.query_one(ResultsList).focus()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running and len(clipboard.copied) == 1
        await pilot.press("ctrl+x")
        await pilot.pause()
        assert not app.is_running


def test_a_broken_config_stops_the_launch_before_the_app_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import explorer.cli as cli

    path = tmp_path / "config.toml"
    path.write_text('[keys]\n\nquit = "notakey+++"\n', encoding="utf-8")
    monkeypatch.setenv(ENV_CONFIG, str(path))
    monkeypatch.setattr(cli, "terminal_problem", lambda: None)
    monkeypatch.setattr(ExplorerApp, "__init__", lambda *a, **k: pytest.fail("app built"))
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f'fact-explorer: {path}:3: [keys] quit = "notakey+++": ')
