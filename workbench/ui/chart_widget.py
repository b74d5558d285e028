"""A matplotlib canvas that redraws a charts/ builder with new data, in light or dark mode."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget


def is_dark(widget: QWidget) -> bool:
    window = widget.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


class ChartCanvas(FigureCanvasQTAgg):
    def __init__(self, builder: Callable[..., None], parent: QWidget | None = None, *, min_height: int = 220) -> None:
        super().__init__(Figure(figsize=(5, 4), dpi=100))
        self.setParent(parent)
        self.builder = builder
        self.data: Any = None
        self.setMinimumHeight(min_height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_data(self, data: Any) -> None:
        self.data = data
        self.builder(self.figure, data, dark=is_dark(self))
        self.draw_idle()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.data is not None:
            self.builder(self.figure, self.data, dark=is_dark(self))
            self.draw_idle()
