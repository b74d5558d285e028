"""Encrypted packages in the GUI: how an export is protected, and what importing an encrypted package asks.

Export: after the file name, the auditor chooses *Protect: none / for recipients / with a passphrase*
(ProtectDialog). Recipients are the certificates colleagues sent (`workbench identity certificate`); the
passphrase is typed twice. The package is signed either way and encrypted whole (services.package_envelope).

Import: a worker reads the envelope (services.package_envelope.sealed_for); then, on the GUI thread, the
identity it is for is unlocked (keychain, else the passphrase dialog) or the package's passphrase is asked
(the same dialog), and the import runs in a worker with nothing left to ask.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import WorkbenchError
from workbench.services.package_envelope import (
    OpeningKeys,
    Protection,
    SealedFor,
    recipient_certificates,
    recipient_label,
    unlock_recipient,
)
from workbench.services.signatures import PassphraseCancelled
from workbench.ui.appearance import mark_attention
from workbench.ui.errors import show_error, user_message
from workbench.ui.folders import start_folder
from workbench.ui.passphrase import check_new_passphrase, dialog_provider, notifier

if TYPE_CHECKING:
    from cryptography import x509

__all__ = ["ProtectDialog", "choose_protection", "opening_keys"]

NONE, RECIPIENTS, PASSPHRASE = 0, 1, 2
CERTIFICATE_FILES = "Certificates (*.pem *.crt *.cer *.der);;All files (*)"
FOLDER_KEY = "paths/certificates"


class ProtectDialog(QDialog):
    """Protect: none / for recipients (choose certificates…) / with a passphrase."""

    def __init__(self, file_name: str, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("protectPackage")
        self.setWindowTitle("Protect the package")
        self.settings = settings
        self.certificates: list[x509.Certificate] = []
        self.paths: list[Path] = []
        intro = QLabel(f"Who may open {file_name}? It is signed by your identity either way; protected, it is "
                       "encrypted whole, and nobody else can read the client's data in it.")
        intro.setWordWrap(True)
        self.choice = QButtonGroup(self)
        self.none = QRadioButton("None: anyone who has the file can read it")
        self.recipients = QRadioButton("For recipients: only the holders of these certificates can open it")
        self.passphrase = QRadioButton("With a passphrase: for e-mail")
        for index, button in enumerate((self.none, self.recipients, self.passphrase)):
            button.setObjectName(("protectNone", "protectRecipients", "protectPassphrase")[index])
            self.choice.addButton(button, index)
        self.none.setChecked(True)
        self.recipient_list = QListWidget()
        self.recipient_list.setObjectName("recipientList")
        self.recipient_list.setMaximumHeight(96)
        self.choose = QPushButton("Choose certificates…")
        self.choose.setObjectName("chooseCertificates")
        self.choose.clicked.connect(self.choose_certificates)
        self.clear = QPushButton("Clear")
        self.clear.clicked.connect(self.clear_certificates)
        self.field, self.repeat = QLineEdit(), QLineEdit()
        for field, name in ((self.field, "packagePassphrase"), (self.repeat, "packagePassphraseRepeat")):
            field.setObjectName(name)
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = QLabel()
        self.problem.setObjectName("protectProblem")
        self.problem.setWordWrap(True)
        mark_attention(self.problem)
        self.problem.hide()
        self._lay_out(intro)
        self.choice.idToggled.connect(lambda _id, _on: self._follow_choice())
        self._follow_choice()
        self.setMinimumWidth(560)

    def _lay_out(self, intro: QLabel) -> None:
        recipients = QWidget()
        row = QHBoxLayout()
        row.addWidget(self.choose)
        row.addWidget(self.clear)
        row.addStretch(1)
        box = QVBoxLayout(recipients)
        box.setContentsMargins(24, 0, 0, 0)
        box.addWidget(self.recipient_list)
        box.addLayout(row)
        passphrase = QWidget()
        form = QFormLayout(passphrase)
        form.setContentsMargins(24, 0, 0, 0)
        hint = QLabel("Tell the recipient the passphrase another way (by phone or in person), never in the same "
                      "e-mail as the package.")
        hint.setWordWrap(True)
        form.addRow(hint)
        form.addRow("Passphrase", self.field)
        form.addRow("Repeat", self.repeat)
        self.passphrase_box = passphrase
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.none, self.recipients, recipients, self.passphrase, passphrase, self.problem,
                       buttons):
            layout.addWidget(widget)

    def _follow_choice(self) -> None:
        """The chosen protection's fields are enabled; Choose certificates… always is (choosing selects it)."""
        for widget in (self.recipient_list, self.clear):
            widget.setEnabled(self.choice.checkedId() == RECIPIENTS)
        self.passphrase_box.setEnabled(self.choice.checkedId() == PASSPHRASE)
        self.problem.hide()

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def choose_certificates(self) -> None:
        folder = str(start_folder(self.settings, FOLDER_KEY))
        paths, _ = QFileDialog.getOpenFileNames(self, "Choose the recipients' certificates", folder, CERTIFICATE_FILES)
        if paths:
            self.add_certificates([Path(p) for p in paths])

    def add_certificates(self, paths: list[Path]) -> None:
        """Read and check the certificates; a bad one is named under the choices and none of the files is added."""
        try:
            found = recipient_certificates(self.paths + paths)  # each certificate once
        except WorkbenchError as exc:
            self._say(user_message(exc).rstrip(".") + ".")
            return
        if self.settings is not None and paths:
            self.settings.setValue(FOLDER_KEY, str(paths[0].parent))
        self.paths += paths
        self.certificates = list(found)
        self.recipient_list.clear()
        self.recipient_list.addItems([recipient_label(certificate) for certificate in found])
        self.recipients.setChecked(True)
        self.problem.hide()

    def clear_certificates(self) -> None:
        self.paths.clear()
        self.certificates.clear()
        self.recipient_list.clear()

    def protection(self) -> Protection | None:
        """The chosen protection (None: a clear package); meaningful once the dialog was accepted."""
        if self.choice.checkedId() == RECIPIENTS:
            return Protection(tuple(self.certificates))
        if self.choice.checkedId() == PASSPHRASE:
            return Protection(passphrase=self.field.text())
        return None

    def accept(self) -> None:
        if self.choice.checkedId() == RECIPIENTS and not self.certificates:
            self._say("Choose the certificate of at least one recipient, or another protection.")
            return
        if self.choice.checkedId() == PASSPHRASE:
            problem = check_new_passphrase(self.field.text(), self.repeat.text())
            if problem:
                self._say(problem)
                return
        super().accept()


class Choice:
    """The auditor's answer: `go` False when they cancelled; `protection` None for a clear package."""

    def __init__(self, go: bool, protection: Protection | None = None) -> None:
        self.go, self.protection = go, protection


def choose_protection(parent: QWidget, file_name: str, settings: QSettings | None) -> Choice:
    dialog = ProtectDialog(file_name, settings, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return Choice(False)
        return Choice(True, dialog.protection())
    finally:
        dialog.deleteLater()


def opening_keys(parent: QWidget, path: Path, found: SealedFor) -> OpeningKeys | None:
    """What opens this encrypted package, asked on the GUI thread; None when the auditor cancelled."""
    try:
        if found.identity_id is not None:  # the key unlocked now, remembered for the import's worker
            unlock_recipient(found.identity_id, dialog_provider(parent), notifier(parent))
            return OpeningKeys()
        answer = dialog_provider(parent)(f"Passphrase of the package {path.name}:")
    except PassphraseCancelled:
        return None
    except WorkbenchError as exc:
        show_error(parent, exc, "Package not imported")
        return None
    if not answer:
        return None
    return OpeningKeys(passphrase=lambda _prompt: answer)
