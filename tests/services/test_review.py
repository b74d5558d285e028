"""Review notes (raise, answer, close, reopen) and sign-offs: validation and the audit trail."""

from __future__ import annotations

import pytest

from workbench.domain.errors import ConflictError, NotFoundError, ValidationError
from workbench.services import assessment, records, review
from workbench.services.document import engagement_document
from workbench.services.trail import audit_log, verify_engagement
from workbench.services.unit import reading, snapshot_of


def document_of(ws, uid):
    with reading(ws, uid) as (session, engagement):
        return snapshot_of(session, engagement), engagement_document(session, engagement, audit_log=False)


def note_of(ws, uid, note_uid):
    return next(n for n in records.list_records(ws, uid, "review_note") if n["uid"] == note_uid)


def test_note_on_each_kind_of_target_keeps_a_stable_key(ws, engagement) -> None:
    finding = records.add_record(ws, engagement, "finding", {"title": "No drift alerts", "severity": "High"})
    model = records.add_record(ws, engagement, "model", {"name": "churn"})
    on_engagement = review.raise_note(ws, engagement, "engagement", "", "Scope misses the batch models")
    on_dimension = review.raise_note(ws, engagement, "dimension", "DP", "Level 3 looks generous")
    on_item = review.raise_note(ws, engagement, "checklist_item", "DP-01", "Which DAGs were read?")
    on_finding = review.raise_note(ws, engagement, "finding", "F-001", "Cite the alert config")
    on_model = review.raise_note(ws, engagement, "model", model[:8], "Owner?")
    notes = {n["uid"]: n for n in records.list_records(ws, engagement, "review_note")}
    assert (notes[on_engagement]["target_kind"], notes[on_engagement]["target_key"]) == ("engagement", "")
    assert notes[on_dimension]["target_key"] == "DP"
    assert notes[on_item]["target_key"] == "DP-01"
    assert notes[on_finding]["target_key"] == finding  # by ref in, by uid stored
    assert notes[on_model]["target_key"] == model
    assert all(n["status"] == "open" and n["raised_by"] == "tester" and n["raised_at"] for n in notes.values())
    framework, document = document_of(ws, engagement)
    assert review.target_label(framework, document, "finding", finding) == "Finding F-001 · No drift alerts"
    assert review.target_label(framework, document, "dimension", "DP").startswith("Dimension DP · ")
    records.delete_record(ws, engagement, "finding", finding)
    _, document = document_of(ws, engagement)
    assert review.target_label(framework, document, "finding", finding) == "Finding (deleted)"


@pytest.mark.parametrize(("kind", "key", "message"), [
    ("dimension", "XX", "no dimension 'XX'"),
    ("checklist_item", "DP-99", "no checklist item 'DP-99'"),
    ("finding", "F-404", "no finding 'F-404'"),
    ("dimension", "", "name the dimension"),
    ("photo", "x", "target_kind: 'photo' is not one of"),
])
def test_note_on_a_missing_target_is_refused_and_nothing_written(ws, engagement, kind, key, message) -> None:
    events = len(audit_log(ws, engagement))
    with pytest.raises((ValidationError, NotFoundError), match=message):
        review.raise_note(ws, engagement, kind, key, "text")
    with pytest.raises(ValidationError, match="text"):
        review.raise_note(ws, engagement, "engagement", "", "   ")
    assert records.list_records(ws, engagement, "review_note") == []
    assert len(audit_log(ws, engagement)) == events


