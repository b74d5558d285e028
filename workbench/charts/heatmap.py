"""Risk matrix heatmap: likelihood × impact, the number of risks in each cell, zones by score.

Cell (likelihood L, impact I) is the unit square centred on data point (x=I, y=L), so the GUI can map a
click to a cell with `heatmap_cell_from_event(event.xdata, event.ydata)` or, given the whole
matplotlib MouseEvent, `heatmap_cell_from_mouse_event(fig, event)`.
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
from workbench.domain.risk_zones import risk_zone

SIZE = 5
GID = "risk-heatmap"
LIKELIHOOD_LABELS = ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")
IMPACT_LABELS = ("Negligible", "Minor", "Moderate", "Major", "Severe")


@dataclass(frozen=True)
class HeatmapData:
    """`counts[likelihood - 1][impact - 1]` = number of risks in that cell; () or all zeros = no risks."""

    counts: tuple[tuple[int, ...], ...] = ()

    def __post_init__(self) -> None:
        if self.counts and (len(self.counts) != SIZE or any(len(row) != SIZE for row in self.counts)):
            raise ValueError("HeatmapData: counts must be 5 rows (likelihood) of 5 cells (impact)")

    @classmethod
    def from_risks(cls, cells: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> HeatmapData:
        """Count (likelihood, impact) pairs; pairs outside 1..5 are ignored."""
        grid = [[0] * SIZE for _ in range(SIZE)]
        for likelihood, impact in cells:
            if 1 <= likelihood <= SIZE and 1 <= impact <= SIZE:
                grid[likelihood - 1][impact - 1] += 1
        return cls(tuple(tuple(row) for row in grid))


def zone_for(likelihood: int, impact: int) -> tuple[str, str]:
    """The zone name (domain.risk_zones) and colour of a cell by its score L × I."""
    name = risk_zone(likelihood, impact)
    return name, P.RISK_ZONE_HEX[name]


def heatmap_cell_from_event(ax_data_x: float | None, ax_data_y: float | None) -> tuple[int, int] | None:
    """(likelihood, impact) under a click given in heatmap data coordinates, or None outside the grid."""
    if ax_data_x is None or ax_data_y is None:
        return None
    try:
        x, y = float(ax_data_x), float(ax_data_y)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(x) and math.isfinite(y)) or not (0.5 <= x < SIZE + 0.5 and 0.5 <= y < SIZE + 0.5):
        return None
    impact = min(SIZE, max(1, math.floor(x + 0.5)))
    likelihood = min(SIZE, max(1, math.floor(y + 0.5)))
    return likelihood, impact


def heatmap_axes(fig: Figure) -> Axes | None:
    """The axes holding the grid, or None when the figure shows the empty-state message."""
    return next((ax for ax in fig.axes if ax.get_gid() == GID), None)


def heatmap_cell_from_mouse_event(fig: Figure, event: object) -> tuple[int, int] | None:
    """(likelihood, impact) for a matplotlib button_press_event on this figure, or None."""
    ax = heatmap_axes(fig)
    if ax is None or getattr(event, "inaxes", None) is not ax:
        return None
    return heatmap_cell_from_event(getattr(event, "xdata", None), getattr(event, "ydata", None))


def build_heatmap(fig: Figure, data: HeatmapData, *, dark: bool = False,
                  selected: tuple[int, int] | None = None) -> None:
    """Draw the matrix; `selected` (likelihood, impact) outlines the cell the user picked."""
    from matplotlib.patches import Patch, Rectangle

    P.prepare(fig, dark)
    counts = [[max(0, int(c or 0)) for c in row] for row in data.counts]
    if not counts or sum(map(sum, counts)) == 0:
        P.draw_message(fig, "No risks recorded yet", dark,
                       "Add risks with a likelihood and an impact to fill the matrix.")
        return
    ink, muted = P.text_colour(dark), P.muted_colour(dark)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_gid(GID)
    ax.set_aspect("equal", adjustable="box")
    width_in, height_in = fig.get_size_inches()
    cell_pt = min(width_in * 0.72, height_in * 0.62) / SIZE * 72
    count_size = min(P.TITLE_SIZE + 3, max(P.SMALL_SIZE, cell_pt * 0.36))
    for likelihood in range(1, SIZE + 1):
        for impact in range(1, SIZE + 1):
            _, colour = zone_for(likelihood, impact)
            count = counts[likelihood - 1][impact - 1]
            background = P.DARK_BACKGROUND if dark else "#FFFFFF"
            shown = colour if count else P.blend(colour, background, 0.55)  # an empty cell is paler
            ax.add_artist(Rectangle((impact - 0.5, likelihood - 0.5), 1, 1, facecolor=shown, edgecolor=background,
                                   linewidth=2))
            text_ink = P.ink_on(shown)  # black or white on the colour the cell really shows
            ax.text(impact + 0.42, likelihood - 0.42, str(likelihood * impact), ha="right", va="bottom",
                    fontsize=P.SMALL_SIZE - 1, color=text_ink)
            if count:
                digits = len(str(count))
                ax.text(impact, likelihood + 0.03, str(count), ha="center", va="center", color=text_ink,
                        fontsize=count_size if digits <= 2 else count_size * 2.6 / digits, fontweight="bold")
    if selected and heatmap_cell_from_event(selected[1], selected[0]) == tuple(selected):
        ax.add_artist(Rectangle((selected[1] - 0.47, selected[0] - 0.47), 0.94, 0.94, fill=False,
                               edgecolor=ink, linewidth=2.5, zorder=5))
    ax.set_xlim(0.5, SIZE + 0.5)
    ax.set_ylim(0.5, SIZE + 0.5)  # likelihood 5 on top
    x_labels = [f"{i}\n{name}" for i, name in enumerate(IMPACT_LABELS, 1)]
    y_labels = [f"{name} {i}" for i, name in enumerate(LIKELIHOOD_LABELS, 1)]
    ax.set_xticks(range(1, SIZE + 1), x_labels)
    ax.set_yticks(range(1, SIZE + 1), y_labels)
    ax.set_xlabel("Impact")
    ax.set_ylabel("Likelihood")
    P.apply_style(fig, ax, dark, grid=None)
    ax.tick_params(length=0)
    slant = cell_pt < max(map(len, IMPACT_LABELS)) * 0.6 * P.TICK_SIZE  # narrow cells: slant the names apart
    if slant:
        for label in ax.get_xticklabels():
            label.set(rotation=30, ha="right", rotation_mode="anchor")
    for spine in ax.spines.values():
        spine.set_visible(False)
    handles = [Patch(facecolor=colour, label=f"{name} ({low}–{high})") for name, low, high, colour in P.RISK_ZONES]
    legend = fig.legend(handles=handles, loc="lower center", frameon=False,
                        ncols=4 if fig.get_size_inches()[0] >= 6 else 2,  # 4 columns need ~5.6 in
                        title="Zone by score L × I", handlelength=1.2)
    P.style_legend(legend, dark)
    legend.get_title().set_color(muted)
    _place_grid(fig, ax, legend, x_labels, y_labels, slant)
    P.finish(fig)


def _place_grid(fig: Figure, ax: Axes, legend: object, x_labels: list[str], y_labels: list[str],
                slant: bool) -> None:
    """The square grid as large as the room between its labels and the legend allows, centred."""
    measure = L.Measure(fig)
    left = L.y_ticks_room(measure, y_labels, P.TICK_SIZE, tick_length=0, axis_label="Likelihood")
    below = L.x_ticks_room(measure, x_labels, P.TICK_SIZE, tick_length=0, axis_label="Impact",
                           rotation=30 if slant else 0)
    margins = L.Margins(left=L.EDGE + left, right=L.EDGE, bottom=L.legend_room(measure, legend) + below)
    x, y, side, _ = L.square(fig, margins)
    x = max(margins.left, (L.size_pt(fig)[0] - side) / 2)  # centred under the legend where there is room
    if slant:  # the first slanted name reaches left of its cell, past the likelihood names maybe
        first_w, first_h = measure.text(x_labels[0], P.TICK_SIZE)
        reach = first_w * math.cos(math.radians(30)) + first_h * math.sin(math.radians(30)) - side / SIZE / 2
        x = max(x, L.EDGE + reach)
        side = max(min(side, L.size_pt(fig)[0] - L.EDGE - x), side * 0.5)
    L.set_box(fig, ax, (x, y, side, side))
