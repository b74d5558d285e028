"""Driving the GUI as a person would: the next modal dialog, window activation, key presses."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog


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
