"""OSCAL assessment results: built with compliance-trestle's models and read back with its strict validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from trestle.core.duplicates_validator import DuplicatesValidator
from trestle.core.refs_validator import RefsValidator
from trestle.oscal.assessment_results import AssessmentResults

from tests.helpers.catalogs import OSCAL_JSON
from workbench.services.assessment import answer_item, set_assessment
from workbench.services.engagements import create_engagement
from workbench.services.frameworks import get_framework, import_framework_file
from workbench.services.oscal_export import export_assessment_results
from workbench.services.packages import import_package

SAMPLES = Path(__file__).parents[2] / "sample_audits"


def strict_read(path: Path) -> AssessmentResults:
    """trestle's reader validates every field (extra fields forbidden, schema patterns); plus its validators."""
    model = AssessmentResults.oscal_read(path)
    assert isinstance(model, AssessmentResults)
    assert DuplicatesValidator().model_is_valid(model, quiet=True)
    assert RefsValidator().model_is_valid(model, quiet=True)
    # nothing was dropped or added on the way: the validated model serialises back to the same document
    assert json.loads(model.oscal_serialize_json(wrapped=True)) == json.loads(path.read_text(encoding="utf-8"))
    return model


@pytest.mark.parametrize("package", sorted(p.name for p in SAMPLES.glob("*.mlaudit")))
def test_each_sample_engagement_exports_valid_assessment_results(ws, tmp_path: Path, package: str) -> None:
    uid = import_package(ws, SAMPLES / package, untrusted=True)
    written = export_assessment_results(ws, uid, tmp_path / "results.json")
    model = strict_read(written)
    document = json.loads(written.read_text(encoding="utf-8"))["assessment-results"]
    result = model.results[0]
    from workbench.services.document import engagement_document
    from workbench.services.unit import reading

    with reading(ws, uid) as (session, engagement):
        source = engagement_document(session, engagement, audit_log=False)
    answered = [r for r in source["checklist"] if r["answer"] != "unanswered"]
    assert len(result.observations or []) == len(answered) + sum(1 for a in source["assessments"]
                                                                  if a["current_level"])
    assert len(result.risks or []) == len(source["risks"])
    framework = get_framework(source["engagement"]["framework_id"], ws)
    scored = [r for r in answered if framework.item(r["item_id"])[1].scale.score(r["answer"]) is not None]
    assert len(result.findings or []) == len(source["findings"]) + len(scored)
    assert len(document["back-matter"]["resources"]) == len(source["evidence"]) + 2
    assert document["import-ap"]["href"].startswith("#")
    assert {p["name"] for p in document["results"][0]["props"]} >= {"score", "band", "verdict"}


def test_imported_catalog_controls_are_the_reviewed_controls(ws, tmp_path: Path) -> None:
    framework = import_framework_file(ws, OSCAL_JSON)
    uid = create_engagement(ws, client="Acme", title="Controls", framework_id=framework.id)
    set_assessment(ws, uid, "gv", level=3)
    answer_item(ws, uid, "gv-1.1", "no", "Inventory is a spreadsheet")
    first = export_assessment_results(ws, uid, tmp_path)
    model = strict_read(first)
    selection = model.results[0].reviewed_controls.control_selections[0]
    assert [c.control_id for c in selection.include_controls] == ["gv-1", "gv-1.1", "gv-2", "mo-1", "dp-1"]
    finding = next(f for f in model.results[0].findings or [] if f.target.target_id == "gv-1.1")
    assert finding.target.status.state.value == "not-satisfied"
    again = export_assessment_results(ws, uid, tmp_path / "again.json")
    assert json.loads(again.read_text())["assessment-results"]["results"][0]["uuid"] == \
        json.loads(first.read_text())["assessment-results"]["results"][0]["uuid"]  # stable uuids


def test_findings_target_their_control_and_graded_answers_count_as_declared(ws, tmp_path: Path) -> None:
    from workbench.services import records

    uid = create_engagement(ws, client="Acme", title="Controls")
    answer_item(ws, uid, "MON-03", "no", "No drift tests")
    answer_item(ws, uid, "DP-14", "basic")  # graded: scored 0.5, so not satisfied
    answer_item(ws, uid, "DP-10", "best_in_class")  # graded: full marks
    answer_item(ws, uid, "FS-13", "required")  # a need, not scored: an observation only
    on_control = records.add_record(ws, uid, "finding", {"title": "No drift detection", "severity": "High",
                                                         "item_id": "MON-03"})
    on_dimension = records.add_record(ws, uid, "finding", {"title": "Slow releases", "severity": "Low",
                                                           "dimension_id": "DEP"})
    model = strict_read(export_assessment_results(ws, uid, tmp_path / "results.json"))  # trestle-valid
    result = model.results[0]
    by_title = {f.title: f for f in result.findings or []}
    control = by_title["F-001 No drift detection"]
    assert control.target.target_id == "MON-03" and control.target.status.state.value == "not-satisfied"
    observation = next(o for o in result.observations or [] if o.title == "MON-03: No")
    assert [r.observation_uuid for r in control.related_observations or []] == [observation.uuid]
    assert {p.name: p.value for p in control.props or []}["dimension"] == "MON"
    assert by_title["F-002 Slow releases"].target.target_id == "DEP"  # no control: its dimension
    graded = {f.target.target_id: f for f in result.findings or [] if f.title.startswith(("DP-", "FS-"))}
    assert graded["DP-14"].target.status.state.value == "not-satisfied"
    assert graded["DP-10"].target.status.state.value == "satisfied"
    assert "FS-13" not in graded and any(o.title == "FS-13: Required" for o in result.observations or [])
    assert on_control and on_dimension


def test_a_time_within_a_millisecond_of_a_whole_second_reads_back_as_written(ws, tmp_path: Path,
                                                                            monkeypatch) -> None:
    """trestle writes milliseconds: 12:04:12.000500 was written as .000 and read back as a different value."""
    from workbench.services import engagements

    monkeypatch.setattr(engagements, "utc_now", lambda: "2026-12-04T12:04:12.000500+00:00")
    uid = create_engagement(ws, client="Acme", title="Controls")
    answer_item(ws, uid, "MON-03", "no", "No drift tests")
    model = strict_read(export_assessment_results(ws, uid, tmp_path / "results.json"))
    assert model.results[0].start.isoformat() == "2026-12-04T12:04:12+00:00"
