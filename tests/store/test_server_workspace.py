"""A team server's workspace on PostgreSQL: `server init` runs every migration there, the schema matches a
workspace file's, the migrations keep real rows there too, and a server that is missing, empty or unreachable
is refused in plain words.

These run on the throwaway cluster (tests/helpers/pg_cluster.py) in the default run too, whenever PostgreSQL's
binaries are installed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import samples_fitting
from tests.helpers.pg_cluster import Cluster, available
from workbench.domain.errors import WorkspaceError
from workbench.services.packages import import_package
from workbench.services.team_server import init_server
from workbench.services.trail import verify_engagement
from workbench.store import migrate
from workbench.store.server_security import MEMBER_TABLE
from workbench.store.server_workspace import ServerWorkspace
from workbench.store.workspace import Workspace

pytestmark = pytest.mark.skipif(not available(), reason="PostgreSQL's initdb/pg_ctl are not installed")


@pytest.fixture
def empty_database(pg_cluster: Cluster) -> Iterator[str]:
    name = f"empty_{id(object())}"
    pg_cluster.sql(f"CREATE DATABASE {name}")
    try:
        yield pg_cluster.url(name)
    finally:
        pg_cluster.drop(name)


def _columns(engine: Any) -> dict[str, list[str]]:
    from sqlalchemy import inspect

    inspector = inspect(engine)
    return {table: sorted(column["name"] for column in inspector.get_columns(table))
            for table in inspector.get_table_names()}


def test_server_init_creates_the_schema_a_workspace_file_has(empty_database: str, tmp_path: Path) -> None:
    first = init_server(empty_database)
    assert (first.before, first.after) == (None, migrate.head_revision())
    again = init_server(empty_database)
    assert (again.before, again.after, again.changed) == (migrate.head_revision(), migrate.head_revision(), False)
    with Workspace(tmp_path / "file.db") as file_ws, ServerWorkspace(empty_database) as server_ws:
        on_server = _columns(server_ws.engine)
        assert on_server.pop(MEMBER_TABLE) == ["duty", "engagement_id", "role_name"]  # the server's own (security)
        assert on_server == _columns(file_ws.engine)


def test_every_migration_keeps_real_rows_on_the_server(empty_database: str) -> None:
    """Down to 0004 and up again, one migration at a time, on a server holding the samples: nothing lost."""
    from alembic import command
    from sqlalchemy import text

    from workbench.store.engine import create_server_engine

    init_server(empty_database)
    with ServerWorkspace(empty_database) as ws:
        uids = [import_package(ws, package, untrusted=True) for package in samples_fitting("0004")]
    engine = create_server_engine(empty_database)

    def counts() -> dict[str, int]:
        with engine.connect() as connection:
            return {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                    for table in ("engagement", "finding", "risk", "audit_event", "evidence", "signoff")}

    before = counts()
    assert before["audit_event"] > 100 and before["finding"] > 0
    revisions = sorted(migrate.known_revisions())
    for target in reversed(revisions[revisions.index("0004"):-1]):
        with engine.connect() as connection:
            cfg = migrate.alembic_config()
            cfg.attributes["connection"] = connection
            command.downgrade(cfg, target)
            connection.commit()
        assert counts() == before, f"rows lost going down to {target}"
    init_server(empty_database)
    engine.dispose()
    with ServerWorkspace(empty_database) as ws:
        assert all(verify_engagement(ws, uid).ok for uid in uids)
    assert counts() == before


def test_an_empty_database_is_refused_until_server_init(empty_database: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main

    with pytest.raises(WorkspaceError, match="has no workspace yet.*server init"):
        ServerWorkspace(empty_database).open()
    assert main(["--db", empty_database, "list"]) == 2
    assert "has no workspace yet" in capsys.readouterr().err
    assert main(["--db", empty_database, "server", "init"]) == 0
    assert capsys.readouterr().out.strip().endswith(f"workspace schema created ({migrate.head_revision()})")
    assert main(["--db", empty_database, "list", "--json"]) == 0 and capsys.readouterr().out.strip() == "[]"


def test_an_unreachable_server_and_a_missing_database_are_said_in_words(pg_cluster: Cluster) -> None:
    with pytest.raises(WorkspaceError, match="no such database"):
        ServerWorkspace(pg_cluster.url("no_such_database")).open()
    with pytest.raises(WorkspaceError, match="cannot be reached"):
        ServerWorkspace("postgresql://nobody@/audits?host=/nonexistent-socket-folder").open()


def test_a_newer_schema_is_refused_and_left_alone(empty_database: str) -> None:
    import psycopg

    init_server(empty_database)
    with psycopg.connect(empty_database, autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(WorkspaceError, match="newer version"):
        ServerWorkspace(empty_database).open()
    with pytest.raises(WorkspaceError, match="newer version"):
        init_server(empty_database)
    with psycopg.connect(empty_database) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999",)


def test_a_file_only_operation_is_refused_on_the_server(empty_database: str, tmp_path: Path) -> None:
    init_server(empty_database)
    with ServerWorkspace(empty_database) as ws:
        with pytest.raises(WorkspaceError, match="team-server workspace"):
            ws.backup_to(tmp_path / "copy.db")
        with pytest.raises(WorkspaceError, match="not a file"):
            _ = ws.path
