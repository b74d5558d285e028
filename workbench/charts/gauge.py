"""Overall score gauge: a half donut of the maturity bands, a needle at the score, and (optionally) the number,
band and verdict in the hole.

The bands' colours differ in lightness as well as hue (palette.BAND_COLOURS), so a greyscale printout still
tells them apart; the band the score falls in is outlined rather than the others being faded. The needle
stays inside the hole, so it never covers a band's name on the ring. A report that prints the score, band
and verdict beside the gauge asks for `readout=False`, so they are not shown twice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not to describe one
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from workbench.charts import layout as L
from workbench.charts import palette as P

OUTER = 1.0
INNER = 0.64


@dataclass(frozen=True)
class GaugeData:
    """`bands` are (name, lowest, highest) in rising order, as the framework's level bands."""

    score: float | None
    band: str | None
    verdict: str | None
    bands: tuple[tuple[str, float, float], ...] = (
        ("Ad-hoc", 0, 20), ("Managed", 21, 40), ("Standardized", 41, 60), ("Quantified", 61, 80),
        ("Optimized", 81, 100),
    )
    no_go_below: float = 40
    go_at_or_above: float = 75
    readout: bool = True  # the number, band and verdict in the hole; False when they stand beside the chart
    out_of: float = 100.0  # the number reads on this scale (5 for a framework scored out of 5); bands stay /100


def _polar(radius: float, degrees: float) -> tuple[float, float]:
    return radius * math.cos(math.radians(degrees)), radius * math.sin(math.radians(degrees))


