"""The whole of one engagement as plain data, read in plain SQL on a sqlite3 connection (no SQLAlchemy; a team server's
through store.server_rows).

This is what engagement.json of a package and `show --json` hold (services.document builds it inside a
session with the same functions; `show --json` reads it through store.light.reader without importing the
database layer). Field names are the column names; workspace-internal integer ids never appear, so a
document means the same thing in every workspace it travels to.
"""

from __future__ import annotations

import json
from typing import Any

from workbench.domain.scoring import ScoreCard
from workbench.services.library import score_card
from workbench.store import light
from workbench.store.light import Rows

__all__ = ["DOCUMENT_KINDS", "OPTIONAL_KINDS", "RECORD_KEY", "document_of", "header_of", "part_of",
           "record_states", "scored_document"]

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


def part_of(conn: Rows, engagement_id: int, key: str) -> list[dict[str, Any]]:
    """One list of the document (e.g. "findings"); evidence records carry their links under "links"."""
    kind = DOCUMENT_KINDS[key]
    records = light.record_rows(conn, kind, engagement_id)
    if kind == "evidence":
        links: dict[str, list[dict[str, Any]]] = {}
        for link in light.record_rows(conn, "evidence_link", engagement_id):
            links.setdefault(link["evidence_uid"], []).append(link)
        for record in records:
            record["links"] = links.get(record["uid"], [])
    return records


def header_of(conn: Rows, engagement_id: int) -> dict[str, Any]:
    """{"engagement": its fields, "client": its client's}."""
    return {"engagement": light.record_rows(conn, "engagement", engagement_id)[0],
            "client": light.record_rows(conn, "client", engagement_id)[0]}


def document_of(conn: Rows, engagement_id: int) -> dict[str, Any]:
    """The engagement's document without its audit log (what `show --json` prints, before the score)."""
    document = {**header_of(conn, engagement_id),
                "framework": json.loads(light.snapshot_texts(conn, engagement_id)[engagement_id])}
    for key in DOCUMENT_KINDS:
        document[key] = part_of(conn, engagement_id, key)
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


def scored_document(conn: Rows, key: str) -> tuple[dict[str, Any], ScoreCard]:
    """(the document, its score card) of ENG as the command line names it: what `show` prints."""
    engagement_id = light.resolve_engagement_id(conn, key)
    return document_of(conn, engagement_id), score_card(conn, engagement_id)
