"""Migration 0007 (carried_forward on risks, costs, roadmap activities and matrix rows) on a workspace
holding rows: every row is kept, takes the default false, and the trails written before still verify."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import assert_nothing_rebuilt, column_names, downgrade_workspace, schema_of, table_counts, table_rows
from workbench.services import engagements, records
from workbench.services.reaudit import start_reaudit
from workbench.services.trail import verify_engagement
from workbench.store import migrate
from workbench.store.workspace import Workspace

TABLES = ("risk", "cost_item", "roadmap_item", "matrix_row")


def _old_workspace(path: Path) -> str:
    """What the app before 0007 left: a risk, a cost line, a roadmap activity and a matrix row."""
    with Workspace(path) as ws:
        uid = engagements.create_engagement(ws, client="Acme Bank", title="Credit audit")
        records.add_record(ws, uid, "risk", {"title": "Outage", "likelihood": 2, "impact": 5})
        records.add_record(ws, uid, "cost", {"kind": "optimisation", "name": "Spot instances"})
        records.add_record(ws, uid, "roadmap", {"phase": "Phase 1", "activity": "Drift alerts"})
        records.add_record(ws, uid, "matrix", {"kind": "compliance", "data": {"requirement": "GDPR consent"}})
    downgrade_workspace(path, "0006")
    return uid


def test_upgrade_keeps_every_row_and_gives_carried_forward_its_default(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    uid = _old_workspace(path)
    assert migrate.current_revision(path) == "0006"
    assert all("carried_forward" not in column_names(path, table) for table in TABLES)
    schema_before, counts_before = schema_of(path), table_counts(path)
    assert all(counts_before[table] == 1 for table in TABLES)
    kept = {table: table_rows(path, table, column_names(path, table)) for table in TABLES}

    with Workspace(path) as ws:  # opening upgrades, after a backup
        assert ws.last_backup is not None and table_counts(ws.last_backup) == counts_before
        assert migrate.current_revision(path) == migrate.head_revision()
        report = verify_engagement(ws, uid)  # events written before the column lack its key
        assert report.ok, report.problem
        new_uid = start_reaudit(ws, uid)  # the upgraded rows carry forward into a re-audit
        assert [r["carried_forward"] for r in records.list_records(ws, new_uid, "risk")] == [True]
        assert verify_engagement(ws, new_uid).ok

    assert_nothing_rebuilt(schema_before, schema_of(path))
    for table in TABLES:
        old_columns = [c for c in column_names(path, table) if c not in ("carried_forward", "row_version")]  # 0014
        assert table_rows(path, table, old_columns)[:1] == kept[table]  # the old row, every old value
        assert table_rows(path, table, ["carried_forward"]) == [(0,), (1,)]  # the old row false, its copy true


def test_downgrade_drops_only_the_new_column(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    _old_workspace(path)
    with Workspace(path):
        pass
    downgrade_workspace(path, "0007")  # the schema as 0007 left it (later migrations undone)
    counts = table_counts(path)
    downgrade_workspace(path, "0006")
    assert all("carried_forward" not in column_names(path, table) for table in TABLES)
    assert table_counts(path) == counts
