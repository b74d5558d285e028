"""One set of figures (#14 item 6): on every sample, every money and hour figure of the summaries (the full
report's summary and costs tables, the executive summary) is the sum of the findings register's rows; the
currency setting changes every one of them; the CSV/XLSX and OSCAL exports carry the register's figures;
the roadmap's hours are reconciled with the cost roll-up in words."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.reports.conftest import SAMPLES, pdf_text, requires_poppler, squash
from workbench.domain.costs import CostBasis
from workbench.domain.enums import FindingStatus
from workbench.reports import formatting as F
from workbench.reports.data import FindingRow, ReportData
from workbench.services.cost_rollup import roadmap_check
from workbench.services.deliverables import gather_report_data, render_report
from workbench.services.document import engagement_document
from workbench.services.oscal_export import export_assessment_results
from workbench.services.records_io import export_records
from workbench.services.unit import reading
from workbench.store.workspace import Workspace

pytestmark = requires_poppler

SEVERITIES = ("Critical", "High", "Medium", "Low", "Info")
# a line of the effort table as pdftotext prints it: "Critical 1 40 h 5 €6,000 —"
EFFORT_LINE = re.compile(r"^(Critical|High|Medium|Low|Info|Total) ([\d,]+) ([\d.,]+) h ([\d.,]+) (\S+)[ ]")
EXECUTIVE_SENTENCE = re.compile(r"Estimated remediation effort for the ([\d,]+) open findings: ([\d.,]+) h "
                                r"\(about ([\d.,]+) days?, (\S+) at (\S+) a day\)")


def open_rows(data: ReportData) -> list[FindingRow]:
    return [f for f in data.findings if FindingStatus.parse(f.status).is_open]


def register_sums(data: ReportData) -> dict[str, tuple[int, str, str, str]]:
    """Per severity and in total, from the register's rows: (findings, hours, days, money) as printed."""
    groups = {severity: [f for f in open_rows(data) if f.severity == severity] for severity in SEVERITIES}
    groups["Total"] = open_rows(data)
    result = {}
    for name, rows in groups.items():
        hours = sum(f.effort_hours or 0.0 for f in rows)
        cost = sum(f.cost or 0 for f in rows)
        result[name] = (len(rows), F.hours(hours), F.number(hours / 8, 2), F.money(cost, data.effort_currency))
    return result


def effort_lines(text: str) -> list[tuple[str, tuple[int, str, str, str]]]:
    found = []
    for line in text.splitlines():
        match = EFFORT_LINE.match(line.strip())
        if match:
            name, count, hours, days, money = match.groups()
            found.append((name, (int(count.replace(",", "")), f"{hours} h", days, money)))
    return found


def check_report_figures(data: ReportData, full: Path, executive: Path) -> None:
    wanted = register_sums(data)
    assert all(f.currency == data.effort_currency for f in data.findings)  # one currency, the setting's
    full_text = pdf_text(full)
    lines = effort_lines(full_text)
    # the summary's table and the costs section's table, each with every severity that has open findings
    shown = [name for name, _ in lines]
    assert shown.count("Total") == 2, shown
    for name, figures in lines:
        assert figures == wanted[name], f"{name}: the table says {figures}, the register's rows add {wanted[name]}"
    squashed = squash(full_text)
    for finding in data.findings:  # the register prints each row's hours and cost
        if finding.effort_hours is not None:
            assert squash(f"{F.hours(finding.effort_hours)}{F.money(finding.cost, finding.currency)}") in squashed
    sentence = EXECUTIVE_SENTENCE.search(" ".join(pdf_text(executive).split()))
    assert sentence, "the executive summary states the remediation effort"
    count, hours, days, money, rate = sentence.groups()
    total = wanted["Total"]
    assert (int(count), f"{hours} h", days, money) == total
    assert rate == F.money(data.day_rate, data.effort_currency)


@pytest.mark.parametrize("name", SAMPLES)
def test_summaries_equal_the_sum_of_the_register(sample_pdf: Callable[[str, str], Path],
                                                 sample_workspace: tuple[Workspace, dict[str, str]],
                                                 name: str) -> None:
    ws, uids = sample_workspace
    data = gather_report_data(ws, uids[name])  # the settings the sample PDFs were rendered with
    assert [line.cost for line in data.effort_open if line.label == "Total"] == \
        [sum(f.cost or 0 for f in open_rows(data))]
    check_report_figures(data, sample_pdf(name, "full"), sample_pdf(name, "executive"))


