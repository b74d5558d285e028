"""The main window's help and tools commands: keyboard shortcuts, About, the welcome page, signature
verification, signing identities and the log folder. MainWindow (ui/main_window.py) is built from this."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from workbench.logs import log_dir

if TYPE_CHECKING:
    from workbench.store.workspace import Workspace
    from workbench.ui.dialogs import ShortcutsDialog
    from workbench.ui.library import LibraryPage


class HelpCommands(QMainWindow):
    """Help › Keyboard shortcuts, About, Welcome, Open log folder; Tools › Verify and Signing identities."""

    # what the main window provides
    ws: Workspace  # attached before any command can run (MainWindow.attach_workspace)
    settings: QSettings
    library: LibraryPage
    open_engagement: Callable[[str], None]

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
