"""Matrices and evidence driven as an auditor would: cell editors, totals, undo, files, links, previews."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QComboBox, QDoubleSpinBox, QProgressBar

from tests.helpers.qt import column_named, edit_cell, matrix_rows
from workbench.domain.matrices import TOOL_RINGS


def test_compliance_cell_edit_and_new_regime(qtbot, window, monkeypatch) -> None:
    window.show_step("matrices")
    page = window.view.pages["matrices"]
    tab = page.tab["compliance"]
    headers = [tab.model.headerData(i, Qt.Orientation.Horizontal) for i in range(tab.model.columnCount())]
    assert headers[:5] == ["Requirement", "GDPR", "HIPAA", "SOC 2", "ISO 27001"]
    row = next(i for i in range(tab.model.rowCount()) if tab.model.row_at(i)["requirement"] == "Right to delete")
    edit_cell(qtbot, tab.table, row, column_named(tab.model, "regime:HIPAA"), QComboBox,
              lambda combo: combo.setCurrentIndex(combo.findData("partial")))
    stored = next(r for r in matrix_rows(window, "compliance") if r["data"]["requirement"] == "Right to delete")
    assert stored["data"]["regimes"]["HIPAA"] == "partial"
    edit_cell(qtbot, tab.table, row, column_named(tab.model, "status"), QComboBox,
              lambda combo: combo.setCurrentIndex(combo.findData("met")))
    stored = next(r for r in matrix_rows(window, "compliance") if r["uid"] == stored["uid"])
    assert stored["data"]["status"] == "met"
    assert "Met 2" in tab.summary.text()
    window.session.undo_stack.undo()
    window.session.undo_stack.undo()
    stored = next(r for r in matrix_rows(window, "compliance") if r["uid"] == stored["uid"])
    assert stored["data"]["regimes"]["HIPAA"] == "n/a" and stored["data"]["status"] == "partial"

    # a new regime becomes a column, stored on every requirement; undo takes it away again
    monkeypatch.setattr("workbench.ui.pages.matrix_tab.QInputDialog.getText",
                        lambda *_a, **_k: ("EU AI Act", True))
    tab.column_buttons[0].click()
    assert all(r["data"]["regimes"]["EU AI Act"] == "n/a" for r in matrix_rows(window, "compliance"))
    assert "EU AI Act" in [tab.model.headerData(i, Qt.Orientation.Horizontal)
                           for i in range(tab.model.columnCount())]
    window.session.undo_stack.undo()
    assert all("EU AI Act" not in r["data"]["regimes"] for r in matrix_rows(window, "compliance"))
    assert "EU AI Act" not in [tab.model.headerData(i, Qt.Orientation.Horizontal)
                               for i in range(tab.model.columnCount())]


def test_platform_score_changes_totals_and_leader(qtbot, window) -> None:
    window.show_step("matrices")
    page = window.view.pages["matrices"]
    page.tabs.setCurrentWidget(page.tab["platform"])
    tab = page.tab["platform"]
    assert tab.totals.totals == {"Vertex AI": 4.15, "SageMaker": 3.95, "Kubeflow": 3.7, "MLflow": 3.6}
    assert tab.totals.leaders() == ("Vertex AI",)
    assert "★ Vertex AI" in [tab.model.headerData(i, Qt.Orientation.Horizontal)
                             for i in range(tab.model.columnCount())]
    cost = next(i for i in range(tab.model.rowCount()) if tab.model.row_at(i)["criterion"] == "Cost")
    edit_cell(qtbot, tab.table, cost, column_named(tab.model, "score:SageMaker"), QDoubleSpinBox,
              lambda spin: spin.setValue(5))
    stored = next(r for r in matrix_rows(window, "platform") if r["data"]["criterion"] == "Cost")
    assert stored["data"]["scores"]["SageMaker"] == 5
    assert tab.totals.totals["SageMaker"] == 4.4 and tab.totals.leaders() == ("SageMaker",)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    bars = {bar.objectName(): bar.format() for bar in tab.totals.findChildren(QProgressBar)}
    assert bars == {"total_SageMaker": "4.40", "total_Vertex AI": "4.15", "total_Kubeflow": "3.70",
                    "total_MLflow": "3.60"}
    assert not tab.totals.weights.property("warning")
    # a weight that breaks the sum of 1 is flagged at once
    edit_cell(qtbot, tab.table, cost, column_named(tab.model, "weight"), QDoubleSpinBox,
              lambda spin: spin.setValue(0.3))
    assert tab.totals.weights.property("warning")
    assert "not 1" in tab.totals.weights.text()
    window.session.undo_stack.undo()
    assert not tab.totals.weights.property("warning")
    # a new platform gets a 0 on every criterion
    assert tab.add_column("Databricks")
    assert all(r["data"]["scores"]["Databricks"] == 0 for r in matrix_rows(window, "platform"))
    assert tab.totals.totals["Databricks"] == 0


def test_tools_grouped_by_ring_add_delete_undo(qtbot, window) -> None:
    window.show_step("matrices")
    page = window.view.pages["matrices"]
    tab = page.tab["tool"]
    page.tabs.setCurrentWidget(tab)
    rings = [row["ring"] for row in tab.model.visible_rows()]
    assert rings == sorted(rings, key=TOOL_RINGS.index)
    before = len(matrix_rows(window, "tool"))
    tab.add_button.click()
    added = [r for r in matrix_rows(window, "tool") if r["data"]["tool"] == "New tool"]
    assert len(added) == 1 and added[0]["data"]["ring"] == "assess"
    assert tab.current_uid() == added[0]["uid"]
    edit_cell(qtbot, tab.table, tab.model.row_of(added[0]["uid"]), column_named(tab.model, "ring"), QComboBox,
              lambda combo: combo.setCurrentIndex(combo.findData("hold")))
    assert next(r for r in matrix_rows(window, "tool") if r["uid"] == added[0]["uid"])["data"]["ring"] == "hold"
    tab.filter_box.setCurrentIndex(tab.filter_box.findData("hold"))
    assert {row["ring"] for row in tab.model.visible_rows()} == {"hold"}
    tab.filter_box.setCurrentIndex(0)
    tab.select(added[0]["uid"])
    tab.delete_button.click()
    assert len(matrix_rows(window, "tool")) == before
    window.session.undo_stack.undo()  # the delete
    back = next(r for r in matrix_rows(window, "tool") if r["uid"] == added[0]["uid"])
    assert back["data"]["ring"] == "hold"
    window.session.undo_stack.undo()  # the ring edit
    window.session.undo_stack.undo()  # the add
    assert len(matrix_rows(window, "tool")) == before
    assert page.tabs.tabText(page.tabs.indexOf(tab)) == f"Tool evaluation ({before})"


def test_monitoring_search_and_status_colours(window) -> None:
    window.show_step("matrices")
    tab = window.view.pages["matrices"].tab["monitoring"]
    rows = matrix_rows(window, "monitoring")
    latency = [row for row in rows if "latency" in str(row["data"]).lower()]
    total = len(rows)
    tab.search.setText("latency")
    assert 0 < len(latency) < total
    assert tab.model.rowCount() == len(latency)
    assert f"{len(latency)} of {total} shown" in tab.summary.text()
    status = tab.model.index(0, column_named(tab.model, "status"))
    assert tab.model.data(status, Qt.ItemDataRole.BackgroundRole) is not None


def make_png(path: Path) -> Path:
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#0072B2"))
    assert image.save(str(path))
    return path


def evidence_named(window, name: str) -> dict:
    return next(e for e in window.session.document["evidence"] if e["file_name"] == name)


def test_evidence_attach_preview_link_copy_remove_undo(qtbot, window, tmp_path, monkeypatch) -> None:
    import workbench.ui.pages.evidence as evidence_page

    png = make_png(tmp_path / "dashboard.png")
    notes = tmp_path / "notes.txt"
    notes.write_text("Interview with the on-call engineer.\nNo alert fired for the drift.\n", encoding="utf-8")
    window.show_step("evidence")
    page = window.view.pages["evidence"]
    before = len(window.session.document["evidence"])

    class FakeFileDialog:
        @staticmethod
        def getOpenFileNames(*_args, **_kwargs):  # noqa: N802
            return [str(png), str(notes)], ""

    monkeypatch.setattr(evidence_page, "QFileDialog", FakeFileDialog)
    page.buttons["attach"].click()
    qtbot.waitUntil(lambda: len(window.session.document["evidence"]) == before + 2)
    image_record = evidence_named(window, "dashboard.png")
    assert image_record["sha256"] == hashlib.sha256(png.read_bytes()).hexdigest()
    assert image_record["media_type"] == "image/png"

    # previews: the image scaled in a label, the text in monospace
    page.select(image_record["uid"])
    assert page.preview.stack.currentWidget() is page.preview.image
    assert page.preview.image.original.size().toTuple() == (40, 30)
    page.select(evidence_named(window, "notes.txt")["uid"])
    assert page.preview.stack.currentWidget() is page.preview.text
    assert "No alert fired" in page.preview.text.toPlainText()
    size_column = next(i for i, c in enumerate(page.model.columns) if c.field.name == "size")
    assert page.model.data(page.model.index(page.table.currentIndex().row(), size_column)).endswith(" B")

    # link the image to a finding through the dialog
    finding = next(f for f in window.session.document["findings"] if f["ref"] == "F-003")
    page.select(image_record["uid"])

    def choose_finding(dialog) -> int:
        group = dialog.tree.topLevelItem(0)
        target = next(group.child(i) for i in range(group.childCount()) if group.child(i).text(0).startswith("F-003"))
        target.setSelected(True)
        return 1

    monkeypatch.setattr(evidence_page.LinkDialog, "exec", choose_finding)
    page.buttons["link"].click()
    links = evidence_named(window, "dashboard.png")["links"]
    assert [(link["target_kind"], link["target_key"]) for link in links] == [("finding", finding["uid"])]
    linked_column = next(i for i, c in enumerate(page.model.columns) if c.field.name == "linked")
    assert page.model.data(page.model.index(page.table.currentIndex().row(), linked_column)) == "F-003"
    assert page.links.count() == 1 and "F-003" in page.links.item(0).text()

    # unlink and undo
    page.links.setCurrentRow(0)
    page.unlink_button.click()
    assert evidence_named(window, "dashboard.png")["links"] == []
    window.session.undo_stack.undo()
    assert len(evidence_named(window, "dashboard.png")["links"]) == 1

    # edit the description inline
    description = next(i for i, c in enumerate(page.model.columns) if c.field.name == "description")
    assert page.model.setData(page.model.index(page.table.currentIndex().row(), description), "Grafana, 3 March")
    assert evidence_named(window, "dashboard.png")["description"] == "Grafana, 3 March"

    # save a copy: same bytes, the workspace untouched
    depth = window.session.undo_stack.count()
    copy = tmp_path / "out" / "copy.png"
    copy.parent.mkdir()
    page.save_copy(copy)
    qtbot.waitUntil(copy.exists)
    qtbot.waitUntil(lambda: copy.stat().st_size == png.stat().st_size)
    assert copy.read_bytes() == png.read_bytes()
    assert window.session.undo_stack.count() == depth

    # remove, then undo re-attaches the same file with its links and description
    kept = evidence_named(window, "dashboard.png")
    page.select(kept["uid"])
    page.buttons["remove"].click()
    qtbot.waitUntil(lambda: all(e["uid"] != kept["uid"] for e in window.session.document["evidence"]))
    window.session.undo_stack.undo()
    back = evidence_named(window, "dashboard.png")
    assert back["uid"] == kept["uid"] and back["sha256"] == kept["sha256"]
    assert back["description"] == "Grafana, 3 March" and back["captured_at"] == kept["captured_at"]
    assert [(link["target_kind"], link["target_key"]) for link in back["links"]] == [("finding", finding["uid"])]
    from workbench.services.evidence import read_evidence

    assert read_evidence(window.ws, window.session.uid, back["uid"])[1] == png.read_bytes()
    window.session.undo_stack.redo()
    assert all(e["uid"] != kept["uid"] for e in window.session.document["evidence"])


def test_evidence_drop_files_search_and_no_preview(qtbot, window, tmp_path) -> None:
    window.show_step("evidence")
    page = window.view.pages["evidence"]
    archive = tmp_path / "logs.tar.gz"
    archive.write_bytes(b"\x1f\x8b" + bytes(range(256)) * 8)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(archive))])
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    page.dropEvent(drop)
    qtbot.waitUntil(lambda: any(e["file_name"] == "logs.tar.gz" for e in window.session.document["evidence"]))
    record = evidence_named(window, "logs.tar.gz")
    page.search.setText("logs.tar")
    assert [row["uid"] for row in page.model.visible_rows()] == [record["uid"]]
    page.select(record["uid"])
    assert page.preview.stack.currentWidget() is page.preview.message
    message = page.preview.message.text()
    assert "No preview is available" in message and record["sha256"] in message and "KB" in message
    assert page.hash_field.text() == record["sha256"]
    page.search.clear()
    assert page.model.rowCount() == len(window.session.document["evidence"])


def test_empty_matrix_platform_then_first_criterion(qtbot, window) -> None:
    from workbench.services.engagements import create_engagement

    uid = create_engagement(window.ws, client="Acme Analytics", title="Empty matrices")
    window.open_engagement(uid)
    window.show_step("matrices")
    page = window.view.pages["matrices"]
    tab = page.tab["platform"]
    assert tab.empty_label.isVisibleTo(tab) and not tab.table.isVisibleTo(tab)
    assert tab.add_column("MLflow") and tab.add_column("SageMaker")
    assert not tab.add_column("MLflow")  # a second column of the same name is refused
    tab.add_button.click()
    (row,) = matrix_rows(window, "platform")
    assert row["data"]["scores"] == {"MLflow": 0, "SageMaker": 0}
    assert tab.totals.weights.property("warning")  # one criterion of weight 0: the weights do not sum to 1
    assert page.tab["compliance"].names() == ["GDPR", "HIPAA", "SOC 2", "ISO 27001"]


def test_final_engagement_is_read_only(window) -> None:
    window.show_step("matrices")
    window.show_step("evidence")
    session = window.session
    session.document["engagement"]["locked_at"] = "2026-03-01T12:00:00Z"  # as a finalised engagement reads
    session.changed.emit({"engagement"})
    matrices = window.view.pages["matrices"]
    for tab in matrices.tab.values():
        assert not tab.add_button.isEnabled() and not tab.delete_button.isEnabled()
        assert tab.model.read_only
        assert not tab.model.flags(tab.model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    evidence = window.view.pages["evidence"]
    assert not evidence.buttons["attach"].isEnabled() and not evidence.buttons["remove"].isEnabled()
    assert evidence.buttons["save"].isEnabled()  # reading and saving a copy stay possible
    assert evidence.model.read_only


def test_ctrl_n_and_ctrl_f_act_on_the_tab_shown(qtbot, window, monkeypatch) -> None:
    import workbench.ui.pages.evidence as evidence_page

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.show_step("matrices")
    page = window.view.pages["matrices"]
    page.tabs.setCurrentWidget(page.tab["monitoring"])
    before = len(matrix_rows(window, "monitoring"))
    qtbot.keyClick(window.view.stack, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Edit > Add row
    assert len(matrix_rows(window, "monitoring")) == before + 1
    assert page.tab["monitoring"].model.row_at(page.tab["monitoring"].table.currentIndex().row())["metric"] \
        == "New metric"
    qtbot.keyClick(window.view.stack, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Edit > Find
    assert QApplication.focusWidget() is page.tab["monitoring"].search

    asked: list[str] = []
    monkeypatch.setattr(evidence_page.QFileDialog, "getOpenFileNames",
                        lambda *args, **_k: (asked.append(args[1]), ([], ""))[1])
    window.show_step("evidence")
    qtbot.keyClick(window.view.stack, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["Attach evidence files"]


def test_a_tool_has_its_pros_cons_and_costs_as_columns(qtbot, window) -> None:
    from PySide6.QtWidgets import QLineEdit

    window.show_step("matrices")
    page = window.view.pages["matrices"]
    tab = page.tab["tool"]
    page.tabs.setCurrentWidget(tab)
    headers = [tab.model.headerData(i, Qt.Orientation.Horizontal) for i in range(tab.model.columnCount())]
    assert headers == ["Tool", "Category", "Ring", "Pros", "Cons", "Licence", "Infrastructure", "Operations",
                       "Rationale"]
    tab.add_button.click()
    uid = tab.current_uid()
    added = next(r for r in matrix_rows(window, "tool") if r["uid"] == uid)["data"]
    assert {added[name] for name in ("pros", "cons", "licence_cost", "infrastructure_cost", "operations_cost")} == {""}
    edit_cell(qtbot, tab.table, tab.model.row_of(uid), column_named(tab.model, "licence_cost"), QLineEdit,
              lambda line: line.setText("Free (open source)"))
    stored = next(r for r in matrix_rows(window, "tool") if r["uid"] == uid)["data"]
    assert stored["licence_cost"] == "Free (open source)" and stored["tool"] == "New tool"


def test_pros_and_cons_show_each_item_after_a_bullet_and_keep_the_text_as_typed(qtbot, window) -> None:
    """An item that wraps in its cell must not read as the start of the next one."""
    from workbench.ui.pages.matrix_tables import SPECS, columns_for

    columns = {column.field.name: column for column in columns_for(SPECS["tool"], [])}
    row = {"pros": "Native to FastAPI\n\n  Limits per route and per client ", "cons": ""}
    assert columns["pros"].display(row["pros"], row) == "• Native to FastAPI\n• Limits per route and per client"
    assert columns["cons"].display("", row) == ""
    assert columns["rationale"].display is None  # prose stays prose
    window.show_step("matrices")
    page = window.view.pages["matrices"]
    tab = page.tab["tool"]
    page.tabs.setCurrentWidget(tab)
    tab.add_button.click()
    uid = tab.current_uid()
    index = tab.model.index(tab.model.row_of(uid), column_named(tab.model, "pros"))
    assert tab.model.setData(index, "Cheap\nWell known")
    assert tab.model.data(index) == "• Cheap\n• Well known"
    assert tab.model.data(index, Qt.ItemDataRole.EditRole) == "Cheap\nWell known"
    stored = next(r for r in matrix_rows(window, "tool") if r["uid"] == uid)["data"]
    assert stored["pros"] == "Cheap\nWell known"
