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


def texts(blockers) -> list[str]:
    return [b.text for b in blockers]


def test_fresh_engagement_lists_every_blocker(ws, engagement, reviewer) -> None:
    with pytest.raises(finalise.FinalisationBlocked) as refused:
        finalise.finalise(ws, engagement, signer=reviewer)
    found = texts(refused.value.blockers)
    assert found[0] == ("DP Data Pipeline: 16 checklist items unanswered (DP-01, DP-02, DP-03, DP-04, DP-05, DP-06, "
                        "DP-07, DP-08, DP-09, DP-10, DP-11, DP-12 and 4 more)")
    assert "health check: 5 questions unanswered (HC-1, HC-2, HC-3, HC-4 and HC-5)" in found
    assert "MON Monitoring: no maturity level set" in found
    assert found[-4:] == ["no preparer sign-off yet", "no reviewer sign-off yet",
                          "preparer sign-off missing for 8 dimensions: DP, MD, MR, DEP, MON, CICD, EXP and FS",
                          "preparer sign-off missing for 8 sections: Health check, Findings, Model inventory, Risks, "
                          "Costs, Roadmap, Matrices and Evidence"]
    assert "cannot be finalised yet: DP Data Pipeline: 16 checklist items unanswered" in str(refused.value)
    assert engagement_row(ws, engagement).locked_at is None
    where = {b.text: b for b in refused.value.blockers}
    assert (where[found[0]].step, where[found[0]].dimension, where[found[0]].item) == ("assessment", "DP", "DP-01")
    assert where["MON Monitoring: no maturity level set"].dimension == "MON"
    assert where[found[-2]].step == "review" and where[found[-2]].dimension == "DP"


def legacy_acceptance(ws, uid: str, ids: dict[str, str]) -> None:
    """A Risk accepted finding without who or why, as packages from before those fields bring them."""
    records.restore_record(ws, uid, "finding", {"uid": "0c0ffee0-0000-4000-8000-000000000001", "title": "Old risk",
                                                "severity": "Medium", "status": "risk_accepted"})


@pytest.mark.parametrize(("spoil", "blocker", "where"), [
    (lambda ws, uid, ids: assessment.set_assessment(ws, uid, "MON", level=None),
     "MON Monitoring: no maturity level set", ("assessment", "MON", "", "")),
    (lambda ws, uid, ids: assessment.answer_item(ws, uid, "FS-03", "unanswered"),
     "FS Feature Store: 1 checklist item unanswered (FS-03)", ("assessment", "FS", "FS-03", "")),
    (lambda ws, uid, ids: assessment.answer_health_check(ws, uid, "HC-4", "unanswered"),
     "health check: 1 question unanswered (HC-4)", ("health", "", "HC-4", "")),
    (lambda ws, uid, ids: review.raise_note(ws, uid, "dimension", "DP", "why 3?"), "1 review note open",
     ("review", "", "", "")),
    (lambda ws, uid, ids: review.reopen_note(ws, uid, ids["note"]), "1 review note open", ("review", "", "", "note")),
    (lambda ws, uid, ids: (review.reopen_note(ws, uid, ids["note"]), review.answer_note(ws, uid, ids["note"], "x")),
     "1 answered review note not closed by the reviewer", ("review", "", "", "note")),
    (lambda ws, uid, ids: records.update_record(ws, uid, "finding", ids["finding"], {"recommendation": ""}),
     "1 Critical or High finding without a recommendation: F-001", ("findings", "", "", "finding")),
    (lambda ws, uid, ids: records.add_record(ws, uid, "finding", {"title": "t", "severity": "High",
                                                                  "recommendation": "r"}),
     "1 Critical or High finding without an owner: F-002", ("findings", "", "", "")),
    (legacy_acceptance, "1 finding marked Risk accepted without who accepted it and why: F-002",
     ("findings", "", "", "")),
    (lambda ws, uid, ids: review.withdraw_signoff(ws, uid, ids["preparer"]), "no preparer sign-off yet",
     ("review", "", "", "")),
    (lambda ws, uid, ids: review.withdraw_signoff(ws, uid, ids["reviewer"]), "no reviewer sign-off yet",
     ("review", "", "", "")),
    (lambda ws, uid, ids: review.withdraw_signoff(ws, uid, ids["dimension:EXP"]),
     "preparer sign-off missing for 1 dimension: EXP", ("review", "EXP", "", "")),
    (lambda ws, uid, ids: review.withdraw_signoff(ws, uid, ids["section:matrices"]),
     "preparer sign-off missing for 1 section: Matrices", ("review", "", "", "")),
])
def test_finalise_is_blocked_for_each_reason(ws, engagement, spoil, blocker, where, preparer, reviewer) -> None:
    ids = ready(ws, engagement, preparer, reviewer)
    spoil(ws, engagement, ids)
    before = content_hash(ws)
    with pytest.raises(finalise.FinalisationBlocked) as refused:
        finalise.finalise(ws, engagement, signer=reviewer)
    assert texts(refused.value.blockers) == [blocker]
    found = refused.value.blockers[0]
    assert (found.step, found.dimension, found.item) == where[:3]
    if where[3]:
        assert found.record == ids[where[3]]
    assert content_hash(ws) == before


def test_a_complete_engagement_finalises(ws, engagement, preparer, reviewer) -> None:
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


def test_the_firm_may_relax_section_signoffs_but_never_the_pair_dimensions_or_coverage(
        ws, engagement, monkeypatch, tmp_path, preparer, reviewer) -> None:
    from workbench.services.preferences import update_preferences

    monkeypatch.setenv("WORKBENCH_PREFERENCES", str(tmp_path / "preferences.json"))
    ids = ready(ws, engagement, preparer, reviewer)
    for key in ("section:health", "section:matrices", "dimension:EXP", "reviewer"):
        review.withdraw_signoff(ws, engagement, ids[key])
    assessment.answer_item(ws, engagement, "FS-03", "unanswered")
    assert len(finalise.finalisation_blockers(ws, engagement)) == 4
    update_preferences(require_section_signoffs=False)
    assert texts(finalise.finalisation_blockers(ws, engagement)) == [
        "FS Feature Store: 1 checklist item unanswered (FS-03)", "no reviewer sign-off yet",
        "preparer sign-off missing for 1 dimension: EXP"]


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
    before = content_hash(ws)
    with pytest.raises(ConflictError, match="final"):
        edit(ws, engagement, ids)
    assert content_hash(ws) == before


def test_package_import_over_a_final_engagement_is_refused(ws, engagement, tmp_path, preparer, reviewer) -> None:
    ready(ws, engagement, preparer, reviewer)
    package = export_package(ws, engagement, tmp_path / "before.mlaudit", signer=preparer)  # still open
    finalise.finalise(ws, engagement, signer=reviewer)
    before = content_hash(ws)
    with pytest.raises(PackageError, match="is final and locked in this workspace"):
        import_package(ws, package)
    assert content_hash(ws) == before
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
    assert texts(finalise.finalisation_blockers(ws, engagement)) == ["1 review note open"]
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
    assert purposes == ["sign_off"] * (8 + 8 + 2) + ["finalise", "reopen", "finalise"]
    # the final engagement travels: export, import elsewhere, still final and verified
    package = export_package(ws, engagement, tmp_path / "final.mlaudit", signer=reviewer)
    from workbench.store.workspace import Workspace

    with Workspace(tmp_path / "other.db") as other:
        uid = import_package(other, package)
        assert engagement_row(other, uid).locked_at and verify_engagement(other, uid).ok
        with pytest.raises(ConflictError, match="final and locked"):
            records.add_record(other, uid, "model", {"name": "m"})
