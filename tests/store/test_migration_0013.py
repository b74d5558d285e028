"""Migration 0013 (engagement_checkout: engagements checked out of a team server) on workspaces holding real rows,
a workspace file and a team server's database."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.helpers import assert_nothing_rebuilt, downgrade_workspace, samples_fitting, schema_of, table_counts
from tests.helpers.pg_cluster import Cluster, available
from workbench.services import records
from workbench.services.packages import import_package
from workbench.services.team_server import init_server
from workbench.services.trail import verify_engagement
from workbench.store import migrate
from workbench.store.server_workspace import ServerWorkspace
from workbench.store.workspace import Workspace

TABLE = "engagement_checkout"


@pytest.mark.sqlite_only
def test_upgrade_of_a_file_keeps_every_row_and_adds_only_the_table(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Workspace(path) as ws:
        uids = [import_package(ws, package, untrusted=True) for package in samples_fitting("0012")]
    downgrade_workspace(path, "0012")
    schema_before, before = schema_of(path), table_counts(path)
    assert TABLE not in schema_before and before["finding"] > 20 and before["audit_event"] > 100

    with Workspace(path) as ws:  # opening upgrades, after a backup
        assert ws.last_backup is not None and table_counts(ws.last_backup) == before
        assert migrate.current_revision(path) == migrate.head_revision()
        assert all(verify_engagement(ws, uid).ok for uid in uids)
        records.add_record(ws, uids[0], "finding", {"title": "Added after the upgrade", "severity": "Low"})
        assert verify_engagement(ws, uids[0]).ok

    schema_after = schema_of(path)
    assert_nothing_rebuilt(schema_before, schema_after)
    assert {name for name in set(schema_after) - set(schema_before) if not name.startswith("sqlite_")} == {TABLE}
    assert table_counts(path) == {**before, TABLE: 0, "finding": before["finding"] + 1,
                                  "audit_event": before["audit_event"] + 1}


@pytest.mark.sqlite_only
def test_downgrade_of_a_file_drops_only_the_table(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    with Workspace(path) as ws:
        import_package(ws, samples_fitting("0012")[0], untrusted=True)
    downgrade_workspace(path, "0013")  # the schema as 0013 left it (later migrations undone)
    schema, before = schema_of(path), table_counts(path)
    downgrade_workspace(path, "0012")
    assert schema_of(path) == {name: sql for name, sql in schema.items() if TABLE not in name}
    assert table_counts(path) == {name: count for name, count in before.items() if name != TABLE}


def _server_revision(url: str, target: str) -> None:
    """Take a team server's schema down to `target`, as an older `server init` left it, rows and all."""
    from alembic import command

    from workbench.store.engine import create_server_engine

    engine = create_server_engine(url)
    try:
        with engine.connect() as connection, connection.begin():
            cfg = migrate.alembic_config()
            cfg.attributes["connection"] = connection
            command.downgrade(cfg, target)
    finally:
        engine.dispose()


@pytest.mark.skipif(not available(), reason="PostgreSQL's initdb/pg_ctl are not installed")
def test_upgrade_of_a_team_server_keeps_every_row(pg_cluster: Cluster) -> None:
    database = pg_cluster.fresh_database()
    url = pg_cluster.url(database)
    try:
        with ServerWorkspace(url) as ws:
            uids = [import_package(ws, package, untrusted=True) for package in samples_fitting("0012")[:2]]
        _server_revision(url, "0012")
        before = table_counts(SimpleNamespace(is_server=True, url=url))  # an older schema: read with plain SQL
        assert TABLE not in before and before["finding"] > 10 and before["audit_event"] > 50

        schema = init_server(url)  # `workbench server init` upgrades the older schema
        assert (schema.before, schema.after) == ("0012", migrate.head_revision())
        with ServerWorkspace(url) as ws:
            assert table_counts(ws) == {**before, TABLE: 0}
            assert all(verify_engagement(ws, uid).ok for uid in uids)
            records.add_record(ws, uids[0], "finding", {"title": "Added after the upgrade", "severity": "Low"})
            assert verify_engagement(ws, uids[0]).ok
        import psycopg

        with psycopg.connect(url) as conn:  # row-level security covers the new table as every other
            assert conn.execute("SELECT relrowsecurity FROM pg_class WHERE relname = %s", (TABLE,)).fetchone() == (
                True,)
            assert conn.execute("SELECT count(*) FROM pg_policies WHERE tablename = %s", (TABLE,)).fetchone() == (1,)
    finally:
        pg_cluster.drop(database)
