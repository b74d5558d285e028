"""Signed packages in the GUI: who signs an export, and the explicit choice to import an untrusted package.

An export is signed by one of this computer's identities (the newest unless the auditor picks another) and
its key attests the trail; with no identity the auditor may export an unsigned package, told that it can
only be imported as untrusted. An import that services.packages refuses as untrusted (unsigned, or signed
by an identity this computer does not trust) is retried only after a confirmation naming the risk; the
trail then records that it was imported untrusted.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from workbench.domain.errors import WorkbenchError
from workbench.services import signatures
from workbench.services.attestation import Signer, unlock_signer
from workbench.services.package_signature import UntrustedPackage
from workbench.services.signatures import PassphraseCancelled
from workbench.ui.errors import show_error
from workbench.ui.identity_dialog import identity_label
from workbench.ui.passphrase import dialog_provider, notifier

__all__ = ["ExportSigner", "UntrustedPackage", "choose_export_signer", "confirm_untrusted"]

UNTRUSTED_RISK = ("Nothing this computer trusts vouches for where this package comes from or that it is what its "
                  "author exported: its content could have been changed by anyone who handled it, as long as its "
                  "trail still holds together. Import it only if you know where it came from. The audit trail "
                  "will record that it was imported as untrusted.")


@dataclass(frozen=True)
class ExportSigner:
    """The auditor's choice: a signer, or an unsigned export (signer None); `go` False when they cancelled."""

    go: bool
    signer: Signer | None = None


def confirm_untrusted(parent: QWidget, exc: UntrustedPackage) -> bool:
    """Ask whether to import a package nothing here vouches for, naming the risk."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Untrusted package",
                      f"This package {exc.reason}.\n\n{UNTRUSTED_RISK}",
                      QMessageBox.StandardButton.Cancel, parent)
    box.setObjectName("untrustedPackage")
    accept = box.addButton("Import as untrusted", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is accept


def choose_export_signer(parent: QWidget) -> ExportSigner:
    """Pick and unlock the identity that signs an export (GUI thread: it may ask for a passphrase)."""
    try:
        found = [i for i in signatures.list_identities() if not i.expired()]
    except WorkbenchError as exc:
        show_error(parent, exc, "Package not exported")
        return ExportSigner(False)
    if not found:
        answer = QMessageBox.question(parent, "No signing identity",
                                      "You have no signing identity, so the package cannot be signed. Export it "
                                      "unsigned? An unsigned package can only be imported as untrusted.")
        return ExportSigner(answer == QMessageBox.StandardButton.Yes)
    chosen = found[-1]
    if len(found) > 1:
        labels = [identity_label(i) for i in reversed(found)]
        label, ok = QInputDialog.getItem(parent, "Sign the package", "Sign the package as", labels, 0, False)
        if not ok:
            return ExportSigner(False)
        chosen = list(reversed(found))[labels.index(label)]
    try:
        return ExportSigner(True, unlock_signer(chosen.id, dialog_provider(parent), notify=notifier(parent)))
    except PassphraseCancelled:
        return ExportSigner(False)
    except WorkbenchError as exc:
        show_error(parent, exc, "Package not exported")
        return ExportSigner(False)
