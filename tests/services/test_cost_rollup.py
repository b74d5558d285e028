"""Remediation effort and cost rolled up from the findings; cost items totalled per currency."""

from __future__ import annotations

import pytest

from workbench.domain.errors import ValidationError
from workbench.services import records
from workbench.services.cost_rollup import cost_totals, remediation_rollup
from workbench.services.document import engagement_document
from workbench.services.unit import reading

DOCUMENT = {
    "findings": [
        {"ref": "F-001", "severity": "Critical", "status": "open", "effort_hours": 8.0},
        {"ref": "F-002", "severity": "Critical", "status": "resolved", "effort_hours": 4.0},
        {"ref": "F-003", "severity": "High", "status": "in_remediation", "effort_hours": 12.0},
        {"ref": "F-004", "severity": "Medium", "status": "open", "effort_hours": None},
        {"ref": "F-005", "severity": "Low", "status": "risk_accepted", "effort_hours": 2.0},
    ],
    "costs": [
        {"kind": "budget", "name": "Cloud", "estimated_cost": 1000.0, "currency": "EUR"},
        {"kind": "budget", "name": "Tools", "estimated_cost": 250.5, "currency": "eur"},
        {"kind": "budget", "name": "Licences", "estimated_cost": 300.0, "currency": "USD"},
        {"kind": "budget", "name": "Unpriced", "estimated_cost": None, "currency": "USD"},
        {"kind": "resource", "name": "Engineer", "estimated_cost": 9000.0, "currency": "EUR"},
    ],
}


def by_label(rollup):
    return {row.label: row for row in rollup.rows}


def test_open_findings_rollup_by_severity() -> None:
    result = remediation_rollup(DOCUMENT, day_rate=1000, currency="eur")
    assert result.currency == "EUR" and result.day_rate == 1000
    rows = by_label(result.open)
    assert [r.label for r in result.open.rows] == ["Critical", "High", "Medium", "Low", "Info"]
    assert (rows["Critical"].findings, rows["Critical"].hours, rows["Critical"].days, rows["Critical"].cost) == \
        (1, 8.0, 1.0, 1000.0)
    assert (rows["High"].findings, rows["High"].hours, rows["High"].cost) == (1, 12.0, 1500.0)
    assert (rows["Medium"].findings, rows["Medium"].hours, rows["Medium"].unestimated) == (1, 0.0, 1)
    assert rows["Low"].findings == 0  # risk accepted is not open
    total = result.open.total
    assert (total.findings, total.hours, total.days, total.cost, total.unestimated) == (3, 20.0, 2.5, 2500.0, 1)


def test_all_findings_rollup_counts_closed_ones_too() -> None:
    result = remediation_rollup(DOCUMENT, day_rate=1000)
    rows = by_label(result.all)
    assert (rows["Critical"].findings, rows["Critical"].hours) == (2, 12.0)
    assert (rows["Low"].findings, rows["Low"].hours) == (1, 2.0)
    assert (result.all.total.findings, result.all.total.hours, result.all.total.cost) == (5, 26.0, 3250.0)


def test_day_rate_scales_cost_and_is_checked() -> None:
    assert remediation_rollup(DOCUMENT, day_rate=800).open.total.cost == pytest.approx(2000.0)
    assert remediation_rollup(DOCUMENT, day_rate=0).open.total.cost == 0
    for bad in (-1, float("nan"), "lots"):
        with pytest.raises(ValidationError, match="day rate"):
            remediation_rollup(DOCUMENT, day_rate=bad)


def test_empty_document_rolls_up_to_zero() -> None:
    result = remediation_rollup({}, day_rate=1200)
    assert result.open.total.findings == 0 and result.open.total.cost == 0
    assert cost_totals({}) == ()


def test_budget_totals_per_currency_never_converted() -> None:
    totals = {t.currency: t for t in cost_totals(DOCUMENT, "budget")}
    assert set(totals) == {"EUR", "USD"}
    assert (totals["EUR"].items, totals["EUR"].total, totals["EUR"].unpriced) == (2, 1250.5, 0)
    assert (totals["USD"].items, totals["USD"].total, totals["USD"].unpriced) == (2, 300.0, 1)
    assert [(t.currency, t.total) for t in cost_totals(DOCUMENT, "resource")] == [("EUR", 9000.0)]


def test_rollup_of_a_stored_engagement(ws, engagement) -> None:
    records.add_record(ws, engagement, "finding", {"title": "A", "severity": "High", "effort_hours": "16"})
    records.add_record(ws, engagement, "finding", {"title": "B", "severity": "High", "effort_hours": 4,
                                                   "status": "resolved"})
    with reading(ws, engagement) as (session, row):
        document = engagement_document(session, row, audit_log=False)
    result = remediation_rollup(document, day_rate=1200)
    assert (result.open.total.hours, result.open.total.cost) == (16.0, 2400.0)
    assert result.all.total.hours == 20.0
