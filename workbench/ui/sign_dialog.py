"""The Sign dialog: which identity signs, in which role, as the opinion or as a draft, and where it goes.

The role is one the chosen identity signed off as in this engagement (`roles_of` lists them, most senior
first). A report of an engagement that is not final can only be signed as a draft, and only when the
auditor ticks that choice: the signature then reads "DRAFT — not an audit opinion". Only the choice is
made here; the Deliverables page checks it with services.report_signing, unlocks the identity and signs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
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

__all__ = ["SignChoice", "SignDialog"]

ROLE_LABELS = {"preparer": "Preparer", "reviewer": "Reviewer", "engagement_lead": "Engagement lead"}
DRAFT_CHOICE = "Sign as a draft: the signature reads \"DRAFT — not an audit opinion\""


@dataclass(frozen=True)
class SignChoice:
    identity_id: str
    role: str  # a sign-off role: preparer, reviewer or engagement_lead
    target: Path
    draft: bool = False


class SignDialog(QDialog):
    """Identity (with a way to create one), role and target file; OK only when all three make sense."""

    def __init__(self, identities: list[Identity], target: Path, roles_of: Callable[[str], list[str]],
                 final: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signDialog")
        self.setWindowTitle("Sign the report")
        self.identity = QComboBox()
        self.identity.setObjectName("signIdentity")
        self.identity.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        new_identity = QPushButton("New identity…")
        new_identity.setObjectName("newIdentity")
        new_identity.clicked.connect(self.create_identity)
        self.roles_of = roles_of
        self.final = final
        self.role = QComboBox()
        self.role.setObjectName("signRole")
        self.identity.currentIndexChanged.connect(lambda _i: self._fill_roles())
        self.draft = QCheckBox(DRAFT_CHOICE)
        self.draft.setObjectName("signDraft")
        self.draft.setEnabled(not final)
        self.draft.setToolTip("A final engagement's report is signed as the audit opinion" if final else
                              "This engagement is not final: its report can only be signed as a draft")
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
        form.addRow("", self.draft)
        form.addRow("Save signed report to", where)
        state = ("The engagement is final: the signed report is the audit opinion." if final else
                 "The engagement is not final, so the report can only be signed as a draft.")
        intro = QLabel(f"{state} The signature box on the last page will show your name, the role (one you "
                       "signed off as in this engagement), the time and your certificate's fingerprint. The "
                       "signed file is checked right after signing.")
        intro.setWordWrap(True)
        lay_out_form_dialog(self, intro, form, self.problem, "Sign", 620)
        self._fill(identities)

    def _fill(self, identities: list[Identity], select: str | None = None) -> None:
        self.identity.clear()
        for identity in identities:
            self.identity.addItem(identity_label(identity), identity.id)
        index = self.identity.findData(select) if select else 0
        self.identity.setCurrentIndex(max(index, 0))
        self._fill_roles()

    def _fill_roles(self) -> None:
        self.role.clear()
        identity_id = self.identity.currentData()
        for role in self.roles_of(str(identity_id)) if identity_id else []:
            self.role.addItem(ROLE_LABELS.get(role, role), role)

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
        return SignChoice(str(self.identity.currentData() or ""), str(self.role.currentData() or ""),
                          Path(self.target.text().strip()).expanduser(), self.draft.isChecked())

    def accept(self) -> None:
        choice = self.choice()
        problem = ""
        if not choice.identity_id:
            problem = "Choose the identity that signs, or create one."
        elif not choice.role:
            problem = ("This identity has given no sign-off in this engagement, so it cannot sign the report: "
                       "the signature's role must be one it signed off as.")
        elif not self.final and not choice.draft:
            problem = ("The engagement is not final: finalise it to sign the audit opinion, or tick the draft "
                       "choice to sign a draft.")
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
