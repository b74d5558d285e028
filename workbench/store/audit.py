"""The append-only, hash-chained audit trail of an engagement.

Each event's hash is SHA-256 over the previous hash and the canonical JSON of the event, so
editing, inserting or deleting an event breaks the chain at that point, unless whoever does it
recomputes every later hash or only removes events from the end: a hash chain has no key. What
anchors it is an attestation, an identity's signature over the chain head (signing/attest.py,
checked by signing/attested_trail.py). Records are checked against the state their last event
wrote, which catches edits made behind the app's back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert as sa_insert
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from workbench.domain.trail import NON_RECORD_ENTITIES, canonical_json
from workbench.store.tables import AuditEvent, column_defaults

GENESIS_HASH = "0" * 64
HASHED_FIELDS = ("seq", "at", "actor", "action", "entity", "entity_id", "before", "after")
EVENT_FIELDS = (*HASHED_FIELDS, "prev_hash", "hash")


def event_hash(prev_hash: str, payload: Mapping[str, Any]) -> str:
    body = canonical_json({key: payload.get(key) for key in HASHED_FIELDS})
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def chain_head(session: Session, engagement_uid: str) -> tuple[int, str]:
    """(seq, hash) of the last event, or (0, genesis) for a new chain (two columns, not the event)."""
    head = session.exec(select(AuditEvent.seq, AuditEvent.hash).where(AuditEvent.engagement_uid == engagement_uid)
                        .order_by(AuditEvent.seq.desc()).limit(1)).first()  # type: ignore[attr-defined]
    return (head[0], head[1]) if head else (0, GENESIS_HASH)


def new_event(head: tuple[int, str], *, engagement_uid: str, at: str, actor: str, action: str, entity: str,
              entity_id: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any]:
    """The event that follows `head` (seq, hash) in the chain, as the row's column values."""
    last_seq, prev_hash = head
    seq = last_seq + 1
    before = json.loads(canonical_json(before)) if before is not None else None
    after = json.loads(canonical_json(after)) if after is not None else None
    payload = {"engagement_uid": engagement_uid, "seq": seq, "at": at, "actor": actor, "action": action,
               "entity": entity, "entity_id": entity_id, "before": before, "after": after}
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
    rows = session.execute(query if limit is None else query.limit(limit)).all()
    return [dict(zip(EVENT_FIELDS, row, strict=True)) for row in rows]


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    head_hash: str
    first_bad_seq: int | None = None
    problem: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "events": self.events, "head_hash": self.head_hash,
                "first_bad_seq": self.first_bad_seq, "problem": self.problem}


def verify_chain(events: Iterable[Mapping[str, Any]]) -> ChainReport:
    """Walk the chain from the genesis hash; report the first event that does not fit."""
    prev = GENESIS_HASH
    count = 0
    for expected_seq, event in enumerate(events, start=1):
        count = expected_seq
        seq = event.get("seq")
        if seq != expected_seq:
            return ChainReport(False, count, prev, expected_seq,
                               f"event #{expected_seq} is missing (found #{seq} in its place)")
        if event.get("prev_hash") != prev:
            return ChainReport(False, count, prev, seq, f"event #{seq} does not follow event #{seq - 1}")
        if event_hash(prev, event) != event.get("hash"):
            return ChainReport(False, count, prev, seq, f"event #{seq} ({event.get('action')} "
                               f"{event.get('entity')} {event.get('entity_id')}) was altered")
        prev = str(event["hash"])
    return ChainReport(True, count, prev)


def latest_states(events: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], Mapping[str, Any]]:
    """For each (entity, entity_id), the last event that wrote it (attestations and notices write no record)."""
    states: dict[tuple[str, str], Mapping[str, Any]] = {}
    for event in events:
        if event["entity"] not in NON_RECORD_ENTITIES:
            states[(str(event["entity"]), str(event["entity_id"]))] = event
    return states


def with_added_columns(entity: str, expected: Mapping[str, Any], actual: Mapping[str, Any]) -> Mapping[str, Any]:
    """An event written before a column existed lacks its key: the record held the column's default then.

    Only keys the record has and the event lacks are filled, and only with that column's default, so a
    record whose new column was altered behind the app's back still differs from its last event.
    """
    missing = [key for key in actual if key not in expected]
    if not missing:
        return expected
    defaults = column_defaults(entity)
    return {**expected, **{key: defaults[key] for key in missing if key in defaults}}


def compare_records(events: Sequence[Mapping[str, Any]],
                    current: Mapping[tuple[str, str], dict[str, Any]]) -> ChainReport | None:
    """Find the first record that differs from what the trail says it should be."""
    states = latest_states(events)
    head = str(events[-1]["hash"]) if events else GENESIS_HASH
    for key, event in sorted(states.items(), key=lambda kv: int(kv[1]["seq"])):
        expected = event.get("after")
        actual = current.get(key)
        if expected is not None and actual is not None:
            expected = with_added_columns(key[0], expected, actual)
        if expected is None and actual is not None:
            return ChainReport(False, len(events), head, int(event["seq"]),
                               f"{key[0]} {key[1]} was deleted by event #{event['seq']} but exists again")
        if expected is not None and actual is None:
            return ChainReport(False, len(events), head, int(event["seq"]),
                               f"{key[0]} {key[1]} written by event #{event['seq']} is missing")
        if expected is not None and canonical_json(expected) != canonical_json(actual):
            fields = sorted(k for k in set(expected) | set(actual or {})
                            if canonical_json(expected.get(k)) != canonical_json((actual or {}).get(k)))
            return ChainReport(False, len(events), head, int(event["seq"]),
                               f"{key[0]} {key[1]} differs from event #{event['seq']} that last wrote it "
                               f"(field {', '.join(fields[:3])})")
    for key in current:
        if key not in states:
            return ChainReport(False, len(events), head, None,
                               f"{key[0]} {key[1]} has no event in the audit trail")
    return None
