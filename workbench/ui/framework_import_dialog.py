"""Import a framework file with a preview, and set an imported framework's weights before its first use.

The file is read, converted and validated off the GUI thread; the auditor sees the dimensions, item
counts and the converter's warnings, may set relative weights, and only Import writes anything.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import WorkbenchError
from workbench.domain.framework import Framework
from workbench.services.frameworks import (
    FrameworkPreview,
    import_framework_file,
    preview_framework_file,
    set_framework_weights,
)
from workbench.store.workspace import Workspace
from workbench.ui.errors import user_message
from workbench.ui.workers import run_task


class WeightsTable(QTableWidget):
    """One row per dimension: relative weight (editable) and the share it gives after normalising."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName("weightsTable")
        self.setHorizontalHeaderLabels(["Dimension", "Items", "Relative weight", "Share"])
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.spins: list[tuple[str, QDoubleSpinBox]] = []
        self._initial: list[float] = []

    def show_framework(self, framework: Framework) -> None:
        self.setRowCount(len(framework.dimensions))
        self.spins = []
        smallest = min((d.weight for d in framework.dimensions), default=1.0) or 1.0
        for row, dimension in enumerate(framework.dimensions):
            self.setItem(row, 0, QTableWidgetItem(f"{dimension.id} · {dimension.name}"))
            count = QTableWidgetItem(str(len(dimension.items)))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(row, 1, count)
            spin = QDoubleSpinBox(minimum=0.01, maximum=1000.0, decimals=2, singleStep=0.5)
            spin.setValue(round(dimension.weight / smallest, 2))
            spin.setAccessibleName(f"Weight of {dimension.id}")
            spin.valueChanged.connect(lambda _v: self._update_shares())
            self.setCellWidget(row, 2, spin)
            self.spins.append((dimension.id, spin))
        self._initial = [spin.value() for _, spin in self.spins]
        self._update_shares()
        self.resizeColumnsToContents()
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _update_shares(self) -> None:
        total = sum(spin.value() for _, spin in self.spins) or 1.0
        for row, (_, spin) in enumerate(self.spins):
            share = QTableWidgetItem(f"{spin.value() / total:.1%}")
            share.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            share.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.setItem(row, 3, share)

    def set_equal(self) -> None:
        for _, spin in self.spins:
            spin.setValue(1.0)

    def changed(self) -> bool:
        return [spin.value() for _, spin in self.spins] != self._initial

    def weights(self) -> dict[str, float]:
        return {dimension_id: spin.value() for dimension_id, spin in self.spins}


def _weights_block(parent: QWidget, table: WeightsTable) -> QPushButton:
    equal = QPushButton("Equal weights", parent)
    equal.setObjectName("equalWeights")
    equal.clicked.connect(table.set_equal)
    return equal


class FrameworkImportDialog(QDialog):
    """Preview of a framework file (any supported format); Import stores it in the workspace."""

    def __init__(self, ws: Workspace, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("frameworkImportDialog")
        self.setWindowTitle(f"Import framework from {path.name}")
        self.ws, self.path = ws, Path(path)
        self.preview: FrameworkPreview | None = None
        self.imported: Framework | None = None
        self.summary = QLabel(f"Reading {escape(path.name)}…")
        self.summary.setObjectName("previewSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.weights = WeightsTable(self)
        self.warnings = QListWidget()
        self.warnings.setObjectName("previewWarnings")
        self.warnings.setMaximumHeight(90)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importFramework")
        self.import_button.setEnabled(False)
        self.buttons.addButton(_weights_block(self, self.weights), QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("Dimensions and weights (relative; shares are what scoring uses):"))
        layout.addWidget(self.weights, 1)
        layout.addWidget(QLabel("Notes from the conversion:"))
        layout.addWidget(self.warnings)
        layout.addWidget(self.buttons)
        self.resize(760, 560)
        run_task(lambda _task: preview_framework_file(self.path), self._show_preview, self._refused,
                 parent=self, label=f"Reading {path.name}…")

    def _show_preview(self, preview: FrameworkPreview) -> None:
        self.preview = preview
        fw = preview.framework
        self.summary.setText(
            f"<b>{escape(fw.name)}</b> — id <code>{escape(fw.id)}</code>, version {escape(fw.version)}<br>"
            f"{escape(preview.source_label)} · {escape(preview.file_name)} · {preview.size / 1024:,.0f} KiB<br>"
            f"{len(fw.dimensions)} dimensions, {fw.item_count} checklist items · "
            f"SHA-256 <code>{preview.sha256}</code>")
        self.weights.show_framework(fw)
        self.warnings.clear()
        self.warnings.addItems(list(preview.warnings) or ["None: every part of the file was used."])
        self.import_button.setEnabled(True)

    def _refused(self, exc: BaseException) -> None:
        self.summary.setText(f"<b>This file cannot be imported.</b><br>{escape(user_message(exc))}")
        self.import_button.setEnabled(False)

    def do_import(self) -> None:
        if self.preview is None:
            return
        weights = self.weights.weights() if self.weights.changed() else None
        sha = self.preview.sha256
        self.import_button.setEnabled(False)

        def done(framework: Framework) -> None:
            self.imported = framework
            self.accept()

        run_task(lambda _task: import_framework_file(self.ws, self.path, weights=weights, expected_sha256=sha),
                 done, self._refused, parent=self, label=f"Importing {self.path.name}…")


class WeightsDialog(QDialog):
    """Re-weight an imported framework that no engagement uses yet."""

    def __init__(self, ws: Workspace, framework: Framework, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("frameworkWeightsDialog")
        self.setWindowTitle(f"Weights of {framework.name}")
        self.ws, self.framework = ws, framework
        self.table = WeightsTable(self)
        self.table.show_framework(framework)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(_weights_block(self, self.table), QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Relative weights; an engagement started later freezes the shares shown."))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(620, 480)

    def save(self) -> None:
        try:
            set_framework_weights(self.ws, self.framework.id, self.table.weights(), self.framework.version)
        except WorkbenchError as exc:  # e.g. an engagement started from it meanwhile
            self.message.setText(user_message(exc))
            return
        self.accept()
