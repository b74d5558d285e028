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
from workbench.store.connect import APP_NAME, default_workspace_path
from workbench.store.engine import WRITE, backup_database, create_workspace_engine
from workbench.store.lock import WorkspaceLock
from workbench.store.migrate import check_compatible, head_revision, upgrade_workspace

log = logging.getLogger(__name__)
__all__ = ["APP_NAME", "Workspace", "default_actor", "default_workspace_path"]


def default_actor() -> str:
    try:
        return os.environ.get("WORKBENCH_ACTOR") or getpass.getuser()
    except Exception:  # getuser fails in some containers without a passwd entry
        return "auditor"


class Workspace:
    """One SQLite workspace file. Writers hold its lock from open() to close()."""

    def __init__(self, path: Path, *, read_only: bool = False, actor: str | None = None) -> None:
        self.path = Path(path).expanduser().resolve()
        self.read_only = read_only
        self.actor = actor or default_actor()
        self.last_backup: Path | None = None
        self._lock = WorkspaceLock(self.path)
        self._engine: Engine | None = None

    def open(self) -> Workspace:
        if self.path.is_dir():
            raise WorkspaceError(f"{self.path} is a folder, not a workspace file.")
        if self.read_only:
            revision = check_compatible(self.path)
            if revision is None:
                raise WorkspaceError(f"There is no workspace at {self.path} yet.")
            if revision != head_revision():
                raise WorkspaceError(f"{self.path.name} needs an upgrade; open it once for writing first.")
            self._engine = create_workspace_engine(self.path, read_only=True)
            return self
        check_compatible(self.path)  # refuse a newer schema before even taking the lock
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock.acquire()
        try:
            self.last_backup = upgrade_workspace(self.path)
            self._engine = create_workspace_engine(self.path)
        except BaseException:
            self._lock.release()
            raise
        return self

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise WorkspaceError("the workspace is not open")
        return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for reading: whatever it reads comes from one snapshot (store.engine)."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session in a write transaction, begun IMMEDIATE: committed when the block ends, rolled back
        on any error."""
        if self.read_only:
            raise WorkspaceError(f"{self.path.name} is open read-only; it cannot be changed.")
        with Session(self.engine.execution_options(**{WRITE: True}), expire_on_commit=False) as session, \
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
