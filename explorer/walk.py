"""What is under a fact base's folder: its top files, its fact files, and what is neither.

Apart from the loader (which reads what is found) so that the cache can key a
base by its files without importing YAML: listing and stating is all it needs.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from explorer.files import kind_of
from explorer.problems import Problem
from explorer.records import dataclass, field

SOURCES_FOLDER = "sources"
"""A base's own folder of source texts (`fact-explorer draft` keeps them there)."""

TOP_FILES = {
    "sources.yaml": "sources_file",
    "chapters.yaml": "chapters_file",
    "gri.yaml": "gri_file",
    "glossary.yaml": "glossary_file",
    "synonyms.yaml": "synonyms_file",
}
"""Files at the top of the base and the schema each follows."""

REQUIRED_FILES = ("sources.yaml", "chapters.yaml")


@dataclass
class Walk:
    """What is under a base's folder: the fact files, and every entry that is not one."""

    files: list[Path] = field(default_factory=list)
    """The fact files to load, in path order."""
    problems: list[Problem] = field(default_factory=list)
    """Entries that look meant to be loaded but cannot be: an unreadable folder,
    a ``.yaml`` name that is not a readable regular file, a fact file in the wrong place."""
    skipped: list[Problem] = field(default_factory=list)
    """Entries that are not fact files and are left alone (a README, a hidden file)."""


def walk_base(root: Path) -> Walk:
    """List the fact files under ``root`` and say of every other entry why it is not one.

    Fact files are the ``.yaml`` files in the base's sub-folders, at any depth;
    symbolic links are followed (a loop is a problem). Nothing is opened: FIFOs
    and devices are named, never read.
    """
    walk = Walk()
    seen: set[tuple[int, int]] = set()
    folders = [(root, 0)]
    while folders:
        folder, depth = folders.pop()
        try:
            info = folder.stat()
            if (info.st_dev, info.st_ino) in seen:
                walk.problems.append(
                    Problem(str(folder), 0, 0, "a symbolic link loop: not followed")
                )
                continue
            seen.add((info.st_dev, info.st_ino))
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            walk.problems.append(Problem(str(folder), 0, 0, f"cannot read folder: {why(err)}"))
            continue
        for entry in entries:
            _sort_entry(Path(entry.path), entry.name, depth, walk, folders)
    walk.files.sort()
    walk.problems.sort(key=lambda p: p.path)
    walk.skipped.sort(key=lambda p: p.path)
    return walk


def _sort_entry(
    path: Path, name: str, depth: int, walk: Walk, folders: list[tuple[Path, int]]
) -> None:
    """Put one entry of a base's folder where it belongs in ``walk``."""
    if depth == 0 and (name in TOP_FILES or name == "schema.json"):
        return  # read on their own
    yaml_name = name.lower().endswith((".yaml", ".yml"))
    if name.startswith("."):
        walk.skipped.append(Problem(str(path), 0, 0, "hidden: not loaded"))
        return
    try:
        info = path.stat()
    except OSError as err:
        what = "a symbolic link to nothing" if path.is_symlink() else why(err)
        target = walk.problems if yaml_name else walk.skipped
        target.append(Problem(str(path), 0, 0, f"not loaded: {what}"))
        return
    if stat.S_ISDIR(info.st_mode) and not yaml_name:
        folders.append((path, depth + 1))
        return
    if not yaml_name:
        if depth == 1 and path.parent.name == SOURCES_FOLDER and name.endswith(".txt"):
            return  # a source's text, kept beside the facts: check reads it
        walk.skipped.append(Problem(str(path), 0, 0, "not a .yaml file: not loaded"))
        return
    kind = kind_of(info.st_mode)
    if kind:
        walk.problems.append(Problem(str(path), 0, 0, f"{kind}, not a fact file: not loaded"))
    elif not name.endswith(".yaml"):
        walk.problems.append(Problem(str(path), 0, 0, "not loaded: fact files end in .yaml"))
    elif depth == 0:
        top = ", ".join(TOP_FILES)
        walk.problems.append(
            Problem(str(path), 0, 0, f"not loaded: fact files go in a sub-folder (the top "
                    f"holds only {top})")
        )  # fmt: skip
    else:
        walk.files.append(path)


def why(err: OSError) -> str:
    """An OSError in words, without the path it repeats ("permission denied")."""
    return err.strerror.lower() if err.strerror else str(err)


def fact_files(root: Path) -> list[Path]:
    """The fact files under ``root``; OSError when an entry meant to be one cannot be read."""
    walk = walk_base(root)
    if walk.problems:
        raise OSError(str(walk.problems[0]))
    return walk.files
