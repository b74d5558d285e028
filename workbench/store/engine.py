"""The one place where database connections are made.

Encryption at rest (SQLCipher, store/keys.py) changes the driver here and in connect.py only (plain
connections, importable without SQLAlchemy): nothing else in the code base calls create_engine or
sqlite3.connect on the workspace. An encrypted workspace's engine uses the sqlcipher3 module as its
DB-API (so SQLAlchemy wraps its errors) and keys each new connection before the pragmas below.

Transactions: Python's sqlite3 driver starts a transaction only before an INSERT/UPDATE/DELETE, so
the SELECTs of one session would each see their own snapshot while another thread or process commits
(a verifier reading records, then events, would report a false break). The driver's own transaction
handling is therefore switched off (isolation_level = None) and every SQLAlchemy transaction, a
session's included, starts with an explicit BEGIN: everything a session reads comes from one
snapshot. A session opened for writing (execution option WRITE) starts with BEGIN IMMEDIATE, taking
the write lock before its first read, so two writers wait for each other instead of one failing
when its snapshot has gone stale.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

from workbench.fs.files import atomic_path
from workbench.store.connect import BUSY_TIMEOUT_MS, cipher_module, connect, open_raw, read_only_uri, writable
from workbench.store.keys import key_file, workspace_key

__all__ = ["BUSY_TIMEOUT_MS", "WRITE", "backup_database", "create_server_engine", "create_workspace_engine", "open_raw",
           "read_only_uri", "writable"]

WRITE = "workbench_write"  # execution option: this connection's transactions begin IMMEDIATE


def create_workspace_engine(path: Path, *, foreign_keys: bool = True, read_only: bool = False) -> Engine:
    """An engine whose every connection has the workspace pragmas set."""
    key = workspace_key(path)
    url = f"sqlite:///{read_only_uri(path)}&uri=true" if read_only else f"sqlite:///{path.as_posix()}"
    if key is None:
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
                               hide_parameters=True)  # an error's text, which may reach the log, quotes no record
    else:
        def keyed() -> sqlite3.Connection:
            target = read_only_uri(path) if read_only else path
            return connect(path, target, uri=read_only, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                           key=key)

        engine = create_engine(url, module=cipher_module(), creator=keyed, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun by _begin below
        cursor = dbapi_connection.cursor()
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(WRITE, False) and not read_only
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def create_server_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine on a team server's PostgreSQL database (psycopg 3), `url` as store.location takes it.

    A session reads from one snapshot (REPEATABLE READ), as a workspace file's does; a session opened for
    writing (store.server_workspace) runs READ COMMITTED instead and serialises on the rows it locks (an
    engagement's row, SELECT … FOR UPDATE: services.unit.change), so two auditors writing different engagements
    never wait for each other. A read-only workspace's transactions are READ ONLY on the server too."""
    from workbench.store.location import driver_url

    options = "-c default_transaction_read_only=on" if read_only else ""
    return create_engine(driver_url(url), isolation_level="REPEATABLE READ", pool_pre_ping=True,
                         connect_args={"options": options, "application_name": "workbench"}, hide_parameters=True)


def backup_database(source: Path, target: Path) -> None:
    """Copy a live workspace with the SQLite backup API (a file copy would miss the WAL) into a private file
    beside the target, renamed into place when complete: a full disk leaves no empty or partial backup."""
    key = workspace_key(source)
    if key is not None:  # the backup is encrypted with the same key: its key file goes beside it
        with atomic_path(key_file(target), private=True) as temp:
            shutil.copyfile(key_file(source), temp)
    with atomic_path(target, private=True) as temp:
        src = open_raw(source, read_only=not writable(source))
        try:
            dst = connect(source, temp, key=key) if key is not None else sqlite3.connect(temp)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
