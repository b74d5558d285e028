"""Both reports say how much of the framework the opinion covers, mark a provisional score as such, and
call a dimension Ready only by the one rule (level at target and no open Critical or High finding)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.reports.conftest import SAMPLES, pdf_text, requires_poppler, squash
from workbench.domain.readiness import dimension_readiness, open_severities
from workbench.services.assessment import answer_item, set_assessment
from workbench.services.deliverables import gather_report_data, render_report
from workbench.services.engagements import create_engagement

pytestmark = requires_poppler


@pytest.mark.parametrize("kind", ["full", "executive"])
def test_a_provisional_score_says_so_with_its_coverage(ws, tmp_path: Path, kind: str) -> None:
    uid = create_engagement(ws, client="Acme Bank", title="Credit audit")
    for dimension in ("DP", "MD", "MR", "DEP", "MON", "CICD", "EXP", "FS"):
        set_assessment(ws, uid, dimension, level=3)
    for item in ("DP-01", "DP-02", "MD-01"):
        answer_item(ws, uid, item, "yes")
    text = squash(pdf_text(render_report(ws, uid, tmp_path / f"{kind}.pdf", kind=kind)))
    assert squash("PROVISIONAL") in text
    assert squash("Provisional: 3 of 106 checklist items answered (2 %), below the 80 % the framework asks for.") \
        in text
    assert squash("Coverage: 3 of 106 checklist items, 0 of 5 health-check questions.") in text
    if kind == "full":  # the cover says it too
        assert squash("Coverage 3 of 106 checklist items, 0 of 5 health-check questions; score provisional") in text


@pytest.mark.parametrize("name", SAMPLES)
def test_no_dimension_with_an_open_critical_or_high_finding_is_called_ready(sample_workspace, sample_pdf,
                                                                              name: str) -> None:
    ws, uids = sample_workspace
    data = gather_report_data(ws, uids[name])
    severities = open_severities({"status": f.status, "severity": f.severity, "dimension_id": f.dimension_id}
                                 for f in data.findings)
    text = pdf_text(sample_pdf(name, "executive"))
    lines = text.splitlines()
    flat = " ".join(text.split())
    start = flat.find("Working well:")
    working = flat[start:flat.find("meet their target level", start)] if start >= 0 else ""
    blocked = [d for d in data.dimensions
               if d.level is not None and d.target is not None and d.level >= d.target
               and not dimension_readiness(d.level, d.target, severities.get(d.id, [])).ready]
    for dimension in blocked:  # at target on its level, but an open Critical or High finding holds it back
        assert dimension.name not in working
        row = next(line for line in lines if line.startswith(dimension.name + " "))
        assert "Not ready" in row and "Ready" not in row.replace("Not ready", "")
    if name == "driftguard":  # Data Pipeline is at level 5 of target 4 with Critical F-005 open
        assert [d.id for d in blocked] == ["DP"]
    ready = [d.name for d in data.dimensions if dimension_readiness(d.level, d.target, severities.get(d.id, [])).ready]
    for dimension_name in ready:
        assert dimension_name in working


def test_one_hours_formatter_never_rounds_a_quarter_hour(sample_pdf) -> None:
    from workbench.reports import formatting as F
    from workbench.services.roadmap_draft import _activity

    assert [F.hours(v) for v in (0.75, 0.5, 12, 1234.5, None)] == ["0.75 h", "0.5 h", "12 h", "1,234.5 h", "—"]
    assert _activity([{"ref": "F-005", "title": "Pool", "effort_hours": 0.75}]) == "F-005 Pool (0.75 h)."
    text = pdf_text(sample_pdf("driftguard", "executive"))
    assert "0.75 h" in text and "0.8 h" not in text  # F-005 is estimated at three quarters of an hour


@pytest.mark.parametrize("name", SAMPLES)
def test_the_full_report_calls_no_held_back_dimension_ready(sample_workspace, sample_pdf, name: str) -> None:
    """The full report's pages (its summary, scorecard and dimension sections) never put "Ready" beside a
    dimension the one rule holds back: below target, unassessed, or with an open Critical or High finding."""
    ws, uids = sample_workspace
    data = gather_report_data(ws, uids[name])
    severities = open_severities({"status": f.status, "severity": f.severity, "dimension_id": f.dimension_id}
                                 for f in data.findings)
    held_back = [d.name for d in data.dimensions
                 if not dimension_readiness(d.level, d.target, severities.get(d.id, [])).ready]
    assert held_back, "every sample holds back at least one dimension"
    ready_word = re.compile(r"\bReady\b")
    lines = pdf_text(sample_pdf(name, "full")).splitlines()
    for dimension_name in held_back:
        called_ready = [line for line in lines if dimension_name in line and ready_word.search(line)]
        assert called_ready == [], (dimension_name, called_ready)
