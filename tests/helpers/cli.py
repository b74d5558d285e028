"""Running the command line in-process and reading what it printed."""

from __future__ import annotations

import pytest

from workbench.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(err: str) -> str:
    """A refusal the user can read: one `workbench: ...` line on stderr."""
    assert err.startswith("workbench: ") and err.count("\n") == 1, err
    return err
