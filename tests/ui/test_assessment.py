"""The health check and assessment steps, driven as an auditor would: keyboard first, then undo."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QFocusEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from tests.helpers.qt import current_id
from workbench.ui.pages.checklist_model import EVIDENCE_ROLE


def answers(session) -> dict[str, str]:
    return {r["item_id"]: r["answer"] for r in session.document["checklist"]}


def note_of(session, item_id: str) -> str:
    return next(r["note"] for r in session.document["checklist"] if r["item_id"] == item_id)


def level_of(session, dimension_id: str) -> int | None:
    return next(a for a in session.document["assessments"] if a["dimension_id"] == dimension_id)["current_level"]


@pytest.fixture
def page(window):
    window.show_step("assessment")
    page = window.view.pages["assessment"]
    page.checklist.setFocus()
    return page


def test_answer_items_with_the_keyboard_only(qtbot, window, page) -> None:
    session = window.session
    assert page.dimension().id == "DP" and current_id(page) == "DP-01"
    assert answers(session)["DP-01"] == "yes" and answers(session)["DP-04"] == "partial"
    for key in (Qt.Key.Key_N, Qt.Key.Key_P, Qt.Key.Key_Y, Qt.Key.Key_A):
        qtbot.keyClick(page.checklist, key)
    stored = answers(session)
    assert [stored[f"DP-0{i}"] for i in range(1, 5)] == ["no", "partial", "yes", "na"]
    assert current_id(page) == "DP-05"  # each answer moved the cursor on
    qtbot.keyClick(page.checklist, Qt.Key.Key_Backspace)
    assert answers(session)["DP-05"] == "unanswered" and current_id(page) == "DP-06"
    # arrows move without answering; other letters do nothing (no jump-to-item search)
    qtbot.keyClick(page.checklist, Qt.Key.Key_Up)
    qtbot.keyClick(page.checklist, Qt.Key.Key_D)
    assert current_id(page) == "DP-05" and answers(session)["DP-05"] == "unanswered"
    qtbot.keyClick(page.checklist, Qt.Key.Key_U)
    assert answers(session)["DP-05"] == "unanswered" and current_id(page) == "DP-06"
    # the list of dimensions shows answered/total and level
    assert page.dimension_list.item(0).text() == "DP · Data Pipeline  15/16 · L5"
    # Enter edits the note; Enter in the note saves it and the answer is kept
    qtbot.keyClick(page.checklist, Qt.Key.Key_Up)
    qtbot.keyClick(page.checklist, Qt.Key.Key_Up)
    assert current_id(page) == "DP-04"
    qtbot.keyClick(page.checklist, Qt.Key.Key_Return)
    page.note.selectAll()
    qtbot.keyClicks(page.note, "Freshness alert not configured")
    qtbot.keyClick(page.note, Qt.Key.Key_Return)
    assert note_of(session, "DP-04") == "Freshness alert not configured"
    assert answers(session)["DP-04"] == "na"
    # undo restores answer and note, one step at a time
    session.undo_stack.undo()
    assert note_of(session, "DP-04") == "Last-ingest age is shown on the dashboard but nobody is notified when a " \
                                        "tenant goes quiet."
    while session.undo_stack.canUndo():
        session.undo_stack.undo()
    assert answers(session)["DP-01"] == "yes" and answers(session)["DP-04"] == "partial"
    assert answers(session)["DP-05"] == "partial"
    assert page.model.index(0).data(Qt.ItemDataRole.UserRole + 1) == "yes"


def test_moving_past_the_last_item_goes_to_the_next_dimension(qtbot, window, page) -> None:
    session = window.session
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page.show_dimension(0, -1)
    assert current_id(page) == "DP-16"
    qtbot.keyClick(page.checklist, Qt.Key.Key_Down)
    assert page.dimension().id == "MD" and current_id(page) == "MD-01"
    assert page.dimension_list.currentRow() == 1
    qtbot.keyClick(page.checklist, Qt.Key.Key_Up)
    assert page.dimension().id == "DP" and current_id(page) == "DP-16"
    qtbot.keyClick(page.checklist, Qt.Key.Key_3)  # answering the last item (graded: its 3rd option) asks the level
    assert answers(session)["DP-16"] == "automated"
    assert page.dimension().id == "DP" and page.level_picker.hasFocus() and page.level_picker.prompting
    assert page.level_picker.prompt_label.isVisible() and "Its level?" in page.level_picker.prompt_label.text()
    qtbot.keyClick(page.level_picker, Qt.Key.Key_3)  # a digit sets it and goes on
    assert level_of(session, "DP") == 3
    assert page.dimension().id == "MD" and current_id(page) == "MD-01" and page.checklist.hasFocus()
    assert "Model Development" in page.title.text() and not page.level_picker.prompt_label.isVisible()
    # on the very last item of the last dimension the cursor stays put
    last = len(session.framework.dimensions) - 1
    page.show_dimension(last, -1)
    final = current_id(page)
    qtbot.keyClick(page.checklist, Qt.Key.Key_Down)
    assert page.dimension_list.currentRow() == last and current_id(page) == final


def test_level_picker_updates_score_and_overview_and_undo_restores(qtbot, window, page) -> None:
    session = window.session
    page.dimension_list.setCurrentRow(3)
    assert page.dimension().id == "DEP" and level_of(session, "DEP") == 2
    before = session.score.overall
    qtbot.keyClick(page.checklist, Qt.Key.Key_Y)  # DEP-01: no → yes
    assert answers(session)["DEP-01"] == "yes"
    picker = page.level_picker
    assert [picker.cards[n].button.text() for n in (1, 5)] == ["1 · Manual", "5 · Serverless"]
    assert "container images" in picker.cards[3].descriptor.text()
    picker.setFocus()
    qtbot.keyClick(picker, Qt.Key.Key_5)
    assert level_of(session, "DEP") == 5
    after = session.score.overall
    assert after is not None and after > before
    assert "<b>100</b> / 100" in page.score_label.text() and f"<b>{after:g}</b>" in page.score_label.text()
    assert page.dimension_list.item(3).text().endswith("· L5")
    window.show_step("overview")
    assert f"<b>{after:g}</b> / 100" in window.view.pages["overview"].score_label.text()
    # clicking a card picks its level; "not assessed" clears it
    window.show_step("assessment")
    qtbot.mouseClick(picker.cards[3].descriptor, Qt.MouseButton.LeftButton)
    assert level_of(session, "DEP") == 3
    qtbot.keyClick(picker, Qt.Key.Key_0)
    assert level_of(session, "DEP") is None and session.score.provisional
    # Edit > Undo three times: level 3, level 5, then the answer
    undo = window.findChild(QAction, "undo")
    undo.trigger()
    undo.trigger()
    assert level_of(session, "DEP") == 5
    undo.trigger()
    assert level_of(session, "DEP") == 2 and session.score.overall == before
    assert picker.level() == 2 and picker.cards[2].button.isChecked()
    undo.trigger()
    assert answers(session)["DEP-01"] == "no"
    window.show_step("overview")
    assert f"<b>{before:g}</b> / 100" in window.view.pages["overview"].score_label.text()


def test_target_and_justification(qtbot, window, page) -> None:
    session = window.session
    page.target.setCurrentIndex(page.target.findData(5))
    page.target.activated.emit(page.target.currentIndex())
    record = next(a for a in session.document["assessments"] if a["dimension_id"] == "DP")
    assert record["target_level"] == 5
    page.justification.setFocus()
    page.justification.selectAll()
    qtbot.keyClicks(page.justification, "Orchestrated with lineage gaps.")
    QApplication.sendEvent(page.justification, QFocusEvent(QEvent.Type.FocusOut))
    record = next(a for a in session.document["assessments"] if a["dimension_id"] == "DP")
    assert record["justification"] == "Orchestrated with lineage gaps."
    session.undo_stack.undo()
    session.undo_stack.undo()
    record = next(a for a in session.document["assessments"] if a["dimension_id"] == "DP")
    assert record["target_level"] == 4 and record["justification"].startswith("The ingestion pipeline looks")
    assert page.justification.toPlainText().startswith("The ingestion pipeline looks")


def _drop(view, row: int, paths: list[Path]) -> bool:
    """Drag files over an item and drop them (handlers called directly: Qt only routes a Drop from a real drag)."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = QPointF(view.visualRect(view.model().index(row)).center())
    buttons, mods, copy = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, Qt.DropAction.CopyAction
    with warnings.catch_warnings():  # PySide flags Qt's only QDragEnterEvent constructor as deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(point.toPoint(), copy, data, buttons, mods)
    view.dragEnterEvent(enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(point, copy, data, buttons, mods)
    view.dropEvent(drop)
    return drop.isAccepted()


def test_drop_and_attach_evidence_to_checklist_items(qtbot, window, page, tmp_path, monkeypatch) -> None:
    session = window.session
    first, second = tmp_path / "ingest-runs.csv", tmp_path / "dag.png"
    first.write_text("run,status\n1,ok\n", encoding="utf-8")
    second.write_bytes(b"\x89PNG fake")
    before = len(session.document["evidence"])
    assert _drop(page.checklist, 2, [first, second])
    assert len(session.document["evidence"]) == before + 2
    linked = [e for e in session.document["evidence"]
              if any(link["target_kind"] == "checklist_item" and link["target_key"] == "DP-03" for link in e["links"])]
    assert sorted(e["file_name"] for e in linked) == ["dag.png", "ingest-runs.csv"]
    assert current_id(page) == "DP-03" and page.model.index(2).data(EVIDENCE_ROLE) == 2
    assert "ingest-runs.csv" in page.evidence_label.text()
    session.undo_stack.undo()  # one step removes both files
    assert len(session.document["evidence"]) == before and page.model.index(2).data(EVIDENCE_ROLE) == 0
    # the Attach button asks for files, then links them to the current item
    from workbench.ui.pages import assessment

    monkeypatch.setattr(assessment.QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(first)], ""))
    page.checklist.setCurrentIndex(page.model.index(0))
    page.attach_button.click()
    uid = next(e["uid"] for e in session.document["evidence"] if e["file_name"] == "ingest-runs.csv")
    evidence = next(e for e in session.document["evidence"] if e["uid"] == uid)
    assert [(link["target_kind"], link["target_key"]) for link in evidence["links"]] == [("checklist_item", "DP-01")]
    # a missing file is refused in plain words and nothing is attached
    depth = session.undo_stack.count()
    assert not page.edits.attach_evidence("DP-01", [tmp_path / "gone.pdf"])
    assert session.undo_stack.count() == depth and "gone.pdf" in window.statusBar().currentMessage()


