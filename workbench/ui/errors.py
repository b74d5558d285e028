"""Errors shown to the user in plain words; tracebacks go to the log file only."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.fs.faults import plain_fault
from workbench.logs import log_file

log = logging.getLogger("workbench.ui")


def user_message(exc: BaseException) -> str:
    if isinstance(exc, ValidationError) and exc.field and f"{exc.field}: " in str(exc):
        return str(exc).replace(f"{exc.field}: ", f"{exc.field_title}: ", 1)  # "Due date: …", not "due_date: …"
    if isinstance(exc, WorkbenchError):
        text = str(exc)
        first = text.split(" ", 1)[0]
        if any(mark in first for mark in "./\\_"):  # a file name or identifier keeps its spelling
            return text
        return text[:1].upper() + text[1:]
    fault = plain_fault(exc, getattr(exc, "filename", None))  # a full disk, a read-only folder, a file in use
    if fault is not None:
        return fault[:1].upper() + fault[1:] + "."
    return ("Something went wrong and the action was not completed. Your data is safe. "
            f"Details are in the log file: {log_file()}")


def show_error(parent: QWidget | None, exc: BaseException, title: str = "Could not complete the action") -> None:
    """A dialog in plain words. Over a window it is window-modal and returns at once (the window keeps
    painting, workers keep reporting); with no window yet (start-up) it waits until it is read."""
    if not isinstance(exc, WorkbenchError):
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    box = QMessageBox(QMessageBox.Icon.Warning, title, user_message(exc), QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorDialog")
    if parent is None:
        box.exec()
    else:
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()


def install_excepthook() -> None:
    """Uncaught exceptions in slots: log them, tell the user once in plain words."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("uncaught exception", exc_info=(kind, exc, tb))
        if isinstance(exc, KeyboardInterrupt):
            return
        from PySide6.QtWidgets import QApplication

        if QApplication.instance() is not None:
            show_error(QApplication.activeWindow(), exc)

    sys.excepthook = hook
