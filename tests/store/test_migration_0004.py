"""Migration 0004 (ref-number indexes) on a workspace holding rows: nothing is lost, the index is used."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.helpers import PACKAGES_BEFORE_0005, assert_nothing_rebuilt, downgrade_workspace, schema_of, table_counts
from workbench.services import records
from workbench.services.packages import import_package
from workbench.services.trail import verify_engagement
from workbench.store import migrate
from workbench.store.workspace import Workspace

SAMPLES = PACKAGES_BEFORE_0005  # downgraded below 0005: packages written then (tests/helpers.py)
INDEXES = {"ix_finding_ref_number", "ix_risk_ref_number"}



def test_upgrade_keeps_every_row_and_numbers_refs_from_the_index(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Workspace(path) as ws:
        # the samples without sign-offs: a 0002 workspace holds none under an identity (0005 added them,
        # and downgrading below 0005 drops the identity of driftguard's)
        uids = [import_package(ws, package, untrusted=True) for package in sorted(SAMPLES.glob("*.mlaudit"))
                if package.stem != "driftguard"]
    downgrade_workspace(path, "0002")
    assert migrate.current_revision(path) == "0002"
    schema_before, before = schema_of(path), table_counts(path)
    assert not INDEXES & set(schema_before)
    assert before["finding"] and before["risk"] and before["audit_event"]

    with Workspace(path) as ws:  # opening upgrades, after a backup
        assert ws.last_backup is not None and table_counts(ws.last_backup) == before
        assert migrate.current_revision(path) == migrate.head_revision()
        refs = [f["ref"] for f in records.list_records(ws, uids[0], "finding")]
        uid = records.add_record(ws, uids[0], "finding", {"title": "Added after the upgrade", "severity": "Low"})
        added = next(f for f in records.list_records(ws, uids[0], "finding") if f["uid"] == uid)
        highest = max(int(ref[2:]) for ref in refs if ref[2:].isdigit())
        assert added["ref"] == f"F-{highest + 1:03d}"
        assert all(verify_engagement(ws, engagement).ok for engagement in uids)

    schema_after = schema_of(path)
    assert_nothing_rebuilt(schema_before, schema_after)
    assert set(schema_after) >= INDEXES
    assert table_counts(path, before) == {**before, "finding": before["finding"] + 1,
                                          "audit_event": before["audit_event"] + 1}  # later migrations add tables
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        plan = conn.execute("EXPLAIN QUERY PLAN SELECT ref FROM finding WHERE engagement_id = 1 "
                            "ORDER BY CAST(substr(ref, 3) AS INTEGER) DESC LIMIT 16").fetchall()
        assert "ix_finding_ref_number" in " ".join(str(step[-1]) for step in plan)
    finally:
        conn.close()


def test_downgrade_drops_only_the_indexes(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    with Workspace(path) as ws:
        import_package(ws, SAMPLES / "driftguard.mlaudit", untrusted=True)
    downgrade_workspace(path, "0004")  # the schema this migration left, before later ones
    schema, before = schema_of(path), table_counts(path)
    downgrade_workspace(path, "0002")
    assert schema_of(path) == {k: v for k, v in schema.items() if k not in INDEXES}
    assert table_counts(path) == before


def test_revisions_are_read_as_alembic_reads_them_and_an_open_needs_no_alembic(tmp_path: Path) -> None:
    assert migrate._revisions() == migrate._alembic_revisions()
    path = tmp_path / "ws.db"
    Workspace(path).open().close()  # created and migrated to the head
    code = ("import sys; from pathlib import Path; from workbench.store.workspace import Workspace; "
            f"ws = Workspace(Path({str(path)!r})).open(); ws.close(); print('alembic' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"  # start-up of an up-to-date workspace skips alembic's import
