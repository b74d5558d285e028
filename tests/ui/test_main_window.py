"""The main window as an auditor uses it: library, new engagement, findings, undo across pages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from workbench.services import records


def test_library_lists_the_sample_grouped_by_client(window) -> None:
    window.show_library()
    tree = window.library.tree
    assert tree.topLevelItemCount() == 1
    client = tree.topLevelItem(0)
    assert client.text(0) == "DriftGuardAI Ltd"
    assert client.child(0).text(0) == "DGA-2026-01" and client.child(0).text(4) == "Conditional Go"
    window.library.search.setText("no such client")
    assert tree.topLevelItemCount() == 0


def test_create_engagement_from_the_library(qtbot, window, monkeypatch) -> None:
    from workbench.ui import dialogs

    def fake_exec(dialog: QDialog) -> int:
        dialog.client.setCurrentText("Northwind Robotics")
        dialog.title_edit.setText("Fleet ML audit")
        dialog.framework.setCurrentIndex(dialog.framework.findData("aiml-infrastructure"))
        dialog.auditor.setText("Zoë Müller")
        return 1

    monkeypatch.setattr(dialogs.NewEngagementDialog, "exec", fake_exec)
    window.show_library()
    window.library.buttons["new"].click()
    assert window.session is not None
    engagement = window.session.document["engagement"]
    assert engagement["title"] == "Fleet ML audit" and engagement["lead_auditor"] == "Zoë Müller"
    assert window.session.framework.id == "aiml-infrastructure"
    assert "Fleet ML audit" in window.windowTitle()


def test_add_from_library_edit_and_filter_findings(qtbot, window) -> None:
    from workbench.services.finding_library import load_templates

    window.show_step("findings")
    page = window.view.pages["findings"]
    before = len(window.session.document["findings"])
    template = next(t for t in load_templates() if "drift" in t.title.lower())
    uid = page.add_from_library(template)
    assert len(window.session.document["findings"]) == before + 1
    added = next(f for f in window.session.document["findings"] if f["uid"] == uid)
    assert added["title"] == template.title and added["dimension_id"] == "MON"
    assert page.current_record()["uid"] == uid
    # edit in the form beside the table
    title = page.form.editors["title"]
    title.setText("Drift goes unnoticed for weeks")
    title.editingFinished.emit()
    stored = records.list_records(window.ws, window.session.uid, "finding")[-1]
    assert stored["title"] == "Drift goes unnoticed for weeks"
    # filters: severity and free text
    severity = page.filter_boxes["severity"]
    severity.setCurrentIndex(severity.findData("Critical"))
    shown = page.model.visible_rows()
    assert shown and all(row["severity"] == "Critical" for row in shown)
    severity.setCurrentIndex(0)
    page.search.setText("rate limiting")
    assert [row["ref"] for row in page.model.visible_rows()] == ["F-002"]
    page.search.clear()
    assert page.model.rowCount() == before + 1


def test_inline_edit_and_sorting(qtbot, window) -> None:
    window.show_step("findings")
    page = window.view.pages["findings"]
    column = page.spec.columns.index("severity")
    page.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    severities = [row["severity"] for row in page.model.visible_rows()]
    order = ["Critical", "High", "Medium", "Low", "Info"]
    assert severities == sorted(severities, key=order.index)
    index = page.model.index(0, page.spec.columns.index("owner"))
    assert page.model.setData(index, "Ada Lovelace")
    ref = page.model.row_at(0)["ref"]
    stored = {f["ref"]: f for f in records.list_records(window.ws, window.session.uid, "finding")}
    assert stored[ref]["owner"] == "Ada Lovelace"


def test_undo_and_redo_across_pages(qtbot, window) -> None:
    session = window.session
    window.show_step("findings")
    findings_page = window.view.pages["findings"]
    findings_page.add_record({"title": "Temporary finding", "severity": "Low"})
    window.show_step("models")
    models_page = window.view.pages["models"]
    models_page.add_record({"name": "shadow-model"})
    window.show_step("overview")
    undo = window.findChild(type(window.export_action), "undo")
    redo = window.findChild(type(window.export_action), "redo")
    undo.trigger()
    assert "shadow-model" not in [m["name"] for m in session.document["models"]]
    undo.trigger()
    assert "Temporary finding" not in [f["title"] for f in session.document["findings"]]
    redo.trigger()
    redo.trigger()
    assert "Temporary finding" in [f["title"] for f in session.document["findings"]]
    assert "shadow-model" in [m["name"] for m in session.document["models"]]
    from workbench.services.trail import verify_engagement

    assert verify_engagement(window.ws, session.uid).ok


def test_refused_edit_changes_nothing_and_is_not_undoable(qtbot, window) -> None:
    window.show_step("findings")
    page = window.view.pages["findings"]
    depth = window.session.undo_stack.count()
    index = page.model.index(0, page.spec.columns.index("due_date"))
    page.model.setData(index, "next tuesday")
    assert window.session.undo_stack.count() == depth
    assert "not a date" in window.statusBar().currentMessage()


def test_delete_and_undo_restores_same_record(qtbot, window) -> None:
    window.show_step("models")
    page = window.view.pages["models"]
    first = page.model.row_at(0)
    page.select(first["uid"])
    page.table.selectRow(0)
    page.delete_selected()
    assert first["uid"] not in [m["uid"] for m in window.session.document["models"]]
    window.session.undo_stack.undo()
    restored = next(m for m in window.session.document["models"] if m["uid"] == first["uid"])
    assert restored == first


def test_step_list_shows_completeness(window) -> None:
    steps = window.view.steps
    texts = {steps.item(i).text(): steps.item(i).toolTip() for i in range(steps.count())}
    assert "20 findings" in texts["Findings"]


def test_settings_remember_geometry_and_last_engagement(qtbot, window, settings) -> None:
    window.resize(1200, 700)
    window.close()
    assert settings.value("session/last_engagement") == window.ws.sample_uid
    assert settings.value("window/geometry") is not None
