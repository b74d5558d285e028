"""Engagement packages (.mlaudit): export, import, and refusal of every kind of bad package."""

from __future__ import annotations

import json
import sqlite3
import stat
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.packages import rewrite, sha
from workbench.domain.errors import PackageError
from workbench.services import assessment, engagements, evidence, package_checks, records, review
from workbench.services.document import engagement_document
from workbench.services.packages import export_package, import_package
from workbench.services.trail import verify_engagement
from workbench.services.unit import reading
from workbench.store.workspace import Workspace

EVIDENCE_A = b"model card v3\n"
EVIDENCE_B = "drift dashboard, März".encode()


def fingerprint(db: Path) -> str:
    """SHA-256 of the workspace's full logical content, read through a fresh connection (sees the WAL)."""
    connection = sqlite3.connect(db)
    try:
        return sha("\n".join(connection.iterdump()).encode("utf-8"))
    finally:
        connection.close()


def build_engagement(ws: Workspace, signer: Any) -> str:
    uid = engagements.create_engagement(ws, client={"name": "Acme Corp", "sector": "Retail"}, title="MLOps review",
                                        details={"scope": "Fraud models", "lead_auditor": "Ada"})
    assessment.set_assessment(ws, uid, "DP", level=2, target=4, justification="Ad-hoc pipelines")
    assessment.set_assessment(ws, uid, "MD", level=3)
    assessment.answer_item(ws, uid, "DP-01", "partial", "Only for the main model")
    assessment.answer_item(ws, uid, "MD-01", "n/a")
    assessment.answer_health_check(ws, uid, "HC-1", "yes")
    finding = records.add_record(ws, uid, "finding", {
        "title": "No data validation", "severity": "High", "dimension_id": "DP", "effort_hours": 40,
        "cost_estimate": 12000.5, "due_date": "2026-06-30", "recommendation": "Add schema checks"})
    records.add_record(ws, uid, "finding", {"title": "Manual deploys", "severity": "Medium"})
    model = records.add_record(ws, uid, "model", {"name": "fraud-xgb", "version": "3.1", "latency_ms": 12.5,
                                                  "deployment": "rest", "monitored": True})
    risk = records.add_record(ws, uid, "risk", {"title": "Silent drift", "likelihood": 4, "impact": 5})
    records.add_record(ws, uid, "cost", {"kind": "remediation", "name": "Validation", "estimated_cost": 9000})
    records.add_record(ws, uid, "roadmap", {"phase": "Q1", "activity": "Validate data",
                                            "finding_refs": ["F-001", "F-002"]})
    for kind, data in (("compliance", {"requirement": "Log decisions", "regimes": {"EU AI Act": "required"}}),
                       ("platform", {"criterion": "Cost", "weight": 0.4, "scores": {"SageMaker": 3, "Vertex": 4}}),
                       ("tool", {"tool": "Great Expectations", "ring": "trial"}),
                       ("monitoring", {"metric": "PSI", "category": "data", "status": "warning"})):
        records.add_record(ws, uid, "matrix", {"kind": kind, "data": data})
    review.sign_off(ws, uid, "preparer", signer=signer)
    evidence.attach_bytes(ws, uid, EVIDENCE_A, "card.md", links=[("finding", finding), ("checklist_item", "DP-01")])
    evidence.attach_bytes(ws, uid, EVIDENCE_B, "drift.png", links=[("model", model), ("risk", risk)])
    evidence.attach_bytes(ws, uid, EVIDENCE_A, "card-copy.md", description="same file twice")
    records.update_record(ws, uid, "finding", "F-002", {"status": "in_remediation"})
    return uid


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory,
           signer_pool: dict[str, Any]) -> Iterator[tuple[Workspace, str, Path]]:
    folder = tmp_path_factory.mktemp("source")
    with Workspace(folder / "workspace.db", actor="tester") as ws:
        uid = build_engagement(ws, signer_pool["preparer"])
        assert verify_engagement(ws, uid).ok
        yield ws, uid, export_package(ws, uid, folder)


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


