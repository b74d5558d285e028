"""The Sign dialog: which identity signs, in which role, and where the signed report is written.

Only the choice is made here; the Deliverables page unlocks the identity and signs in a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from workbench.ui.identity_dialog import CreateIdentityDialog, identity_label, lay_out_form_dialog

if TYPE_CHECKING:
    from workbench.signing.identities import Identity

__all__ = ["ROLES", "SignChoice", "SignDialog"]

ROLES = ("Lead auditor", "Engagement partner", "Reviewer", "Auditor")


@dataclass(frozen=True)
class SignChoice:
    identity_id: str
    role: str
    target: Path


class SignDialog(QDialog):
    """Identity (with a way to create one), role and target file; OK only when all three make sense."""

    def __init__(self, identities: list[Identity], target: Path, role: str = ROLES[0],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signDialog")
        self.setWindowTitle("Sign the report")
        self.identity = QComboBox()
        self.identity.setObjectName("signIdentity")
        self.identity.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        new_identity = QPushButton("New identity…")
        new_identity.setObjectName("newIdentity")
        new_identity.clicked.connect(self.create_identity)
        self.role = QComboBox()
        self.role.setObjectName("signRole")
        self.role.setEditable(True)
        self.role.addItems(list(dict.fromkeys((role, *ROLES))))
        self.target = QLineEdit(str(target))
        self.target.setObjectName("signTarget")
        browse = QPushButton("Browse…")
        browse.setObjectName("browseTarget")
        browse.clicked.connect(self.browse)
        self._confirmed: str | None = None  # a path the save dialog already confirmed overwriting
        self.problem = QLabel()
        self.problem.setObjectName("signProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        who = QHBoxLayout()
        who.addWidget(self.identity, 1)
        who.addWidget(new_identity)
        where = QHBoxLayout()
        where.addWidget(self.target, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow("Sign as", who)
        form.addRow("Role", self.role)
        form.addRow("Save signed report to", where)
        intro = QLabel("The signature box on the last page will show your name, the role, the time and your "
                       "certificate's fingerprint. The signed file is checked right after signing.")
        intro.setWordWrap(True)
        lay_out_form_dialog(self, intro, form, self.problem, "Sign", 620)
        self._fill(identities)

    def _fill(self, identities: list[Identity], select: str | None = None) -> None:
        self.identity.clear()
        for identity in identities:
            self.identity.addItem(identity_label(identity), identity.id)
        index = self.identity.findData(select) if select else 0
        self.identity.setCurrentIndex(max(index, 0))

    def create_identity(self) -> None:
        from workbench.services.signatures import list_identities

        dialog = CreateIdentityDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.identity is not None:
            self._fill(list_identities(), dialog.identity.id)

    def browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the signed report", self.target.text(),
                                              "PDF documents (*.pdf)")
        if path:
            path = path if path.lower().endswith(".pdf") else path + ".pdf"
            self.target.setText(path)
            self._confirmed = path

    def choice(self) -> SignChoice:
        return SignChoice(str(self.identity.currentData() or ""), self.role.currentText().strip(),
                          Path(self.target.text().strip()).expanduser())

    def accept(self) -> None:
        choice = self.choice()
        problem = ""
        if not choice.identity_id:
            problem = "Choose the identity that signs, or create one."
        elif not choice.role:
            problem = "Say in which role you sign (for example Lead auditor)."
        elif choice.target.suffix.lower() != ".pdf" or not choice.target.name:
            problem = "The signed report needs a file name ending in .pdf."
        elif not choice.target.parent.is_dir():
            problem = f"The folder {choice.target.parent} does not exist."
        if problem:
            self.problem.setText(problem)
            self.problem.show()
            return
        if choice.target.exists() and self._confirmed != self.target.text().strip():
            answer = QMessageBox.question(self, "Replace the file?",
                                          f"{choice.target.name} already exists. Replace it with the signed report?")
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().accept()
