"""Overall score gauge: a half donut of the maturity bands, a needle at the score, and (optionally) the number,
band and verdict in the hole.

The bands' colours differ in lightness as well as hue (palette.BAND_COLOURS), so a greyscale printout still
tells them apart; the band the score falls in is outlined rather than the others being faded. A band's name
stands on its segment only where it fits there whole (ring_labels measures it); the names that fit nowhere
are listed, with their colours and ranges, in a key under the gauge. The needle stays inside the hole, so it
never covers a band's name on the ring. A report that prints the score, band and verdict beside the gauge
asks for `readout=False`, so they are not shown twice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not to describe one
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend
    from matplotlib.text import Text

from workbench.charts import layout as L
from workbench.charts import palette as P
from workbench.charts import ring_labels as RL

OUTER = 1.0
INNER = 0.64
TOP = 1.2  # data units above the centre: the thresholds' labels
BOTTOM = -0.62  # below the centre: the readout in the hole
HUB = -0.12  # below the centre when nothing stands in the hole but the needle's hub (the key takes the room)
BAND_NAME_GID = "band-name"  # a band's name on the ring
SCALE_NUMBER_GID = "scale-number"  # a band edge's number outside the ring
SCALE_GAP = 1.0  # points at least between a scale number and another one or a threshold's label
KEY_SIZES = (P.SMALL_SIZE, 6.0, RL.MIN_SIZE)  # points: the key's text, smaller when its rows are too many
KEY_SHARE = 0.45  # of the figure's height, at most, for the key
MIN_KEY_CHARS = 8  # the narrowest lines the key's entries are wrapped to


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


@dataclass(frozen=True)
class _Band:
    """One band as drawn: its segment from angle `theta1` to `theta2` (degrees) and its colour."""

    name: str
    low: float
    high: float
    theta1: float
    theta2: float
    colour: str
    active: bool
    sector: RL.Sector


def _polar(radius: float, degrees: float) -> tuple[float, float]:
    return radius * math.cos(math.radians(degrees)), radius * math.sin(math.radians(degrees))


def build_gauge(fig: Figure, data: GaugeData, *, dark: bool = False) -> None:
    """Draw the gauge into `fig` (a band's name is plain text: charts.figure.ChartFigure builds and draws it)."""
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
    ax.set_gid("gauge")
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_xlim(-1.3, 1.3)
    width_in, height_in = fig.get_size_inches()
    inches_per_unit = min(width_in / 2.7, height_in / 1.95)
    number_size = min(max(0.34 * inches_per_unit * 72, 14.0), 44.0)
    band_size = min(max(0.075 * inches_per_unit * 72, RL.MIN_SIZE), 9.0)

    # band segments; each runs from the previous band's top, so integer bands (0-20, 21-40) leave no gap
    segments: list[_Band] = []
    start = low
    for index, (name, lo, hi) in enumerate(bands):
        colour = P.BAND_COLOURS[index % len(P.BAND_COLOURS)] if score is not None else P.grid_colour(dark)
        active = score is not None and (data.band == name or (data.band is None and start <= score <= hi))
        sector = RL.Sector(INNER, OUTER, (angle(hi) + angle(start)) / 2, abs(angle(start) - angle(hi)))
        segments.append(_Band(name, lo, hi, angle(hi), angle(start), colour, active, sector))
        start = hi
    names, shrink = _arrange(fig, ax, segments, band_size, data.readout, dark)
    _draw_bands(ax, segments, names, ink, dark)
    number_size = min(max(number_size * shrink, 14.0), 44.0)  # a key under the gauge makes the hole smaller
    if not bands:
        ax.add_artist(Wedge((0, 0), OUTER, 0, 180, width=OUTER - INNER, facecolor=P.grid_colour(dark)))

    # verdict thresholds and scale numbers, outside the ring
    thresholds = [(v, t) for v, t in ((data.no_go_below, f"No-Go < {data.no_go_below:g}"),
                                      (data.go_at_or_above, f"Go ≥ {data.go_at_or_above:g}")) if low <= v <= high]
    marks = []
    for value, text in thresholds:
        a = angle(value)
        ax.plot(*zip(_polar(OUTER, a), _polar(OUTER + 0.09, a), strict=True), color=ink, linewidth=1.4)
        x, y = _polar(OUTER + 0.11, a)
        marks.append(ax.text(x, y, text, ha="right" if x < -0.2 else "left" if x > 0.2 else "center",
                             va="bottom", fontsize=P.SMALL_SIZE, color=ink))
    edges = [(v, angle(v)) for v in sorted({low, *(b[2] for b in bands)})]
    _scale_numbers(fig, ax, [(v, a) for v, a in edges if all(abs(a - angle(t)) >= 6 for t, _ in thresholds)], marks,
                   muted)

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


def _scale_numbers(fig: Figure, ax: Axes, edges: list[tuple[float, float]], marks: list[Text], colour: str) -> None:
    """The band edges' numbers (value, angle) outside the ring, each one only where it stays SCALE_GAP clear of
    the threshold labels and of the numbers kept before it: the scale's ends first, then the others from the
    low end up (many narrow bands put their edges closer than their numbers are wide).
    """
    ax.apply_aspect()  # as drawing will: the equal aspect shrinks the axes' box, which moves the texts
    renderer = L.renderer_of(fig)
    gap = SCALE_GAP * fig.dpi / 72
    taken = [mark.get_window_extent(renderer).padded(gap / 2) for mark in marks]
    for index in sorted(range(len(edges)), key=lambda i: 0 < i < len(edges) - 1):  # the ends, then in order
        value, degrees = edges[index]
        x, y = _polar(OUTER + 0.04, degrees)
        number = ax.text(x, y, f"{value:g}", ha="right" if x < -0.2 else "left" if x > 0.2 else "center",
                         va="bottom", fontsize=P.SMALL_SIZE, color=colour, gid=SCALE_NUMBER_GID)
        box = number.get_window_extent(renderer).padded(gap / 2)
        if any(box.overlaps(other) for other in taken):
            number.remove()
        else:
            taken.append(box)


def _draw_bands(ax: Axes, bands: list[_Band], names: list[RL.Fitted | None], ink: str, dark: bool) -> None:
    """The segments, the band in force outlined, and each name that fits on its segment."""
    from matplotlib.patches import Wedge

    for band, fitted in zip(bands, names, strict=True):
        ax.add_artist(Wedge((0, 0), OUTER, band.theta1, band.theta2, width=OUTER - INNER, facecolor=band.colour,
                            edgecolor="none" if dark else "white", linewidth=1.5))
        if band.active:  # outlined, so the band in force reads without colour
            ax.add_artist(Wedge((0, 0), OUTER + 0.015, band.theta1, band.theta2, width=OUTER - INNER + 0.03,
                                facecolor="none", edgecolor=ink, linewidth=1.6, zorder=4))
        if fitted is not None:
            x, y = _polar(fitted.radius, band.sector.middle)
            ax.text(x, y, fitted.text, ha="center", va="center", rotation=band.sector.middle - 90,
                    rotation_mode="anchor", fontsize=fitted.size, color=P.ink_on(band.colour),
                    fontweight="bold" if band.active else "normal", linespacing=RL.LINE_SPACING, zorder=6,
                    gid=BAND_NAME_GID)


def _arrange(fig: Figure, ax: Axes, bands: list[_Band], size: float, readout: bool,
             dark: bool) -> tuple[list[RL.Fitted | None], float]:
    """Place the axes and fit each band's name on the ring; the names that fit nowhere go to a key under the
    gauge. Returns each band's name as it fits (None: in the key), and the gauge's size to its size without
    a key.

    The key takes room from the gauge, whose names may then no longer fit: each round adds those to the
    key (never takes one out), so it ends within one round per band.
    """
    measure = RL.Measure(fig)
    in_key: list[int] = []
    key = None
    first = 0.0
    for _round in range(len(bands) + 1):
        bottom = BOTTOM if readout or not in_key else HUB
        margins = L.Margins() if key is None else L.Margins(bottom=L.legend_room(measure, key))
        ax.set_ylim(bottom, TOP)
        L.place(fig, ax, margins)  # every text lies within the data limits: the equal aspect centres them
        _x, _y, width, height = L.inner_box(fig, margins)
        unit = min(width / 2.6, height / (TOP - bottom))
        first = first or unit
        fitted = [None if i in in_key else RL.fit(measure, b.name, b.sector, size=size, unit=unit, bold=b.active)
                  for i, b in enumerate(bands)]
        missing = [i for i, name in enumerate(fitted) if name is None and i not in in_key]
        if not missing:
            return fitted, unit / first
        in_key = sorted([*in_key, *missing])
        if key is not None:
            key.remove()
        key = _key(fig, measure, [bands[i] for i in in_key], dark)
    return [None] * len(bands), 1.0  # not reached: every round puts at least one more band in the key


def _key(fig: Figure, measure: L.Measure, bands: list[_Band], dark: bool) -> Legend:
    """A legend at the figure's foot: each band's colour, name and range, the band in force in bold with its
    swatch outlined. It takes the figure's width and at most KEY_SHARE of its height: in as few rows as fit
    the width, the names wrapped into more columns, or a smaller size, when the rows are too many."""
    width, height = L.size_pt(fig)
    entries = [(b, f"{' '.join(b.name.split())} ({b.low:g}–{b.high:g})") for b in bands]
    lowest: tuple[float, float, int, int] | None = None  # (height, size, chars, columns) of the flattest that fits

    def wrapped(chars: int) -> list[tuple[_Band, str]]:
        # words stay whole, but at the narrowest lines tried a word longer than the line is broken: a key wider
        # than the figure would be cut off at its sides
        return [(b, "\n".join(P.wrap_lines(text, chars, break_words=chars <= MIN_KEY_CHARS))) for b, text in entries]

    for size in KEY_SIZES:
        chars = max(MIN_KEY_CHARS, *(len(text) for _b, text in entries))
        while True:
            for columns in range(len(entries), 0, -1):
                legend = _legend(fig, wrapped(chars), columns, size, dark)
                box = legend.get_window_extent(measure.renderer)
                if box.width * measure.scale <= width - 2 * L.EDGE or columns == 1:
                    break
                legend.remove()
            tall = box.height * measure.scale
            fits_width = box.width * measure.scale <= width - 2 * L.EDGE
            if tall <= height * KEY_SHARE and fits_width:
                return legend
            legend.remove()
            if fits_width and (lowest is None or tall < lowest[0]):
                lowest = (tall, size, chars, columns)
            if chars <= MIN_KEY_CHARS:
                break
            chars = max(MIN_KEY_CHARS, chars * 3 // 4)
    _tall, size, chars, columns = lowest or (0.0, KEY_SIZES[-1], MIN_KEY_CHARS, 1)
    return _legend(fig, wrapped(chars), columns, size, dark)


def _legend(fig: Figure, entries: list[tuple[_Band, str]], columns: int, size: float, dark: bool) -> Legend:
    """The key in `columns` columns, read row by row (matplotlib fills a legend column by column)."""
    from matplotlib.patches import Patch

    rows = -(-len(entries) // columns)
    order = [entries[r * columns + c] for c in range(columns) for r in range(rows) if r * columns + c < len(entries)]
    ink = P.text_colour(dark)
    plain = P.grid_colour(dark) if dark else "none"  # a dark band's swatch keeps an edge on the dark window
    handles = [Patch(facecolor=b.colour, edgecolor=ink if b.active else plain, linewidth=1.2 if b.active else 0.6)
               for b, _text in order]
    legend = fig.legend(handles, [text for _b, text in order], loc="lower center", ncols=columns, frameon=False,
                        fontsize=size, bbox_to_anchor=(0.5, L.EDGE / L.size_pt(fig)[1]), borderaxespad=0.0,
                        borderpad=0.0, handlelength=1.0, handleheight=1.0, handletextpad=0.4, columnspacing=1.2)
    P.style_legend(legend, dark)
    for (band, _text), text in zip(order, legend.get_texts(), strict=True):
        text.set(fontsize=size, fontweight="bold" if band.active else "normal", linespacing=1.0)
    return legend


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
