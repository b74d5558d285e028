"""The page every record kind shares: toolbar, search, filters, table and an editor beside it.

Findings, models, risks, costs and roadmap are configurations of this page (a PageSpec);
edits go through the session as undoable service calls.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
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

from workbench.domain.fields import fields_of
from workbench.services.record_library import KINDS as LIBRARY_KINDS
from workbench.services.records_io import IMPORT_KINDS, write_records
from workbench.ui.column_fit import ColumnFitter, Fit
from workbench.ui.errors import show_error
from workbench.ui.import_dialog import ImportDialog
from workbench.ui.page_spec import PageSpec
from workbench.ui.record_edits import RecordEdits
from workbench.ui.record_form import FieldDelegate, RecordForm
from workbench.ui.record_library import LibraryButtons, record_buttons
from workbench.ui.record_model import CARRIED_TIP, Column, RecordTableModel, carried_note, is_carried
from workbench.ui.saved_settings import saved_cost_basis
from workbench.ui.session import EngagementSession
from workbench.ui.unsaved_text import TableRefresh


class RecordPage(QWidget):
    """A table of one record kind with an editor; every edit is saved at once and undoable."""

    def __init__(self, session: EngagementSession, spec: PageSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.spec = spec
        self.setObjectName(f"page_{spec.kind}")
        all_fields = {f.name: f for f in fields_of(spec.kind)}
        choices = dict(spec.choices(session))
        columns = [Column(all_fields[name], spec.column_titles.get(name, ""), sort_key=spec.sort_keys.get(name))
                   for name in spec.columns]
        self.model = RecordTableModel(columns, edit=self._edit_cell, colour=spec.colour)
        self._extra_filter: Callable[[dict[str, Any]], bool] = lambda _r: True
        self._pinned: str | None = None  # a record kept in view while its form holds unsaved text (_show_rows)

        self.search = QLineEdit(placeholderText=f"Search {spec.title.lower()}…", clearButtonEnabled=True)
        self.search.setObjectName("search")
        self.search.textChanged.connect(self.refilter)
        self.filter_boxes: dict[str, QComboBox] = {}
        filter_bar = QHBoxLayout()
        filter_bar.addWidget(self.search, 2)
        for spec_filter in spec.filters:
            box = QComboBox()
            box.setObjectName(f"filter_{spec_filter.name}")
            box.setAccessibleName(spec_filter.label)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.currentIndexChanged.connect(self.refilter)
            self.filter_boxes[spec_filter.name] = box
            filter_bar.addWidget(box, 1)
        toolbar = QHBoxLayout()
        self.add_button = QPushButton("Add")
        self.add_button.setObjectName("add")
        self.add_button.setToolTip(f"Add a {spec.kind} (Ctrl+N)")
        self.add_button.clicked.connect(self.add_record)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName("delete")
        self.delete_button.setToolTip("Delete the selected rows (Del); Ctrl+Z brings them back")
        self.delete_button.clicked.connect(self.delete_selected)
        self.extra_buttons = QHBoxLayout()
        toolbar.addWidget(self.add_button)
        toolbar.addWidget(self.delete_button)
        toolbar.addLayout(self.extra_buttons)
        toolbar.addStretch(1)
        if spec.kind in IMPORT_KINDS:
            self.import_button = QPushButton("Import…")
            self.import_button.setObjectName("import")
            self.import_button.setToolTip(f"Import {spec.title.lower()} from a CSV, XLSX or JSON file")
            self.import_button.clicked.connect(lambda: self.import_file())
            toolbar.addWidget(self.import_button)
        self.export_button = QPushButton("Export…")
        self.export_button.setObjectName("export")
        self.export_button.setToolTip(f"Save the {spec.title.lower()} shown as CSV, XLSX or JSON")
        self.export_button.clicked.connect(lambda: self.export_file())
        toolbar.addWidget(self.export_button)

        self.table = QTableView()
        self.table.setObjectName("table")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setItemDelegate(FieldDelegate(self.model, self.table, choices))
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(50)
        self.table.selectionModel().currentRowChanged.connect(self._show_current)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table).activated.connect(self.delete_selected)

        form_fields = [all_fields[name] for name in (spec.form_fields or tuple(all_fields))]
        self.form = RecordForm(form_fields, choices=choices)
        self.form.edited.connect(self._edit_current)
        self.edits = RecordEdits(session, spec.kind, spec.describe)
        self._refresh = TableRefresh(self.table, self._show_rows)
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        self.empty_label = QLabel(spec.empty_text)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(toolbar)
        left_layout.addLayout(filter_bar)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.empty_label)
        left_layout.addWidget(self.count_label)
        self.splitter = QSplitter()
        self.splitter.setObjectName(f"splitter_{spec.kind}")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.form)
        self.splitter.setStretchFactor(0, 2)  # the table's key columns whole at 1366 px; the form stays readable
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([720, 360])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self._populate_filters()
        session.changed.connect(self._on_changed)
        if spec.initial_sort is not None:
            self.table.sortByColumn(spec.columns.index(spec.initial_sort[0]), spec.initial_sort[1])
        self.reload()
        if self.model.rowCount():
            self.select(self.model.row_at(0)["uid"])  # type: ignore[index]
        self.fitter = ColumnFitter(self.table, lambda c: spec.fits.get(self.model.columns[c].field.name, Fit()),
                                   spec.kind)
        self.library: LibraryButtons | None = None
        if spec.kind in LIBRARY_KINDS:
            self.library = record_buttons(self, spec.kind, session.framework, self.rows, self.current_record,
                                          lambda values: self.add_record(values))
            self.add_toolbar_button(self.library.add_button)
            self.add_toolbar_button(self.library.save_button)
            self.library.set_enabled(not session.read_only)

    # -- data
    def rows(self) -> list[dict[str, Any]]:
        return self.session.records(self.spec.document_key)

    def reload(self) -> None:
        """Show the rows anew; while a cell is being edited, once its editor closes (what is typed in it stays)."""
        self._refresh()

    def _show_rows(self) -> None:
        current = self.current_record()
        # the record whose form holds what the auditor is typing stays in view, even when the change shown now
        # (another auditor's) moves it out of the search or the filters: else the form would show another record
        # and the typing would be lost; once nothing is typed over it, the filters apply to it again
        was_pinned = self._pinned
        self._pinned = current.get("uid") if current is not None and self.form.unsaved() else None
        self.model.read_only = self.session.read_only
        self.model.set_rows(self.rows())
        if was_pinned is not None and was_pinned != self._pinned:
            self._apply_filters()
        self._update_counts()
        if current is not None:
            self.select(current.get("uid", ""))
        else:
            self._show_current()
        read_only = self.session.read_only
        self.add_button.setEnabled(not read_only)
        self.delete_button.setEnabled(not read_only)
        if hasattr(self, "import_button"):
            self.import_button.setEnabled(not read_only)
        if getattr(self, "library", None) is not None:  # __init__ reloads before the buttons exist
            self.library.set_enabled(not read_only)  # type: ignore[union-attr]

    def _on_changed(self, kinds: set[str]) -> None:
        if self.spec.kind in kinds or "engagement" in kinds or "all" in kinds:
            self.reload()

    def _populate_filters(self) -> None:
        for spec_filter in self.spec.filters:
            box = self.filter_boxes[spec_filter.name]
            box.blockSignals(True)
            box.clear()
            box.addItem(f"All {spec_filter.label.lower()}", None)
            for label, value in spec_filter.options(self.session):
                box.addItem(label, value)
            box.blockSignals(False)

    def clear_filters(self) -> None:
        """Every row shown again: no search text, every filter on "All"."""
        self.search.clear()
        for box in self.filter_boxes.values():
            box.setCurrentIndex(0)

    def set_extra_filter(self, predicate: Callable[[dict[str, Any]], bool]) -> None:
        self._extra_filter = predicate
        self.refilter()

    def refilter(self) -> None:
        """Show the rows the search and the filters keep (the auditor changed one: nothing stays pinned)."""
        self._pinned = None
        self._apply_filters()

    def _apply_filters(self) -> None:
        text = self.search.text().strip().casefold()
        chosen = {name: box.currentData() for name, box in self.filter_boxes.items()}
        matchers = {f.name: f.matches for f in self.spec.filters}
        fields = self.spec.search_fields

        def keep(row: dict[str, Any]) -> bool:
            if self._pinned is not None and row.get("uid") == self._pinned:
                return True
            for name, value in chosen.items():
                if value is None:
                    continue
                matcher = matchers.get(name)
                if matcher is not None:
                    if not matcher(row, value):
                        return False
                elif row.get(name) != value:
                    return False
            if text and not any(text in str(row.get(f) or "").casefold() for f in fields):
                return False
            return self._extra_filter(row)

        self.model.set_filter(keep)
        self._update_counts()

    def _update_counts(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        counts = f"{shown} of {total} shown" if shown != total else f"{total} in total"
        self.count_label.setText(counts + carried_note(self.model.all_rows()))
        self.empty_label.setVisible(total == 0)
        self.table.setVisible(total > 0)

    # -- selection
    def current_record(self) -> dict[str, Any] | None:
        return self.model.row_at(self.table.currentIndex().row())

    def select(self, uid: str) -> None:
        row = self.model.row_of(uid)
        if row < 0:
            self._show_current()
            return
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        self._show_current()

    def focus_target(self) -> QWidget:
        """Chosen from the keyboard, the page hands it to the table (arrows, F2, Delete, typing edits)."""
        return self.table if self.table.isVisible() else self.add_button

    def reveal(self, _kind: str, uid: str) -> bool:
        """Select a record, clearing the search and filters if they hide it; False when it no longer exists."""
        if self.model.row_of(uid) < 0 and any(r.get("uid") == uid for r in self.rows()):
            self.clear_filters()
        if self.model.row_of(uid) < 0:
            return False
        self.select(uid)
        return True

    def _show_current(self, *_args: object) -> None:
        """Show the current record in the form, keeping what is typed over it (RecordEdits.show)."""
        record = self.current_record()
        heading = self.spec.describe(record) if record else ""
        if is_carried(record):
            heading += f" · {CARRIED_TIP.lower()}"
        self.edits.show(self.form, record, heading)

    # -- edits (ui/record_edits.py: undoable, based on the version shown)
    def _update(self, record: dict[str, Any], name: str, value: Any) -> None:
        self.update_fields(record, {name: value}, f"Edit {name.replace('_', ' ')}")

    def update_fields(self, record: dict[str, Any], values: dict[str, Any], text: str) -> bool:
        """Change several fields of one record as one undo step; refused if another auditor changed it meanwhile."""
        return self.edits.update(record, values, text)

    def _edit_cell(self, record: dict[str, Any], name: str, value: Any) -> None:
        self._update(record, name, value)

    def _edit_current(self, name: str, value: Any) -> None:
        record = self.current_record()
        if record is not None:
            self._update(record, name, value)

    def add_record(self, values: dict[str, Any] | None = None) -> str | None:
        uid = self.edits.add({**self.spec.new_values(self.session), **(values or {})})
        if uid is not None:
            self.search.clear()
            self.select(uid)
        return uid

    def delete_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        records = [r for r in (self.model.row_at(i) for i in rows) if r is not None]
        if records and not self.session.read_only:
            self.edits.delete([r["uid"] for r in records])

    def import_file(self, path: Path | None = None) -> list[str]:
        """Choose a spreadsheet, preview and map it, then import all its rows or none."""
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, f"Import {self.spec.title.lower()}", "",
                                                    "Spreadsheets (*.csv *.xlsx *.json *.tsv *.txt);;All files (*)")
            if not chosen:
                return []
            path = Path(chosen)
        try:
            dialog = ImportDialog(self.session, self.spec.kind, path, self)
        except Exception as exc:
            show_error(self, exc, "Cannot read the file")
            return []
        dialog.exec()
        return dialog.imported

    def export_file(self, path: Path | None = None) -> Path | None:
        """Write the rows currently shown (search and filters applied) to CSV, XLSX or JSON."""
        if path is None:
            default = f"{self.session.ref}-{self.spec.document_key}.xlsx"
            chosen, _ = QFileDialog.getSaveFileName(self, f"Export {self.spec.title.lower()}", default,
                                                    "Excel workbook (*.xlsx);;CSV (*.csv);;JSON (*.json)")
            if not chosen:
                return None
            path = Path(chosen)
        try:
            return write_records(path, self.spec.kind, self.model.visible_rows(), saved_cost_basis())
        except Exception as exc:
            show_error(self, exc, "Not exported")
            return None

    def add_toolbar_button(self, button: QPushButton) -> None:
        self.extra_buttons.addWidget(button)

    def add_side_panel(self, panel: QWidget, sizes: tuple[int, int] = (1, 1)) -> QSplitter:
        """Put a panel (a chart, totals) above the editor, beside the table; returns that column."""
        column = QSplitter(Qt.Orientation.Vertical)
        column.setObjectName(f"splitter_{self.spec.kind}_side")
        column.setChildrenCollapsible(False)
        self.splitter.addWidget(column)  # the splitter owns it; moving the form out leaves it second
        column.addWidget(panel)
        column.addWidget(self.form)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        column.setStretchFactor(0, sizes[0])
        column.setStretchFactor(1, sizes[1])
        return column
