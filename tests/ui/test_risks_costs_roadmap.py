"""Risks, Costs and Roadmap pages, driven as an auditor would: matrix clicks, edits, day rate, drafting."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction

from workbench.charts.heatmap import heatmap_axes
from workbench.services import records


def refs(page) -> set[str]:
    return {row["ref"] for row in page.model.visible_rows()}


def click_cell(qtbot, page, likelihood: int, impact: int) -> None:
    """A real left click on the centre of a heat-map cell (Qt → matplotlib → the page)."""
    canvas = page.heatmap
    canvas.draw()  # lay the figure out so data coordinates map to pixels
    ax = heatmap_axes(canvas.figure)
    assert ax is not None
    x, y = ax.transData.transform((impact, likelihood))
    ratio = canvas.device_pixel_ratio
    point = QPoint(round(x / ratio), round((canvas.figure.bbox.height - y) / ratio))
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=point)


def test_heatmap_cell_filters_the_register_and_clears(qtbot, window) -> None:
    window.show_step("risks")
    page = window.view.pages["risks"]
    assert page.objectName() == "page_risks"
    assert len(refs(page)) == 9

    click_cell(qtbot, page, 4, 4)
    assert page.cell == (4, 4)
    assert refs(page) == {"R-02", "R-03", "R-04"}
    assert "likelihood 4 × impact 4" in page.cell_label.text()
    assert page.heatmap.data.selected == (4, 4)

    click_cell(qtbot, page, 4, 4)  # the same cell again shows everything
    assert page.cell is None and len(refs(page)) == 9

    click_cell(qtbot, page, 2, 5)
    assert refs(page) == {"R-05"}
    assert page.show_all_button.isEnabled()
    qtbot.mouseClick(page.show_all_button, Qt.MouseButton.LeftButton)
    assert page.cell is None and len(refs(page)) == 9 and not page.show_all_button.isEnabled()

    click_cell(qtbot, page, 1, 1)  # an empty cell: nothing matches, the table says so
    assert refs(page) == set() and "0 of 9" in page.cell_label.text()


def test_score_column_is_computed_and_coloured_by_zone(qtbot, session) -> None:
    from workbench.ui.pages.risks import RisksPage

    page = RisksPage(session)
    qtbot.addWidget(page)
    column = page.column_of("score")
    first = page.model.index(0, column)
    assert page.model.headerData(column, Qt.Orientation.Horizontal) == "Score"
    assert first.data() == "16"  # sorted worst first
    assert first.data(Qt.ItemDataRole.BackgroundRole).color().name().upper() == "#882255"  # Critical zone
    assert not page.model.flags(first) & Qt.ItemFlag.ItemIsEditable


def test_editing_likelihood_updates_the_heatmap_live(qtbot, window, sample_ws) -> None:
    window.show_step("risks")
    page = window.view.pages["risks"]
    counts = page.heatmap.data.data.counts
    assert counts[1][3] == 1 and counts[4][3] == 0  # R-09 is likelihood 2 × impact 4
    risk = next(r for r in page.session.records("risks") if r["ref"] == "R-09")
    page.select(risk["uid"])
    combo = page.form.editors["likelihood"]
    combo.setCurrentIndex(combo.findData(5))
    combo.activated.emit(combo.currentIndex())

    stored = next(r for r in records.list_records(sample_ws, sample_ws.sample_uid, "risk") if r["ref"] == "R-09")
    assert stored["likelihood"] == 5
    after = page.heatmap.data.data.counts
    assert after[1][3] == counts[1][3] - 1 and after[4][3] == 1
    assert "Score 20" in page.form.heading.text()

    window.findChild(QAction, "undo").trigger()
    assert page.heatmap.data.data.counts == counts


def test_day_rate_changes_the_remediation_rollup(qtbot, session) -> None:
    from workbench.domain.costs import CostBasis
    from workbench.services.preferences import load_preferences, update_preferences
    from workbench.ui.pages.costs import CostsPage

    update_preferences(day_rate=1000)
    page = CostsPage(session)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentIndex(2)
    table = page.rollup_table
    total_row = table.rowCount() - 1
    assert table.item(total_row, 0).text() == "Total"
    assert page.day_rate.value() == 1000
    assert table.item(total_row, 2).text() == "58.25 h"  # open findings of the sample, hours
    open_hours = [f["effort_hours"] for f in session.document["findings"]
                  if f["status"] in ("open", "in_remediation")]

    def priced(rate: int) -> int:  # each finding rounded half up to a whole unit, then added (domain.costs)
        return sum(CostBasis(rate).cost(hours) or 0 for hours in open_hours)

    assert priced(1000) == 7284  # the exact 58.25 h × €125 would be €7,281.25
    assert table.item(total_row, 4).text() == "€7,284"

    page.day_rate.lineEdit().selectAll()
    qtbot.keyClicks(page.day_rate.lineEdit(), "800")
    qtbot.keyClick(page.day_rate.lineEdit(), Qt.Key.Key_Return)
    assert table.item(total_row, 4).text() == f"€{priced(800):,}"
    assert load_preferences().day_rate == 800  # the same rate `workbench report` and the welcome page use

    page.currency.setCurrentText("USD")
    assert table.item(total_row, 4).text() == f"${priced(800):,}"
    assert load_preferences().currency == "USD"

    count = len(session.records("costs"))
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)  # keep the total as a cost item
    recorded = [c for c in session.records("costs") if c["name"].startswith("Remediation of open findings")]
    assert len(session.records("costs")) == count + 1
    assert (recorded[0]["kind"], recorded[0]["estimated_cost"], recorded[0]["currency"]) == \
        ("remediation", priced(800), "USD")
    session.undo_stack.undo()
    assert len(session.records("costs")) == count

    page.scope.setCurrentIndex(page.scope.findData("all"))
    assert table.item(total_row, 1).text() == "20"
    critical = table.item(0, 0).text(), table.item(0, 1).text()
    assert critical == ("Critical", "5")


def test_cost_kind_filter_matrix_and_budget_totals(qtbot, session) -> None:
    from workbench.ui.pages.costs import CostsPage

    page = CostsPage(session)
    qtbot.addWidget(page)
    assert len(page.matrix.data.items) == 3  # optimisation items only
    box = page.filter_boxes["kind"]
    box.setCurrentIndex(box.findData("budget"))
    assert {r["name"][:7] for r in page.model.visible_rows()} == {"Managed", "Observa"}
    budget = [page.totals.item(r, 3).text() for r in range(page.totals.rowCount())
              if page.totals.item(r, 0).text() == "Budget lines"]
    assert budget == ["€18,600"]

    box.setCurrentIndex(box.findData("optimisation"))
    assert len(page.model.visible_rows()) == 3
    optimisation = next(r for r in session.records("costs") if r["kind"] == "optimisation")
    page.select(optimisation["uid"])
    combo = page.form.editors["effort"]
    combo.setCurrentIndex(combo.findData("high"))
    combo.activated.emit(combo.currentIndex())
    assert (optimisation["name"], optimisation["impact"], "high") in \
        [(name, impact, effort) for name, impact, effort, _cost in page.matrix.data.items]


def deleted_rows(page, phases: tuple[str, ...]) -> None:
    from PySide6.QtCore import QItemSelectionModel

    selection = page.table.selectionModel()
    selection.clearSelection()
    for row in range(page.model.rowCount()):
        if page.model.row_at(row)["phase"].startswith(phases):
            selection.select(page.model.index(row, 0),
                             QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    page.delete_selected()


def run_dialog(qtbot, page, accept: bool) -> dict:
    from workbench.ui.pages.roadmap import DraftDialog

    seen: dict = {}
    timer = QTimer(page, interval=20)

    def answer() -> None:  # runs inside the dialog's own event loop once it is open
        dialog = page.findChild(DraftDialog)
        if dialog is None or not dialog.isVisible():
            return
        timer.stop()
        seen["summary"] = dialog.summary.text()
        seen["rows"] = dialog.preview.rowCount()
        (dialog.ok_button.click if accept else dialog.reject)()
        dialog.deleteLater()

    timer.timeout.connect(answer)
    timer.start()
    qtbot.mouseClick(page.draft_button, Qt.MouseButton.LeftButton)
    timer.stop()
    return seen


def test_draft_roadmap_accept_is_one_undoable_step(qtbot, window, sample_ws) -> None:
    window.show_step("roadmap")
    page = window.view.pages["roadmap"]
    key = sample_ws.sample_uid
    deleted_rows(page, ("Week 4", "Rollout 3"))  # F-013…F-015, F-017, F-018, F-019 are now unplanned
    before = records.list_records(sample_ws, key, "roadmap")
    assert len(before) == 5
    assert "6 open findings are not on the roadmap" in page.unplanned.text()
    stack = page.session.undo_stack
    depth = stack.count()

    seen = run_dialog(qtbot, page, accept=False)
    assert seen["rows"] == 3
    assert records.list_records(sample_ws, key, "roadmap") == before and stack.count() == depth

    seen = run_dialog(qtbot, page, accept=True)
    assert "12 open findings are already on the roadmap" in seen["summary"]
    after = records.list_records(sample_ws, key, "roadmap")
    added = [r for r in after if r["uid"] not in {b["uid"] for b in before}]
    assert len(added) == 3 and stack.count() == depth + 1
    assert sorted(ref for r in added for ref in r["finding_refs"]) == ["F-013", "F-014", "F-015", "F-017",
                                                                        "F-018", "F-019"]
    assert all(r["start_date"] and r["end_date"] and r["success_metric"].startswith("Done when") for r in added)
    assert page.model.total == 8 and len(page.timeline.data.items) == 8
    assert "Every open finding is on the roadmap" in page.unplanned.text()

    window.findChild(QAction, "undo").trigger()  # one undo removes the whole draft
    assert records.list_records(sample_ws, key, "roadmap") == before
    assert page.model.total == 5
    window.findChild(QAction, "redo").trigger()
    assert {r["uid"] for r in records.list_records(sample_ws, key, "roadmap")} == {r["uid"] for r in after}


def test_linked_findings_are_edited_as_a_list_and_checked(qtbot, window, sample_ws) -> None:
    window.show_step("roadmap")
    page = window.view.pages["roadmap"]
    item = page.model.row_at(0)
    page.select(item["uid"])
    editor = page.form.editors["finding_refs"]
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, "F-001, F-020")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    stored = next(r for r in records.list_records(sample_ws, sample_ws.sample_uid, "roadmap")
                  if r["uid"] == item["uid"])
    assert stored["finding_refs"] == ["F-001", "F-020"]

    editor.selectAll()
    qtbot.keyClicks(editor, "F-001, F-404")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    stored = next(r for r in records.list_records(sample_ws, sample_ws.sample_uid, "roadmap")
                  if r["uid"] == item["uid"])
    assert stored["finding_refs"] == ["F-001", "F-020"]  # refused: no finding F-404
    assert "F-404" in window.statusBar().currentMessage()
