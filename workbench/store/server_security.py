"""Who may see what on a team server: engagement membership and row-level security (PostgreSQL only).

Each auditor connects as their own PostgreSQL role. `engagement_member` says which roles are staffed on which
engagement and as what (preparer, reviewer, partner); a row-level security policy on every table lets a role
read and write only the rows of the engagements it is a member of:

- a table with an `engagement_id` column (the records, answers, snapshots, evidence, sign-offs…): that engagement;
- `engagement`: its own id; `audit_event`: its engagement's uid;
- `client`: a client of an engagement the role may see, or a client no engagement uses yet (one being created);
- `evidence_blob`: content cited by evidence the role may see, or cited by none yet (one being attached);
- `engagement_member`: the role's own memberships and those of its engagements (read only: granting is the
  administrator's, `workbench server grant`);
- `framework_definition` and `alembic_version`: the firm's, readable by all; any other table (the report chart
  cache, and a table a later version adds before this is re-run) is closed to members (RLS on, no policy).

Whoever creates an engagement becomes its first member (preparer): a trigger claims the new row's id, which must
be the id this very session just drew from the engagement sequence, so nobody can claim an existing engagement.
The membership checks are SECURITY DEFINER functions (they read engagement_member past its own policy) and
VOLATILE, so they see the creator's membership written by that trigger within the same INSERT.

The table owner (the administrator who ran `server init`) and superusers are not bound by these policies.
`install` is idempotent and runs in `server init`'s transaction after the migrations (store.migrate).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

__all__ = ["DUTIES", "MEMBER_TABLE", "OPEN_TABLES", "install", "policy_of"]

DUTIES = ("preparer", "reviewer", "partner")
MEMBER_TABLE = "engagement_member"
OPEN_TABLES = frozenset({"framework_definition", "alembic_version"})
POLICY = "workbench_member"

_FUNCTIONS = (
    f"""CREATE TABLE IF NOT EXISTS {MEMBER_TABLE} (
        engagement_id integer NOT NULL REFERENCES engagement(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        role_name name NOT NULL,
        duty text NOT NULL CHECK (duty IN ({", ".join(f"'{duty}'" for duty in DUTIES)})),
        PRIMARY KEY (engagement_id, role_name))""",
    f"""CREATE OR REPLACE FUNCTION workbench_member(eid integer, who name) RETURNS boolean
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
        SELECT EXISTS (SELECT 1 FROM {MEMBER_TABLE} WHERE engagement_id = eid AND role_name = who) $$""",
    f"""CREATE OR REPLACE FUNCTION workbench_member_uid(euid text, who name) RETURNS boolean
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
        SELECT EXISTS (SELECT 1 FROM {MEMBER_TABLE} AS m JOIN engagement AS e ON e.id = m.engagement_id
                       WHERE e.uid = euid AND m.role_name = who) $$""",
    f"""CREATE OR REPLACE FUNCTION workbench_client_visible(cid integer, who name) RETURNS boolean
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
        SELECT EXISTS (SELECT 1 FROM {MEMBER_TABLE} AS m JOIN engagement AS e ON e.id = m.engagement_id
                       WHERE e.client_id = cid AND m.role_name = who)
            OR NOT EXISTS (SELECT 1 FROM engagement WHERE client_id = cid) $$""",
    f"""CREATE OR REPLACE FUNCTION workbench_blob_visible(digest text, who name) RETURNS boolean
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
        SELECT EXISTS (SELECT 1 FROM {MEMBER_TABLE} AS m JOIN evidence AS ev ON ev.engagement_id = m.engagement_id
                       WHERE ev.sha256 = digest AND m.role_name = who)
            OR NOT EXISTS (SELECT 1 FROM evidence WHERE sha256 = digest) $$""",
    f"""CREATE OR REPLACE FUNCTION workbench_claim(eid integer, who name) RETURNS void
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
        BEGIN
            IF eid = currval(pg_get_serial_sequence('engagement', 'id'))
               AND NOT EXISTS (SELECT 1 FROM {MEMBER_TABLE} WHERE engagement_id = eid) THEN
                INSERT INTO {MEMBER_TABLE} (engagement_id, role_name, duty) VALUES (eid, who, 'preparer');
            END IF;
        END $$""",
    """CREATE OR REPLACE FUNCTION workbench_engagement_created() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM workbench_claim(NEW.id, current_user);
            RETURN NEW;
        END $$""",
    "DROP TRIGGER IF EXISTS workbench_engagement_created ON engagement",
    """CREATE TRIGGER workbench_engagement_created BEFORE INSERT ON engagement
        FOR EACH ROW EXECUTE FUNCTION workbench_engagement_created()""",
    f"REVOKE ALL ON {MEMBER_TABLE} FROM PUBLIC",
)


def policy_of(table: str, columns: set[str]) -> str | None:
    """The row filter of `table` (SQL over its columns and current_user); None: closed to members."""
    if table == "engagement":
        return "workbench_member(id, current_user)"
    if table == "audit_event":
        return "workbench_member_uid(engagement_uid, current_user)"
    if table == "client":
        return "workbench_client_visible(id, current_user)"
    if table == "evidence_blob":
        return "workbench_blob_visible(sha256, current_user)"
    if table == MEMBER_TABLE:
        return "role_name = current_user OR workbench_member(engagement_id, current_user)"
    if "engagement_id" in columns:
        return "workbench_member(engagement_id, current_user)"
    return None


def install(connection: Connection) -> None:
    """Create the membership table, its functions and trigger, and a policy on every table (idempotent)."""
    from sqlalchemy import inspect

    for statement in _FUNCTIONS:
        connection.exec_driver_sql(statement)
    inspector = inspect(connection)
    for table in inspector.get_table_names():
        if table in OPEN_TABLES:
            continue
        columns = {column["name"] for column in inspector.get_columns(table)}
        connection.exec_driver_sql(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        connection.exec_driver_sql(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"')
        rule = policy_of(table, columns)
        if rule is None:
            continue
        check = "" if table == MEMBER_TABLE else f" WITH CHECK ({rule})"
        scope = " FOR SELECT" if table == MEMBER_TABLE else ""
        connection.exec_driver_sql(f'CREATE POLICY {POLICY} ON "{table}"{scope} USING ({rule}){check}')
