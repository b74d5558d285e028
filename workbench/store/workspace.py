"""An open workspace: the lock, the migrated schema and a session factory, in that order."""

from __future__ import annotations

import getpass
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from sqlalchemy import Engine
from sqlmodel import Session

from workbench.domain.errors import WorkspaceError
from workbench.fs.faults import storage_faults
from workbench.fs.files import PRIVATE_FILE, private_folder
from workbench.store.connect import APP_NAME, default_workspace_path
from workbench.store.engine import WRITE, backup_database, create_workspace_engine, writable
from workbench.store.lock import WorkspaceLock
from workbench.store.migrate import check_compatible, head_revision, upgrade_workspace

log = logging.getLogger(__name__)
__all__ = ["APP_NAME", "ReadOnlyWorkspace", "Workspace", "default_actor", "default_workspace_path"]


class ReadOnlyWorkspace(WorkspaceError):
    """The workspace cannot be changed here; it can still be opened read-only."""


def default_actor() -> str:
    try:
        return os.environ.get("WORKBENCH_ACTOR") or getpass.getuser()
    except Exception:  # getuser fails in some containers without a passwd entry
        return "auditor"


class Workspace:
    """One SQLite workspace file. Writers hold its lock from open() to close().

    store.server_workspace.ServerWorkspace is the same on a team server's database: it has no `path` (asking
    for it is refused in words: what needs a file, such as a backup or encryption, is a workspace file's)."""

    is_server = False

    def __init__(self, path: Path, *, read_only: bool = False, actor: str | None = None) -> None:
        self._path = Path(path).expanduser().resolve()
        self.read_only = read_only
        self.actor = actor or default_actor()
        self.last_backup: Path | None = None
        self._lock = WorkspaceLock(self.path)
        self._engine: Engine | None = None

    @property
    def path(self) -> Path:
        """The workspace file."""
        return self._path

    @property
    def location(self) -> str:
        """Where the workspace is, for people: its file's path, or the server's URL without a password."""
        return str(self.path)

    @property
    def name(self) -> str:
        """A short name for messages: the file's name, or the server's database."""
        return self.path.name

    def open(self) -> Workspace:
        """Open for reading (read_only) or writing. Writing a workspace that this process may not change (a
        read-only file, folder or disk) raises ReadOnlyWorkspace, so the caller can open it read-only."""
        if self.path.is_dir():
            raise WorkspaceError(f"{self.path} is a folder, not a workspace file.")
        with storage_faults(self.path):
            if self.read_only:
                return self._open_for_reading()
            check_compatible(self.path)  # refuse a newer schema before even taking the lock
            if self.path.exists() and not writable(self.path):
                raise ReadOnlyWorkspace(f"{self.path.name} is read-only (the file, its folder or its disk): it can be "
                                        "read, reported on and exported, but not changed.")
            private_folder(self.path.parent)
            self._lock.acquire()
            try:
                self._create_private()
                self.last_backup = upgrade_workspace(self.path)
                self._engine = create_workspace_engine(self.path)
            except BaseException:
                self._lock.release()
                raise
        return self

    def _open_for_reading(self) -> Workspace:
        revision = check_compatible(self.path)
        if revision is None:
            raise WorkspaceError(f"There is no workspace at {self.path} yet.")
        if revision != head_revision():
            raise WorkspaceError(f"{self.path.name} needs an upgrade; open it once for writing first.")
        self._engine = create_workspace_engine(self.path, read_only=True)
        return self

    def _create_private(self) -> None:
        """A new workspace file starts empty and 0600 (SQLite gives its -wal and -shm the same mode)."""
        if not self.path.exists():
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise WorkspaceError("the workspace is not open")
        return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for reading: whatever it reads comes from one snapshot (store.engine). A storage fault
        (full disk, read-only, damaged file) comes out as a StorageError in plain words."""
        with storage_faults(self.path, os_errors=False), Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session in a write transaction, begun IMMEDIATE: committed when the block ends, rolled back
        on any error."""
        if self.read_only:
            raise WorkspaceError(f"{self.path.name} is open read-only; it cannot be changed.")
        with storage_faults(self.path, os_errors=False), \
                Session(self.engine.execution_options(**{WRITE: True}), expire_on_commit=False) as session, \
                session.begin():
            yield session

    def backup_to(self, target: Path) -> None:
        backup_database(self.path, Path(target))

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        self._lock.release()

    def __enter__(self) -> Workspace:
        return self.open()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