def test_answer_close_reopen_cycle_is_audited(ws, engagement) -> None:
    note = review.raise_note(ws, engagement, "dimension", "MON", "Is drift monitored?")
    with pytest.raises(ValidationError, match="answer"):
        review.answer_note(ws, engagement, note, "  ")
    review.answer_note(ws, engagement, note[:6], "Yes, Evidently on the main models")
    answered = note_of(ws, engagement, note)
    assert answered["status"] == "answered" and answered["answered_by"] == "tester" and answered["answered_at"]
    review.reopen_note(ws, engagement, note)
    assert note_of(ws, engagement, note)["status"] == "open"
    assert note_of(ws, engagement, note)["answer"] == "Yes, Evidently on the main models"  # kept for history
    review.close_note(ws, engagement, note)
    closed = note_of(ws, engagement, note)
    assert closed["status"] == "closed" and closed["closed_at"]
    with pytest.raises(ConflictError, match="closed"):
        review.answer_note(ws, engagement, note, "more")
    with pytest.raises(ConflictError, match="already closed"):
        review.close_note(ws, engagement, note)
    actions = [e["action"] for e in audit_log(ws, engagement) if e["entity"] == "review_note"]
    assert actions == ["raise", "answer", "reopen", "close"]
    review.restore_note_state(ws, engagement, note, answered)  # undo back to "answered"
    assert note_of(ws, engagement, note)["status"] == "answered"
    assert verify_engagement(ws, engagement).ok


def test_signoffs_overall_dimension_and_section(ws, engagement, preparer, reviewer) -> None:
    with pytest.raises(ValidationError, match="not assessed yet"):
        review.sign_off(ws, engagement, "preparer", signer=preparer, dimension="DP")
    assessment.set_assessment(ws, engagement, "DP", level=3)
    dp = review.sign_off(ws, engagement, "preparer", signer=preparer, dimension="DP", note="checked twice")
    review.sign_off(ws, engagement, "preparer", signer=preparer, section="findings")
    review.sign_off(ws, engagement, "preparer", signer=preparer)
    review.sign_off(ws, engagement, "reviewer", signer=reviewer)
    with pytest.raises(ConflictError, match="already has a preparer sign-off by Ana Preparer"):
        review.sign_off(ws, engagement, "preparer", signer=preparer, dimension="DP")
    with pytest.raises(ValidationError, match="signed off by the preparer"):
        review.sign_off(ws, engagement, "reviewer", signer=reviewer, section="risks")
    with pytest.raises(ValidationError, match="section: 'summary' is not one of"):
        review.sign_off(ws, engagement, "preparer", signer=preparer, section="summary")
    with pytest.raises(ValidationError, match="role: 'boss' is not one of"):
        review.sign_off(ws, engagement, "boss", signer=preparer)
    signoffs = {s["scope"] + "/" + s["role"]: s for s in records.list_records(ws, engagement, "signoff")}
    assert set(signoffs) == {"dimension:DP/preparer", "section:findings/preparer", "/preparer", "/reviewer"}
    assert signoffs["/reviewer"]["name"] == "Rui Reviewer" and signoffs["dimension:DP/preparer"]["signed_at"]
    framework, document = document_of(ws, engagement)
    needs = review.signoff_needs(framework, document)
    assert len(needs) == 2 + len(framework.dimensions) + len(review.SECTIONS)
    missing = [n.text for n in needs if not n.given]
    assert missing[0].startswith("preparer sign-off: Dimension MD · ")
    assert "preparer sign-off: Section Risks" in missing
    assert not any("overall" in text for text in missing)
    state = review.withdraw_signoff(ws, engagement, dp)
    assert all(s["uid"] != dp for s in records.list_records(ws, engagement, "signoff"))
    review.restore_signoff(ws, engagement, state, signer=preparer)
    assert any(s["uid"] == dp and s["note"] == "checked twice" for s in records.list_records(ws, engagement, "signoff"))
    actions = [e["action"] for e in audit_log(ws, engagement) if e["entity"] == "signoff"]
    assert actions == ["sign_off"] * 4 + ["withdraw", "restore"]
    assert verify_engagement(ws, engagement).ok


