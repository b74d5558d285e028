"""Create, describe, update, list and archive engagements."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from workbench.domain.coverage import checklist_share
from workbench.domain.enums import FindingStatus, Severity
from workbench.domain.errors import ConflictError, ValidationError
from workbench.domain.fields import clean_record
from workbench.domain.framework import Framework
from workbench.domain.scoring import FindingFacts, ScoreCard, facts_key, score_engagement
from workbench.services import library
from workbench.services.frameworks import get_framework
from workbench.services.library import EngagementSummary
from workbench.services.record_versions import refuse_stale
from workbench.services.unit import Unit, change, dbapi, reading, snapshot_of, utc_now
from workbench.store.tables import (
    Client,
    Engagement,
    FrameworkSnapshot,
    row_to_dict,
    stored_id,
)
from workbench.store.workspace import Workspace

ENGAGEMENT_UNAUDITED = frozenset({"updated_at"})


def engagement_state(engagement: Engagement) -> dict[str, Any]:
    """What the audit trail records of an engagement (updated_at moves with every child change)."""
    return {k: v for k, v in row_to_dict(engagement).items() if k not in ENGAGEMENT_UNAUDITED}


def client_state(client: Client) -> dict[str, Any]:
    return row_to_dict(client)


def _ref_prefix(client_name: str) -> str:
    words: list[str] = [w for w in re.findall(r"[A-Za-z0-9]+", client_name.upper()) if w not in ("THE", "OF", "AND")]
    if not words:
        return "ENG"
    if len(words[0]) >= 3 or len(words) == 1:
        return words[0][:5]
    return "".join(word[0] for word in words)[:5]


_DATED_REF = re.compile(r"^(?P<prefix>.+?)-(?:19|20)\d\d-\d+$")


def ref_prefix_of(ref: str) -> str | None:
    """The prefix of a ref in the PREFIX-YEAR-NN form (DGA-2026-01 → DGA), else None."""
    match = _DATED_REF.match(ref)
    return match.group("prefix") if match else None


def next_ref(session: Session, client_name: str, year: int | None = None, *, prefix: str | None = None) -> str:
    """The next free PREFIX-YEAR-NN ref; the prefix is made from the client's name unless given."""
    prefix = f"{prefix or _ref_prefix(client_name)}-{year or date.today().year}-"
    taken = set(session.exec(select(Engagement.ref).where(Engagement.ref.startswith(prefix))).all())
    number = 1
    while f"{prefix}{number:02d}" in taken:
        number += 1
    return f"{prefix}{number:02d}"


def find_or_create_client(session: Session, values: dict[str, Any]) -> tuple[Client, bool]:
    cleaned = clean_record("client", values)
    existing = session.exec(select(Client).where(func.lower(Client.name) == cleaned["name"].lower())).first()
    if existing is not None:
        return existing, False
    client = Client(uid=str(uuid.uuid4()), **cleaned)
    session.add(client)
    session.flush()
    return client, True


def freeze_framework(session: Session, engagement: Engagement, framework: Framework) -> FrameworkSnapshot:
    content = framework.to_json()
    snapshot = FrameworkSnapshot(engagement_id=stored_id(engagement), framework_id=framework.id,
                                 version=framework.version, content=content,
                                 sha256=hashlib.sha256(content.encode("utf-8")).hexdigest())
    session.add(snapshot)
    session.flush()
    return snapshot


def snapshot_state(snapshot: FrameworkSnapshot) -> dict[str, Any]:
    return {"framework_id": snapshot.framework_id, "version": snapshot.version, "sha256": snapshot.sha256}


def create_engagement(ws: Workspace, *, client: dict[str, Any] | str, title: str,
                      framework_id: str = "mlops-architecture", details: dict[str, Any] | None = None,
                      uid: str | None = None) -> str:
    """Start an engagement with a frozen copy of its framework; returns its uid."""
    framework = get_framework(framework_id, ws)
    client_values = {"name": client} if isinstance(client, str) else dict(client)
    with ws.writing() as session:
        client_row, created = find_or_create_client(session, client_values)
        values = {"title": title, "ref": "pending", **(details or {})}
        if values.get("ref") in (None, "", "pending"):
            values["ref"] = next_ref(session, client_row.name)
        cleaned = clean_record("engagement", values)
        if session.exec(select(Engagement).where(Engagement.ref == cleaned["ref"])).first():
            raise ConflictError(f"an engagement with ref {cleaned['ref']} already exists")
        now = utc_now()
        engagement = Engagement(uid=uid or str(uuid.uuid4()), client_id=stored_id(client_row),
                                framework_id=framework.id, framework_version=framework.version,
                                created_at=now, updated_at=now, **cleaned)
        session.add(engagement)
        session.flush()
        snapshot = freeze_framework(session, engagement, framework)
        unit = Unit(session, engagement, ws.actor)
        unit.at = now
        unit.record("create" if created else "use", "client", client_row.uid, None, client_state(client_row))
        unit.record("create", "engagement", engagement.uid, None, engagement_state(engagement))
        unit.record("create", "framework_snapshot", framework.id, None, snapshot_state(snapshot))
        return engagement.uid


