"""Tool evaluation as seed 000's template has it: pros, cons and licence / infrastructure / operations cost as
fields of their own — kept by the service, exported for the client and printed in the report's matrix section."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from tests.reports.conftest import pdf_text, requires_poppler, squash
from workbench.domain.matrices import COLUMNS, clean_matrix_data
from workbench.reports.build import make_context
from workbench.reports.data import Branding
from workbench.reports.sections import matrices as section
from workbench.services import records
from workbench.services.deliverables import gather_report_data
from workbench.services.matrix_export import matrix_table
from workbench.services.record_library import library_entries

TOOL = {"tool": "MLflow", "category": "Tracking and registry", "ring": "adopt",
        "pros": "Simple\nRuns on any cloud", "cons": "Fewer features than the platforms",
        "licence_cost": "Free", "infrastructure_cost": "One VM", "operations_cost": "Low: one job",
        "rationale": "The team knows it."}
COST_FIELDS = ("licence_cost", "infrastructure_cost", "operations_cost")


def test_the_fields_are_kept_and_a_row_without_them_still_reads() -> None:
    assert COLUMNS["tool"] == ("tool", "category", "ring", "pros", "cons", *COST_FIELDS, "rationale")
    assert clean_matrix_data("tool", TOOL) == TOOL
    older = clean_matrix_data("tool", {"tool": "Kubeflow", "ring": "hold", "rationale": "Too heavy for now."})
    assert {name: older[name] for name in ("pros", "cons", *COST_FIELDS)} == dict.fromkeys(
        ("pros", "cons", *COST_FIELDS), "")


def test_the_export_has_a_column_for_each() -> None:
    fields, rows = matrix_table("tool", [TOOL])
    assert [f.name for f in fields] == list(COLUMNS["tool"])
    assert [f.title for f in fields][3:8] == ["Pros", "Cons", "Licence cost", "Infrastructure cost",
                                              "Operations cost"]
    assert rows == [TOOL]


def test_the_starter_tools_fill_every_field() -> None:
    tools = [e.values["data"] for e in library_entries("matrix", "tool")]
    assert {t["tool"] for t in tools} >= {"Amazon SageMaker", "Azure Machine Learning", "Kubeflow", "MLflow"}
    for tool in tools:
        assert all(tool[name].strip() for name in ("pros", "cons", *COST_FIELDS)), tool["tool"]
        assert "Pros:" not in tool["rationale"]  # no longer folded into the rationale


@requires_poppler
def test_the_report_prints_pros_cons_and_costs(ws, engagement, tmp_path: Path) -> None:
    records.add_record(ws, engagement, "matrix", {"kind": "tool", "data": TOOL})
    records.add_record(ws, engagement, "matrix", {"kind": "tool", "data": {"tool": "Feast", "ring": "hold"}})
    data = gather_report_data(ws, engagement)
    mlflow = next(t for t in data.matrices.tools if t.tool == "MLflow")
    assert (mlflow.pros, mlflow.licence_cost, mlflow.operations_cost) == (
        TOOL["pros"], TOOL["licence_cost"], TOOL["operations_cost"])
    pdf = tmp_path / "tools.pdf"
    SimpleDocTemplate(str(pdf), pagesize=A4).build(section.build(make_context(data, "full", Branding()), "11"))
    text = squash(pdf_text(pdf))
    # short words: a narrow cell breaks a long one with a hyphen
    for shown in ("ToolRingProsConsCostsRationale", "•Simple", "•Runsonanycloud", "Licence:Free",
                  "Infrastructure:OneVM", "Operations:Low:onejob", "Theteamknowsit."):
        assert shown in text, shown
    assert text.index("MLflow") < text.index("Feast")  # adopt before hold
