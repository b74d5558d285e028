"""What every page must hold at 1366 × 768, in light and dark, with each sample (used by test_contract.py).

Each check returns a list of problems in words (empty: the page holds), so one failing test names every
widget at fault at once.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from workbench.ui.column_fit import ColumnFitter
from workbench.ui.elided_tips import elided_text, header_elided_text

EDITORS = (QComboBox, QLineEdit, QAbstractSpinBox, QPlainTextEdit, QTextEdit)


def name(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, QLabel | QAbstractButton):
        text = widget.text()
    elif isinstance(widget, QGroupBox):
        text = widget.title()
    return f"{type(widget).__name__}#{widget.objectName() or '?'} {text[:40]!r}"


def shown(page: QWidget) -> list[QWidget]:
    """Widgets the auditor can see on the page (scrolled out of view counts: a scroll brings them in)."""
    return [w for w in page.findChildren(QWidget) if w.isVisibleTo(page) and w.width() > 0 and w.height() > 0]


def _label_cut(label: QLabel) -> bool:
    if label.pixmap() is not None and not label.pixmap().isNull() or not label.text().strip():
        return False
    if label.wordWrap():
        return label.heightForWidth(label.width()) > label.height() + 2
    return label.sizeHint().width() > label.width() + 2


def _button_cut(button: QAbstractButton) -> bool:
    return bool(button.text()) and button.sizeHint().width() > button.width() + 2


def _group_cut(box: QGroupBox) -> bool:
    return bool(box.title()) and box.fontMetrics().horizontalAdvance(box.title()) + 20 > box.width()


def clipped_without_tip(page: QWidget) -> list[str]:
    """Labels, buttons, group titles and tabs whose text does not fit and that have no tooltip to give it."""
    problems = []
    for widget in shown(page):
        if widget.toolTip():
            continue
        if isinstance(widget, QLabel) and _label_cut(widget) or \
                isinstance(widget, QAbstractButton) and _button_cut(widget) or \
                isinstance(widget, QGroupBox) and _group_cut(widget):
            problems.append(f"{name(widget)} is cut ({widget.width()} px wide)")
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                if widget.tabRect(i).width() + 2 < widget.tabSizeHint(i).width() and not widget.tabToolTip(i):
                    problems.append(f"tab {widget.tabText(i)!r} is cut")
    return problems


def cells_cut_without_tip(page: QWidget) -> list[str]:
    """Cells and header sections shown cut short with neither the model's tooltip nor the elided-text tip."""
    problems = []
    for view in (v for v in page.findChildren(QAbstractItemView) if v.isVisibleTo(page)):
        model = view.model()
        if isinstance(view, QHeaderView):
            problems += [f"header {view.parent().objectName()} section {s} cut" for s in range(view.count())
                         if header_elided_text(view, s) and not _has_elided_tips(view)]
            continue
        if model is None:
            continue
        try:
            columns = model.columnCount()
        except TypeError:  # a list model keeps columnCount to itself: one column
            columns = 1
        for row in range(min(model.rowCount(QModelIndex()), 60)):
            for column in range(columns):
                index = model.index(row, column)
                if view.visualRect(index).isEmpty() or not isinstance(index, QModelIndex):
                    continue
                cut = elided_text(view, index)
                if cut and not (index.data(Qt.ItemDataRole.ToolTipRole) or _has_elided_tips(view)):
                    problems.append(f"{view.objectName()} row {row} column {column} cut: {cut[:30]!r}")
    return problems


def _has_elided_tips(view: QAbstractItemView) -> bool:
    from workbench.ui.style import WorkbenchStyle

    return isinstance(view.style(), WorkbenchStyle) or isinstance(view.style().proxy(), WorkbenchStyle)


def editors_wider_than(page: QWidget, width: int) -> list[str]:
    return [f"{name(w)} is {w.width()} px wide (min {w.minimumSizeHint().width()})" for w in shown(page)
            if isinstance(w, EDITORS) and max(w.width(), w.minimumSizeHint().width()) > width]


def key_columns_scrolled_away(page: QWidget) -> list[str]:
    """Tables fitted by priority: every key column (priority 1) whole inside the table, no sideways scroll."""
    problems = []
    for fitter in page.findChildren(ColumnFitter):
        view = fitter.view
        if not view.isVisibleTo(page):
            continue
        header = fitter.header()
        room = view.viewport().width()
        for column in range(header.count()):
            if fitter._fits(column).priority != 1:
                continue
            right = header.sectionPosition(column) + header.sectionSize(column)
            if header.isSectionHidden(column) or right > room + 1:
                problems.append(f"{fitter.key}: key column {fitter._name(column)!r} not whole in {room} px")
    return problems


def blank(image: QImage, palette: QPalette) -> bool:
    """The page drew nothing but its background (a sample of pixels, all the window colour)."""
    background = palette.color(QPalette.ColorRole.Window).rgb()
    rect = QRect(0, 0, image.width(), image.height())
    colours = {image.pixel(x, y) for x in range(rect.left(), rect.right(), 7) for y in range(rect.top(),
                                                                                          rect.bottom(), 7)}
    return colours <= {background} or len(colours) < 4
