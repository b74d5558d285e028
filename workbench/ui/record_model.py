"""One table model for every record page: sorting and filtering in the model, not a proxy.

Rows are plain dicts from the engagement document; a column names a field. Sorting a Python
list is ~20 ms for 100k rows where QSortFilterProxyModel took seconds (STACK-NOTES).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from workbench.domain.fields import Field

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
# the roles data() answers, looked up once (an enum member's lookup costs more than the answer)
_DISPLAY, _EDIT, _TOOLTIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole
_BACKGROUND, _FOREGROUND = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_SERVED = frozenset({_DISPLAY, _EDIT, _TOOLTIP, _BACKGROUND, _FOREGROUND, _ALIGNMENT})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

CARRIED_MARK = "↻"  # before the first cell of a row a re-audit brought over from the earlier engagement
CARRIED_TIP = "Carried forward from the previous audit"


def is_carried(row: dict[str, Any] | None) -> bool:
    """A record a re-audit carried forward (risks, costs, roadmap items, matrix rows, findings)."""
    return bool(row and row.get("carried_forward"))


def carried_note(rows: list[dict[str, Any]]) -> str:
    """What a page's count line adds when some of its rows were carried forward (else nothing)."""
    count = sum(1 for row in rows if is_carried(row))
    return f" · {CARRIED_MARK} {count} carried forward from the previous audit" if count else ""


@dataclass(frozen=True)
class Column:
    field: Field
    title: str = ""
    editable: bool = True
    width: int = 0
    display: Callable[[Any, dict[str, Any]], str] | None = None
    sort_key: Callable[[Any], Any] | None = None

    @property
    def header(self) -> str:
        return self.title or self.field.title


def display_value(value: Any, field: Field | None = None) -> str:
    if value is None:
        return ""
    if field is not None and field.type == "choice" and field.choices is not None and value != "":
        try:
            return field.choices(value).label  # the same words the editor's combo box shows
        except ValueError:
            pass
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value)
    return text.replace("_", " ") if text in ("in_remediation", "risk_accepted") else text


def _sortable(value: Any) -> tuple[int, Any]:
    if value is None or value == "":
        return (1, "")
    if isinstance(value, int | float):
        return (0, value)
    return (0, str(value).casefold())


def _position(rows: list[dict[str, Any]], row: dict[str, Any]) -> int | None:
    """Where this very dict is (by identity: list.index would compare every record by value)."""
    return next((n for n, candidate in enumerate(rows) if candidate is row), None)


