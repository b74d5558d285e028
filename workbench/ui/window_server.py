"""The main window's File ▸ Connect to team server…: open a server's workspace in this window (ui/server_dialog.py).
MainWindow (ui/main_window.py) is built from this."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMainWindow

if TYPE_CHECKING:
    from workbench.store.workspace import Workspace
    from workbench.ui.server_dialog import ConnectServerDialog
    from workbench.ui.session import EngagementSession


class ServerCommands(QMainWindow):
    """File ▸ Connect to team server…"""

    # what the main window provides
    ws: Workspace
    settings: QSettings
    session: EngagementSession | None
    session_closed: Callable[[], None]
    show_library: Callable[[], None]
    attach_workspace: Callable[[Workspace], None]

    def connect_server_dialog(self) -> ConnectServerDialog:
        from workbench.ui.server_dialog import ConnectServerDialog

        dialog = ConnectServerDialog(self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: dialog.workspace is not None and self.switch_workspace(dialog.workspace))
        dialog.open()  # window-modal: the window stays as it is until a server has opened
        return dialog

    def switch_workspace(self, ws: Workspace) -> None:
        """Show another workspace in this window; the one before is closed (its engagement first)."""
        previous = getattr(self, "ws", None)
        if self.session is not None:
            self.show_library()
        self.attach_workspace(ws)
        if previous is not None and previous is not ws:
            previous.close()