def test_export_layout(source: tuple[Workspace, str, Path]) -> None:
    ws, uid, package = source
    assert package.name.endswith(".mlaudit") and not list(package.parent.glob("*.tmp"))
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["format"] == "mlaudit" and manifest["format_version"] == 1
        assert manifest["engagement_uid"] == uid and manifest["exported_at"].endswith("Z")
        assert sorted(manifest["files"]) == sorted(n for n in names if n != "manifest.json")
        assert {f"evidence/{sha(EVIDENCE_A)}", f"evidence/{sha(EVIDENCE_B)}", "engagement.json"} == set(names) - {
            "manifest.json"}
        for name, digest in manifest["files"].items():
            assert sha(archive.read(name)) == digest
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
        document = json.loads(archive.read("engagement.json"))
    assert document == document_of(ws, uid, audit_log=True)


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
    added = events[len(original_events):]
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
    assert export_package(ws, uid, target) == target
    with zipfile.ZipFile(target) as archive:
        assert json.loads(archive.read("manifest.json"))["engagement_uid"] == uid
    assert [p.name for p in tmp_path.iterdir()] == ["backup.mlaudit"]


def test_duplicate_uid_refused(source: tuple[Workspace, str, Path]) -> None:
    ws, uid, package = source
    before = fingerprint(ws.path)
    with pytest.raises(PackageError, match="is already in this workspace; import it as a copy"):
        import_package(ws, package)
    assert fingerprint(ws.path) == before


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


def symlink_member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def listed(name: str, data: bytes) -> Callable[[dict[str, bytes]], None]:
    def add(content: dict[str, bytes]) -> None:
        content[name] = data
    return add


def corrupt(package: Path, target: Path) -> None:
    data = bytearray(package.read_bytes())
    with zipfile.ZipFile(package) as archive:
        info = archive.getinfo("engagement.json")
    name_len = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len + 200
    for offset in range(start, start + 64):
        data[offset] ^= 0x5A
    target.write_bytes(bytes(data))


