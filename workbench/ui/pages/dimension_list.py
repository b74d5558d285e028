"""The assessment step's list of dimensions: each one's answered items, level and, while a search or tag filter
is on, how many of its items match; kept narrow enough for the checklist beside it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from workbench.domain.framework import Dimension
from workbench.domain.wording import percent, plural


class DimensionList(QListWidget):
    """One row a dimension, in the framework's order (the row number is the dimension's index)."""

    def __init__(self, dimensions: Sequence[Dimension], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dimensions")
        self.setAccessibleName("Dimensions")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setStyleSheet("QListWidget#dimensions::item { padding: 5px 2px; }")
        for dimension in dimensions:
            entry = QListWidgetItem()
            entry.setData(Qt.ItemDataRole.UserRole, dimension.id)
            self.addItem(entry)
        longest = max((f"{d.id} · {d.name}  {len(d.items)}/{len(d.items)} · L5" for d in dimensions),
                      key=len, default="")
        self.setMinimumWidth(min(self.fontMetrics().horizontalAdvance(longest) + 28, 320))

    def show_progress(self, dimensions: Sequence[Dimension], answered: Callable[[Dimension], int],
                      level: Callable[[Dimension], int | None], found: Callable[[Dimension], int] | None) -> None:
        """Each row's answered items and level; `found` (a filter is on) counts the items that match."""
        for row, dimension in enumerate(dimensions):
            done, reached = answered(dimension), level(dimension)
            shown = None if found is None else found(dimension)
            entry = self.item(row)
            entry.setText(f"{dimension.id} · {dimension.name}  {done}/{len(dimension.items)} · "
                          f"{f'L{reached}' if reached else 'L–'}" + ("" if shown is None else f" · {shown} found"))
            entry.setToolTip(f"{dimension.name}: weight {percent(dimension.weight)}, {done} of "
                             f"{plural(len(dimension.items), 'item')} answered, level {reached or 'not assessed'}")