def test_health_check_answers_notes_and_undo(qtbot, window) -> None:
    session = window.session
    window.show_step("health")
    page = window.view.pages["health"]
    assert page.verdict.text().count("1 of 5 answered yes") == 1
    row = page.rows["HC-1"]
    assert row.buttons["no"].isChecked()
    qtbot.mouseClick(row.buttons["yes"], Qt.MouseButton.LeftButton)
    stored = {h["question_id"]: h for h in session.document["health_check"]}
    assert stored["HC-1"]["answer"] == "yes" and "2 of 5 answered yes" in page.verdict.text()
    assert row.badge.text() == "YES"
    row.note.selectAll()
    qtbot.keyClicks(row.note, "Rebuilt v3 from tags in the pipeline repo")
    qtbot.keyClick(row.note, Qt.Key.Key_Return)
    stored = {h["question_id"]: h for h in session.document["health_check"]}
    assert stored["HC-1"]["note"] == "Rebuilt v3 from tags in the pipeline repo"
    qtbot.mouseClick(page.rows["HC-2"].buttons["unanswered"], Qt.MouseButton.LeftButton)
    assert "1 of 5 answered yes" in page.verdict.text() and "1 not answered yet" in page.verdict.text()
    for _ in range(3):
        session.undo_stack.undo()
    stored = {h["question_id"]: h for h in session.document["health_check"]}
    assert stored["HC-1"]["answer"] == "no" and stored["HC-1"]["note"].startswith("Code and environment")
    assert stored["HC-2"]["answer"] == "yes"
    assert row.buttons["no"].isChecked() and row.note.toPlainText().startswith("Code and environment")
    assert "1 of 5 answered yes" in page.verdict.text() and "all answered" in page.verdict.text()


