"""Plain sqlite3 connections to a workspace, without SQLAlchemy (store/engine.py makes the engine).

Together with engine.py this is the one place where connections to a workspace are made: the
light read paths (the start page, `workbench list`) and the chart cache open theirs here, so they
need not import SQLAlchemy, and encryption at rest changes the driver in these two modules only.

An encrypted workspace (store/keys.py) is opened with SQLCipher (the sqlcipher3 module, the same DB-API
as sqlite3 with its own exception classes: catch fs.faults.database_errors()) and keyed with its raw 256-bit key
before anything else runs on the connection; a plain one with Python's sqlite3.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from workbench.store.keys import workspace_key

BUSY_TIMEOUT_MS = 5000
APP_NAME = "workbench"
PLAIN_ENV = "WORKBENCH_PLAIN_WORKSPACE"  # "1": new workspaces are created plain without asking (the test suite)


def plain_by_choice() -> bool:
    """Whether this environment asks for plain new workspaces (WORKBENCH_PLAIN_WORKSPACE=1). Here, not in
    services.encryption, so that the app's start can ask before the cryptography libraries load."""
    return os.environ.get(PLAIN_ENV, "") == "1"


def default_workspace_path() -> Path:
    """--db, then WORKBENCH_DB, then the platform's user data folder."""
    env = os.environ.get("WORKBENCH_DB")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "workspace.db"


def writable(path: Path) -> bool:
    """Whether this process may change the workspace: the file (if it exists) and its folder, which holds the
    lock and SQLite's -wal and -shm files. On a read-only disk even the administrator may not."""
    folder_ok = os.access(path.parent, os.W_OK | os.X_OK)
    return folder_ok and (not path.exists() or os.access(path, os.W_OK))


def _disk_full(folder: Path) -> bool:
    """Too full for SQLite's wal-index (32 KiB): a reader could not even open the workspace normally."""
    try:
        return shutil.disk_usage(folder).free < 64 * 1024
    except OSError:
        return False


def _wal_has_data(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def read_only_uri(path: Path, *, brief: bool = False) -> str:
    """How to open the workspace without writing a byte.

    immutable=1 (SQLite then reads the main file alone and creates no -wal or -shm) when no committed
    change waits in the -wal and nobody can be writing: the workspace is not writable here or its disk is
    full, or, for a `brief` check, no writer has the file open (it has no -wal file at all). Otherwise
    mode=ro, which reads the -wal too (SQLite keeps the wal-index in memory when the -shm cannot be written)."""
    wal_exists = path.with_name(path.name + "-wal").exists()
    stuck = not writable(path) or _disk_full(path.parent)
    quiet = not _wal_has_data(path) and (stuck or (brief and not wal_exists))
    return f"file:{quote(path.as_posix(), safe='/:')}?{'immutable=1' if quiet else 'mode=ro'}"


def cipher_module() -> Any:
    """SQLCipher's DB-API module, its error log silenced (its own lines on stderr would follow ours)."""
    import sqlcipher3.dbapi2 as sqlcipher

    if not getattr(sqlcipher, "_workbench_quiet", False):
        probe = sqlcipher.connect(":memory:")
        probe.execute("PRAGMA cipher_log_level = NONE")
        probe.close()
        sqlcipher._workbench_quiet = True
    return sqlcipher


def connect(path: Path, target: str | Path, *, uri: bool = False, timeout: float = 5.0,
            check_same_thread: bool = True, key: bytes | None = None, cipher: bool = False) -> sqlite3.Connection:
    """A connection to `target` (the workspace at `path`, or a URI naming it): with SQLCipher and its key
    (the session's unless `key` is given) when the workspace is encrypted, else with sqlite3 (with SQLCipher
    unkeyed if `cipher`: a plain file read by the driver that can export it encrypted)."""
    key = key if key is not None else workspace_key(path)
    if key is None and not cipher:
        return sqlite3.connect(target, uri=uri, timeout=timeout, check_same_thread=check_same_thread)
    conn = cipher_module().connect(str(target), uri=uri, timeout=timeout, check_same_thread=check_same_thread)
    if key is not None:
        conn.execute(f"PRAGMA key = \"{raw_key(key)}\"")  # a raw key: no key derivation per connection
    return cast(sqlite3.Connection, conn)


def raw_key(key: bytes) -> str:
    """SQLCipher's notation for a raw 256-bit key (used as is, without PBKDF2)."""
    return f"x'{key.hex()}'"


def open_raw(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A plain sqlite3 connection, for checks that must not modify the file and for backups."""
    if read_only:
        return connect(path, read_only_uri(path, brief=True), uri=True)
    conn = connect(path, path, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


def open_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection that reads alongside a running writer (what the read-only engine opens too), and
    reads a workspace on a read-only file, folder or disk without writing a byte."""
    conn = connect(path, read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn
