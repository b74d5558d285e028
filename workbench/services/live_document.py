"""An open engagement kept up to date as plain data, for a window that shows it while it is edited.

After an edit the view reads the audit events the edit wrote, which hold each changed record's new
state, and applies them to the document (services.document.apply_events): on a 5,000-finding
engagement that is a millisecond where re-reading the findings took fifty. Anything unusual falls
back to re-reading the parts the edit named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from workbench.domain.framework import Framework
from workbench.domain.scoring import ScoreCard
from workbench.services.document import (
    DOCUMENT_KINDS,
    apply_events,
    document_part,
    engagement_document,
    engagement_header,
)
from workbench.services.engagements import facts_of, score_in_session, score_of_document
from workbench.services.record_versions import record_versions
from workbench.services.unit import reading, snapshot_of
from workbench.store.audit import chain_head, events_of
from workbench.store.tables import VERSIONED_KINDS, Engagement
from workbench.store.workspace import Workspace

__all__ = ["KEY_OF_KIND", "LiveDocument", "read_live_document", "refresh_live_document"]

# record kind → the document list it lives in; "engagement" covers the engagement and client
KEY_OF_KIND: dict[str, str] = {kind: key for key, kind in DOCUMENT_KINDS.items()} | {
    "engagement": "engagement", "evidence_link": "evidence"}
MAX_EVENTS = 200  # more events than this (a big import) and the parts are re-read instead


@dataclass
class LiveDocument:
    """The engagement document with its frozen framework, its score, and the last audit event it reflects;
    `versions`: the version of each record shown (kind → uid, an answer's framework id or the engagement's uid →
    version), which an edit of it is based on."""

    framework: Framework
    document: dict[str, Any]
    score: ScoreCard
    seq: int
    versions: dict[str, dict[str, int]] = field(default_factory=dict)


def _may_change_score(events: list[dict[str, Any]]) -> bool:
    """Only assessments, checklist answers (the coverage that marks a score provisional) and what the verdict reads
    of findings move the score (not a title, say)."""
    for event in events:
        if event["entity"] in ("assessment", "checklist"):
            return True
        if event["entity"] == "finding":
            before, after = event["before"], event["after"]
            if before is None or after is None or facts_of(before) != facts_of(after):
                return True
    return False


def read_live_document(ws: Workspace, uid: str) -> LiveDocument:
    """The whole engagement, read in one transaction that sees one committed state (a team server's sessions read
    REPEATABLE READ: the records and their versions agree)."""
    with reading(ws, uid) as (session, engagement):
        framework = snapshot_of(session, engagement)
        return LiveDocument(framework, engagement_document(session, engagement, audit_log=False),
                            score_in_session(session, engagement, framework), chain_head(session, engagement.uid)[0],
                            {kind: record_versions(session, engagement, kind) for kind in VERSIONED_KINDS})


def _refresh_versions(session: Session, engagement: Engagement, live: LiveDocument,
                      events: list[dict[str, Any]] | None, keys: set[str]) -> None:
    """The versions of the records the events touched (None: of every record of the document keys re-read)."""
    for kind in VERSIONED_KINDS:
        if kind == "engagement":
            continue  # refresh_live_document reads the header's with the header
        if events is None:
            if KEY_OF_KIND[kind] in keys:
                live.versions[kind] = record_versions(session, engagement, kind)
            continue
        uids = {str(event["entity_id"]) for event in events if event["entity"] == kind}
        if uids:
            shown = live.versions.setdefault(kind, {})
            for gone in uids:
                shown.pop(gone, None)
            shown.update(record_versions(session, engagement, kind, uids))


def refresh_live_document(ws: Workspace, uid: str, live: LiveDocument, kinds: set[str]) -> None:
    """Bring `live` up to date, in place, after an edit of records of these kinds."""
    keys = {KEY_OF_KIND.get(kind, "*") for kind in kinds}
    if "*" in keys or not live.document:
        fresh = read_live_document(ws, uid)
        live.framework, live.document, live.score, live.seq = fresh.framework, fresh.document, fresh.score, fresh.seq
        live.versions = fresh.versions
        return
    with reading(ws, uid) as (session, engagement):
        live.document.update(engagement_header(session, engagement))
        live.versions["engagement"] = {engagement.uid: engagement.row_version}
        events = events_of(session, engagement.uid, after_seq=live.seq, limit=MAX_EVENTS + 1)
        touched = apply_events(live.document, events, live.seq) if len(events) <= MAX_EVENTS else None
        if touched is None:
            for key in keys - {"engagement"}:
                live.document[key] = document_part(session, engagement, key)
            live.seq = chain_head(session, engagement.uid)[0]
            live.score = score_in_session(session, engagement, live.framework)
            _refresh_versions(session, engagement, live, None, keys)
        elif events:
            live.seq = events[-1]["seq"]
            _refresh_versions(session, engagement, live, events, keys)
            if _may_change_score(events):
                live.score = score_of_document(live.framework, live.document)
