"""Send the checklist out as a spreadsheet (a client self-assessment) and take the answers back.

The file is read and checked off the GUI thread; the auditor sees what would change and confirms; the
answers then change as one step of the undo history.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QHBoxLayout, QMessageBox, QPushButton, QWidget

from workbench.domain.errors import WorkbenchError
from workbench.domain.wording import plural
from workbench.services.checklist_io import ChecklistImport, apply_answers, export_checklist, read_checklist_answers
from workbench.ui.errors import show_error
from workbench.ui.session import EngagementSession
from workbench.ui.workers import run_task

SHEETS = "Excel workbook (*.xlsx);;CSV (*.csv);;JSON (*.json)"
READABLE = "Spreadsheets (*.xlsx *.xlsm *.csv *.tsv *.txt *.json);;All files (*)"
LISTED_CHANGES = 30


class ChecklistTransfer(QWidget):
    """Two buttons under the dimensions: Export checklist…, Import answers…."""

    message = Signal(str)  # a line for the status bar

    def __init__(self, session: EngagementSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.export_button = QPushButton("Export checklist…")
        self.export_button.setObjectName("exportChecklist")
        self.export_button.setToolTip("Every checklist item with its dimension, answer and note, as a spreadsheet "
                                      "the client can fill in (a self-assessment)")
        self.export_button.clicked.connect(self.choose_export)
        self.import_button = QPushButton("Import answers…")
        self.import_button.setObjectName("importAnswers")
        self.import_button.setToolTip("Answers and notes from a filled-in checklist; you see what would change "
                                      "before anything does, and Undo takes it back")
        self.import_button.clicked.connect(self.choose_import)
        self.confirm: QMessageBox | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.export_button)
        layout.addWidget(self.import_button)
        self.refresh()

    def refresh(self) -> None:
        self.import_button.setEnabled(not self.session.locked)

    # -- export
    def choose_export(self) -> None:
        ref = self.session.document["engagement"]["ref"]
        path, _ = QFileDialog.getSaveFileName(self, "Export the checklist", f"{ref} checklist.xlsx", SHEETS)
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> Path | None:
        try:
            written = export_checklist(self.session.ws, self.session.uid, path)
        except WorkbenchError as exc:
            show_error(self, exc, "Checklist not exported")
            return None
        self.message.emit(f"Checklist exported to {written}")
        return written

    # -- import
    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import answers from a filled-in checklist", "", READABLE)
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> None:
        """Read and check the file in a worker; then ask before changing anything."""
        ws, uid = self.session.ws, self.session.uid
        run_task(lambda _task: read_checklist_answers(ws, uid, path), self._ask,
                 lambda exc: show_error(self, exc, "Answers not imported"), parent=self,
                 label=f"Reading {path.name}…")

    def _ask(self, found: ChecklistImport) -> None:
        if not found.changes:
            self.message.emit(f"{found.file_name}: nothing to change ({found.unchanged} answers as before, "
                              f"{found.blank} left blank)")
            return
        listed = "".join(f"<li>{escape(c.item_id)}: {escape(c.old_answer)} → <b>{escape(c.answer)}</b></li>"
                         for c in found.changes[:LISTED_CHANGES])
        more = f"<li>… and {len(found.changes) - LISTED_CHANGES} more</li>" if len(found.changes) > LISTED_CHANGES \
            else ""
        box = QMessageBox(QMessageBox.Icon.Question, "Import answers",
                          f"<p>Change {plural(len(found.changes), 'answer')} from {escape(found.file_name)}? "
                          f"{found.unchanged} as before, {found.blank} left blank. Undo takes it back.</p>"
                          f"<ul>{listed}{more}</ul>",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("confirmAnswers")
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.finished.connect(lambda _result: self.apply(found) if box.clickedButton() is yes else None)
        self.confirm = box
        box.open()

    def apply(self, found: ChecklistImport) -> bool:
        """Change the answers as one undoable step; False if the engagement refused it."""
        ws, uid = self.session.ws, self.session.uid
        new = [(c.item_id, c.answer, c.note) for c in found.changes]
        old = [(c.item_id, c.old_answer, c.old_note) for c in found.changes]
        text = f"Import {plural(len(new), 'answer')} from {found.file_name}"
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # a thousand answers take about a second
        try:
            done = self.session.apply(text, lambda: apply_answers(ws, uid, new),
                                      lambda: apply_answers(ws, uid, old), {"checklist"})
        finally:
            QApplication.restoreOverrideCursor()
        if done:
            self.message.emit(f"{plural(len(new), 'answer')} imported from {found.file_name}")
        return done
