"""A workspace on a PostgreSQL team server: the same tables, sessions and services as a workspace file.

What differs from a file (store/workspace.py): there is no lock file (many auditors write at once; an edit
serialises on the engagement it changes, services.unit.change), no upgrade on opening (`workbench server init`
creates or upgrades the schema, store.migrate.upgrade_server), and a server that cannot be reached or refuses
the login is said in plain words (WorkspaceError), never as a driver traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlmodel import Session

from workbench.domain.errors import WorkspaceError
from workbench.store.engine import WRITE, create_server_engine
from workbench.store.location import not_granted, server_refusal, shown
from workbench.store.migrate import check_server_compatible, head_revision
from workbench.store.workspace import Workspace, default_actor

log = logging.getLogger(__name__)
__all__ = ["ServerWorkspace", "server_faults"]


@contextmanager
def server_faults(url: str) -> Iterator[None]:
    """The driver's complaint about the connection (unreachable, login refused, database missing) as one
    plain sentence naming the server; the details go to the log file."""
    from psycopg.errors import InsufficientPrivilege
    from sqlalchemy.exc import OperationalError, ProgrammingError

    try:
        yield
    except OperationalError as exc:
        log.warning("team server %s: %s", shown(url), exc.orig)
        raise WorkspaceError(server_refusal(url, str(exc.orig))) from exc
    except ProgrammingError as exc:
        if not isinstance(exc.orig, InsufficientPrivilege):
            raise
        log.warning("team server %s: %s", shown(url), exc.orig)
        raise WorkspaceError(not_granted(url)) from exc


class ServerWorkspace(Workspace):
    """A workspace on a team server's database, named by its URL (store.location)."""

    is_server = True

    def __init__(self, url: str, *, read_only: bool = False, actor: str | None = None) -> None:
        self.url = url.strip()
        self.read_only = read_only
        self.actor = actor or default_actor()
        self.last_backup: Path | None = None
        self._engine = None

    @property
    def path(self) -> Path:
        raise WorkspaceError(f"{self.location} is a team-server workspace, not a file: this works on a workspace "
                             "file only")

    @property
    def location(self) -> str:
        return shown(self.url)

    @property
    def name(self) -> str:
        return self.location.rsplit("/", 1)[-1].split("?", 1)[0] or self.location

    def open(self) -> ServerWorkspace:
        """Connect and check the schema: missing or older is refused (an administrator runs `workbench server
        init`), newer is refused (update the app)."""
        engine = create_server_engine(self.url, read_only=self.read_only)
        try:
            with server_faults(self.url), engine.connect() as connection:
                revision = check_server_compatible(connection)
        except BaseException:
            engine.dispose()
            raise
        if revision != head_revision():
            engine.dispose()
            state = "has no workspace yet" if revision is None else "needs a schema upgrade"
            raise WorkspaceError(f"the team server {self.location} {state}: its administrator runs "
                                 "`workbench server init --db URL` first")
        self._engine = engine
        return self

    @contextmanager
    def session(self) -> Iterator[Session]:
        with server_faults(self.url), Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction, READ COMMITTED: it waits only for the rows it locks (store.engine)."""
        if self.read_only:
            raise WorkspaceError(f"{self.location} is open read-only; it cannot be changed.")
        engine = self.engine.execution_options(**{WRITE: True}, isolation_level="READ COMMITTED")
        with server_faults(self.url), Session(engine, expire_on_commit=False) as session, session.begin():
            yield session

    def backup_to(self, target: Path) -> None:
        raise WorkspaceError(f"{self.location} is a team-server workspace: its backups are the server's (ask its "
                             "administrator); `workbench export` packages an engagement into a file")

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
