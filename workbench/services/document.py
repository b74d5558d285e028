"""The whole of one engagement as plain data: engagement.json of a package and `show --json`.

Field names are the column names; workspace-internal integer ids never appear, so a document
means the same thing in every workspace it travels to.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, select

from workbench.services.engagements import client_state, engagement_state, snapshot_state
from workbench.services.records import record_dicts
from workbench.store.audit import events_of
from workbench.store.tables import Client, Engagement, EvidenceLink, FrameworkSnapshot, row_to_dict

# package key → record kind, in document order
DOCUMENT_KINDS: dict[str, str] = {
    "assessments": "assessment",
    "checklist": "checklist",
    "health_check": "health_check",
    "findings": "finding",
    "models": "model",
    "risks": "risk",
    "costs": "cost",
    "roadmap": "roadmap",
    "matrices": "matrix",
    "evidence": "evidence",
    "signoffs": "signoff",
    "review_notes": "review_note",
}
# keys a package of format_version 1 may leave out (written before they existed): read as empty lists
OPTIONAL_KINDS = frozenset({"review_notes"})
RECORD_KEY = {"assessment": "dimension_id", "checklist": "item_id", "health_check": "question_id"}


def snapshot_row(session: Session, engagement: Engagement) -> FrameworkSnapshot:
    return session.exec(select(FrameworkSnapshot).where(FrameworkSnapshot.engagement_id == engagement.id)).one()


def document_part(session: Session, engagement: Engagement, key: str) -> list[dict[str, Any]]:
    """One list of the document (e.g. "findings"), so a GUI can refresh just what changed."""
    kind = DOCUMENT_KINDS[key]
    records = record_dicts(session, engagement, kind)
    if kind == "evidence":
        links: dict[str, list[dict[str, Any]]] = {}
        for link in record_dicts(session, engagement, "evidence_link"):
            links.setdefault(link["evidence_uid"], []).append(link)
        for record in records:
            record["links"] = links.get(record["uid"], [])
    return records


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


def record_states(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Every record of a document keyed as the audit trail names it: (entity, entity_id)."""
    engagement = dict(document["engagement"])
    states: dict[tuple[str, str], dict[str, Any]] = {
        ("client", document["client"]["uid"]): dict(document["client"]),
        ("engagement", engagement["uid"]): {k: v for k, v in engagement.items() if k != "updated_at"},
    }
    for key, kind in DOCUMENT_KINDS.items():
        for record in document.get(key, []):
            record = dict(record)
            links = record.pop("links", []) if kind == "evidence" else []
            states[(kind, str(record[RECORD_KEY.get(kind, "uid")]))] = record
            for link in links:
                states[("evidence_link", link["uid"])] = dict(link)
    return states


def current_states(session: Session, engagement: Engagement) -> dict[tuple[str, str], dict[str, Any]]:
    document = engagement_document(session, engagement, audit_log=False)
    states = record_states(document)
    snapshot = snapshot_row(session, engagement)
    states[("framework_snapshot", snapshot.framework_id)] = snapshot_state(snapshot)
    return states


def link_rows(session: Session, engagement: Engagement) -> list[EvidenceLink]:
    return list(session.exec(select(EvidenceLink).where(EvidenceLink.engagement_id == engagement.id)))


__all__ = ["engagement_document", "record_states", "current_states", "engagement_state", "DOCUMENT_KINDS"]
