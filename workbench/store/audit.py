"""The append-only, hash-chained audit trail of an engagement.

Each event's hash is SHA-256 over the previous hash and the canonical JSON of the event, so
editing, inserting or deleting an event breaks the chain at that point, unless whoever does it
recomputes every later hash or only removes events from the end: a hash chain has no key. What
anchors it is an attestation, an identity's signature over the chain head (signing/attest.py,
checked by signing/attested_trail.py). Records are checked against the state their last event
wrote, which catches edits made behind the app's back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert as sa_insert
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from workbench.domain.trail import ORIGIN, canonical_json
from workbench.store.chain import (
    EVENT_FIELDS,
    GENESIS_HASH,
    HASHED_FIELDS,
    ChainReport,
    compare_records,
    event_hash,
    latest_states,
    verify_chain,
    with_added_columns,
)
from workbench.store.tables import AuditEvent

__all__ = ["EVENT_FIELDS", "GENESIS_HASH", "HASHED_FIELDS", "ChainReport", "append_event", "chain_head",
           "compare_records", "event_hash", "events_of", "insert_events", "latest_states", "new_event",
           "verify_chain", "with_added_columns"]


def chain_head(session: Session, engagement_uid: str) -> tuple[int, str]:
    """(seq, hash) of the last event, or (0, genesis) for a new chain (two columns, not the event)."""
    head = session.exec(select(AuditEvent.seq, AuditEvent.hash).where(AuditEvent.engagement_uid == engagement_uid)
                        .order_by(AuditEvent.seq.desc()).limit(1)).first()  # type: ignore[attr-defined]
    return (head[0], head[1]) if head else (0, GENESIS_HASH)


def new_event(head: tuple[int, str], *, engagement_uid: str, at: str, actor: str, action: str, entity: str,
              entity_id: str, before: dict[str, Any] | None, after: dict[str, Any] | None,
              origin: dict[str, Any] | None = None) -> dict[str, Any]:
    """The event that follows `head` (seq, hash) in the chain, as the row's column values."""
    last_seq, prev_hash = head
    seq = last_seq + 1
    before = json.loads(canonical_json(before)) if before is not None else None
    after = json.loads(canonical_json(after)) if after is not None else None
    payload = {"engagement_uid": engagement_uid, "seq": seq, "at": at, "actor": actor, "action": action,
               "entity": entity, "entity_id": entity_id, "before": before, "after": after, ORIGIN: origin}
    return {**payload, "prev_hash": prev_hash, "hash": event_hash(prev_hash, payload)}


def append_event(session: Session, *, engagement_uid: str, at: str, actor: str, action: str, entity: str,
                 entity_id: str, before: dict[str, Any] | None, after: dict[str, Any] | None,
                 head: tuple[int, str] | None = None) -> AuditEvent:
    """Add the next event of the chain to the session (committed with the change it records).

    `head` is the chain head when the caller already knows it (a transaction writing many
    events), which saves a query per event.
    """
    event = new_event(head if head is not None else chain_head(session, engagement_uid),
                      engagement_uid=engagement_uid, at=at, actor=actor, action=action, entity=entity,
                      entity_id=entity_id, before=before, after=after)
    row = AuditEvent(engagement_uid=engagement_uid, seq=event["seq"], at=at, actor=actor, action=action,
                     entity=entity, entity_id=entity_id, before=event["before"], after=event["after"],
                     prev_hash=event["prev_hash"], hash=event["hash"])
    session.add(row)
    return row


def insert_events(session: Session, events: Sequence[Mapping[str, Any]]) -> None:
    """Write events made by new_event with one executemany (a transaction recording thousands of changes)."""
    if events:
        session.flush()  # events added one by one before these keep their place in the table
        session.execute(sa_insert(AuditEvent.__table__), list(events))  # type: ignore[attr-defined]


# The owning engagement is not hashed: an engagement imported as a copy keeps its chain intact
# under a new uid, and an event moved to another engagement still cannot fit that chain.


def events_of(session: Session, engagement_uid: str, *, after_seq: int = 0,
              limit: int | None = None) -> list[dict[str, Any]]:
    """The trail as dicts, read with SQL Core (no ORM object per event: trails run to thousands).

    `after_seq` and `limit` read only what followed a known event (what an edit just wrote).
    """
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    query = (sa_select(*(table.c[name] for name in EVENT_FIELDS))
             .where(table.c.engagement_uid == engagement_uid, table.c.seq > after_seq).order_by(table.c.seq))
    query = query.add_columns(table.c[ORIGIN])
    rows = session.execute(query if limit is None else query.limit(limit)).all()
    return [event_dict(row) for row in rows]


def event_dict(row: Sequence[Any]) -> dict[str, Any]:
    """An event read as (*EVENT_FIELDS, origin): the origin key only on a merged event (packages and
    `log --json` keep their shape for every other event)."""
    event = dict(zip(EVENT_FIELDS, row[:len(EVENT_FIELDS)], strict=True))
    if row[len(EVENT_FIELDS)] is not None:
        event[ORIGIN] = row[len(EVENT_FIELDS)]
    return event
