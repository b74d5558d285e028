"""Maturity radar: the current level of every dimension against its target."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not to describe one
    from matplotlib.figure import Figure
    from matplotlib.projections.polar import PolarAxes

from workbench.charts import layout as L
from workbench.charts import palette as P

# Past this many spokes the dimension names overlap however they are wrapped; the spokes then carry codes
# (the reader finds the names next to the same codes in the table beside the chart).
CROWDED_SPOKES = 12
_CODE_LENGTH = 6


@dataclass(frozen=True)
class RadarData:
    """One spoke per dimension. A None level is drawn at 0 and its label is greyed and says "(not assessed)"."""

    labels: tuple[str, ...]
    current: tuple[float | None, ...]
    target: tuple[float | None, ...]
    max_level: int = 5
    codes: tuple[str, ...] = ()  # shown on the spokes instead of the labels when there are too many

    def __post_init__(self) -> None:
        if not len(self.labels) == len(self.current) == len(self.target):
            raise ValueError("RadarData: labels, current and target must have the same length")
        if self.codes and len(self.codes) != len(self.labels):
            raise ValueError("RadarData: codes and labels must have the same length")
        if self.max_level < 1:
            raise ValueError("RadarData: max_level must be at least 1")

    @property
    def uses_codes(self) -> bool:
        return bool(self.codes) and len(self.labels) > CROWDED_SPOKES


def spoke_codes(dimension_ids: Sequence[str]) -> tuple[str, ...]:
    """Short spoke labels: the dimension ids where they are short and distinct (an OSCAL catalog's AC, AT…),
    else the dimensions' numbers in framework order."""
    codes = tuple(i.upper() for i in dimension_ids)
    if all(0 < len(c) <= _CODE_LENGTH for c in codes) and len(set(codes)) == len(codes):
        return codes
    return tuple(str(number) for number in range(1, len(codes) + 1))


def _clamp(value: float | None, top: int) -> float:
    if value is None or not math.isfinite(value):
        return 0.0
    return min(max(float(value), 0.0), float(top))


def build_radar(fig: Figure, data: RadarData, *, dark: bool = False) -> None:
    P.prepare(fig, dark)
    count = len(data.labels)
    if count == 0:
        P.draw_message(fig, "No dimensions to show", dark)
        return
    if all(v is None for v in data.current) and all(v is None for v in data.target):
        P.draw_message(fig, "No dimension assessed yet", dark,
                       "Record a maturity level for a dimension to draw the radar.")
        return

    ink, muted = P.text_colour(dark), P.muted_colour(dark)
    top = data.max_level
    angles = [2 * math.pi * i / count for i in range(count)]
    ax = cast("PolarAxes", fig.add_subplot(1, 1, 1, projection="polar"))
    ax.set_gid("radar")
    ax.set_facecolor("none" if dark else "white")
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(0, top)
    ax.set_xticks(angles)
    ax.set_xticklabels([])
    ax.set_yticks(range(1, top + 1))
    ax.set_yticklabels([str(level) for level in range(1, top + 1)], color=muted, fontsize=P.SMALL_SIZE)
    ax.set_rlabel_position(180 / count)
    ax.tick_params(axis="y", pad=0)
    ax.grid(True, color=P.grid_colour(dark), linewidth=0.7)
    ax.spines["polar"].set_color(P.grid_colour(dark))

    closed = [*angles, angles[0]]
    current = [_clamp(v, top) for v in data.current]
    ax.plot(closed, [*current, current[0]], color=P.current_colour(dark), linewidth=2, marker="o", markersize=4,
            label="Current level", zorder=3)
    ax.fill(closed, [*current, current[0]], color=P.current_colour(dark), alpha=0.3 if dark else 0.22, zorder=2)
    if any(v is not None for v in data.target):  # an unset target leaves a gap, not a spike to the centre
        target = [math.nan if v is None else _clamp(v, top) for v in data.target]
        ax.plot(closed, [*target, target[0]], color=P.TARGET_COLOUR, linewidth=1.8, linestyle="--",
                marker="s", markersize=3.5, label="Target level", zorder=4)

    crowded = count > 8 and not data.uses_codes
    width = 16 if crowded else 20
    size = P.SMALL_SIZE if crowded else P.TICK_SIZE
    labels = data.codes if data.uses_codes else data.labels
    measure = L.Measure(fig)
    boxes: list[_LabelBox] = []
    for angle, label, value in zip(angles, labels, data.current, strict=True):
        text = label if data.uses_codes else P.wrap(label, width, max_lines=6)
        if value is None and not data.uses_codes:  # a code is only greyed: the words would overlap again
            text += "\n(not assessed)"
        shown = math.pi / 2 - angle  # where the spoke points on screen
        x, y = math.cos(shown), math.sin(shown)
        ha = "left" if x > 0.15 else "right" if x < -0.15 else "center"
        va = "bottom" if y > 0.15 else "top" if y < -0.15 else "center"
        ax.text(angle, top * LABEL_RADIUS, text, ha=ha, va=va, fontsize=size, color=muted if value is None else ink,
                style="italic" if value is None else "normal", linespacing=1.1, clip_on=False)
        w, h = measure.text(text, size, style="italic" if value is None else "normal", linespacing=1.1)
        boxes.append(_LabelBox(x, y, *_span(ha, w, ("left", "center", "right")),
                               *_span(va, h, ("bottom", "center", "top"))))

    legend = fig.legend(loc="lower center", ncols=2, frameon=False)
    P.style_legend(legend, dark)
    width_pt, height_pt = L.size_pt(fig)
    x_centre, x_radius = _fit((0.0, width_pt), [(b.x, b.left, b.right) for b in boxes])
    y_centre, y_radius = _fit((L.legend_room(measure, legend), height_pt), [(b.y, b.below, b.above) for b in boxes])
    radius = min(x_radius, y_radius)
    x_centre = _fit((0.0, width_pt), [(b.x, b.left, b.right) for b in boxes], radius)[0]
    y_centre = _fit((L.legend_room(measure, legend), height_pt), [(b.y, b.below, b.above) for b in boxes], radius)[0]
    L.set_box(fig, ax, (x_centre - radius, y_centre - radius, 2 * radius, 2 * radius))
    P.finish(fig)


LABEL_RADIUS = 1.1  # the spoke names stand this far out, in radii of the outer ring


@dataclass(frozen=True)
class _LabelBox:
    """A spoke name: its anchor's direction from the centre, and how far the text reaches from the anchor (pt)."""

    x: float
    y: float
    left: float
    right: float
    below: float
    above: float


def _span(align: str, size: float, names: tuple[str, str, str]) -> tuple[float, float]:
    """How far a text of `size` points reaches before and after its anchor, for an alignment of `names`."""
    if align == names[0]:
        return 0.0, size
    if align == names[1]:
        return size / 2, size / 2
    return size, 0.0


def _fit(room: tuple[float, float], labels: list[tuple[float, float, float]],
         radius: float | None = None) -> tuple[float, float]:
    """(centre, radius) along one direction: the largest ring whose spoke names stay within `room`.

    `labels` are (direction, reach before the anchor, reach after it); with `radius` given, only the centre
    is found (in the middle of the places that keep every name inside)."""
    low, high = room[0] + L.EDGE, room[1] - L.EDGE

    def centres(r: float) -> tuple[float, float]:
        first = max([low + r, *(low + before - d * LABEL_RADIUS * r for d, before, _ in labels)])
        last = min([high - r, *(high - after - d * LABEL_RADIUS * r for d, _, after in labels)])
        return first, last

    if radius is None:
        small, large = 0.0, (high - low) / 2
        for _ in range(30):
            middle = (small + large) / 2
            first, last = centres(middle)
            small, large = (middle, large) if first <= last else (small, middle)
        radius = max(small, (high - low) * L.SMALLEST_AXES / 2)
    first, last = centres(radius)
    return ((first + last) / 2 if first <= last else (low + high) / 2), radius
