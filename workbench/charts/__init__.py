"""Chart builders shared by the desktop app and the PDF reports.

Each chart is one function, ``build_<name>(fig, data, *, dark=False) -> None``, that clears the
matplotlib ``Figure`` it is given and draws into it; ``data`` is a frozen dataclass defined next to the
builder. The GUI passes the figure of a ``FigureCanvasQTAgg`` and calls ``draw_idle()``; a report passes a
fresh ``Figure(figsize=..., dpi=...)`` and saves it (see ``render_png``). ``dark=True`` gives the variant
for the dark GUI theme: transparent background and light text. Empty data draws a centred message.

Modules: radar (maturity radar), gauge (overall score), findings (by severity, by dimension), heatmap
(risk matrix; also maps a click to a cell), cost_matrix (impact × effort), timeline (roadmap), progress
(re-audit change per dimension); palette holds the colours, fonts and shared styling.

pyplot is never imported here: it keeps global state and picks a GUI backend on its own.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when a chart is drawn: the app's start-up needs only the palette
    from matplotlib.figure import Figure

__all__ = ["render_png", "render_figure"]


def render_figure(builder: Callable[..., None], data: Any, width_in: float, height_in: float, dpi: float = 150,
                  *, dark: bool = False) -> Figure:
    """A new Agg-backed Figure of the given size with the chart drawn into it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(fig)
    builder(fig, data, dark=dark)
    return fig


def render_png(builder: Callable[..., None], data: Any, width_in: float, height_in: float, dpi: float = 150,
               *, dark: bool = False) -> bytes:
    """The chart as PNG bytes, e.g. ``render_png(build_radar, RadarData(...), 6, 5)`` for a report."""
    fig = render_figure(builder, data, width_in, height_in, dpi, dark=dark)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor=fig.get_facecolor(), transparent=dark)
    return buffer.getvalue()
