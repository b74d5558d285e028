"""Cost matrix: every cost item on an impact × effort grid, the corners named as prioritisation quadrants.

Points in a cell are laid out deterministically (a column of labelled points, or a numbered grid when the
cell is crowded), so they never overlap and the same data always gives the same picture. Marker area is
proportional to the item's cost; items without a cost are hollow. A name is shown whole, wrapped over the
lines its point has room for; when a cell's names do not all fit, its points carry their 1-based position
in `CostMatrixData.items` (the order of the cost table) instead: a name is never cut short.
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
from workbench.domain.wording import plural

LEVELS = ("low", "medium", "high")
LEVEL_NAMES = ("Low", "Medium", "High")
NAME_LIMIT = 30  # characters per line of a point's name, at most
# (impact row, effort column) → quadrant name and tint; rows and columns count from low = 0
QUADRANTS: dict[tuple[int, int], tuple[str, str]] = {
    (2, 0): ("Quick wins", P.OKABE_ITO["bluish_green"]),
    (2, 2): ("Major projects", P.OKABE_ITO["sky_blue"]),
    (0, 0): ("Fill-ins", P.OKABE_ITO["yellow"]),
    (0, 2): ("Thankless tasks", P.OKABE_ITO["vermillion"]),
}
CURRENCY_SIGNS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF "}


@dataclass(frozen=True)
class CostMatrixData:
    """`items`: (name, impact, effort, cost) with impact and effort "high", "medium" or "low"."""

    items: tuple[tuple[str, str, str, float | None], ...] = ()
    currency: str = "EUR"


def format_cost(value: float, currency: str = "EUR") -> str:
    sign = CURRENCY_SIGNS.get(currency.upper(), f"{currency} " if currency else "")
    magnitude = abs(value)
    if magnitude >= 1e6:
        text = f"{value / 1e6:.1f}M".replace(".0M", "M")
    elif magnitude >= 1e3:
        text = f"{value / 1e3:.0f}k"
    else:
        text = f"{value:.0f}"
    return f"{sign}{text}"


def _level(raw: object) -> int | None:
    text = str(raw or "").strip().lower()
    return LEVELS.index(text) if text in LEVELS else None


def _cost(raw: float | None) -> float | None:
    try:
        value = float(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None
    return abs(value) if value is not None and math.isfinite(value) else None  # a saving sized by its amount


def build_cost_matrix(fig: Figure, data: CostMatrixData, *, dark: bool = False) -> None:
    P.prepare(fig, dark)
    placed, unplaced = _place(data)
    if not placed:
        detail = (f"{plural(unplaced, 'item lacks', 'items lack')} an impact or effort rating." if unplaced
                  else None)
        P.draw_message(fig, "No cost items recorded yet" if not unplaced else "No cost item can be placed", dark,
                       detail)
        return

    ax = fig.add_subplot(1, 1, 1)
    ax.set_gid("cost-matrix")
    ax.set_xlim(0, 3)
    ax.set_ylim(0, 3)
    measure = L.Measure(fig)
    width_pt, height_pt = L.size_pt(fig)
    left = L.EDGE + L.y_ticks_room(measure, LEVEL_NAMES, P.TICK_SIZE, tick_length=0, axis_label="Impact")
    cell_w_pt = max(width_pt - left - L.EDGE, width_pt * L.SMALLEST_AXES) / 3
    cell_h_pt = height_pt * 0.72 / 3  # rough: the legend's height depends on the markers sized from this
    costs = [_cost(item[3]) for item in data.items]
    name_chars = int(max(6, min(NAME_LIMIT, (cell_w_pt - 22) / (0.58 * P.SMALL_SIZE))))
    layouts = {cell: _layout(cell, [data.items[i][0] for i in indices], name_chars, cell_w_pt, cell_h_pt)
               for cell, indices in placed.items()}
    scale = _Scale(top_cost=max((c for c in costs if c is not None), default=0.0),
                   diameter=min(layout[0] for layout in layouts.values()))  # one size scale for the whole chart
    _draw_quadrants(ax, placed, layouts, dark)
    crowded_note = _draw_items(ax, data, placed, layouts, costs, scale, name_chars, dark)

    ax.set_xticks([0.5, 1.5, 2.5], LEVEL_NAMES)
    ax.set_yticks([0.5, 1.5, 2.5], LEVEL_NAMES)
    ax.set_xlabel("Effort")
    ax.set_ylabel("Impact")
    P.apply_style(fig, ax, dark, grid=None)
    ax.tick_params(length=0)
    notes = []
    if crowded_note:
        notes.append("Numbers are rows of the cost table")
    if unplaced:
        notes.append(f"{plural(unplaced, 'item')} without impact or effort not shown")
    unestimated = any(costs[i] is None for indices in placed.values() for i in indices)
    below = _draw_legend(fig, ax, data.currency, scale, unestimated, notes, dark)
    L.place(fig, ax, L.Margins(left=left, right=L.EDGE, bottom=below, top=L.EDGE))
    P.finish(fig)


Layout = tuple[float, str, list[tuple[float, float]], float]  # _layout: largest diameter, mode, positions, size


@dataclass(frozen=True)
class _Scale:
    """Marker areas: the largest cost and the marker diameter the most crowded cell allows."""

    top_cost: float
    diameter: float


def _place(data: CostMatrixData) -> tuple[dict[tuple[int, int], list[int]], int]:
    """Item indices per (impact, effort) cell, and how many items lack a rating."""
    placed: dict[tuple[int, int], list[int]] = {}
    unplaced = 0
    for index, (_name, impact, effort, _cost_value) in enumerate(data.items):
        row, col = _level(impact), _level(effort)
        if row is None or col is None:
            unplaced += 1
            continue
        placed.setdefault((row, col), []).append(index)
    return placed, unplaced


def _draw_quadrants(ax: Axes, placed: dict[tuple[int, int], list[int]], layouts: dict[tuple[int, int], Layout],
                    dark: bool) -> None:
    """The nine cells with their quadrant names (and an item count where there are too many to label)."""
    from matplotlib.patches import Rectangle

    ink, muted = P.text_colour(dark), P.muted_colour(dark)
    for row in range(3):
        for col in range(3):
            name, tint = QUADRANTS.get((row, col), ("", P.grid_colour(dark)))
            alpha = (0.28 if dark else 0.16) if name else (0.18 if dark else 0.25)
            ax.add_artist(Rectangle((col, row), 1, 1, facecolor=tint, alpha=alpha, edgecolor="none"))
            if (row, col) in layouts and layouts[row, col][1] == "dots":  # too dense to label: say how many
                count = len(placed[row, col])
                ax.text(col + 0.04, row + 0.95, f"{name} · {count} items" if name else f"{count} items", ha="left",
                        va="top", fontsize=P.TICK_SIZE, fontweight="bold" if name else "normal",
                        color=ink if name else muted)
            elif name:
                ax.text(col + 0.04, row + 0.95, name, ha="left", va="top", fontsize=P.TICK_SIZE,
                        fontweight="bold", color=ink)
    for edge in (1, 2):
        ax.axhline(edge, color=P.grid_colour(dark), linewidth=1)
        ax.axvline(edge, color=P.grid_colour(dark), linewidth=1)


def _draw_items(ax: Axes, data: CostMatrixData, placed: dict[tuple[int, int], list[int]],
                layouts: dict[tuple[int, int], Layout], costs: list[float | None], scale: _Scale, name_chars: int,
                dark: bool) -> bool:
    """A marker per item, sized by its cost, labelled by name or number; True if numbers stand for names."""
    ink, point = P.text_colour(dark), P.current_colour(dark)
    crowded_note = False
    filled: list[tuple[float, float, float]] = []  # x, y, area in pt²
    hollow: list[tuple[float, float, float]] = []
    for cell, indices in sorted(placed.items()):
        _cap, mode, positions, text_size = layouts[cell]
        crowded_note = crowded_note or mode == "numbers"
        for index, (x, y) in zip(indices, positions, strict=True):
            area, has_cost = _marker_area(costs[index], scale.top_cost, scale.diameter)
            (filled if has_cost else hollow).append((x, y, area))
            radius = math.sqrt(area) / 2
            if mode == "names":
                name = "\n".join(P.wrap_lines(data.items[index][0], name_chars, break_words=False))
                ax.annotate(name, (x, y), xytext=(radius + 3, 0), textcoords="offset points", ha="left",
                            va="center", fontsize=text_size, color=ink, annotation_clip=False, linespacing=1.0)
            elif mode == "numbers":
                ax.annotate(str(index + 1), (x, y), xytext=(radius + 1.5, 0), textcoords="offset points",
                            ha="left", va="center", fontsize=text_size, color=ink)
    if filled:
        xs, ys, areas = zip(*filled, strict=True)
        ax.scatter(xs, ys, s=areas, color=point, alpha=0.9, edgecolors="#2B2B2B" if dark else "white",
                   linewidths=0.8, zorder=3)
    if hollow:
        xs, ys, areas = zip(*hollow, strict=True)
        ax.scatter(xs, ys, s=areas, facecolors="none", edgecolors=point, linewidths=1.2, zorder=3)
    return crowded_note


def _draw_legend(fig: Figure, ax: Axes, currency: str, scale: _Scale, unestimated: bool, notes: list[str],
                 dark: bool) -> float:
    """Marker sizes for two costs and the hollow no-estimate marker, with the notes; or the notes alone.

    Returns the points it takes below the axes, with the axis' labels."""
    from matplotlib.lines import Line2D

    point = P.current_colour(dark)
    handles = []
    if scale.top_cost > 0:
        for fraction in (1.0, 0.25):
            handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor=point, markeredgecolor="white",
                                  markersize=math.sqrt(_area(scale.top_cost * fraction, scale.top_cost,
                                                             scale.diameter)),
                                  label=format_cost(scale.top_cost * fraction, currency)))
    if unestimated:
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="none", markeredgecolor=point,
                              markersize=5, label="no cost estimate"))
    measure = L.Measure(fig)
    if handles:
        width_in = fig.get_size_inches()[0]
        note = P.wrap(" · ".join(notes), int(width_in * 72 / (0.6 * P.TICK_SIZE)), max_lines=3) if notes else ""
        legend = fig.legend(handles=handles, loc="lower center", ncols=len(handles), frameon=False,
                            title="Marker area = cost" + (f"\n{note}" if note else ""))
        P.style_legend(legend, dark)
        legend.get_title().set(color=P.muted_colour(dark), multialignment="center")
        largest = max(handle.get_markersize() for handle in handles)  # may stand out of its row
        legend_room = L.legend_room(measure, legend) + max(0.0, largest - 0.7 * legend.prop.get_size()) / 2
        return legend_room + L.x_ticks_room(measure, LEVEL_NAMES, P.TICK_SIZE, tick_length=0, axis_label="Effort")
    label = "Effort\n" + "; ".join(notes) if notes else "Effort"
    ax.set_xlabel(label)
    return L.EDGE + L.x_ticks_room(measure, LEVEL_NAMES, P.TICK_SIZE, tick_length=0, axis_label=label)


