"""The left-hand step list: each step with its completeness, warnings and shortcut, from services.progress.

Arrow keys move through the steps and show each page; Enter or a click also hands the keyboard to the
page (`step_activated`), as its Ctrl+number shortcut does.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from workbench.services.progress import Progress
from workbench.ui.appearance import attention_colour
from workbench.ui.style import draw_item_panel

STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
WARN_ROLE = Qt.ItemDataRole.UserRole + 2
DONE_ROLE = Qt.ItemDataRole.UserRole + 3
SHORTCUT_ROLE = Qt.ItemDataRole.UserRole + 4
KEY_ROLE = Qt.ItemDataRole.UserRole


class StepDelegate(QStyledItemDelegate):
    """Two or three lines per step: title, summary, first warning (in the warning colour)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        lines = 3 if index.data(WARN_ROLE) else 2
        return QSize(200, QFontMetrics(option.font).height() * lines + 14)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        painter.save()
        selected, text_colour = draw_item_panel(painter, option)
        palette = option.palette
        line = QFontMetrics(option.font).height()
        rect = option.rect.adjusted(10, 6, -8, -6)
        bold = QFont(option.font)
        bold.setBold(True)
        metrics = QFontMetrics(option.font)
        muted = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText)
        shortcut = str(index.data(SHORTCUT_ROLE) or "")
        key_width = metrics.horizontalAdvance(shortcut) + 6 if shortcut else 0
        if shortcut:
            painter.setFont(option.font)
            painter.setPen(muted)
            painter.drawText(QRect(rect.left(), rect.top(), rect.width(), line), Qt.AlignmentFlag.AlignRight, shortcut)
        painter.setFont(bold)
        painter.setPen(text_colour)
        mark = "✓ " if index.data(DONE_ROLE) else ""
        painter.drawText(QRect(rect.left(), rect.top(), rect.width() - key_width, line), Qt.AlignmentFlag.AlignLeft,
                         QFontMetrics(bold).elidedText(mark + str(index.data(Qt.ItemDataRole.DisplayRole)),
                                                       Qt.TextElideMode.ElideRight, rect.width() - key_width))
        painter.setFont(option.font)
        painter.setPen(muted)
        painter.drawText(QRect(rect.left(), rect.top() + line, rect.width(), line), Qt.AlignmentFlag.AlignLeft,
                         metrics.elidedText(str(index.data(STATUS_ROLE) or ""), Qt.TextElideMode.ElideRight,
                                            rect.width()))
        warning = index.data(WARN_ROLE)
        if warning:
            painter.setPen(text_colour if selected else attention_colour(palette))
            painter.drawText(QRect(rect.left(), rect.top() + 2 * line, rect.width(), line), Qt.AlignmentFlag.AlignLeft,
                             metrics.elidedText("⚠ " + warning, Qt.TextElideMode.ElideRight, rect.width()))
        painter.restore()


class StepList(QListWidget):
    step_selected = Signal(str)  # the current step changed (arrow keys, click, a shortcut)
    step_activated = Signal(str)  # Enter or a click: the page should take the keyboard

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepList")
        self.setItemDelegate(StepDelegate(self))
        self.setMinimumWidth(230)
        self.setMaximumWidth(320)
        self.currentItemChanged.connect(lambda item, _old: item and self.step_selected.emit(item.data(KEY_ROLE)))
        self.itemClicked.connect(lambda item: self.step_activated.emit(item.data(KEY_ROLE)))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self.step_activated.emit(self.currentItem().data(KEY_ROLE))
            event.accept()
            return
        super().keyPressEvent(event)

    def set_progress(self, progress: Progress, shortcuts: dict[str, str] | None = None) -> None:
        """Show each step's summary and first warning; `shortcuts` (step → key sequence) beside the titles."""
        current = self.currentItem().data(KEY_ROLE) if self.currentItem() else None
        self.blockSignals(True)
        if self.count() != len(progress.steps):
            self.clear()
            for step in progress.steps:
                item = QListWidgetItem(step.title)
                item.setData(KEY_ROLE, step.key)
                self.addItem(item)
        for row, step in enumerate(progress.steps):
            item = self.item(row)
            item.setData(STATUS_ROLE, step.summary)
            item.setData(WARN_ROLE, step.warnings[0] if step.warnings else "")
            item.setData(DONE_ROLE, step.complete)
            shortcut = (shortcuts or {}).get(step.key, "")
            item.setData(SHORTCUT_ROLE, QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText))
            tip = "\n".join((f"{step.title} ({item.data(SHORTCUT_ROLE)})" if shortcut else step.title,
                             step.summary, *step.warnings))
            item.setToolTip(tip)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, tip)
            if step.key == current:
                self.setCurrentRow(row)
        if current is None:
            self.setCurrentRow(0)
        self.blockSignals(False)
        self.viewport().update()

    def select_step(self, key: str) -> None:
        for row in range(self.count()):
            if self.item(row).data(KEY_ROLE) == key:
                self.setCurrentRow(row)
                return
