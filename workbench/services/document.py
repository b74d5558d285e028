"""The whole of one engagement as plain data inside a session: engagement.json of a package, the GUI's document.

The record lists are read by services.plain_document on the session's own connection (what `show --json`
reads without a session). Field names are the column names; workspace-internal integer ids never appear, so a document
means the same thing in every workspace it travels to.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, select

from workbench.domain.trail import NON_RECORD_ENTITIES
from workbench.services.engagements import client_state, engagement_state, snapshot_state
from workbench.services.plain_document import DOCUMENT_KINDS, OPTIONAL_KINDS, RECORD_KEY, part_of, record_states
from workbench.services.records import record_columns
from workbench.services.unit import dbapi
from workbench.store.audit import events_of
from workbench.store.tables import Client, Engagement, FrameworkSnapshot, row_to_dict, stored_id


def snapshot_row(session: Session, engagement: Engagement) -> FrameworkSnapshot:
    return session.exec(select(FrameworkSnapshot).where(FrameworkSnapshot.engagement_id == engagement.id)).one()


def document_part(session: Session, engagement: Engagement, key: str) -> list[dict[str, Any]]:
    """One list of the document (e.g. "findings"), so a GUI can refresh just what changed."""
    session.flush()  # read in plain SQL on the session's connection: what the session changed is in it
    return part_of(dbapi(session), stored_id(engagement), key)


def engagement_header(session: Session, engagement: Engagement) -> dict[str, Any]:
    client = session.get(Client, engagement.client_id)
    assert client is not None
    return {"engagement": row_to_dict(engagement), "client": client_state(client)}


def engagement_document(session: Session, engagement: Engagement, *, audit_log: bool = True) -> dict[str, Any]:
    document: dict[str, Any] = {
        **engagement_header(session, engagement),
        "framework": json.loads(snapshot_row(session, engagement).content),
    }
    for key in DOCUMENT_KINDS:
        document[key] = document_part(session, engagement, key)
    if audit_log:
        document["audit_log"] = events_of(session, engagement.uid)
    return document


def apply_events(document: dict[str, Any], events: list[dict[str, Any]], after_seq: int) -> set[str] | None:
    """Bring a document up to date, in place, with the audit events that followed event `after_seq`.

    An event holds the state it left its record in, and the trail is verified against the stored
    records, so an edit's events say exactly what changed: a GUI need not re-read 5,000 findings to
    show one new title. Returns the document keys touched (the header, "engagement", is not kept up
    to date here), or None when the events cannot be applied this way (a gap in the chain, a new
    framework, a record of an unexpected shape): the caller then re-reads.
    """
    kinds = {kind: key for key, kind in DOCUMENT_KINDS.items()}
    touched: set[str] = set()
    positions: dict[str, dict[str, int]] = {}
    for expected, event in enumerate(events, start=after_seq + 1):
        entity, after = event["entity"], event["after"]
        if event["seq"] != expected or entity == "framework_snapshot":
            return None
        if entity in ("engagement", "client") or entity in NON_RECORD_ENTITIES:  # attestations, notices: no record
            continue
        kind = "evidence" if entity == "evidence_link" else entity
        if kind not in kinds:
            return None
        key = kinds[kind]
        if key not in touched:  # a new list: whoever holds the old one keeps a consistent copy
            document[key] = list(document[key])
            touched.add(key)
        records = document[key]
        if entity == "evidence_link":
            if not _apply_link(records, event):
                return None
            continue
        field = RECORD_KEY.get(kind, "uid")
        if len(events) > 8 and key not in positions:  # many events: index the records once
            positions[key] = {str(record[field]): i for i, record in enumerate(records)}
        index = positions.get(key)
        entity_id = str(event["entity_id"])
        place = index.get(entity_id) if index is not None else next(
            (i for i, record in enumerate(records) if str(record[field]) == entity_id), None)
        if after is None:
            if place is None:
                return None
            del records[place]
            positions.pop(key, None)
            continue
        columns = record_columns(kind)
        if set(after) != set(columns):
            return None
        record = {name: after[name] for name in columns}
        if kind == "evidence":
            record["links"] = records[place]["links"] if place is not None else []
        if place is None:
            if index is not None:
                index[str(record[field])] = len(records)
            records.append(record)
        else:
            records[place] = record
    return touched


def _apply_link(evidence: list[dict[str, Any]], event: dict[str, Any]) -> bool:
    """An evidence link lives in its evidence record's "links": replace, add or drop it there."""
    state = event["after"] or event["before"]
    if not isinstance(state, dict) or "evidence_uid" not in state:
        return False
    place = next((i for i, record in enumerate(evidence) if record["uid"] == state["evidence_uid"]), None)
    if place is None:
        return False
    links = [link for link in evidence[place]["links"] if link["uid"] != event["entity_id"]]
    if event["after"] is not None:
        columns = record_columns("evidence_link")
        if set(event["after"]) != set(columns):
            return False
        old = [link["uid"] for link in evidence[place]["links"]]
        link = {name: event["after"][name] for name in columns}
        where = old.index(link["uid"]) if link["uid"] in old else len(links)
        links.insert(where, link)
    evidence[place] = {**evidence[place], "links": links}
    return True


def current_states(session: Session, engagement: Engagement) -> dict[tuple[str, str], dict[str, Any]]:
    document = engagement_document(session, engagement, audit_log=False)
    states = record_states(document)
    snapshot = snapshot_row(session, engagement)
    states[("framework_snapshot", snapshot.framework_id)] = snapshot_state(snapshot)
    return states


__all__ = ["DOCUMENT_KINDS", "OPTIONAL_KINDS", "RECORD_KEY", "current_states", "engagement_document",
           "engagement_state", "record_states"]
