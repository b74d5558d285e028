"""Checks shared by the migrations that add row_version to tables (0014, 0015): on a workspace file and on a team
server holding the sample engagements, the upgrade keeps every row of every table with every value, at version 1,
rebuilds nothing (a rebuilt parent's ON DELETE CASCADE would empty its children), and the downgrade drops only the
column. `edit(ws, engagement uid)` then proves an upgraded row takes a version-checked edit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.helpers import (
    assert_nothing_rebuilt,
    column_names,
    downgrade_workspace,
    samples_fitting,
    schema_of,
    table_counts,
    table_rows,
)
from workbench.services.packages import import_package
from workbench.services.trail import verify_engagement
from workbench.store import migrate
from workbench.store.workspace import Workspace

COLUMN = "row_version"
Edit = Callable[[Any, str], None]


def file_upgrade_keeps_every_row(path: Path, previous: str, tables: tuple[str, ...], edit: Edit) -> dict[str, int]:
    """A workspace file left at `previous` upgraded on opening; returns the rows per table it held."""
    with Workspace(path) as ws:
        uids = [import_package(ws, package, untrusted=True) for package in samples_fitting(previous)]
    downgrade_workspace(path, previous)
    assert all(COLUMN not in column_names(path, table) for table in tables)
    schema_before, before = schema_of(path), table_counts(path)
    kept = {table: table_rows(path, table, column_names(path, table)) for table in tables}
    assert all(kept[table] for table in tables)  # real rows in every table the migration changes

    with Workspace(path) as ws:  # opening upgrades, after a backup
        assert ws.last_backup is not None and table_counts(ws.last_backup) == before
        assert migrate.current_revision(path) == migrate.head_revision()
        assert all(verify_engagement(ws, uid).ok for uid in uids)  # the trail never held versions

    assert_nothing_rebuilt(schema_before, schema_of(path))
    assert table_counts(path) == before  # no row of any table lost
    for table in tables:
        old_columns = [c for c in column_names(path, table) if c != COLUMN]
        assert table_rows(path, table, old_columns) == kept[table]  # every old value of every row
        assert set(table_rows(path, table, [COLUMN])) == {(1,)}
    with Workspace(path) as ws:
        edit(ws, uids[0])
    return before


def file_downgrade_drops_only_the_versions(path: Path, revision: str, previous: str, tables: tuple[str, ...]) -> None:
    with Workspace(path) as ws:
        import_package(ws, samples_fitting(previous)[0], untrusted=True)
    downgrade_workspace(path, revision)  # the schema as `revision` left it (later migrations undone)
    before = table_counts(path)
    downgrade_workspace(path, previous)
    assert all(COLUMN not in column_names(path, table) for table in tables) and table_counts(path) == before


def server_upgrade_keeps_every_row(url: str, previous: str, tables: tuple[str, ...], edit: Edit) -> None:
    """The same on a team server, upgraded by `workbench server init`, and downgraded again."""
    from workbench.services.team_server import init_server
    from workbench.store.server_workspace import ServerWorkspace

    init_server(url)
    with ServerWorkspace(url) as ws:
        uids = [import_package(ws, package, untrusted=True) for package in samples_fitting(previous)]
        before = table_counts(ws)
    downgrade_server(url, previous)
    kept = {table: server_rows(url, table) for table in tables}
    assert all(COLUMN not in names and rows for names, rows in kept.values())

    init_server(url)  # `workbench server init` upgrades a server's schema
    for table in tables:
        names, rows = server_rows(url, table)
        assert names == [*kept[table][0], COLUMN]  # added at the end: nothing rebuilt
        assert [row[:-1] for row in rows] == kept[table][1] and {row[-1] for row in rows} == {1}
    with ServerWorkspace(url) as ws:
        assert table_counts(ws) == before  # no row of any table lost
        assert all(verify_engagement(ws, uid).ok for uid in uids)
        edit(ws, uids[0])
    downgrade_server(url, previous)  # and down again: only the versions go
    assert {table: server_rows(url, table)[0] for table in tables} == {
        table: names for table, (names, _rows) in kept.items()}


def downgrade_server(url: str, target: str) -> None:
    """What an older app left on a team server: the same data at schema `target`."""
    from alembic import command

    from workbench.store.engine import create_server_engine

    engine = create_server_engine(url)
    with engine.connect() as connection:
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, target)
        connection.commit()
    engine.dispose()


def server_rows(url: str, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """A team server's `table`: its column names in order, and every row by id (what a migration must keep)."""
    import psycopg

    with psycopg.connect(url) as conn:
        cursor = conn.execute(f'SELECT * FROM "{table}" ORDER BY id')
        return [column.name for column in cursor.description or ()], cursor.fetchall()
