"""Overall score gauge: a half donut of the maturity bands, a marker at the score, the number and verdict."""

from __future__ import annotations

import math
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Wedge
from matplotlib.patheffects import withStroke

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


def _polar(radius: float, degrees: float) -> tuple[float, float]:
    return radius * math.cos(math.radians(degrees)), radius * math.sin(math.radians(degrees))


def build_gauge(fig: Figure, data: GaugeData, *, dark: bool = False) -> None:
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
    segment_colours = {}
    for index, (name, _lo, hi) in enumerate(bands):
        colour = P.BAND_COLOURS[index % len(P.BAND_COLOURS)] if score is not None else P.grid_colour(dark)
        active = score is not None and (data.band == name or (data.band is None and start <= score <= hi))
        alpha = 1.0 if active or score is None else 0.45
        ax.add_patch(Wedge((0, 0), OUTER, angle(hi), angle(start), width=OUTER - INNER, facecolor=colour,
                           alpha=alpha, edgecolor="none" if dark else "white", linewidth=1.5))
        segment_colours[name] = colour
        middle = (angle(hi) + angle(start)) / 2
        span = abs(angle(start) - angle(hi))
        if span >= 14:
            x, y = _polar((OUTER + INNER) / 2, middle)
            label = P.wrap(name, 13 if span > 28 else 8, max_lines=2, break_words=False)
            ax.text(x, y, label, ha="center", va="center", rotation=middle - 90, rotation_mode="anchor",
                    fontsize=band_size, color=P.ink_on(colour) if alpha == 1.0 else ink,
                    fontweight="bold" if active else "normal", linespacing=1.0,
                    zorder=6, path_effects=[withStroke(linewidth=3, foreground=colour)] if active else None)
        start = hi
    if not bands:
        ax.add_patch(Wedge((0, 0), OUTER, 0, 180, width=OUTER - INNER, facecolor=P.grid_colour(dark)))

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

    if score is None:
        ax.text(0, 0.16, "Not scored", ha="center", va="center", fontsize=number_size * 0.45, color=muted,
                fontweight="bold")
        ax.text(0, -0.12, data.verdict or "No dimension assessed yet", ha="center", va="center",
                fontsize=P.LABEL_SIZE, color=muted)
        P.finish(fig)
        return

    # marker: a pointer in the hole whose tip touches the ring at the score
    a = angle(score)
    tip, left, right = _polar(INNER - 0.01, a), _polar(INNER - 0.17, a + 7), _polar(INNER - 0.17, a - 7)
    ax.add_patch(Polygon([tip, left, right], closed=True, facecolor=ink, edgecolor="none", zorder=5))
    ax.plot(*zip(_polar(INNER, a), _polar(OUTER, a), strict=True), color=ink, linewidth=1.2, zorder=5)

    ax.text(0, 0.03, f"{score:.1f}".rstrip("0").rstrip("."), ha="center", va="bottom", fontsize=number_size,
            fontweight="bold", color=ink)
    if data.band:
        ax.text(0, -0.02, data.band, ha="center", va="top", fontsize=P.TITLE_SIZE, color=ink)
    if data.verdict:
        colour = P.VERDICT_HEX.get(data.verdict, P.muted_colour(dark))
        ax.text(0, -0.36, data.verdict, ha="center", va="center", fontsize=P.TITLE_SIZE, fontweight="bold",
                color=P.ink_on(colour), bbox={"boxstyle": "round,pad=0.45", "facecolor": colour,
                                              "edgecolor": "none"})
    P.finish(fig)
