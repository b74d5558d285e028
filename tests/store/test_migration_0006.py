"""Migration 0006 (sign-offs under a signing identity) on a workspace holding rows: nothing is lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.helpers import (
    assert_nothing_rebuilt,
    column_names,
    downgrade_workspace,
    legacy_signoff,
    schema_of,
    table_counts,
)
from workbench.domain.errors import ValidationError
from workbench.services import assessment, engagements, records, review
from workbench.services.trail import verify_engagement
from workbench.store import migrate
from workbench.store.workspace import Workspace


def _old_workspace(path: Path) -> str:
    """What the app before 0006 left: sign-offs under typed names, with every other kind of row beside them."""
    with Workspace(path) as ws:
        uid = engagements.create_engagement(ws, client="Acme Bank", title="Credit audit")
        assessment.set_assessment(ws, uid, "DP", level=3)
        records.add_record(ws, uid, "finding", {"title": "No drift alerts", "severity": "High"})
        review.raise_note(ws, uid, "dimension", "DP", "Why 3?")
        legacy_signoff(ws, uid, "preparer", "Ana Preparer", "dimension:DP")
        legacy_signoff(ws, uid, "preparer", "Ana Preparer")
    downgrade_workspace(path, "0005")
    return uid


def test_upgrade_keeps_every_signoff_with_its_typed_name(tmp_path: Path, preparer, reviewer) -> None:
    path = tmp_path / "old.db"
    uid = _old_workspace(path)
    assert migrate.current_revision(path) == "0005"
    schema_before, before = schema_of(path), table_counts(path)
    assert before["signoff"] == 2 and before["finding"] and before["review_note"] and before["audit_event"]

    with Workspace(path) as ws:  # opening upgrades, after a backup
        assert ws.last_backup is not None and table_counts(ws.last_backup) == before
        assert migrate.current_revision(path) == migrate.head_revision()
        kept = records.list_records(ws, uid, "signoff")
        assert [(s["name"], s["identity_id"], s["fingerprint"]) for s in kept] == [("Ana Preparer", "", "")] * 2
        assert verify_engagement(ws, uid).ok  # old events do not name the new columns: read as ''
        # the typed name still counts as that person for the segregation of duties
        with pytest.raises(ValidationError, match="Ana Preparer signed off .* as preparer"):
            review.sign_off(ws, uid, "reviewer", signer=preparer)
        review.sign_off(ws, uid, "reviewer", signer=reviewer)
        assert verify_engagement(ws, uid).ok

    schema_after = {k: v for k, v in schema_of(path).items() if "chart_image" not in k}  # later migrations' table
    assert_nothing_rebuilt(schema_before, schema_after)
    # 0007, 0009, 0011, 0014 and 0015 add columns, 0012 an index of the findings
    later = {"signoff", "risk", "cost_item", "roadmap_item", "matrix_row", "finding", "audit_event", "ix_finding_facts",
             "ix_framework_snapshot_digest", "engagement_checkout", "model_asset", "engagement", "assessment",
             "checklist_response", "health_check_answer", "evidence", "review_note"}  # and 0013 a table
    assert {k: v for k, v in schema_after.items() if k not in later} == {
        k: v for k, v in schema_before.items() if k not in later}  # no other table touched
    assert {"identity_id", "fingerprint"} <= set(column_names(path, "signoff"))
    after = table_counts(path, before)
    assert after == {**before, "signoff": 3, "audit_event": after["audit_event"]}
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_downgrade_drops_only_the_two_columns(tmp_path: Path, preparer) -> None:
    path = tmp_path / "ws.db"
    with Workspace(path) as ws:
        uid = engagements.create_engagement(ws, client="Acme Bank", title="Credit audit")
        review.sign_off(ws, uid, "preparer", signer=preparer)
    downgrade_workspace(path, "0006")  # the schema as 0006 left it (later migrations undone)
    schema, before = schema_of(path), table_counts(path)
    downgrade_workspace(path, "0005")
    after = schema_of(path)
    assert {k: v for k, v in after.items() if k != "signoff"} == {k: v for k, v in schema.items() if k != "signoff"}
    assert_nothing_rebuilt(after, schema)  # signoff differs only by the two columns
    assert not {"identity_id", "fingerprint"} & set(column_names(path, "signoff"))
    assert table_counts(path) == before
