"""A team server's workspace (PostgreSQL): create or upgrade its schema.

`workbench server init --db postgresql://…` runs here: the same Alembic migrations as a workspace file's,
on the server, in one transaction (store.migrate.upgrade_server).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.errors import WorkspaceError
from workbench.store.location import is_server_url, shown

__all__ = ["ServerSchema", "init_server"]


@dataclass(frozen=True)
class ServerSchema:
    """What `server init` did: the schema revision before (None: an empty database) and after."""

    location: str
    before: str | None
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def init_server(url: str) -> ServerSchema:
    """Create the workspace schema in the (empty) database at `url`, or upgrade an older one to this version."""
    if not is_server_url(url):
        raise WorkspaceError(f"{url} is not a team server's address (postgresql://user@host/database)")
    from workbench.store.engine import create_server_engine
    from workbench.store.migrate import upgrade_server
    from workbench.store.server_workspace import server_faults

    engine = create_server_engine(url)
    try:
        with server_faults(url):
            before, after = upgrade_server(engine)
    finally:
        engine.dispose()
    return ServerSchema(shown(url), before, after)
