"""Start the desktop app: Qt application, log file, workspace, main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from workbench import __version__
from workbench.domain.errors import WorkbenchError
from workbench.logs import configure_logging
from workbench.store.workspace import Workspace
from workbench.ui.errors import install_excepthook, user_message
from workbench.ui.main_window import MainWindow

log = logging.getLogger(__name__)
ORGANISATION = "MLOpsAuditWorkbench"


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName("workbench")
    app.setApplicationDisplayName("MLOps Audit Workbench")
    app.setApplicationVersion(__version__)
    app.setStyle("Fusion")  # the same look everywhere; Fusion follows the system's light or dark scheme
    return app  # type: ignore[return-value]


def run_app(db_path: Path, open_engagement: str | None = None) -> int:
    configure_logging()
    app = make_application()
    install_excepthook()
    try:
        ws = Workspace(db_path).open()
    except WorkbenchError as exc:
        QMessageBox.critical(None, "Cannot open the workspace", user_message(exc))
        return 2
    try:
        settings = QSettings()
        window = MainWindow(ws, settings)
        target = open_engagement or settings.value("session/last_engagement")
        if target and any(s.uid == target for s in window.library.summaries):
            window.open_engagement(str(target))
        window.show()
        return app.exec()
    finally:
        ws.close()
