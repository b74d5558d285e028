"""Record services: every kind can be created, updated, listed and deleted, with audit events."""

from __future__ import annotations

import pytest

from workbench.domain.errors import NotFoundError, ValidationError
from workbench.services import assessment, records
from workbench.services.trail import audit_log, verify_engagement

SAMPLES = {
    "finding": ({"title": "No drift detection", "severity": "high", "dimension_id": "MON"}, {"status": "resolved"}),
    "model": ({"name": "churn-xgb", "deployment": "REST", "latency_ms": "45.5"}, {"monitored": "yes"}),
    "risk": ({"title": "Silent decay", "likelihood": 4, "impact": 5}, {"likelihood": 2}),
    "cost": ({"kind": "optimisation", "name": "Spot instances", "estimated_cost": "12,000"}, {"effort": "low"}),
    "roadmap": ({"phase": "Stabilise", "activity": "Add drift monitors"}, {"success_metric": "PSI alerts live"}),
    "matrix": ({"kind": "tool", "data": {"tool": "MLflow", "ring": "Adopt"}},
               {"data": {"tool": "MLflow", "ring": "hold"}}),
}


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_crud_round_trip_with_audit_events(ws, engagement, kind) -> None:
    create, update = SAMPLES[kind]
    events_before = len(audit_log(ws, engagement))
    uid = records.add_record(ws, engagement, kind, create)
    records.update_record(ws, engagement, kind, uid, update)
    [stored] = records.list_records(ws, engagement, kind)
    assert stored["uid"] == uid
    for key, value in update.items():
        if kind == "matrix":
            assert stored["data"]["ring"] == "hold"
        elif key == "monitored":
            assert stored[key] is True
        else:
            assert stored[key] == value
    deleted = records.delete_record(ws, engagement, kind, uid)
    assert records.list_records(ws, engagement, kind) == []
    records.restore_record(ws, engagement, kind, deleted)
    assert records.list_records(ws, engagement, kind)[0]["uid"] == uid
    actions = [e["action"] for e in audit_log(ws, engagement)[events_before:]]
    assert actions == ["create", "update", "delete", "restore"]
    assert verify_engagement(ws, engagement).ok


def test_refs_are_numbered_and_unique(ws, engagement) -> None:
    first = records.add_record(ws, engagement, "finding", {"title": "A", "severity": "Low"})
    records.add_record(ws, engagement, "finding", {"title": "B", "severity": "Low"})
    refs = [f["ref"] for f in records.list_records(ws, engagement, "finding")]
    assert refs == ["F-001", "F-002"]
    with pytest.raises(ValidationError, match="F-002 is already used"):
        records.update_record(ws, engagement, "finding", first, {"ref": "F-002"})
    assert records.add_record(ws, engagement, "risk", {"title": "R", "likelihood": 1, "impact": 1})
    assert records.list_records(ws, engagement, "risk")[0]["ref"] == "R-01"


@pytest.mark.parametrize(("kind", "values", "message"), [
    ("finding", {"title": "x", "severity": "Severe"}, "severity: 'Severe' is not one of"),
    ("finding", {"title": "", "severity": "Low"}, "title: a value is required"),
    ("finding", {"title": "x", "severity": "Low", "dimension_id": "NOPE"}, "no dimension 'NOPE'"),
    ("finding", {"title": "x", "severity": "Low", "effort_hours": -3}, "below the minimum"),
    ("finding", {"title": "x", "severity": "Low", "due_date": "31/12/2026"}, "not a date"),
    ("finding", {"title": "x", "severity": "Low", "current_level": 7}, "above the maximum"),
    ("finding", {"title": "x" * 400, "severity": "Low"}, "longer than"),
    ("finding", {"title": "x", "severity": "Low", "colour": "red"}, "unknown field 'colour'"),
    ("model", {"name": "m", "latency_ms": "fast"}, "not a number"),
    ("model", {"name": "m", "throughput_rps": "nan"}, "not a finite number"),
    ("risk", {"title": "r", "likelihood": 6, "impact": 1}, "likelihood: 6 is above"),
    ("risk", {"title": "r", "likelihood": 2.5, "impact": 1}, "not a whole number"),
    ("roadmap", {"phase": "p", "activity": "a", "finding_refs": ["F-999"]}, "no finding F-999"),
    ("roadmap", {"phase": "p", "activity": "a", "start_date": "2026-05-01", "end_date": "2026-04-01"}, "before"),
    ("matrix", {"kind": "tool", "data": {"tool": "x", "ring": "maybe"}}, "ring: 'maybe' is not one of"),
    ("matrix", {"kind": "platform", "data": {"criterion": "c", "weight": 3}}, "weight"),
])
def test_bad_values_are_refused_and_nothing_changes(ws, engagement, kind, values, message) -> None:
    events_before = len(audit_log(ws, engagement))
    with pytest.raises(ValidationError, match=message):
        records.add_record(ws, engagement, kind, values)
    assert records.list_records(ws, engagement, kind) == []
    assert len(audit_log(ws, engagement)) == events_before


def test_unknown_record_is_reported(ws, engagement) -> None:
    with pytest.raises(NotFoundError, match="no finding 'F-404'"):
        records.update_record(ws, engagement, "finding", "F-404", {"title": "x"})


def test_assessment_answers_checked_against_framework(ws, engagement) -> None:
    assessment.set_assessment(ws, engagement, "DP", level=3, target=4, justification="Airflow DAGs")
    assessment.answer_item(ws, engagement, "DP-01", "Partial", note="schema checks on two feeds")
    assessment.answer_health_check(ws, engagement, "HC-1", "yes")
    with pytest.raises(ValidationError, match="no checklist item 'ZZ-01'"):
        assessment.answer_item(ws, engagement, "ZZ-01", "yes")
    with pytest.raises(ValidationError, match="answer: 'maybe'"):
        assessment.answer_item(ws, engagement, "DP-02", "maybe")
    with pytest.raises(ValidationError, match="no dimension 'XX'"):
        assessment.set_assessment(ws, engagement, "XX", level=2)
    [answer] = records.list_records(ws, engagement, "checklist")
    assert answer == {"item_id": "DP-01", "answer": "partial", "note": "schema checks on two feeds", "target": "",
                      "priority": None}
    assessment.set_assessment(ws, engagement, "DP", level=None)
    [dim] = records.list_records(ws, engagement, "assessment")
    assert dim["current_level"] is None and dim["target_level"] == 4
    assert verify_engagement(ws, engagement).ok
