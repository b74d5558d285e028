"""Driving the GUI as a person would: the next modal dialog, window activation, key presses, cell edits."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from workbench.services import records


def on_next_dialog(qtbot, handle: Callable[[QDialog], None]) -> list[BaseException]:
    """Run `handle` on the next modal dialog (its exec() blocks the test); a failure closes the dialog."""
    problems: list[BaseException] = []
    deadline = time.monotonic() + 10  # never left polling into a later test

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or not dialog.isVisible():
            if time.monotonic() < deadline:
                QTimer.singleShot(10, poll)
            else:
                problems.append(TimeoutError("no dialog opened"))
            return
        try:
            handle(dialog)
        except BaseException as exc:  # reported by the test after exec() returns
            problems.append(exc)
            dialog.reject()

    QTimer.singleShot(0, poll)
    return problems


def error_dialog(qtbot) -> QMessageBox:
    """The window-modal plain-words dialog show_error opened over the window; read, then closed."""
    found: list[QMessageBox] = []

    def shown() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QMessageBox) and w.objectName() == "errorDialog" and w.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown)
    box = found[-1]
    box.setObjectName("seen")
    box.close()
    return box


def activate(qtbot, window) -> None:
    if QApplication.activeWindow() is not window:  # offscreen, a closed dialog does not hand activation back
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def press(qtbot, window, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the keyboard focus is, so window shortcuts resolve as for a person."""
    activate(qtbot, window)
    qtbot.keyClick(QApplication.focusWidget() or window, key, modifiers)


def current_id(page) -> str:
    item = page.current_item()
    assert item is not None
    return item.id


def matrix_rows(window, kind: str) -> list[dict]:
    return [r for r in records.list_records(window.ws, window.session.uid, "matrix") if r["kind"] == kind]


def edit_cell(qtbot, table, row: int, column: int, editor_type, set_value) -> None:
    """Open the cell's editor as a double click would, change it, press Enter."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    index = table.model().index(row, column)
    table.setCurrentIndex(index)
    table.edit(index)
    editors = [w for w in table.viewport().findChildren(editor_type) if w.isVisible()]
    assert editors, "no cell editor opened"
    set_value(editors[-1])
    qtbot.keyClick(editors[-1], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState)  # the commit is queued


def column_named(model, name: str) -> int:
    return next(i for i, c in enumerate(model.columns) if c.field.name == name)