def update_engagement(ws: Workspace, key: str, values: dict[str, Any], *, seen_version: int | None = None) -> None:
    """Edit the engagement's header (title, scope, dates ...). `seen_version`: the version of the header the
    auditor's page showed (None: not checked); one changed by someone else since is refused (StaleEditError)."""
    protected = {"status"} & set(values)
    if "final" in {str(values.get(k)).lower() for k in protected}:
        raise ValidationError("status: an engagement becomes final only through finalisation")
    with change(ws, key) as unit:
        if seen_version is not None:
            refuse_stale(unit.session, unit.engagement.uid, "engagement", unit.engagement, seen_version)
        before = engagement_state(unit.engagement)
        cleaned = clean_record("engagement", values, partial=True)
        if "ref" in cleaned and cleaned["ref"] != unit.engagement.ref and unit.session.exec(
                select(Engagement).where(Engagement.ref == cleaned["ref"])).first():
            raise ConflictError(f"an engagement with ref {cleaned['ref']} already exists")
        for name, value in cleaned.items():
            setattr(unit.engagement, name, value)
        after = engagement_state(unit.engagement)
        if after != before:
            unit.record("update", "engagement", unit.engagement.uid, before, after)


def update_client(ws: Workspace, key: str, values: dict[str, Any]) -> None:
    """Edit the client of an engagement; every engagement of that client records the change."""
    with ws.writing() as session:
        from workbench.services.unit import refuse_checked_out, resolve_engagement

        engagement = resolve_engagement(session, key)
        client = session.get(Client, engagement.client_id)
        assert client is not None
        before = client_state(client)
        for name, value in clean_record("client", values, partial=True).items():
            setattr(client, name, value)
        after = client_state(client)
        if after == before:
            return
        for sibling in session.exec(select(Engagement).where(Engagement.client_id == client.id)):
            if sibling.locked_at:
                raise ConflictError(f"engagement {sibling.ref} of this client is final; reopen it first")
            refuse_checked_out(session, sibling)
            Unit(session, sibling, ws.actor).record("update", "client", client.uid, before, after)


def set_archived(ws: Workspace, key: str, archived: bool = True) -> None:
    with change(ws, key, allow_final=True) as unit:
        before = engagement_state(unit.engagement)
        unit.engagement.archived = archived
        unit.record("archive" if archived else "unarchive", "engagement", unit.engagement.uid, before,
                    engagement_state(unit.engagement))


def finding_facts(session: Session, engagement_id: int | None = None) -> dict[int, list[FindingFacts]]:
    """The verdict's facts about findings, per engagement id, counted in SQL (services.library)."""
    return library.finding_facts(dbapi(session), engagement_id)


facts_of = facts_key  # what the verdict reads of a finding record, as finding_facts counts it in SQL


def score_of_document(framework: Framework, document: dict[str, Any]) -> ScoreCard:
    """The score of an engagement document (services.document) already in memory, as score_in_session."""
    kinds: dict[tuple[str, str, bool, bool], FindingFacts] = {}
    facts = []
    for finding in document["findings"]:
        key = facts_key(finding)
        if key not in kinds:
            kinds[key] = FindingFacts(Severity.parse(key[0]), FindingStatus.parse(key[1]), key[2], key[3])
        facts.append(kinds[key])
    assessments = document["assessments"]
    checklist = checklist_share(framework, {r["item_id"]: r["answer"] for r in document["checklist"]})
    return score_engagement(framework, {a["dimension_id"]: a["current_level"] for a in assessments},
                            {a["dimension_id"]: a["target_level"] for a in assessments}, facts, checklist)


def score_in_session(session: Session, engagement: Engagement, framework: Framework | None = None) -> ScoreCard:
    return library.score_card(dbapi(session), stored_id(engagement), framework or snapshot_of(session, engagement))


def score(ws: Workspace, key: str) -> tuple[Engagement, ScoreCard]:
    with reading(ws, key) as (session, engagement):
        return engagement, score_in_session(session, engagement)


def list_engagements(ws: Workspace, *, include_archived: bool = True) -> list[EngagementSummary]:
    """Every engagement with its score (services.library.engagement_summaries)."""
    with ws.session() as session:
        return library.engagement_summaries(dbapi(session), include_archived=include_archived)
