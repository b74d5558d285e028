"""The portfolio: every client with its audits over time, and what is still open across them.

A client's audits are ordered by when they started (or were created); the score of each is the
framework's own figure (out of 100, or out of 5 for a /5 template). Open Critical and High findings and
overdue remediation are counted on each client's current audits only — those no re-audit has followed —
so a finding carried forward into a re-audit is not counted twice.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlmodel import col, select

from workbench.domain.enums import FindingStatus, Severity
from workbench.services.engagements import score_in_session
from workbench.services.unit import snapshot_of
from workbench.store.tables import Client, Engagement, Finding, stored_id
from workbench.store.workspace import Workspace

URGENT = (Severity.CRITICAL.value, Severity.HIGH.value)


@dataclass(frozen=True)
class AuditPoint:
    """One audit of a client: when, its score on its own scale, what is open in it."""

    uid: str
    ref: str
    title: str
    status: str
    started: str  # the audit's start date, else the day it was created (ISO)
    score: float | None  # on the framework's own scale
    out_of: float
    band: str | None
    verdict: str | None
    open_critical: int
    open_high: int
    overdue: int  # open findings past their due date
    current: bool  # no re-audit follows it
    archived: bool


@dataclass(frozen=True)
class ClientPortfolio:
    name: str
    sector: str
    audits: tuple[AuditPoint, ...]  # oldest first

    @property
    def open_critical(self) -> int:
        return sum(a.open_critical for a in self.audits if a.current)

    @property
    def open_high(self) -> int:
        return sum(a.open_high for a in self.audits if a.current)

    @property
    def overdue(self) -> int:
        return sum(a.overdue for a in self.audits if a.current)

    def as_dict(self) -> dict[str, Any]:
        return {"client": self.name, "sector": self.sector, "open_critical": self.open_critical,
                "open_high": self.open_high, "overdue": self.overdue,
                "audits": [asdict(audit) for audit in self.audits]}


def _open_counts(findings: list[tuple[str, str, str | None]], today: str) -> tuple[int, int, int]:
    open_ones = [(severity, due) for severity, status, due in findings if FindingStatus.parse(status).is_open]
    return (sum(1 for severity, _ in open_ones if severity == URGENT[0]),
            sum(1 for severity, _ in open_ones if severity == URGENT[1]),
            sum(1 for _, due in open_ones if due and due < today))


def portfolio(ws: Workspace, *, today: date | None = None, include_archived: bool = True) -> list[ClientPortfolio]:
    """Every client (by name) with its audits, oldest first."""
    day = (today or date.today()).isoformat()
    with ws.session() as session:
        rows = session.exec(select(Engagement, Client).join(Client).order_by(col(Client.name))).all()
        followed = {e.previous_uid for e, _ in rows if e.previous_uid}
        findings: dict[int, list[tuple[str, str, str | None]]] = {}
        for eid, severity, status, due in session.exec(select(Finding.engagement_id, Finding.severity,
                                                              Finding.status, Finding.due_date)):
            findings.setdefault(eid, []).append((severity, status, due))
        clients: dict[int, tuple[Client, list[AuditPoint]]] = {}
        for engagement, client in rows:
            if engagement.archived and not include_archived:
                continue
            card = score_in_session(session, engagement, snapshot_of(session, engagement))
            critical, high, overdue = _open_counts(findings.get(stored_id(engagement), []), day)
            point = AuditPoint(engagement.uid, engagement.ref, engagement.title, engagement.status,
                               engagement.start_date or engagement.created_at[:10], card.shown, card.out_of,
                               card.band, card.verdict, critical, high, overdue, engagement.uid not in followed,
                               engagement.archived)
            clients.setdefault(stored_id(client), (client, []))[1].append(point)
    return [ClientPortfolio(client.name, client.sector, tuple(sorted(points, key=lambda p: (p.started, p.ref))))
            for client, points in clients.values()]
