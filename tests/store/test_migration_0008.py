"""Migration 0008 (the chart image cache) on a workspace holding rows: nothing is lost, the cache works."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.helpers import (
    assert_nothing_rebuilt,
    downgrade_workspace,
    old_counts,
    samples_fitting,
    schema_of,
    table_counts,
)
from workbench.services.packages import import_package
from workbench.services.trail import verify_engagement
from workbench.store import migrate
from workbench.store.chart_cache import MAX_CHARTS, WorkspaceChartCache
from workbench.store.workspace import Workspace

SAMPLES = Path(__file__).resolve().parents[2] / "sample_audits"


def test_upgrade_keeps_every_row_and_adds_only_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Workspace(path) as ws:
        uids = [import_package(ws, package, untrusted=True) for package in samples_fitting("0007")]
    downgrade_workspace(path, "0007")
    assert migrate.current_revision(path) == "0007"
    schema_before, before = schema_of(path), table_counts(path)
    assert "chart_image" not in schema_before
    assert before["finding"] and before["evidence_blob"] and before["audit_event"]

    with Workspace(path) as ws:  # opening upgrades, after a backup
        assert ws.last_backup is not None and table_counts(ws.last_backup) == before
        assert migrate.current_revision(path) == migrate.head_revision()
        assert all(verify_engagement(ws, uid).ok for uid in uids)

    schema_after = schema_of(path)
    assert_nothing_rebuilt(schema_before, schema_after)
    later = {"ix_finding_facts", "ix_framework_snapshot_digest", "engagement_checkout"}  # 0012's indexes, 0013's table
    assert set(schema_after) - set(schema_before) - later == {"chart_image", "ix_chart_image_used_at"}
    assert old_counts(path) == {**before, "chart_image": 0}
    with WorkspaceChartCache(path) as cache:
        cache.save({"a" * 64: (2, 1, b"pixels")})
    with WorkspaceChartCache(path) as cache:
        assert cache.load("a" * 64) == (2, 1, b"pixels")
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_downgrade_drops_only_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    with Workspace(path) as ws:
        import_package(ws, SAMPLES / "driftguard.mlaudit", untrusted=True)
    with WorkspaceChartCache(path) as cache:
        cache.save({"b" * 64: (1, 1, b"x")})
    downgrade_workspace(path, "0008")  # the schema as 0008 left it (later migrations undone)
    schema, before = schema_of(path), table_counts(path)
    downgrade_workspace(path, "0007")
    assert schema_of(path) == {k: v for k, v in schema.items() if "chart_image" not in k}
    assert table_counts(path) == {k: v for k, v in before.items() if k != "chart_image"}


def test_the_cache_keeps_the_most_recently_used_charts(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    Workspace(path).open().close()
    keys = [f"{n:064d}" for n in range(MAX_CHARTS + 5)]
    with WorkspaceChartCache(path) as cache:
        cache.save({keys[0]: (1, 1, b"first")})
    with WorkspaceChartCache(path) as cache:
        cache.save({key: (1, 1, b"later") for key in keys[1:MAX_CHARTS]})
    with WorkspaceChartCache(path) as cache:  # the first is read again: it becomes the most recent
        assert cache.load(keys[0]) == (1, 1, b"first")
        cache.save({})
    with WorkspaceChartCache(path) as cache:
        cache.save({key: (1, 1, b"newest") for key in keys[MAX_CHARTS:]})
    assert table_counts(path, ["chart_image"]) == {"chart_image": MAX_CHARTS}
    with WorkspaceChartCache(path) as cache:
        assert cache.load(keys[0]) is not None
        assert cache.load(keys[1]) is None  # least recently used: dropped
        assert cache.load(keys[-1]) is not None


def test_a_cache_that_cannot_be_written_stops_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    Workspace(path).open().close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE chart_image")  # e.g. damaged: reads and writes fail
    conn.commit()
    conn.close()
    with WorkspaceChartCache(path) as cache:
        assert cache.load("c" * 64) is None
        cache.save({"c" * 64: (1, 1, b"x")})  # logged, not raised