def test_locked_engagement_is_read_only(qtbot, sample_ws) -> None:
    from workbench.ui.pages.assessment import AssessmentPage
    from workbench.ui.pages.health import HealthCheckPage
    from workbench.ui.session import EngagementSession

    with sample_ws.session() as db:
        db.execute(text("UPDATE engagement SET locked_at = '2026-03-01T12:00:00Z' WHERE uid = :uid"),
                   {"uid": sample_ws.sample_uid})
        db.commit()
    session = EngagementSession(sample_ws, sample_ws.sample_uid)
    assert session.locked
    page = AssessmentPage(session)
    qtbot.addWidget(page)
    before = answers(session)
    qtbot.keyClick(page.checklist, Qt.Key.Key_N)
    assert answers(session) == before and current_id(page) == "DP-01"
    assert not page.level_picker.isEnabled() and not page.target.isEnabled()
    assert not page.attach_button.isEnabled() and page.note.isReadOnly() and page.justification.isReadOnly()
    assert not page.transfer.import_button.isEnabled() and page.transfer.export_button.isEnabled()
    page.set_level(1)
    assert not page.edits.attach_evidence("DP-01", [Path(__file__)])
    assert level_of(session, "DP") == 5 and session.undo_stack.count() == 0
    health = HealthCheckPage(session)
    qtbot.addWidget(health)
    assert not health.rows["HC-1"].buttons["yes"].isEnabled() and health.rows["HC-1"].note.isReadOnly()
    health.answer("HC-1", "yes")
    assert session.undo_stack.count() == 0


