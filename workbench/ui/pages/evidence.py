"""Evidence: the engagement's files, what each supports, and a preview of images and text.

The page lists, searches and previews the files and asks what to do with them; files are read off the GUI
thread. Every change (attach, link, unlink, remove, description) is one undoable service call, made by
pages/evidence_edits.py. Saving a copy never touches the workspace.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.fields import Field
from workbench.domain.wording import plural
from workbench.services import evidence as evidence_service
from workbench.ui.column_fit import MINOR, ColumnFitter, Fit
from workbench.ui.errors import show_error
from workbench.ui.pages.evidence_details import EvidenceDetails
from workbench.ui.pages.evidence_edits import EvidenceEdits, Kept, Loaded
from workbench.ui.pages.evidence_widgets import (
    EvidencePreview,
    LinkDialog,
    human_size,
    link_name,
    read_files,
    when,
)
from workbench.ui.record_form import FieldDelegate
from workbench.ui.record_model import Column, RecordTableModel
from workbench.ui.session import EngagementSession
from workbench.ui.status import show_status
from workbench.ui.workers import run_task

COLUMNS = [
    Column(Field("file_name", label="File"), editable=False),
    Column(Field("description", "longtext"), width=260),
    Column(Field("media_type", label="Type"), editable=False),
    Column(Field("size", "int", label="Size"), editable=False, display=lambda v, _r: human_size(v)),
    Column(Field("captured_at", label="Captured"), editable=False, display=lambda v, _r: when(v)),
    Column(Field("sha256", label="SHA-256"), editable=False, display=lambda v, _r: f"{str(v)[:12]}…"),
    Column(Field("linked", label="Linked to"), editable=False),
]
FITS = {"file_name": Fit(1, minimum_chars=16), "description": Fit(1, minimum_chars=20, stretch=True),
        "linked": Fit(2, minimum_chars=12, maximum=200), "media_type": MINOR, "size": MINOR, "captured_at": MINOR,
        "sha256": MINOR}


class EvidencePage(QWidget):
    def __init__(self, session: EngagementSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page_evidence")
        self.session = session
        self.setAcceptDrops(True)
        self.buttons: dict[str, QPushButton] = {}
        toolbar = QHBoxLayout()
        for key, text, tip, slot in (
                ("attach", "Attach files…", "Attach files as evidence (or drop them on this page)", self.attach_files),
                ("link", "Link to…", "Link the selected evidence to a finding, checklist item, model or risk",
                 self.link_selected),
                ("remove", "Remove", "Remove the selected evidence; Ctrl+Z brings it back", self.remove_selected),
                ("save", "Save a copy…", "Write the file to a folder of your choice", self.save_copy)):
            button = QPushButton(text)
            button.setObjectName(key)
            button.setToolTip(tip)
            button.clicked.connect(lambda _c=False, s=slot: s())
            toolbar.addWidget(button)
            self.buttons[key] = button
        toolbar.addStretch(1)
        self.search = QLineEdit(placeholderText="Search evidence…", clearButtonEnabled=True)
        self.search.setObjectName("search")
        self.search.setMinimumWidth(240)
        self.search.setAcceptDrops(False)
        self.search.textChanged.connect(self.refilter)
        toolbar.addWidget(self.search)

        self.edits = EvidenceEdits(session)
        self.model = RecordTableModel(COLUMNS, edit=self.edits.describe)
        self.table = QTableView()
        self.table.setObjectName("table")
        self.table.setModel(self.model)
        self.table.setItemDelegate(FieldDelegate(self.model, self.table))
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_current())
        self.empty_label = QLabel("No evidence attached yet. Use Attach files… or drop files on this page.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.count_label = QLabel()

        self.preview = EvidencePreview(lambda uid: evidence_service.read_evidence(
            self.session.ws, self.session.uid, uid)[1])
        details = self.details = EvidenceDetails()
        self.hash_field, self.links, self.unlink_button = details.hash_field, details.links, details.unlink_button
        self.links.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.unlink_button.clicked.connect(lambda: self.unlink_selected())

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.empty_label, 1)
        left_layout.addWidget(self.count_label)
        below = QSplitter()  # the table keeps the full width; preview and links share the lower half
        below.setObjectName("splitter_evidence_below")
        below.addWidget(self.preview)
        below.addWidget(details)
        below.setStretchFactor(0, 3)
        below.setStretchFactor(1, 2)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("splitter_evidence")
        self.splitter.addWidget(left)
        self.splitter.addWidget(below)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(self.splitter, 1)
        session.changed.connect(self._on_changed)
        self.reload()
        self.fitter = ColumnFitter(self.table, lambda c: FITS.get(COLUMNS[c].field.name, Fit()), "evidence")
        if self.model.rowCount():
            self.select(self.model.row_at(0)["uid"])  # type: ignore[index]

    # -- data
    def records(self) -> list[dict[str, Any]]:
        return [{**r, "linked": ", ".join(link_name(self.session, link) for link in r.get("links", []))}
                for r in self.session.records("evidence")]

    def reload(self) -> None:
        current = self.current_record()
        self.model.read_only = self.session.read_only
        self.model.set_rows(self.records())
        self.table.setVisible(self.model.total > 0)
        self.empty_label.setVisible(self.model.total == 0)
        self._count()
        if current is not None and self.model.row_of(current["uid"]) >= 0:
            self.select(current["uid"])
        else:
            self._show_current()

    def _on_changed(self, kinds: set[str]) -> None:
        if kinds & {"evidence", "finding", "model", "risk", "all", "engagement"}:
            self.reload()

    def refilter(self) -> None:
        text = self.search.text().strip().casefold()
        fields = ("file_name", "description", "media_type", "linked", "sha256", "captured_at")
        self.model.set_filter(lambda row: not text or any(text in str(row.get(f) or "").casefold() for f in fields))
        self._count()

    def _count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        size = human_size(sum(int(r.get("size") or 0) for r in self.session.records("evidence")))
        self.count_label.setText(f"{shown} of {total} shown" if shown != total else f"{plural(total, 'file')} · {size}")

    def focus_target(self) -> QWidget:
        return self.table if self.table.isVisible() else self.buttons["attach"]

    def reveal(self, _kind: str, uid: str) -> bool:
        if self.model.row_of(uid) < 0:
            self.search.clear()
        self.select(uid)
        return self.model.row_of(uid) >= 0

    def current_record(self) -> dict[str, Any] | None:
        return self.model.row_at(self.table.currentIndex().row())

    def select(self, uid: str) -> None:
        row = self.model.row_of(uid)
        if row >= 0:
            index = self.model.index(row, max(self.table.currentIndex().column(), 0))
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)
        self._show_current()

    def _update_buttons(self) -> None:
        editable = not self.session.read_only
        has_row = self.current_record() is not None
        self.buttons["attach"].setEnabled(editable)
        self.buttons["link"].setEnabled(editable and has_row)
        self.buttons["remove"].setEnabled(editable and has_row)
        self.buttons["save"].setEnabled(has_row)
        self.unlink_button.setEnabled(editable and self.links.currentItem() is not None)

    # -- preview
    def _show_current(self) -> None:
        record = self.current_record()
        self.details.show_record(self.session, record)
        self._update_buttons()
        self.preview.show_record(record)

    # -- edits, each one undoable (pages/evidence_edits.py)
    def add_record(self) -> None:
        """Edit > Add row (Ctrl+N) on this page attaches files."""
        if not self.session.read_only:
            self.attach_files()

    def attach_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(self, "Attach evidence files")
        if paths:
            self.attach_paths([Path(p) for p in paths])

    def attach_paths(self, paths: list[Path]) -> None:
        """Read the files in a worker, then attach them in one undoable step."""
        if self.session.read_only:
            return
        run_task(lambda _task: read_files(paths), self._attach_loaded,
                 lambda exc: show_error(self, exc, "Files not attached"), parent=self, label="Reading files…")

    def _attach_loaded(self, files: list[Loaded]) -> None:
        uids = self.edits.attach(files)
        if uids:
            self.search.clear()
            self.select(uids[-1])

    def link_selected(self, targets: list[tuple[str, str]] | None = None) -> None:
        record = self.current_record()
        if record is None or self.session.read_only:
            return
        if targets is None:
            linked = {(link["target_kind"], link["target_key"]) for link in record.get("links", [])}
            dialog = LinkDialog(self.session, linked, self)
            if not dialog.exec():
                return
            targets = dialog.chosen()
        if targets:
            self.edits.link(record, targets)

    def unlink_selected(self) -> None:
        item = self.links.currentItem()
        record = self.current_record()
        if item is None or record is None or self.session.read_only:
            return
        self.edits.unlink(record, dict(item.data(Qt.ItemDataRole.UserRole)))

    def remove_selected(self) -> None:
        """Read the bytes first (in a worker): the undo command keeps them to re-attach the file."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        records = [r for r in (self.model.row_at(i) for i in rows) if r is not None]
        if not records or self.session.read_only:
            return
        ws, key = self.session.ws, self.session.uid
        uids = [r["uid"] for r in records]

        def read(_task: object) -> list[Kept]:
            return [evidence_service.read_evidence(ws, key, uid) for uid in uids]

        def remove(kept: list[Kept]) -> None:
            done = self.edits.remove(records, kept)
            if done:
                show_status(self, f"{done}. Ctrl+Z brings it back.")

        run_task(read, remove, lambda exc: show_error(self, exc, "Evidence not removed"), parent=self,
                 label="Removing evidence…")

    def save_copy(self, target: Path | None = None) -> None:
        """Write the file's bytes where the user chooses; the workspace is only read."""
        record = self.current_record()
        if record is None:
            return
        if target is None:
            chosen, _filter = QFileDialog.getSaveFileName(self, "Save a copy of the evidence",
                                                          str(Path.home() / record["file_name"]))
            if not chosen:
                return
            target = Path(chosen)
        ws, key, uid = self.session.ws, self.session.uid, record["uid"]

        def write(_task: object) -> Path:
            _meta, data = evidence_service.read_evidence(ws, key, uid)
            assert target is not None
            target.write_bytes(data)
            return target

        run_task(write, lambda path: show_status(self, f"Saved a copy to {path}"),
                 lambda exc: show_error(self, exc, "Copy not saved"), parent=self, label="Saving a copy…")

    # -- drag and drop files onto the page
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if not self.session.read_only and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802
        if not self.session.read_only and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths and not self.session.read_only:
            event.acceptProposedAction()
            self.attach_paths(paths)
