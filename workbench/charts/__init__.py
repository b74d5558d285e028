"""Chart builders shared by the desktop app and the PDF reports.

Each chart is one function, ``build_<name>(fig, data, *, dark=False) -> None``, that clears the
matplotlib ``Figure`` it is given and draws into it; ``data`` is a frozen dataclass defined next to the
builder. The GUI passes the ChartFigure of a ``FigureCanvasQTAgg`` and calls ``draw_idle()``; a report builds a
fresh one of its size and saves it (see ``render_figure``, ``render_png``). ``dark=True`` gives the variant
for the dark GUI theme: transparent background and light text. Empty data draws a centred message.

Modules: radar (maturity radar), gauge (overall score), findings (by severity, by dimension), heatmap
(risk matrix; also maps a click to a cell), cost_matrix (impact × effort), timeline (roadmap), progress
(re-audit change per dimension); palette holds the colours, fonts and shared styling. Every chart is built
and drawn in a figure.ChartFigure, where text is never mathtext: "$" is a dollar sign.

pyplot is never imported here: it keeps global state and picks a GUI backend on its own.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when a chart is drawn: the app's start-up needs only the palette
    from workbench.charts.figure import ChartFigure

__all__ = ["render_png", "render_figure"]


def render_figure(builder: Callable[..., None], data: Any, width_in: float, height_in: float, dpi: float = 150,
                  *, dark: bool = False) -> ChartFigure:
    """A new Agg-backed ChartFigure of the given size with the chart built in it ("$" stays a dollar sign)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from workbench.charts.figure import ChartFigure

    fig = ChartFigure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(fig)
    fig.build(builder, data, dark=dark)
    return fig


def render_png(builder: Callable[..., None], data: Any, width_in: float, height_in: float, dpi: float = 150,
               *, dark: bool = False) -> bytes:
    """The chart as PNG bytes, e.g. ``render_png(build_radar, RadarData(...), 6, 5)`` for a report."""
    fig = render_figure(builder, data, width_in, height_in, dpi, dark=dark)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor=fig.get_facecolor(), transparent=dark)
    return buffer.getvalue()
