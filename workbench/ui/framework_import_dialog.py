"""Import a framework file with a preview, and set an imported framework's weights before its first use.

The file is read, converted and validated off the GUI thread; the auditor sees the dimensions, item
counts and the converter's warnings, may set relative weights, and only Import writes anything.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import WorkbenchError
from workbench.domain.framework import FRAMEWORK_ID_RULE, Framework, is_framework_id
from workbench.domain.wording import plural
from workbench.services.frameworks import (
    FrameworkEntry,
    FrameworkPreview,
    available_frameworks,
    import_framework_file,
    preview_framework_file,
    set_framework_weights,
)
from workbench.ui.appearance import mark_attention
from workbench.ui.errors import user_message
from workbench.ui.workers import run_task

if TYPE_CHECKING:
    from workbench.store.workspace import Workspace


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
        self.taken: set[tuple[str, str]] = set()  # (id, version) already in the workspace
        self.builtin_ids: set[str] = set()  # taken whatever the version
        self.summary = QLabel(f"Reading {escape(path.name)}…")
        self.summary.setObjectName("previewSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.id_edit = QLineEdit()
        self.id_edit.setObjectName("frameworkId")
        self.id_edit.setToolTip("The id you type on the command line (workbench new --framework ID) and that "
                                "packages carry; made from the catalog's title unless you change it")
        self.id_edit.textChanged.connect(self._check_id)
        self.id_problem = QLabel()
        self.id_problem.setObjectName("frameworkIdProblem")
        mark_attention(self.id_problem)
        self.weights = WeightsTable(self)
        self.warnings = QListWidget()
        self.warnings.setObjectName("previewWarnings")
        self.warnings.setMaximumHeight(90)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importFramework")
        self.import_button.setEnabled(False)
        self.equal_button = _weights_block(self, self.weights)
        self.buttons.addButton(self.equal_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)

        self.body = QWidget()  # everything about the content: hidden while reading and when refused
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Id:", self.id_edit)
        form.addRow("", self.id_problem)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(form)
        body.addWidget(QLabel("Dimensions and weights (relative; shares are what scoring uses):"))
        body.addWidget(self.weights, 1)
        body.addWidget(QLabel("Notes from the conversion:"))
        body.addWidget(self.warnings)
        self.body.hide()
        self.equal_button.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.body, 1)
        layout.addStretch(0)
        layout.addWidget(self.buttons)
        self.resize(760, 560)
        run_task(self._read, self._show_preview, self._refused, parent=self, label=f"Reading {path.name}…")

    def _read(self, _task: object) -> tuple[FrameworkPreview, list[FrameworkEntry]]:
        return preview_framework_file(self.path), available_frameworks(self.ws)

    def _show_preview(self, result: tuple[FrameworkPreview, list[FrameworkEntry]]) -> None:
        self.preview, entries = result
        self.taken = {(e.framework.id, e.framework.version) for e in entries}
        self.builtin_ids = {e.framework.id for e in entries if e.origin == "built-in"}
        fw = self.preview.framework
        self.summary.setText(
            f"<b>{escape(fw.name)}</b> — version {escape(fw.version)}<br>"
            f"{escape(self.preview.source_label)} · {escape(self.preview.file_name)} · "
            f"{self.preview.size / 1024:,.0f} KiB<br>"
            f"{plural(len(fw.dimensions), 'dimension')}, {plural(fw.item_count, 'checklist item')} · "
            f"SHA-256 <code>{self.preview.sha256}</code>")
        self.weights.show_framework(fw)
        self.warnings.clear()
        self.warnings.addItems(list(self.preview.warnings) or ["None: every part of the file was used."])
        self.body.show()
        self.equal_button.show()
        self.id_edit.setText(fw.id)
        self._check_id()

    def id_problem_text(self) -> str:
        """Why the id typed cannot be used, in plain words; empty when it can."""
        if self.preview is None:
            return ""
        text = self.id_edit.text().strip()
        if not is_framework_id(text):
            return f"Use {FRAMEWORK_ID_RULE}."
        if text in self.builtin_ids:
            return f"'{text}' is the id of a built-in framework: give this import another id."
        if (text, self.preview.framework.version) in self.taken:
            return (f"This workspace already has '{text}' version {self.preview.framework.version}: "
                    "give this import another id.")
        return ""

    def _check_id(self) -> None:
        problem = self.id_problem_text()
        self.id_problem.setText(problem)
        self.id_problem.setVisible(bool(problem))
        self.import_button.setEnabled(self.preview is not None and not problem)

    def _refused(self, exc: BaseException) -> None:
        self.summary.setText(f"<b>This file cannot be imported.</b><br>{escape(user_message(exc))}")
        self.import_button.setEnabled(False)
        if self.preview is None:  # nothing was read: there is no content to show
            self.body.hide()
            self.equal_button.hide()
            layout = self.layout()
            height = layout.heightForWidth(self.width()) if layout is not None and layout.hasHeightForWidth() else 0
            self.resize(self.width(), max(height, 160))

    def do_import(self) -> None:
        if self.preview is None or self.id_problem_text():
            return
        weights = self.weights.weights() if self.weights.changed() else None
        sha, framework_id = self.preview.sha256, self.id_edit.text().strip()
        self.import_button.setEnabled(False)

        def done(framework: Framework) -> None:
            self.imported = framework
            self.accept()

        run_task(lambda _task: import_framework_file(self.ws, self.path, weights=weights, expected_sha256=sha,
                                                     framework_id=framework_id),
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
