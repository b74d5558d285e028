"""Supporting matrices exported for the client: one column per regime or platform, the platform totals, and the
formula guard on every cell (CSV, XLSX and through the command line)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from workbench.cli import main
from workbench.domain.errors import ValidationError
from workbench.services import records
from workbench.services.matrix_export import export_matrix, matrix_table
from workbench.services.packages import import_package

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "sample_audits"


def test_platform_scores_become_columns_and_end_with_the_weighted_totals() -> None:
    rows = [{"criterion": "Ease of use", "weight": 0.5, "scores": {"MLflow": 4, "Azure ML": 2}},
            {"criterion": "Cost", "weight": 0.5, "scores": {"MLflow": 5, "Azure ML": 3}}]
    fields, table = matrix_table("platform", rows)
    assert [f.name for f in fields] == ["criterion", "weight", "MLflow", "Azure ML"]
    assert table[-1] == {"criterion": "Weighted total", "weight": 1.0, "MLflow": 4.5, "Azure ML": 2.5}
    with pytest.raises(ValidationError, match="unknown matrix"):
        matrix_table("budget", rows)


def test_the_sample_compliance_matrix_to_csv_and_xlsx(ws, tmp_path) -> None:
    uid = import_package(ws, SAMPLES_DIR / "driftguard.mlaudit", untrusted=True)
    with open(export_matrix(ws, uid, "compliance", tmp_path / "c.csv"), encoding="utf-8-sig") as stream:
        rows = list(csv.reader(stream))
    assert rows[0][:5] == ["requirement", "GDPR", "HIPAA", "SOC 2", "ISO 27001"]
    assert len(rows) - 1 == len([m for m in records.list_records(ws, uid, "matrix") if m["kind"] == "compliance"])
    sheet = openpyxl.load_workbook(export_matrix(ws, uid, "platform", tmp_path / "p.xlsx")).active
    values = list(sheet.values)
    assert values[0][:2] == ("criterion", "weight") and values[-1][0] == "Weighted total"


def test_a_formula_typed_into_a_matrix_is_written_as_text(ws, engagement, tmp_path) -> None:
    records.add_record(ws, engagement, "matrix", {"kind": "tool", "data": {
        "tool": "=HYPERLINK(\"http://evil\",\"x\")", "category": "\t@SUM(A1)", "ring": "hold"}})
    with open(export_matrix(ws, engagement, "tool", tmp_path / "t.csv"), encoding="utf-8-sig") as stream:
        row = list(csv.DictReader(stream))[0]
    assert row["tool"].startswith("'=") and not row["category"].lstrip().startswith("@")
    cell = openpyxl.load_workbook(export_matrix(ws, engagement, "tool", tmp_path / "t.xlsx")).active["A2"]
    assert cell.data_type == "s" and str(cell.value).startswith("'=")


def test_cli_matrices_export(ws, db, tmp_path, capsys) -> None:
    uid = import_package(ws, SAMPLES_DIR / "driftguard.mlaudit", untrusted=True)
    ws.close()
    target = tmp_path / "monitoring.json"
    assert main(["--db", db, "matrices", "export", uid, "monitoring", str(target)]) == 0
    assert capsys.readouterr().out.startswith("wrote ")
    assert json.loads(target.read_text(encoding="utf-8"))[0]["metric"]
    assert main(["--db", db, "matrices", "export", uid, "monitoring", str(tmp_path / "m.txt")]) == 2
    assert capsys.readouterr().err.startswith("workbench: ")
