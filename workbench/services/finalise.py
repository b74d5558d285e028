"""Finalising an engagement (locking it) and reopening it.

Finalisation is allowed only when services.progress reports no blocker: the checklist covered as far
as the framework asks (all of it by default), the health check answered, every dimension assessed,
every Critical and High finding with a recommendation and an owner, every accepted risk with who
accepted it and why, no review note waiting, and the sign-offs (the overall preparer and reviewer
pair, each dimension, and each section unless the firm's preferences relax those). It records who
and when, sets the status to final (which removes the report's DRAFT mark) and locks the engagement:
services.unit.change refuses every later change. Reopening needs a reason; the reason becomes an
open review note on the engagement, so it is kept in the records and the audit trail, and must be
dealt with before finalising again.

Both are attested: the identity that finalises (or reopens) signs the trail as it then stands
(services.attestation), so a final engagement is attested to its last event and any later rewrite,
deletion or append is detected by `log --verify`.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.enums import EngagementStatus
from workbench.domain.errors import ConflictError, ValidationError
from workbench.services.attestation import Signer, attest_in_unit
from workbench.services.document import engagement_document
from workbench.services.engagements import engagement_state
from workbench.services.progress import Blocker, compute_progress, firm_gates
from workbench.services.review import raise_note_in_unit
from workbench.services.unit import Unit, change, reading
from workbench.store.tables import Engagement
from workbench.store.workspace import Workspace

REOPENED_STATUS = EngagementStatus.REVIEW.value
REOPEN_NOTE = "Reopened after finalisation: {reason}"


class FinalisationBlocked(ValidationError):
    """Finalisation refused; `blockers` lists each reason in plain words."""

    def __init__(self, ref: str, blockers: tuple[Blocker, ...]) -> None:
        self.ref = ref
        self.blockers = blockers
        super().__init__(f"engagement {ref} cannot be finalised yet: {'; '.join(b.text for b in blockers)}")


@dataclass(frozen=True)
class FinalState:
    ref: str
    locked_at: str | None
    finalised_by: str | None


def blockers_in_unit(unit: Unit) -> tuple[Blocker, ...]:
    document = engagement_document(unit.session, unit.engagement, audit_log=False)
    return compute_progress(unit.framework, document, firm_gates()).blockers


def finalisation_blockers(ws: Workspace, engagement_key: str) -> tuple[Blocker, ...]:
    """What still stands in the way (empty: it can be finalised now)."""
    with reading(ws, engagement_key) as (session, engagement):
        unit = Unit(session, engagement, ws.actor)
        return blockers_in_unit(unit)


def finalise(ws: Workspace, engagement_key: str, *, signer: Signer) -> FinalState:
    """Lock the engagement as final, attested by `signer`; FinalisationBlocked lists what prevents it."""
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
        unit.engagement.finalised_by = signer.name
        unit.record("finalise", "engagement", unit.engagement.uid, before, engagement_state(unit.engagement))
        attest_in_unit(unit, signer, "finalise")
        return FinalState(unit.engagement.ref, unit.engagement.locked_at, unit.engagement.finalised_by)


def _check_reopen(engagement: Engagement, reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("reason: say why the final engagement is reopened")
    if not engagement.locked_at:
        raise ConflictError(f"engagement {engagement.ref} is not final; there is nothing to reopen")
    return reason


def check_reopen(ws: Workspace, engagement_key: str, reason: str) -> None:
    """Refuse, before any passphrase is asked for, a reopening that reopen would refuse."""
    with reading(ws, engagement_key) as (_session, engagement):
        _check_reopen(engagement, reason)


def reopen(ws: Workspace, engagement_key: str, reason: str, *, signer: Signer) -> str:
    """Unlock a final engagement for changes; returns the uid of the review note holding the reason."""
    with change(ws, engagement_key, allow_final=True) as unit:
        reason = _check_reopen(unit.engagement, reason)
        before = engagement_state(unit.engagement)
        unit.engagement.status = REOPENED_STATUS
        unit.engagement.locked_at = None
        unit.engagement.finalised_by = None
        unit.record("reopen", "engagement", unit.engagement.uid, before, engagement_state(unit.engagement))
        note = raise_note_in_unit(unit, "engagement", "", REOPEN_NOTE.format(reason=reason)).uid
        attest_in_unit(unit, signer, "reopen")
        return note
