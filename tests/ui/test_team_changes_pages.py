"""Another auditor's change reaches every page while this auditor is typing (issue #18 item 3): the page shows
the change, and the text being typed (not saved yet) stays in its editor, with its cursor and the keyboard, even
when the other auditor changed that very field. An open cell editor in a matrix survives the refresh too.
The record pages have theirs in test_team_changes.py."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QPlainTextEdit

from tests.helpers.pg_cluster import available
from tests.ui.windows import type_in_cell
from workbench.services import assessment, records, review
from workbench.services.live_document import read_live_document
from workbench.ui.pages.checklist_model import ANSWER_ROLE

pytestmark = pytest.mark.skipif(not available(), reason="PostgreSQL's initdb/pg_ctl are not installed")
TYPED = "Typed while Bea saved hers, "


def _bea(server_url: str):
    """Another auditor, on another computer."""
    from workbench.store.server_workspace import ServerWorkspace

    return ServerWorkspace(server_url, actor="Bea Keller")


def _on_step(server_window, step: str):
    """(window, engagement uid, page) with the window on that step."""
    window, engagement = server_window
    window.show_step(step)
    return window, engagement, window.current_page()


def _type_into(qtbot, window, editor: QPlainTextEdit, cursor_at: int) -> str:
    """Type into a text editor that has the keyboard, leaving the cursor at `cursor_at`; the text typed."""
    window.activateWindow()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    editor.selectAll()
    qtbot.keyClicks(editor, TYPED + "not saved yet")
    cursor = editor.textCursor()
    cursor.setPosition(cursor_at)
    editor.setTextCursor(cursor)
    return editor.toPlainText()


def _still_typing(editor: QPlainTextEdit, typed: str, cursor_at: int) -> None:
    assert editor.toPlainText() == typed
    assert editor.textCursor().position() == cursor_at
    assert editor.hasFocus()


def _seen(qtbot, window, bea, engagement: str) -> None:
    """Wait until the window took in every change Bea made (their notices arrived, the pages refreshed)."""
    last = read_live_document(bea, engagement).seq
    qtbot.waitUntil(lambda: window.session.seq >= last, timeout=5000)


def test_assessment_justification(qtbot, server_window, server_url) -> None:
    window, engagement, page = _on_step(server_window, "assessment")
    dimension = page.dimension().id
    typed = _type_into(qtbot, window, page.justification, 5)
    with _bea(server_url) as bea:
        assessment.set_assessment(bea, engagement, dimension, level=2, justification="Bea's justification")
        _seen(qtbot, window, bea, engagement)
    assert page.assessment(dimension)["current_level"] == 2 and page.level_picker.level() == 2  # her change shows
    _still_typing(page.justification, typed, 5)


def test_checklist_item_note(qtbot, server_window, server_url) -> None:
    window, engagement, page = _on_step(server_window, "assessment")
    item = page.current_item().id
    typed = _type_into(qtbot, window, page.note, 7)
    with _bea(server_url) as bea:
        assessment.answer_item(bea, engagement, item, "no", "Bea's note")
        _seen(qtbot, window, bea, engagement)
    assert page.model.data(page.checklist.currentIndex(), ANSWER_ROLE) == "no"
    _still_typing(page.note, typed, 7)


def test_health_check_note(qtbot, server_window, server_url) -> None:
    window, engagement, page = _on_step(server_window, "health")
    row = page.rows["HC-1"]
    typed = _type_into(qtbot, window, row.note, 3)
    with _bea(server_url) as bea:
        assessment.answer_health_check(bea, engagement, "HC-1", "yes", note="Bea's note")
        assessment.answer_health_check(bea, engagement, "HC-2", "no", note="Bea's other note")
        _seen(qtbot, window, bea, engagement)
    assert row.buttons["yes"].isChecked() and page.rows["HC-2"].buttons["no"].isChecked()
    assert page.rows["HC-2"].note.toPlainText() == "Bea's other note"
    _still_typing(row.note, typed, 3)


def test_review_answer(qtbot, server_window, server_url) -> None:
    window, engagement, page = _on_step(server_window, "review")
    note, other = [n for n in window.session.records("review_notes") if n["status"] == "open"][:2]
    page.select_note(note["uid"])
    typed = _type_into(qtbot, window, page.answer, 4)
    with _bea(server_url) as bea:
        review.close_note(bea, engagement, other["uid"])  # leaves the notes shown ("waiting"): the rows are reset
        review.answer_note(bea, engagement, note["uid"], "Bea's answer")
        _seen(qtbot, window, bea, engagement)
    assert page.model.row_of(other["uid"]) < 0
    assert page.current_note()["uid"] == note["uid"] and "Answer by Bea Keller" in page.note_view.toPlainText()
    assert "Bea's answer" in page.note_view.toPlainText()  # her answer is read above what is being typed
    _still_typing(page.answer, typed, 4)
    if "SHOT" in __import__("os").environ:
        window.grab().save(__import__("os").environ["SHOT"])


def test_review_answer_to_a_note_closed_meanwhile(qtbot, server_window, server_url) -> None:
    window, engagement, page = _on_step(server_window, "review")
    note = next(n for n in window.session.records("review_notes") if n["status"] == "open")
    page.select_note(note["uid"])
    typed = _type_into(qtbot, window, page.answer, 2)
    with _bea(server_url) as bea:
        review.close_note(bea, engagement, note["uid"])
        _seen(qtbot, window, bea, engagement)
    assert page.show_box.currentIndex() == 0 and page.current_note()["uid"] == note["uid"]  # still listed
    assert page.current_note()["status"] == "closed" and page.reopen_note_button.isEnabled()
    _still_typing(page.answer, typed, 2)
    page.notes.selectRow(page.model.row_of(next(r["uid"] for r in page.model.all_rows() if r["status"] == "open")))
    assert page.model.row_of(note["uid"]) < 0 and page.current_note()["status"] == "open"  # left, it goes


def test_matrix_cell_editor(qtbot, server_window, server_url) -> None:
    window, engagement, page = _on_step(server_window, "matrices")
    tab = page.tab["compliance"]
    page.groups.setCurrentWidget(page.group_tabs["matrices"])
    page.tabs.setCurrentWidget(tab)
    first, second = tab.model.row_at(0), tab.model.row_at(1)
    index = tab.model.index(0, [c.field.name for c in tab.model.columns].index("note"))
    editor = type_in_cell(tab.table, index, "")
    window.activateWindow()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClicks(editor, "Typed in the cell")
    editor.setCursorPosition(5)
    with _bea(server_url) as bea:
        data = dict(tab.model.data_of(second["uid"]), status="met")
        records.update_record(bea, engagement, "matrix", second["uid"], {"data": data})
        records.update_record(bea, engagement, "matrix", first["uid"], {"data": dict(
            tab.model.data_of(first["uid"]), note="Bea's note")})
        records.add_record(bea, engagement, "matrix", {"kind": "compliance", "data": {"requirement": "Bea's"}})
        _seen(qtbot, window, bea, engagement)
    assert page.tabs.tabText(page.tabs.indexOf(tab)) == "Compliance (6)"  # the page knows, the rows wait
    assert tab.table.state() == QAbstractItemView.State.EditingState
    assert editor.text() == "Typed in the cell" and editor.cursorPosition() == 5 and editor.hasFocus()
    tab.table.itemDelegate().closeEditor.emit(editor)  # Esc: the cell's edit abandoned, the rows shown anew
    qtbot.waitUntil(lambda: tab.model.total == 6, timeout=2000)
    assert next(r for r in tab.model.all_rows() if r["uid"] == second["uid"])["status"] == "met"


def test_a_matrix_cell_typed_over_a_row_changed_meanwhile_is_not_saved_over_it(qtbot, server_window,
                                                                              server_url) -> None:
    window, engagement, page = _on_step(server_window, "matrices")
    tab = page.tab["compliance"]
    page.tabs.setCurrentWidget(tab)
    row = tab.model.row_at(0)
    index = tab.model.index(0, [c.field.name for c in tab.model.columns].index("note"))
    editor = type_in_cell(tab.table, index, "Typed in the cell")
    with _bea(server_url) as bea:  # the same row, another cell
        records.update_record(bea, engagement, "matrix", row["uid"], {"data": dict(
            tab.model.data_of(row["uid"]), status="met")})
        _seen(qtbot, window, bea, engagement)
    refusals: list[Exception] = []
    window.session.failed.connect(refusals.append)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # saved on the row as it was shown: refused in words
    qtbot.waitUntil(lambda: tab.table.state() != QAbstractItemView.State.EditingState, timeout=2000)
    assert len(refusals) == 1 and "changed meanwhile by Bea Keller" in str(refusals[0])
    stored = next(r for r in records.list_records(window.ws, engagement, "matrix") if r["uid"] == row["uid"])
    assert stored["data"]["status"] == "met" and stored["data"]["note"] == row["note"]
    assert tab.model.data_of(row["uid"])["status"] == "met"
