"""A client's score over its audits: one point per audit, in order, on the framework's own scale."""

from __future__ import annotations

import math
from dataclasses import dataclass

from matplotlib.figure import Figure

from workbench.charts import layout as L
from workbench.charts import palette as P


@dataclass(frozen=True)
class TrendData:
    """Audit labels (ref, or ref and date) oldest first, their scores (None: not scored) and the scale's top."""

    labels: tuple[str, ...] = ()
    scores: tuple[float | None, ...] = ()
    out_of: float = 100.0

    def __post_init__(self) -> None:
        if len(self.labels) != len(self.scores):
            raise ValueError("TrendData: labels and scores must have the same length")


def build_trend(fig: Figure, data: TrendData, *, dark: bool = False) -> None:
    P.prepare(fig, dark)
    points = [(x, s) for x, s in enumerate(data.scores) if s is not None and math.isfinite(s)]
    if not points:
        P.draw_message(fig, "No scored audit yet", dark, "The trend shows once an audit of this client has a score.")
        return
    ax = fig.add_subplot(1, 1, 1)
    ax.set_gid("trend")
    colour = P.current_colour(dark)
    xs, ys = [x for x, _ in points], [s for _, s in points]
    ax.plot(xs, ys, color=colour, linewidth=2, marker="o", markersize=7, zorder=3)
    decimals = 0 if data.out_of >= 10 else 1
    for x, y in points:
        ax.annotate(f"{y:.{decimals}f}", (x, y), textcoords="offset points", xytext=(0, 8), ha="center",
                    fontsize=P.TICK_SIZE, color=P.text_colour(dark))
    crowded = len(data.labels) > 6
    labels = [P.wrap(label, 12 if crowded else 18, max_lines=3) for label in data.labels]
    ax.set_xticks(range(len(data.labels)), labels)
    ax.set_xlim(-0.5, len(data.labels) - 0.5)
    ax.set_ylim(0, data.out_of * 1.12)
    ax.set_ylabel(f"Score (out of {data.out_of:g})")
    P.apply_style(fig, ax, dark, grid="y")
    label_size = P.SMALL_SIZE if crowded else P.TICK_SIZE
    ax.tick_params(axis="x", labelsize=label_size)
    measure = L.Measure(fig)
    scale = [f"{tick:g}" for tick in ax.get_yticks()]
    left = L.EDGE + L.y_ticks_room(measure, scale, P.TICK_SIZE, axis_label=ax.get_ylabel())
    width_pt = L.size_pt(fig)[0]
    slot = (width_pt - 2 * left) / max(1, len(labels))  # each label's share of the axis, about
    ends = max(measure.width(labels[:1], label_size), measure.width(labels[-1:], label_size)) / 2 - slot / 2
    L.place(fig, ax, L.Margins(left=max(left, L.EDGE + ends), right=L.EDGE + max(0.0, ends),
                               bottom=L.EDGE + L.x_ticks_room(measure, labels, label_size), top=L.EDGE))
    P.finish(fig)
