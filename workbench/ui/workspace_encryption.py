"""Encryption at rest in the desktop app: a new workspace is encrypted unless the auditor says otherwise, a
plain one is offered encryption when it opens (until "Not now" for that workspace), and Tools › Encrypt
workspace… does it later.

One dialog (ProtectDialog) asks for the new passphrase twice, says in plain words how strong it is
(domain/passphrase_strength.py) while it is typed, and always shows the way out: create the workspace
without encryption, not now, or cancel. WORKBENCH_PLAIN_WORKSPACE=1 (the test suite) skips every question.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import WorkbenchError
from workbench.domain.passphrase_strength import strength
from workbench.ui.appearance import mark_attention
from workbench.ui.errors import show_error
from workbench.ui.passphrase import secret_field

if TYPE_CHECKING:
    from workbench.store.workspace import Workspace
    from workbench.ui.library import LibraryPage

__all__ = ["EncryptionCommands", "ProtectDialog", "prepare_workspace"]
log = logging.getLogger(__name__)
NOT_NOW_KEY = "encryption/not_now"  # the workspaces whose offer was answered "Not now"

ENCRYPT, PLAIN, CANCEL = "encrypt", "plain", "cancel"
WHY = ("Without the passphrase and the key file kept beside the workspace ({key}) nobody can open it, not even "
       "you: keep the passphrase somewhere safe.")
TEXTS = {  # mode: (title, explanation, encrypt button, way out or None)
    "new": ("Protect the new workspace",
            "The workspace will hold your clients' confidential findings, evidence and contacts. Encrypt it with a "
            "passphrase, so that nobody who takes this laptop, a disk or a backup can read it.",
            "Create encrypted workspace", "Create without encryption"),
    "offer": ("Encrypt this workspace?",
              "{name} is not encrypted: anyone who copies the file can read every client's findings. Encrypt it "
              "now (its backups too) with a passphrase?", "Encrypt workspace", "Not now"),
    "menu": ("Encrypt workspace",
             "Encrypt {name} (and its backups) with a passphrase, so that nobody who copies the files can read "
             "them.", "Encrypt workspace", None),
}


class ProtectDialog(QDialog):
    """A new passphrase for a workspace, typed twice, its strength said as it is typed; `choice` tells the
    answer: ENCRYPT, PLAIN (the way out: without encryption / not now) or CANCEL."""

    def __init__(self, path: Path, mode: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("protectDialog")
        title, text, encrypt_text, way_out = TEXTS[mode]
        self.setWindowTitle(title)
        self.choice = CANCEL
        explanation = QLabel(text.format(name=path.name) + "\n\n" + WHY.format(key=f"{path.name}.key"))
        explanation.setObjectName("protectExplanation")
        explanation.setWordWrap(True)
        self.field = secret_field("newPassphrase")
        self.repeat = secret_field("newPassphraseRepeat")
        self.hint = QLabel()
        self.hint.setObjectName("passphraseStrength")
        self.hint.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setObjectName("protectProblem")
        self.problem.setWordWrap(True)
        mark_attention(self.problem)
        for label in (self.hint, self.problem):  # room for two lines from the start: the dialog never squeezes
            label.setMinimumHeight(2 * label.fontMetrics().lineSpacing() + 4)
        form = QFormLayout()
        form.addRow("Passphrase", self.field)
        form.addRow("Repeat", self.repeat)
        form.addRow("", self.hint)
        buttons = QDialogButtonBox()
        self.encrypt_button = buttons.addButton(encrypt_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.encrypt_button.setObjectName("encryptButton")
        self.encrypt_button.setDefault(True)
        self.way_out: QPushButton | None = None
        if way_out is not None:
            self.way_out = buttons.addButton(way_out, QDialogButtonBox.ButtonRole.DestructiveRole)
            self.way_out.setObjectName("plainButton")
            self.way_out.clicked.connect(self._plain)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancelButton")
        self.encrypt_button.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.field.textChanged.connect(self._update_hint)
        self.repeat.textChanged.connect(self._update_hint)
        self._update_hint()
        self.setMinimumWidth(520)

    def passphrase(self) -> str:
        return self.field.text()

    def _update_hint(self) -> None:
        self.problem.clear()  # said about what was typed before
        text = self.field.text()
        if not text:
            self.hint.setText("Four or five unrelated words make a passphrase that is easy to remember and hard "
                              "to guess.")
            return
        hint = strength(text).hint
        if self.repeat.text() and self.repeat.text() != text:
            hint += " The two passphrases differ."
        self.hint.setText(hint)

    def _plain(self) -> None:
        self.choice = PLAIN
        super().accept()

    def accept(self) -> None:
        verdict = strength(self.field.text())
        problem = (verdict.hint if not verdict.acceptable else
                   "The two passphrases differ." if self.repeat.text() != self.field.text() else "")
        self.problem.setText(problem)
        if problem:
            return
        self.choice = ENCRYPT
        super().accept()


def ask(path: Path, mode: str, parent: QWidget | None) -> tuple[str, str]:
    """(choice, passphrase) from a ProtectDialog."""
    dialog = ProtectDialog(path, mode, parent)
    try:
        dialog.exec()
        return dialog.choice, dialog.passphrase()
    finally:
        dialog.deleteLater()


@contextmanager
def busy() -> Iterator[None]:
    """The wait cursor while the key is derived and the file converted (a second or two)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def prepare_workspace(path: Path, settings: QSettings, parent: QWidget | None = None) -> bool:
    """Before the app opens the workspace at `path`: a new one is created encrypted (or plain, if the auditor
    says so); a plain one is offered encryption unless answered "Not now" before. False: do not start (the
    auditor cancelled, or creating the encrypted workspace failed, said in a dialog); nothing was created."""
    from workbench.services.workspaces import plain_by_choice  # light: no cryptography before the first frame

    if plain_by_choice():
        return True
    from workbench.services.encryption import create_encrypted_workspace

    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        choice, passphrase = ask(path, "new", parent)
        if choice != ENCRYPT:
            return choice == PLAIN
        try:
            with busy():
                create_encrypted_workspace(path, passphrase)
        except WorkbenchError as exc:
            show_error(parent, exc, "Could not create the workspace")
            return False
        return True
    if _offer_due(path, settings):
        _offer(path, settings, parent)
    return True


