"""Portfolio (every client, its audits over time, what is open) and the comparison of two engagements."""

from __future__ import annotations

import json
from datetime import date

from workbench.cli import main
from workbench.services import assessment, engagements, records
from workbench.services.comparison import compare_engagements
from workbench.services.portfolio import portfolio
from workbench.services.reaudit import start_reaudit


def _two_audits(ws, engagement) -> tuple[str, str]:
    """An audit with three open findings (one overdue), then its re-audit in which one is resolved and one new."""
    engagements.update_engagement(ws, engagement, {"start_date": "2026-01-10"})
    assessment.set_assessment(ws, engagement, "MON", level=1, target=3)
    assessment.set_assessment(ws, engagement, "DP", level=2)
    records.add_record(ws, engagement, "finding", {"title": "No drift alerts", "severity": "Critical",
                                                   "due_date": "2026-02-01"})
    records.add_record(ws, engagement, "finding", {"title": "No rollback", "severity": "High"})
    records.add_record(ws, engagement, "finding", {"title": "Thin docs", "severity": "Low"})
    later = start_reaudit(ws, engagement)
    engagements.update_engagement(ws, later, {"start_date": "2027-01-12"})
    assessment.set_assessment(ws, later, "MON", level=3)
    records.update_record(ws, later, "finding", "F-002", {"status": "resolved"})
    records.add_record(ws, later, "finding", {"title": "Secrets in notebooks", "severity": "High"})
    return engagement, later


def test_portfolio_lists_each_client_with_its_audits_in_order_and_counts_only_current_ones(ws, engagement) -> None:
    earlier, later = _two_audits(ws, engagement)
    other = engagements.create_engagement(ws, client="Beta Bank", title="Credit models")
    records.add_record(ws, other, "finding", {"title": "No model card", "severity": "High"})

    clients = portfolio(ws, today=date(2027, 3, 1))
    assert [c.name for c in clients] == ["Acme Analytics", "Beta Bank"]
    acme = clients[0]
    assert [a.uid for a in acme.audits] == [earlier, later]
    assert [a.current for a in acme.audits] == [False, True]
    assert acme.audits[1].score is not None and acme.audits[1].score > acme.audits[0].score
    # the earlier audit's open Critical is carried forward: counted once, on the re-audit
    assert (acme.audits[0].open_critical, acme.audits[0].open_high, acme.audits[0].overdue) == (1, 1, 1)
    assert (acme.open_critical, acme.open_high, acme.overdue) == (1, 1, 1)
    assert (clients[1].open_critical, clients[1].open_high, clients[1].overdue) == (0, 1, 0)


def test_comparison_per_dimension_and_per_finding(ws, engagement) -> None:
    earlier, later = _two_audits(ws, engagement)
    comparison = compare_engagements(ws, earlier, later)
    mon = next(d for d in comparison.dimensions if d.dimension_id == "MON")
    assert (mon.earlier_level, mon.later_level, mon.change) == (1, 3, 2)
    dp = next(d for d in comparison.dimensions if d.dimension_id == "DP")
    assert (dp.earlier_level, dp.later_level, dp.change) == (2, None, None)
    states = {f.title: f.state for f in comparison.findings}
    assert states == {"No drift alerts": "still open", "Thin docs": "still open", "No rollback": "resolved",
                      "Secrets in notebooks": "new"}
    assert (comparison.count("new"), comparison.count("resolved"), comparison.count("still open")) == (1, 1, 2)


def test_cli_portfolio_and_compare(ws, db, engagement, capsys) -> None:
    earlier, later = _two_audits(ws, engagement)
    ws.close()
    assert main(["--db", db, "portfolio", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [a["uid"] for a in listed[0]["audits"]] == [earlier, later]
    assert listed[0]["client"] == "Acme Analytics" and listed[0]["open_critical"] == 1
    assert main(["--db", db, "portfolio"]) == 0
    text = capsys.readouterr().out
    assert "Acme Analytics" in text and "(followed by a re-audit)" in text

    assert main(["--db", db, "compare", earlier, later, "--json"]) == 0
    compared = json.loads(capsys.readouterr().out)
    assert compared["counts"] == {"new": 1, "resolved": 1, "still open": 2}
    assert main(["--db", db, "compare", earlier, later]) == 0
    text = capsys.readouterr().out
    assert "resolved: 1 finding" in text and "No rollback" in text

    assert main(["--db", db, "compare", earlier, "NOPE-2026-99"]) == 2
    assert capsys.readouterr().err.startswith("workbench: ")
