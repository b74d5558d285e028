"""Signing identities: list them, create one, import the firm's PKCS#12, trust a CA certificate.

Identities live in the user's data folder, not in the workspace (services.signatures): one auditor signs
for every engagement with the same certificate. Creating an EC key and two certificates takes a few
milliseconds, so it runs on the GUI thread; so does opening a PKCS#12 file, which needs the passphrase
dialog anyway. Listing reads the identity folder directly (no pyHanko), so the dialog opens at once while
the signing services load in the background.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import WorkbenchError
from workbench.domain.signing_rules import MAX_VALIDITY_DAYS, format_fingerprint
from workbench.ui.errors import show_error, user_message
from workbench.ui.folders import start_folder
from workbench.ui.passphrase import SIGNING_MODULES, check_new_passphrase, dialog_provider, notifier, preload

if TYPE_CHECKING:
    from workbench.signing.identities import Identity

__all__ = ["CreateIdentityDialog", "IdentitiesDialog", "identity_label"]


def identity_label(identity: Identity) -> str:
    """'Jane Doe <jane@example.com>, Doe LLP · until 2028-11-22' (or EXPIRED)."""
    state = "EXPIRED" if identity.expired() else f"until {identity.not_after[:10]}"
    firm = f", {identity.firm}" if identity.firm else ""
    return f"{identity.label()}{firm} · {state}"



def lay_out_form_dialog(dialog: QDialog, intro: QWidget, form: QFormLayout, problem: QWidget, ok_text: str,
                        min_width: int) -> None:
    """Intro, form, the line that names a problem, and OK (renamed) / Cancel: the signing dialogs' shape."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(intro)
    layout.addLayout(form)
    layout.addWidget(problem)
    layout.addWidget(buttons)
    dialog.setMinimumWidth(min_width)

