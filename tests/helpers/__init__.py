"""Assertions and workspace tricks several test packages share."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def assert_same(a: Any, b: Any, where: str = "document") -> None:
    """Deep equality that names the first differing path (and tells 1 from 1.0 and True)."""
    assert type(a) is type(b), (where, a, b)
    if isinstance(a, dict):
        assert sorted(a) == sorted(b), where
        for key in a:
            assert_same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{where}[{index}]")
    else:
        assert a == b, where


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection to a workspace, plain or encrypted (its key unlocked in this session): store.connect's."""
    from workbench.store.connect import open_raw

    return open_raw(Path(path), read_only=read_only)


def _server_url(target: Any) -> str | None:
    """The team server's URL when `target` is a server workspace (store.server_workspace), else None."""
    return str(target.url) if getattr(target, "is_server", False) else None


def _server_tables(conn: Any) -> list[str]:
    return [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                           "ORDER BY tablename")]


def table_counts(path: Any, tables: Iterable[str] | None = None) -> dict[str, int]:
    """Rows per table (every table when none are named) of a workspace file, or of an open server workspace."""
    url = _server_url(path)
    if url is not None:
        import psycopg

        with psycopg.connect(url) as server:
            names = list(tables) if tables is not None else _server_tables(server)
            return {name: server.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}  # type: ignore[index]
    path = getattr(path, "path", path)
    conn = connect(path)
    try:
        names = list(tables) if tables is not None else [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}
    finally:
        conn.close()


#: Tables a later migration adds, empty in the older migrations' tests: their counts leave them out (old_counts).
#: engagement checkouts (0013)
LATER_TABLES = frozenset({"engagement_checkout"})


def old_counts(path: Any) -> dict[str, int]:
    """table_counts without LATER_TABLES: a workspace's rows compared across a downgrade below them, or an upgrade."""
    return {name: count for name, count in table_counts(path).items() if name not in LATER_TABLES}


def downgrade_workspace(path: Path, target: str) -> None:
    """What an older app left behind: the same data at schema `target` (foreign keys off, as migrate does)."""
    from alembic import command

    from workbench.store import migrate
    from workbench.store.engine import create_workspace_engine

    engine = create_workspace_engine(path, foreign_keys=False)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, target)
        connection.commit()
    engine.dispose()


def assert_nothing_rebuilt(before: dict[str, str], after: dict[str, str]) -> None:
    """Every schema object of `before` is still there as it was, or (a table) only grew columns at its end.

    ALTER TABLE ... ADD COLUMN keeps a table's CREATE text and inserts the column definitions after the
    last column; a batch rebuild writes the table anew (DROP and CREATE), which this refuses.
    """
    for name, sql in before.items():
        assert name in after, f"{name} was dropped"
        grown = after[name]
        if grown == sql:
            continue
        shorter = min(len(sql), len(grown))
        start = next((i for i in range(shorter) if sql[i] != grown[i]), shorter)
        end = next((i for i in range(shorter - start) if sql[-1 - i] != grown[-1 - i]), shorter - start)
        inserted, removed = grown[start:len(grown) - end], sql[start:len(sql) - end]
        assert not removed and inserted.strip(" ,") and "CREATE" not in inserted.upper(), \
            f"{name} was rebuilt, not only extended:\n{sql}\n---\n{grown}"


def schema_of(path: Path) -> dict[str, str]:
    """Name → CREATE statement of every table and index of a database."""
    conn = connect(path)
    try:
        return dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL").fetchall())
    finally:
        conn.close()


def column_names(path: Path, table: str) -> list[str]:
    """The columns of `table`, in their order (what a migration added or dropped)."""
    conn = connect(path)
    try:
        return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
    finally:
        conn.close()


def table_rows(path: Path, table: str, columns: list[str]) -> list[tuple[object, ...]]:
    """`columns` of every row of `table` by id: the rows a migration must keep."""
    conn = connect(path)
    try:
        names = ", ".join(f'"{c}"' for c in columns)
        return conn.execute(f'SELECT {names} FROM "{table}" ORDER BY id').fetchall()
    finally:
        conn.close()


def legacy_signoff(ws: Any, engagement_key: str, role: str, name: str, scope: str = "") -> str:
    """A sign-off as the app gave it before signing identities (migration 0006): a typed name, no identity,
    and an event that does not name the identity columns. Returns its uid."""
    import uuid

    from workbench.services.unit import change
    from workbench.store.tables import Signoff, row_to_dict

    with change(ws, engagement_key) as unit:
        row = Signoff(engagement_id=unit.engagement.id, uid=str(uuid.uuid4()), role=role, name=name, scope=scope,
                      signed_at=unit.at, note="")
        unit.session.add(row)
        unit.session.flush()
        state = {k: v for k, v in row_to_dict(row).items() if k not in ("identity_id", "fingerprint")}
        unit.record("sign_off", "signoff", row.uid, None, state)
        return row.uid


def content_hash(path: Any) -> str:
    """A digest of everything a workspace holds: a file's read through SQLite so WAL content counts; an open server
    workspace's (tests on the PostgreSQL backend) every table's rows in a fixed order."""
    url = _server_url(path)
    if url is not None:
        return _server_content_hash(url)
    path = getattr(path, "path", path)
    conn = connect(path, read_only=True)
    try:
        digest = hashlib.sha256()
        # SQLCipher's connection has no iterdump: the standard library's dump reads through any DB-API connection
        from sqlite3.dump import _iterdump

        for line in _iterdump(conn):
            digest.update(line.encode("utf-8"))
        return digest.hexdigest()
    finally:
        conn.close()


def _server_content_hash(url: str) -> str:
    import psycopg

    digest = hashlib.sha256()
    with psycopg.connect(url) as server:
        for name in _server_tables(server):
            digest.update(name.encode("utf-8"))
            for row in server.execute(f'SELECT * FROM "{name}" ORDER BY 1'):
                digest.update(repr(row).encode("utf-8"))
    return digest.hexdigest()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# The sample packages as the app wrote them before migration 0005. A test that downgrades a workspace below
# 0005 imports these: today's samples hold values (a finding's item, a graded item's target) that the older
# schema cannot keep, and the trail that recorded them would rightly no longer match.
PACKAGES_BEFORE_0005 = Path(__file__).resolve().parent.parent / "store" / "data" / "before-0005"


SAMPLES_DIR = Path(__file__).resolve().parents[2] / "sample_audits"
#: Samples holding data of a later migration's columns, and that migration: a downgrade below it drops the data,
#: so their audit trails no longer match their records and they cannot stand for an older workspace.
#: affected assets (0009); who accepted a risk and why, and what shows a finding resolved (0010)
LATER_DATA = {"driftguard.mlaudit": "0010", "credit-scoring.mlaudit": "0010", "early-stage.mlaudit": "0010"}


def samples_fitting(revision: str) -> list[Path]:
    """The sample packages whose data a workspace at `revision` can hold (see LATER_DATA): today's sample, or
    the same sample as written before 0005 when today's holds data of a later migration."""
    return [path if LATER_DATA.get(path.name, "0000") <= revision else PACKAGES_BEFORE_0005 / path.name
            for path in sorted(SAMPLES_DIR.glob("*.mlaudit"))]
