"""The audit trail's hash chain, checked on plain data: no database, so readers in plain SQL use it too.

Each event's hash is SHA-256 over the previous hash and the canonical JSON of the event (store/audit.py
writes the events); `verify_chain` walks a trail read as dicts and `compare_records` checks every record
against the state its last event wrote.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.domain.trail import NON_RECORD_ENTITIES, ORIGIN, canonical_json, original_hash

GENESIS_HASH = "0" * 64
HASHED_FIELDS = ("seq", "at", "actor", "action", "entity", "entity_id", "before", "after")
EVENT_FIELDS = (*HASHED_FIELDS, "prev_hash", "hash")


def event_hash(prev_hash: str, payload: Mapping[str, Any]) -> str:
    """SHA-256 over the previous hash and the event; a merged event's origin is hashed too (only when
    it has one, so every event recorded before merges existed keeps its hash)."""
    fields = {key: payload.get(key) for key in HASHED_FIELDS}
    if payload.get(ORIGIN) is not None:
        fields[ORIGIN] = payload[ORIGIN]
    body = canonical_json(fields)
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


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
    recorded = {GENESIS_HASH}  # the original hash of every event so far (a merged event's origin names one)
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
        problem = origin_problem(event, recorded)
        if problem:
            return ChainReport(False, count, prev, seq, problem)
        recorded.add(original_hash(event))
        prev = str(event["hash"])
    return ChainReport(True, count, prev)


def origin_problem(event: Mapping[str, Any], recorded: set[str]) -> str:
    """Why a merged event's origin does not hold ('' when it does, or the event was recorded here).

    The event's content must give the hash it had on its branch (so an attestation made there still
    signs exactly this content), and the event it followed there (`follows`: that event's original hash)
    must be in the trail before it."""
    origin = event.get(ORIGIN)
    if origin is None:
        return ""
    seq = event.get("seq")
    if not isinstance(origin, Mapping) or not {"branch", "seq", "prev_hash", "hash", "follows"} <= set(origin):
        return f"event #{seq} has a malformed origin"
    there = {**{key: event.get(key) for key in HASHED_FIELDS}, "seq": origin["seq"]}
    if event_hash(str(origin["prev_hash"]), there) != origin["hash"]:
        return f"event #{seq} (merged from branch {origin['branch']}) does not match the hash it had there"
    if origin["follows"] not in recorded:
        return f"event #{seq} (merged from branch {origin['branch']}) follows an event this trail does not hold"
    return ""


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
    from workbench.store.tables import column_defaults  # SQLModel: only for a trail older than a column

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
