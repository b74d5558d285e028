"""Small dialogs: new engagement, keyboard shortcuts, about."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench import __version__
from workbench.logs import log_file
from workbench.services.frameworks import available_frameworks
from workbench.store.workspace import Workspace


class NewEngagementDialog(QDialog):
    """Client, title, framework and the basics; everything else is edited on the Overview."""

    def __init__(self, ws: Workspace, clients: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New engagement")
        self.client = QComboBox()
        self.client.setEditable(True)
        self.client.addItems(sorted(set(clients)))
        self.client.setCurrentText("")
        self.client.lineEdit().setPlaceholderText("Client organisation")
        self.title_edit = QLineEdit(placeholderText="e.g. ML platform maturity audit")
        self.framework = QComboBox()
        for entry in available_frameworks(ws):
            fw = entry.framework
            self.framework.addItem(f"{fw.name} ({len(fw.dimensions)} dimensions, {fw.item_count} items)", fw.id)
        self.system = QLineEdit(placeholderText="System under audit")
        self.auditor = QLineEdit(placeholderText="Lead auditor")
        form = QFormLayout()
        form.addRow("Client", self.client)
        form.addRow("Title", self.title_edit)
        form.addRow("Framework", self.framework)
        form.addRow("System", self.system)
        form.addRow("Lead auditor", self.auditor)
        self.message = QLabel()
        self.message.setObjectName("dialogMessage")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def _accept(self) -> None:
        if not self.client.currentText().strip() or not self.title_edit.text().strip():
            self.message.setText("A client and a title are needed.")
            return
        self.accept()

    def values(self) -> dict[str, Any]:
        details = {k: v for k, v in (("system_name", self.system.text().strip()),
                                     ("lead_auditor", self.auditor.text().strip())) if v}
        return {"client": self.client.currentText().strip(), "title": self.title_edit.text().strip(),
                "framework_id": self.framework.currentData(), "details": details}


SHORTCUTS = (
    ("Ctrl+Shift+N", "New engagement"), ("Ctrl+L", "Engagement library"), ("Ctrl+I", "Import package"),
    ("Ctrl+E", "Export package"), ("Ctrl+Z", "Undo (any page)"), ("Ctrl+Shift+Z / Ctrl+Y", "Redo"),
    ("Ctrl+F", "Search the current table"), ("Ctrl+N", "Add a row on the current page"),
    ("Delete", "Delete the selected rows (undoable)"), ("Ctrl+1 … Ctrl+0", "Go to step 1 … 10"),
    ("Y / P / N / A", "Checklist: answer yes / partial / no / not applicable and move on"),
    ("Up / Down", "Checklist: previous / next item"), ("1 … 5", "Assessment: set the current level"),
    ("F1", "This list"), ("Ctrl+Q", "Quit"),
)


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        table = QTableWidget(len(SHORTCUTS), 2)
        table.setHorizontalHeaderLabels(["Keys", "Action"])
        for row, (keys, action) in enumerate(SHORTCUTS):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(action))
        table.verticalHeader().setVisible(False)
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(480, 460)


def about_text() -> str:
    return (f"<h3>MLOps Audit Workbench {__version__}</h3><p>Assess how an organisation runs machine learning "
            f"in production, offline, with a tamper-evident audit trail.</p><p>Log file: {log_file()}</p>")
