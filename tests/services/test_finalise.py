"""Finalisation: blocked for each reason, locks every change, reopen and refinalise keep a sound trail."""

from __future__ import annotations

import pytest

from tests.helpers import content_hash
from tests.helpers.engagements import ready
from workbench.domain.errors import ConflictError, PackageError, ValidationError
from workbench.services import assessment, evidence, finalise, records, review
from workbench.services.attestation import verify_trail
from workbench.services.deliverables import gather_report_data
from workbench.services.engagements import update_client, update_engagement
from workbench.services.packages import export_package, import_package
from workbench.services.trail import audit_log, verify_engagement
from workbench.services.unit import reading


def engagement_row(ws, uid):
    with reading(ws, uid) as (_session, engagement):
        return engagement


def test_fresh_engagement_lists_every_blocker(ws, engagement, preparer, reviewer) -> None:
    with pytest.raises(finalise.FinalisationBlocked) as refused:
        finalise.finalise(ws, engagement, signer=reviewer)
    assert refused.value.blockers == ("8 dimensions not assessed", "no preparer sign-off yet",
                                      "no reviewer sign-off yet")
    assert "cannot be finalised yet: 8 dimensions not assessed; no preparer" in str(refused.value)
    assert engagement_row(ws, engagement).locked_at is None


@pytest.mark.parametrize(("spoil", "blocker"), [
    (lambda ws, uid, ids: assessment.set_assessment(ws, uid, "MON", level=None), "1 dimension not assessed"),
    (lambda ws, uid, ids: review.raise_note(ws, uid, "dimension", "DP", "why 3?"), "1 review note open"),
    (lambda ws, uid, ids: review.reopen_note(ws, uid, ids["note"]), "1 review note open"),
    (lambda ws, uid, ids: (review.reopen_note(ws, uid, ids["note"]), review.answer_note(ws, uid, ids["note"], "x")),
     "1 answered review note not closed by the reviewer"),
    (lambda ws, uid, ids: records.update_record(ws, uid, "finding", ids["finding"], {"recommendation": ""}),
     "1 Critical or High finding without a recommendation"),
    (lambda ws, uid, ids: records.add_record(ws, uid, "finding", {"title": "t", "severity": "High",
                                                                  "recommendation": "r"}),
     "1 Critical or High finding without an owner"),
    (lambda ws, uid, ids: review.withdraw_signoff(ws, uid, ids["preparer"]), "no preparer sign-off yet"),
    (lambda ws, uid, ids: review.withdraw_signoff(ws, uid, ids["reviewer"]), "no reviewer sign-off yet"),
])
def test_finalise_is_blocked_for_each_reason(ws, engagement, spoil, blocker, preparer, reviewer) -> None:
    ids = ready(ws, engagement, preparer, reviewer)
    spoil(ws, engagement, ids)
    before = content_hash(ws.path)
    with pytest.raises(finalise.FinalisationBlocked) as refused:
        finalise.finalise(ws, engagement, signer=reviewer)
    assert refused.value.blockers == (blocker,)
    assert content_hash(ws.path) == before


def test_unanswered_checklist_and_missing_part_signoffs_do_not_block(ws, engagement, preparer, reviewer) -> None:
    ready(ws, engagement, preparer, reviewer)
    assert finalise.finalisation_blockers(ws, engagement) == ()
    state = finalise.finalise(ws, engagement, signer=reviewer)
    row = engagement_row(ws, engagement)
    assert (row.status, row.locked_at, row.finalised_by) == ("final", state.locked_at, "Rui Reviewer")
    events = audit_log(ws, engagement)
    assert [e["action"] for e in events[-2:]] == ["finalise", "attest"]
    assert events[-1]["after"]["signed"]["purpose"] == "finalise"
    assert events[-1]["after"]["signed"]["event_count"] == events[-2]["seq"]
    assert gather_report_data(ws, engagement).engagement.final  # the report drops its DRAFT mark


