"""The framework page: built-in and imported frameworks, where each came from, its size and its use.

Import goes through a preview (framework_import_dialog); weights and deletion are offered only for an
imported framework that no engagement uses, since engagements freeze their framework when they start.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.catalogs.provenance import provenance_line
from workbench.domain.wording import percent
from workbench.services.frameworks import FrameworkEntry, available_frameworks, delete_framework
from workbench.ui.errors import show_error
from workbench.ui.folders import start_folder
from workbench.ui.framework_import_dialog import FrameworkImportDialog, WeightsDialog

if TYPE_CHECKING:
    from workbench.store.workspace import Workspace

COLUMNS = ("Framework", "Id", "Version", "Source", "Dimensions", "Items", "Engagements")
FILE_FILTER = "Frameworks (*.json *.yaml *.yml);;All files (*)"


def _ask(parent: QWidget, text: str) -> bool:
    return QMessageBox.question(parent, "Delete framework", text) == QMessageBox.StandardButton.Yes


class FrameworksPage(QWidget):
    changed = Signal()  # a framework was imported, re-weighted or deleted

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("frameworksPage")
        self.ws = ws
        self.entries: list[FrameworkEntry] = []
        self.confirm: Callable[[QWidget, str], bool] = _ask  # tests answer for the auditor
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("frameworkTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.detail = QLabel()
        self.detail.setObjectName("frameworkDetail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text, tip, slot in (
                ("import", "Import…", "Import a workbench, OSCAL catalog or CISO Assistant file", self.choose_file),
                ("weights", "Weights…", "Set the weights of an imported framework no engagement uses",
                 self.edit_weights),
                ("delete", "Delete", "Delete an imported framework no engagement uses", self.delete_selected)):
            button = QPushButton(text)
            button.setObjectName(f"frameworks_{key}")
            button.setToolTip(tip)
            button.clicked.connect(slot)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes([320, 220])
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(splitter, 1)
        self.refresh()

    def refresh(self, select_id: str | None = None) -> None:
        selected = self.selected()
        current = select_id or (selected.framework.id if selected else None)
        self.entries = available_frameworks(self.ws)
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            fw = entry.framework
            values = (fw.name, fw.id, fw.version, entry.source_label, len(fw.dimensions), fw.item_count,
                      entry.engagements)
            for column, value in enumerate(values):
                cell = QTableWidgetItem(str(value))
                if isinstance(value, int):
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        rows = [n for n, e in enumerate(self.entries) if e.framework.id == current]
        self.table.selectRow(rows[-1] if rows else 0)
        self._show_selected()

    def selected(self) -> FrameworkEntry | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.entries[rows[0].row()] if rows and rows[0].row() < len(self.entries) else None

    def _show_selected(self) -> None:
        entry = self.selected()
        editable = entry is not None and entry.origin == "imported" and entry.engagements == 0
        self.buttons["weights"].setEnabled(editable)
        self.buttons["delete"].setEnabled(editable)
        if entry is None:
            self.detail.setText("")
            return
        fw = entry.framework
        use = (f"Used by {entry.engagements} engagement{'s' if entry.engagements != 1 else ''}: its weights are "
               "frozen in them, and it cannot be deleted." if entry.engagements else "Not used by any engagement.")
        source = provenance_line(fw.raw) or fw.source
        dims = " · ".join(f"{escape(d.id)} {escape(d.name)} ({len(d.items)}, {percent(d.weight)})"
                          for d in fw.dimensions)
        self.detail.setText(f"<b>{escape(fw.name)}</b> {escape(fw.version)}<br>{escape(fw.description)}<br>"
                            f"<i>Source:</i> {escape(source)}<br><i>{use}</i><br><br><i>Dimensions:</i> {dims}")

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import framework", str(start_folder()), FILE_FILTER)
        if path:
            self.import_file(Path(path)).open()

    def import_file(self, path: Path) -> FrameworkImportDialog:
        """The preview dialog for a file; on Import the list shows the new framework."""
        dialog = FrameworkImportDialog(self.ws, path, self)
        dialog.accepted.connect(lambda: (self.refresh(dialog.imported.id if dialog.imported else None),
                                         self.changed.emit()))
        return dialog

    def edit_weights(self) -> WeightsDialog | None:
        entry = self.selected()
        if entry is None or entry.origin != "imported":
            return None
        dialog = WeightsDialog(self.ws, entry.framework, self)
        dialog.accepted.connect(lambda: (self.refresh(entry.framework.id), self.changed.emit()))
        dialog.open()
        return dialog

    def delete_selected(self) -> None:
        entry = self.selected()
        if entry is None or entry.origin != "imported":
            return
        fw = entry.framework
        if not self.confirm(self, f"Delete the imported framework “{fw.name}” {fw.version}? The file can be "
                                  "imported again later."):
            return
        try:
            delete_framework(self.ws, fw.id, fw.version)
        except Exception as exc:
            show_error(self, exc, "Framework not deleted")
        self.refresh()
        self.changed.emit()


class FrameworksDialog(QDialog):
    """The framework page in its own window, opened from the File menu."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("frameworksDialog")
        self.setWindowTitle("Frameworks")
        self.page = FrameworksPage(ws, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page, 1)
        layout.addWidget(buttons)
        self.resize(1100, 640)
