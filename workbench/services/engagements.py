"""Create, describe, update, list and archive engagements."""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from workbench.domain.enums import FindingStatus, Severity
from workbench.domain.errors import ConflictError, ValidationError
from workbench.domain.fields import clean_record
from workbench.domain.framework import Framework
from workbench.domain.scoring import FindingFacts, ScoreCard, score_engagement
from workbench.services.frameworks import get_framework
from workbench.services.unit import Unit, change, reading, snapshot_of, utc_now
from workbench.store.tables import (
    Assessment,
    Client,
    Engagement,
    Finding,
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


def update_engagement(ws: Workspace, key: str, values: dict[str, Any]) -> None:
    protected = {"status"} & set(values)
    if "final" in {str(values.get(k)).lower() for k in protected}:
        raise ValidationError("status: an engagement becomes final only through finalisation")
    with change(ws, key) as unit:
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
        from workbench.services.unit import resolve_engagement

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
            Unit(session, sibling, ws.actor).record("update", "client", client.uid, before, after)


def set_archived(ws: Workspace, key: str, archived: bool = True) -> None:
    with change(ws, key, allow_final=True) as unit:
        before = engagement_state(unit.engagement)
        unit.engagement.archived = archived
        unit.record("archive" if archived else "unarchive", "engagement", unit.engagement.uid, before,
                    engagement_state(unit.engagement))


# what str.strip() removes, so SQL's trim() judges "has a recommendation" exactly as Python would
WHITESPACE = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())


def finding_facts(session: Session, engagement_id: int | None = None) -> dict[int, list[FindingFacts]]:
    """The verdict's facts about findings, per engagement id, counted in SQL.

    One row per distinct (severity, status, recommendation?, due date?) instead of one ORM object
    per finding: an engagement with 5,000 findings is scored in milliseconds.
    """
    has_recommendation = func.length(func.trim(Finding.recommendation, WHITESPACE)) > 0
    has_due_date = func.coalesce(Finding.due_date, "") != ""
    grouped = (col(Finding.engagement_id), col(Finding.severity), col(Finding.status), has_recommendation,
               has_due_date)
    query = sa_select(*grouped, func.count()).group_by(*grouped)
    if engagement_id is not None:
        query = query.where(col(Finding.engagement_id) == engagement_id)
    facts: dict[int, list[FindingFacts]] = {}
    kinds: dict[tuple[str, str, bool, bool], FindingFacts] = {}
    for eid, severity, status, recommended, due, count in session.execute(query):
        key = (severity, status, bool(recommended), bool(due))
        if key not in kinds:
            kinds[key] = FindingFacts(Severity.parse(severity), FindingStatus.parse(status), *key[2:])
        facts.setdefault(eid, []).extend([kinds[key]] * count)
    return facts


def facts_of(finding: dict[str, Any]) -> tuple[str, str, bool, bool]:
    """What the verdict reads of a finding record, as finding_facts counts it in SQL."""
    return (finding["severity"], finding["status"], bool(str(finding.get("recommendation") or "").strip()),
            bool(finding.get("due_date")))


def score_of_document(framework: Framework, document: dict[str, Any]) -> ScoreCard:
    """The score of an engagement document (services.document) already in memory, as score_in_session."""
    kinds: dict[tuple[str, str, bool, bool], FindingFacts] = {}
    facts = []
    for finding in document["findings"]:
        key = facts_of(finding)
        if key not in kinds:
            kinds[key] = FindingFacts(Severity.parse(key[0]), FindingStatus.parse(key[1]), key[2], key[3])
        facts.append(kinds[key])
    assessments = document["assessments"]
    return score_engagement(framework, {a["dimension_id"]: a["current_level"] for a in assessments},
                            {a["dimension_id"]: a["target_level"] for a in assessments}, facts)


def score_in_session(session: Session, engagement: Engagement, framework: Framework | None = None) -> ScoreCard:
    framework = framework or snapshot_of(session, engagement)
    assessments = session.exec(select(Assessment.dimension_id, Assessment.current_level, Assessment.target_level)
                               .where(Assessment.engagement_id == engagement.id)).all()
    engagement_id = stored_id(engagement)
    facts = finding_facts(session, engagement_id).get(engagement_id, [])
    return score_engagement(framework, {dim: level for dim, level, _ in assessments},
                            {dim: target for dim, _, target in assessments}, facts)


def score(ws: Workspace, key: str) -> tuple[Engagement, ScoreCard]:
    with reading(ws, key) as (session, engagement):
        return engagement, score_in_session(session, engagement)


@dataclass(frozen=True)
class EngagementSummary:
    uid: str
    ref: str
    title: str
    client: str
    status: str
    framework_id: str
    score: float | None
    band: str | None
    verdict: str | None
    provisional: bool
    updated_at: str
    archived: bool
    finding_count: int

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def list_engagements(ws: Workspace, *, include_archived: bool = True) -> list[EngagementSummary]:
    """Every engagement with its score, computed in a few set-based queries (fast on big workspaces)."""
    from workbench.services.unit import framework_of_text

    with ws.session() as session:
        rows = session.exec(select(Engagement, Client).join(Client).order_by(
            Client.name, Engagement.updated_at.desc())).all()  # type: ignore[attr-defined]
        levels: dict[int, dict[str, int | None]] = {}
        for eid, dim, level in session.exec(select(Assessment.engagement_id, Assessment.dimension_id,
                                                   Assessment.current_level)):
            levels.setdefault(eid, {})[dim] = level
        facts = finding_facts(session)
        frameworks = {snap_eid: framework_of_text(content) for snap_eid, content in session.exec(
            select(FrameworkSnapshot.engagement_id, FrameworkSnapshot.content))}
        result = []
        for engagement, client in rows:
            if engagement.archived and not include_archived:
                continue
            engagement_id = stored_id(engagement)
            card = score_engagement(frameworks[engagement_id], levels.get(engagement_id, {}),
                                    findings=facts.get(engagement_id, []))
            result.append(EngagementSummary(engagement.uid, engagement.ref, engagement.title, client.name,
                                            engagement.status, engagement.framework_id, card.overall, card.band,
                                            card.verdict, card.provisional, engagement.updated_at,
                                            engagement.archived, len(facts.get(engagement_id, []))))
        return result
