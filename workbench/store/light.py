"""The reads behind the start page and the score, in plain SQL on a sqlite3 connection (no SQLAlchemy).

`workbench list`, `workbench score` and the desktop app's first frame read through `reader(path)`, which
needs neither SQLAlchemy nor the table classes (most of the time such a command used to take); the
services call the same functions with their session's connection (services.unit.dbapi). One
implementation, so the start page, the command line and the services always agree.

Each function takes any sqlite3 connection, or a team server's through store.server_rows (the SQL is the part
common to SQLite and PostgreSQL); `reader` opens one read-only inside one transaction, so a writer committing
meanwhile cannot make the reads disagree with each other.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from workbench.domain.errors import NotFoundError, ValidationError
from workbench.store.chain import EVENT_FIELDS
from workbench.store.columns import TABLE_COLUMNS, finding_facts
from workbench.store.connect import open_reader

ENGAGEMENT_FIELDS = ("id", "uid", "ref", "title", "status", "framework_id", "framework_version", "updated_at",
                     "archived", "locked_at", "previous_uid")


class Cursor(Protocol):
    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Rows(Protocol):
    """What the reads need of a connection: sqlite3's, or a server's (store.server_rows.ServerRows)."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Cursor: ...


@contextmanager
def reader(location: Path | str) -> Iterator[Rows]:
    """A read-only connection to the workspace at `location` (a file, or a team server's URL: store.location),
    all reads in one transaction."""
    from workbench.store.location import is_server_url

    if is_server_url(location):
        from workbench.store.server_rows import server_reader

        with server_reader(str(location)) as rows:
            yield rows
        return
    conn = open_reader(Path(location))
    try:
        conn.execute("BEGIN")
        yield conn
        conn.execute("COMMIT")
    finally:
        conn.close()


def _engagements(conn: Rows, where: str = "", params: tuple[object, ...] = ()) -> list[dict[str, Any]]:
    columns = ", ".join(f"e.{name}" for name in ENGAGEMENT_FIELDS)
    rows = conn.execute(f"SELECT {columns}, c.name FROM engagement AS e JOIN client AS c ON c.id = e.client_id "
                        f"{where} ORDER BY c.name, e.updated_at DESC", params).fetchall()
    result = []
    for row in rows:
        record = dict(zip(ENGAGEMENT_FIELDS, row[:-1], strict=True))
        record["archived"] = bool(record["archived"])
        record["client"] = row[-1]
        result.append(record)
    return result


def engagement_rows(conn: Rows) -> list[dict[str, Any]]:
    """Every engagement (ENGAGEMENT_FIELDS and "client", the client's name), by client, newest change first."""
    return _engagements(conn)


def engagement_row(conn: Rows, engagement_id: int) -> dict[str, Any]:
    return _engagements(conn, "WHERE e.id = ?", (engagement_id,))[0]


def resolve_engagement_id(conn: Rows, key: str) -> int:
    """ENG on the command line: a uid, a unique prefix of one, or a ref (case-insensitive)."""
    key = (key or "").strip()
    if not key:
        raise ValidationError("name an engagement by its uid, a unique prefix of it, or its ref")
    exact = conn.execute("SELECT id FROM engagement WHERE uid = ? OR ref = ? LIMIT 1", (key, key)).fetchone()
    if exact is not None:
        return int(exact[0])
    by_ref = conn.execute("SELECT id FROM engagement WHERE lower(ref) LIKE lower(?)", (key,)).fetchall()
    if len(by_ref) == 1:
        return int(by_ref[0][0])
    prefixed = conn.execute("SELECT id FROM engagement WHERE uid LIKE ? || '%'", (key.lower(),)).fetchall()
    if len(prefixed) == 1:
        return int(prefixed[0][0])
    if len(prefixed) > 1:
        raise ValidationError(f"'{key}' matches {len(prefixed)} engagements; give more of the uid")
    raise NotFoundError(f"no engagement '{key}' in this workspace")


def _only(engagement_id: int | None, column: str = "engagement_id") -> tuple[str, tuple[object, ...]]:
    return ("", ()) if engagement_id is None else (f"WHERE {column} = ?", (engagement_id,))


def assessment_rows(conn: Rows, engagement_id: int | None = None) -> list[tuple[int, str, Any, Any]]:
    """(engagement id, dimension id, current level, target level) of every assessment."""
    where, params = _only(engagement_id)
    return conn.execute("SELECT engagement_id, dimension_id, current_level, target_level FROM assessment "
                        f"{where} ORDER BY id", params).fetchall()


