"""Re-audit progress: each dimension's level at the earlier engagement and now, as a dumbbell with the delta."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not to describe one
    from matplotlib.figure import Figure

from workbench.charts import layout as L
from workbench.charts import palette as P


@dataclass(frozen=True)
class ProgressData:
    """Levels per dimension at the earlier engagement (`previous`) and now (`current`); None = not assessed."""

    dimensions: tuple[str, ...] = ()
    previous: tuple[int | None, ...] = ()
    current: tuple[int | None, ...] = ()
    max_level: int = 5

    def __post_init__(self) -> None:
        if not len(self.dimensions) == len(self.previous) == len(self.current):
            raise ValueError("ProgressData: dimensions, previous and current must have the same length")


def _value(raw: float | None) -> float | None:
    if raw is None:
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def delta_text(previous: float | None, current: float | None) -> str:
    """"+2", "−1", "±0", "new" (no earlier level) or "not assessed" (no level now)."""
    if current is None:
        return "not assessed"
    if previous is None:
        return "new"
    delta = current - previous
    number = f"{abs(delta):g}"
    return f"+{number}" if delta > 0 else f"−{number}" if delta < 0 else "±0"


def build_progress(fig: Figure, data: ProgressData, *, dark: bool = False) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.transforms import blended_transform_factory

    P.prepare(fig, dark)
    if not data.dimensions:
        P.draw_message(fig, "No dimensions to compare", dark)
        return
    previous = [_value(v) for v in data.previous]
    current = [_value(v) for v in data.current]
    if all(v is None for v in previous):
        P.draw_message(fig, "No earlier assessment to compare with", dark,
                       "Progress is shown for a re-audit of an engagement that had maturity levels.")
        return

    muted = P.muted_colour(dark)
    now_colour = P.current_colour(dark)
    count = len(data.dimensions)
    top = max([data.max_level, *(v for v in previous + current if v is not None)])
    height_pt = fig.get_size_inches()[1] * 72 * 0.75
    size = max(5.0, min(P.TICK_SIZE, height_pt / count * 0.55))
    marker = max(4.0, min(9.0, height_pt / count * 0.45))

    ax = fig.add_subplot(1, 1, 1)
    ax.set_gid("progress")
    outside = blended_transform_factory(ax.transAxes, ax.transData)
    tally = {"up": 0, "same": 0, "down": 0}
    deltas: list[tuple[str, str]] = []  # each text and its weight
    for y, (before, now) in enumerate(zip(previous, current, strict=True)):
        if before is not None and now is not None and now != before:
            colour = P.UP_COLOUR if now > before else P.DOWN_COLOUR
            tally["up" if now > before else "down"] += 1
            ax.annotate("", xy=(now, y), xytext=(before, y), zorder=2,
                        arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 2, "shrinkA": marker * 0.6,
                                    "shrinkB": marker * 0.6, "mutation_scale": marker * 1.3})
        elif before is not None and now is not None:
            colour = muted
            tally["same"] += 1
        else:
            colour = muted
        if before is not None:
            same = now is not None and now == before  # a ring around the current dot
            ax.plot([before], [y], marker="o", markersize=marker * (1.55 if same else 1.0), markerfacecolor="none",
                    markeredgecolor=P.PREVIOUS_COLOUR, markeredgewidth=1.6, linestyle="", zorder=5 if same else 3)
        if now is not None:
            ax.plot([now], [y], marker="o", markersize=marker, color=now_colour, linestyle="", zorder=4,
                    markeredgecolor="white" if not dark else now_colour)
        text = delta_text(before, now)
        deltas.append((text, "bold" if text[0] in "+−" else "normal"))
        ax.text(1.02, y, text, transform=outside, ha="left", va="center", fontsize=size,
                fontweight=deltas[-1][1], color=colour if text[0] in "+−" else muted,
                style="normal" if text[0] in "+−±" else "italic", clip_on=False)

    crowded = count > 8
    labels = [P.wrap(d, 26 if crowded else 32, max_lines=4) for d in data.dimensions]
    ax.set_yticks(range(count), labels)
    ax.set_ylim(count - 0.5, -0.5)
    ax.set_xlim(0.5 if top <= 10 else 0, top + (0.5 if top <= 10 else top * 0.04))
    if top <= 10:
        ax.set_xticks(range(1, int(math.ceil(top)) + 1))
    ax.set_xlabel("Maturity level")
    P.apply_style(fig, ax, dark, grid="x")
    ax.tick_params(axis="y", labelsize=size, length=0)
    summary = f"Improved {tally['up']} · unchanged {tally['same']} · declined {tally['down']}"
    ax.set_title(summary, fontsize=P.TICK_SIZE, color=muted, loc="left")

    handles = [
        Line2D([], [], marker="o", linestyle="", markerfacecolor="none", markeredgecolor=P.PREVIOUS_COLOUR,
               markeredgewidth=1.6, markersize=7, label="Earlier engagement"),
        Line2D([], [], marker="o", linestyle="", color=now_colour, markersize=7, label="This engagement"),
    ]
    legend = fig.legend(handles=handles, loc="lower center", ncols=2, frameon=False)
    P.style_legend(legend, dark)
    measure = L.Measure(fig)
    delta_w = max(measure.text(t, size, weight=w, style="italic")[0] for t, w in deltas)
    width_pt = L.size_pt(fig)[0]
    left = L.EDGE + L.y_ticks_room(measure, labels, size, tick_length=0)
    right = L.EDGE + delta_w + 0.02 * (width_pt - left - delta_w) / 0.98
    below = L.legend_room(measure, legend) + L.x_ticks_room(measure, ["1"], P.TICK_SIZE, axis_label="Maturity level")
    L.place(fig, ax, L.Margins(left=left, right=right, bottom=below,
                               top=L.EDGE + L.GAP + measure.text(summary, P.TICK_SIZE)[1]))
    P.finish(fig)
