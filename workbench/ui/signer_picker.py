""""Sign as": the signing identity under which sign-offs, finalising and reopening are given.

The picker lists this computer's identities (newest first selected) with a way to create one. `signer()`
unlocks the chosen identity on the GUI thread (the keychain's passphrase, else the passphrase dialog) and
keeps the unlocked key for the rest of the session, so undo and redo sign again without asking.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from workbench.domain.errors import WorkbenchError
from workbench.services import signatures
from workbench.services.attestation import Signer, unlock_signer
from workbench.services.signatures import PassphraseCancelled, PassphraseProvider
from workbench.ui.errors import show_error
from workbench.ui.identity_dialog import CreateIdentityDialog, identity_label
from workbench.ui.passphrase import dialog_provider, notifier

__all__ = ["SignerPicker"]
log = logging.getLogger(__name__)
NO_IDENTITY = "No signing identity yet: create one"


class SignerPicker(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setObjectName("signAs")
        self.combo.setAccessibleName("Sign as")
        self.combo.setToolTip("The signing identity whose name goes on sign-offs; its key attests each one")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(18)
        self.new_button = QPushButton("New identity…")
        self.new_button.setObjectName("newSigningIdentity")
        self.new_button.clicked.connect(self.create_identity)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Sign as"))
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.new_button)
        self.provider: PassphraseProvider = dialog_provider(self)  # tests put a plain function here
        self._unlocked: dict[str, Signer] = {}
        self.reload()

    def reload(self, select: str | None = None) -> None:
        try:
            found = [i for i in signatures.list_identities() if not i.expired()]
        except (WorkbenchError, OSError):
            log.warning("the signing identities cannot be listed", exc_info=True)
            found = []
        self.combo.clear()
        for identity in reversed(found):  # the newest first: it is the auditor's own
            self.combo.addItem(identity_label(identity), identity.id)
        if not found:
            self.combo.addItem(NO_IDENTITY, None)
        index = self.combo.findData(select) if select else 0
        self.combo.setCurrentIndex(max(index, 0))

    def identity_id(self) -> str | None:
        data = self.combo.currentData()
        return str(data) if data else None

    def create_identity(self) -> None:
        dialog = CreateIdentityDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.identity is not None:
            self.reload(dialog.identity.id)

    def signer(self, identity_id: str | None = None) -> Signer | None:
        """The chosen identity (or `identity_id`) unlocked, or None when there is none or the user cancels."""
        wanted = identity_id or self.identity_id()
        if wanted is None:
            show_error(self, WorkbenchError("create a signing identity first (New identity…): sign-offs are given "
                                            "under your identity and attested by its key"), "Nothing was signed")
            return None
        if wanted in self._unlocked:
            return self._unlocked[wanted]
        try:
            signer = unlock_signer(wanted, self.provider, notify=notifier(self))
        except PassphraseCancelled:
            return None
        except WorkbenchError as exc:
            show_error(self, exc, "Nothing was signed")
            return None
        self._unlocked[wanted] = signer
        return signer
