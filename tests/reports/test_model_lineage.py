"""The model inventory prints the lineage an auditor checks (seed 004): model card, training-data version or hash,
code commit and approval, under the model's name — only what was recorded."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from tests.reports.conftest import pdf_text, requires_poppler, squash
from workbench.reports.build import make_context
from workbench.reports.data import Branding
from workbench.reports.sections import models as section
from workbench.services import records
from workbench.services.report_data import gather_report_data, lineage


def test_only_the_lineage_recorded_is_listed() -> None:
    assert lineage({"model_card": "", "training_data": None, "code_commit": "", "approval": "not_recorded",
                    "approved_by": ""}) == ()
    assert lineage({"model_card": "cards/churn.md", "training_data": "sha256:9f2c", "code_commit": "4e1a7b0",
                    "approval": "approved", "approved_by": "Model Risk"}) == (
        ("Model card", "cards/churn.md"), ("Training data", "sha256:9f2c"), ("Code commit", "4e1a7b0"),
        ("Approval", "Approved by Model Risk"))
    assert lineage({"approval": "pending"}) == (("Approval", "Pending"),)


@requires_poppler
def test_the_report_prints_it_under_the_model(ws, engagement, tmp_path: Path) -> None:
    records.add_record(ws, engagement, "model", {"name": "churn", "version": "3", "model_card": "cards/churn.md",
                                                 "training_data": "snap-0412", "code_commit": "4e1a7b0",
                                                 "approval": "approved", "approved_by": "Model Risk"})
    records.add_record(ws, engagement, "model", {"name": "fraud", "version": "1"})
    data = gather_report_data(ws, engagement)
    pdf = tmp_path / "models.pdf"
    SimpleDocTemplate(str(pdf), pagesize=A4).build(section.build(make_context(data, "full", Branding()), "5"))
    text = squash(pdf_text(pdf))
    for shown in ("Modelcard:cards/churn.md", "Trainingdata:snap-0412", "Codecommit:4e1a7b0",
                  "Approval:ApprovedbyModelRisk"):
        assert shown in text, shown
    assert text.count("Modelcard:") == 1  # the model without a record shows no empty lineage lines
