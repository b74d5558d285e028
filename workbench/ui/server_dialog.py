"""File ▸ Connect to team server…: host, port, database, user and password; recent servers listed without passwords.

The password is kept in the OS keychain once the server opens (services.team_login), never in the preferences
nor in the log. A wrong password, an unreachable host, a missing database or one without a workspace is said in
one plain line inside the dialog; the window's current workspace stays open until another one has opened.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import WorkbenchError
from workbench.services.team_login import DEFAULT_PORT, ServerAddress, connect_team_server, remembered_password
from workbench.ui.appearance import mark_attention

if TYPE_CHECKING:
    from workbench.store.workspace import Workspace

log = logging.getLogger(__name__)
RECENT_KEY = "team_servers/recent"  # addresses only: user@host:port/database, newest first
MAX_RECENT = 8


def recent_servers(settings: QSettings) -> list[ServerAddress]:
    try:
        entries = json.loads(str(settings.value(RECENT_KEY, "[]")))
    except ValueError:
        return []
    found: list[ServerAddress] = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, list) and len(entry) == 4:
            try:
                found.append(ServerAddress.parse(*(str(part) for part in entry)))
            except WorkbenchError:
                continue
    return found


def remember_server(settings: QSettings, address: ServerAddress) -> None:
    kept = [a for a in recent_servers(settings) if a != address]
    settings.setValue(RECENT_KEY, json.dumps([[a.host, str(a.port), a.database, a.user]
                                              for a in [address, *kept][:MAX_RECENT]]))


class ConnectServerDialog(QDialog):
    """Asks for a server and opens its workspace: `workspace` holds it once the dialog is accepted."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to team server")
        self.setObjectName("connectServerDialog")
        self.settings = settings
        self.workspace: Workspace | None = None
        self.recent = QComboBox()
        self.recent.setObjectName("recent")
        self.recent.setAccessibleName("Recent servers")
        self.recent.addItem("New server…", None)
        for address in recent_servers(settings):
            self.recent.addItem(address.label, address)
        self.recent.currentIndexChanged.connect(self._recent_chosen)
        self.host = QLineEdit(placeholderText="db.example.com, or a socket folder such as /run/postgresql")
        self.port = QLineEdit(str(DEFAULT_PORT))
        self.database = QLineEdit(placeholderText="audits")
        self.user = QLineEdit(placeholderText="your PostgreSQL role")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("Keep the password in this computer's keychain")
        self.remember.setChecked(True)
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        mark_attention(self.problem)
        self.problem.hide()
        form = QFormLayout()
        form.addRow("Recent servers", self.recent)
        for title, editor, name in (("Host", self.host, "host"), ("Port", self.port, "port"),
                                    ("Database", self.database, "database"), ("User", self.user, "user"),
                                    ("Password", self.password, "password")):
            editor.setObjectName(name)
            editor.setAccessibleName(title)
            form.addRow(title, editor)
        form.addRow("", self.remember)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = self.buttons.addButton("Connect", QDialogButtonBox.ButtonRole.AcceptRole)
        self.connect_button.setObjectName("connect")
        self.connect_button.setDefault(True)
        self.buttons.accepted.connect(self.try_connect)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel("Open the engagements your firm keeps on its PostgreSQL team server. This window keeps its "
                       "current workspace until the server's has opened.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        if self.recent.count() > 1:
            self.recent.setCurrentIndex(1)

    def _recent_chosen(self, _index: int) -> None:
        address = self.recent.currentData()
        if not isinstance(address, ServerAddress):
            return
        self.host.setText(address.host)
        self.port.setText(str(address.port))
        self.database.setText(address.database)
        self.user.setText(address.user)
        self.password.setText(remembered_password(address) or "")
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def try_connect(self) -> bool:
        """Open the server's workspace; on a refusal say why in one line and stay open (nothing else changes)."""
        self.problem.hide()
        try:
            address = ServerAddress.parse(self.host.text(), self.port.text(), self.database.text(), self.user.text())
            self.workspace = connect_team_server(address, self.password.text(), remember=self.remember.isChecked())
        except WorkbenchError as exc:
            self.problem.setText(f"{str(exc)[:1].upper()}{str(exc)[1:]}.".replace("..", "."))
            self.problem.show()
            return False
        except Exception:  # unexpected: logged (never the password: the URL is not in the message), said plainly
            log.exception("connecting to a team server failed")
            self.problem.setText("The team server could not be opened; the log file has the details.")
            self.problem.show()
            return False
        remember_server(self.settings, address)
        self.accept()
        return True
