"""A wheel carries the fact base and the bundled CSL styles, and finds them when installed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from explorer.styles import BUNDLED_DIR
from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return next(out.glob("fact_explorer-*.whl"))


def test_wheel_ships_the_facts(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "explorer/facts/sources.yaml" in names
    assert "explorer/facts/schema.json" in names
    assert any(n.startswith("explorer/facts/report/") for n in names)


def test_installed_wheel_finds_its_bundled_base(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = "import explorer; b = explorer.open_factbase(); print(len(b.facts)); print(b.root)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}, check=True,
    )  # fmt: skip
    count, root = out.stdout.split()
    assert int(count) > 0 and Path(root) == site / "explorer" / "facts"


def test_wheel_ships_every_bundled_style_and_the_notice(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in BUNDLED_DIR.glob("*.csl"):
        assert f"explorer/styles/{path.name}" in names
    assert "explorer/styles/LICENSE" in names and "explorer/styles/__init__.py" in names


def test_an_installed_wheel_cites_in_a_bundled_csl_style(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import explorer, explorer.cite as c; b = explorer.open_factbase(); "
        "print(explorer.__file__); "
        "print(c.cite(b, b.get('env-ghg-intensity-2020'), 'ieee').split(chr(10))[-1])"
    )
    paths = [str(site), *(p for p in sys.path if "site-packages" in p)]  # citeproc-py, lxml
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
        env={"PYTHONPATH": ":".join(paths), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=True,
    )  # fmt: skip
    where, last = out.stdout.strip().split("\n")[-2:]
    assert Path(where).is_relative_to(site)
    assert last.startswith("[1] Huawei Investment & Holding Co., Ltd.")
