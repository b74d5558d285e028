"""Plain sqlite3 connections to a workspace, without SQLAlchemy (store/engine.py makes the engine).

Together with engine.py this is the one place where connections to a workspace are made: the
light read paths (the start page, `workbench list`) and the chart cache open theirs here, so they
need not import SQLAlchemy, and encryption at rest changes the driver in these two modules only.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path
from urllib.parse import quote

BUSY_TIMEOUT_MS = 5000
APP_NAME = "workbench"


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


def open_raw(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A plain sqlite3 connection, for checks that must not modify the file and for backups."""
    if read_only:
        return sqlite3.connect(read_only_uri(path, brief=True), uri=True)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


def open_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection that reads alongside a running writer (what the read-only engine opens too), and
    reads a workspace on a read-only file, folder or disk without writing a byte."""
    conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn
