"""Migration 0009 (the assets a finding concerns) on a workspace holding rows.

Every row is kept and the findings take the new column's default; trails and packages written before the
column existed still verify and import.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.helpers import (
    PACKAGES_BEFORE_0005,
    assert_nothing_rebuilt,
    column_names,
    downgrade_workspace,
    old_counts,
    samples_fitting,
    schema_of,
    table_counts,
    table_rows,
)
from workbench.services import records
from workbench.services.packages import export_package, import_package
from workbench.services.trail import verify_engagement
from workbench.store import migrate
from workbench.store.workspace import Workspace

SAMPLES = Path(__file__).resolve().parents[2] / "sample_audits"
OLD_PACKAGE = PACKAGES_BEFORE_0005 / "early-stage.mlaudit"  # written before 0005, so before this column too


@pytest.fixture
def old_workspace(tmp_path: Path) -> tuple[Path, list[str]]:
    """The samples a workspace at schema 0008 can hold, as the previous version left it."""
    path = tmp_path / "old.db"
    with Workspace(path) as ws:
        uids = [import_package(ws, package, untrusted=True) for package in samples_fitting("0008")]
    downgrade_workspace(path, "0008")
    return path, uids


def test_upgrade_keeps_every_finding_and_gives_it_no_affected_assets(old_workspace) -> None:
    path, uids = old_workspace
    assert migrate.current_revision(path) == "0008" and "affected_assets" not in column_names(path, "finding")
    schema_before, counts_before = schema_of(path), table_counts(path)
    assert counts_before["finding"] and counts_before["matrix_row"]
    old_columns = column_names(path, "finding")  # later migrations add columns too
    kept = table_rows(path, "finding", old_columns)
    with Workspace(path) as ws:  # opening upgrades, after a backup
        assert ws.last_backup is not None and table_counts(ws.last_backup) == counts_before
        assert migrate.current_revision(path) == migrate.head_revision()
        for uid in uids:
            assert verify_engagement(ws, uid).ok
    assert old_counts(path) == counts_before
    assert_nothing_rebuilt(schema_before, schema_of(path))
    assert table_rows(path, "finding", old_columns) == kept
    assert set(table_rows(path, "finding", ["affected_assets"])) == {("",)}
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_after_the_upgrade_a_finding_names_its_assets_and_the_trail_holds(old_workspace) -> None:
    path, uids = old_workspace
    with Workspace(path) as ws:
        finding = records.list_records(ws, uids[0], "finding")[0]
        records.update_record(ws, uids[0], "finding", finding["uid"],
                              {"affected_assets": "churn-propensity 3.1.2\nFeature store"})
        updated = next(f for f in records.list_records(ws, uids[0], "finding") if f["uid"] == finding["uid"])
        assert updated["affected_assets"] == "churn-propensity 3.1.2\nFeature store"
        assert verify_engagement(ws, uids[0]).ok


def test_downgrade_drops_only_the_new_column(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    with Workspace(path) as ws:
        import_package(ws, SAMPLES / "driftguard.mlaudit", untrusted=True)
    counts = old_counts(path)
    downgrade_workspace(path, "0008")
    assert "affected_assets" not in column_names(path, "finding") and table_counts(path) == counts


def test_a_package_written_before_the_column_imports_and_exports_again(ws, tmp_path: Path) -> None:
    uid = import_package(ws, OLD_PACKAGE, untrusted=True)
    assert verify_engagement(ws, uid).ok
    assert {f["affected_assets"] for f in records.list_records(ws, uid, "finding")} == {""}
    again = export_package(ws, uid, tmp_path / "again.mlaudit", signer=None)
    assert verify_engagement(ws, import_package(ws, again, as_copy=True, untrusted=True)).ok
