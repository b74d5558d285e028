"""A unit of work on one engagement: resolve it, refuse changes when it is final, record events.

Changes and their audit events are written in one transaction, so the trail can never miss a
change that was committed, nor record one that was rolled back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlmodel import Session, select

from workbench.domain.checkouts import OUT, checked_out_reason
from workbench.domain.clock import utc_now as utc_now  # re-exported: the services stamp their changes with it
from workbench.domain.errors import CheckedOutError, ConflictError
from workbench.domain.framework import Framework
from workbench.services.library import framework_of_text
from workbench.store import light
from workbench.store.audit import append_event, chain_head, insert_events, new_event
from workbench.store.light import Rows
from workbench.store.server_changes import announce_change
from workbench.store.tables import Engagement, EngagementCheckout, FrameworkSnapshot
from workbench.store.workspace import Workspace


def resolve_engagement(session: Session, key: str, *, lock: bool = False) -> Engagement:
    """ENG on the command line: a uid, a unique prefix of one, or a ref (case-insensitive; store.light).

    `lock`: the engagement's row is locked until the transaction ends (SELECT … FOR UPDATE on a team server;
    a workspace file's write transaction holds the whole file already), so the changes of one engagement and
    its audit chain are written one transaction after the other, and those of different engagements at once."""
    engagement = session.get(Engagement, light.resolve_engagement_id(dbapi(session), key), with_for_update=lock)
    assert engagement is not None
    return engagement


def dbapi(session: Session) -> Rows:
    """The session's own connection, for the plain-SQL reads of store.light (same transaction): sqlite3's, or a
    team server's psycopg connection made to read alike (store.server_rows)."""
    connection = session.connection()
    raw = connection.connection.dbapi_connection
    if connection.dialect.name == "postgresql":
        from workbench.store.server_rows import ServerRows

        return ServerRows(raw)
    return raw  # type: ignore[return-value]


def snapshot_of(session: Session, engagement: Engagement) -> Framework:
    content = session.exec(select(FrameworkSnapshot.content).where(
        FrameworkSnapshot.engagement_id == engagement.id)).one()
    return framework_of_text(content)


class Unit:
    """Handed to a service inside its transaction."""

    def __init__(self, session: Session, engagement: Engagement, actor: str) -> None:
        self.session = session
        self.engagement = engagement
        self.actor = actor
        self.at = utc_now()
        self._framework: Framework | None = None
        self._head: tuple[int, str] | None = None
        self.entities: set[str] = set()  # what the unit recorded events about (a team server announces them)

    @property
    def framework(self) -> Framework:
        if self._framework is None:
            self._framework = snapshot_of(self.session, self.engagement)
        return self._framework

    def head(self) -> tuple[int, str]:
        """(seq, hash) of the trail's last event, including those this unit recorded."""
        if self._head is None:
            self._head = chain_head(self.session, self.engagement.uid)
        return self._head

    def record(self, action: str, entity: str, entity_id: str,
               before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        event = append_event(self.session, engagement_uid=self.engagement.uid, at=self.at, actor=self.actor,
                             action=action, entity=entity, entity_id=entity_id, before=before, after=after,
                             head=self.head())
        self._head = (event.seq, event.hash)
        self.entities.add(entity)

    def record_many(self, changes: Iterable[tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]]
                    ) -> None:
        """`record` for many (action, entity, entity id, before, after) at once, written with one executemany."""
        head = self._head if self._head is not None else chain_head(self.session, self.engagement.uid)
        events = []
        for action, entity, entity_id, before, after in changes:
            event = new_event(head, engagement_uid=self.engagement.uid, at=self.at, actor=self.actor, action=action,
                              entity=entity, entity_id=entity_id, before=before, after=after)
            events.append(event)
            head = (event["seq"], event["hash"])
            self.entities.add(entity)
        insert_events(self.session, events)
        self._head = head


    def carry(self, events: Iterable[Mapping[str, Any]]) -> None:
        """Append events recorded elsewhere (a merged branch's), each keeping its time, actor and origin."""
        head = self.head()
        rows = []
        for source in events:
            event = new_event(head, engagement_uid=self.engagement.uid, at=str(source["at"]),
                              actor=str(source["actor"]), action=str(source["action"]), entity=str(source["entity"]),
                              entity_id=str(source["entity_id"]), before=source["before"], after=source["after"],
                              origin=source.get("origin"))
            rows.append(event)
            head = (event["seq"], event["hash"])
            self.entities.add(str(source["entity"]))
        insert_events(self.session, rows)
        self._head = head


def refuse_final(engagement: Engagement) -> None:
    if engagement.locked_at:
        raise ConflictError(f"engagement {engagement.ref} is final and locked; reopen it to make changes")


def refuse_checked_out(session: Session, engagement: Engagement) -> None:
    """A team server's engagement checked out to a laptop takes no change until it is checked in (or released)."""
    mark = session.exec(select(EngagementCheckout).where(EngagementCheckout.engagement_id == engagement.id,
                                                         EngagementCheckout.kind == OUT)).first()
    if mark is not None:
        raise CheckedOutError(checked_out_reason(engagement.ref, mark.holder, mark.since))


@contextmanager
def change(ws: Workspace, engagement_key: str, *, allow_final: bool = False,
           checked_out: bool = False) -> Iterator[Unit]:
    """Open a write transaction on one engagement; commits on success, rolls back on any error.

    An engagement checked out to a laptop is refused unless `checked_out` (its check-in and release)."""
    with ws.writing() as session:
        engagement = resolve_engagement(session, engagement_key, lock=True)
        if not allow_final:
            refuse_final(engagement)
        if not checked_out:
            refuse_checked_out(session, engagement)
        unit = Unit(session, engagement, ws.actor)
        yield unit
        engagement.updated_at = unit.at
        session.add(engagement)
        if unit.entities and session.get_bind().dialect.name == "postgresql":  # others' windows refresh on commit
            announce_change(session, engagement.uid, unit.actor, unit.at, unit.entities, unit.head()[0])


@contextmanager
def trial(ws: Workspace, engagement_key: str) -> Iterator[Unit]:
    """A unit that only reads: run a change's checks ahead of it (before asking for a passphrase)."""
    with ws.session() as session:
        engagement = resolve_engagement(session, engagement_key)
        refuse_final(engagement)
        refuse_checked_out(session, engagement)
        yield Unit(session, engagement, ws.actor)


@contextmanager
def reading(ws: Workspace, engagement_key: str) -> Iterator[tuple[Session, Engagement]]:
    with ws.session() as session:
        yield session, resolve_engagement(session, engagement_key)
