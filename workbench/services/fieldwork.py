"""Fieldwork on several laptops: handing an engagement out and who prepares which part of it.

    path = hand_out(ws, "ACME-2026-01", target, signer=signer)   # a signed package naming its branch
    assign(ws, "ACME-2026-01", "dimension:monitoring", "Bea Keller")
    assignments(ws, "ACME-2026-01")                              # every part, its auditor or ""

The colleague imports the hand-out as the same engagement (services.packages.import_package) and later
exports it back; services.merge brings those events into the lead's workspace. Assignments are events of
the trail (domain.assignments), so they travel and merge with everything else.
"""

from __future__ import annotations

from pathlib import Path

from workbench.domain.assignments import Assignment, current_assignments, scope_title
from workbench.domain.trail import ASSIGNMENT
from workbench.services.packages import export_package
from workbench.services.unit import change, reading, snapshot_of
from workbench.signing.attest import Signer
from workbench.store.audit import events_of
from workbench.store.workspace import Workspace

__all__ = ["assign", "assignments", "hand_out"]


def hand_out(ws: Workspace, engagement_key: str, target: Path, *, signer: Signer | None) -> Path:
    """Write the engagement as a hand-out package for a colleague's laptop (a read: nothing changes here)."""
    return export_package(ws, engagement_key, target, signer=signer, for_fieldwork=True)


def assign(ws: Workspace, engagement_key: str, scope: str, auditor: str) -> Assignment:
    """Give a part of the engagement ("dimension:<id>" or "section:<key>") to an auditor ("" hands it back)."""
    auditor = " ".join(auditor.split())
    with change(ws, engagement_key) as unit:
        scope_title(unit.framework, scope)
        events = events_of(unit.session, unit.engagement.uid)
        current = {a.scope: a for a in current_assignments(unit.framework, events)}
        before = current[scope].auditor
        if before != auditor:
            unit.record("assign", ASSIGNMENT, scope, {"scope": scope, "auditor": before} if before else None,
                        {"scope": scope, "auditor": auditor} if auditor else None)
        return Assignment(scope, current[scope].title, auditor, unit.at, unit.actor)


def assignments(ws: Workspace, engagement_key: str) -> list[Assignment]:
    with reading(ws, engagement_key) as (session, engagement):
        return current_assignments(snapshot_of(session, engagement), events_of(session, engagement.uid))
