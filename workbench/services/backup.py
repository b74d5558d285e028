"""Whole-workspace backup and restore, always through the SQLite backup API."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from workbench.domain.errors import NotFoundError, WorkspaceError
from workbench.fs.faults import database_errors
from workbench.store.engine import backup_database, open_raw
from workbench.store.keys import is_encrypted, read_wrapped
from workbench.store.migrate import check_compatible, upgrade_workspace
from workbench.store.workspace import Workspace


def _same_key(source: Path, workspace: Path) -> bool:
    """The SQLite backup API copies pages between two plain files or two files under one key only."""
    encrypted = is_encrypted(source)
    if encrypted != is_encrypted(workspace):
        return False
    return not encrypted or read_wrapped(source).key_id == read_wrapped(workspace).key_id


def restore_workspace(ws: Workspace, source: Path) -> Path:
    """Replace the open workspace's content with `source`; the current content is saved first.

    The source is checked (a workspace, not newer than this app, intact) before anything changes.
    """
    source = Path(source)
    if not source.is_file():
        raise NotFoundError(f"no file {source}")
    if not _same_key(source, ws.path):
        raise WorkspaceError(f"{source.name} and {ws.path.name} are not encrypted with the same key (or one is "
                             "plain): a workspace is restored from its own backups; decrypt or encrypt one first. "
                             "Nothing was changed.")
    revision = check_compatible(source)
    if revision is None:
        raise WorkspaceError(f"{source.name} is not a workspace backup.")
    check = open_raw(source, read_only=True)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise WorkspaceError(f"{source.name} is damaged and cannot be restored.")
    except database_errors() as exc:
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
