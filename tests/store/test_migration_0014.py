"""Migration 0014 (each edited record's version) on workspaces holding real rows: a file and a team server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import (
    assert_nothing_rebuilt,
    column_names,
    downgrade_workspace,
    samples_fitting,
    schema_of,
    table_counts,
    table_rows,
)
from tests.helpers.pg_cluster import Cluster, available
from workbench.domain.errors import StaleEditError
from workbench.services import records
from workbench.services.packages import import_package
from workbench.services.trail import verify_engagement
from workbench.store import migrate
from workbench.store.workspace import Workspace

TABLES = ("finding", "model_asset", "risk", "cost_item", "roadmap_item", "matrix_row")
COLUMN = "row_version"


def _edit_after_upgrade(ws: Workspace, uid: str) -> None:
    """An upgraded record is at version 1: an edit based on it goes through (version 2), one based on 1 again not."""
    finding = records.list_records(ws, uid, "finding")[0]["uid"]
    records.update_record(ws, uid, "finding", finding, {"owner": "After the upgrade"}, seen_version=1)
    with pytest.raises(StaleEditError):
        records.update_record(ws, uid, "finding", finding, {"owner": "Stale"}, seen_version=1)
    assert verify_engagement(ws, uid).ok


@pytest.mark.sqlite_only
def test_upgrade_keeps_every_row_at_version_one(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Workspace(path) as ws:
        uids = [import_package(ws, package, untrusted=True) for package in samples_fitting("0013")]
    downgrade_workspace(path, "0013")
    assert all(COLUMN not in column_names(path, table) for table in TABLES)
    schema_before, before = schema_of(path), table_counts(path)
    kept = {table: table_rows(path, table, column_names(path, table)) for table in TABLES}
    assert all(kept[table] for table in TABLES)  # real rows in every table the migration changes

    with Workspace(path) as ws:  # opening upgrades, after a backup
        assert ws.last_backup is not None and table_counts(ws.last_backup) == before
        assert migrate.current_revision(path) == migrate.head_revision()
        assert all(verify_engagement(ws, uid).ok for uid in uids)  # the trail never held versions

    assert_nothing_rebuilt(schema_before, schema_of(path))
    assert table_counts(path) == before
    for table in TABLES:
        old_columns = [c for c in column_names(path, table) if c != COLUMN]
        assert table_rows(path, table, old_columns) == kept[table]  # every old value of every row
        assert set(table_rows(path, table, [COLUMN])) == {(1,)}
    with Workspace(path) as ws:
        _edit_after_upgrade(ws, uids[0])


@pytest.mark.sqlite_only
def test_downgrade_drops_only_the_versions(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    with Workspace(path) as ws:
        import_package(ws, samples_fitting("0013")[0], untrusted=True)
    downgrade_workspace(path, "0014")  # the schema as 0014 left it (later migrations undone)
    before = table_counts(path)
    downgrade_workspace(path, "0013")
    assert all(COLUMN not in column_names(path, table) for table in TABLES) and table_counts(path) == before


# -- on a team server (PostgreSQL) -------------------------------------------------------------------------

@pytest.fixture
def server_url(pg_cluster: Cluster) -> Iterator[str]:
    name = f"v14_{id(object())}"
    pg_cluster.sql(f"CREATE DATABASE {name}")
    try:
        yield pg_cluster.url(name)
    finally:
        pg_cluster.drop(name)


def _server_rows(url: str, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    import psycopg

    with psycopg.connect(url) as conn:
        cursor = conn.execute(f'SELECT * FROM "{table}" ORDER BY id')
        return [column.name for column in cursor.description or ()], cursor.fetchall()


def _alembic(url: str, target: str) -> None:
    from alembic import command

    from workbench.store.engine import create_server_engine

    engine = create_server_engine(url)
    with engine.connect() as connection:
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, target)
        connection.commit()
    engine.dispose()


@pytest.mark.skipif(not available(), reason="PostgreSQL's initdb/pg_ctl are not installed")
def test_upgrade_on_a_team_server_keeps_every_row_at_version_one(server_url: str) -> None:
    from workbench.services.team_server import init_server
    from workbench.store.server_workspace import ServerWorkspace

    init_server(server_url)
    with ServerWorkspace(server_url) as ws:
        uids = [import_package(ws, package, untrusted=True) for package in samples_fitting("0013")]
    _alembic(server_url, "0013")
    kept = {table: _server_rows(server_url, table) for table in TABLES}
    assert all(COLUMN not in names and rows for names, rows in kept.values())

    init_server(server_url)  # `workbench server init` upgrades a server's schema
    for table in TABLES:
        names, rows = _server_rows(server_url, table)
        assert names == [*kept[table][0], COLUMN]  # added at the end: nothing rebuilt
        assert [row[:-1] for row in rows] == kept[table][1] and {row[-1] for row in rows} == {1}
    with ServerWorkspace(server_url) as ws:
        assert all(verify_engagement(ws, uid).ok for uid in uids)
        _edit_after_upgrade(ws, uids[0])
    _alembic(server_url, "0013")  # and down again: only the versions go
    assert {table: _server_rows(server_url, table)[0] for table in TABLES} == {
        table: names for table, (names, _rows) in kept.items()}
