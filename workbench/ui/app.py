"""Start the desktop app: Qt application, log file, main window, then the workspace.

The window shows first, listing the engagements read in plain SQL; the workspace opens in a worker,
which is when SQLAlchemy and the services are imported (most of the start-up time), so the auditor sees
and can search the library at once.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from workbench import __version__
from workbench.domain.errors import WorkbenchError
from workbench.logs import configure_logging
from workbench.ui.errors import install_excepthook, show_error
from workbench.ui.main_window import MainWindow
from workbench.ui.style import install_style
from workbench.ui.welcome import app_icon
from workbench.ui.workers import Task, run_task, settle
from workbench.ui.workspace_encryption import prepare_workspace

if TYPE_CHECKING:
    from workbench.store.workspace import Workspace
log = logging.getLogger(__name__)
SMOKE_EXIT_ENV = "WORKBENCH_SMOKE_EXIT"
ORGANISATION = "MLOpsAuditWorkbench"
FIRST_FRAME_MS = 300  # the workspace starts opening at the latest this long after the window was shown
QUIT_WAIT_S = 10.0  # at quit, how long running work (asked to stop) may take before the workspace is closed


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


def open_workspace(path: Path | str, parent: QWidget | None = None) -> Workspace | None:
    """Open the workspace, or say in plain words why not: in use (by whom), not a workspace, newer schema. A
    workspace that cannot be written here (read-only file, folder or disk) opens read-only, with a banner."""
    from workbench.services import workspaces

    if not unlock_workspace(path, parent):
        return None
    try:
        return workspaces.open_workspace(path)
    except (WorkbenchError, OSError) as exc:
        report_refusal(path, exc, parent)
    return None


def unlock_workspace(path: Path | str, parent: QWidget | None = None) -> bool:
    """An encrypted workspace whose key is not kept by the keychain: its passphrase, asked in the passphrase
    dialog (once per session). False, with the reason shown, when it is not given or does not open it."""
    from workbench.services import workspaces
    from workbench.ui.passphrase import dialog_provider

    try:
        workspaces.unlock_if_locked(path, dialog_provider(parent))
    except WorkbenchError as exc:
        report_refusal(path, exc, parent)
        return False
    return True


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


def run_app(db_path: Path | str | None, open_engagement: str | None = None, *, welcome: bool = True,
            protect: bool = True) -> int:
    """db_path None: the default workspace (a str: a team server's URL, store.location). Exit code 2 when it
    cannot be opened (the reason shown first).

    The first frame already lists the engagements (read without the database layer, services.library.
    summaries_at) and answers input; the workspace opens in a worker meanwhile (the database layer loads
    there), and an engagement asked for in between opens as soon as it is ready.
    """
    from workbench.services.library import summaries_at
    from workbench.services.workspaces import default_location

    configure_logging()
    app = make_application()
    install_excepthook()
    settings = QSettings()
    path = db_path or default_location()
    # a new workspace file is encrypted unless the auditor says otherwise; a plain one is offered encryption
    # (`workbench demo`: fictional samples only); a team server's is not a file (docs/team-server.md)
    if protect and isinstance(path, Path) and not prepare_workspace(path, settings):
        return 2
    if not unlock_workspace(path):
        return 2
    window = MainWindow(None, settings, summaries=summaries_at(path))
    window.show()
    opened: list[Workspace] = []

    def attach(ws: Workspace) -> None:
        opened.append(ws)
        window.attach_workspace(ws, str(open_engagement or settings.value("session/last_engagement") or ""))
        if welcome:  # `workbench demo` opens the samples itself: no welcome page offering them again
            window.show_welcome_if_first_run()
        _exit_after_smoke_test(app)

    def refuse(exc: BaseException) -> None:
        report_refusal(path, exc)
        window.hide()  # not closed: a failed start keeps the remembered geometry
        window.deleteLater()
        app.exit(2)

    def start_opening() -> None:
        open_in_background(path, attach, refuse, parent=window)

    after_first_frame(window, start_opening)
    try:
        return app.exec()
    finally:
        if not settle(timeout=QUIT_WAIT_S):
            log.warning("work still running %.0f s after quitting; the workspace is closed anyway", QUIT_WAIT_S)
        for ws in opened:
            ws.close()


class _FirstFrame(QObject):
    """Calls `then` once, on the turn of the event loop after `window` first painted (or after FIRST_FRAME_MS
    at the latest, should no paint come: a minimised window)."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._then: Callable[[], None] | None = then
        self._window = window
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]
        QTimer.singleShot(FIRST_FRAME_MS, self.fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (event.type() == QEvent.Type.Paint and self._then is not None and isinstance(watched, QWidget)
                and watched.window() is self._window):
            QTimer.singleShot(0, self.fire)
        return False

    def fire(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
            then()


def after_first_frame(window: QWidget, then: Callable[[], None]) -> None:
    """Run `then` once the window's first frame is on screen: the workspace's worker imports the database layer,
    and while it runs the GUI thread shares the interpreter with it, so starting it after the first paint lets
    that frame (and the input it answers) come first."""
    _FirstFrame(window, then)


def open_in_background(path: Path | str, done: Callable[[Workspace], None], failed: Callable[[BaseException], None], *,
                       parent: QWidget) -> Task:
    """Open the workspace in a worker (lock, schema check or upgrade, engine): the GUI thread keeps painting."""

    def work(_task: Task) -> Workspace:
        from workbench.ui import heap

        with heap.building():  # the database layer and the services load here: they live as long as the app
            from workbench.services import workspaces

            return workspaces.open_workspace(path)

    return run_task(work, done, failed, parent=parent, show_progress=False)


def report_refusal(path: Path | str, exc: BaseException, parent: QWidget | None = None) -> None:
    """Why the workspace did not open, in plain words (details in the log)."""
    if isinstance(exc, WorkbenchError | OSError):  # in use, not a workspace, newer schema, no permission...
        log.warning("workspace %s not opened: %s", path, exc, exc_info=isinstance(exc, OSError))
    else:
        log.error("workspace %s not opened", path, exc_info=exc)
    show_error(parent, exc, "Cannot open the workspace")
