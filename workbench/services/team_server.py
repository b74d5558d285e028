"""A team server's workspace (PostgreSQL): create or upgrade its schema, staff auditors on engagements.

`workbench server init --db postgresql://…` runs here: the same Alembic migrations as a workspace file's,
on the server, in one transaction, then the membership table and row-level security (store.migrate.upgrade_server,
store.server_security). `workbench server grant ENG ROLE --as DUTY` staffs a PostgreSQL role on an engagement.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.errors import ValidationError, WorkspaceError
from workbench.store.location import is_server_url, shown
from workbench.store.server_security import DUTIES, MEMBER_TABLE

__all__ = ["Membership", "ServerSchema", "grant_membership", "init_server"]


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


@dataclass(frozen=True)
class Membership:
    """A role staffed on an engagement, and as what."""

    engagement_ref: str
    role: str
    duty: str


def grant_membership(url: str, engagement_key: str, role: str, duty: str) -> Membership:
    """Staff the PostgreSQL `role` on the engagement as `duty` (preparer, reviewer or partner), or change its duty;
    the role gets the table privileges every member needs (its rows are still limited by row-level security).
    Only the server's administrator (the owner of the workspace's tables) may do it."""
    if duty not in DUTIES:
        raise ValidationError(f"--as must be one of {', '.join(DUTIES)}, not '{duty}'")
    from workbench.services.unit import resolve_engagement
    from workbench.store.server_workspace import ServerWorkspace

    with ServerWorkspace(url) as ws, ws.writing() as session:
        connection = session.connection()
        may = connection.exec_driver_sql(f"SELECT has_table_privilege('{MEMBER_TABLE}', 'INSERT')").scalar()
        if not may:
            raise ValidationError("only the team server's administrator (the owner of its tables) staffs auditors on "
                                  "engagements")
        found = connection.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %(role)s", {"role": role}).first()
        if found is None:
            raise ValidationError(f"the team server has no role '{role}': its administrator creates it first "
                                  f"(CREATE ROLE \"{role}\" LOGIN PASSWORD '…')")
        engagement = resolve_engagement(session, engagement_key)
        quoted = connection.dialect.identifier_preparer.quote(role)
        for statement in (f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
                          f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
                          f"REVOKE INSERT, UPDATE, DELETE ON {MEMBER_TABLE}, alembic_version FROM {quoted}"):
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql(
            f"INSERT INTO {MEMBER_TABLE} (engagement_id, role_name, duty) VALUES (%(id)s, %(role)s, %(duty)s) "
            "ON CONFLICT (engagement_id, role_name) DO UPDATE SET duty = EXCLUDED.duty",
            {"id": engagement.id, "role": role, "duty": duty})
        return Membership(engagement.ref, role, duty)
