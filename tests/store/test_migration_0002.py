"""Migration 0002 (review notes) on a 0001 workspace holding rows in every table: nothing is lost."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.helpers import (
    PACKAGES_BEFORE_0005,
    assert_nothing_rebuilt,
    downgrade_workspace,
    legacy_signoff,
    schema_of,
    table_counts,
)
from workbench.services import review
from workbench.services.frameworks import import_framework_file
from workbench.services.packages import import_package
from workbench.services.records import list_records
from workbench.services.trail import verify_engagement
from workbench.store import migrate
from workbench.store.workspace import Workspace

SAMPLES = PACKAGES_BEFORE_0005  # downgraded below 0005: packages written then (tests/helpers.py)
TABLES_0001 = ("client", "engagement", "framework_snapshot", "framework_definition", "assessment",
               "checklist_response", "health_check_answer", "finding", "model_asset", "risk", "cost_item",
               "roadmap_item", "matrix_row", "evidence_blob", "evidence", "evidence_link", "signoff", "audit_event")



def table_counts_0001(path: Path) -> dict[str, int]:
    return table_counts(path, TABLES_0001)


def _workspace_at_0001(path: Path, tmp_path: Path) -> str:
    framework = json.loads((Path(migrate.__file__).parents[2] / "resources" / "frameworks" /
                            "mlops-architecture.json").read_text(encoding="utf-8"))
    framework["id"] = "firm-mlops"
    custom = tmp_path / "firm.json"
    custom.write_text(json.dumps(framework), encoding="utf-8")
    with Workspace(path) as ws:
        # samples without review notes, as a 0001 workspace could hold (the driftguard sample has notes)
        uid = import_package(ws, SAMPLES / "credit-scoring.mlaudit", untrusted=True)
        import_package(ws, SAMPLES / "early-stage.mlaudit", untrusted=True)
        import_framework_file(ws, custom)
        if not list_records(ws, uid, "signoff"):  # a 0001 workspace's sign-off: a typed name, no identity
            legacy_signoff(ws, uid, "preparer", "Ada", "section:findings")
        assert not list_records(ws, uid, "review_note")
    downgrade_workspace(path, "0001")
    return uid


def test_upgrade_from_0001_keeps_every_row_and_adds_review_notes(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    uid = _workspace_at_0001(path, tmp_path)
    assert migrate.current_revision(path) == "0001"
    schema_before = schema_of(path)
    assert "review_note" not in schema_before
    before = table_counts_0001(path)
    assert all(before.values()), f"every table must hold rows for this test: {before}"

    with Workspace(path) as ws:  # opening upgrades, after a backup
        assert ws.last_backup is not None and table_counts_0001(ws.last_backup) == before
        assert migrate.current_revision(path) == migrate.head_revision()
        assert verify_engagement(ws, uid).ok
        note = review.raise_note(ws, uid, "engagement", "", "Is the scope letter signed?")
        assert verify_engagement(ws, uid).ok

    assert table_counts_0001(path) == {**before, "audit_event": before["audit_event"] + 1}
    schema_after = schema_of(path)
    # only new objects: no existing table was rebuilt (so no cascade could have fired)
    assert_nothing_rebuilt(schema_before, schema_after)
    assert {"review_note", "ix_review_note_engagement_id"} <= set(schema_after)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT uid FROM review_note").fetchall() == [(note,)]
    finally:
        conn.close()


def test_downgrade_drops_only_review_notes(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    with Workspace(path) as ws:
        uid = import_package(ws, SAMPLES / "driftguard.mlaudit", untrusted=True)
        review.raise_note(ws, uid, "engagement", "", "Check the scope")
    before = table_counts_0001(path)
    downgrade_workspace(path, "0001")
    assert "review_note" not in schema_of(path)
    assert table_counts_0001(path) == before
