"""Whole-workspace backup and restore, always through the SQLite backup API."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from workbench.domain.errors import NotFoundError, WorkspaceError
from workbench.store.engine import backup_database, open_raw
from workbench.store.migrate import check_compatible, upgrade_workspace
from workbench.store.workspace import Workspace


def restore_workspace(ws: Workspace, source: Path) -> Path:
    """Replace the open workspace's content with `source`; the current content is saved first.

    The source is checked (a workspace, not newer than this app, intact) before anything changes.
    """
    source = Path(source)
    if not source.is_file():
        raise NotFoundError(f"no file {source}")
    revision = check_compatible(source)
    if revision is None:
        raise WorkspaceError(f"{source.name} is not a workspace backup.")
    check = open_raw(source, read_only=True)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise WorkspaceError(f"{source.name} is damaged and cannot be restored.")
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(f"{source.name} cannot be read as a workspace ({exc}).") from exc
    finally:
        check.close()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    kept = ws.path.parent / "backups" / f"{ws.path.stem}-{stamp}-before-restore.db"
    backup_database(ws.path, kept)
    ws.engine.dispose()
    src = open_raw(source, read_only=True)
    dst = open_raw(ws.path)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    upgrade_workspace(ws.path)
    return kept