def finding_fact_rows(conn: Rows,
                      engagement_id: int | None = None) -> list[tuple[int, str, str, bool, bool, int]]:
    """(engagement id, severity, status, has a recommendation, has a due date, how many) of the findings.

    One row per distinct kind of finding instead of one per finding: 5,000 findings score in milliseconds,
    from the index ix_finding_facts alone (columns.FINDING_FACTS).
    """
    from workbench.store.server_rows import ServerRows

    where, params = _only(engagement_id)
    facts = ", ".join(finding_facts("postgresql" if isinstance(conn, ServerRows) else "sqlite"))
    rows = conn.execute(f"SELECT {facts}, count(*) FROM finding {where} GROUP BY {facts}", params).fetchall()
    return [(eid, severity, status, bool(recommended), bool(due), count)
            for eid, severity, status, recommended, due, count in rows]


def answer_rows(conn: Rows, engagement_id: int | None = None) -> list[tuple[int, str, str]]:
    """(engagement id, item id, answer) of every checklist answer given (unanswered rows left out)."""
    where, params = _only(engagement_id)
    where = f"{where} AND answer != 'unanswered'" if where else "WHERE answer != 'unanswered'"
    return conn.execute(f"SELECT engagement_id, item_id, answer FROM checklist_response {where}", params).fetchall()


def snapshot_texts(conn: Rows, engagement_id: int | None = None) -> dict[int, str]:
    """The frozen framework (JSON text) of each engagement, by engagement id."""
    where, params = _only(engagement_id)
    return dict(conn.execute(f"SELECT engagement_id, content FROM framework_snapshot {where}", params).fetchall())


def shared_snapshot_texts(conn: Rows) -> dict[int, str]:
    """snapshot_texts of every engagement, each distinct framework read once: the texts are large (tens of
    KiB each, on an encrypted workspace every page of them decrypted) and most engagements share one. Told
    apart by their stored SHA-256, which the audit trail's verification checks against the text
    (services.trail); the text read is checked against it here too."""
    digests: dict[int, str] = dict(conn.execute("SELECT engagement_id, sha256 FROM framework_snapshot").fetchall())
    first = {digest: eid for eid, digest in sorted(digests.items(), reverse=True)}
    texts = {digest: snapshot_texts(conn, eid)[eid] for digest, eid in first.items()}
    if any(hashlib.sha256(text.encode("utf-8")).hexdigest() != digest for digest, text in texts.items()):
        return snapshot_texts(conn)  # a snapshot altered outside the app: each engagement's own text
    return {eid: texts[digest] for eid, digest in digests.items()}


def snapshot_row(conn: Rows, engagement_id: int) -> dict[str, Any]:
    """The engagement's frozen framework: framework_id, version, sha256 and content (its JSON text)."""
    row = conn.execute("SELECT framework_id, version, sha256, content FROM framework_snapshot WHERE engagement_id = ?",
                       (engagement_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"engagement {engagement_id} has no frozen framework")
    return dict(zip(("framework_id", "version", "sha256", "content"), row, strict=True))


def event_rows(conn: Rows, engagement_uid: str) -> list[dict[str, Any]]:
    """The engagement's audit trail as store.audit.events_of gives it (before/after decoded), in order."""
    names = ", ".join(f'"{name}"' for name in EVENT_FIELDS)
    rows = conn.execute(f"SELECT {names} FROM audit_event WHERE engagement_uid = ? ORDER BY seq",
                        (engagement_uid,)).fetchall()
    events = [dict(zip(EVENT_FIELDS, row, strict=True)) for row in rows]
    for event in events:
        for name in ("before", "after"):
            if event[name] is not None:
                event[name] = json.loads(event[name])
    return events


def record_rows(conn: Rows, kind: str, engagement_id: int) -> list[dict[str, Any]]:
    """The records of one kind of an engagement as the services give them (services.records.record_dicts), in
    the order they were written; "engagement" and "client" give the engagement's own row and its client's."""
    columns = TABLE_COLUMNS[kind]
    names = ", ".join(f'"{name}"' for name in columns.fields)
    if kind == "engagement":
        where = "WHERE id = ?"
    elif kind == "client":
        where = "WHERE id = (SELECT client_id FROM engagement WHERE id = ?)"
    else:
        where = "WHERE engagement_id = ? ORDER BY id"
    rows = conn.execute(f"SELECT {names} FROM {columns.table} {where}", (engagement_id,)).fetchall()
    records = [dict(zip(columns.fields, row, strict=True)) for row in rows]
    converted = [(name, bool) for name in columns.booleans] + [(name, json.loads) for name in columns.json]
    for name, convert in converted:
        for record in records:
            if record[name] is not None:
                record[name] = convert(record[name])
    return records
