"""store.light's plain-SQL reads on a team server's PostgreSQL connection.

store.light writes its SQL once, with sqlite3's `?` placeholders, and calls `conn.execute(sql, params)`.
`ServerRows` gives a psycopg connection that same face: `?` becomes `%s` (a literal `%` is doubled), and JSON
columns come back as their text, as SQLite gives them (light decodes them itself). The SQL itself is the
common part of both dialects (tests/services/test_light_reads.py runs on both).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from workbench.domain.errors import WorkspaceError
from workbench.store.location import shown

log = logging.getLogger(__name__)

__all__ = ["ServerRows", "server_reader"]


class ServerRows:
    """A psycopg connection that reads like a sqlite3 one for store.light."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> Any:
        from psycopg.types.string import TextLoader

        cursor = self.connection.cursor()
        for name in ("json", "jsonb"):
            cursor.adapters.register_loader(name, TextLoader)
        cursor.execute(sql.replace("%", "%%").replace("?", "%s"), tuple(parameters))
        return cursor


@contextmanager
def server_reader(url: str) -> Iterator[ServerRows]:
    """A read-only connection to the team server's workspace, all reads in one snapshot."""
    import psycopg

    from workbench.store.location import libpq_url, not_granted, server_refusal

    try:
        connection = psycopg.connect(libpq_url(url), application_name="workbench")
    except psycopg.OperationalError as exc:
        log.warning("team server %s: %s", shown(url), exc)
        raise WorkspaceError(server_refusal(url, str(exc))) from None
    try:
        with connection:
            connection.read_only = True
            connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            with connection.transaction():
                rows = ServerRows(connection)
                _check_schema(url, rows)
                yield rows
    except psycopg.errors.InsufficientPrivilege as exc:
        log.warning("team server %s: %s", shown(url), exc)
        raise WorkspaceError(not_granted(url)) from None


def _check_schema(url: str, rows: ServerRows) -> None:
    """Refuse, in words, a database without the workspace schema or with another version of it."""
    from workbench.store.migrate import head_revision

    found = rows.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()[0]
    revision = rows.execute("SELECT version_num FROM alembic_version").fetchone()[0] if found else None
    if revision != head_revision():
        state = "has no workspace yet" if revision is None else (
            f"holds schema {revision}, this app reads {head_revision()}")
        raise WorkspaceError(f"the team server {shown(url)} {state}: its administrator runs `workbench server init`")
