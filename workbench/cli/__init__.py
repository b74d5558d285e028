"""Command line: `workbench` opens the desktop app; sub-commands work headless.

Exit codes: 0 ok, 1 a check failed (log --verify, verify), 2 bad input or usage, with one
plain line on stderr. Qt is imported only when the desktop app is started.

parser.py builds the argument parser; commands.py, checklist.py, deliverables.py, frameworks.py and
review.py handle the sub-commands; every one of them reaches the workspace through workspace.py.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from workbench.cli.parser import build_parser, window_start
from workbench.domain.errors import WorkbenchError

__all__ = ["main"]

log = logging.getLogger("workbench.cli")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:  # asked by scripts and installers: answered before anything else is loaded
        from workbench import __version__

        print(f"workbench {__version__}")
        return 0
    try:
        # --help and usage errors end here, before the log is set up
        args = window_start(argv) or build_parser().parse_args(argv)
        _log_to_file()
        if args.command is None:
            from workbench.cli.commands import cmd_gui

            return cmd_gui(args)
        return int(args.handler(args) or 0)
    except WorkbenchError as exc:
        print(f"workbench: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `workbench list --json | head`: the reader left, nothing is wrong
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 2
    except Exception as exc:
        from workbench.fs.faults import plain_fault

        log_path = _log_to_file()
        log.error("error running %s", " ".join(redacted(argv)), exc_info=True)
        text = plain_fault(exc, getattr(exc, "filename", None))
        if text is not None:  # a full disk, a read-only or missing folder, a file in use...
            print(f"workbench: {text}", file=sys.stderr)
        else:
            print(f"workbench: an unexpected error occurred; details are in {log_path}", file=sys.stderr)
        return 2


def _log_to_file() -> Path:
    from workbench.logs import configure_logging

    return configure_logging()


def redacted(argv: Sequence[str]) -> list[str]:
    """The command line as the log may keep it: command names and option names, every value as '…' (a note,
    a title, a file name may quote an engagement's records)."""
    commands = command_names()
    kept = []
    for token in argv:
        if token.startswith("-"):
            kept.append(token.split("=", 1)[0] + ("=…" if "=" in token else ""))
        else:
            kept.append(token if token in commands else "…")
    return kept


def command_names() -> set[str]:
    """Every sub-command name the parser knows, at any depth."""
    import argparse

    names: set[str] = set()
    parsers = [build_parser()]
    while parsers:
        for action in parsers.pop()._actions:
            if isinstance(action, argparse._SubParsersAction):
                names.update(action.choices)
                parsers.extend(action.choices.values())
    return names
