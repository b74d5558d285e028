"""Engagement packages (.mlaudit): export, import, and refusal of every kind of bad package."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import content_hash
from tests.helpers.hostile_packages import BAD_PACKAGES, EVIDENCE_A, EVIDENCE_B, build_engagement, sha
from workbench.domain.errors import PackageError
from workbench.services import engagements, evidence, package_zip
from workbench.services.document import engagement_document
from workbench.services.packages import export_package, import_package
from workbench.services.trail import verify_engagement
from workbench.services.unit import reading
from workbench.store.workspace import Workspace


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory,
           signer_pool: dict[str, Any]) -> Iterator[tuple[Workspace, str, Path]]:
    folder = tmp_path_factory.mktemp("source")
    with Workspace(folder / "workspace.db", actor="tester") as ws:
        uid = build_engagement(ws, signer_pool["preparer"])
        assert verify_engagement(ws, uid).ok
        yield ws, uid, export_package(ws, uid, folder, signer=signer_pool["preparer"])


@pytest.fixture(autouse=True)
def trusted_exporter(preparer: Any) -> Any:
    """This computer trusts the exporter of the module's package (its CA is in the trust store)."""
    return preparer


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace(tmp_path / "other.db", actor="importer") as ws:
        yield ws


def document_of(ws: Workspace, key: str, audit_log: bool = False) -> dict[str, Any]:
    with reading(ws, key) as (session, engagement):
        return engagement_document(session, engagement, audit_log=audit_log)


def without_identity(document: dict[str, Any]) -> dict[str, Any]:
    document = json.loads(json.dumps(document))
    for key in ("uid", "ref"):
        document["engagement"].pop(key)
    return document


# -- export and successful imports --------------------------------------------------------------


def test_export_layout(source: tuple[Workspace, str, Path], preparer: Any) -> None:
    ws, uid, package = source
    assert package.name.endswith(".mlaudit") and not list(package.parent.glob("*.tmp"))
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        manifest_bytes = archive.read("manifest.json")
        manifest = json.loads(manifest_bytes)
        assert manifest["format"] == "mlaudit" and manifest["format_version"] == 2
        assert manifest["engagement_uid"] == uid and manifest["exported_at"].endswith("Z")
        assert sorted(manifest["files"]) == sorted(n for n in names if n not in ("manifest.json", "signature.json"))
        assert {f"evidence/{sha(EVIDENCE_A)}", f"evidence/{sha(EVIDENCE_B)}", "engagement.json",
                "signature.json"} == set(names) - {"manifest.json"}
        for name, digest in manifest["files"].items():
            assert sha(archive.read(name)) == digest
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
        document = json.loads(archive.read("engagement.json"))
        signature = json.loads(archive.read("signature.json"))
    here = document_of(ws, uid, audit_log=True)
    *trail, export = document.pop("audit_log")
    assert document == {k: v for k, v in here.items() if k != "audit_log"} and trail == here["audit_log"]
    assert (export["action"], export["entity"], export["seq"]) == ("attest", "attestation", len(trail) + 1)
    assert export["after"]["signed"]["purpose"] == "export" and export["at"] == manifest["exported_at"]
    assert export["after"]["signed"]["event_count"] == len(trail)  # the export attests the whole trail
    from workbench.signing.attest import check_signature

    assert (signature["type"], signature["signed_member"]) == ("mlaudit-signature", "manifest.json")
    check = check_signature(signature["signature"], manifest_bytes, list(preparer.chain))
    assert check.valid and check.trusted and check.identity_id == preparer.identity_id


def test_round_trip_as_copy(source: tuple[Workspace, str, Path]) -> None:
    ws, uid, package = source
    copy_uid = import_package(ws, package, as_copy=True)
    assert copy_uid != uid
    assert verify_engagement(ws, copy_uid).ok
    original, copy = document_of(ws, uid), document_of(ws, copy_uid)
    assert copy["engagement"]["ref"] != original["engagement"]["ref"]
    assert without_identity(copy) == without_identity(original)
    events = document_of(ws, copy_uid, audit_log=True)["audit_log"]
    original_events = document_of(ws, uid, audit_log=True)["audit_log"]
    assert events[:len(original_events)] == original_events
    assert events[len(original_events)]["action"] == "attest"  # the export's attestation came with it
    added = events[len(original_events) + 1:]
    assert [(e["action"], e["entity_id"]) for e in added] == [("import", copy_uid), ("copy", uid)]
    assert added[0]["before"]["ref"] == original["engagement"]["ref"]
    assert added[0]["after"]["ref"] == copy["engagement"]["ref"]


