"""One matrix tab of the Readiness and matrices step: toolbar, search, filter, the table and its summary.

Each edit is one undoable service call (`update_record(..., {"data": ...})`), based on the versions of the rows as
shown; while a cell is being edited another auditor's change waits for its editor to close (ui/unsaved_text.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.charts.palette import ink_on
from workbench.domain.matrices import SUPPORTING_KINDS
from workbench.services import records as record_service
from workbench.ui.pages.matrix_export import export_matrix_file
from workbench.ui.pages.matrix_tables import (
    SCORE,
    SPECS,
    MatrixDelegate,
    MatrixSpec,
    MatrixTableModel,
    PlatformTotals,
    columns_for,
    dynamic_names,
    with_value,
)
from workbench.ui.record_library import LibraryButtons
from workbench.ui.record_model import carried_note
from workbench.ui.session import EngagementSession
from workbench.ui.status import show_status
from workbench.ui.unsaved_text import TableRefresh


class MatrixTab(QWidget):
    """One matrix: toolbar, search, optional filter, the table and a one-line summary."""

    def __init__(self, session: EngagementSession, spec: MatrixSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.spec = spec
        self.setObjectName(f"matrix_{spec.kind}")
        self.extra_names: list[str] = []  # regimes / platforms added while no row holds them yet
        self.model = MatrixTableModel(spec, self.save_data)

        self.add_button = QPushButton(f"Add {spec.noun}")
        self.add_button.setObjectName("add")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName("delete")
        self.delete_button.setToolTip(f"Delete the selected {spec.noun} rows (Del); Ctrl+Z brings them back")
        self.delete_button.clicked.connect(self.delete_selected)
        toolbar = QHBoxLayout()
        toolbar.addWidget(self.add_button)
        toolbar.addWidget(self.delete_button)
        self.column_buttons: list[QPushButton] = []
        if spec.dynamic:
            add_column = QPushButton(f"Add {spec.dynamic_noun}…")
            add_column.setObjectName("addColumn")
            add_column.clicked.connect(lambda: self.add_column())
            remove_column = QPushButton(f"Remove {spec.dynamic_noun}…")
            remove_column.setObjectName("removeColumn")
            remove_column.clicked.connect(lambda: self.remove_column())
            self.column_buttons = [add_column, remove_column]
            for button in self.column_buttons:
                toolbar.addWidget(button)
        self.library: LibraryButtons | None = None
        if spec.kind in SUPPORTING_KINDS:  # the kinds the record library holds starter rows for
            self.library = LibraryButtons(self, "matrix", spec.noun, lambda values: self.add_row(values["data"]),
                                          self._library_values, matrix_kind=spec.kind)
            toolbar.addWidget(self.library.add_button)
            toolbar.addWidget(self.library.save_button)
        self.export_button = QPushButton("Export…")
        self.export_button.setObjectName("export")
        self.export_button.setToolTip(f"Write the whole {spec.title.lower()} to Excel, CSV or JSON for the client")
        self.export_button.clicked.connect(lambda: self.export())
        toolbar.addWidget(self.export_button)
        toolbar.addStretch(1)
        self.filter_box: QComboBox | None = None
        if spec.summary:
            self.filter_box = QComboBox()
            self.filter_box.setObjectName(f"filter_{spec.summary}")
            self.filter_box.setAccessibleName(f"Show {spec.summary}")
            self.filter_box.addItem(f"All {spec.summary_plural}", None)
            for label, value in spec.choices[spec.summary]:
                self.filter_box.addItem(label, value)
            self.filter_box.currentIndexChanged.connect(self.refilter)
            toolbar.addWidget(self.filter_box)
        self.search = QLineEdit(placeholderText=f"Search {spec.title.lower()}…", clearButtonEnabled=True)
        self.search.setObjectName("search")
        self.search.setMinimumWidth(180)  # 220 made the compliance tab wider than the step page at 1366 px
        self.search.textChanged.connect(self.refilter)
        toolbar.addWidget(self.search)

        self.table = QTableView()
        self.table.setObjectName("table")
        self.table.setAccessibleName(spec.title)
        self.table.setModel(self.model)
        self.table.setItemDelegate(MatrixDelegate(self.model, self.table))
        self._refresh = TableRefresh(self.table, self.show_rows)
        self._versions: dict[str, int | None] = {}  # of the rows as shown: what a cell's edit is based on
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setMinimumSectionSize(self.fontMetrics().height() + 12)  # as roomy as other tables
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(50)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._rows_timer = QTimer(self, singleShot=True, interval=0)  # wrapped rows follow the column widths
        self._rows_timer.timeout.connect(self.table.resizeRowsToContents)
        header.sectionResized.connect(lambda *_a: self._rows_timer.start())
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table).activated.connect(self.delete_selected)
        self.empty_label = QLabel(spec.empty_text)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)

        self.body = QHBoxLayout()
        table_column = QVBoxLayout()
        table_column.addWidget(self.table, 1)
        table_column.addWidget(self.empty_label, 1)
        self.body.addLayout(table_column, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addLayout(self.body, 1)
        layout.addWidget(self.summary)

    # -- data
    def rows(self) -> list[dict[str, Any]]:
        return [row for row in self.session.records("matrices") if row.get("kind") == self.spec.kind]

    def names(self) -> list[str]:
        return dynamic_names(self.spec, self.rows(), self.extra_names)

    def leaders(self) -> tuple[str, ...]:
        return ()

    def reload(self) -> None:
        """Show the rows anew; while a cell is being edited, once its editor closes (what is typed in it stays)."""
        self._refresh()

    def show_rows(self) -> None:
        current = self.current_uid()
        self.model.read_only = self.session.locked
        rows = self.rows()
        self._versions = {row["uid"]: self.session.version_of("matrix", row["uid"]) for row in rows}
        if self.model.set_matrix(rows, columns_for(self.spec, self.names(), self.leaders())):
            self._fit_columns()
        self._rows_timer.start()
        if current:
            self.select(current)
        locked = self.session.locked
        for button in (self.add_button, self.delete_button, *self.column_buttons):
            button.setEnabled(not locked)
        if self.library is not None:
            self.library.set_enabled(not locked)
        self.table.setVisible(bool(rows))
        self.empty_label.setVisible(not rows)
        self._update_summary()

    def _fit_columns(self) -> None:
        sorted_by = self.model.sorted_column()
        header = self.table.horizontalHeader()
        header.setSortIndicator(*(sorted_by or (-1, Qt.SortOrder.AscendingOrder)))
        self.table.resizeColumnsToContents()
        for index, column in enumerate(self.model.columns):
            if column.field.name == self.spec.stretch:
                header.setSectionResizeMode(index, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(index, QHeaderView.ResizeMode.Interactive)
                widest = 300 if index == 0 else self.spec.widest
                header.resizeSection(index, min(max(header.sectionSize(index), 80), widest))

    def refilter(self) -> None:
        text = self.search.text().strip().casefold()
        chosen = self.filter_box.currentData() if self.filter_box is not None else None
        name = self.spec.summary

        def keep(row: dict[str, Any]) -> bool:
            if chosen is not None and row.get(name) != chosen:
                return False
            return not text or any(text in str(value).casefold() for key, value in row.items()
                                   if key not in ("uid", "carried_forward"))

        self.model.set_filter(keep)
        self._rows_timer.start()
        self._update_summary()

    def _update_summary(self) -> None:
        rows = [row.get("data") or {} for row in self.rows()]
        shown, total = self.model.rowCount(), len(rows)
        parts = [f"{total} {self.spec.noun if total == 1 else self.spec.plural}" if shown == total
                 else f"{shown} of {total} shown"]
        if self.spec.summary:
            for label, value in self.spec.choices[self.spec.summary]:
                count = sum(1 for row in rows if row.get(self.spec.summary) == value)
                fill = self.spec.colour_map(self.spec.summary).get(value, "#DDDDDD")
                parts.append(f'<span style="background-color:{fill}; color:{ink_on(fill)};">'
                             f"&nbsp;{escape(label)} {count}&nbsp;</span>")
        self.summary.setText(" &nbsp; ".join(parts) + escape(carried_note(self.rows())))

    def _library_values(self) -> tuple[dict[str, Any], str] | None:
        uid = self.current_uid()
        return ({"kind": self.spec.kind, "data": self.model.data_of(uid)}, self.model.name_of(uid)) if uid else None

    # -- selection
    def current_uid(self) -> str:
        row = self.model.row_at(self.table.currentIndex().row())
        return str(row["uid"]) if row else ""

    def select(self, uid: str) -> None:
        row = self.model.row_of(uid)
        if row < 0:
            return
        index = self.model.index(row, max(self.table.currentIndex().column(), 0))
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    # -- edits, each one undoable
    def save_data(self, uid: str, old: dict[str, Any], new: dict[str, Any], text: str) -> bool:
        return self.save_many([(uid, old, new)], text)

    def save_many(self, changes: Sequence[tuple[str, dict[str, Any], dict[str, Any]]], text: str) -> bool:
        ws, key = self.session.ws, self.session.uid
        # based on the versions of the rows as shown (a row changed by another auditor meanwhile, say while the cell's
        # editor held the refresh back, is refused, and reloaded); redo and undo: the versions the session knows then
        shown = [self._versions]

        def put(which: int) -> None:
            basis = shown.pop() if shown else {}
            seen = {uid: basis.get(uid, self.session.version_of("matrix", uid)) for uid, *_data in reversed(changes)}
            for change in changes:
                record_service.update_record(ws, key, "matrix", change[0], {"data": change[which]},
                                             seen_version=seen.pop(change[0], None))

        return self.session.apply(text, lambda: put(2), lambda: put(1), {"matrix"})

    def add_row(self, data: dict[str, Any] | None = None) -> str | None:
        values = {"kind": self.spec.kind, "data": data or self.spec.new_data(self.names())}
        ws, key = self.session.ws, self.session.uid
        created: dict[str, Any] = {}

        def redo() -> None:
            if "state" in created:
                record_service.restore_record(ws, key, "matrix", created["state"])
            else:
                created["uid"] = record_service.add_record(ws, key, "matrix", values)

        def undo() -> None:
            created["state"] = record_service.delete_record(
                ws, key, "matrix", created["uid"], seen_version=self.session.version_of("matrix", created["uid"]))

        if not self.session.apply(f"Add {self.spec.noun}", redo, undo, {"matrix"}):
            return None
        self.search.clear()
        if self.filter_box is not None:
            self.filter_box.setCurrentIndex(0)
        self.select(created["uid"])
        return str(created["uid"])

    def delete_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        uids = [r["uid"] for r in (self.model.row_at(i) for i in rows) if r is not None]
        if not uids or self.session.locked:
            return
        ws, key = self.session.ws, self.session.uid
        states: list[dict[str, Any]] = []

        def redo() -> None:
            states[:] = record_service.delete_records(  # all or none, as shown: refused if one changed meanwhile
                ws, key, "matrix", uids, seen_versions={uid: self.session.version_of("matrix", uid) for uid in uids})

        def undo() -> None:
            for state in states:
                record_service.restore_record(ws, key, "matrix", state)

        noun = self.spec.noun if len(uids) == 1 else f"{len(uids)} {self.spec.plural}"
        self.session.apply(f"Delete {noun}", redo, undo, {"matrix"})

    def add_column(self, name: str | None = None) -> bool:
        """A new regime / platform: every row gets a neutral cell so the column is stored."""
        noun = self.spec.dynamic_noun
        if name is None:
            name, ok = QInputDialog.getText(self, f"Add {noun}", f"Name of the new {noun}:")
            if not ok:
                return False
        name = " ".join(name.split())
        if not name or name in self.names():
            show_status(self, f"There is already a {noun} called {name}." if name else f"A {noun} needs a name.")
            return False
        neutral: Any = 0 if self.spec.dynamic == SCORE else "n/a"
        changes = [(row["uid"], row["data"], with_value(row["data"], self.spec.dynamic + name, neutral))
                   for row in self.rows()]
        if changes:  # stored in the rows, so undo takes the column away again
            return self.save_many(changes, f"Add {noun} {name}")
        self.extra_names.append(name)  # no row yet: the column waits for the first one
        self.reload()
        return True

    def remove_column(self, name: str | None = None) -> bool:
        noun = self.spec.dynamic_noun
        names = self.names()
        if name is None:
            if not names:
                return False
            name, ok = QInputDialog.getItem(self, f"Remove {noun}", f"Remove this {noun} from every row "
                                            "(Ctrl+Z brings it back):", names, 0, False)
            if not ok:
                return False
        if name not in names:
            return False
        changes = [(row["uid"], row["data"], with_value(row["data"], self.spec.dynamic + name, None))
                   for row in self.rows()]
        if name in self.extra_names:
            self.extra_names.remove(name)
        if changes and not self.save_many(changes, f"Remove {noun} {name}"):
            return False
        self.reload()
        return True

    def export(self, path: Path | None = None) -> Path | None:
        """Write this matrix (every row) to CSV, XLSX or JSON; the file written, or None."""
        return export_matrix_file(self, self.session, self.spec.kind, self.spec.title, path)


class PlatformTab(MatrixTab):
    """Criteria × platforms, with the weighted totals beside the table."""

    def __init__(self, session: EngagementSession, parent: QWidget | None = None) -> None:
        super().__init__(session, SPECS["platform"], parent)
        self.totals = PlatformTotals()
        self.body.addWidget(self.totals)

    def reload(self) -> None:
        self.totals.show_totals([row.get("data") or {} for row in self.rows()], self.names())
        super().reload()

    def leaders(self) -> tuple[str, ...]:
        return self.totals.leaders()
