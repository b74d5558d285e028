"""kill -9 during every writing command and during a stream of acknowledged edits (bench/kill9.py): no
acknowledged edit is lost, the workspace always reopens and verifies, an import is all or nothing, and no
file under its final name is ever partial. The counts for docs/performance.md come from
bench/bench_faults.py, which runs the same experiments with more kills."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench import kill9
from workbench.services.engagements import create_engagement
from workbench.store.workspace import Workspace

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")


def test_no_acknowledged_edit_is_lost(tmp_path: Path) -> None:
    db = tmp_path / "workspace.db"
    with Workspace(db) as ws:
        engagement = create_engagement(ws, client="Acme", title="Killed writers")
    result = kill9.acknowledged_edits(db, engagement, kills=6)
    assert result.kills == 6 and result.acknowledged > 0
    assert result.lost == [] and result.trail_problems == []


def test_killing_every_writing_command_leaves_nothing_broken(tmp_path: Path) -> None:
    uid, commands = kill9.writing_commands(tmp_path)
    result = kill9.kill_commands(tmp_path, uid, commands, kills_each=1)
    assert result.problems == []
    assert set(result.kills) == {name for name, _ in commands} and len(commands) == 17
    out = tmp_path / "out"
    assert {p.name for p in out.iterdir() if not p.name.startswith(".")} == {
        "engagement.mlaudit", "encrypted.mlaudit", "report.pdf", "findings.xlsx", "backup.db"}
    # what killed writers left beside their targets is swept by the next write into the folder
    assert kill9.run_cli(dict(commands)["export"], tmp_path / "workspace.db").wait() == 0
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
