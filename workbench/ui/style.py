"""The application's style: Fusion everywhere, plus what every widget must get as it is polished.

One QProxyStyle over Fusion is the single place that touches every widget the moment it is first shown,
whenever it was created: editors get the wheel guard (ui/wheel_guard.py).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRectF
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyleFactory, QWidget

from workbench.ui.wheel_guard import guard_wheel

__all__ = ["WorkbenchStyle", "draw_focus_frame", "install_style"]


class WorkbenchStyle(QProxyStyle):
    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))
        self.setObjectName("workbenchStyle")

    def polish(self, target: object) -> None:  # QWidget, QApplication or QPalette
        super().polish(target)  # type: ignore[call-overload]
        if isinstance(target, QWidget):
            guard_wheel(target)


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
