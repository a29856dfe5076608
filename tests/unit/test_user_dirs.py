"""`explorer.paths.user_dir` gives platformdirs' folders, with or without platformdirs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import platformdirs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.paths import APP, user_dir

FINDERS = {"cache": platformdirs.user_cache_dir, "config": platformdirs.user_config_dir,
           "data": platformdirs.user_data_dir}  # fmt: skip
VARIABLES = {"cache": "XDG_CACHE_HOME", "config": "XDG_CONFIG_HOME", "data": "XDG_DATA_HOME"}

VALUES = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "relative/dir", "~/dir", "/abs", "/abs/dir/", "//two", "/a b/c"]),
    st.text(st.sampled_from("/ab.~ "), max_size=8),
)
"""An environment variable's value: unset, empty, relative, absolute, odd."""


def _expected(kind: str) -> Path | type[Exception]:
    try:
        return Path(FINDERS[kind](APP, appauthor=False))
    except Exception as err:  # e.g. no home folder to be found
        return type(err)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux shortcut")
@given(kind=st.sampled_from(sorted(FINDERS)), xdg=VALUES, home=VALUES)
def test_user_dir_is_platformdirs_answer(kind: str, xdg: str | None, home: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if k not in (VARIABLES[kind], "HOME")}
    env |= {
        name: value for name, value in ((VARIABLES[kind], xdg), ("HOME", home)) if value is not None
    }
    with mock.patch.dict(os.environ, env, clear=True):
        expected = _expected(kind)
        if isinstance(expected, Path):
            assert user_dir(kind) == str(expected)
        else:
            with pytest.raises(expected):
                user_dir(kind)


def test_a_warm_search_does_not_import_platformdirs(tmp_path: Path) -> None:
    """With a home folder (or the XDG variables) set, nothing needs platformdirs."""
    code = "import sys; from explorer.paths import user_dir; user_dir('cache'); user_dir('data'); "
    code += "print('platformdirs' in sys.modules)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env["HOME"] = str(tmp_path)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True)  # fmt: skip
    assert out.stdout.strip() == ("False" if sys.platform.startswith("linux") else "True")