class RecordTableModel(QAbstractTableModel):
    """Rows of one record kind; `edit` is called with (row dict, field name, new value).

    `colour(row, field)` may return (background, text) colours for a cell, e.g. severity.
    """

    def __init__(self, columns: list[Column], edit: Callable[[dict[str, Any], str, Any], None] | None = None,
                 colour: Callable[[dict[str, Any], str], tuple[QColor, QColor] | None] | None = None) -> None:
        super().__init__()
        self.columns = columns
        self._edit = edit
        self._colour = colour
        self._all: list[dict[str, Any]] = []
        self._rows: list[dict[str, Any]] = []
        self._filter: Callable[[dict[str, Any]], bool] = lambda _row: True
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.read_only = False

    # -- data in
    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        if self._replace_in_place(rows):
            return
        self.beginResetModel()
        self._all = rows
        self._rows = [row for row in rows if self._filter(row)]
        self._apply_sort()
        self.endResetModel()

    def set_filter(self, predicate: Callable[[dict[str, Any]], bool]) -> None:
        self._filter = predicate
        self._relayout(lambda: [row for row in self._all if predicate(row)])

    def row_at(self, row: int) -> dict[str, Any] | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, uid: str, key: str = "uid") -> int:
        return next((i for i, row in enumerate(self._rows) if row.get(key) == uid), -1)

    @property
    def total(self) -> int:
        return len(self._all)

    def all_rows(self) -> list[dict[str, Any]]:
        """Every row, whatever the filter hides."""
        return self._all

    def visible_rows(self) -> list[dict[str, Any]]:
        return list(self._rows)

    # -- Qt model API
    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if role not in _SERVED or not index.isValid():  # a delegate asks for a dozen roles per cell: most cost nothing
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        value = row.get(column.field.name)
        if role == _DISPLAY:
            text = column.display(value, row) if column.display else display_value(value, column.field)
            return f"{CARRIED_MARK} {text}" if index.column() == 0 and is_carried(row) else text
        if role == _EDIT:
            return value
        if role == _TOOLTIP:
            long_text = value[:2000] if isinstance(value, str) and len(value) > 40 else None
            if index.column() == 0 and is_carried(row):
                return CARRIED_TIP + (f"\n\n{long_text}" if long_text else "")
            return long_text
        if role == _ALIGNMENT:
            return _RIGHT if column.field.type in ("int", "float") else None
        if self._colour is None:
            return None
        colours = self._colour(row, column.field.name)
        if colours is None:
            return None
        return QBrush(colours[0] if role == _BACKGROUND else colours[1])

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self.columns[index.column()].editable and self._edit and not self.read_only:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self._edit is None:
            return False
        row = self._rows[index.row()]
        name = self.columns[index.column()].field.name
        if row.get(name) == value:
            return False
        self._edit(row, name, value)
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self._relayout(lambda: self._rows)

    def _relayout(self, rows: Callable[[], list[dict[str, Any]]]) -> None:
        """Re-filter/re-sort in place; the selection and current row follow their records, not row numbers."""
        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()  # the selection model's indexes, saved on layoutAboutToBeChanged
        records = [self._rows[i.row()] if 0 <= i.row() < len(self._rows) else None for i in kept]
        self._rows = rows()
        self._apply_sort()
        if kept:
            position = {id(row): n for n, row in enumerate(self._rows)}
            moved = [self.index(position[id(r)], i.column()) if r is not None and id(r) in position else QModelIndex()
                     for r, i in zip(records, kept, strict=True)]
            self.changePersistentIndexList(kept, moved)
        self.layoutChanged.emit()

    def _sort_key(self) -> Callable[[dict[str, Any]], Any] | None:
        """The sort key of a row, computed once per distinct value (5 severities, not 5,000 parses)."""
        if self._sort is None:
            return None
        spec = self.columns[self._sort[0]]
        name, key = spec.field.name, spec.sort_key or _sortable
        known: dict[tuple[type, Any], Any] = {}

        def row_key(row: dict[str, Any]) -> Any:
            value = row.get(name)
            try:
                return known[(type(value), value)]
            except KeyError:
                result = known[(type(value), value)] = key(value)
                return result
            except TypeError:  # a list or dict: not hashable, not memoised
                return key(value)

        return row_key

    def _apply_sort(self) -> None:
        row_key = self._sort_key()
        if row_key is not None:
            self._rows.sort(key=row_key, reverse=self._sort[1] == Qt.SortOrder.DescendingOrder)  # type: ignore[index]

    def _replace_in_place(self, rows: list[dict[str, Any]]) -> bool:
        """An edit replaced a few row dicts (the session keeps the others): repaint those rows only.

        Only when each edited row stays shown (or hidden) and in sort order among its neighbours;
        otherwise the caller filters and sorts again. Rows never jump on an edit that keeps the order.
        """
        if len(rows) != len(self._all) or not rows:
            return False
        changed = [i for i, (old, new) in enumerate(zip(self._all, rows, strict=True)) if old is not new]
        if len(changed) > 32:
            return False
        places = []
        for i in changed:
            place = _position(self._rows, self._all[i])
            if self._filter(rows[i]) != (place is not None):
                return False
            if place is not None:
                places.append((place, rows[i]))
        new_rows = list(self._rows)
        for place, row in places:
            new_rows[place] = row
        row_key = self._sort_key()
        if row_key is not None:
            descending = self._sort[1] == Qt.SortOrder.DescendingOrder  # type: ignore[index]

            def before(a: dict[str, Any], b: dict[str, Any]) -> bool:  # a may stay before b: keys in order
                ka, kb = row_key(a), row_key(b)
                return ka == kb or (bool(kb < ka) if descending else bool(ka < kb))

            for place, _row in places:
                if (place > 0 and not before(new_rows[place - 1], new_rows[place])) or \
                        (place + 1 < len(new_rows) and not before(new_rows[place], new_rows[place + 1])):
                    return False
        self._all, self._rows = rows, new_rows
        last = len(self.columns) - 1
        for place, _row in places:
            self.dataChanged.emit(self.index(place, 0), self.index(place, last))
        return True
