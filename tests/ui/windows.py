"""Opening the main window on an engagement as the GUI tests see it: 1366x768, shown, the engagement open."""

from __future__ import annotations

from typing import Any


def open_window(qtbot: Any, ws: Any, uid: str, settings: Any) -> Any:
    from workbench.ui.main_window import MainWindow

    window = MainWindow(ws, settings)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.open_engagement(uid)
    return window


def type_in_cell(table: Any, index: Any, text: str) -> Any:
    """Open a table cell's text editor (as F2 does) and put `text` in it, not committed: the editor."""
    from PySide6.QtWidgets import QLineEdit

    table.setCurrentIndex(index)
    table.edit(index)
    editor = next(w for w in table.viewport().findChildren(QLineEdit) if w.isVisible())
    editor.setText(text)
    return editor
