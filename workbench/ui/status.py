"""A short message in the status bar of the window a widget sits in: what an action did, or why it did nothing.

Pages, dialogs and their helpers do not know the main window; they name themselves, and a widget shown in no
main window (a page under test on its own, a dialog at start-up) says nothing rather than failing."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QWidget


def show_status(widget: QWidget | None, text: str, timeout_ms: int = 8000) -> None:
    window = widget.window() if widget is not None else None
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, timeout_ms)