def test_one_identity_cannot_be_preparer_and_reviewer(ws, engagement, preparer, reviewer) -> None:
    from tests.helpers import content_hash

    assessment.set_assessment(ws, engagement, "DP", level=3)
    review.sign_off(ws, engagement, "preparer", signer=preparer, dimension="DP")
    before = content_hash(ws)
    with pytest.raises(ValidationError) as refused:
        review.sign_off(ws, engagement, "reviewer", signer=preparer)
    assert str(refused.value) == ("Ana Preparer signed off dimension dp · data pipeline as preparer, so cannot sign "
                                  "off as reviewer: preparer and reviewer must be different people (a one-person "
                                  "practice can allow this in the settings)")
    assert content_hash(ws) == before
    review.sign_off(ws, engagement, "reviewer", signer=reviewer)
    before = content_hash(ws)
    with pytest.raises(ValidationError, match="Rui Reviewer signed off the engagement as reviewer, so cannot sign "
                                              "off as preparer"):
        review.sign_off(ws, engagement, "preparer", signer=reviewer)
    assert content_hash(ws) == before
    assert verify_engagement(ws, engagement).ok


def test_one_person_practice_may_sign_both_and_it_shows(ws, engagement, preparer) -> None:
    review.sign_off(ws, engagement, "preparer", signer=preparer)
    review.sign_off(ws, engagement, "reviewer", signer=preparer, one_person_practice=True)
    _framework, document = document_of(ws, engagement)
    assert review.same_person_review(document)
    assert {(s["role"], s["identity_id"]) for s in document["signoffs"]} == {
        ("preparer", preparer.identity_id), ("reviewer", preparer.identity_id)}


def test_a_signoff_given_before_identities_counts_by_name(ws, engagement, preparer) -> None:
    """Sign-offs from before identities keep their typed name (empty identity): a same-named identity is the
    same person for the segregation rule."""
    review.sign_off(ws, engagement, "preparer", signer=preparer)
    with ws.engine.begin() as connection:  # as migration 0005 leaves them
        connection.exec_driver_sql("UPDATE signoff SET identity_id = '', fingerprint = ''")
    with pytest.raises(ValidationError, match="preparer and reviewer must be different people"):
        review.sign_off(ws, engagement, "reviewer", signer=preparer)


def test_signoffs_are_attested_by_their_identity(ws, engagement, preparer, reviewer) -> None:
    from workbench.services.attestation import verify_trail

    review.sign_off(ws, engagement, "preparer", signer=preparer)
    state = review.withdraw_signoff(ws, engagement, review.sign_off(ws, engagement, "reviewer", signer=reviewer))
    with pytest.raises(ValidationError, match="only Rui Reviewer .* can restore this sign-off"):
        review.restore_signoff(ws, engagement, state, signer=preparer)
    review.restore_signoff(ws, engagement, state, signer=reviewer)
    events = audit_log(ws, engagement)
    attestations = [(e["seq"], e["entity_id"], e["after"]["signed"]["event_count"]) for e in events
                    if e["entity"] == "attestation"]
    signoffs = [e["seq"] for e in events if e["action"] in ("sign_off", "restore")]
    assert [a[2] for a in attestations] == signoffs  # each sign-off attested right after it
    assert [a[1] for a in attestations] == [preparer.identity_id, reviewer.identity_id, reviewer.identity_id]
    verdict = verify_trail(ws, engagement)
    assert verdict.ok and verdict.attestation.attested_through == len(events)


# -- packages ----------------------------------------------------------------------------------


def test_notes_and_signoffs_travel_in_packages(ws, engagement, tmp_path, preparer) -> None:
    from workbench.services.packages import export_package, import_package
    from workbench.store.workspace import Workspace

    records.add_record(ws, engagement, "finding", {"title": "Dup", "severity": "Low"})
    kept = records.add_record(ws, engagement, "finding", {"title": "Kept", "severity": "Low"})
    on_deleted = review.raise_note(ws, engagement, "finding", "F-001", "Duplicate of F-002?")
    records.delete_record(ws, engagement, "finding", "F-001")  # the note stays: it is history
    answered = review.raise_note(ws, engagement, "finding", kept, "Evidence?")
    review.answer_note(ws, engagement, answered, "Attached")
    review.sign_off(ws, engagement, "preparer", signer=preparer, section="findings")
    package = export_package(ws, engagement, tmp_path / "p.mlaudit", signer=preparer)
    with Workspace(tmp_path / "other.db") as other:
        uid = import_package(other, package)
        notes = {n["uid"]: n for n in records.list_records(other, uid, "review_note")}
        assert set(notes) == {on_deleted, answered}
        assert notes[answered]["status"] == "answered" and notes[answered]["target_key"] == kept
        assert [s["scope"] for s in records.list_records(other, uid, "signoff")] == ["section:findings"]
        assert verify_engagement(other, uid).ok


