"""A matplotlib canvas that redraws a charts/ builder with new data, in light or dark mode.

The builders place their axes with margins in points computed for the figure's size (charts.layout),
so a canvas whose size changed builds its chart again before its next draw. The chart is built and drawn in a
charts.figure.ChartFigure, as in a report: a "$" in a name is a dollar sign, not mathtext.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import QEvent
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from workbench.charts.figure import ChartFigure


def is_dark(widget: QWidget) -> bool:
    window = widget.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


class ChartCanvas(FigureCanvasQTAgg):
    def __init__(self, builder: Callable[..., None], parent: QWidget | None = None, *, min_height: int = 220) -> None:
        self.figure: ChartFigure
        super().__init__(ChartFigure(figsize=(5, 4), dpi=100))
        self.setParent(parent)
        self.setPalette(QPalette())  # inherit the window's palette: matplotlib sets a white one (no dark mode)
        self.builder = builder
        self.data: Any = None
        self._dark = False
        self.setMinimumHeight(min_height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_data(self, data: Any) -> None:
        """Redraw only when the data or the palette changed: building a chart costs ~100 ms."""
        dark = is_dark(self)
        if data == self.data and dark == self._dark:
            return
        self.data, self._dark = data, dark
        self.figure.build(self.builder, data, dark=dark)
        self._built_size = tuple(self.figure.get_size_inches())
        self.draw_idle()

    def draw(self) -> None:
        """Draw only when seen (a draw costs ~50-100 ms): a page being built or closed, or a step not
        shown, would otherwise redraw on every resize. A hidden canvas draws once, when shown."""
        if not self.isVisible():
            self._hidden_draw = True
            return
        size = tuple(self.figure.get_size_inches())
        if self.data is not None and size != getattr(self, "_built_size", size):
            self.figure.build(self.builder, self.data, dark=self._dark)  # margins are in points: lay out anew
        self._built_size = size
        super().draw()

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if getattr(self, "_hidden_draw", False):
            self._hidden_draw = False
            super().draw_idle()

    def changeEvent(self, event: Any) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and getattr(self, "data", None) is not None:
            data, self.data = self.data, None
            self.show_data(data)
