"""Evidence is stored once and linked; a re-audit carries the right things forward."""

from __future__ import annotations

import pytest

from tests.helpers import table_counts
from workbench.domain.errors import NotFoundError, ValidationError
from workbench.services import engagements, evidence, records
from workbench.services.document import engagement_document
from workbench.services.reaudit import start_reaudit
from workbench.services.trail import verify_engagement
from workbench.services.unit import reading


def test_same_file_is_stored_once_and_linked_to_each_kind(ws, engagement, tmp_path) -> None:
    finding = records.add_record(ws, engagement, "finding", {"title": "No rollback", "severity": "High"})
    records.add_record(ws, engagement, "model", {"name": "fraud-gbm"})
    records.add_record(ws, engagement, "risk", {"title": "Outage", "likelihood": 2, "impact": 5})
    path = tmp_path / "runbook.txt"
    path.write_text("rollback: none documented")
    first = evidence.attach_file(ws, engagement, path, description="Runbook",
                                 links=[("finding", "F-001"), ("checklist_item", "DEP-01"),
                                        ("model", "fraud-gbm"), ("risk", "R-01")])
    second = evidence.attach_file(ws, engagement, path, description="Same runbook again")
    assert table_counts(ws, ["evidence_blob"])["evidence_blob"] == 1
    meta, data = evidence.read_evidence(ws, engagement, first)
    assert data == b"rollback: none documented" and meta["size"] == len(data)
    assert meta["sha256"] == evidence.read_evidence(ws, engagement, second)[0]["sha256"]
    with reading(ws, engagement) as (session, eng):
        doc = engagement_document(session, eng)
    links = doc["evidence"][0]["links"]
    assert {link["target_kind"] for link in links} == {"finding", "checklist_item", "model", "risk"}
    assert {"target_kind": "finding", "target_key": finding} in [
        {k: link[k] for k in ("target_kind", "target_key")} for link in links]
    evidence.remove_evidence(ws, engagement, first)
    assert table_counts(ws, ["evidence_blob"])["evidence_blob"] == 1  # still cited by `second`
    evidence.remove_evidence(ws, engagement, second)
    assert table_counts(ws, ["evidence_blob"])["evidence_blob"] == 0
    assert verify_engagement(ws, engagement).ok


def test_link_to_missing_target_is_refused(ws, engagement) -> None:
    uid = evidence.attach_bytes(ws, engagement, b"x", "x.txt")
    with pytest.raises(NotFoundError):
        evidence.link_evidence(ws, engagement, uid, "finding", "F-404")
    with pytest.raises(ValidationError):
        evidence.link_evidence(ws, engagement, uid, "checklist_item", "NOPE-1")


def test_reaudit_carries_forward_client_scope_models_and_open_findings(ws, engagement) -> None:
    engagements.update_engagement(ws, engagement, {"scope": "Fraud platform", "system_name": "FraudNet"})
    records.add_record(ws, engagement, "model", {"name": "fraud-gbm", "version": "3"})
    records.add_record(ws, engagement, "finding", {"title": "Open one", "severity": "High", "dimension_id": "MON"})
    records.add_record(ws, engagement, "finding", {"title": "Fixed one", "severity": "Low", "status": "resolved"})
    from workbench.services.assessment import set_assessment

    set_assessment(ws, engagement, "MON", level=2, target=4)
    new_uid = start_reaudit(ws, engagement, title="Follow-up audit")
    with reading(ws, new_uid) as (session, new):
        doc = engagement_document(session, new)
        assert new.previous_uid == engagement
    assert doc["client"]["name"] == "Acme Analytics"
    assert doc["engagement"]["scope"] == "Fraud platform"
    assert [m["name"] for m in doc["models"]] == ["fraud-gbm"]
    assert [(f["title"], f["carried_forward"]) for f in doc["findings"]] == [("Open one", True)]
    assert doc["assessments"][0]["target_level"] == 4 and doc["assessments"][0]["current_level"] is None
    assert verify_engagement(ws, new_uid).ok
    assert len(engagements.list_engagements(ws)) == 2


