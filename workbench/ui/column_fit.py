"""Tables that fit the window: key columns whole, the least important ones give way first, widths remembered.

At 1366 × 768 the findings table used to push Status, Owner and Due behind a horizontal scroll bar while
the title shrank to "No linea…". A `ColumnFitter` lays a table's columns out whenever the table or its
contents change size:

1. every column starts at its natural width (its contents, capped), or at the width the auditor dragged
   it to (remembered per table in the settings);
2. if that is too wide, the columns of the lowest priority shrink first, down to their minimum (their text
   is then elided, and the cell's tooltip gives it whole: ui/elided_tips.py); if that is not enough, minor
   columns (priority 3) are hidden from the right (the header's menu shows them again, and the form beside
   the table shows every field); then the next priority up shrinks; within one priority the stretch column
   gives way before the others (a title reads well cut, a status not);
3. width left over goes to the stretch column (a title, a description).

Only when every column left is at its minimum does the table scroll sideways. `fit_widths` is the arithmetic,
free of Qt so it is tested on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QMenu,
    QStyleOptionViewItem,
    QTableView,
    QTreeView,
)

__all__ = ["ColumnFitter", "Fit", "fit_widths"]


@dataclass(frozen=True)
class Fit:
    """How one column behaves when space is short."""

    priority: int = 2  # 1: a key column, kept whole as long as possible … 3: the first to give way
    minimum_chars: int = 6  # never narrower than this many average characters
    stretch: bool = False  # takes the width left over
    maximum: int = 300  # the natural width is capped here (a stretch column then takes whatever is left)


KEY = Fit(priority=1)
HIDEABLE = 3  # columns of this priority are hidden when even their minimum does not fit
MEASURED_ROWS = 200  # a longer table's natural widths come from this many of its rows, spread over it
MINOR = Fit(priority=HIDEABLE, minimum_chars=4)


@dataclass(frozen=True)
class Wanted:
    natural: int
    minimum: int
    priority: int
    stretch: bool = False
    fixed: bool = False  # the auditor's own width: kept as it is


def _shrink(widths: list[int], columns: Sequence[Wanted], chosen: list[int], excess: int) -> int:
    """Take up to `excess` pixels from the `chosen` columns, evenly, none below its minimum; returns what is left."""
    while excess > 0:
        room = {i: widths[i] - columns[i].minimum for i in chosen if widths[i] > columns[i].minimum}
        if not room:
            break
        share = max(1, excess // len(room))
        for i, spare in room.items():
            take = min(spare, share, excess)
            widths[i] -= take
            excess -= take
            if excess <= 0:
                break
    return excess


def fit_widths(available: int, columns: Sequence[Wanted], *, may_hide: bool = True) -> list[int]:
    """Widths for `columns` in `available` pixels (see the module docstring); 0 hides a column. The sum may
    exceed `available` when every column is at its minimum (the table then scrolls sideways)."""
    widths = [max(c.natural, c.minimum) for c in columns]
    excess = sum(widths) - available
    # least important first; within a priority the stretch column (a title, which reads well cut) before the rest
    for priority, stretch in sorted({(c.priority, c.stretch) for c in columns}, key=lambda p: (-p[0], not p[1])):
        if excess <= 0:
            break
        chosen = [i for i, c in enumerate(columns) if (c.priority, c.stretch) == (priority, stretch) and not c.fixed]
        excess = _shrink(widths, columns, chosen, excess)
        if excess > 0 and may_hide and priority >= HIDEABLE:  # a sliver of a minor column says nothing: hide it
            for i in reversed([i for i, c in enumerate(columns) if c.priority == priority and not c.fixed]):
                if excess <= 0:
                    break
                excess -= widths[i]
                widths[i] = 0
    if excess < 0:
        takers = [i for i, c in enumerate(columns) if c.stretch and not c.fixed and widths[i]] or \
                 [i for i, c in enumerate(columns) if not c.fixed and widths[i]][-1:]
        for n, i in enumerate(takers):
            widths[i] += -excess // len(takers) + (1 if n < -excess % len(takers) else 0)
    return widths


class ColumnFitter(QObject):
    """Keeps a table's columns fitted to its width; `fits(column)` gives each column's Fit."""

    def __init__(self, view: QTableView | QTreeView, fits: Callable[[int], Fit], key: str) -> None:
        super().__init__(view)
        self.setObjectName(f"columnFitter_{key}")
        self.view = view
        self.key = key
        self._fits = fits
        self.user: dict[str, int] = {}  # header text → width the auditor dragged it to
        self._natural: dict[int, int] | None = None
        self.show_every_column = False  # the auditor asked for every column, scrolling sideways if need be
        self._applying = False
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.refit)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # "Effort (…" with a tip, not a clipped "ffort (h"
        header.sectionResized.connect(self._resized)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._menu)
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved,
                       model.columnsInserted, model.columnsRemoved, model.headerDataChanged):
            signal.connect(self.contents_changed)
        self.contents_changed()

    def header(self) -> QHeaderView:
        return self.view.horizontalHeader() if isinstance(self.view, QTableView) else self.view.header()

    def contents_changed(self, *_args: object) -> None:
        self._natural = None
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self._timer.start()
        return False

    def _name(self, column: int) -> str:
        return str(self.view.model().headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole))

    def _naturals(self) -> dict[int, int]:
        if self._natural is None:
            header = self.header()
            self._natural = {c: max(header.sectionSizeHint(c), self._content_width(c)) + 4
                             for c in range(self.view.model().columnCount())}
        return self._natural

    def _content_width(self, column: int) -> int:
        """The widest cell of the column, as its delegate sizes it. Every row of a table up to MEASURED_ROWS;
        of a longer one (5,000 findings), rows spread evenly from the first to the last, so that fitting
        it costs the same on every visit, sort and filter, and a cell wider than those measured is elided
        with its tooltip like any cut cell."""
        if isinstance(self.view, QTreeView):
            return self._tree_content_width(self.view, column)
        model = self.view.model()
        rows = model.rowCount(self.view.rootIndex())
        if rows <= MEASURED_ROWS:
            return QAbstractItemView.sizeHintForColumn(self.view, column)
        option = QStyleOptionViewItem()
        self.view.initViewItemOption(option)
        widest = 0
        for step in range(MEASURED_ROWS):
            index = model.index(step * (rows - 1) // (MEASURED_ROWS - 1), column, self.view.rootIndex())
            widest = max(widest, self.view.itemDelegateForIndex(index).sizeHint(option, index).width())
        return widest

    @staticmethod
    def _tree_content_width(view: QTreeView, column: int) -> int:
        """QTreeView.sizeHintForColumn measures only the rows in view (none but the first before the tree is
        laid out): walk the expanded rows instead, up to MEASURED_ROWS, leaving out rows spanning every column."""
        model = view.model()
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        widest, measured = 0, 0
        pending = [(view.rootIndex(), 1 if view.rootIsDecorated() else 0)]
        while pending and measured < MEASURED_ROWS:
            parent, depth = pending.pop()
            for row in range(model.rowCount(parent)):
                first = model.index(row, 0, parent)
                if model.hasChildren(first) and view.isExpanded(first):
                    pending.append((first, depth + 1))
                if view.isFirstColumnSpanned(row, parent):
                    continue
                index = model.index(row, column, parent)
                indent = view.indentation() * depth if column == 0 else 0
                widest = max(widest, view.itemDelegateForIndex(index).sizeHint(option, index).width() + indent)
                measured += 1
        return widest

    def wanted(self) -> list[Wanted]:
        char = self.view.fontMetrics().averageCharWidth()
        columns = []
        for column, natural in self._naturals().items():
            fit, user = self._fits(column), self.user.get(self._name(column))
            minimum = min(natural, fit.minimum_chars * char + 24)
            if user is not None:
                columns.append(Wanted(user, user, fit.priority, fit.stretch, fixed=True))
            else:
                # a stretch column asks for no more than the others before the spare width is shared out
                columns.append(Wanted(min(natural, fit.maximum), minimum, fit.priority, fit.stretch))
        return columns

    def refit(self) -> None:
        header = self.header()
        if self.view.model() is None or not self.view.model().columnCount():
            return
        available = self.view.viewport().width()
        widths = fit_widths(available, self.wanted(), may_hide=not self.show_every_column)
        self._applying = True
        try:
            for column, width in enumerate(widths):
                header.setSectionHidden(column, width == 0)
                if width and header.sectionSize(column) != width:
                    header.resizeSection(column, width)
        finally:
            self._applying = False

    def hidden_columns(self) -> list[str]:
        header = self.header()
        return [self._name(c) for c in range(header.count()) if header.isSectionHidden(c)]

    def _resized(self, column: int, _old: int, new: int) -> None:
        """A border dragged with the mouse keeps its width; Qt's own resizes (a reset model) are refitted."""
        if self._applying:
            return
        if QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            self.remember(column, new)
        else:
            self._timer.start()

    def remember(self, column: int, width: int) -> None:
        """The auditor's own width for a column (kept, and saved with the window's state)."""
        self.user[self._name(column)] = width

    def _menu(self, position: QPoint) -> None:
        menu = QMenu(self.header())
        hidden = self.hidden_columns()
        every = QAction("Show every column (scroll sideways)" + (f": {', '.join(hidden)}" if hidden else ""), menu)
        every.setCheckable(True)
        every.setChecked(self.show_every_column)
        every.toggled.connect(self.set_show_every_column)
        fit = QAction("Fit columns to the window", menu)
        fit.setEnabled(bool(self.user))
        fit.triggered.connect(self.reset)
        menu.addAction(every)
        menu.addAction(fit)
        menu.popup(self.header().mapToGlobal(position))

    def set_show_every_column(self, on: bool) -> None:
        self.show_every_column = on
        self.refit()

    def reset(self) -> None:
        """Forget the dragged widths: every column fitted again."""
        self.user.clear()
        self.refit()

    # -- remembered between sessions (EngagementView saves and restores every fitter of a page)
    def save(self, settings: QSettings) -> None:
        settings.setValue(f"columns/{self.key}", {name: int(width) for name, width in self.user.items()})
        settings.setValue(f"columns/{self.key}_every", self.show_every_column)

    def restore(self, settings: QSettings) -> None:
        stored = settings.value(f"columns/{self.key}")
        if isinstance(stored, dict):
            self.user = {str(name): int(width) for name, width in stored.items() if str(width).isdigit()}
        self.show_every_column = str(settings.value(f"columns/{self.key}_every", "false")).lower() == "true"
        self._timer.start()
