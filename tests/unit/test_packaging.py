"""A wheel carries the fact base and finds it when installed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

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