def _names_fit(names: list[str], chars: int, room_pt: float) -> bool:
    """Every name, wrapped at `chars` without breaking a word, fits in `room_pt` points of height."""
    lines = int(room_pt // (P.SMALL_SIZE * 1.2))
    return lines >= 1 and all(len(P.wrap_lines(name, chars, break_words=False)) <= lines
                              and max(map(len, str(name).split()), default=0) <= chars for name in names)


def _layout(cell: tuple[int, int], names: list[str], name_chars: int, cell_w_pt: float, cell_h_pt: float
            ) -> Layout:
    """Where the points of one cell go: (largest marker diameter, mode, positions, label size).

    Mode "names": one column of points with their whole names; "numbers": a grid of numbered points;
    "dots": a grid too dense for any label.
    """
    row, col = cell
    count = len(names)
    top = row + 1 - max(0.2, (P.TICK_SIZE + 6) / cell_h_pt)  # the top strip is for the quadrant name
    bottom = row + 0.04
    line_pt = (top - bottom) * cell_h_pt / count
    if line_pt >= P.SMALL_SIZE * 1.3 and _names_fit(names, name_chars, line_pt * 0.95):
        step = (top - bottom) / count
        positions = [(col + 0.08 + (0.03 if k % 2 else 0.0), top - step * (k + 0.5)) for k in range(count)]
        return min(line_pt * 0.9, 20.0), "names", positions, P.SMALL_SIZE
    area_w, area_h = 0.92 * cell_w_pt, (top - bottom) * cell_h_pt
    numbered = [c for c in range(1, count + 1) if area_w / c >= 22 and area_h / math.ceil(count / c) >= 8]
    if numbered:
        cols, mode = numbered[0], "numbers"  # fewest columns: the most room for each number
    else:
        cols, mode = max(1, math.ceil(math.sqrt(count * area_w / max(area_h, 1.0)))), "dots"
    rows = math.ceil(count / cols)
    sub_w, sub_h = 0.92 / cols, (top - bottom) / rows
    sub_w_pt, sub_h_pt = area_w / cols, area_h / rows
    if mode == "numbers":
        inset = min(sub_w * 0.3, 0.06)
        positions = [(col + 0.04 + sub_w * (k % cols) + inset, top - sub_h * (k // cols + 0.5)) for k in range(count)]
        return min(sub_h_pt * 0.8, sub_w_pt * 0.35, 20.0), mode, positions, min(P.SMALL_SIZE, sub_h_pt * 0.75)
    positions = [(col + 0.04 + sub_w * (k % cols + 0.5), top - sub_h * (k // cols + 0.5)) for k in range(count)]
    return max(2.0, min(sub_h_pt, sub_w_pt) * 0.8), mode, positions, P.SMALL_SIZE


def _area(cost: float, top_cost: float, diameter_cap: float) -> float:
    """Marker area in pt², proportional to cost, between a visible minimum and the cap."""
    smallest = min(3.5, diameter_cap) ** 2
    largest = diameter_cap ** 2
    return smallest + (largest - smallest) * (cost / top_cost if top_cost else 0.0)


def _marker_area(cost: float | None, top_cost: float, diameter_cap: float) -> tuple[float, bool]:
    """(area in pt², has a cost): items without a cost get a small hollow marker."""
    cap = max(2.0, diameter_cap)
    if cost is None:
        return min(5.0, cap) ** 2, False
    return _area(cost, top_cost, cap), True
