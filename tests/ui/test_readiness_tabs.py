"""The go-live readiness and document-control tabs, driven as an auditor would: the sample's rows shown,
a row added and edited through the shared matrix machinery (one undo step each, audited), the page pictured."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from tests.helpers.qt import column_named, edit_cell, matrix_rows
from workbench.domain.matrices import DOCUMENT_KINDS, READINESS_KINDS
from workbench.services.trail import verify_engagement


def test_every_readiness_and_document_kind_has_a_tab_holding_the_sample(qtbot, window) -> None:
    window.show_step("matrices")
    page = window.view.pages["matrices"]
    titles = [page.groups.tabText(i) for i in range(page.groups.count())]
    assert titles == ["Go-live readiness", "Supporting matrices", "Document control"]
    for kind in (*READINESS_KINDS, *DOCUMENT_KINDS):
        tab = page.tab[kind]
        assert tab.model.rowCount() == len(matrix_rows(window, kind)) > 0, kind
    readiness = page.group_tabs["readiness"]
    assert readiness.tabText(readiness.indexOf(page.tab["checklist"])) == "Pre-production checklist (20)"


def test_a_checklist_item_is_added_prioritised_and_undone(qtbot, window) -> None:
    window.show_step("matrices")
    page = window.view.pages["matrices"]
    assert page.reveal("matrix", matrix_rows(window, "checklist")[0]["uid"])
    assert page.current_tab() is page.tab["checklist"]
    tab = page.tab["checklist"]
    before = len(matrix_rows(window, "checklist"))
    uid = tab.add_row()
    assert uid and len(matrix_rows(window, "checklist")) == before + 1
    row = tab.model.row_of(uid)
    edit_cell(qtbot, tab.table, row, column_named(tab.model, "priority"), QComboBox,
              lambda combo: combo.setCurrentIndex(combo.findData("nice")))
    stored = next(r for r in matrix_rows(window, "checklist") if r["uid"] == uid)
    assert stored["data"]["priority"] == "nice"
    assert tab.model.headerData(column_named(tab.model, "priority"), Qt.Orientation.Horizontal) == "Priority"
    assert verify_engagement(window.ws, window.session.uid).ok
    window.session.undo_stack.undo()
    window.session.undo_stack.undo()
    assert len(matrix_rows(window, "checklist")) == before


def test_readiness_page_picture(qtbot, window, tmp_path: Path) -> None:
    window.resize(1366, 768)
    window.show_step("matrices")
    page = window.view.pages["matrices"]
    page.groups.setCurrentWidget(page.group_tabs["readiness"])
    page.group_tabs["readiness"].setCurrentWidget(page.tab["readiness"])
    qtbot.wait(50)
    picture = window.grab()
    assert picture.save(str(tmp_path / "readiness.png"))
    assert picture.width() >= 1366


def test_report_wording_is_edited_in_the_preferences(qtbot) -> None:
    from workbench.services.preferences import load_preferences
    from workbench.ui.firm_text_dialog import FirmTextDialog

    dialog = FirmTextDialog()
    qtbot.addWidget(dialog)
    assert "{client}" in dialog.notice.toPlainText()
    dialog.notice.setPlainText("Only for {client}.")
    dialog.method.setPlainText("Our method.")
    dialog.save()
    saved = load_preferences()
    assert (saved.important_notice, saved.methodology) == ("Only for {client}.", "Our method.")
    assert saved.branding().notice_for("Acme") == "Only for Acme."
