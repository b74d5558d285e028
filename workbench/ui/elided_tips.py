"""Nothing cut short without a way to read it: text that does not fit shows whole as a tip.

Qt elides a table cell ("Producti…") or a header ("Throughp…") to its column and clips a combo box's or a
field's text to its width, and says nothing. The application style installs `ElidedTips` on every item
view, combo box and text field as it is polished (ui/style.py), so any of them, now or later, gives the
whole text in a tooltip when, and only when, it is cut. A widget's or model's own tooltip always wins.
`elided_text` and `cut_text` are also what the contract tests use to find cut text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QStyle,
    QStyleOptionComboBox,
    QToolTip,
    QWidget,
)

__all__ = ["ElidedTips", "cut_text", "elided_text", "header_elided_text", "install_elided_tips"]



def _margins(widget: QWidget) -> int:
    """The room a delegate leaves either side of a cell's text (QStyledItemDelegate: focus frame margin + 1)."""
    return 2 * (widget.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1)


def _text_width(view: QAbstractItemView, index: QModelIndex | QPersistentModelIndex, text: str) -> int:
    font = index.data(Qt.ItemDataRole.FontRole)
    metrics = QFontMetrics(font) if font is not None else view.fontMetrics()
    return max(metrics.horizontalAdvance(line) for line in text.splitlines() or [""])


def elided_text(view: QAbstractItemView, index: QModelIndex | QPersistentModelIndex) -> str:
    """The whole text of a cell that its column cuts short, else ''."""
    text = index.data(Qt.ItemDataRole.DisplayRole)
    if text is None or isinstance(text, bool):
        return ""
    text = str(text)
    rect = view.visualRect(index if isinstance(index, QModelIndex) else index.model().index(index.row(),
                                                                                           index.column()))
    if not text or rect.width() <= 0:
        return ""
    room = rect.width() - _margins(view)
    if index.data(Qt.ItemDataRole.DecorationRole) is not None:
        room -= view.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + 4
    wraps = bool(getattr(view, "wordWrap", lambda: False)())
    if wraps and rect.height() > 2 * view.fontMetrics().height():
        return ""  # a wrapping view shows more lines as rows grow
    cut = _text_width(view, index, text) > room or ("\n" in text and not wraps)
    return text if cut else ""


def header_elided_text(header: QHeaderView, section: int) -> str:
    """The whole title of a header section cut short, else ''."""
    model = header.model()
    if model is None:
        return ""
    text = str(model.headerData(section, header.orientation(), Qt.ItemDataRole.DisplayRole) or "")
    room = header.sectionSize(section) - 2 * _margins(header) - (16 if header.isSortIndicatorShown() else 0)
    return text if text and header.fontMetrics().horizontalAdvance(text) > room else ""


def cut_text(widget: QWidget) -> str:
    """The whole text of a combo box or text field too narrow for it, else ''."""
    if isinstance(widget, QComboBox):
        text = widget.currentText()
        option = QStyleOptionComboBox()
        widget.initStyleOption(option)
        room = widget.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                             QStyle.SubControl.SC_ComboBoxEditField, widget).width() - 4
    elif isinstance(widget, QLineEdit) and widget.echoMode() == QLineEdit.EchoMode.Normal:
        text = widget.text()
        margins = widget.textMargins()
        room = widget.contentsRect().width() - margins.left() - margins.right() - 8
    else:
        return ""
    return text if text and widget.fontMetrics().horizontalAdvance(text) > room else ""


def tooltip_for(view: QAbstractItemView, index: QModelIndex | QPersistentModelIndex) -> str:
    """What a cell shows on hover: the model's own tooltip, or the cut text."""
    own = index.data(Qt.ItemDataRole.ToolTipRole)
    return str(own) if own else elided_text(view, index)


class ElidedTips(QObject):
    """On a viewport's ToolTip event: the whole text of the cell or header section under the pointer."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.ToolTip:
            return False
        if isinstance(watched, QComboBox | QLineEdit):
            text = "" if watched.toolTip() else cut_text(watched)
            if text and isinstance(event, QHelpEvent):
                QToolTip.showText(event.globalPos(), text[:2000], watched)
                return True
            return False
        view = watched.parent()
        if not isinstance(view, QAbstractItemView) or not isinstance(event, QHelpEvent):
            return False
        if isinstance(view, QHeaderView):
            section = view.logicalIndexAt(event.pos())
            model = view.model()
            own = model.headerData(section, view.orientation(), Qt.ItemDataRole.ToolTipRole) if model else None
            text = "" if section < 0 or own else header_elided_text(view, section)
        else:
            index = view.indexAt(event.pos())
            text = "" if not index.isValid() or index.data(Qt.ItemDataRole.ToolTipRole) else \
                elided_text(view, index)
        if not text:
            return False  # Qt's own handling: the model's tooltip, or none
        QToolTip.showText(event.globalPos(), text[:2000], view.viewport())
        return True


_FILTER: list[ElidedTips] = []


def install_elided_tips(widget: QWidget) -> None:
    """Give an item view (its viewport), a header, a combo box or a text field the tips; no-op for other
    widgets, safe to repeat."""
    if isinstance(widget, QAbstractItemView):
        target: QWidget = widget.viewport()
    elif isinstance(widget, QComboBox | QLineEdit):
        target = widget
    else:
        return
    if not _FILTER:
        from PySide6.QtWidgets import QApplication

        _FILTER.append(ElidedTips(QApplication.instance()))
    target.installEventFilter(_FILTER[0])