def test_the_currency_and_day_rate_setting_change_every_figure_of_both_reports(
        sample_workspace: tuple[Workspace, dict[str, str]], tmp_path: Path) -> None:
    ws, uids = sample_workspace
    uid = uids["credit-scoring"]  # the example: its stored costs were priced at another rate
    data = gather_report_data(ws, uid, day_rate=1000, currency="GBP")
    assert data.effort_currency == "GBP" and {f.currency for f in data.findings} == {"GBP"}
    assert next(f for f in data.findings if f.ref == "F-001").cost == 5000  # 40 h ÷ 8 × £1,000
    full = render_report(ws, uid, tmp_path / "full.pdf", kind="full", day_rate=1000, currency="GBP")
    executive = render_report(ws, uid, tmp_path / "executive.pdf", kind="executive", day_rate=1000, currency="GBP")
    check_report_figures(data, full, executive)
    assert "€" not in pdf_text(executive)
    # in the full report euros are left only where the client's own cost items were recorded in euros
    client_amounts = {F.money(c.estimated_cost, c.currency) for c in data.costs}
    client_amounts |= {F.money(t.total, t.currency) for t in data.budget_totals}
    euros = set(re.findall(r"€[\d,]+", pdf_text(full)))
    assert euros and euros <= client_amounts


@pytest.mark.parametrize("name", SAMPLES)
def test_exports_carry_the_register_figures(sample_workspace: tuple[Workspace, dict[str, str]], tmp_path: Path,
                                            name: str) -> None:
    ws, uids = sample_workspace
    basis = CostBasis(950, "USD")
    data = gather_report_data(ws, uids[name], day_rate=basis.day_rate, currency=basis.currency)
    register = {f.ref: (f.effort_hours, f.cost, f.currency) for f in data.findings}

    written = export_records(ws, uids[name], "finding", tmp_path / "f.csv", basis)
    with written.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["ref"]: (float(r["effort_hours"]) if r["effort_hours"] else None,
                       int(r["cost_estimate"]) if r["cost_estimate"] else None, r["currency"])
            for r in rows} == register

    sheet = load_workbook(export_records(ws, uids[name], "finding", tmp_path / "f.xlsx", basis)).active
    header = [c.value for c in sheet[1]]
    column = {n: header.index(n) for n in ("ref", "effort_hours", "cost_estimate", "currency")}
    cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert {r[column["ref"]]: (r[column["effort_hours"]], r[column["cost_estimate"]], r[column["currency"]])
            for r in cells} == register

    results = json.loads(export_assessment_results(ws, uids[name], tmp_path / "oscal.json", basis)
                         .read_text(encoding="utf-8"))["assessment-results"]["results"][0]
    oscal = {}
    for finding in results["findings"]:
        props = {p["name"]: p["value"] for p in finding.get("props", [])}
        if "effort-hours" in props:
            oscal[finding["title"].split()[0]] = (float(props["effort-hours"]), int(props["remediation-cost"]),
                                                   props["currency"])
    assert oscal == {ref: figures for ref, figures in register.items() if figures[0] is not None}
    total = next(line for line in data.effort_open if line.label == "Total")
    props = {p["name"]: p["value"] for p in results["props"]}
    assert (float(props["open-remediation-hours"]), int(props["open-remediation-cost"]), props["currency"]) == \
        (total.hours, total.cost, "USD")


@pytest.mark.parametrize("name", SAMPLES)
def test_the_roadmap_hours_are_reconciled_with_the_cost_rollup(sample_pdf: Callable[[str, str], Path],
                                                               sample_workspace: tuple[Workspace, dict[str, str]],
                                                               name: str) -> None:
    ws, uids = sample_workspace
    with reading(ws, uids[name]) as (session, engagement):
        document = engagement_document(session, engagement, audit_log=False)
    check = roadmap_check(document)
    data = gather_report_data(ws, uids[name])
    total = next(line for line in data.effort_open if line.label == "Total")
    assert check.open_hours == total.hours
    assert check.roadmap_hours == sum(r.effort_hours for r in data.roadmap)  # the roadmap tables' hours
    # the difference is exactly what the sentence names
    assert check.roadmap_hours == pytest.approx(check.open_hours - sum(h for _r, h in check.unplanned)
                                                + sum(h for _r, h in check.closed)
                                                + sum(h for _r, h in check.repeated))
    assert data.roadmap_note and not check.agrees  # every sample's roadmap differs, and says why
    assert "The difference:" in data.roadmap_note
    for kind in ("full", "executive"):
        assert squash(data.roadmap_note) in squash(pdf_text(sample_pdf(name, kind)))
