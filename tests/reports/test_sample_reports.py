"""Acceptance of the deliverables on the bundled samples: valid PDF, fonts embedded, all records present,
page furniture on every page, contents with bookmarks, the signature box where the signing step looks."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reports.conftest import KINDS, SAMPLES, page_count, pdf_text, requires_poppler, run, squash
from workbench.services.deliverables import gather_report_data, signature_placement
from workbench.store.workspace import Workspace

pytestmark = requires_poppler


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", SAMPLES)
def test_sample_report_is_valid_embedded_and_complete(sample_pdf: Callable[[str, str], Path],
                                                      sample_workspace: tuple[Workspace, dict[str, str]],
                                                      name: str, kind: str) -> None:
    pdf = sample_pdf(name, kind)
    check = run("qpdf", "--check", str(pdf))
    assert check.returncode == 0, check.stdout + check.stderr

    fonts = run("pdffonts", str(pdf)).stdout.splitlines()[2:]
    assert fonts, "the report uses no font at all?"
    for line in fonts:
        emb = line.split()[-5]  # columns: name type encoding emb sub uni object ID
        assert emb == "yes", f"font not embedded: {line}"
    assert not any("Helvetica" in line for line in fonts)

    ws, uids = sample_workspace
    data = gather_report_data(ws, uids[name])
    text = squash(pdf_text(pdf))
    expected = ([("finding", f.title) for f in data.findings] + [("model", m.name) for m in data.models]
                + [("risk", r.title) for r in data.risks])
    missing = [(what, title) for what, title in expected if squash(title) not in text]
    assert not missing, f"{name} {kind}: not in the PDF text: {missing}"


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_has_header_classification_and_page_n_of_n(sample_pdf: Callable[[str, str], Path],
                                                               kind: str) -> None:
    pdf = sample_pdf("driftguard", kind)
    total = page_count(pdf)
    if kind == "executive":
        assert 2 <= total <= 6, f"the executive summary should take 2-6 pages, not {total}"
    for number in range(1, total + 1):
        page = pdf_text(pdf, number)
        assert f"Page {number} of {total}" in page
        assert "CONFIDENTIAL — prepared for DriftGuardAI Ltd" in page
        if number > 1 or kind == "executive":
            assert "DGA-2026-01" in page  # the running header (no firm is set: none is invented)
        # the DRAFT watermark is drawn as outlines, not text: tests/reports/test_pdf_details.py sees it


def test_full_report_has_contents_and_pdf_bookmarks(sample_pdf: Callable[[str, str], Path]) -> None:
    pdf = sample_pdf("driftguard", "full")
    contents = pdf_text(pdf, 2) + pdf_text(pdf, 3)  # the contents take two pages
    for title in ("Contents", "About this report", "Executive summary", "Maturity scorecard", "Findings register",
                  "Model inventory", "Risk assessment", "Cost matrix and budget", "Remediation roadmap",
                  "Go-live readiness", "Evidence index", "Audit trail", "Definitions and glossary",
                  "Appendix: guidance for the next levels", "Sign-off"):
        assert title in contents
    outline = json.loads(run("qpdf", "--json", "--json-key=outlines", str(pdf)).stdout)["outlines"]
    titles = [entry["title"] for entry in outline]
    assert titles[:3] == ["Contents", "1 About this report", "2 Executive summary"] and titles[-2:] == [
        "15 Appendix: guidance for the next levels", "16 Sign-off"]
    dimensions = next(entry for entry in outline if entry["title"] == "4 Assessment by dimension")
    assert [kid["title"] for kid in dimensions["kids"]][:2] == ["4.1 Data Pipeline", "4.2 Model Development"]
    assert all(entry["dest"] for entry in outline)  # each bookmark jumps somewhere


@pytest.mark.parametrize("kind", KINDS)
def test_signature_box_is_reserved_on_the_last_page(sample_pdf: Callable[[str, str], Path], kind: str) -> None:
    pdf = sample_pdf("driftguard", kind)
    placement = signature_placement(pdf)
    assert placement.page_index == page_count(pdf) - 1
    x0, y0, x1, y1 = placement.rect
    assert x1 - x0 > 400 and y1 - y0 > 150 and y0 > 50  # 170 x 60 mm above the footer
    assert "Reserved for the digital signature of this report" in pdf_text(pdf, placement.page_index + 1)


def test_findings_are_grouped_by_their_control(sample_pdf: Callable[[str, str], Path]) -> None:
    """The register lists the controls with findings raised against them, in the framework's order, and each
    finding names its control; findings without a control are counted."""
    text = squash(pdf_text(sample_pdf("driftguard", "full")))
    assert squash("Findings by control: 10 checklist items with findings raised against them. 7 findings name no "
                  "control.") in text
    assert squash("DEP-08 Inference endpoints require authentication") in text
    assert squash("F-001 (Critical), F-002 (Critical), F-012 (Medium)") in text
    assert text.index(squash("MR-06 Promotions")) < text.index(squash("DEP-02 Serving runs"))
    assert squash("Deployment · control DEP-08") in text
