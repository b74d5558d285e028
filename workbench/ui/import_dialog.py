"""Spreadsheet import with a column-mapping preview and a per-row error list.

Nothing is written until the auditor presses Import, and then all rows or none (services.records_io).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.fields import fields_of
from workbench.services.records_io import (
    ImportPreview,
    commit_import,
    engagement_context,
    read_table,
    suggest_mapping,
    validate_rows,
)
from workbench.services.table_readers import RawTable
from workbench.ui.session import EngagementSession

PREVIEW_ROWS = 50
IGNORE = "— ignore —"


class ImportDialog(QDialog):
    """Map the file's columns to fields, see every bad row, import all or nothing."""

    def __init__(self, session: EngagementSession, kind: str, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import {kind}s from {path.name}")
        self.session = session
        self.kind = kind
        self.path = path
        self.table: RawTable = read_table(path)
        self.context = engagement_context(session.ws, session.uid, kind)
        self.preview: ImportPreview | None = None
        self.imported: list[str] = []
        fields = [f.name for f in fields_of(kind) if f.name not in ("carried_forward",)]
        suggested = suggest_mapping(kind, self.table.headers)

        self.mapping = QTableWidget(len(self.table.headers), 3)
        self.mapping.setObjectName("mappingTable")
        self.mapping.setHorizontalHeaderLabels(["Column in the file", "Imported as", "First value"])
        self.mapping.verticalHeader().setVisible(False)
        self.combos: list[QComboBox] = []
        for row, header in enumerate(self.table.headers):
            self.mapping.setItem(row, 0, QTableWidgetItem(header))
            combo = QComboBox()
            combo.addItem(IGNORE, None)
            for name in fields:
                combo.addItem(name, name)
            combo.setCurrentIndex(max(combo.findData(suggested.get(header)), 0))
            combo.currentIndexChanged.connect(self.revalidate)
            self.mapping.setCellWidget(row, 1, combo)
            self.combos.append(combo)
            first = self.table.rows[0].values[row] if self.table.rows and row < len(self.table.rows[0].values) else ""
            self.mapping.setItem(row, 2, QTableWidgetItem(str(first if first is not None else "")))
        self.mapping.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.mapping.horizontalHeader().setStretchLastSection(True)

        self.rows = QTableWidget()
        self.rows.setObjectName("previewTable")
        self.errors = QListWidget()
        self.errors.setObjectName("errorList")
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("Import")
        self.buttons.accepted.connect(self._import)
        self.buttons.rejected.connect(self.reject)

        mapping_box = QGroupBox("Columns")
        QVBoxLayout(mapping_box).addWidget(self.mapping)
        rows_box = QGroupBox(f"Rows (first {PREVIEW_ROWS})")
        QVBoxLayout(rows_box).addWidget(self.rows)
        errors_box = QGroupBox("Problems")
        QVBoxLayout(errors_box).addWidget(self.errors)
        splitter = QSplitter(Qt.Orientation.Vertical)
        top = QSplitter()
        top.addWidget(mapping_box)
        top.addWidget(rows_box)
        top.setSizes([380, 600])
        splitter.addWidget(top)
        splitter.addWidget(errors_box)
        splitter.setSizes([420, 180])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(1100, 680)
        self.revalidate()

    def current_mapping(self) -> dict[str, str | None]:
        return {header: combo.currentData() for header, combo in zip(self.table.headers, self.combos, strict=True)}

    def revalidate(self) -> None:
        try:
            self.preview = validate_rows(self.kind, self.table, self.current_mapping(), context=self.context)
        except Exception as exc:  # a mapping the rules refuse (two columns to one field)
            self.preview = None
            self.summary.setText(str(exc))
            self.import_button.setEnabled(False)
            return
        self._show_rows()
        self.errors.clear()
        for error in self.preview.errors:
            self.errors.addItem(str(error))
        count = len(self.table.rows)
        if self.preview.errors:
            bad = len({e.line for e in self.preview.errors})
            self.summary.setText(f"{bad} of {count} rows have problems. Nothing will be imported until every "
                                 "row is correct: fix the file, or change the column mapping.")
        else:
            self.summary.setText(f"All {count} rows are valid and will be imported together.")
        self.import_button.setEnabled(self.preview.ok and count > 0)

    def _show_rows(self) -> None:
        mapped = [(i, name) for i, name in enumerate(self.current_mapping().values()) if name]
        self.rows.clear()
        self.rows.setColumnCount(len(mapped) + 1)
        self.rows.setHorizontalHeaderLabels([self.table.line_word.capitalize(), *[name for _i, name in mapped]])
        shown = self.table.rows[:PREVIEW_ROWS]
        self.rows.setRowCount(len(shown))
        bad_lines = {e.line for e in self.preview.errors} if self.preview else set()
        for r, raw in enumerate(shown):
            line_item = QTableWidgetItem(str(raw.line))
            if raw.line in bad_lines:
                line_item.setText(f"{raw.line} ⚠")
            self.rows.setItem(r, 0, line_item)
            for c, (index, _name) in enumerate(mapped, start=1):
                value: Any = raw.values[index] if index < len(raw.values) else ""
                self.rows.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        self.rows.resizeColumnsToContents()

    def _import(self) -> None:
        if self.preview is None or not self.preview.ok:
            return
        preview = self.preview
        ws, uid, kind = self.session.ws, self.session.uid, self.kind
        created: list[str] = []

        def redo() -> None:
            created[:] = commit_import(ws, uid, kind, preview)

        def undo() -> None:
            from workbench.services.records import delete_records

            delete_records(ws, uid, kind, list(created))

        if self.session.apply(f"Import {len(preview.records)} {kind}s from {self.path.name}", redo, undo, {kind}):
            self.imported = list(created)
            self.accept()
        else:
            self.summary.setText("The import was refused; nothing was changed. See the message for why.")
