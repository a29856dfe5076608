"""Shell completion for ``fact-explorer``, by argcomplete: bash, zsh and fish.

``fact-explorer completion SHELL`` prints the script a shell sources. On Tab
the shell runs ``fact-explorer`` itself with argcomplete's variables set;
`complete` (called by `explorer.cli.main` before it parses) then answers from
the real parser and exits. So commands and options never drift from the
parser, and fact ids come from the base the line names (``--facts``, else
``$FACT_EXPLORER_FACTS``, else the bundled one), with each fact's claim as
its description where the shell shows one (zsh, fish). argcomplete is
imported only then: a Tab costs one start of the program (a base opens from
the cache), a plain run nothing.

Chosen over shtab, whose scripts are static: shtab has no fish, and fact ids
baked into a script go stale when the base changes.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterator, Mapping
from typing import Any

SHELLS = ("bash", "zsh", "fish")
PROG = "fact-explorer"
DESCRIPTION_WIDTH = 60
"""Claims are cut to this many characters as descriptions."""


def add_parser(sub: Any) -> None:
    """Add ``completion`` to the subcommands ``sub`` (what ``add_subparsers`` returned)."""
    completion = sub.add_parser(
        "completion",
        help="print the shell completion script for bash, zsh or fish",
        description="Print a completion script: commands, options, fact ids, styles and "
        "formats complete on Tab. See the README for where each shell reads it.",
    )
    completion.add_argument("shell", choices=SHELLS, help="the shell: bash, zsh or fish")


def cmd_completion(args: argparse.Namespace) -> int:
    """Print the completion script for ``args.shell``."""
    print(script(args.shell), end="")
    return 0


def script(shell: str) -> str:
    """The completion script for ``shell`` (one of `SHELLS`)."""
    from argcomplete.shell_integration import shellcode

    return str(shellcode([PROG], shell=shell))


def complete(parser: argparse.ArgumentParser) -> None:
    """Answer a shell's Tab and exit, when the shell's script is what ran us; else return.

    Args:
        parser: The command line's parser, from `explorer.cli.build_parser`.
    """
    if "_ARGCOMPLETE" not in os.environ:
        return
    import argcomplete

    attach_completers(parser)
    argcomplete.autocomplete(parser, always_complete_options=False)


def attach_completers(parser: argparse.ArgumentParser) -> None:
    """Give each argument that names a fact, a style, a format or a path its completer."""
    from argcomplete.completers import DirectoriesCompleter, FilesCompleter

    from explorer.cite import STYLES
    from explorer.export import FORMATS

    completers: dict[str, Callable[..., Any]] = {
        "id": fact_ids,
        "ids": fact_ids,
        "style": _choices(STYLES),
        "format": _choices(FORMATS),
        "facts": DirectoriesCompleter(),
        "sources": DirectoriesCompleter(),
        "output": FilesCompleter(),
    }
    for action in _actions(parser):
        completer = completers.get(action.dest)
        if completer is not None:
            action.completer = completer  # type: ignore[attr-defined]


def _actions(parser: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    """Every argument of ``parser`` and of its subcommands."""
    for action in parser._actions:
        yield action
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):  # aliases share a parser
                yield from _actions(child)


def _choices(labels: Mapping[str, str]) -> Callable[..., dict[str, str]]:
    def completer(prefix: str, **_: Any) -> dict[str, str]:
        return {name: label for name, label in labels.items() if name.startswith(prefix)}

    return completer


def fact_ids(prefix: str, parsed_args: argparse.Namespace, **_: Any) -> dict[str, str]:
    """The ids of the base the line names that start with ``prefix``, each with its claim.

    Args:
        prefix: What is typed of the id so far.
        parsed_args: The line parsed so far (its ``--facts``, if any).

    Returns:
        Each id with its claim, cut to `DESCRIPTION_WIDTH`; nothing when the base cannot open.
    """
    from explorer.cli import facts_dir
    from explorer.opener import open_factbase

    try:
        base = open_factbase(facts_dir(parsed_args))
    except Exception:  # a Tab never prints a traceback into the command line
        return {}
    return {
        fact.id: _cut(" ".join(fact.claim.split()))
        for fact in base.facts
        if fact.id.startswith(prefix)
    }


def _cut(text: str) -> str:
    return text if len(text) <= DESCRIPTION_WIDTH else text[: DESCRIPTION_WIDTH - 1] + "…"
