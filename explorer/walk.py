"""What is under a fact base's folder: its top files, its fact files, and what is neither.

Apart from the loader (which reads what is found) so that the cache can key a
base by its files without importing YAML: listing and stating is all it needs.
"""

from __future__ import annotations

import os
import stat

from explorer.files import kind_of
from explorer.paths import Name, join, normal
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

    files: list[str] = field(default_factory=list)
    """The fact files to load (named as `explorer.paths.join` names them), in path order."""
    problems: list[Problem] = field(default_factory=list)
    """Entries that look meant to be loaded but cannot be: an unreadable folder,
    a ``.yaml`` name that is not a readable regular file, a fact file in the wrong place."""
    skipped: list[Problem] = field(default_factory=list)
    """Entries that are not fact files and are left alone (a README, a hidden file)."""


def walk_base(root: Name) -> Walk:
    """List the fact files under ``root`` and say of every other entry why it is not one.

    Fact files are the ``.yaml`` files in the base's sub-folders, at any depth;
    symbolic links are followed (a loop is a problem). Nothing is opened: FIFOs
    and devices are named, never read.
    """
    walk = Walk()
    seen: set[tuple[int, int]] = set()
    folders = [(normal(root), 0)]
    while folders:
        folder, depth = folders.pop()
        try:
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in seen:
                walk.problems.append(
                    Problem(str(folder), 0, 0, "a symbolic link loop: not followed")
                )
                continue
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as listing:
                names = sorted(entry.name for entry in listing)
        except OSError as err:
            walk.problems.append(Problem(folder, 0, 0, f"cannot read folder: {why(err)}"))
            continue
        for name in names:
            _sort_entry(join(folder, name), name, depth, walk, folders)
    walk.files.sort(key=lambda name: name.split("/"))  # as paths sort: part by part
    walk.problems.sort(key=lambda p: p.path)
    walk.skipped.sort(key=lambda p: p.path)
    return walk


def _sort_entry(
    path: str, name: str, depth: int, walk: Walk, folders: list[tuple[str, int]]
) -> None:
    """Put one entry of a base's folder where it belongs in ``walk``."""
    if depth == 0 and (name in TOP_FILES or name == "schema.json"):
        return  # read on their own
    yaml_name = name.lower().endswith((".yaml", ".yml"))
    if name.startswith("."):
        walk.skipped.append(Problem(path, 0, 0, "hidden: not loaded"))
        return
    try:
        info = os.stat(path)
    except OSError as err:
        what = "a symbolic link to nothing" if os.path.islink(path) else why(err)
        target = walk.problems if yaml_name else walk.skipped
        target.append(Problem(path, 0, 0, f"not loaded: {what}"))
        return
    if stat.S_ISDIR(info.st_mode) and not yaml_name:
        folders.append((path, depth + 1))
        return
    if not yaml_name:
        if depth == 1 and os.path.basename(os.path.dirname(path)) == SOURCES_FOLDER \
                and name.endswith(".txt"):  # fmt: skip
            return  # a source's text, kept beside the facts: check reads it
        walk.skipped.append(Problem(path, 0, 0, "not a .yaml file: not loaded"))
        return
    kind = kind_of(info.st_mode)
    if kind:
        walk.problems.append(Problem(path, 0, 0, f"{kind}, not a fact file: not loaded"))
    elif not name.endswith(".yaml"):
        walk.problems.append(Problem(path, 0, 0, "not loaded: fact files end in .yaml"))
    elif depth == 0:
        top = ", ".join(TOP_FILES)
        walk.problems.append(
            Problem(path, 0, 0, f"not loaded: fact files go in a sub-folder (the top "
                    f"holds only {top})")
        )  # fmt: skip
    else:
        walk.files.append(path)


def why(err: OSError) -> str:
    """An OSError in words, without the path it repeats ("permission denied")."""
    return err.strerror.lower() if err.strerror else str(err)


def fact_files(root: Name) -> list[str]:
    """The fact files under ``root``; OSError when an entry meant to be one cannot be read."""
    walk = walk_base(root)
    if walk.problems:
        raise OSError(str(walk.problems[0]))
    return walk.files
