"""Fieldwork merge (#17): hand-out, import as the same engagement, edits on two laptops, merge back."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import content_hash
from tests.helpers.engagements import finalised_engagement
from tests.helpers.hostile_packages import forge
from workbench.domain.errors import ConflictError, PackageError
from workbench.services import records
from workbench.services.attestation import verify_trail
from workbench.services.engagements import create_engagement
from workbench.services.fieldwork import assign, assignments, hand_out
from workbench.services.merge import MergeConflicts, merge_package, preview_merge, restore_states
from workbench.services.packages import export_package, import_package
from workbench.services.trail import audit_log
from workbench.store.workspace import Workspace


@pytest.fixture
def laptops(tmp_path: Path, preparer: Any) -> tuple[Workspace, Workspace, str]:
    """The lead's workspace with an engagement holding two findings, and Bea's laptop holding its hand-out."""
    lead = Workspace(tmp_path / "lead.db", actor="Ann Lead").open()
    bea = Workspace(tmp_path / "bea.db", actor="Bea Field").open()
    uid = create_engagement(lead, client="Acme Analytics", title="Platform audit")
    for title in ("Drift not monitored", "No model registry"):
        records.add_record(lead, uid, "finding", {"title": title, "severity": "High"})
    package = hand_out(lead, uid, tmp_path / "handout.mlaudit", signer=preparer)
    assert import_package(bea, package) == uid
    yield lead, bea, uid
    lead.close()
    bea.close()


def finding(ws: Workspace, uid: str, ref: str) -> dict[str, Any]:
    return next(f for f in records.list_records(ws, uid, "finding") if f["ref"] == ref)


def send(ws: Workspace, uid: str, path: Path, signer: Any) -> Path:
    return export_package(ws, uid, path, signer=signer)


def test_edits_to_different_fields_merge_and_the_trail_verifies(laptops: Any, tmp_path: Path, preparer: Any) -> None:
    lead, bea, uid = laptops
    records.update_record(lead, uid, "finding", "F-001", {"severity": "Critical"})
    records.update_record(bea, uid, "finding", "F-001", {"owner": "Data team"})
    records.add_record(bea, uid, "finding", {"title": "Alerts go nowhere", "severity": "Medium"})
    records.add_record(lead, uid, "finding", {"title": "Lead's own", "severity": "Low"})
    result = merge_package(lead, send(bea, uid, tmp_path / "bea.mlaudit", preparer), signer=preparer)
    assert not result.preview.conflicts
    merged = finding(lead, uid, "F-001")
    assert (merged["severity"], merged["owner"]) == ("Critical", "Data team")
    titles = {f["ref"]: f["title"] for f in records.list_records(lead, uid, "finding")}
    assert sorted(titles.values()) == sorted(["Drift not monitored", "No model registry", "Alerts go nowhere",
                                              "Lead's own"])
    assert len(set(titles)) == 4  # the two new F-003s: one renumbered
    assert result.renumbered and result.renumbered[0].old == "F-003"
    verdict = verify_trail(lead, uid)
    assert verdict.ok, verdict.problem
    actors = {e["actor"] for e in audit_log(lead, uid)}
    assert {"Ann Lead", "Bea Field"} <= actors
    # the same package again changes nothing
    before = audit_log(lead, uid)
    again = merge_package(lead, tmp_path / "bea.mlaudit", signer=preparer)
    assert again.preview.nothing_new and audit_log(lead, uid) == before


def test_a_conflict_is_shown_with_both_sides_and_nothing_is_written_until_decided(
        laptops: Any, tmp_path: Path, preparer: Any) -> None:
    lead, bea, uid = laptops
    records.update_record(lead, uid, "finding", "F-002", {"title": "Registry missing"})
    records.update_record(bea, uid, "finding", "F-002", {"title": "No registry at all"})
    package = send(bea, uid, tmp_path / "bea.mlaudit", preparer)
    preview = preview_merge(lead, package)
    assert len(preview.conflicts) == 1
    conflict = preview.conflicts[0]
    assert (conflict.mine.value, conflict.theirs.value) == ("Registry missing", "No registry at all")
    assert (conflict.mine.actor, conflict.theirs.actor) == ("Ann Lead", "Bea Field")
    before = audit_log(lead, uid)
    with pytest.raises(MergeConflicts):
        merge_package(lead, package, signer=preparer)
    assert audit_log(lead, uid) == before
    merge_package(lead, package, signer=preparer, choices={conflict.id: "theirs"})
    assert finding(lead, uid, "F-002")["title"] == "No registry at all"
    assert verify_trail(lead, uid).ok
    # back to Bea: her edit was taken, nothing to decide, same records
    result = merge_package(bea, send(lead, uid, tmp_path / "lead.mlaudit", preparer), signer=preparer)
    assert not result.preview.conflicts
    assert records.list_records(bea, uid, "finding") == records.list_records(lead, uid, "finding")
    assert verify_trail(bea, uid).ok, verify_trail(bea, uid).problem


def test_delete_against_edit_is_a_conflict(laptops: Any, tmp_path: Path, preparer: Any) -> None:
    lead, bea, uid = laptops
    records.delete_record(lead, uid, "finding", "F-001")
    records.update_record(bea, uid, "finding", "F-001", {"owner": "Data team"})
    package = send(bea, uid, tmp_path / "bea.mlaudit", preparer)
    (conflict,) = preview_merge(lead, package).conflicts
    assert conflict.deletion and conflict.mine.value is None and conflict.theirs.value["owner"] == "Data team"
    merge_package(lead, package, signer=preparer, take="theirs")
    assert finding(lead, uid, "F-001")["owner"] == "Data team"
    assert verify_trail(lead, uid).ok


def test_assignments_travel_with_the_trail(laptops: Any, tmp_path: Path, preparer: Any) -> None:
    lead, bea, uid = laptops
    scope = assignments(lead, uid)[0].scope
    assign(bea, uid, scope, "Bea Field")
    merge_package(lead, send(bea, uid, tmp_path / "bea.mlaudit", preparer), signer=preparer)
    assert assignments(lead, uid)[0].auditor == "Bea Field"


def test_a_final_engagement_refuses_a_merge(tmp_path: Path, preparer: Any, reviewer: Any) -> None:
    with Workspace(tmp_path / "lead.db") as lead:
        uid = finalised_engagement(lead, preparer, reviewer)
        package = send(lead, uid, tmp_path / "final.mlaudit", preparer)
        before = content_hash(tmp_path / "lead.db")
        with pytest.raises(ConflictError, match="final and locked"):
            merge_package(lead, package, signer=preparer)
    assert content_hash(tmp_path / "lead.db") == before


def test_an_unrelated_package_is_refused(laptops: Any, tmp_path: Path, preparer: Any) -> None:
    lead, bea, _uid = laptops
    other = create_engagement(bea, client="Other", title="Elsewhere")
    with pytest.raises(PackageError, match="not in this workspace"):
        merge_package(lead, send(bea, other, tmp_path / "other.mlaudit", preparer), signer=preparer)


def _retitle_last_finding_event(document: dict[str, Any]) -> None:
    """Bea's last finding edit says something else, its record too; the chain is recomputed by forge()."""
    event = next(e for e in reversed(document["audit_log"]) if e["entity"] == "finding")
    event["after"]["title"] = "Nothing to see"
    record = next(f for f in document["findings"] if f["uid"] == event["entity_id"])
    record["title"] = "Nothing to see"