def test_a_graded_item_is_answered_by_digit_and_planned_with_target_and_priority(qtbot, window, page) -> None:
    session = window.session
    page.show_dimension(0, 13)
    assert current_id(page) == "DP-14" and answers(session)["DP-14"] == "basic"
    style = page.model.index(13).data(Qt.ItemDataRole.UserRole + 4)
    assert (style.label, style.badge) == ("Basic", "BASIC")
    assert "Target Advanced · high priority" in page.model.index(13).data(Qt.ItemDataRole.UserRole + 2)
    qtbot.keyClick(page.checklist, Qt.Key.Key_Y)  # yes / no letters do not fit a graded scale: nothing changes
    assert answers(session)["DP-14"] == "basic" and current_id(page) == "DP-14"
    assert "press 1 None, 2 Basic, 3 Advanced" in window.statusBar().currentMessage()
    qtbot.keyClick(page.checklist, Qt.Key.Key_3)
    assert answers(session)["DP-14"] == "advanced" and current_id(page) == "DP-15"
    page.show_dimension(0, 13)
    plan = page.detail.plan
    assert plan.isVisible() and plan.target.currentData() == "advanced" and plan.priority.currentData() == "high"
    plan.priority.setCurrentIndex(plan.priority.findData("low"))
    plan.priority.activated.emit(plan.priority.currentIndex())
    plan.target.setCurrentIndex(plan.target.findData(""))
    plan.target.activated.emit(plan.target.currentIndex())
    row = next(r for r in session.document["checklist"] if r["item_id"] == "DP-14")
    assert (row["target"], row["priority"]) == ("", "low")
    session.undo_stack.undo()
    session.undo_stack.undo()
    row = next(r for r in session.document["checklist"] if r["item_id"] == "DP-14")
    assert (row["target"], row["priority"]) == ("advanced", "high")
    page.show_dimension(0, 0)
    assert not page.detail.plan.isVisible()  # DP-01 is answered yes / partial / no: no target state
