"""The main window: the engagement library or one open engagement, menus and shortcuts.

Actions are registered in one place (`_build_actions`); pages never reach into the window. The package
commands (ui/window_packages.py) and the help and tools commands (ui/window_help.py) are mixed in.
At start-up the window shows before the workspace is open (`attach_workspace`): this module imports
no database layer at the top, so the window appears before SQLAlchemy and the services are loaded.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QMessageBox, QStackedWidget, QWidget

from workbench.ui import heap
from workbench.ui.appearance import MODES, Appearance
from workbench.ui.errors import show_error
from workbench.ui.library import LibraryPage
from workbench.ui.pages import PAGE_CLASSES, STEP_TITLES, step_key
from workbench.ui.read_only_banner import show_banner, with_banner
from workbench.ui.style import install_style
from workbench.ui.team_changes import TeamChanges
from workbench.ui.window_checkout import CheckoutCommands
from workbench.ui.window_fieldwork import FieldworkCommands
from workbench.ui.window_help import HelpCommands
from workbench.ui.window_packages import PackageCommands
from workbench.ui.window_server import ServerCommands
from workbench.ui.workspace_encryption import EncryptionCommands

if TYPE_CHECKING:
    from workbench.services.library import EngagementSummary
    from workbench.store.workspace import Workspace
    from workbench.ui.engagement_view import EngagementView
    from workbench.ui.session import EngagementSession

log = logging.getLogger(__name__)
# actions that work before the workspace is open (start-up), and undo/redo (their stack enables them):
# the rest wait for the workspace
WITHOUT_WORKSPACE = frozenset({"quit", "find", "keyboard_shortcuts", "open_log_folder", "about", "library", "undo",
                               "redo"})


class MainWindow(PackageCommands, FieldworkCommands, CheckoutCommands, HelpCommands, EncryptionCommands,
                 ServerCommands):
    ready = Signal()  # the workspace is open and the last engagement shown (see attach_workspace)

    def __init__(self, ws: Workspace | None, settings: QSettings | None = None, *,
                 summaries: list[EngagementSummary] | None = None) -> None:
        """ws None: the workspace is opening (start-up) until `attach_workspace`; meanwhile the library
        shows `summaries` (read without the database layer) or says it is opening."""
        super().__init__()
        install_style()  # once per application: the look, and no editor changes on a passing mouse wheel
        self.setObjectName("mainWindow")
        self.ws: Workspace = ws  # type: ignore[assignment]  # set by attach_workspace when None
        self.settings = settings or QSettings()
        self.session: EngagementSession | None = None
        self.view: EngagementView | None = None
        self.undo_group = QUndoGroup(self)
        self.stack = QStackedWidget()
        self._pending_open: str | None = None  # asked for before the workspace was open
        self.library = LibraryPage(ws, summaries=summaries)
        self.stack.addWidget(self.library)
        centre, self.read_only_banner = with_banner(self.stack)
        self.setCentralWidget(centre)
        self.library.open_requested.connect(self.open_engagement)
        self.library.new_requested.connect(self.new_engagement)
        self.library.reaudit_requested.connect(self.reaudit)
        self.library.import_requested.connect(self.import_package_dialog)
        self.library.export_requested.connect(self.export_package_dialog)
        self.library.archive_requested.connect(self.set_archived)
        self.appearance = Appearance(self.settings, self)
        self.appearance.apply()
        self._build_actions()
        self.team_changes = TeamChanges(self)  # a team server: others' changes shown as they are saved
        if ws is not None:
            self.team_changes.watch(ws)
            self.statusBar().showMessage(f"Workspace: {ws.location}", 8000)
        else:
            self.statusBar().showMessage("Opening the workspace…")
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
        self.team_changes.watch(ws)
        show_banner(self.read_only_banner, ws.read_only, ws.name)
        self.library.attach(ws)
        self.menuBar().setEnabled(True)
        self.statusBar().showMessage(f"Workspace: {ws.location}", 8000)
        engagement = self._pending_open or engagement
        self._pending_open = None
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
        file_menu.addAction(self._action("Connect to team server…", self.connect_server_dialog, name="connect_server"))
        file_menu.addSeparator()
        file_menu.addAction(self._action("Import package…", self.import_package_dialog, "Ctrl+I"))
        self.export_action = self._action("Export package…", lambda: self.export_package_dialog(None), "Ctrl+E")
        file_menu.addAction(self.export_action)
        self.export_oscal_action = self._action("Export OSCAL assessment results…", lambda: self.export_oscal_dialog(),
                                                name="export_oscal")
        file_menu.addAction(self.export_oscal_action)
        file_menu.addSeparator()
        self.hand_out_action = self._action("Hand out…", self.hand_out_dialog, name="hand_out")
        file_menu.addAction(self.hand_out_action)
        file_menu.addAction(self._action("Merge fieldwork…", lambda: self.merge_fieldwork_dialog(),
                                         name="merge_fieldwork"))
        self.check_out_action = self._action("Check out to this laptop…", lambda: self.check_out_dialog(),
                                             name="check_out")
        self.check_in_action = self._action("Check in to team server…", lambda: self.check_in_dialog(),
                                            name="check_in")
        file_menu.addActions([self.check_out_action, self.check_in_action])
        file_menu.addSeparator()
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
        tools_menu.addSeparator()
        self.encrypt_action = self._action("Encrypt workspace…", self.encrypt_workspace_dialog,
                                           name="encrypt_workspace")
        tools_menu.addAction(self.encrypt_action)

        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self._action("Welcome…", self.show_welcome, name="welcome"))
        help_menu.addAction(self._action("Keyboard shortcuts", self.show_shortcuts, "F1"))
        help_menu.addAction(self._action("Open log folder", self.open_log_folder))
        help_menu.addAction(self._action("About", self.show_about))
        self._update_actions()

    def _update_actions(self) -> None:
        has_engagement = self.session is not None
        opened = self.ws is not None  # while the workspace opens (start-up), only what needs none
        for action in self.actions():
            if action.objectName() not in WITHOUT_WORKSPACE:
                action.setEnabled(opened)
        self.export_action.setEnabled(opened and (has_engagement or bool(self.library.selected_uid())))
        self.export_oscal_action.setEnabled(self.export_action.isEnabled())
        self.hand_out_action.setEnabled(self.export_action.isEnabled())
        self.update_checkout_actions()
        self.go_menu.setEnabled(has_engagement)
        self.encrypt_action.setEnabled(opened and self.can_encrypt())

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
            heap.release_built()
        self.view = None
        self.session = None
        self._update_title()
        self._update_actions()
        self.show_checkout_banner()

    def open_engagement(self, uid: str) -> None:
        if self.ws is None:  # still opening the workspace: open this one as soon as it is
            self._pending_open = uid
            self.statusBar().showMessage("Opening the workspace…")
            return
        from workbench.ui.engagement_view import EngagementView
        from workbench.ui.session import EngagementSession

        with heap.building():  # the engagement read and its overview built: no collection walks them
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
        self.show_checkout_banner()

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
        from workbench.services.record_library import start_engagement
        from workbench.ui.dialogs import NewEngagementDialog

        clients = [s.client for s in self.library.summaries]
        dialog = NewEngagementDialog(self.ws, clients, self)
        if not dialog.exec():
            return
        try:
            uid = start_engagement(self.ws, starter=dialog.starter.isChecked(), **dialog.values())
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

    def show_frameworks(self) -> None:
        from workbench.ui.frameworks_page import FrameworksDialog

        dialog = FrameworksDialog(self.ws, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.settings.setValue("window/geometry", self.saveGeometry())
        if self.view is not None:
            self.view.save_state()
        self.team_changes.stop()
        super().closeEvent(event)


def _testing() -> bool:
    import sys

    return "pytest" in sys.modules
