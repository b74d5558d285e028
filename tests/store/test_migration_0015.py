"""Migration 0015 (versions of the engagement's header, answers, evidence, review notes and sign-offs) on workspaces
holding real rows of every table it changes: a file and a team server. The engagement is the parent of every record
(ON DELETE CASCADE): a table rebuilt on SQLite would have emptied its children, so every table's rows are counted
(tests/helpers/version_migrations.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import column_names
from tests.helpers.pg_cluster import available
from tests.helpers.version_migrations import (
    file_downgrade_drops_only_the_versions,
    file_upgrade_keeps_every_row,
    server_upgrade_keeps_every_row,
)
from workbench.domain.errors import StaleEditError
from workbench.services import assessment, records
from workbench.services.engagements import update_engagement
from workbench.services.trail import verify_engagement

TABLES = ("engagement", "assessment", "checklist_response", "health_check_answer", "evidence", "signoff",
          "review_note")


def _edit_after_upgrade(ws: Any, uid: str) -> None:
    """Upgraded rows are at version 1: an edit based on it goes through (version 2), one based on 1 again not."""
    item = next(r["item_id"] for r in records.list_records(ws, uid, "checklist"))
    assessment.answer_item(ws, uid, item, "no", "after the upgrade", seen_version=1)
    with pytest.raises(StaleEditError):
        assessment.answer_item(ws, uid, item, "yes", seen_version=1)
    update_engagement(ws, uid, {"scope": "After the upgrade"}, seen_version=1)
    with pytest.raises(StaleEditError):
        update_engagement(ws, uid, {"scope": "Stale"}, seen_version=1)
    notes = records.list_records(ws, uid, "review_note")
    if notes:
        records.delete_record(ws, uid, "review_note", notes[0]["uid"], seen_version=1)
    assert verify_engagement(ws, uid).ok


@pytest.mark.sqlite_only
def test_upgrade_keeps_every_row_at_version_one(tmp_path: Path) -> None:
    before = file_upgrade_keeps_every_row(tmp_path / "old.db", "0014", TABLES, _edit_after_upgrade)
    assert before["finding"] and before["evidence_link"] and before["audit_event"]  # children of the engagement


@pytest.mark.sqlite_only
def test_downgrade_drops_only_the_versions(tmp_path: Path) -> None:
    file_downgrade_drops_only_the_versions(tmp_path / "ws.db", "0015", "0014", TABLES)
    assert "row_version" in column_names(tmp_path / "ws.db", "finding")  # 0014's stay


@pytest.mark.skipif(not available(), reason="PostgreSQL's initdb/pg_ctl are not installed")
def test_upgrade_on_a_team_server_keeps_every_row_at_version_one(server_url: str) -> None:
    server_upgrade_keeps_every_row(server_url, "0014", TABLES, _edit_after_upgrade)