def build_gauge(fig: Figure, data: GaugeData, *, dark: bool = False) -> None:
    from matplotlib.patches import Wedge

    P.prepare(fig, dark)
    ink, muted = P.text_colour(dark), P.muted_colour(dark)
    bands = sorted(((str(n), float(lo), float(hi)) for n, lo, hi in data.bands), key=lambda b: b[1])
    low = min([b[1] for b in bands], default=0.0)
    high = max([b[2] for b in bands], default=100.0)
    if high <= low:
        low, high = 0.0, 100.0
    score = data.score if data.score is not None and math.isfinite(data.score) else None

    def angle(value: float) -> float:
        value = min(max(value, low), high)
        return 180.0 - 180.0 * (value - low) / (high - low)

    ax = fig.add_subplot(1, 1, 1)
    L.place(fig, ax, L.Margins())  # every text lies within the data limits: the equal aspect centres them
    ax.set_gid("gauge")
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-0.62, 1.2)
    width_in, height_in = fig.get_size_inches()
    inches_per_unit = min(width_in / 2.7, height_in / 1.95)
    number_size = min(max(0.34 * inches_per_unit * 72, 14.0), 44.0)
    band_size = min(max(0.075 * inches_per_unit * 72, 5.5), 9.0)

    # band segments; each runs from the previous band's top, so integer bands (0-20, 21-40) leave no gap
    start = low
    for index, (name, _lo, hi) in enumerate(bands):
        colour = P.BAND_COLOURS[index % len(P.BAND_COLOURS)] if score is not None else P.grid_colour(dark)
        active = score is not None and (data.band == name or (data.band is None and start <= score <= hi))
        ax.add_artist(Wedge((0, 0), OUTER, angle(hi), angle(start), width=OUTER - INNER, facecolor=colour,
                           edgecolor="none" if dark else "white", linewidth=1.5))
        if active:  # outlined, so the band in force reads without colour
            ax.add_artist(Wedge((0, 0), OUTER + 0.015, angle(hi), angle(start), width=OUTER - INNER + 0.03,
                               facecolor="none", edgecolor=ink, linewidth=1.6, zorder=4))
        _band_label(ax, name, (angle(hi) + angle(start)) / 2, abs(angle(start) - angle(hi)), colour, active,
                    band_size)
        start = hi
    if not bands:
        ax.add_artist(Wedge((0, 0), OUTER, 0, 180, width=OUTER - INNER, facecolor=P.grid_colour(dark)))

    # verdict thresholds and scale numbers, outside the ring
    thresholds = [(v, t) for v, t in ((data.no_go_below, f"No-Go < {data.no_go_below:g}"),
                                      (data.go_at_or_above, f"Go ≥ {data.go_at_or_above:g}")) if low <= v <= high]
    for value in sorted({low, *(b[2] for b in bands)}):
        if any(abs(angle(value) - angle(t)) < 6 for t, _ in thresholds):
            continue
        x, y = _polar(OUTER + 0.04, angle(value))
        ax.text(x, y, f"{value:g}", ha="right" if x < -0.2 else "left" if x > 0.2 else "center",
                va="bottom", fontsize=P.SMALL_SIZE, color=muted)
    for value, text in thresholds:
        a = angle(value)
        ax.plot(*zip(_polar(OUTER, a), _polar(OUTER + 0.09, a), strict=True), color=ink, linewidth=1.4)
        x, y = _polar(OUTER + 0.11, a)
        ax.text(x, y, text, ha="right" if x < -0.2 else "left" if x > 0.2 else "center", va="bottom",
                fontsize=P.SMALL_SIZE, color=ink)

    if score is None and not data.readout:
        P.finish(fig)  # the text beside the chart says why there is no score
        return
    if score is None:
        ax.text(0, 0.16, "Not scored", ha="center", va="center", fontsize=number_size * 0.45, color=muted,
                fontweight="bold")
        ax.text(0, -0.12, data.verdict or "No dimension assessed yet", ha="center", va="center",
                fontsize=P.LABEL_SIZE, color=muted)
        P.finish(fig)
        return

    _needle(ax, angle(score), ink, long=not data.readout)
    if data.readout:
        shown = f"{score * data.out_of / 100.0:.{1 if data.out_of >= 10 else 2}f}".rstrip("0").rstrip(".")
        ax.text(0, 0.03, shown, ha="center", va="bottom", fontsize=number_size,
                fontweight="bold", color=ink)
        if data.band:
            ax.text(0, -0.02, data.band, ha="center", va="top", fontsize=P.TITLE_SIZE, color=ink)
        if data.verdict:
            colour = P.VERDICT_HEX.get(data.verdict, P.muted_colour(dark))
            ax.text(0, -0.36, data.verdict, ha="center", va="center", fontsize=P.TITLE_SIZE, fontweight="bold",
                    color=P.ink_on(colour), bbox={"boxstyle": "round,pad=0.45", "facecolor": colour,
                                                  "edgecolor": "none"})
    P.finish(fig)


def _band_label(ax: Axes, name: str, middle: float, span: float, colour: str, active: bool, size: float) -> None:
    """The band's name along the ring, when its segment is wide enough to hold it."""
    if span < 14:
        return
    x, y = _polar((OUTER + INNER) / 2, middle)
    label = P.wrap(name, 13 if span > 28 else 8, max_lines=2, break_words=False)
    ax.text(x, y, label, ha="center", va="center", rotation=middle - 90, rotation_mode="anchor", fontsize=size,
            color=P.ink_on(colour), fontweight="bold" if active else "normal", linespacing=1.0, zorder=6)


def _needle(ax: Axes, a: float, ink: str, *, long: bool) -> None:
    """A pointer whose tip stops at the ring's inner edge: from the hub when the hole is empty, else short."""
    from matplotlib.patches import Circle, Polygon

    tip = _polar(INNER - 0.02, a)
    if long:
        left, right = _polar(0.05, a + 90), _polar(0.05, a - 90)
        ax.add_artist(Circle((0, 0), 0.07, facecolor=ink, edgecolor="none", zorder=5))
    else:
        left, right = _polar(INNER - 0.17, a + 7), _polar(INNER - 0.17, a - 7)
    ax.add_artist(Polygon([tip, left, right], closed=True, facecolor=ink, edgecolor="none", zorder=5))