def test_package_written_before_review_notes_still_imports(ws, engagement, tmp_path) -> None:
    from tests.helpers.packages import rewrite
    from workbench.services.packages import export_package, import_package
    from workbench.store.workspace import Workspace

    package = export_package(ws, engagement, tmp_path / "new.mlaudit", signer=None)
    rewrite(package, tmp_path / "old.mlaudit", doc=lambda d: d.pop("review_notes"))
    with Workspace(tmp_path / "other.db") as other:
        uid = import_package(other, tmp_path / "old.mlaudit", untrusted=True)
        assert records.list_records(other, uid, "review_note") == []
        assert verify_engagement(other, uid).ok


@pytest.mark.parametrize(("target", "message"), [
    (("finding", "5b1c0000-0000-4000-8000-000000000000"), "is about finding 5b1c0000-0000-4000-8000-000000000000, "
                                                          "which is not in the package"),
    (("dimension", "ZZ"), "no dimension 'ZZ'"),
    (("checklist_item", "ZZ-01"), "no checklist item 'ZZ-01'"),
    (("engagement", "abc"), "names the engagement with a key"),
    (("spreadsheet", "x"), "target_kind: 'spreadsheet' is not one of"),
])
def test_package_notes_must_name_existing_targets(ws, engagement, tmp_path, target, message) -> None:
    from tests.helpers import content_hash
    from tests.helpers.packages import rewrite
    from workbench.domain.errors import PackageError
    from workbench.services.packages import export_package, import_package
    from workbench.store.workspace import Workspace

    review.raise_note(ws, engagement, "dimension", "DP", "Why level 3?")
    package = export_package(ws, engagement, tmp_path / "p.mlaudit", signer=None)

    def retarget(document: dict) -> None:
        document["review_notes"][0]["target_kind"], document["review_notes"][0]["target_key"] = target

    rewrite(package, tmp_path / "bad.mlaudit", doc=retarget)
    with Workspace(tmp_path / "other.db") as other:
        before = content_hash(other.path)
        with pytest.raises(PackageError, match=message.replace("(", r"\(")):
            import_package(other, tmp_path / "bad.mlaudit", untrusted=True)
        assert content_hash(other.path) == before


def test_signoffs_cannot_bypass_the_review_rules_through_generic_records(ws, engagement, preparer) -> None:
    from workbench.domain.errors import ValidationError
    from workbench.services import records

    with pytest.raises(ValidationError, match="not added this way"):
        records.add_record(ws, engagement, "signoff", {"role": "reviewer", "name": "Mallory"})
    signed = review.sign_off(ws, engagement, "preparer", signer=preparer)
    with pytest.raises(ValidationError, match="review step"):
        records.update_record(ws, engagement, "signoff", signed, {"name": "Mallory"})
    with pytest.raises(ValidationError, match="review step"):
        records.delete_record(ws, engagement, "signoff", signed)


def test_a_signoff_and_its_attestation_update_a_document_from_the_events(ws, engagement, preparer) -> None:
    """The GUI keeps its document current from the events an edit wrote: an attestation writes no record, so
    a sign-off is applied without re-reading the engagement."""
    from workbench.services.document import apply_events

    with reading(ws, engagement) as (session, eng):
        document = engagement_document(session, eng, audit_log=False)
    seq = len(audit_log(ws, engagement))
    review.sign_off(ws, engagement, "preparer", signer=preparer)
    events = audit_log(ws, engagement)[seq:]
    assert [e["entity"] for e in events] == ["signoff", "attestation"]
    assert apply_events(document, events, seq) == {"signoffs"}
    assert document["signoffs"] == document_of(ws, engagement)[1]["signoffs"]
