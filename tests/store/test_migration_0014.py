"""Migration 0014 (each edited record's version) on workspaces holding real rows: a file and a team server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.pg_cluster import available
from tests.helpers.version_migrations import (
    file_downgrade_drops_only_the_versions,
    file_upgrade_keeps_every_row,
    server_upgrade_keeps_every_row,
)
from workbench.domain.errors import StaleEditError
from workbench.services import records
from workbench.services.trail import verify_engagement
from workbench.store.workspace import Workspace

TABLES = ("finding", "model_asset", "risk", "cost_item", "roadmap_item", "matrix_row")


def _edit_after_upgrade(ws: Workspace, uid: str) -> None:
    """An upgraded record is at version 1: an edit based on it goes through (version 2), one based on 1 again not."""
    finding = records.list_records(ws, uid, "finding")[0]["uid"]
    records.update_record(ws, uid, "finding", finding, {"owner": "After the upgrade"}, seen_version=1)
    with pytest.raises(StaleEditError):
        records.update_record(ws, uid, "finding", finding, {"owner": "Stale"}, seen_version=1)
    assert verify_engagement(ws, uid).ok


@pytest.mark.sqlite_only
def test_upgrade_keeps_every_row_at_version_one(tmp_path: Path) -> None:
    file_upgrade_keeps_every_row(tmp_path / "old.db", "0013", TABLES, _edit_after_upgrade)


@pytest.mark.sqlite_only
def test_downgrade_drops_only_the_versions(tmp_path: Path) -> None:
    file_downgrade_drops_only_the_versions(tmp_path / "ws.db", "0014", "0013", TABLES)


@pytest.mark.skipif(not available(), reason="PostgreSQL's initdb/pg_ctl are not installed")
def test_upgrade_on_a_team_server_keeps_every_row_at_version_one(server_url: str) -> None:
    server_upgrade_keeps_every_row(server_url, "0013", TABLES, _edit_after_upgrade)
