"""Findings charts: the count per severity, and per dimension stacked by severity."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not to describe one
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend

from workbench.charts import layout as L
from workbench.charts import palette as P


@dataclass(frozen=True)
class FindingsData:
    """`by_severity`: {"Critical": 2, ...}; `by_dimension`: {"Data pipelines": {"High": 1, ...}, ...}.

    Severity keys are matched case-insensitively; dimensions are drawn in the mapping's order, top down.
    """

    by_severity: dict[str, int] = field(default_factory=dict)
    by_dimension: dict[str, dict[str, int]] = field(default_factory=dict)


def _hatch_colour(fill: str) -> str:
    return "#FFFFFF80" if P.ink_on(fill) == "#FFFFFF" else "#00000059"


def build_findings_by_severity(fig: Figure, data: FindingsData, *, dark: bool = False) -> None:
    P.prepare(fig, dark)
    counts = P.counts_in_order(data.by_severity)
    if sum(counts.values()) == 0:
        P.draw_message(fig, "No findings recorded yet", dark)
        return
    ink = P.text_colour(dark)
    names = list(counts)
    values = [counts[n] for n in names]
    ax = fig.add_subplot(1, 1, 1)
    ax.set_gid("findings-by-severity")
    positions = list(range(len(names)))
    ax.barh(positions, values, height=0.65, color=[P.severity_colour(n) for n in names],
            edgecolor=P.grid_colour(dark) if not dark else "none", linewidth=0.6)
    labels = [P.wrap(n, 24, max_lines=2) for n in names]
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()  # most severe on top
    top = max(values)
    ax.set_xlim(0, top * 1.15 + 0.5)
    for y, value in zip(positions, values, strict=True):
        ax.text(value + top * 0.015 + 0.05, y, str(value), va="center", ha="left", fontsize=P.LABEL_SIZE,
                color=ink, fontweight="bold")
    ax.set_xlabel("Findings")
    P.apply_style(fig, ax, dark, grid="x")
    _place_bars(fig, ax, labels, P.TICK_SIZE, (top, top * 1.15 + 0.5), (str(top), P.LABEL_SIZE, "bold"), None)
    P.finish(fig)


def build_findings_by_dimension(fig: Figure, data: FindingsData, *, dark: bool = False) -> None:
    P.prepare(fig, dark)
    rows = {str(dim): P.counts_in_order(counts or {}) for dim, counts in data.by_dimension.items()}
    if not rows or all(sum(c.values()) == 0 for c in rows.values()):
        P.draw_message(fig, "No findings recorded yet", dark)
        return
    ink = P.text_colour(dark)
    severities: list[str] = []
    for counts in rows.values():
        severities.extend(s for s, n in counts.items() if n and s not in severities)
    severities.sort(key=lambda s: P.SEVERITY_ORDER.index(s) if s in P.SEVERITY_ORDER else len(P.SEVERITY_ORDER))

    dims = list(rows)
    totals = [sum(rows[d].values()) for d in dims]
    top = max(totals)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_gid("findings-by-dimension")
    positions = list(range(len(dims)))
    left = [0] * len(dims)
    height = 0.7 if len(dims) < 20 else 0.85
    for severity in severities:
        widths = [rows[d].get(severity, 0) for d in dims]
        colour = P.severity_colour(severity)
        bars = ax.barh(positions, widths, left=left, height=height, color=colour, label=severity,
                       hatch=P.SEVERITY_HATCH.get(severity, ""), edgecolor="none" if dark else "white",
                       linewidth=0.6)
        for bar in bars:
            bar.set_hatchcolor(_hatch_colour(colour))
            bar.set_hatch_linewidth(0.6)
        for y, x0, w in zip(positions, left, widths, strict=True):
            if w and w >= top * 0.06:
                ax.text(x0 + w / 2, y, str(w), ha="center", va="center", fontsize=P.SMALL_SIZE,
                        color=P.ink_on(colour), fontweight="bold",
                        bbox={"boxstyle": "round,pad=0.12", "facecolor": colour, "edgecolor": "none"})
        left = [a + b for a, b in zip(left, widths, strict=True)]
    for y, total in zip(positions, totals, strict=True):
        ax.text(total + top * 0.015 + 0.05, y, str(total), va="center", ha="left", fontsize=P.TICK_SIZE, color=ink)

    crowded = len(dims) > 8
    labels = [P.wrap(d, 26 if crowded else 32, max_lines=4) for d in dims]
    ax.set_yticks(positions, labels)
    ax.tick_params(axis="y", labelsize=P.SMALL_SIZE if crowded else P.TICK_SIZE)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.12 + 0.5)
    ax.set_ylim(len(dims) - 0.5, -0.5)
    ax.set_xlabel("Findings")
    P.apply_style(fig, ax, dark, grid="x")
    ax.tick_params(axis="y", labelsize=P.SMALL_SIZE if crowded else P.TICK_SIZE)
    legend = fig.legend(loc="upper center", ncols=len(severities), frameon=False, handlelength=1.6)
    P.style_legend(legend, dark)
    _place_bars(fig, ax, labels, P.SMALL_SIZE if crowded else P.TICK_SIZE, (top, top * 1.12 + 0.5),
                (str(top), P.TICK_SIZE, "normal"), legend)
    P.finish(fig)


def _place_bars(fig: Figure, ax: Axes, labels: list[str], label_size: float, span: tuple[float, float],
                count: tuple[str, float, str], legend: Legend | None) -> None:
    """Room for the bar names on the left, the counts' axis below and the legend above; the longest bar's
    count (text, size, weight; past the bar's end at `span[0]` of `span[1]`) stays in the figure, and the
    axis gets as many whole-number ticks as fit side by side."""
    from matplotlib.ticker import MaxNLocator

    measure = L.Measure(fig)
    top, x_max = span
    count_width = measure.text(count[0], count[1], weight=count[2])[0]
    top_room = L.legend_room(measure, legend, at_top=True) if legend is not None else L.EDGE
    tick_width = measure.width([str(int(x_max))], P.TICK_SIZE)
    left = L.EDGE + L.y_ticks_room(measure, labels, label_size)
    width_pt = L.size_pt(fig)[0]
    headroom = (x_max - top * 1.015 - 0.05) / x_max  # of the axes' width, after the longest bar and its gap
    right = max(tick_width / 2, (count_width - headroom * (width_pt - left - L.EDGE)) / (1 - headroom))
    L.place(fig, ax, L.Margins(
        left=left, right=L.EDGE + right, top=top_room,
        bottom=L.EDGE + L.x_ticks_room(measure, ["0"], P.TICK_SIZE, axis_label="Findings")))
    axes_width = ax.get_position().width * width_pt
    ax.xaxis.set_major_locator(MaxNLocator(nbins=max(1, int(axes_width / (tick_width + 8))), integer=True))
