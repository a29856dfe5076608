"""Shared fixtures: tiny fact bases built in tmp_path, and the real one."""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parent.parent
FACTS = REPO / "facts"
SOURCES = REPO.parent / "shared" / "sources"

CHAPTERS = """\
chapters:
  - id: "ch4"
    source: "report"
    number: "4"
    title: "Environmental Protection"
    summary: "How Huawei cuts its emissions."
    sections:
      - "Reducing Carbon Emissions"
      - "Promoting Renewable Energy"
  - id: "moments"
    source: "moments"
    title: "20 Moments of 2020"
    summary: "Twenty moments."
    sections:
      - "20 Moments of 2020"
"""

GOOD_FACT = """\
source: "report"
chapter: "ch4"
facts:
  - id: "env-ghg-total-2020"
    kind: "figure"
    claim: "Huawei emitted 2,285,458 tonnes of CO2 in 2020."
    quote: "Emissions (t-CO2) 41,736 2,243,722 2,285,458"
    section: "Reducing Carbon Emissions"
    as_printed: "2,285,458"
    value: 2285458
    unit: "t CO2e"
    period: "2020"
    metric: "ghg.total"
    tags: ["ghg"]
    assurance: "assured"
"""


def make_base(root: Path, facts: dict[str, str] | None = None) -> Path:
    """Write a small fact base: the real sources.yaml, two chapters, given fact files.

    Args:
        root: Folder to write into.
        facts: Fact files by path relative to the base; default one good fact.
    """
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(FACTS / "sources.yaml", root / "sources.yaml")
    (root / "chapters.yaml").write_text(CHAPTERS, encoding="utf-8")
    for name, text in (facts if facts is not None else {"report/ch4.yaml": GOOD_FACT}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def pytest_configure(config: pytest.Config) -> None:
    """The suite never writes to the user's own folders: cache, config and data go to a temp one."""
    home = Path(tempfile.mkdtemp(prefix="fact-explorer-tests-"))
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        (home / name).mkdir(mode=0o700)
        os.environ[name] = str(home / name)


@pytest.fixture
def tiny_base(tmp_path: Path) -> Path:
    """A valid one-fact base in tmp_path."""
    return make_base(tmp_path / "facts")


@pytest.fixture
def sources_dir() -> Path:
    """The shared source texts, or skip when this checkout has none beside it."""
    if not SOURCES.is_dir():
        pytest.skip(f"source texts not found at {SOURCES}")
    return SOURCES


# Property tests that name no count of their own run 150 examples in CI, the
# same ones on every run (derandomized: CI's verdict is the one a developer
# gets on the same commit, never a new example's luck); by hand,
# `HYPOTHESIS_PROFILE=thorough pytest tests/unit` draws 5,000 fresh ones to
# hunt for what the fixed ones miss. No test is timed (speed lives in
# benchmarks/): on a loaded machine Hypothesis's deadline and its
# slow-generation check fail tests that are right.
for _name, _count, _fixed in (("ci", 150, True), ("thorough", 5_000, False)):
    settings.register_profile(
        _name, max_examples=_count, derandomize=_fixed, deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )  # fmt: skip
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def golden(path: Path, text: str) -> str:
    """The golden text kept at ``path``; with ``UPDATE_GOLDEN=1``, ``text`` replaces it first."""
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    return path.read_text(encoding="utf-8").removesuffix("\n")