def test_a_package_whose_attestations_fail_is_refused_and_nothing_changes(
        laptops: Any, tmp_path: Path, preparer: Any, stranger: Any) -> None:
    lead, bea, uid = laptops
    records.update_record(bea, uid, "finding", "F-001", {"title": "Bea's title"})
    genuine = send(bea, uid, tmp_path / "bea.mlaudit", preparer)
    forged = tmp_path / "forged.mlaudit"
    forge(genuine, forged, _retitle_last_finding_event, sign_with=stranger)
    before = content_hash(lead.path)
    with pytest.raises(PackageError, match="attestation"):
        merge_package(lead, forged, signer=preparer, untrusted=True)
    assert content_hash(lead.path) == before


def test_a_merged_event_altered_after_the_merge_is_caught_by_its_origin(
        laptops: Any, tmp_path: Path, preparer: Any) -> None:
    """A merged trail travels as format 3; editing a merged event and recomputing the chain breaks its origin."""
    lead, bea, uid = laptops
    records.update_record(bea, uid, "finding", "F-001", {"title": "Bea's title"})
    merge_package(lead, send(bea, uid, tmp_path / "bea.mlaudit", preparer), signer=preparer)
    merged = send(lead, uid, tmp_path / "merged.mlaudit", preparer)
    with zipfile.ZipFile(merged) as archive:
        assert json.loads(archive.read("manifest.json"))["format_version"] == 3
    forged = tmp_path / "forged.mlaudit"

    def edit(document: dict[str, Any]) -> None:
        event = next(e for e in document["audit_log"] if e.get("origin") and e["entity"] == "finding")
        event["after"]["title"] = "Nothing to see"
        document["audit_log"] = [e for e in document["audit_log"] if e["entity"] != "attestation"]

    forge(merged, forged, edit, sign_with=preparer)
    with Workspace(tmp_path / "third.db") as third, pytest.raises(PackageError, match="merged from branch"):
        import_package(third, forged)


