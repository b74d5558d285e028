"""The record library: starter content from the framework sources and the firm's own entries."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from workbench.domain.errors import ValidationError
from workbench.domain.matrices import platform_totals
from workbench.services import records
from workbench.services.engagements import create_engagement
from workbench.services.frameworks import builtin_frameworks
from workbench.services.record_library import (
    add_entries,
    add_starter_content,
    firm_library_path,
    legacy_finding_library_path,
    library_entries,
    save_entry,
    starter_entries,
)
from workbench.services.trail import audit_log, verify_engagement
from workbench.store.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path):
    with Workspace(tmp_path / "library.db") as workspace:
        yield workspace


def test_every_starter_kind_loads_and_validates() -> None:
    entries = starter_entries()
    assert len({e.id for e in entries}) == len(entries)
    risks = library_entries("risk")
    assert len(risks) == 14  # ten from the framework, four from the infrastructure template
    costs = library_entries("cost")
    assert sorted({e.values["kind"] for e in costs}) == ["budget", "optimisation", "resource"]
    assert sum(1 for e in costs if e.values["kind"] == "optimisation") == 7
    assert {e.values["phase"][:7] for e in library_entries("roadmap")} == {"Phase 1", "Phase 2", "Phase 3", "Phase 4"}
    compliance = [e.values["data"] for e in library_entries("matrix", "compliance")]
    assert "Consent management" in {row["requirement"] for row in compliance}
    assert {name for row in compliance for name in row["regimes"]} == {"GDPR", "HIPAA", "SOC 2", "ISO 27001"}
    platform = [e.values["data"] for e in library_entries("matrix", "platform")]
    assert sorted(row["weight"] for row in platform) == [0.1, 0.1, 0.15, 0.2, 0.2, 0.25]
    assert "Azure ML" in platform_totals(platform)
    tools = [e.values["data"] for e in library_entries("matrix", "tool")]
    assert tools and all(t["pros"] and t["cons"] and t["licence_cost"] and t["operations_cost"] for t in tools)
    metrics = {e.values["data"]["metric"] for e in library_entries("matrix", "monitoring")}
    assert {"Data drift", "Simulation latency (p99)", "Unauthorised requests blocked"} <= metrics


def test_starter_content_fills_each_kind_with_one_event_per_row(ws: Workspace) -> None:
    uid = create_engagement(ws, client="Starter Ltd", title="Baseline")
    before = len(audit_log(ws, uid))
    added = add_starter_content(ws, uid)
    assert len(added) == sum(1 for e in starter_entries() if e.kind != "finding")  # findings are picked, not added
    assert records.list_records(ws, uid, "finding") == []
    assert len(audit_log(ws, uid)) == before + len(added)
    assert verify_engagement(ws, uid).ok
    for kind in ("risk", "cost", "roadmap", "matrix"):
        assert len(records.list_records(ws, uid, kind)) == len(library_entries(kind))
    risk_refs = [r["ref"] for r in records.list_records(ws, uid, "risk")]
    assert risk_refs[:2] == ["R-01", "R-02"]  # numbered by the engagement, as any new risk


def test_a_firm_entry_is_saved_and_found_again(ws: Workspace) -> None:
    uid = create_engagement(ws, client="Firm Ltd", title="Audit")
    risk_uid = records.add_record(ws, uid, "risk", {"title": "Vendor stops the product", "likelihood": 2,
                                                    "impact": 4, "mitigation": "Keep an exit plan."})
    risk = next(r for r in records.list_records(ws, uid, "risk") if r["uid"] == risk_uid)
    entry = save_entry("risk", risk, "Vendor stops the product")
    assert entry.origin == "firm" and "uid" not in entry.values and "ref" not in entry.values
    found = [e for e in library_entries("risk") if e.origin == "firm"]
    assert found == [entry]
    other = create_engagement(ws, client="Firm Ltd", title="Next audit")
    new_uid, = add_entries(ws, other, found)
    copy = next(r for r in records.list_records(ws, other, "risk") if r["uid"] == new_uid)
    assert (copy["title"], copy["likelihood"], copy["impact"], copy["mitigation"]) == (
        "Vendor stops the product", 2, 4, "Keep an exit plan.")


def test_the_starter_findings_name_a_dimension_in_both_frameworks() -> None:
    findings = library_entries("finding")
    assert len(findings) == 59 and all(e.origin == "starter" for e in findings)
    for framework in builtin_frameworks():
        dimensions = {d.id for d in framework.dimensions}
        assert all(e.dimensions.get(framework.id) in dimensions for e in findings), framework.id
    drift = next(e for e in findings if e.id == "no-drift-detection")
    mlops = next(f for f in builtin_frameworks() if f.id == "mlops-architecture")
    assert drift.record_values(mlops)["dimension_id"] == "MON" and drift.values["severity"] == "High"
    assert drift.record_values(None)["dimension_id"] == ""  # no framework: filed under no dimension


# a firm's saved templates exactly as the finding library wrote them before the record library existed
LEGACY_FILE = {"format": "workbench-finding-library", "format_version": 1, "templates": [
    {"id": "saved-model-cards-are-missing", "title": "Model cards are missing", "severity": "Medium", "category": "",
     "dimensions": {"mlops-architecture": "MR"}, "impact": "Reviewers cannot tell what a model is for.",
     "description": "No model in the registry has a card.", "recommendation": "Write a card per model.",
     "effort_hours": 6, "tags": ["saved"]},
    {"id": "saved-no-owner", "title": "No owner for the feature store", "severity": "Low", "category": "",
     "dimensions": {"aiml-infrastructure": "FS"}, "impact": "", "description": "", "recommendation": "",
     "effort_hours": None, "tags": ["saved"]},
]}


def test_the_firms_saved_finding_templates_keep_loading_and_make_findings(ws: Workspace) -> None:
    import json

    path = legacy_finding_library_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(LEGACY_FILE, indent=1), encoding="utf-8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    firm = [e for e in library_entries("finding") if e.origin == "firm"]
    assert [e.title for e in firm] == ["Model cards are missing", "No owner for the feature store"]
    assert firm[0].dimensions == {"mlops-architecture": "MR"} and firm[0].values["effort_hours"] == 6
    uid = create_engagement(ws, client="Firm Ltd", title="Audit")
    mlops = next(f for f in builtin_frameworks() if f.id == "mlops-architecture")
    first, second = add_entries(ws, uid, firm, mlops)
    stored = {f["uid"]: f for f in records.list_records(ws, uid, "finding")}
    assert (stored[first]["title"], stored[first]["dimension_id"], stored[first]["severity"]) == (
        "Model cards are missing", "MR", "Medium")
    assert stored[first]["recommendation"] == "Write a card per model." and stored[first]["effort_hours"] == 6
    assert (stored[second]["dimension_id"], stored[second]["severity"]) == ("", "Low")  # FS only in the other one
    saved = save_entry("finding", stored[first], "Model cards are missing", "mlops-architecture")
    assert saved.id == "firm-model-cards-are-missing" and firm_library_path().exists()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest  # the older file is read, never written
    assert [e.title for e in library_entries("finding") if e.origin == "firm"] == [
        "Model cards are missing", "No owner for the feature store", "Model cards are missing"]


def test_a_damaged_older_finding_library_is_one_plain_sentence() -> None:
    path = legacy_finding_library_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"format": "workbench-finding-library", "templates": [{"title": "x", "severity": "dire"}]}',
                    encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        library_entries("finding")
    assert "finding library" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("content", [b"{not json", b'{"format": "something else"}',
                                     b'{"format": "workbench-record-library", "entries": [{"kind": "risk", '
                                     b'"title": "x", "values": {"likelihood": 9}}]}', b"\xff\xfe"])
def test_a_malformed_firm_library_is_one_plain_sentence(ws: Workspace, content: bytes) -> None:
    path = firm_library_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(ValidationError) as caught:
        library_entries("risk")
    message = str(caught.value)
    assert "\n" not in message and "record library" in message and "Traceback" not in message
    with pytest.raises(ValidationError):
        save_entry("risk", {"title": "A", "likelihood": 1, "impact": 1}, "A")  # nothing overwritten
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_new_with_starter_fills_every_page_and_refuses_with_from(capsys: pytest.CaptureFixture[str],
                                                                 tmp_path: Path) -> None:
    import json

    from workbench.cli import main

    db = str(tmp_path / "cli.db")
    assert main(["--db", db, "new", "--client", "Acme", "--title", "Baseline", "--starter", "--json"]) == 0
    created = json.loads(capsys.readouterr().out)
    with Workspace(Path(db)) as ws:
        for kind in ("risk", "cost", "roadmap", "matrix"):
            assert len(records.list_records(ws, created["uid"], kind)) == len(library_entries(kind))
    assert main(["--db", db, "new", "--from", created["ref"], "--starter"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("workbench: ") and err.count("\n") == 1