def test_import_into_fresh_workspace_keeps_uid(source: tuple[Workspace, str, Path], fresh: Workspace) -> None:
    ws, uid, package = source
    assert import_package(fresh, package) == uid
    assert verify_engagement(fresh, uid).ok
    assert document_of(fresh, uid) == document_of(ws, uid)
    _, data = evidence.read_evidence(fresh, uid, document_of(fresh, uid)["evidence"][1]["uid"])
    assert data == EVIDENCE_B
    actions = [e["action"] for e in document_of(fresh, uid, audit_log=True)["audit_log"]]
    assert actions[-1] == "import" and "use" not in actions[-2:]


def test_export_to_a_file_replaces_it(source: tuple[Workspace, str, Path], tmp_path: Path) -> None:
    ws, uid, _ = source
    target = tmp_path / "backup.mlaudit"
    target.write_bytes(b"old content")
    assert export_package(ws, uid, target, signer=None) == target
    with zipfile.ZipFile(target) as archive:
        assert json.loads(archive.read("manifest.json"))["engagement_uid"] == uid
    assert [p.name for p in tmp_path.iterdir()] == ["backup.mlaudit"]


def test_duplicate_uid_refused(source: tuple[Workspace, str, Path]) -> None:
    ws, uid, package = source
    before = content_hash(ws)
    with pytest.raises(PackageError, match="is already in this workspace; import it as a copy"):
        import_package(ws, package)
    assert content_hash(ws) == before


def test_client_matched_by_name_is_recorded(source: tuple[Workspace, str, Path], fresh: Workspace) -> None:
    _, uid, package = source
    engagements.create_engagement(fresh, client={"name": "ACME CORP", "sector": "Banking"}, title="Other")
    assert import_package(fresh, package) == uid
    assert verify_engagement(fresh, uid).ok
    events = document_of(fresh, uid, audit_log=True)["audit_log"]
    assert [e["action"] for e in events[-3:]] == ["import", "use", "replace"]
    assert events[-2]["after"]["sector"] == "Banking"


def test_ref_clash_gets_a_new_ref(source: tuple[Workspace, str, Path], fresh: Workspace) -> None:
    ws, uid, package = source
    ref = document_of(ws, uid)["engagement"]["ref"]
    engagements.create_engagement(fresh, client="Someone else", title="Clash", details={"ref": ref})
    assert import_package(fresh, package) == uid
    assert verify_engagement(fresh, uid).ok
    imported = document_of(fresh, uid, audit_log=True)
    assert imported["engagement"]["ref"] != ref
    event = imported["audit_log"][-1]
    assert event["action"] == "import" and (event["before"]["ref"], event["after"]["ref"]) == (
        ref, imported["engagement"]["ref"])


# -- bad packages --------------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(BAD_PACKAGES))
def test_bad_package_refused_and_workspace_unchanged(case: str, source: tuple[Workspace, str, Path],
                                                     tmp_path: Path) -> None:
    ws, _, package = source
    make, message = BAD_PACKAGES[case]
    bad = tmp_path / "bad.mlaudit"
    make(package, bad)
    before = content_hash(ws)
    with pytest.raises(PackageError, match=message):  # refused even when the user accepts an untrusted package
        import_package(ws, bad, as_copy=True, untrusted=True)
    assert content_hash(ws) == before


@pytest.mark.parametrize(("limit", "value", "message"), [
    ("MAX_PACKAGE_BYTES", 1000, "larger than"),
    ("MAX_MEMBERS", 2, "more than the 2 allowed"),
    ("MAX_TOTAL_BYTES", 1000, "expands to more than"),
])
def test_limits(limit: str, value: int, message: str, source: tuple[Workspace, str, Path],
                monkeypatch: pytest.MonkeyPatch) -> None:
    ws, _, package = source
    monkeypatch.setattr(package_zip, limit, value)
    before = content_hash(ws)
    with pytest.raises(PackageError, match=message):
        import_package(ws, package, as_copy=True)
    assert content_hash(ws) == before


def test_missing_file(fresh: Workspace, tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="no package file"):
        import_package(fresh, tmp_path / "absent.mlaudit")
