"""The Figure every chart is built and drawn in: its text is the user's text, never mathtext.

matplotlib reads a text holding two "$" as mathtext: "Budget $20k-$40k" comes out in italics without its
dollar signs, and a malformed pair ("$ $", "$\\x$", "$^$") raises while the figure draws, so one dimension
name could stop a whole report. Dimension, activity, cost item and band names, engagement refs and a
currency's "$" reach the charts as typed, so mathtext is switched off (rcParams "text.parse_math").

A Text reads that setting once, when it is made, not when it is drawn; but an axis makes the tick labels it
lacks while it draws (a categorical or date axis, a locator that finds more ticks), and those read it then.
So both steps run with it off: `build` (the builder and every text it makes or measures) and `draw` (every
draw, savefig and draw_idle end there). The report (charts.render_figure, the chart worker's encode_chart)
and the GUI (ui.chart_widget.ChartCanvas) both build and draw in a ChartFigure. Nothing is escaped: with
mathtext off a "\\$" would show its backslash.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from matplotlib import rc_context
from matplotlib.figure import Figure


def plain_text() -> AbstractContextManager[None]:
    """matplotlib's settings while a chart's texts are made or drawn: "$" is a dollar sign."""
    return rc_context({"text.parse_math": False})


class ChartFigure(Figure):
    """A Figure whose texts are made and drawn as plain text (see the module's docstring)."""

    def build(self, builder: Callable[..., None], data: Any, *, dark: bool = False) -> None:
        """Run a charts builder on this figure, every Text it makes reading "$" as a dollar sign."""
        with plain_text():
            builder(self, data, dark=dark)

    def draw(self, renderer: Any) -> None:
        """Draw as Figure does; tick labels made now are plain text too."""
        with plain_text():
            super().draw(renderer)
