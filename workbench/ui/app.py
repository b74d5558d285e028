"""Start the desktop app: Qt application, log file, main window, then the workspace.

The window shows first, with the library saying the workspace is opening; the workspace is opened
on the event loop's first turn, which is when SQLAlchemy and the services are imported (most of the
start-up time), so the auditor sees the window at once.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from workbench import __version__
from workbench.domain.errors import WorkbenchError
from workbench.logs import configure_logging
from workbench.ui.errors import install_excepthook, show_error
from workbench.ui.main_window import MainWindow
from workbench.ui.style import install_style
from workbench.ui.welcome import app_icon

if TYPE_CHECKING:
    from workbench.store.workspace import Workspace
log = logging.getLogger(__name__)
SMOKE_EXIT_ENV = "WORKBENCH_SMOKE_EXIT"
ORGANISATION = "MLOpsAuditWorkbench"


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName("workbench")
    app.setApplicationDisplayName("MLOps Audit Workbench")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    install_style(app)  # Fusion, the same look everywhere, with the workbench's additions (ui/style.py)
    return app


def open_workspace(path: Path, parent: QWidget | None = None) -> Workspace | None:
    """Open the workspace, or say in plain words why not: in use (by whom), not a workspace, newer schema."""
    from workbench.services import workspaces

    try:
        return workspaces.open_workspace(path)
    except WorkbenchError as exc:
        log.warning("workspace %s not opened: %s", path, exc)
        show_error(parent, exc, "Cannot open the workspace")
    except OSError as exc:  # a folder without write permission, a full disk...
        log.warning("workspace %s not opened", path, exc_info=True)
        show_error(parent, exc, "Cannot open the workspace")
    return None


def _exit_after_smoke_test(app: QApplication) -> None:
    """WORKBENCH_SMOKE_EXIT=<ms> (the installer's smoke test): report the shown windows on stdout, then quit."""
    delay = os.environ.get(SMOKE_EXIT_ENV, "")
    if not delay.isdigit():
        return

    def report_and_quit() -> None:
        shown = sorted(w.objectName() or type(w).__name__ for w in app.topLevelWidgets() if w.isVisible())
        line = f"smoke: platform {app.platformName()}, visible windows: {', '.join(shown)}"
        log.info(line)
        print(line, flush=True)
        app.quit()

    QTimer.singleShot(int(delay), report_and_quit)


def run_app(db_path: Path | None, open_engagement: str | None = None) -> int:
    """db_path None: the default workspace. Exit code 2 when it cannot be opened (the reason shown first)."""
    configure_logging()
    app = make_application()
    install_excepthook()
    settings = QSettings()
    window = MainWindow(None, settings)
    window.show()
    opened: list[Workspace] = []

    def finish_start() -> None:
        from workbench.services.workspaces import default_workspace_path

        ws = open_workspace(db_path or default_workspace_path())  # no parent: the refusal waits to be read
        if ws is None:
            window.hide()  # not closed: a failed start keeps the remembered geometry
            window.deleteLater()
            app.exit(2)
            return
        opened.append(ws)
        window.attach_workspace(ws, str(open_engagement or settings.value("session/last_engagement") or ""))
        window.show_welcome_if_first_run()
        _exit_after_smoke_test(app)

    QTimer.singleShot(0, finish_start)
    try:
        return app.exec()
    finally:
        for ws in opened:
            ws.close()
