"""Small dialogs: new engagement, keyboard shortcuts, about."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
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
from workbench.domain.wording import plural
from workbench.logs import log_file
from workbench.services.frameworks import available_frameworks
from workbench.ui.keys import page_keys

if TYPE_CHECKING:
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
        client_edit = self.client.lineEdit()
        if client_edit is not None:  # an editable combo box always has one
            client_edit.setPlaceholderText("Client organisation")
        self.title_edit = QLineEdit(placeholderText="e.g. ML platform maturity audit")
        self.framework = QComboBox()
        for entry in available_frameworks(ws):
            fw = entry.framework
            # an imported catalog's title can run to a hundred characters: shortened here, whole in the tooltip
            name = fw.name if len(fw.name) <= 56 else fw.name[:55].rstrip() + "…"
            self.framework.addItem(f"{name} ({plural(len(fw.dimensions), 'dimension')}, "
                                   f"{plural(fw.item_count, 'item')})", fw.id)
            self.framework.setItemData(self.framework.count() - 1, f"{fw.name}\nid {fw.id}, version {fw.version}",
                                       Qt.ItemDataRole.ToolTipRole)
        self.framework.currentIndexChanged.connect(self._show_framework_tip)
        self._show_framework_tip(self.framework.currentIndex())
        self.system = QLineEdit(placeholderText="System under audit")
        self.auditor = QLineEdit(placeholderText="Lead auditor")
        form = QFormLayout()
        form.addRow("Client", self.client)
        form.addRow("Title", self.title_edit)
        form.addRow("Framework", self.framework)
        form.addRow("System", self.system)
        form.addRow("Lead auditor", self.auditor)
        self.starter = QCheckBox("Start from the seed templates")
        self.starter.setObjectName("starter")
        self.starter.setToolTip("Fill the new engagement with the starter risks, cost strategies and budget lines, "
                                "roadmap phases, compliance requirements, platform criteria, tool evaluations and "
                                "monitoring metrics; edit or delete any of them afterwards")
        form.addRow("", self.starter)
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

    def _show_framework_tip(self, index: int) -> None:
        self.framework.setToolTip(str(self.framework.itemData(index, Qt.ItemDataRole.ToolTipRole) or ""))

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


def _cell_text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


def action_shortcuts(actions: Sequence[QAction]) -> list[tuple[str, str]]:
    """(keys, what they do) for every action that has a shortcut, in menu order."""
    rows = []
    for action in actions:
        keys = " / ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
        if keys:
            text = action.text().replace("&", "").rstrip("…").strip()
            rows.append((keys, f"Go to {text}" if action.objectName().startswith("go_") else text))
    return rows


class ShortcutsDialog(QDialog):
    """Help > Keyboard shortcuts: built from the live actions, so an added menu entry is listed too."""

    def __init__(self, actions: Sequence[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcutsDialog")
        rows = action_shortcuts(actions) + [(row.keys, row.what) for row in page_keys()]
        self.table = QTableWidget(len(rows), 2)
        self.table.setObjectName("shortcutTable")
        self.table.setHorizontalHeaderLabels(["Keys", "Action"])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, action) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(action))
        self.table.verticalHeader().setVisible(False)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(620, 560)

    def rows(self) -> list[tuple[str, str]]:
        return [(_cell_text(self.table, r, 0), _cell_text(self.table, r, 1)) for r in range(self.table.rowCount())]


def about_text() -> str:
    return (f"<h3>MLOps Audit Workbench {__version__}</h3><p>Assess how an organisation runs machine learning "
            f"in production, offline, with a tamper-evident audit trail.</p><p>Log file: {log_file()}</p>")
