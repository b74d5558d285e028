"""Finalising an engagement (locking it) and reopening it.

Finalisation is allowed only when services.progress reports no blocker: every dimension
assessed, no review note waiting, every Critical and High finding with a recommendation and an
owner, and both overall sign-offs. It records who and when, sets the status to final (which
removes the report's DRAFT mark) and locks the engagement: services.unit.change refuses every
later change. Reopening needs a reason; the reason becomes an open review note on the engagement,
so it is kept in the records and the audit trail, and must be dealt with before finalising again.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.enums import EngagementStatus
from workbench.domain.errors import ConflictError, ValidationError
from workbench.services.document import engagement_document
from workbench.services.engagements import engagement_state
from workbench.services.progress import compute_progress
from workbench.services.review import raise_note_in_unit
from workbench.services.unit import Unit, change, reading
from workbench.store.workspace import Workspace

REOPENED_STATUS = EngagementStatus.REVIEW.value
REOPEN_NOTE = "Reopened after finalisation: {reason}"


class FinalisationBlocked(ValidationError):
    """Finalisation refused; `blockers` lists each reason in plain words."""

    def __init__(self, ref: str, blockers: tuple[str, ...]) -> None:
        self.ref = ref
        self.blockers = blockers
        super().__init__(f"engagement {ref} cannot be finalised yet: {'; '.join(blockers)}")


@dataclass(frozen=True)
class FinalState:
    ref: str
    locked_at: str | None
    finalised_by: str | None


def blockers_in_unit(unit: Unit) -> tuple[str, ...]:
    document = engagement_document(unit.session, unit.engagement, audit_log=False)
    return compute_progress(unit.framework, document).blockers


def finalisation_blockers(ws: Workspace, engagement_key: str) -> tuple[str, ...]:
    """What still stands in the way (empty: it can be finalised now)."""
    with reading(ws, engagement_key) as (session, engagement):
        unit = Unit(session, engagement, ws.actor)
        return blockers_in_unit(unit)


def finalise(ws: Workspace, engagement_key: str) -> FinalState:
    """Lock the engagement as final; FinalisationBlocked lists what prevents it."""
    with change(ws, engagement_key, allow_final=True) as unit:
        if unit.engagement.locked_at:
            raise ConflictError(f"engagement {unit.engagement.ref} is already final "
                                f"(since {unit.engagement.locked_at[:10]})")
        blockers = blockers_in_unit(unit)
        if blockers:
            raise FinalisationBlocked(unit.engagement.ref, blockers)
        before = engagement_state(unit.engagement)
        unit.engagement.status = EngagementStatus.FINAL.value
        unit.engagement.locked_at = unit.at
        unit.engagement.finalised_by = unit.actor
        unit.record("finalise", "engagement", unit.engagement.uid, before, engagement_state(unit.engagement))
        return FinalState(unit.engagement.ref, unit.engagement.locked_at, unit.engagement.finalised_by)


def reopen(ws: Workspace, engagement_key: str, reason: str) -> str:
    """Unlock a final engagement for changes; returns the uid of the review note holding the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("reason: say why the final engagement is reopened")
    with change(ws, engagement_key, allow_final=True) as unit:
        if not unit.engagement.locked_at:
            raise ConflictError(f"engagement {unit.engagement.ref} is not final; there is nothing to reopen")
        before = engagement_state(unit.engagement)
        unit.engagement.status = REOPENED_STATUS
        unit.engagement.locked_at = None
        unit.engagement.finalised_by = None
        unit.record("reopen", "engagement", unit.engagement.uid, before, engagement_state(unit.engagement))
        return raise_note_in_unit(unit, "engagement", "", REOPEN_NOTE.format(reason=reason)).uid
