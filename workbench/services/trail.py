"""Reading and verifying an engagement's audit trail against the records it describes.

`verify_engagement` checks what needs no key: the hash chain, every record against the event that last
wrote it, the frozen framework and the evidence. `services.attestation.verify_trail` (`log --verify`)
adds the attestations, which anchor the chain to the identities that signed it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import Session, select

from workbench.domain.trail import UNTRUSTED_IMPORT
from workbench.services.document import current_states, snapshot_row
from workbench.services.unit import reading
from workbench.store.audit import ChainReport, chain_head, compare_records, events_of, verify_chain
from workbench.store.tables import Engagement, Evidence, EvidenceBlob
from workbench.store.workspace import Workspace


def engagement_anchor(ws: Workspace, engagement_key: str) -> tuple[str, str]:
    """(engagement uid, audit-trail chain head hash): what a signed deliverable is tied to. Read it right
    before rendering the report so the report's trail summary and the signed metadata agree."""
    with reading(ws, engagement_key) as (session, engagement):
        return engagement.uid, chain_head(session, engagement.uid)[1]


def audit_log(ws: Workspace, engagement_key: str) -> list[dict[str, Any]]:
    with reading(ws, engagement_key) as (session, engagement):
        return events_of(session, engagement.uid)


def verify_engagement(ws: Workspace, engagement_key: str) -> ChainReport:
    """Chain intact, every record as its last event left it, framework and evidence unaltered."""
    with reading(ws, engagement_key) as (session, engagement):
        return verify_in_session(session, engagement, events_of(session, engagement.uid))


def verify_in_session(session: Session, engagement: Engagement, events: Sequence[Mapping[str, Any]]) -> ChainReport:
    """verify_engagement on a trail already read in this session."""
    report = verify_chain(events)
    if not report.ok:
        return report
    mismatch = compare_records(list(events), current_states(session, engagement))
    if mismatch is not None:
        return mismatch
    snapshot = snapshot_row(session, engagement)
    if hashlib.sha256(snapshot.content.encode("utf-8")).hexdigest() != snapshot.sha256:
        return ChainReport(False, report.events, report.head_hash, None,
                           "the engagement's frozen framework was altered")
    for evidence in session.exec(select(Evidence).where(Evidence.engagement_id == engagement.id)):
        blob = session.get(EvidenceBlob, evidence.sha256)
        if blob is None or hashlib.sha256(blob.data).hexdigest() != evidence.sha256:
            return ChainReport(False, report.events, report.head_hash, None,
                               f"the content of evidence {evidence.file_name} was altered or removed")
    return report


def untrusted_import_notice(ws: Workspace, engagement_key: str) -> str:
    """The reason of the last untrusted-import notice in the trail when it is the trail's last import ('')."""
    events = audit_log(ws, engagement_key)
    last = next((e for e in reversed(events) if e["action"] in ("import", UNTRUSTED_IMPORT)), None)
    if last is None or last["action"] != UNTRUSTED_IMPORT or not isinstance(last["after"], dict):
        return ""
    return str(last["after"].get("reason", ""))
