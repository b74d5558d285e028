"""Spreadsheet import from the GUI: a preview, every bad row named, all or nothing; export."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from PySide6.QtWidgets import QDialog

from workbench.ui.import_dialog import ImportDialog

BAD_CSV = """Model name;Version;Deployment;Latency (ms);Status
scorer-a;1.0;REST;45;production
scorer-b;2.1;carrier pigeon;30;production
scorer-c;0.3;batch;fast;staging
"""
GOOD_CSV = """Model,Version,Deployment,Latency ms,Owner
ranker,3.2,streaming,12.5,Ops Team
embedder,1.0,edge,,Ops Team
"""


def test_inventory_with_bad_rows_imports_nothing_and_names_them(qtbot, window, tmp_path: Path, monkeypatch) -> None:
    window.show_step("models")
    page = window.view.pages["models"]
    before = list(window.session.document["models"])
    events_before = window.session.undo_stack.count()
    path = tmp_path / "inventory.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    seen: dict[str, object] = {}

    def inspect(dialog: ImportDialog) -> int:
        seen["errors"] = [dialog.errors.item(i).text() for i in range(dialog.errors.count())]
        seen["enabled"] = dialog.import_button.isEnabled()
        seen["mapping"] = dialog.current_mapping()
        dialog.import_button.click()  # disabled: nothing may happen
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(ImportDialog, "exec", inspect)
    assert page.import_file(path) == []
    assert seen["enabled"] is False
    assert seen["mapping"]["Model name"] == "name" and seen["mapping"]["Latency (ms)"] == "latency_ms"
    errors = " | ".join(seen["errors"])
    assert "line 3, deployment" in errors and "line 4, latency_ms" in errors
    assert window.session.document["models"] == before
    assert window.session.undo_stack.count() == events_before


def test_valid_inventory_imports_in_one_undoable_step(qtbot, window, tmp_path: Path, monkeypatch) -> None:
    window.show_step("models")
    page = window.view.pages["models"]
    count = len(window.session.document["models"])
    path = tmp_path / "inventory.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")

    def accept(dialog: ImportDialog) -> int:
        assert dialog.import_button.isEnabled()
        dialog.import_button.click()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportDialog, "exec", accept)
    assert len(page.import_file(path)) == 2
    names = [m["name"] for m in window.session.document["models"]]
    assert names[-2:] == ["ranker", "embedder"] and len(names) == count + 2
    window.session.undo_stack.undo()
    assert len(window.session.document["models"]) == count


def test_export_the_filtered_table_to_xlsx(qtbot, window, tmp_path: Path) -> None:
    window.show_step("findings")
    page = window.view.pages["findings"]
    severity = page.filter_boxes["severity"]
    severity.setCurrentIndex(severity.findData("Critical"))
    target = page.export_file(tmp_path / "critical.xlsx")
    sheet = openpyxl.load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert "title" in header and len(body) == 5
    assert {row[header.index("severity")] for row in body} == {"Critical"}
