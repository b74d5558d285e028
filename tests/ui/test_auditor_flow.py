"""An auditor's first hour, through the real widgets: keys, clicks and the dialogs they open.

Other test modules call page methods for finer cases; here every step is what a person does:
menu shortcuts, typing into dialogs, the keyboard in the checklist, Ctrl+Z / Ctrl+Shift+Z.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QDialogButtonBox, QLineEdit, QWidget

from tests.helpers.qt import activate, on_next_dialog, press
from workbench.services import records

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def focus(qtbot, window, widget: QWidget) -> None:
    activate(qtbot, window)
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(widget.hasFocus)


def ok_button(dialog: QDialog) -> QWidget:
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)


@pytest.fixture
def active(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def test_new_engagement_checklist_by_keyboard_levels_and_overview_score(qtbot, active) -> None:
    window = active
    window.show_library()

    def fill(dialog: QDialog) -> None:
        client = dialog.findChild(QComboBox)
        qtbot.keyClicks(client.lineEdit(), "Harbour Logistics")
        title = dialog.title_edit
        qtbot.mouseClick(title, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(title, "Route optimiser audit")
        qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)

    problems = on_next_dialog(qtbot, fill)
    press(qtbot, window, Qt.Key.Key_N, CTRL | SHIFT)  # File > New engagement…
    assert not problems, problems
    session = window.session
    assert session is not None and session.document["engagement"]["title"] == "Route optimiser audit"
    assert session.document["client"]["name"] == "Harbour Logistics"

    overview = window.view.pages["overview"]
    assert "Not scored yet" in overview.score_label.text()
    press(qtbot, window, Qt.Key.Key_3, CTRL)  # Go > Assessment
    page = window.view.pages["assessment"]
    assert window.view.stack.currentWidget() is page
    focus(qtbot, window, page.checklist)
    first = page.dimension()
    asked: list[str] = []
    page.edits.ask_na_reason = lambda item_id: asked.append(item_id) or ""  # "not applicable" needs a reason: none
    for key in (Qt.Key.Key_Y, Qt.Key.Key_Y, Qt.Key.Key_P, Qt.Key.Key_N, Qt.Key.Key_A):
        qtbot.keyClick(page.checklist, key)
    answers = {r["item_id"]: r["answer"] for r in session.document["checklist"]}
    assert first.items[4].id not in answers and asked == [first.items[4].id]  # nothing was recorded
    page.edits.ask_na_reason = lambda item_id: "Routes are planned once a day; no streaming data"
    qtbot.keyClick(page.checklist, Qt.Key.Key_A)
    answers = {r["item_id"]: r["answer"] for r in session.document["checklist"]}
    assert [answers[item.id] for item in first.items[:5]] == ["yes", "yes", "partial", "no", "na"]
    notes = {r["item_id"]: r["note"] for r in session.document["checklist"]}
    assert notes[first.items[4].id] == "Routes are planned once a day; no streaming data"

    focus(qtbot, window, page.level_picker)
    qtbot.keyClick(page.level_picker, Qt.Key.Key_3)
    level = next(a for a in session.document["assessments"] if a["dimension_id"] == first.id)
    assert level["current_level"] == 3
    press(qtbot, window, Qt.Key.Key_1, CTRL)  # Go > Overview
    assert window.view.stack.currentWidget() is overview
    # the AI/ML infrastructure template shows its score out of 5, reasons included
    assert "<b>3</b> / 5" in overview.score_label.text() and "provisional" in overview.score_label.text()
    assert "score 3 is below 3.75" in overview.score_label.text()
    assert "5 of 78 checklist items answered (6 %)" in overview.score_label.text()
    assert "Checklist 5/" in window.view.steps.item(2).toolTip()


def test_finding_from_library_edited_filtered_and_undone_across_pages(qtbot, active) -> None:
    window = active
    session = window.session
    press(qtbot, window, Qt.Key.Key_4, CTRL)  # Go > Findings
    page = window.view.pages["findings"]
    before = len(session.document["findings"])

    def pick(dialog: QDialog) -> None:
        qtbot.keyClicks(dialog.findChild(QLineEdit, "librarySearch"), "model registry")
        assert dialog.list.count() >= 1
        qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)

    problems = on_next_dialog(qtbot, pick)
    qtbot.mouseClick(page.library.add_button, Qt.MouseButton.LeftButton)
    assert not problems, problems
    added = page.current_record()
    assert len(session.document["findings"]) == before + 1 and "registry" in added["title"].lower()

    # edit it in the form: type a new owner, Tab away (saved at once)
    owner = page.form.editors["owner"]
    focus(qtbot, window, owner)
    owner.selectAll()
    qtbot.keyClicks(owner, "Platform team")
    qtbot.keyClick(owner, Qt.Key.Key_Tab)
    stored = next(f for f in records.list_records(window.ws, session.uid, "finding") if f["uid"] == added["uid"])
    assert stored["owner"] == "Platform team"

    # filter by severity with the keyboard: the combo jumps to "Critical" on its first letter
    severity = page.filter_boxes["severity"]
    focus(qtbot, window, severity)
    qtbot.keyClick(severity, Qt.Key.Key_C)
    shown = page.model.visible_rows()
    assert severity.currentData() == "Critical" and shown and {r["severity"] for r in shown} == {"Critical"}
    assert page.count_label.text().startswith(f"{len(shown)} of {before + 1} shown · ")  # then hours and cost
    qtbot.keyClick(severity, Qt.Key.Key_Home)
    assert page.model.rowCount() == before + 1

    # another page, then Ctrl+Z twice: the owner edit, then the added finding; Ctrl+Shift+Z brings both back
    press(qtbot, window, Qt.Key.Key_5, CTRL)  # Go > Model inventory
    models = window.view.pages["models"]
    qtbot.mouseClick(models.add_button, Qt.MouseButton.LeftButton)
    assert len(session.document["models"]) == 8
    for _ in range(3):
        press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert len(session.document["models"]) == 7
    assert all(f["uid"] != added["uid"] for f in session.document["findings"])
    press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    again = next(f for f in session.document["findings"] if f["uid"] == added["uid"])
    assert again["owner"] == "Platform team"


def test_inventory_csv_with_one_bad_row_imports_nothing_and_names_the_row(qtbot, active, tmp_path: Path,
                                                                          monkeypatch) -> None:
    window = active
    session = window.session
    csv = tmp_path / "inventory.csv"
    csv.write_text("Name,Version,Deployment,Latency ms\n"
                   "ranker,3.2,streaming,12\n"
                   "scorer,1.0,carrier pigeon,30\n"
                   "embedder,0.9,batch,80\n", encoding="utf-8")
    monkeypatch.setattr("workbench.ui.record_page.QFileDialog.getOpenFileName",
                        lambda *_a, **_k: (str(csv), "Spreadsheets"))
    press(qtbot, window, Qt.Key.Key_5, CTRL)
    page = window.view.pages["models"]
    before = list(session.document["models"])
    depth = session.undo_stack.count()
    seen: dict[str, object] = {}

    def inspect(dialog: QDialog) -> None:
        seen["errors"] = [dialog.errors.item(i).text() for i in range(dialog.errors.count())]
        seen["summary"] = dialog.summary.text()
        seen["import enabled"] = dialog.import_button.isEnabled()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    problems = on_next_dialog(qtbot, inspect)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert not problems, problems
    assert seen["import enabled"] is False
    assert len(seen["errors"]) == 1 and "line 3" in seen["errors"][0] and "carrier pigeon" in seen["errors"][0]
    assert "1 of 3 rows have problems" in seen["summary"]
    assert session.document["models"] == before and session.undo_stack.count() == depth


def test_heat_map_cell_click_filters_the_register(qtbot, active) -> None:
    from workbench.charts.heatmap import heatmap_axes

    window = active
    press(qtbot, window, Qt.Key.Key_6, CTRL)  # Go > Risks
    page = window.view.pages["risks"]
    canvas = page.heatmap
    canvas.draw()
    x, y = heatmap_axes(canvas.figure).transData.transform((5, 3))  # impact 5, likelihood 3
    ratio = canvas.device_pixel_ratio
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton,
                     pos=QPoint(round(x / ratio), round((canvas.figure.bbox.height - y) / ratio)))
    shown = page.model.visible_rows()
    assert shown and all((r["likelihood"], r["impact"]) == (3, 5) for r in shown)
    assert len(shown) < len(window.session.document["risks"])
