"""The "From library…" and "Save to library" buttons of findings, risks, costs, roadmap items and matrix rows: one
picker and one pair of buttons that every such page shares (services/record_library.py holds the entries)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.fields import fields_of
from workbench.domain.framework import Framework
from workbench.services.record_library import LibraryEntry, library_entries, save_entry
from workbench.ui.errors import show_error
from workbench.ui.record_model import display_value
from workbench.ui.status import show_status

Used = Callable[[], dict[str, str]]  # titles already in the engagement (case-folded) → the record's ref


def entry_html(entry: LibraryEntry, framework: Framework | None = None) -> str:
    values = entry.values.get("data") if entry.kind == "matrix" else entry.record_values(framework)
    titles = {} if entry.kind == "matrix" else {f.name: f.title for f in fields_of(entry.kind)}
    rows = "".join(f"<tr><td valign='top'><b>{escape(titles.get(name) or name.replace('_', ' ').capitalize())}"
                   "</b>&nbsp;</td>"
                   f"<td>{escape(display_value(value))}</td></tr>"
                   for name, value in (values or {}).items()
                   if name not in ("kind", "title") and value not in ("", None, {}, []))
    origin = "starter content" if entry.origin == "starter" else "your firm's library"
    return f"<h3>{escape(entry.title)}</h3><p><i>From {origin}</i></p><table>{rows}</table>"


def entry_label(entry: LibraryEntry, used: dict[str, str]) -> str:
    """A list line: a finding with its severity first; the firm's own marked; one already in the engagement named."""
    label = f"[{entry.values.get('severity', '')}] {entry.title}" if entry.kind == "finding" else entry.title
    ref = used.get(entry.title.strip().casefold())
    return label + ("  (your firm)" if entry.origin == "firm" else "") + (f"  (already {ref})" if ref else "")


class LibraryPicker(QDialog):
    """Choose one or more library entries: search, preview, add."""

    def __init__(self, entries: list[LibraryEntry], noun: str, parent: QWidget | None = None,
                 used: dict[str, str] | None = None, framework: Framework | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordLibrary")
        self.setWindowTitle(f"Add {noun} from library")
        self.entries, self.used, self.framework = entries, used or {}, framework
        self.search = QLineEdit(placeholderText="Search the library…", clearButtonEnabled=True)
        self.search.setObjectName("librarySearch")
        self.list = QListWidget()
        self.list.setObjectName("entryList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.preview = QTextBrowser()
        self.search.textChanged.connect(self._fill)
        self.list.currentItemChanged.connect(self._preview)
        self.list.itemActivated.connect(lambda _item: self.accept())
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(self.preview)
        splitter.setSizes([380, 400])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{len(entries)} entries. Choose one or several (Ctrl or Shift); each is added as a "
                                "row you can edit."))
        layout.addWidget(self.search)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(860, 560)
        self._fill()

    def _fill(self) -> None:
        text = self.search.text().strip().casefold()
        self.list.clear()
        for index, entry in enumerate(self.entries):
            if text and text not in f"{entry.title} {entry.values} {entry.category} {' '.join(entry.tags)}".casefold():
                continue
            item = QListWidgetItem(entry_label(entry, self.used))
            item.setData(Qt.ItemDataRole.UserRole, index)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _preview(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        self.preview.setHtml(entry_html(self.entries[item.data(Qt.ItemDataRole.UserRole)], self.framework)
                             if item else "")

    def chosen(self) -> list[LibraryEntry]:
        return [self.entries[item.data(Qt.ItemDataRole.UserRole)] for item in self.list.selectedItems()]


class LibraryButtons(QObject):
    """The two buttons of a page: `add(values)` adds one record (undoable, through the page's own add);
    `current()` gives (values to keep, a title) of the selected row, or None; `used()` the titles already in the
    engagement (adding one of them again is asked first); `framework` files a finding under its dimension."""

    def __init__(self, parent: QWidget, kind: str, noun: str, add: Callable[[dict[str, Any]], str | None],
                 current: Callable[[], tuple[dict[str, Any], str] | None], matrix_kind: str = "",
                 framework: Framework | None = None, used: Used = dict) -> None:
        super().__init__(parent)
        self.page, self.kind, self.noun, self.matrix_kind = parent, kind, noun, matrix_kind
        self._add, self._current, self.framework, self.used = add, current, framework, used
        self.confirm: Callable[[str, str], bool] = self._confirm  # replaced in tests
        self.add_button = QPushButton("From library…")
        self.add_button.setObjectName("fromLibrary")
        self.add_button.setToolTip(f"Add a {noun} from the starter content or your firm's library")
        self.add_button.clicked.connect(lambda: self.add_from_library())
        self.save_button = QPushButton("Save to library")
        self.save_button.setObjectName("saveToLibrary")
        self.save_button.setToolTip(f"Keep the selected {noun} in your firm's library for future engagements")
        self.save_button.clicked.connect(lambda: self.save_to_library())

    def entries(self) -> list[LibraryEntry]:
        return library_entries(self.kind, self.matrix_kind)

    def add_from_library(self, chosen: list[LibraryEntry] | None = None) -> list[str]:
        """Add the chosen entries (asked for when None); returns the uids added."""
        if chosen is None:
            try:
                entries = self.entries()
            except Exception as exc:
                show_error(self.page, exc, "Cannot read the library")
                return []
            picker = LibraryPicker(entries, self.noun, self.page, self.used(), self.framework)
            if not picker.exec():
                return []
            chosen = picker.chosen()
        if not self._again_asked(chosen):
            return []
        added = [self._add(entry.record_values(self.framework)) for entry in chosen]
        return [uid for uid in added if uid]

    def _again_asked(self, chosen: list[LibraryEntry]) -> bool:
        """True when none of `chosen` is in the engagement already, or the auditor wants it a second time."""
        used = self.used()
        again = [f"{used[key]} is already “{entry.title}”" for entry in chosen
                 if (key := entry.title.strip().casefold()) in used]
        return not again or self.confirm("Already in this engagement",
                                         f"{'; '.join(again)}. Add the same {self.noun} a second time?")

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self.page, title, text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def save_to_library(self) -> LibraryEntry | None:
        current = self._current()
        if current is None:
            return None
        values, title = current
        try:
            entry = save_entry(self.kind, values, title, self.framework.id if self.framework else "")
        except Exception as exc:
            show_error(self.page, exc, "Not saved to the library")
            return None
        show_status(self.page, f"Saved '{entry.title}' to your firm's library", 6000)
        return entry

    def set_enabled(self, editable: bool) -> None:
        self.add_button.setEnabled(editable)


def record_buttons(page: QWidget, kind: str, framework: Framework, rows: Callable[[], list[dict[str, Any]]],
                   current: Callable[[], dict[str, Any] | None],
                   add: Callable[[dict[str, Any]], str | None]) -> LibraryButtons:
    """The pair of a record page (findings, risks, costs, roadmap): `rows()` the engagement's records of the kind,
    `current()` the selected one, `add(values)` the page's own undoable add."""

    def used() -> dict[str, str]:  # titles in the engagement (case-folded) → their refs: what an entry repeats
        return {str(r["title"]).strip().casefold(): str(r.get("ref") or r["title"]) for r in rows() if r.get("title")}

    def selected() -> tuple[dict[str, Any], str] | None:
        record = current()
        if record is None:
            return None
        return dict(record), str(record.get("title") or record.get("name") or record.get("activity") or kind)

    return LibraryButtons(page, kind, kind.replace("roadmap", "roadmap item"), add, selected, framework=framework,
                          used=used)