def test_reaudit_carries_forward_risks_costs_roadmap_and_matrices_marked_and_keeps_the_ref_prefix(
        ws, engagement) -> None:
    engagements.update_engagement(ws, engagement, {"ref": "DGA-2026-01"})
    records.add_record(ws, engagement, "finding", {"title": "No drift alerts", "severity": "High"})
    records.add_record(ws, engagement, "finding", {"title": "Old typo", "severity": "Low", "status": "resolved"})
    records.add_record(ws, engagement, "risk", {"title": "Outage", "likelihood": 2, "impact": 5})
    records.add_record(ws, engagement, "risk", {"title": "Gone", "likelihood": 1, "impact": 1, "status": "closed"})
    records.add_record(ws, engagement, "cost", {"kind": "optimisation", "name": "Spot instances for training"})
    records.add_record(ws, engagement, "roadmap", {"phase": "Phase 1", "activity": "Drift alerts",
                                                   "finding_refs": ["F-001", "F-002"]})
    records.add_record(ws, engagement, "matrix", {"kind": "tool", "data": {"tool": "MLflow", "ring": "adopt"}})

    new_uid = start_reaudit(ws, engagement)
    with reading(ws, new_uid) as (session, new):
        doc = engagement_document(session, new)
    assert doc["engagement"]["ref"].startswith("DGA-") and doc["engagement"]["ref"] != "DGA-2026-01"
    assert [(r["title"], r["carried_forward"]) for r in doc["risks"]] == [("Outage", True)]
    assert [(c["name"], c["carried_forward"]) for c in doc["costs"]] == [("Spot instances for training", True)]
    # the roadmap keeps its link to the finding that came across, not to the resolved one that did not
    assert [(r["activity"], r["finding_refs"], r["carried_forward"]) for r in doc["roadmap"]] == [
        ("Drift alerts", ["F-001"], True)]
    assert [(m["data"]["tool"], m["carried_forward"]) for m in doc["matrices"]] == [("MLflow", True)]
    assert verify_engagement(ws, new_uid).ok
    # a record added to the re-audit itself is not carried forward
    records.add_record(ws, new_uid, "risk", {"title": "New vendor", "likelihood": 3, "impact": 3})
    assert [r["carried_forward"] for r in records.list_records(ws, new_uid, "risk")] == [True, False]


@pytest.mark.parametrize("ref, prefix", [("DGA-2026-01", "DGA"), ("ACME-RISK-2025-12", "ACME-RISK"),
                                         ("custom", None), ("DGA-26-01", None)])
def test_ref_prefix_of(ref, prefix) -> None:
    assert engagements.ref_prefix_of(ref) == prefix


@pytest.mark.parametrize("kind, values, key", [
    ("finding", {"title": "No rollback", "severity": "High"}, "F-001"),
    ("model", {"name": "fraud-gbm"}, "fraud-gbm"),
    ("risk", {"title": "Outage", "likelihood": 2, "impact": 5}, "R-01"),
])
def test_deleting_a_record_unlinks_its_evidence_and_undo_relinks_it(ws, engagement, tmp_path, kind, values,
                                                                    key) -> None:
    from workbench.services.packages import export_package, import_package

    uid = records.add_record(ws, engagement, kind, values)
    file_uid = evidence.attach_bytes(ws, engagement, b"screenshot", "proof.txt", links=[(kind, key)])

    def links() -> list[tuple[str, str]]:
        with reading(ws, engagement) as (session, eng):
            document = engagement_document(session, eng)
        return [(link["target_kind"], link["target_key"]) for e in document["evidence"] for link in e["links"]]

    state = records.delete_record(ws, engagement, kind, uid)
    assert links() == []  # no link left pointing at a record that is gone
    package = tmp_path / "after-delete.mlaudit"
    export_package(ws, engagement, package, signer=None)
    import_package(ws, package, as_copy=True, untrusted=True)  # the package passes its own import checks

    records.restore_record(ws, engagement, kind, state)
    assert links() == [(kind, uid)]
    assert verify_engagement(ws, engagement).ok
    assert evidence.read_evidence(ws, engagement, file_uid)[1] == b"screenshot"
