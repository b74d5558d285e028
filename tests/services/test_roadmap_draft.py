"""Drafting a roadmap from open findings: tiers, person-week groups, dates, and one-step apply/undo."""

from __future__ import annotations

from datetime import date

import pytest

from workbench.domain.errors import ValidationError
from workbench.services import records
from workbench.services.roadmap_draft import (
    WEEK_HOURS,
    add_working_days,
    apply_draft,
    draft_roadmap,
    next_monday,
    remove_items,
)
from workbench.services.trail import audit_log, verify_engagement

MONDAY = date(2026, 3, 2)


def finding(ref: str, severity: str, hours: float | None, status: str = "open", rec: str = "") -> dict:
    return {"ref": ref, "title": f"Title {ref}", "severity": severity, "effort_hours": hours, "status": status,
            "recommendation": rec or f"Fix {ref}. Then check it again."}


def test_tiers_in_order_critical_quick_wins_first() -> None:
    document = {"findings": [
        finding("F-001", "Low", 2), finding("F-002", "Medium", 3), finding("F-003", "High", 5),
        finding("F-004", "Critical", 16), finding("F-005", "Critical", 1), finding("F-006", "Info", 1),
    ]}
    items = draft_roadmap(document, MONDAY)
    assert [i.finding_refs for i in items] == [("F-005",), ("F-004", "F-003"), ("F-002",), ("F-001", "F-006")]
    assert [i.phase for i in items] == ["Week 1 — Critical quick wins", "Week 2 — Critical and High",
                                        "Week 3 — Medium", "Week 4 — Low / backlog"]
    assert items[0].success_metric == "Done when — F-005: Fix F-005."
    assert "F-004 Title F-004 (16 h)" in items[1].activity


def test_groups_hold_at_most_one_person_week() -> None:
    document = {"findings": [finding("F-001", "High", 30), finding("F-002", "High", 20), finding("F-003", "High", 5),
                             finding("F-004", "High", 12)]}
    items = draft_roadmap(document, MONDAY)
    assert [i.finding_refs for i in items] == [("F-003", "F-004", "F-002"), ("F-001",)]
    assert all(i.hours <= WEEK_HOURS for i in items)
    assert [i.hours for i in items] == [37.0, 30.0]
    assert {i.phase for i in items} == {"Weeks 1-2 — Critical and High"}
    assert [i.start_date for i in items] == [MONDAY, date(2026, 3, 9)]


def test_a_finding_larger_than_a_week_spans_weeks() -> None:
    document = {"findings": [finding("F-001", "Medium", 60), finding("F-002", "Low", 4)]}
    big, low = draft_roadmap(document, MONDAY)
    assert big.finding_refs == ("F-001",) and big.phase == "Weeks 1-2 — Medium"
    assert (big.start_date, big.end_date) == (MONDAY, date(2026, 3, 11))  # 8 working days
    assert low.start_date == date(2026, 3, 16) and low.phase == "Week 3 — Low / backlog"


def test_unestimated_findings_get_a_day_and_are_not_quick_wins() -> None:
    items = draft_roadmap({"findings": [finding("F-001", "Critical", None)]}, MONDAY)
    assert items[0].phase == "Week 1 — Critical and High"
    assert items[0].hours == 8.0 and items[0].end_date == MONDAY
    assert "not estimated" in items[0].activity


def test_planned_and_closed_findings_are_skipped() -> None:
    document = {
        "findings": [finding("F-001", "Critical", 1), finding("F-002", "High", 2, status="resolved"),
                     finding("F-003", "High", 2, status="risk_accepted"), finding("F-004", "High", 2),
                     finding("F-005", "Medium", 2, status="in_remediation")],
        "roadmap": [{"phase": "Week 1", "activity": "x", "finding_refs": ["F-001"]}],
    }
    items = draft_roadmap(document, MONDAY)
    assert [ref for i in items for ref in i.finding_refs] == ["F-004", "F-005"]
    assert items[0].phase == "Week 1 — Critical and High"  # the plan starts at week 1 with what is left
    document["roadmap"].append({"phase": "Later", "activity": "y", "finding_refs": ["F-004", "F-005"]})
    assert draft_roadmap(document, MONDAY) == []


def test_dates_start_next_monday_and_skip_weekends() -> None:
    assert next_monday(date(2026, 2, 25)) == MONDAY  # a Wednesday
    assert next_monday(date(2026, 2, 23)) == MONDAY  # a Monday: the following one
    assert next_monday(date(2026, 3, 1)) == MONDAY  # a Sunday
    assert add_working_days(date(2026, 3, 5), 2) == date(2026, 3, 9)  # Thursday + 2 → Monday
    document = {"findings": [finding("F-001", "High", 20)]}
    [item] = draft_roadmap(document, today=date(2026, 2, 25))
    assert (item.start_date, item.end_date) == (MONDAY, date(2026, 3, 4))  # 20 h = 3 days
    [weekend] = draft_roadmap(document, date(2026, 3, 7))  # a Saturday start moves to Monday
    assert weekend.start_date == date(2026, 3, 9)
    assert item.values()["start_date"] == "2026-03-02" and item.values()["finding_refs"] == ["F-001"]


def test_apply_adds_everything_in_one_transaction_and_remove_undoes_it(ws, engagement) -> None:
    for title, severity, hours in (("A", "Critical", 2), ("B", "High", 30), ("C", "Medium", 20), ("D", "Low", 1)):
        records.add_record(ws, engagement, "finding", {"title": title, "severity": severity, "effort_hours": hours})
    document = {"findings": records.list_records(ws, engagement, "finding"), "roadmap": []}
    items = draft_roadmap(document, MONDAY)
    events_before = len(audit_log(ws, engagement))
    uids = apply_draft(ws, engagement, items)
    stored = records.list_records(ws, engagement, "roadmap")
    assert [r["uid"] for r in stored] == uids and len(uids) == len(items) == 4
    assert stored[0]["finding_refs"] == ["F-001"] and stored[0]["start_date"] == "2026-03-02"
    created = audit_log(ws, engagement)[events_before:]
    assert [e["action"] for e in created] == ["create"] * 4
    assert len({e["at"] for e in created}) == 1  # one unit of work

    removed = remove_items(ws, engagement, uids)
    assert records.list_records(ws, engagement, "roadmap") == []
    assert [r["uid"] for r in removed] == uids
    assert apply_draft(ws, engagement, items, uids=uids) == uids  # redo keeps the same records
    assert verify_engagement(ws, engagement).ok


def test_apply_is_all_or_nothing(ws, engagement) -> None:
    records.add_record(ws, engagement, "finding", {"title": "A", "severity": "High", "effort_hours": 2})
    good = {"phase": "Week 1", "activity": "Fix", "finding_refs": ["F-001"]}
    bad = {"phase": "Week 2", "activity": "Fix", "finding_refs": ["F-999"]}
    with pytest.raises(ValidationError, match="F-999"):
        apply_draft(ws, engagement, [good, bad])
    assert records.list_records(ws, engagement, "roadmap") == []
