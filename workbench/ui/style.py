"""The application's style: Fusion everywhere, plus what every widget must get as it is polished.

One QProxyStyle over Fusion is the single place that touches every widget the moment it is first shown,
whenever it was created: editors get the wheel guard (ui/wheel_guard.py), item views the tips that show
text their columns cut short (ui/elided_tips.py). It also draws the edges of radio
buttons, check boxes and text fields at 3:1 against the window (appearance.OUTLINE), which Fusion draws
at 1.3:1 on a dark palette, so a dark desktop still shows which option is which.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QStyleOptionViewItem,
    QWidget,
)

from workbench.ui.appearance import outline_colour
from workbench.ui.elided_tips import install_elided_tips
from workbench.ui.wheel_guard import guard_wheel

Element = QStyle.PrimitiveElement
_OUTLINED = frozenset({Element.PE_IndicatorRadioButton, Element.PE_IndicatorCheckBox, Element.PE_FrameLineEdit,
                       Element.PE_Frame})

__all__ = ["WorkbenchStyle", "draw_focus_frame", "draw_item_panel", "install_style"]


class WorkbenchStyle(QProxyStyle):
    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))
        self.setObjectName("workbenchStyle")

    def polish(self, target: object) -> None:  # QWidget, QApplication or QPalette
        super().polish(target)  # type: ignore[call-overload]
        if isinstance(target, QWidget):
            guard_wheel(target)
            install_elided_tips(target)

    def drawPrimitive(self, element: Element, option: QStyleOption, painter: QPainter,  # noqa: N802
                      widget: QWidget | None = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in _OUTLINED:  # most of what a page draws (item view rows...): no flag arithmetic
            return
        focused = option.state & QStyle.StateFlag.State_HasFocus and \
            option.state & QStyle.StateFlag.State_KeyboardFocusChange
        if not focused:
            _draw_outline(element, option, painter)


def install_style(app: QCoreApplication | None = None) -> None:
    """Give the application the workbench style (once; existing widgets are polished again)."""
    app = app or QApplication.instance()
    if isinstance(app, QApplication) and not isinstance(app.style(), WorkbenchStyle):
        app.setStyle(WorkbenchStyle())


def draw_focus_frame(widget: QWidget, radius: float = 5.0) -> None:
    """A 2-px frame in the highlight colour around a widget that is one keyboard stop for several controls
    (the level picker, a health-check question); call it at the end of the widget's paintEvent."""
    painter = QPainter(widget)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(widget.palette().color(QPalette.ColorRole.Highlight), 2))
    painter.drawRoundedRect(QRectF(widget.rect()).adjusted(1, 1, -1, -1), radius, radius)
    painter.end()


def draw_item_panel(painter: QPainter, option: QStyleOptionViewItem) -> tuple[bool, QColor]:
    """The row background a delegate paints over (selection, hover), as the style draws it; whether the row is
    selected and the colour its text is then written in."""
    style = option.widget.style() if option.widget else None
    if style is not None:
        style.drawPrimitive(Element.PE_PanelItemViewItem, option, painter, option.widget)
    selected = bool(option.state & QStyle.StateFlag.State_Selected)
    role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
    return selected, option.palette.color(role)


def _draw_outline(element: Element, option: QStyleOption, painter: QPainter) -> None:
    """Redraw the edge of an indicator or a text field in the outline colour, on the shape Fusion drew."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = outline_colour(option.palette)
    if not option.state & QStyle.StateFlag.State_Enabled:
        colour.setAlphaF(0.5)
    painter.setPen(QPen(colour, 1))
    rect = QRectF(option.rect)
    if element == Element.PE_IndicatorRadioButton:
        radius = (rect.width() + int(rect.width() + 1) % 2) / 2.0 - 1
        painter.drawEllipse(QPointF(rect.center()) + QPointF(0.5, 0.5), radius, radius)
    elif element == Element.PE_IndicatorCheckBox:
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 1.5, 1.5)
    else:
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 2, 2)
    painter.restore()