class CreateIdentityDialog(QDialog):
    """Name, e-mail, firm, validity and a passphrase typed twice; OK creates the identity or says why not."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("createIdentityDialog")
        self.setWindowTitle("Create a signing identity")
        self.identity: Identity | None = None
        self.name = QLineEdit()
        self.name.setObjectName("identityName")
        self.email = QLineEdit()
        self.email.setObjectName("identityEmail")
        self.firm = QLineEdit()
        self.firm.setObjectName("identityFirm")
        self.years = QSpinBox()
        self.years.setObjectName("identityYears")
        self.years.setRange(1, MAX_VALIDITY_DAYS // 365)
        self.years.setValue(2)
        self.years.setSuffix(" years")
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("identityPassphrase")
        self.repeat = QLineEdit()
        self.repeat.setObjectName("identityPassphraseRepeat")
        for field in (self.passphrase, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        intro = QLabel("The workbench makes a local certificate authority and an auditor certificate issued by it. "
                       "The private key is stored encrypted with the passphrase; the passphrase is kept in the "
                       "system keychain where there is one.")
        intro.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setObjectName("identityProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("E-mail", self.email)
        form.addRow("Firm", self.firm)
        form.addRow("Valid for", self.years)
        form.addRow("Passphrase", self.passphrase)
        form.addRow("Repeat passphrase", self.repeat)
        lay_out_form_dialog(self, intro, form, self.problem, "Create", 480)
        preload(*SIGNING_MODULES)

    def _complain(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def accept(self) -> None:
        problem = check_new_passphrase(self.passphrase.text(), self.repeat.text())
        if problem:
            self._complain(problem)
            return
        secret = self.passphrase.text()
        from workbench.services import signatures

        try:
            self.identity = signatures.create_identity(
                self.name.text().strip(), self.email.text().strip(), self.firm.text().strip(), lambda _prompt: secret,
                validity_days=self.years.value() * 365, notify=notifier(self.parentWidget()))
        except WorkbenchError as exc:
            self._complain(user_message(exc))
            return
        super().accept()


class IdentitiesDialog(QDialog):
    """Your identities and the CA certificates you trust for verification."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("identitiesDialog")
        self.setWindowTitle("Signing identities")
        self.identities = _table("identitiesTable", ("Name", "E-mail", "Firm", "Source", "Valid until",
                                                      "SHA-256 fingerprint"))
        self.trusted = _table("trustedTable", ("Certificate", "Valid until", "From", "SHA-256 fingerprint"))
        self.empty = QLabel("You have no signing identity yet. Create one, or import your firm's PKCS#12 file.")
        self.empty.setObjectName("noIdentity")
        self.empty.setWordWrap(True)
        create = QPushButton("Create identity…")
        create.setObjectName("createIdentity")
        create.clicked.connect(self.create_identity)
        import_p12 = QPushButton("Import PKCS#12…")
        import_p12.setObjectName("importIdentity")
        import_p12.clicked.connect(self.import_identity)
        save = QPushButton("Save my certificate…")
        save.setObjectName("saveCertificate")
        save.setToolTip("Your certificate (public, no key in it) for colleagues: with it they export packages "
                        "that only you can open")
        save.clicked.connect(self.save_certificate)
        self.save = save
        self.found: list[Identity] = []
        trust = QPushButton("Trust a CA certificate…")
        trust.setObjectName("importTrust")
        trust.clicked.connect(self.import_trust)
        mine = QGroupBox("Your identities (they sign deliverables and open packages encrypted for you)")
        mine_layout = QVBoxLayout(mine)
        mine_layout.addWidget(self.empty)
        mine_layout.addWidget(self.identities)
        row = QHBoxLayout()
        row.addWidget(create)
        row.addWidget(import_p12)
        row.addWidget(save)
        row.addStretch(1)
        mine_layout.addLayout(row)
        others = QGroupBox("Trusted CA certificates")
        others_layout = QVBoxLayout(others)
        note = QLabel("A signed report verifies as trusted when its certificate was issued by one of these: your "
                      "identities' own CAs, and CAs you imported, such as your firm's or a colleague's.")
        note.setWordWrap(True)
        others_layout.addWidget(note)
        others_layout.addWidget(self.trusted)
        trust_row = QHBoxLayout()
        trust_row.addWidget(trust)
        trust_row.addStretch(1)
        others_layout.addLayout(trust_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(mine, 3)
        layout.addWidget(others, 2)
        layout.addWidget(buttons)
        self.resize(900, 560)
        preload(*SIGNING_MODULES)
        self.refresh()

    def refresh(self) -> None:
        from workbench.services import signatures

        try:
            found = signatures.list_identities()
            trusted = signatures.list_trust()
        except WorkbenchError as exc:
            show_error(self, exc, "Cannot read the signing identities")
            found, trusted = [], []
        self.found = found
        self.save.setEnabled(bool(found))
        _fill(self.identities, [(i.name, i.email, i.firm, i.source,
                                 "EXPIRED" if i.expired() else i.not_after[:10], format_fingerprint(i.fingerprint))
                                for i in found])
        _fill(self.trusted, [(t.subject, t.not_after[:10], t.origin, format_fingerprint(t.fingerprint))
                             for t in trusted])
        self.empty.setVisible(not found)

    def create_identity(self) -> None:
        dialog = CreateIdentityDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def import_identity(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import your firm's PKCS#12 file", "",
                                              "PKCS#12 files (*.p12 *.pfx);;All files (*)")
        if not path:
            return
        from workbench.services import signatures

        try:
            signatures.import_identity(Path(path), dialog_provider(self), notify=notifier(self))
        except signatures.PassphraseCancelled:
            return
        except WorkbenchError as exc:
            show_error(self, exc, "Identity not imported")
            return
        self.refresh()

    def save_certificate(self) -> None:
        """Write the selected identity's certificate (the newest when none is selected) for colleagues."""
        if not self.found:
            return
        row = self.identities.currentRow()
        identity = self.found[row] if 0 <= row < len(self.found) else self.found[-1]
        default = str(start_folder(None) / f"{identity.name or identity.id}.pem")
        path, _ = QFileDialog.getSaveFileName(self, "Save your certificate for colleagues", default,
                                              "Certificates (*.pem)")
        if not path:
            return
        from workbench.services import signatures

        try:
            signatures.write_certificate(identity.id, Path(path if path.endswith(".pem") else path + ".pem"))
        except WorkbenchError as exc:
            show_error(self, exc, "Certificate not saved")

    def import_trust(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Trust a CA certificate", "",
                                              "Certificates (*.pem *.crt *.cer *.der);;All files (*)")
        if not path:
            return
        from workbench.services import signatures

        try:
            signatures.import_trust(Path(path))
        except WorkbenchError as exc:
            show_error(self, exc, "Certificate not trusted")
            return
        self.refresh()


def _table(name: str, headers: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(r, c, item)