def test_undo_and_redo_of_a_merge_put_the_records_back_and_the_trail_still_verifies(
        laptops: Any, tmp_path: Path, preparer: Any) -> None:
    lead, bea, uid = laptops
    records.update_record(bea, uid, "finding", "F-001", {"owner": "Data team"})
    records.add_record(bea, uid, "finding", {"title": "Alerts go nowhere", "severity": "Medium"})
    before = records.list_records(lead, uid, "finding")
    result = merge_package(lead, send(bea, uid, tmp_path / "bea.mlaudit", preparer), signer=preparer)
    merged = records.list_records(lead, uid, "finding")
    restore_states(lead, uid, result.before, "undo_merge")
    assert records.list_records(lead, uid, "finding") == before
    assert verify_trail(lead, uid).chain.ok
    restore_states(lead, uid, result.after, "redo_merge")
    assert records.list_records(lead, uid, "finding") == merged
    assert verify_trail(lead, uid).chain.ok


def test_a_colleagues_attested_sign_off_still_verifies_after_the_merge(
        laptops: Any, tmp_path: Path, preparer: Any, reviewer: Any) -> None:
    from workbench.services import review

    lead, bea, uid = laptops
    review.sign_off(bea, uid, "preparer", signer=reviewer, section="findings")
    records.update_record(lead, uid, "finding", "F-001", {"owner": "Data team"})
    merge_package(lead, send(bea, uid, tmp_path / "bea.mlaudit", reviewer), signer=preparer)
    verdict = verify_trail(lead, uid)
    assert verdict.ok, verdict.problem
    merged_lines = [line for line in verdict.attestation.attestations if line.merged]
    # the hand-out's export attestation, Bea's sign-off and her export: all signed on her laptop's chain
    assert [line.purpose for line in merged_lines] == ["export", "sign_off", "export"]
    assert not any(line.problem for line in merged_lines)
    assert [s["name"] for s in records.list_records(lead, uid, "signoff")] == ["Rui Reviewer"]


def test_a_roadmap_link_follows_its_own_laptops_finding_when_that_finding_is_renumbered(
        laptops: Any, tmp_path: Path, preparer: Any) -> None:
    """Both laptops raise an F-003 and plan it on the roadmap: after the merge each roadmap item still names
    the finding its author meant, in both directions."""
    lead, bea, uid = laptops
    records.add_record(lead, uid, "finding", {"title": "Lead's own", "severity": "Low"})
    records.add_record(bea, uid, "finding", {"title": "Alerts go nowhere", "severity": "Medium"})
    records.add_record(lead, uid, "roadmap", {"phase": "Phase 1", "activity": "Lead's fix", "finding_refs": ["F-003"]})
    records.add_record(bea, uid, "roadmap", {"phase": "Phase 1", "activity": "Route alerts",
                                             "finding_refs": ["F-001", "F-003"]})
    from_bea = send(bea, uid, tmp_path / "bea.mlaudit", preparer)
    from_lead = send(lead, uid, tmp_path / "lead.mlaudit", preparer)
    for here, package in ((lead, from_bea), (bea, from_lead)):
        result = merge_package(here, package, signer=preparer)
        assert [change.old for change in result.renumbered] == ["F-003"]
        titles = {f["ref"]: f["title"] for f in records.list_records(here, uid, "finding")}
        linked = {item["activity"]: [titles[ref] for ref in item["finding_refs"]]
                  for item in records.list_records(here, uid, "roadmap")}
        assert linked == {"Lead's fix": ["Lead's own"], "Route alerts": ["Drift not monitored", "Alerts go nowhere"]}
        verdict = verify_trail(here, uid)
        assert verdict.ok, verdict.problem
    mine = {f["uid"]: f["ref"] for f in records.list_records(lead, uid, "finding")}
    theirs = {f["uid"]: f["ref"] for f in records.list_records(bea, uid, "finding")}
    assert mine == theirs  # the same refs on both laptops
