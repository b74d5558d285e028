"""The deliverables carry the furniture a partner signs (document control, important notice, scope and
methodology, limitations, severity and maturity definitions, glossary) and seed 003's go-live sections,
each from data the auditor records; findings name their affected assets and their evidence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reports.conftest import pdf_text, requires_poppler, squash
from workbench.reports.data import Branding
from workbench.services.deliverables import gather_report_data, render_report
from workbench.services.records import add_record
from workbench.store.workspace import Workspace

pytestmark = requires_poppler

SEED_003_SECTIONS = ("What is working well", "Test results", "Production-readiness matrix",
                     "Pre-production checklist", "Deployment restrictions", "Before going live", "Success criteria",
                     "Questions for the architecture review")


@pytest.mark.parametrize("kind", ["full", "executive"])
def test_seed_003_sections_from_the_recorded_data(sample_pdf: Callable[[str, str], Path],
                                                  sample_workspace: tuple[Workspace, dict[str, str]],
                                                  kind: str) -> None:
    text = pdf_text(sample_pdf("driftguard", kind))
    flat = squash(text)
    for title in SEED_003_SECTIONS:
        assert title in text, title
    ws, uids = sample_workspace
    readiness = gather_report_data(ws, uids["driftguard"]).readiness
    recorded = ([s.area for s in readiness.strengths] + [t.test for t in readiness.tests]
                + [a.area for a in readiness.areas] + [c.item for c in readiness.checklist]
                + [r.restriction for r in readiness.restrictions] + [g.item for g in readiness.golive]
                + [c.criterion for c in readiness.success] + [q.question for q in readiness.questions])
    missing = [value for value in recorded if squash(value) not in flat]
    assert not missing, missing
    for group in ("Must complete", "Should complete before full rollout", "Nice to have", "Day 1", "Week 1",
                  "Month 1", "Tested and working", "Tested with cautions", "Not tested", "Documentation",
                  "Training", "Communication"):
        assert group in text, group


def test_full_report_furniture(sample_pdf: Callable[[str, str], Path]) -> None:
    text = pdf_text(sample_pdf("driftguard", "full"))
    for title in ("About this report", "Document control", "Distribution list", "Important notice",
                  "Scope and methodology", "Limitations", "Definitions and glossary", "Severity",
                  "Maturity levels and score bands", "Glossary"):
        assert title in text, title
    flat = squash(text)
    for fact in ("First draft after fieldwork.", "Zoë Müller", "prepared for DriftGuardAI Ltd alone",
                 "Blocks production use", "Population stability index", "Not tested during the audit: Load testing"):
        assert squash(fact) in flat, fact


def test_findings_name_their_assets_and_evidence(sample_pdf: Callable[[str, str], Path]) -> None:
    flat = squash(pdf_text(sample_pdf("driftguard", "full")))
    assert squash("Affected: DriftGuardAI API (FastAPI); Executive dashboard") in flat
    assert squash("Evidence: E1 interview-notes.txt; E3 api-config-excerpt.yaml") in flat


def test_firm_wide_text_comes_from_the_settings(ws: Workspace, engagement: str, tmp_path: Path) -> None:
    add_record(ws, engagement, "matrix", {"kind": "question", "data": {"topic": "Scale",
                                                                        "question": "How many users are expected?"}})
    branding = Branding(firm_name="Northwind Assurance", important_notice="Only for {client}: NOTICE-XYZ.",
                        methodology="Our own METHOD-XYZ for {client}.")
    full = pdf_text(render_report(ws, engagement, tmp_path / "full.pdf", branding=branding))
    assert "Only for Acme Analytics: NOTICE-XYZ." in full and "Our own METHOD-XYZ for Acme Analytics." in full
    assert "No version history has been recorded" in full and "How many users are expected?" in full
    summary = pdf_text(render_report(ws, engagement, tmp_path / "summary.pdf", kind="executive", branding=branding))
    assert "Questions for the architecture review" in summary and "Test results" not in summary
