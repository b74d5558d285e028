"""Migration 0010 (risk acceptance on findings) on a workspace holding rows, and packages written before it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.helpers import (
    PACKAGES_BEFORE_0005,
    assert_nothing_rebuilt,
    content_hash,
    downgrade_workspace,
    old_counts,
    schema_of,
    table_counts,
)
from workbench.domain.errors import ValidationError
from workbench.services import finalise, records
from workbench.services.packages import export_package, import_package
from workbench.services.trail import verify_engagement
from workbench.store import migrate
from workbench.store.workspace import Workspace

SAMPLES = Path(__file__).resolve().parents[2] / "sample_audits"
OLD_PACKAGE = PACKAGES_BEFORE_0005 / "early-stage.mlaudit"  # exported before findings had these fields
ADDED = ("accepted_by", "accepted_reason", "accepted_at", "resolution_evidence")


def _finding_rows(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT uid, ref, title, severity, status, effort_hours, cost_estimate, owner "
                            "FROM finding ORDER BY id").fetchall()
    finally:
        conn.close()


def test_upgrade_keeps_every_row_and_old_findings_read_empty(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Workspace(path) as ws:
        uids = [import_package(ws, package, untrusted=True)
                for package in sorted(PACKAGES_BEFORE_0005.glob("*.mlaudit"))]
    downgrade_workspace(path, "0009")
    assert migrate.current_revision(path) == "0009"
    schema_before, before, rows_before = schema_of(path), table_counts(path), _finding_rows(path)
    assert before["finding"] >= 40 and before["audit_event"]
    assert not any(name in schema_before["finding"] for name in ADDED)

    with Workspace(path) as ws:  # opening upgrades, after a backup
        assert ws.last_backup is not None and table_counts(ws.last_backup) == before
        assert migrate.current_revision(path) == migrate.head_revision()
        assert all(verify_engagement(ws, uid).ok for uid in uids)  # events written before these fields still match
        findings = records.list_records(ws, uids[0], "finding")
        assert all((f["accepted_by"], f["accepted_reason"], f["accepted_at"], f["resolution_evidence"])
                   == ("", "", None, "") for f in findings)
        target = next(f for f in findings if f["status"] == "open")
        records.update_record(ws, uids[0], "finding", target["uid"], {
            "status": "risk_accepted", "accepted_by": "Chief Risk Officer", "accepted_reason": "Compensating control"})
        assert verify_engagement(ws, uids[0]).ok

    assert len(_finding_rows(path)) == len(rows_before)
    assert [row for row in _finding_rows(path) if row[0] != target["uid"]] == [
        row for row in rows_before if row[0] != target["uid"]]
    assert old_counts(path) == {**before, "audit_event": before["audit_event"] + 1}
    schema_after = schema_of(path)
    assert_nothing_rebuilt(schema_before, schema_after)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_downgrade_drops_only_the_new_columns(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    with Workspace(path) as ws:
        import_package(ws, SAMPLES / "driftguard.mlaudit", untrusted=True)
    before, rows = old_counts(path), _finding_rows(path)
    downgrade_workspace(path, "0009")
    assert not any(name in schema_of(path)["finding"] for name in ADDED)
    assert table_counts(path) == before and _finding_rows(path) == rows


def test_a_package_from_before_the_fields_imports_with_empty_values_and_its_acceptance_blocks(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.db") as ws:
        uid = import_package(ws, OLD_PACKAGE, untrusted=True)
        assert verify_engagement(ws, uid).ok
        accepted = [f for f in records.list_records(ws, uid, "finding") if f["status"] == "risk_accepted"]
        assert accepted and all(f["accepted_by"] == "" and f["accepted_reason"] == "" for f in accepted)
        blockers = [b.text for b in finalise.finalisation_blockers(ws, uid)]
        assert any(text.startswith("1 finding marked Risk accepted without who accepted it and why: ")
                   for text in blockers)
        # the same package exported again carries the fields, and travels on
        again = export_package(ws, uid, tmp_path / "again.mlaudit", signer=None)
    with Workspace(tmp_path / "other.db") as other:
        copy = import_package(other, again, untrusted=True)
        assert verify_engagement(other, copy).ok
        assert {f["accepted_by"] for f in records.list_records(other, copy, "finding")} == {""}


def test_risk_acceptance_without_who_or_why_is_refused_and_changes_nothing(ws, engagement) -> None:
    uid = records.add_record(ws, engagement, "finding", {"title": "Manual rollback", "severity": "High"})
    before = content_hash(ws)
    for values in ({"status": "risk_accepted"}, {"status": "risk_accepted", "accepted_by": "CRO"},
                   {"status": "risk_accepted", "accepted_reason": "Cheap to live with", "accepted_by": "  "}):
        with pytest.raises(ValidationError, match="needs who accepted the risk"):
            records.update_record(ws, engagement, "finding", uid, values)
        assert content_hash(ws) == before
    with pytest.raises(ValidationError, match="needs who accepted the risk"):
        records.add_record(ws, engagement, "finding", {"title": "t", "severity": "Low", "status": "risk_accepted"})
    assert content_hash(ws) == before
    records.update_record(ws, engagement, "finding", uid, {"status": "risk_accepted", "accepted_by": "CRO",
                                                           "accepted_reason": "Rollback drill planned for Q3"})
    finding = next(f for f in records.list_records(ws, engagement, "finding") if f["uid"] == uid)
    assert finding["accepted_at"] and len(finding["accepted_at"]) == 10  # dated the day it was recorded
    records.update_record(ws, engagement, "finding", uid, {"title": "Manual rollback only"})  # other edits stay free
