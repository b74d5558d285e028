"""Moving a finding to Risk accepted or Resolved asks what the register must say about it.

Risk accepted: who accepted the risk and why (the services refuse it without both; the date is the day it is
recorded). Resolved: what shows it is resolved, in words or by naming an evidence file of the engagement.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

ASKED = ("risk_accepted", "resolved")


def evidence_reference(record: dict[str, Any]) -> str:
    """How a resolution names an evidence file: 'Evidence file drift-report.pdf (SHA-256 1a2b3c4d5e6f…)'."""
    return f"Evidence file {record['file_name']} (SHA-256 {str(record['sha256'])[:12]}…)"


class StatusDetailsDialog(QDialog):
    def __init__(self, finding: dict[str, Any], status: str, evidence: list[dict[str, Any]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = status
        ref = f"{finding.get('ref', '')} · {finding.get('title', '')}".strip(" ·")
        self.setWindowTitle("Risk accepted" if status == "risk_accepted" else "Resolved")
        intro = QLabel(f"<b>{_esc(ref)}</b><br>" + (
            "Who accepted the risk, and why? Both are shown in the findings register of the report."
            if status == "risk_accepted" else
            "What shows that this finding is resolved? Describe it, or pick an evidence file of the engagement."))
        intro.setWordWrap(True)
        form = QFormLayout()
        self.accepted_by = QLineEdit(str(finding.get("accepted_by") or ""))
        self.accepted_by.setObjectName("acceptedBy")
        self.accepted_by.setPlaceholderText("name and role, e.g. Zoë Müller, CTO")
        self.reason = QPlainTextEdit(str((finding.get("accepted_reason") if status == "risk_accepted"
                                          else finding.get("resolution_evidence")) or ""))
        self.reason.setObjectName("statusReason")
        self.reason.setTabChangesFocus(True)
        self.evidence = QComboBox()
        self.evidence.setObjectName("resolutionEvidence")
        self.evidence.addItem("(none)", "")
        for record in evidence:
            self.evidence.addItem(record["file_name"], evidence_reference(record))
        self.evidence.activated.connect(lambda _i: self._add_evidence())
        if status == "risk_accepted":
            form.addRow("Accepted by", self.accepted_by)
            form.addRow("Why", self.reason)
            form.addRow("Accepted on", QLabel("today (the date it is recorded)"))
        else:
            form.addRow("Evidence", self.reason)
            if evidence:
                form.addRow("Evidence file", self.evidence)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.accepted_by.textChanged.connect(self._check)
        self.reason.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(520, 300)
        self._check()

    def _add_evidence(self) -> None:
        reference = self.evidence.currentData()
        if reference and reference not in self.reason.toPlainText():
            text = self.reason.toPlainText().rstrip()
            self.reason.setPlainText(f"{text}\n{reference}".strip())

    def _check(self) -> None:
        complete = bool(self.reason.toPlainText().strip()) and (
            self.status != "risk_accepted" or bool(self.accepted_by.text().strip()))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(complete)

    def values(self) -> dict[str, Any]:
        if self.status == "risk_accepted":
            return {"accepted_by": self.accepted_by.text().strip(),
                    "accepted_reason": self.reason.toPlainText().strip()}
        return {"resolution_evidence": self.reason.toPlainText().strip()}


def ask_status_details(parent: QWidget, finding: dict[str, Any], status: str,
                       evidence: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The fields a move to `status` needs, or None when the auditor cancels."""
    dialog = StatusDetailsDialog(finding, status, evidence, parent)
    return dialog.values() if dialog.exec() else None


def _esc(text: str) -> str:
    from html import escape

    return escape(text)
