"""The main window's laptop-and-server commands (services/checkout.py): File ▸ Check out to this laptop… on a team
server's workspace, File ▸ Check in to team server… on the laptop's, and the banner over an engagement checked out
of the server (every change to it is refused there until it is checked in)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLabel, QLineEdit, QMainWindow, QMessageBox

from workbench.ui.errors import show_error
from workbench.ui.read_only_banner import show_banner, show_reason

if TYPE_CHECKING:
    from workbench.domain.checkouts import Checkout
    from workbench.services.attestation import Signer
    from workbench.store.workspace import Workspace
    from workbench.ui.library import LibraryPage
    from workbench.ui.session import EngagementSession

T = TypeVar("T")
CHECK_OUT_TITLE = "Check out to this laptop"
CHECK_IN_TITLE = "Check in to team server"


class CheckoutCommands(QMainWindow):
    """File › Check out to this laptop… and File › Check in to team server…, for the main window."""

    ws: Workspace
    settings: QSettings
    library: LibraryPage
    session: EngagementSession | None
    read_only_banner: QLabel
    check_out_action: QAction
    check_in_action: QAction
    session_closed: Callable[[], None]
    open_engagement: Callable[[str], None]
    _merge_signer: Callable[[], Signer | None]

    def _chosen_engagement(self) -> str | None:
        return self.session.uid if self.session is not None else self.library.selected_uid()

    def update_checkout_actions(self) -> None:
        chosen = self.ws is not None and bool(self._chosen_engagement())
        self.check_out_action.setEnabled(chosen and self.ws.is_server)
        self.check_in_action.setEnabled(chosen and not self.ws.is_server and not self.ws.read_only)

    def show_checkout_banner(self) -> None:
        """Over an engagement checked out of this server: why it is read-only here; else the workspace's banner."""
        if self.ws is None:
            return
        mark = self._mark(self.session.uid) if self.session is not None and self.ws.is_server else None
        if mark is not None and mark.kind == "out":
            show_reason(self.read_only_banner, f"<b>Checked out.</b> {mark.reason}. Here it can be read, exported and "
                                               "reported on; every change is refused until it is checked in (or a "
                                               "reviewer or partner releases the checkout).")
        else:
            show_banner(self.read_only_banner, self.ws.read_only, self.ws.name)

    def _mark(self, uid: str) -> Checkout | None:
        from workbench.services.checkout import checkout_of

        try:
            return checkout_of(self.ws, uid)
        except Exception:  # the banner is a courtesy: the services refuse the edits whatever it shows
            return None

    # -- check out, on the server ----------------------------------------------------------------------------------

    def check_out_dialog(self, target: str | None = None) -> None:
        """Copy the chosen engagement to a workspace file on this laptop (default the usual one)."""
        from workbench.services.workspaces import default_workspace_path

        uid = self._chosen_engagement()
        if not uid or not self.ws.is_server:
            return
        if target is None:
            target, _ = QFileDialog.getSaveFileName(
                self, f"{CHECK_OUT_TITLE}: the workspace file on this laptop", str(default_workspace_path()),
                "Workspaces (*.db);;All files (*)", options=QFileDialog.Option.DontConfirmOverwrite)
        if not target:
            return
        from workbench.services.checkout import checkout

        signer = self._merge_signer()
        laptop = self._open_laptop(Path(target)) if signer is not None else None
        if signer is None or laptop is None:
            return
        mark = self._closing(laptop, lambda: checkout(self.ws, uid, laptop, signer=signer),
                             "Engagement not checked out")
        if mark is None:
            return
        self.library.refresh()
        if self.session is not None and self.session.uid == uid:
            self.open_engagement(uid)  # opened anew: its pages read-only, the banner saying why
        self.show_checkout_banner()
        self.statusBar().showMessage(f"{mark.engagement_ref} checked out to {laptop.location}: open that workspace "
                                     "for the fieldwork, then File ▸ Check in to team server…", 12000)

    def _open_laptop(self, path: Path) -> Workspace | None:
        from workbench.services.workspaces import open_workspace, unlock_if_locked
        from workbench.ui.passphrase import dialog_provider
        from workbench.ui.workspace_encryption import prepare_workspace

        if not prepare_workspace(path, self.settings, self):  # a new one is created encrypted, as at start-up
            return None
        try:
            unlock_if_locked(path, dialog_provider(self))
            return open_workspace(path)
        except Exception as exc:
            show_error(self, exc, "Cannot open the workspace on this laptop")
            return None

    def _closing(self, other: Workspace, work: Callable[[], T], failure: str) -> T | None:
        """`work` between this workspace and `other` (closed afterwards); a refusal is shown, None returned."""
        try:
            return work()
        except Exception as exc:
            show_error(self, exc, failure)
            return None
        finally:
            other.close()

    # -- check in, on the laptop -----------------------------------------------------------------------------------

    def check_in_dialog(self, url: str | None = None) -> None:
        """Merge the chosen checked-out engagement back into its team server; the laptop's copy is then removed."""
        uid = self._chosen_engagement()
        if not uid or self.ws.is_server:
            return
        mark = self._mark(uid)
        if mark is None or mark.kind != "fieldwork":
            QMessageBox.information(self, CHECK_IN_TITLE, "This engagement was not checked out of a team server: "
                                                          "there is nothing to check in (a colleague's package is "
                                                          "merged with File ▸ Merge fieldwork…).")
            return
        if url is None:
            url, ok = QInputDialog.getText(self, CHECK_IN_TITLE, f"{mark.engagement_ref} goes back to the team "
                                                                 "server at:", QLineEdit.EchoMode.Normal, mark.place)
            if not ok:
                return
        signer = self._merge_signer()
        if signer is not None:
            self._check_in(uid, mark, url.strip(), signer)

    def _check_in(self, uid: str, mark: Checkout, url: str, signer: Signer) -> None:
        from workbench.services.checkout import checkin
        from workbench.services.team_login import with_remembered_password
        from workbench.services.workspaces import open_workspace

        try:
            server = open_workspace(with_remembered_password(url))
        except Exception as exc:
            show_error(self, exc, "Cannot reach the team server")
            return
        result = self._closing(server, lambda: checkin(self.ws, uid, server, signer=signer),
                               "Engagement not checked in")
        if result is None:
            return
        if self.session is not None and self.session.uid == uid:
            self.session_closed()  # its copy has left this workspace
        self.library.refresh()
        self.statusBar().showMessage(f"{mark.engagement_ref} checked in to {server.location}: "
                                     f"{result.merge.preview.events} event(s) merged, attested by {signer.name}; its "
                                     "copy was removed from this workspace", 12000)
