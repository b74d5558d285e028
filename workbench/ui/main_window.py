"""The main window: the engagement library or one open engagement, menus and shortcuts.

Actions are registered in one place (`_build_actions`); pages never reach into the window.
At start-up the window shows before the workspace is open (`attach_workspace`): this module imports
no database layer at the top, so the window appears before SQLAlchemy and the services are loaded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDesktopServices, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QStackedWidget, QWidget

from workbench.logs import log_dir
from workbench.ui.appearance import MODES, Appearance
from workbench.ui.errors import show_error, user_message
from workbench.ui.library import LibraryPage
from workbench.ui.pages import PAGE_CLASSES, STEP_TITLES, step_key
from workbench.ui.style import install_style
from workbench.ui.workers import run_task

if TYPE_CHECKING:
    from workbench.store.workspace import Workspace
    from workbench.ui.dialogs import ShortcutsDialog
    from workbench.ui.engagement_view import EngagementView
    from workbench.ui.session import EngagementSession

log = logging.getLogger(__name__)
MAX_RECENT = 8


class MainWindow(QMainWindow):
    ready = Signal()  # the workspace is open and the last engagement shown (see attach_workspace)

    def __init__(self, ws: Workspace | None, settings: QSettings | None = None) -> None:
        """ws None: the library says the workspace is opening until `attach_workspace` (start-up)."""
        super().__init__()
        install_style()  # once per application: the look, and no editor changes on a passing mouse wheel
        self.setObjectName("mainWindow")
        self.ws: Workspace = ws  # type: ignore[assignment]  # set by attach_workspace when None
        self.settings = settings or QSettings()
        self.session: EngagementSession | None = None
        self.view: EngagementView | None = None
        self.undo_group = QUndoGroup(self)
        self.stack = QStackedWidget()
        self.library = LibraryPage(ws)
        self.stack.addWidget(self.library)
        self.setCentralWidget(self.stack)
        self.library.open_requested.connect(self.open_engagement)
        self.library.new_requested.connect(self.new_engagement)
        self.library.reaudit_requested.connect(self.reaudit)
        self.library.import_requested.connect(self.import_package_dialog)
        self.library.export_requested.connect(self.export_package_dialog)
        self.library.archive_requested.connect(self.set_archived)
        self.appearance = Appearance(self.settings, self)
        self.appearance.apply()
        self._build_actions()
        if ws is not None:
            self.statusBar().showMessage(f"Workspace: {ws.path}", 8000)
        self.menuBar().setEnabled(ws is not None)
        self.setMinimumSize(1000, 640)
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1366, 768)
        self._update_title()

    def attach_workspace(self, ws: Workspace, engagement: str | None = None) -> None:
        """The workspace opened after the window showed: fill the library, reopen `engagement` if it exists."""
        self.ws = ws
        self.library.attach(ws)
        self.menuBar().setEnabled(True)
        self.statusBar().showMessage(f"Workspace: {ws.path}", 8000)
        if engagement and any(s.uid == engagement for s in self.library.summaries):
            self.open_engagement(engagement)
        self._update_actions()
        self.ready.emit()

    # -- actions and menus
    def _action(self, text: str, slot, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                name: str = "") -> QAction:
        action = QAction(text, self)
        action.setObjectName(name or text.lower().replace(" ", "_").replace("…", ""))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(self._action("New engagement…", self.new_engagement, "Ctrl+Shift+N"))
        file_menu.addAction(self._action("Engagement library", self.show_library, "Ctrl+L", "library"))
        file_menu.addSeparator()
        file_menu.addAction(self._action("Import package…", self.import_package_dialog, "Ctrl+I"))
        self.export_action = self._action("Export package…", lambda: self.export_package_dialog(None), "Ctrl+E")
        file_menu.addAction(self.export_action)
        self.export_oscal_action = self._action("Export OSCAL assessment results…", lambda: self.export_oscal_dialog(),
                                                name="export_oscal")
        file_menu.addAction(self.export_oscal_action)
        file_menu.addAction(self._action("Frameworks…", self.show_frameworks, name="frameworks"))
        self.recent_menu = file_menu.addMenu("Recent packages")
        self._fill_recent()
        file_menu.addSeparator()
        file_menu.addAction(self._action("Quit", self.close, QKeySequence.StandardKey.Quit))

        edit_menu = menu.addMenu("&Edit")
        undo = self.undo_group.createUndoAction(self, "Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        undo.setObjectName("undo")
        redo = self.undo_group.createRedoAction(self, "Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        redo.setObjectName("redo")
        for action in (undo, redo):
            self.addAction(action)
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        edit_menu.addAction(self._action("Find", self.focus_search, QKeySequence.StandardKey.Find))
        edit_menu.addAction(self._action("Add row", self.add_row, QKeySequence.StandardKey.New, "add_row"))

        view_menu = menu.addMenu("&View")
        appearance_menu = view_menu.addMenu("Appearance")
        group = QActionGroup(self)
        for mode, text in MODES.items():
            action = self._action(text, lambda _=False, m=mode: self.appearance.apply(m), name=f"appearance_{mode}")
            action.setCheckable(True)
            action.setChecked(mode == self.appearance.mode)
            action.setToolTip("Follow the desktop's light or dark scheme" if mode == "system" else f"{text} always")
            group.addAction(action)
            appearance_menu.addAction(action)

        self.go_menu = menu.addMenu("&Go")
        for key in PAGE_CLASSES:
            self.go_menu.addAction(self._action(STEP_TITLES.get(key, key.capitalize()),
                                                lambda _=False, k=key: self.show_step(k), step_key(key) or None,
                                                f"go_{key}"))
        self.go_menu.addSeparator()
        self.go_menu.addAction(self._action("Next step", lambda: self.view and self.view.move_step(1),
                                            "Ctrl+PgDown", "go_next"))
        self.go_menu.addAction(self._action("Previous step", lambda: self.view and self.view.move_step(-1),
                                            "Ctrl+PgUp", "go_previous"))

        tools_menu = menu.addMenu("&Tools")
        tools_menu.addAction(self._action("Verify a signed PDF…", self.show_verify_dialog, name="verify_pdf"))
        tools_menu.addAction(self._action("Signing identities…", self.show_identities, name="signing_identities"))

        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self._action("Welcome…", self.show_welcome, name="welcome"))
        help_menu.addAction(self._action("Keyboard shortcuts", self.show_shortcuts, "F1"))
        help_menu.addAction(self._action("Open log folder", self.open_log_folder))
        help_menu.addAction(self._action("About", self.show_about))
        self._update_actions()

    def _update_actions(self) -> None:
        has_engagement = self.session is not None
        self.export_action.setEnabled(has_engagement or bool(self.library.selected_uid()))
        self.export_oscal_action.setEnabled(self.export_action.isEnabled())
        self.go_menu.setEnabled(has_engagement)

    def _update_title(self) -> None:
        if self.session is None:
            self.setWindowTitle("Engagement library — MLOps Audit Workbench")
        else:
            e = self.session.document["engagement"]
            self.setWindowTitle(f"{e['ref']} · {e['title']} — MLOps Audit Workbench")

    # -- navigation
    def show_library(self) -> None:
        self.library.refresh()
        self.stack.setCurrentWidget(self.library)
        self.session_closed()
        self.library.search.setFocus(Qt.FocusReason.ShortcutFocusReason)  # type to find, Enter opens

    def session_closed(self) -> None:
        if self.view is not None:
            self.view.save_state()
            self.stack.removeWidget(self.view)
            self.view.deleteLater()
        if self.session is not None:
            self.undo_group.removeStack(self.session.undo_stack)
            self.session.deleteLater()  # its document and undo history go with it: a day of engagements adds up
        self.view = None
        self.session = None
        self._update_title()
        self._update_actions()

    def open_engagement(self, uid: str) -> None:
        from workbench.ui.engagement_view import EngagementView
        from workbench.ui.session import EngagementSession

        try:
            session = EngagementSession(self.ws, uid, self)
        except Exception as exc:
            show_error(self, exc, "Could not open the engagement")
            return
        self.session_closed()
        self.session = session
        self.undo_group.addStack(session.undo_stack)
        self.undo_group.setActiveStack(session.undo_stack)
        self.view = EngagementView(session, self.settings)
        self.view.message.connect(self._show_refusal)
        session.changed.connect(lambda _kinds: self._update_title())
        self.stack.addWidget(self.view)
        self.stack.setCurrentWidget(self.view)
        self.settings.setValue("session/last_engagement", uid)
        self._update_title()
        self._update_actions()

    def _show_refusal(self, text: str) -> None:
        self.statusBar().showMessage(text, 10000)
        QMessageBox.warning(self, "Change not saved", text) if not _testing() else None

    def show_step(self, key: str) -> None:
        """Go menu and Ctrl+number: the step's page, with the keyboard where its next key goes."""
        if self.view is not None:
            self.view.show_step(key, focus=True)

    def current_page(self) -> QWidget | None:
        return self.view.stack.currentWidget() if self.view is not None else None

    def focus_search(self) -> None:
        page = self.current_page() if self.view is not None else self.library
        boxes = [box for box in page.findChildren(QWidget, "search") if box.isVisible()] if page is not None else []
        search = boxes[0] if boxes else (self.library.search if self.view is None else None)
        if search is not None:
            search.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def add_row(self) -> None:
        page = self.current_page()
        if page is not None and hasattr(page, "add_record"):
            page.add_record()

    # -- engagement lifecycle
    def new_engagement(self) -> None:
        from workbench.services import engagements as engagement_service
        from workbench.ui.dialogs import NewEngagementDialog

        clients = [s.client for s in self.library.summaries]
        dialog = NewEngagementDialog(self.ws, clients, self)
        if not dialog.exec():
            return
        try:
            uid = engagement_service.create_engagement(self.ws, **dialog.values())
        except Exception as exc:
            show_error(self, exc, "Could not create the engagement")
            return
        self.library.refresh()
        self.open_engagement(uid)

    def reaudit(self, uid: str) -> None:
        from workbench.services.reaudit import start_reaudit

        try:
            new_uid = start_reaudit(self.ws, uid)
        except Exception as exc:
            show_error(self, exc, "Could not start the re-audit")
            return
        self.library.refresh()
        self.open_engagement(new_uid)

    def set_archived(self, uid: str, archived: bool) -> None:
        from workbench.services import engagements as engagement_service

        try:
            engagement_service.set_archived(self.ws, uid, archived)
        except Exception as exc:
            show_error(self, exc)
        self.library.refresh()

    def import_package_dialog(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Import engagement package", self._last_folder(),
                                                  "Engagement packages (*.mlaudit);;All files (*)")
        if path:
            self.import_package_file(Path(path))

    def import_package_file(self, path: Path, as_copy: bool = False) -> None:
        self.settings.setValue("paths/last_folder", str(path.parent))

        def done(uid: str) -> None:
            self._remember_recent(path)
            self.library.refresh()
            self.statusBar().showMessage(f"Imported {path.name}", 8000)
            self.open_engagement(uid)

        def failed(exc: BaseException) -> None:
            if "import it as a copy" in str(exc):  # the refusal names a way out: offer it
                answer = QMessageBox.question(self, "Already in this workspace",
                                              f"{user_message(exc)}.\n\nImport it as a copy?")
                if answer == QMessageBox.StandardButton.Yes:
                    self.import_package_file(path, as_copy=True)
                return
            show_error(self, exc, "Package not imported")

        from workbench.services.packages import import_package  # jsonschema & co. load on first use, not at start

        run_task(lambda _task: import_package(self.ws, path, as_copy=as_copy), done, failed, parent=self,
                 label=f"Importing {path.name}…")

    def export_package_dialog(self, uid: str | None) -> None:
        uid = uid or (self.session.uid if self.session else self.library.selected_uid())
        if not uid:
            return
        ref = next((s.ref for s in self.library.summaries if s.uid == uid), "engagement")
        default = str(Path(self._last_folder()) / f"{ref}.mlaudit")
        path, _ = QFileDialog.getSaveFileName(self, "Export engagement package", default,
                                              "Engagement packages (*.mlaudit)")
        if not path:
            return
        target = Path(path if path.endswith(".mlaudit") else path + ".mlaudit")
        self.settings.setValue("paths/last_folder", str(target.parent))
        from workbench.services.packages import export_package

        run_task(lambda _task: export_package(self.ws, uid, target),
                 self._exported,
                 lambda exc: show_error(self, exc, "Package not exported"), parent=self,
                 label=f"Exporting {target.name}…")

    def export_oscal_dialog(self) -> None:
        uid = self.session.uid if self.session else self.library.selected_uid()
        if not uid:
            return
        ref = next((s.ref for s in self.library.summaries if s.uid == uid), "engagement")
        path, _ = QFileDialog.getSaveFileName(self, "Export OSCAL assessment results",
                                              str(Path(self._last_folder()) / f"{ref}-assessment-results.json"),
                                              "OSCAL JSON (*.json)")
        if path:
            self.export_oscal_file(uid, Path(path if path.endswith(".json") else path + ".json"))

    def export_oscal_file(self, uid: str, target: Path) -> None:
        from workbench.services.oscal_export import export_assessment_results

        self.settings.setValue("paths/last_folder", str(target.parent))
        run_task(lambda _task: export_assessment_results(self.ws, uid, target),
                 lambda written: self.statusBar().showMessage(f"Exported {written}", 8000),
                 lambda exc: show_error(self, exc, "OSCAL results not exported"), parent=self,
                 label=f"Exporting {target.name}…")

    def show_frameworks(self) -> None:
        from workbench.ui.frameworks_page import FrameworksDialog

        dialog = FrameworksDialog(self.ws, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- settings
    def _last_folder(self) -> str:
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return str(self.settings.value("paths/last_folder", documents))

    def _remember_recent(self, path: Path) -> None:
        recent = [str(path)] + [p for p in self._recent() if p != str(path)]
        self.settings.setValue("paths/recent_packages", recent[:MAX_RECENT])
        self._fill_recent()

    def _import_recent(self, path: str) -> Callable[[], None]:
        return lambda: self.import_package_dialog(path)

    def _exported(self, written: Path) -> None:
        self._remember_recent(written)
        self.statusBar().showMessage(f"Exported {written}", 8000)

    def _recent(self) -> list[str]:
        value = self.settings.value("paths/recent_packages", [])
        return [value] if isinstance(value, str) else [str(p) for p in value] if isinstance(value, list | tuple) else []

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self._recent():
            self.recent_menu.addAction(Path(path).name, self._import_recent(path))
        self.recent_menu.setEnabled(bool(self._recent()))

    def show_shortcuts(self) -> ShortcutsDialog:
        from workbench.ui.dialogs import ShortcutsDialog

        dialog = ShortcutsDialog(self.actions(), self)
        dialog.open()  # window-modal, so the app keeps running underneath
        return dialog

    def show_about(self) -> None:
        from workbench.ui.dialogs import about_text

        QMessageBox.about(self, "About", about_text())

    def show_welcome(self) -> QWidget:
        """Help > Welcome…: samples, signing identity and branding (shown by itself on the first start)."""
        from workbench.ui.welcome import show_welcome

        return show_welcome(self, self.ws, self.settings, self._open_sample)

    def show_welcome_if_first_run(self) -> QWidget | None:
        from workbench.ui.welcome import first_run

        return self.show_welcome() if first_run(self.settings) else None

    def _open_sample(self, uid: str) -> None:
        self.library.refresh()
        self.open_engagement(uid)

    def show_verify_dialog(self) -> QWidget:
        from workbench.ui.verify_dialog import VerifyDialog

        dialog = VerifyDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_identities(self) -> QWidget:
        from workbench.ui.identity_dialog import IdentitiesDialog

        dialog = IdentitiesDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_log_folder(self) -> None:
        """Help > Open log folder: tracebacks and details of every error are there."""
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            QMessageBox.information(self, "Log folder", f"The log file is in {folder}")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.settings.setValue("window/geometry", self.saveGeometry())
        if self.view is not None:
            self.view.save_state()
        super().closeEvent(event)


def _testing() -> bool:
    import sys

    return "pytest" in sys.modules
