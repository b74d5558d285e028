"""The firm's own wording for every report: the important notice and the method (preferences)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import WorkbenchError
from workbench.services.preferences import Preferences, load_preferences, update_preferences
from workbench.ui.errors import user_message


class FirmTextDialog(QDialog):
    """Edit the important notice and the method printed in the full report's "About this report"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firmTextDialog")
        self.setWindowTitle("Report wording")
        self.resize(720, 520)
        try:
            current = load_preferences()
        except WorkbenchError:
            current = Preferences()
        self.notice = QPlainTextEdit(current.important_notice)
        self.notice.setObjectName("firmNotice")
        self.method = QPlainTextEdit(current.methodology)
        self.method.setObjectName("firmMethod")
        form = QFormLayout()
        form.addRow("Important notice", self.notice)
        form.addRow("Method", self.method)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_defaults)
        layout = QVBoxLayout(self)
        note = QLabel("Printed in every full report under “About this report”. {client} is replaced by the "
                      "client's name.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def restore_defaults(self) -> None:
        self.notice.setPlainText(Preferences().important_notice)
        self.method.setPlainText(Preferences().methodology)

    def save(self) -> None:
        try:
            update_preferences(important_notice=self.notice.toPlainText().strip(),
                               methodology=self.method.toPlainText().strip())
        except WorkbenchError as exc:
            QMessageBox.warning(self, "Report wording", user_message(exc))
            return
        self.accept()
