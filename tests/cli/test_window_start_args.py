"""`workbench [--db …]` starts the desktop app without building every sub-command's parser: what it reads is
what the whole parser reads, and anything else (a sub-command, help, a mistake, an abbreviation) is left to
the whole parser, so its answers and messages are unchanged."""

from __future__ import annotations

import pytest

from workbench.cli.parser import build_parser, window_start


@pytest.mark.parametrize("argv", [[], ["--db", "x.db"], ["--db=x.db"], ["--db", "list"], ["--plain-workspace"],
                                  ["--db-passphrase-file", "secret.txt", "--db", "y.db"], ["--db", "a", "--db", "b"],
                                  ["--db", "postgresql://host/audits", "--plain-workspace"]])
def test_the_window_start_reads_what_the_whole_parser_reads(argv: list[str]) -> None:
    fast = window_start(argv)
    assert fast is not None and fast.command is None
    assert vars(fast) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [["list"], ["--db", "x.db", "list", "--json"], ["-h"], ["--help"], ["--he"],
                                  ["--version"], ["--db"], ["--d", "x"], ["--db-p", "f"], ["--plain"], ["--", "x"],
                                  ["--db", "--plain-workspace"], ["demo"]])
def test_anything_else_goes_to_the_whole_parser(argv: list[str]) -> None:
    assert window_start(argv) is None
