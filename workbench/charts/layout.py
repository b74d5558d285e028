"""Fixed margins for every chart, computed once from the figure's size and the texts the chart will show.

matplotlib's constrained layout measured every artist twice on each draw (about a quarter of a chart's
drawing time). The charts know their texts before they are drawn (the tick labels are set from the data,
the legends are built first), so a builder measures those texts here and places its axes itself: every
length is in points, so the same builder lays out a report bitmap and a resized GUI canvas alike (the
canvas builds the chart again when its size changes).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not to describe one
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from workbench.charts import palette as P

EDGE = 4.0  # points kept free along the figure's edges
TICK_PAD = 3.5  # matplotlib's default gap between a tick and its label
TICK_LENGTH = 3.5  # matplotlib's default major tick length
LABEL_PAD = 4.0  # matplotlib's default gap between the tick labels and the axis label
GAP = 6.0  # between a legend (or title) and the axes' labels
SLACK = 1.01  # text measured here may be drawn a hair wider at another resolution (hinting)
SMALLEST_AXES = 0.2  # of the figure's width or height, however long the labels (a tiny GUI panel)


def renderer_of(fig: Figure) -> Any:
    """The renderer the figure will be drawn with (an Agg canvas keeps it: measuring costs no extra draw)."""
    get = getattr(fig.canvas, "get_renderer", None)
    if callable(get):
        return get()
    from matplotlib.backends.backend_agg import RendererAgg

    width, height = fig.get_size_inches() * fig.dpi
    return RendererAgg(max(1, int(width)), max(1, int(height)), fig.dpi)  # type: ignore[no-untyped-call]


@dataclass
class Measure:
    """Text sizes in points, as the figure's renderer lays the text out."""

    fig: Figure

    def __post_init__(self) -> None:
        self.renderer = renderer_of(self.fig)
        self.scale = 72.0 / float(self.fig.dpi)

    def text(self, text: str, size: float, *, weight: str = "normal", style: str = "normal",
             linespacing: float = 1.2) -> tuple[float, float]:
        """(width, height) of a possibly multi-line text, laid out as matplotlib draws it (not drawn)."""
        from matplotlib.text import Text

        probe = Text(0, 0, str(text), fontsize=size, fontweight=weight, fontstyle=style, fontfamily=P.FONT,
                     linespacing=linespacing)
        probe.set_figure(self.fig)
        box = probe.get_window_extent(self.renderer)
        return box.width * self.scale * SLACK, box.height * self.scale * SLACK

    def width(self, texts: Iterable[str], size: float, **kwargs: Any) -> float:
        """The widest of `texts` (0 for none)."""
        return max((self.text(t, size, **kwargs)[0] for t in texts if t), default=0.0)

    def height(self, texts: Iterable[str], size: float, **kwargs: Any) -> float:
        """The tallest of `texts` (0 for none)."""
        return max((self.text(t, size, **kwargs)[1] for t in texts if t), default=0.0)

    def artist_height(self, artist: Any) -> float:
        """Height in points of an artist laid out already (a legend, whose boxes only it knows)."""
        return float(artist.get_window_extent(self.renderer).height) * self.scale

    def artist_top(self, artist: Any) -> float:
        """Top edge in points above the figure's bottom of an artist laid out already."""
        return float(artist.get_window_extent(self.renderer).y1) * self.scale


@dataclass(frozen=True)
class Margins:
    """Room around an axes, in points."""

    left: float = EDGE
    right: float = EDGE
    bottom: float = EDGE
    top: float = EDGE


def size_pt(fig: Figure) -> tuple[float, float]:
    width, height = fig.get_size_inches()
    return float(width) * 72.0, float(height) * 72.0


def inner_box(fig: Figure, margins: Margins) -> tuple[float, float, float, float]:
    """(x, y, width, height) in points of the room left for the axes; never less than SMALLEST_AXES."""
    width, height = size_pt(fig)
    inner_w = max(width - margins.left - margins.right, width * SMALLEST_AXES)
    inner_h = max(height - margins.bottom - margins.top, height * SMALLEST_AXES)
    left = min(margins.left, width - inner_w)
    bottom = min(margins.bottom, height - inner_h)
    return left, bottom, inner_w, inner_h


def place(fig: Figure, ax: Axes, margins: Margins) -> None:
    """Put the axes in the figure with these margins."""
    set_box(fig, ax, inner_box(fig, margins))


def set_box(fig: Figure, ax: Axes, box: tuple[float, float, float, float]) -> None:
    """Put the axes at (x, y, width, height) points."""
    width, height = size_pt(fig)
    x, y, w, h = box
    ax.set_position((x / width, y / height, w / width, h / height))


def square(fig: Figure, margins: Margins, ratio: float = 1.0) -> tuple[float, float, float, float]:
    """The largest box of width/height `ratio` inside the margins, centred in the room: (x, y, w, h) in points."""
    x, y, w, h = inner_box(fig, margins)
    box_w = min(w, h * ratio)
    box_h = box_w / ratio
    return x + (w - box_w) / 2, y + (h - box_h) / 2, box_w, box_h


def y_ticks_room(measure: Measure, labels: Iterable[str], size: float, *, tick_length: float = TICK_LENGTH,
                 axis_label: str = "", weight: str = "normal") -> float:
    """Points left of an axes for its y tick labels (and a y axis label, drawn turned by 90°)."""
    room = measure.width(labels, size, weight=weight) + TICK_PAD + tick_length
    if axis_label:
        room += LABEL_PAD + measure.text(axis_label, P.LABEL_SIZE)[1]
    return room


def x_ticks_room(measure: Measure, labels: Iterable[str], size: float, *, tick_length: float = TICK_LENGTH,
                 axis_label: str = "", axis_label_size: float = P.LABEL_SIZE, rotation: float = 0.0) -> float:
    """Points below an axes for its x tick labels (turned by `rotation` degrees) and an x axis label."""
    if rotation:
        turn = math.radians(rotation)
        sizes = [measure.text(t, size) for t in labels if t]
        labels_h = max((w * math.sin(turn) + h * math.cos(turn) for w, h in sizes), default=0.0)
    else:
        labels_h = measure.height(labels, size)
    room = labels_h + TICK_PAD + tick_length
    if axis_label:
        room += LABEL_PAD + measure.text(axis_label, axis_label_size)[1]
    return room


def legend_room(measure: Measure, legend: Any, *, at_top: bool = False) -> float:
    """Points a legend at the figure's bottom (or top) edge takes, with the gap before the axes' labels."""
    if at_top:
        _width, height = size_pt(measure.fig)
        bottom = measure.artist_top(legend) - measure.artist_height(legend)
        return height - bottom + GAP / 2
    return measure.artist_top(legend) + GAP / 2
