"""Plain sqlite3 connections to a workspace, without SQLAlchemy (store/engine.py makes the engine).

Together with engine.py this is the one place where connections to a workspace are made: the
light read paths (the start page, `workbench list`) and the chart cache open theirs here, so they
need not import SQLAlchemy, and encryption at rest changes the driver in these two modules only.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

BUSY_TIMEOUT_MS = 5000
APP_NAME = "workbench"


def default_workspace_path() -> Path:
    """--db, then WORKBENCH_DB, then the platform's user data folder."""
    env = os.environ.get("WORKBENCH_DB")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "workspace.db"


def open_raw(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A plain sqlite3 connection, for checks that must not modify the file and for backups."""
    if read_only:
        if not path.with_name(path.name + "-wal").exists():
            # No live writer: read the closed file as immutable, which creates no -wal/-shm files.
            return sqlite3.connect(f"file:{path.as_posix()}?immutable=1", uri=True)
        return sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


def open_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection that reads alongside a running writer (what the read-only engine opens too)."""
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn
