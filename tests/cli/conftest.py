"""Command-line fixtures: a workspace holding one new engagement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main


@pytest.fixture
def eng(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> tuple[str, str]:
    """(workspace path, engagement ref) of a fresh engagement made through the command line."""
    db = str(tmp_path / "cli.db")
    code = main(["--db", db, "new", "--client", "Acme Bank", "--title", "Credit audit", "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return db, json.loads(captured.out)["ref"]
