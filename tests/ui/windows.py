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