def first(key: str, **match: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def pick(document: dict[str, Any]) -> dict[str, Any]:
        return next(r for r in document[key] if all(r.get(k) == v for k, v in match.items()))
    return pick


def drop_blob(content: dict[str, bytes]) -> None:
    del content[f"evidence/{sha(EVIDENCE_B)}"]


BOMB = b"\0" * (5 * 1024 * 1024)

BAD_PACKAGES: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "not a zip": (lambda p, t: t.write_bytes(b"this is not a zip file at all"), "not a zip file"),
    "truncated zip": (lambda p, t: t.write_bytes(p.read_bytes()[:300]), "not a zip file"),
    "corrupt zip bytes": (corrupt, "damaged"),
    "absolute path": (lambda p, t: rewrite(p, t, extra=[("/etc/cron.d/evil", b"x")]), "absolute path"),
    "drive letter": (lambda p, t: rewrite(p, t, extra=[("C:/evil.txt", b"x")]), "absolute path"),
    "dot-dot member": (lambda p, t: rewrite(p, t, extra=[("evidence/../../evil", b"x")]), "'..'"),
    "backslash member": (lambda p, t: rewrite(p, t, extra=[("evidence\\evil", b"x")]), "backslash"),
    "symlink member": (lambda p, t: rewrite(p, t, extra=[(symlink_member(f"evidence/{sha(b'/etc')}"), b"/etc")]),
                       "symbolic link"),
    "duplicate member": (lambda p, t: rewrite(p, t, extra=[("engagement.json", b"{}")]), "more than once"),
    "foreign member": (lambda p, t: rewrite(p, t, extra=[("notes.txt", b"x")]), "does not belong"),
    "unlisted member": (lambda p, t: rewrite(p, t, extra=[(f"evidence/{sha(b'extra')}", b"extra")]),
                        "not listed in the manifest"),
    "listed but absent": (lambda p, t: rewrite(p, t, manifest=lambda m: m["files"].update(
        {f"evidence/{sha(b'x')}": sha(b"x")})), "missing from the package"),
    "hash mismatch": (lambda p, t: rewrite(p, t, manifest=lambda m: m["files"].update(
        {"engagement.json": "0" * 64})), "does not match its SHA-256"),
    "evidence named wrongly": (lambda p, t: rewrite(p, t, members=listed(f"evidence/{sha(b'a')}", b"b")),
                               "does not hold the content its name says"),
    "newer format_version": (lambda p, t: rewrite(p, t, manifest=lambda m: m.update(format_version=2)),
                             "written by a newer version"),
    "wrong format": (lambda p, t: rewrite(p, t, manifest=lambda m: m.update(format="zip")),
                     "not an engagement package"),
    "no manifest": (lambda p, t: zipfile.ZipFile(t, "w").close(), "no manifest.json"),
    "manifest names another engagement": (lambda p, t: rewrite(p, t, manifest=lambda m: m.update(
        engagement_uid="someone-else")), "different engagements"),
    "invalid json": (lambda p, t: rewrite(p, t, members=listed("engagement.json", b"{\"engagement\":")),
                     "not valid JSON"),
    "schema violation": (lambda p, t: rewrite(p, t, doc=lambda d: first("findings")(d).update(title=5)),
                         "does not follow the package format at findings/0/title"),
    "unknown top-level key": (lambda p, t: rewrite(p, t, doc=lambda d: d.update(extra=[])),
                              "does not follow the package format"),
    "bad record field": (lambda p, t: rewrite(p, t, doc=lambda d: first("risks")(d).update(likelihood=9)),
                         r"risk R-01 \(.*\) in the package is not valid: likelihood: 9 is above the maximum"),
    "bad matrix data": (lambda p, t: rewrite(p, t, doc=lambda d: first("matrices", kind="platform")(d)["data"]
                                             .update(weight=3)), "platform matrix row .* platform weight"),
    "bad framework": (lambda p, t: rewrite(p, t, doc=lambda d: d["framework"].update(dimensions=[])),
                      "framework in the package is not valid"),
    "unknown checklist item": (lambda p, t: rewrite(p, t, doc=lambda d: first("checklist")(d).update(item_id="ZZ-9")),
                               "checklist ZZ-9 in the package is not valid: .* no checklist item"),
    "roadmap names a missing finding": (lambda p, t: rewrite(p, t, doc=lambda d: first("roadmap")(d).update(
        finding_refs=["F-099"])), "finding F-099"),
    "tampered audit event": (lambda p, t: rewrite(p, t, doc=lambda d: d["audit_log"][3]["after"].update(
        title="forged")), "audit trail in the package is broken: event #4 .* was altered"),
    "deleted audit event": (lambda p, t: rewrite(p, t, doc=lambda d: d["audit_log"].pop(5)),
                            "audit trail in the package is broken"),
    "record changed without event": (lambda p, t: rewrite(p, t, doc=lambda d: first("findings")(d).update(
        title="Quietly edited")), "do not match its audit trail: finding .* differs"),
    "record added without event": (lambda p, t: rewrite(p, t, doc=lambda d: d["signoffs"].append(
        {**d["signoffs"][0], "uid": "0bad0bad-0000-4000-8000-000000000000"})), "has no event in the audit trail"),
    "zip bomb ratio": (lambda p, t: rewrite(p, t, members=listed(f"evidence/{sha(BOMB)}", BOMB)),
                       "expands more than 200 times"),
    "missing evidence blob": (lambda p, t: rewrite(p, t, members=drop_blob),
                              r"content of evidence drift.png \(.*\) is missing from the package"),
    "uncited evidence file": (lambda p, t: rewrite(p, t, members=listed(f"evidence/{sha(b'x')}", b"x")),
                              "not cited by any evidence record"),
    "link to a missing record": (lambda p, t: rewrite(p, t, doc=lambda d: d["evidence"][1]["links"][0].update(
        target_key="nope")), "points at model nope, which is not in the package"),
    "evidence size lie": (lambda p, t: rewrite(p, t, doc=lambda d: d["evidence"][0].update(size=1)),
                          "says 1 bytes"),
}


@pytest.mark.parametrize("case", sorted(BAD_PACKAGES))
def test_bad_package_refused_and_workspace_unchanged(case: str, source: tuple[Workspace, str, Path],
                                                     tmp_path: Path) -> None:
    ws, _, package = source
    make, message = BAD_PACKAGES[case]
    bad = tmp_path / "bad.mlaudit"
    make(package, bad)
    before = fingerprint(ws.path)
    with pytest.raises(PackageError, match=message):
        import_package(ws, bad, as_copy=True)
    assert fingerprint(ws.path) == before


@pytest.mark.parametrize(("limit", "value", "message"), [
    ("MAX_PACKAGE_BYTES", 1000, "larger than"),
    ("MAX_MEMBERS", 2, "more than the 2 allowed"),
    ("MAX_TOTAL_BYTES", 1000, "expands to more than"),
])
def test_limits(limit: str, value: int, message: str, source: tuple[Workspace, str, Path],
                monkeypatch: pytest.MonkeyPatch) -> None:
    ws, _, package = source
    monkeypatch.setattr(package_checks, limit, value)
    before = fingerprint(ws.path)
    with pytest.raises(PackageError, match=message):
        import_package(ws, package, as_copy=True)
    assert fingerprint(ws.path) == before


def test_missing_file(fresh: Workspace, tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="no package file"):
        import_package(fresh, tmp_path / "absent.mlaudit")
