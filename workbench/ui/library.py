"""The engagement library: every engagement grouped by client, with status, score and verdict."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.charts.palette import VERDICT_HEX, ink_on
from workbench.ui.column_fit import KEY, MINOR, ColumnFitter, Fit

if TYPE_CHECKING:  # the database layer loads after the window shows (start-up time)
    from workbench.domain.checkouts import Checkout
    from workbench.services.library import EngagementSummary
    from workbench.store.workspace import Workspace

COLUMNS = ("Engagement", "Title", "Status", "Score", "Verdict", "Findings", "Last change")
UID_ROLE = Qt.ItemDataRole.UserRole
LOADING_TEXT = "Opening the workspace…"
EMPTY_TEXT = ("No engagements yet. Create one with New, or import a package (.mlaudit) such as the samples "
              "that come with the workbench (Help > Welcome…).")


class LibraryPage(QWidget):
    open_requested = Signal(str)
    new_requested = Signal()
    reaudit_requested = Signal(str)
    import_requested = Signal()
    export_requested = Signal(str)
    archive_requested = Signal(str, bool)

    def __init__(self, ws: Workspace | None, parent: QWidget | None = None, *,
                 summaries: list[EngagementSummary] | None = None) -> None:
        """Without a workspace yet (start-up), the page lists `summaries` (read before the database layer
        loads) and can be searched and browsed; an Open waits for `attach`. Without those either, it says
        the workspace is opening."""
        super().__init__(parent)
        self.setObjectName("library")
        self.ws = ws
        self.summaries: list[EngagementSummary] = list(summaries or [])
        self.checkouts: dict[str, Checkout] = {}  # engagements checked out of a team server, by uid (refresh)
        self._read_ahead = ws is None and summaries is not None  # listed already: attach needs no re-read
        title = QLabel("Engagements")
        title.setObjectName("pageTitle")
        self.search = QLineEdit(placeholderText="Search by client, ref or title…", clearButtonEnabled=True)
        self.search.setObjectName("librarySearch")
        self.search.textChanged.connect(self._fill)
        self.search.returnPressed.connect(self._open_only_match)
        self.search.installEventFilter(self)  # Down goes on to the list
        self.show_archived = QCheckBox("Show archived")
        self.show_archived.toggled.connect(self._fill)
        self.tree = QTreeWidget()
        self.tree.setObjectName("libraryTree")
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        self.tree.itemActivated.connect(self._activated)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        fits = (KEY, Fit(1, minimum_chars=24, stretch=True), KEY, KEY, KEY, MINOR, MINOR)
        self.fitter = ColumnFitter(self.tree, lambda c: fits[c], "library")
        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setObjectName("libraryEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, tip in (("new", "New…", "Start an engagement (Ctrl+Shift+N)"),
                               ("open", "Open", "Open the selected engagement (Enter)"),
                               ("reaudit", "Re-audit…", "Start a follow-up engagement carried forward from this one"),
                               ("import", "Import package…", "Import an engagement package (.mlaudit)"),
                               ("export", "Export package…", "Export the selected engagement as a package"),
                               ("archive", "Archive", "Hide the engagement from the library (kept, not deleted)"),
                               ("portfolio", "Portfolio…", "Every client with its audits over time, the score trend, "
                                "what is open across them, and two engagements compared")):
            button = QPushButton(text)
            button.setObjectName(f"library_{key}")
            button.setToolTip(tip)
            self.buttons[key] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_archived)
        self.buttons["new"].clicked.connect(self.new_requested)
        self.buttons["import"].clicked.connect(self.import_requested)
        self.buttons["open"].clicked.connect(lambda: self._with_selected(self.open_requested.emit))
        self.buttons["reaudit"].clicked.connect(lambda: self._with_selected(self.reaudit_requested.emit))
        self.buttons["export"].clicked.connect(lambda: self._with_selected(self.export_requested.emit))
        self.buttons["archive"].clicked.connect(self._toggle_archive)
        self.buttons["portfolio"].clicked.connect(self.show_portfolio)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addWidget(self.search, 1)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        if ws is not None:
            self.refresh()
        elif summaries is not None:
            self._fill()  # browsable at once; the buttons that change the workspace wait for it
        else:
            self.empty.setText(LOADING_TEXT)
            self.tree.setVisible(False)
            for widget in (self.search, self.show_archived, *self.buttons.values()):
                widget.setEnabled(False)

    def attach(self, ws: Workspace) -> None:
        """The workspace is open: list its engagements."""
        self.ws = ws
        for widget in (self.search, self.show_archived, self.buttons["new"], self.buttons["import"],
                       self.buttons["portfolio"]):
            widget.setEnabled(True)
        if self._read_ahead:  # what the first frame listed is what this workspace holds (read at its schema)
            self._read_ahead = False
            self._update_buttons()
        else:
            self.refresh()

    def refresh(self) -> None:
        from workbench.services.engagements import list_engagements

        if self.ws is None:
            return
        from workbench.services.checkout import checkouts

        self.summaries = list_engagements(self.ws)
        self.checkouts = checkouts(self.ws)
        self._fill()

    def selected_uid(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, UID_ROLE) if item is not None else None

    def shown_uids(self) -> list[str]:
        """The engagements the list shows now (search and archive filter applied), top to bottom."""
        uids = []
        for c in range(self.tree.topLevelItemCount()):
            client = self.tree.topLevelItem(c)
            children = [client.child(i) for i in range(client.childCount())] if client is not None else []
            uids += [child.data(0, UID_ROLE) for child in children if child is not None]
        return uids

    def _open_only_match(self) -> None:
        """Enter in the search: one engagement left opens at once; several hand the keyboard to the list."""
        shown = self.shown_uids()
        if len(shown) == 1:
            self.open_requested.emit(shown[0])
        elif shown:
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.search and event.type() == QEvent.Type.KeyPress and \
                event.key() == Qt.Key.Key_Down and self.tree.isVisible():  # type: ignore[attr-defined]
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return False

    def _with_selected(self, action) -> None:
        uid = self.selected_uid()
        if uid:
            action(uid)

    def show_portfolio(self) -> None:
        from workbench.ui.portfolio_dialog import PortfolioDialog

        if self.ws is not None:
            dialog = PortfolioDialog(self.ws, self)
            dialog.resize(1200, 680)
            dialog.exec()

    def _toggle_archive(self) -> None:
        uid = self.selected_uid()
        summary = next((s for s in self.summaries if s.uid == uid), None)
        if summary is not None:
            self.archive_requested.emit(summary.uid, not summary.archived)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        uid = item.data(0, UID_ROLE)
        if uid:
            self.open_requested.emit(uid)

    def _fill(self) -> None:
        text = self.search.text().strip().casefold()
        selected = self.selected_uid()
        self.tree.clear()
        clients: dict[str, QTreeWidgetItem] = {}
        for s in self.summaries:
            if s.archived and not self.show_archived.isChecked():
                continue
            if text and not any(text in value.casefold() for value in (s.client, s.ref, s.title)):
                continue
            parent = clients.get(s.client)
            if parent is None:
                parent = QTreeWidgetItem([s.client])
                font = parent.font(0)
                font.setBold(True)
                parent.setFont(0, font)
                self.tree.addTopLevelItem(parent)
                parent.setFirstColumnSpanned(True)  # only once in the tree (before, Qt ignores it)
                clients[s.client] = parent
            score = "—" if s.score is None else f"{s.score:.1f}" + (" (provisional)" if s.provisional else "")
            title = s.title + ("  [archived]" if s.archived else "") + self._mark(s.uid, None)
            item = QTreeWidgetItem([s.ref, title, s.status.capitalize(), score, s.verdict or "—",
                                    str(s.finding_count), s.updated_at[:16].replace("T", " ")])
            self._mark(s.uid, item)
            item.setData(0, UID_ROLE, s.uid)
            if s.verdict in VERDICT_HEX:  # the verdict reads at a glance, as on the overview
                item.setBackground(4, QColor(VERDICT_HEX[s.verdict]))
                item.setForeground(4, QColor(ink_on(VERDICT_HEX[s.verdict])))
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setTextAlignment(5, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            parent.addChild(item)
            if s.uid == selected:
                self.tree.setCurrentItem(item)
        self.tree.expandAll()
        self.fitter.contents_changed()
        if not self.summaries:
            self.empty.setText(EMPTY_TEXT)
        elif not clients:
            self.empty.setText("No engagement matches the search." if text else
                               "Every engagement is archived. Tick Show archived to see them.")
        self.empty.setVisible(not clients)
        self.tree.setVisible(bool(clients))
        if self.tree.currentItem() is None and clients:
            first = next(iter(clients.values()))
            child = first.child(0)
            if child is not None:
                self.tree.setCurrentItem(child)
        self._update_buttons()

    def _mark(self, uid: str, item: QTreeWidgetItem | None) -> str:
        """The title's mark of an engagement checked out of a team server (who has it); with `item`, its tooltip."""
        mark = self.checkouts.get(uid)
        if mark is None:
            return ""
        if item is not None:
            item.setToolTip(1, mark.reason if mark.kind == "out" else
                            f"Checked out of the team server {mark.place} by {mark.holder}: check it in when the "
                            "fieldwork is done (File ▸ Check in to team server…)")
        return f"  [checked out to {mark.holder}]" if mark.kind == "out" else "  [checked out of the team server]"

    def _update_buttons(self) -> None:
        uid = self.selected_uid()
        opened = self.ws is not None
        self.buttons["open"].setEnabled(bool(uid))  # before the workspace is open, the open waits for it
        for key in ("reaudit", "export", "archive"):
            self.buttons[key].setEnabled(bool(uid) and opened)
        for key in ("new", "import"):
            self.buttons[key].setEnabled(opened)
        summary = next((s for s in self.summaries if s.uid == uid), None)
        self.buttons["archive"].setText("Unarchive" if summary and summary.archived else "Archive")
