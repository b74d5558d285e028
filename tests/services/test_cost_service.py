"""The one cost service: its rounding rule, totals that add the rows, the roadmap draft agreeing with the
roll-up, the OSCAL export marking a provisional score with its coverage, one set of risk-zone names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.charts.heatmap import zone_for
from workbench.domain.costs import CostBasis, money_text
from workbench.domain.errors import ValidationError
from workbench.domain.wording import hours_text
from workbench.services.assessment import answer_item, set_assessment
from workbench.services.cost_rollup import finding_figures, remediation_rollup, roadmap_check, rollup_of
from workbench.services.document import engagement_document
from workbench.services.engagements import create_engagement
from workbench.services.frameworks import get_framework
from workbench.services.oscal_export import export_assessment_results
from workbench.services.progress import compute_progress
from workbench.services.records import add_record
from workbench.services.roadmap_draft import apply_draft, draft_roadmap
from workbench.services.unit import reading

HOURS = st.one_of(st.none(), st.integers(0, 4000).map(lambda quarters: quarters / 4))
SEVERITY = st.sampled_from(["Critical", "High", "Medium", "Low", "Info"])
FINDINGS = st.lists(st.fixed_dictionaries({"severity": SEVERITY, "effort_hours": HOURS,
                                           "status": st.sampled_from(["open", "resolved", "in_remediation"])}),
                    max_size=40)


def test_a_finding_costs_its_hours_at_the_day_rate_rounded_half_up_to_a_whole_unit() -> None:
    basis = CostBasis(1200, "eur")
    assert basis.currency == "EUR"
    assert basis.cost(0.75) == 113  # 112.5 rounds half up, never to the even 112
    assert basis.cost(40) == 6000 and basis.cost(0) == 0 and basis.cost(None) is None
    assert CostBasis(1320, "EUR").cost(40) == 6600
    assert CostBasis(999, "GBP").cost(0.25) == 31  # 31.21875
    assert money_text(113, "GBP") == "£113" and money_text(1500, "CHF") == "CHF 1,500"
    assert hours_text(0.75) == "0.75 h"
    for bad_rate, bad_currency in ((-1, "EUR"), (float("nan"), "EUR"), ("x", "EUR"), (100, "EURO"), (100, "")):
        with pytest.raises(ValidationError):
            CostBasis(bad_rate, bad_currency)  # type: ignore[arg-type]


@given(findings=FINDINGS, rate=st.integers(0, 5000), currency=st.sampled_from(["EUR", "GBP", "USD", "CHF"]))
def test_every_total_is_the_sum_of_the_finding_costs(findings: list[dict[str, object]], rate: int,
                                                     currency: str) -> None:
    basis = CostBasis(rate, currency)
    document = {"findings": [{**f, "ref": f"F-{n:03}", "uid": str(n)} for n, f in enumerate(findings)]}
    figures = finding_figures(document, basis)
    rollup = remediation_rollup(document, rate, currency)
    assert rollup.all.total.cost == sum(f.cost or 0 for f in figures.values())
    assert rollup.all.total.hours == sum(f.hours or 0 for f in figures.values())
    assert rollup.open.total == rollup_of([f for f in document["findings"] if f["status"] != "resolved"], "open",
                                          basis).total
    for row in rollup.all.rows:
        mine = [figures[f["uid"]] for f in document["findings"] if f["severity"] == row.label]
        assert (row.findings, row.cost) == (len(mine), sum(f.cost or 0 for f in mine))
    assert sum(row.cost for row in rollup.all.rows) == rollup.all.total.cost
    assert {f.currency for f in figures.values()} <= {currency}


def test_a_drafted_roadmap_agrees_with_the_cost_rollup(ws) -> None:
    uid = create_engagement(ws, client="Acme", title="Roadmap")
    for title, severity, hours in (("No drift checks", "Critical", 6), ("Manual deploys", "High", 0.75),
                                   ("No lineage", "Medium", 30), ("Old notebook", "Low", None)):
        add_record(ws, uid, "finding", {"title": title, "severity": severity, "effort_hours": hours})
    with reading(ws, uid) as (session, engagement):
        document = engagement_document(session, engagement, audit_log=False)
    apply_draft(ws, uid, draft_roadmap(document))
    with reading(ws, uid) as (session, engagement):
        document = engagement_document(session, engagement, audit_log=False)
    check = roadmap_check(document)
    assert check.agrees and check.roadmap_hours == check.open_hours == 36.75
    assert check.sentence(hours_text) == ("The roadmap's activities add up to 36.75 h, the open findings' estimated "
                                          "effort in the cost roll-up is 36.75 h: they agree.")
    add_record(ws, uid, "finding", {"title": "Found later", "severity": "High", "effort_hours": 2})
    with reading(ws, uid) as (session, engagement):
        later = roadmap_check(engagement_document(session, engagement, audit_log=False))
    assert not later.agrees and "F-005 (2 h) open and on no roadmap activity" in later.sentence(hours_text)


def test_oscal_results_are_provisional_with_the_coverage_when_the_checklist_is_a_quarter_answered(
        ws, tmp_path: Path) -> None:
    uid = create_engagement(ws, client="Acme", title="Quarter")
    framework = get_framework("mlops-architecture")
    answered = 0
    for dimension in framework.dimensions:
        share = (len(dimension.items) + 3) // 4
        for item in dimension.items[:share]:
            answer_item(ws, uid, item.id, "yes")
        answered += share
        set_assessment(ws, uid, dimension.id, level=3, justification="Seen in the walkthrough")
    total = sum(len(d.items) for d in framework.dimensions)
    written = export_assessment_results(ws, uid, tmp_path / "results.json")
    result = json.loads(written.read_text(encoding="utf-8"))["assessment-results"]["results"][0]
    props: dict[str, list[str]] = {}
    for prop in result["props"]:
        props.setdefault(prop["name"], []).append(prop["value"])
    assert props["provisional"] == ["true"]
    assert props["provisional-reason"] == [f"{answered} of {total} checklist items answered "
                                           f"({answered * 100 // total} %), below the 80 % the framework asks for"]
    assert props["coverage"] == [f"{answered} of {total} checklist items, 0 of 5 health-check questions"]
    assert props["checklist-coverage"] == [f"{answered}/{total}"]


def test_the_step_list_names_risk_zones_as_the_risks_page_and_heat_map_do(ws) -> None:
    uid = create_engagement(ws, client="Acme", title="Zones")
    framework = get_framework("mlops-architecture")
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            add_record(ws, uid, "risk", {"title": f"L{likelihood} I{impact}", "likelihood": likelihood,
                                         "impact": impact, "mitigation": "Watch it"})
    with reading(ws, uid) as (session, engagement):
        document = engagement_document(session, engagement, audit_log=False)
    summary = compute_progress(framework, document).step("risks").summary
    top = [(lk, im) for lk in range(1, 6) for im in range(1, 6) if zone_for(lk, im)[0] == "Critical"]
    assert summary == f"25 risks · {len(top)} in the Critical zone"
    zones = {zone_for(lk, im)[0] for lk in range(1, 6) for im in range(1, 6)}
    assert zones == {"Low", "Medium", "High", "Critical"}  # the names the step list and the risks page share
