"""Migration 0011 (audit_event.origin for merged fieldwork) on a workspace holding real trails."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import (
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
from workbench.services.packages import import_package
from workbench.services.trail import verify_engagement
from workbench.store import migrate
from workbench.store.workspace import Workspace

EVENT_COLUMNS = ["engagement_uid", "seq", "at", "actor", "action", "entity", "entity_id", "prev_hash", "hash"]


def test_upgrade_keeps_every_event_and_old_hashes_still_verify(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Workspace(path) as ws:
        uids = [import_package(ws, package, untrusted=True) for package in samples_fitting("0010")]
    downgrade_workspace(path, "0010")
    assert "origin" not in column_names(path, "audit_event")
    schema_before, before = schema_of(path), table_counts(path)
    events_before = table_rows(path, "audit_event", EVENT_COLUMNS)
    assert before["audit_event"] > 100 and before["finding"]

    with Workspace(path) as ws:  # opening upgrades, after a backup
        assert ws.last_backup is not None and table_counts(ws.last_backup) == before
        assert migrate.current_revision(path) == migrate.head_revision()
        assert all(verify_engagement(ws, uid).ok for uid in uids)  # no event's hash changed meaning
        records.add_record(ws, uids[0], "finding", {"title": "Added after the upgrade", "severity": "Low"})
        assert verify_engagement(ws, uids[0]).ok

    assert_nothing_rebuilt(schema_before, schema_of(path))
    assert "origin" in column_names(path, "audit_event")
    assert table_rows(path, "audit_event", EVENT_COLUMNS)[:len(events_before)] == events_before
    assert [row[0] for row in table_rows(path, "audit_event", ["origin"])] == [None] * (len(events_before) + 1)
    assert table_counts(path, before) == {**before, "finding": before["finding"] + 1,
                                          "audit_event": before["audit_event"] + 1}


def test_downgrade_drops_only_the_origin(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    with Workspace(path) as ws:
        import_package(ws, samples_fitting("0010")[0], untrusted=True)
    before = old_counts(path)
    downgrade_workspace(path, "0010")
    assert "origin" not in column_names(path, "audit_event") and table_counts(path) == before