def _offer_due(path: Path, settings: QSettings) -> bool:
    from workbench.services.encryption import encryption_offer_due

    return str(path.resolve()) not in _not_now(settings) and encryption_offer_due(path)


def _not_now(settings: QSettings) -> list[str]:
    value = settings.value(NOT_NOW_KEY) or []
    return [str(item) for item in (value if isinstance(value, list) else [value])]


def _offer(path: Path, settings: QSettings, parent: QWidget | None) -> None:
    from workbench.services.encryption import encrypt_workspace

    choice, passphrase = ask(path, "offer", parent)
    if choice == PLAIN:
        settings.setValue(NOT_NOW_KEY, [*_not_now(settings), str(path.resolve())])
    if choice != ENCRYPT:
        return
    try:
        with busy():
            encrypt_workspace(path, passphrase)
    except WorkbenchError as exc:  # in use by another process, say: it opens plain, as it was
        show_error(parent, exc, "The workspace was not encrypted")


class EncryptionCommands(QMainWindow):
    """Tools › Encrypt workspace…: the open workspace is closed, encrypted in place and opened again."""

    # what the main window provides
    ws: Workspace
    settings: QSettings
    library: LibraryPage
    show_library: Callable[[], None]
    _update_actions: Callable[[], None]

    def can_encrypt(self) -> bool:
        from workbench.services.workspaces import is_encrypted_workspace  # light: the menu is updated at start

        return (self.ws is not None and not self.ws.read_only and not self.ws.is_server
                and not is_encrypted_workspace(self.ws.path))

    def encrypt_workspace_dialog(self) -> None:
        from workbench.services.encryption import encrypt_workspace

        if not self.can_encrypt():
            QMessageBox.information(self, "Encrypt workspace", "This workspace is encrypted already, or cannot be "
                                    "changed here.")
            return
        choice, passphrase = ask(self.ws.path, "menu", self)
        if choice != ENCRYPT:
            return
        self.show_library()  # no engagement stays open on the connection about to close
        self.ws.close()
        try:
            with busy():
                encrypt_workspace(self.ws.path, passphrase)
        except WorkbenchError as exc:
            show_error(self, exc, "The workspace was not encrypted")
        else:
            self.statusBar().showMessage(f"{self.ws.path.name} is encrypted.", 10000)
        finally:
            self.ws.open()  # encrypted now, its key unlocked for this session (or plain, as it was)
        self.library.refresh()
        self._update_actions()
