"""Errors shown to the user in plain words; tracebacks go to the log file only."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.domain.errors import WorkbenchError
from workbench.logs import log_file

log = logging.getLogger("workbench.ui")


def user_message(exc: BaseException) -> str:
    if isinstance(exc, WorkbenchError):
        text = str(exc)
        return text[:1].upper() + text[1:]
    return ("Something went wrong and the action was not completed. Your data is safe. "
            f"Details are in the log file: {log_file()}")


def show_error(parent: QWidget | None, exc: BaseException, title: str = "Could not complete the action") -> None:
    if not isinstance(exc, WorkbenchError):
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    box = QMessageBox(QMessageBox.Icon.Warning, title, user_message(exc), QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorDialog")
    box.exec() if not _testing() else box.open()


def _testing() -> bool:
    return "pytest" in sys.modules


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