@pytest.mark.parametrize("edit", [
    lambda ws, uid, ids: records.add_record(ws, uid, "risk", {"title": "r", "likelihood": 2, "impact": 2}),
    lambda ws, uid, ids: records.update_record(ws, uid, "finding", ids["finding"], {"title": "changed"}),
    lambda ws, uid, ids: records.delete_record(ws, uid, "finding", ids["finding"]),
    lambda ws, uid, ids: assessment.set_assessment(ws, uid, "DP", level=5),
    lambda ws, uid, ids: assessment.answer_item(ws, uid, "DP-01", "yes"),
    lambda ws, uid, ids: evidence.attach_bytes(ws, uid, b"late", "late.txt"),
    lambda ws, uid, ids: update_engagement(ws, uid, {"title": "New title"}),
    lambda ws, uid, ids: update_client(ws, uid, {"sector": "Retail"}),
    lambda ws, uid, ids: review.raise_note(ws, uid, "engagement", "", "late note"),
    lambda ws, uid, ids: review.reopen_note(ws, uid, ids["note"]),
    lambda ws, uid, ids: review.sign_off(ws, uid, "preparer", signer=ids["by"], section="risks"),
    lambda ws, uid, ids: review.withdraw_signoff(ws, uid, ids["reviewer"]),
    lambda ws, uid, ids: finalise.finalise(ws, uid, signer=ids["lead"]),
])
def test_every_change_is_refused_after_finalising(ws, engagement, edit, preparer, reviewer) -> None:
    ids = ready(ws, engagement, preparer, reviewer)
    finalise.finalise(ws, engagement, signer=reviewer)
    before = content_hash(ws.path)
    with pytest.raises(ConflictError, match="final"):
        edit(ws, engagement, ids)
    assert content_hash(ws.path) == before


def test_package_import_over_a_final_engagement_is_refused(ws, engagement, tmp_path, preparer, reviewer) -> None:
    ready(ws, engagement, preparer, reviewer)
    package = export_package(ws, engagement, tmp_path / "before.mlaudit", signer=preparer)  # still open
    finalise.finalise(ws, engagement, signer=reviewer)
    before = content_hash(ws.path)
    with pytest.raises(PackageError, match="is final and locked in this workspace"):
        import_package(ws, package)
    assert content_hash(ws.path) == before
    copy = import_package(ws, package, as_copy=True)  # a copy is a separate engagement and allowed
    assert engagement_row(ws, copy).locked_at is None


def test_reopen_and_refinalise_keep_both_events_in_a_verified_chain(ws, engagement, tmp_path, preparer,
                                                                    reviewer) -> None:
    ready(ws, engagement, preparer, reviewer)
    with pytest.raises(ConflictError, match="not final"):
        finalise.reopen(ws, engagement, "typo", signer=reviewer)
    finalise.finalise(ws, engagement, signer=reviewer)
    with pytest.raises(ValidationError, match="reason"):
        finalise.reopen(ws, engagement, "  ", signer=reviewer)
    note = finalise.reopen(ws, engagement, "Client sent the drift runbook late", signer=reviewer)
    row = engagement_row(ws, engagement)
    assert (row.status, row.locked_at, row.finalised_by) == ("review", None, None)
    assert not gather_report_data(ws, engagement).engagement.final  # DRAFT is back
    reason = next(n for n in records.list_records(ws, engagement, "review_note") if n["uid"] == note)
    assert reason["text"] == "Reopened after finalisation: Client sent the drift runbook late"
    assert finalise.finalisation_blockers(ws, engagement) == ("1 review note open",)
    records.update_record(ws, engagement, "finding", "F-001", {"description": "Runbook reviewed"})
    review.answer_note(ws, engagement, note, "Runbook reviewed, F-001 updated")
    review.close_note(ws, engagement, note)
    finalise.finalise(ws, engagement, signer=reviewer)
    actions = [e["action"] for e in audit_log(ws, engagement) if e["entity"] == "engagement"]
    assert actions[-3:] == ["finalise", "reopen", "finalise"]
    assert verify_engagement(ws, engagement).ok
    verdict = verify_trail(ws, engagement)
    assert verdict.ok and verdict.attestation.unattested is None
    purposes = [e["after"]["signed"]["purpose"] for e in audit_log(ws, engagement) if e["action"] == "attest"]
    assert purposes == ["sign_off", "sign_off", "finalise", "reopen", "finalise"]
    # the final engagement travels: export, import elsewhere, still final and verified
    package = export_package(ws, engagement, tmp_path / "final.mlaudit", signer=reviewer)
    from workbench.store.workspace import Workspace

    with Workspace(tmp_path / "other.db") as other:
        uid = import_package(other, package)
        assert engagement_row(other, uid).locked_at and verify_engagement(other, uid).ok
        with pytest.raises(ConflictError, match="final and locked"):
            records.add_record(other, uid, "model", {"name": "m"})
