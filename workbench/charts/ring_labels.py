"""Band names on the gauge's ring, drawn only where they fit.

A name is written along the ring, turned to the tangent at its segment's middle. Its box, turned with it,
must lie inside the segment (an annular sector) with a little padding: the box's corners inside the outer
circle and between the segment's two edges, and its side facing the centre outside the inner circle; in a
narrow segment the name moves out from the ring's middle radius, where the segment is wider. A name
is tried at the chart's band size on one line, then on two, then smaller down to MIN_SIZE; a name that fits
nowhere is left to the key under the gauge (gauge.py), so no name is cut, overlapped or lost.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from workbench.charts import layout as L

MIN_SIZE = 5.5  # points: the smallest legible name in a printed report
STEP = 0.5  # points between the sizes tried
PAD = 1.5  # points between a name's box and its segment's edges (the 1.5 pt white separators cover half)
LINE_SPACING = 1.0


class Measure(L.Measure):
    """Text sizes measured once per figure: the gauge fits its names again when a key takes room from it."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.known: dict[tuple[str, float, str, str, float], tuple[float, float]] = {}

    def text(self, text: str, size: float, *, weight: str = "normal", style: str = "normal",
             linespacing: float = 1.2) -> tuple[float, float]:
        key = (text, size, weight, style, linespacing)
        if key not in self.known:
            self.known[key] = super().text(text, size, weight=weight, style=style, linespacing=linespacing)
        return self.known[key]


@dataclass(frozen=True)
class Sector:
    """A band's segment of the ring: radii in data units, angles in degrees (0 at the right, 90 at the top)."""

    inner: float
    outer: float
    middle: float
    span: float


@dataclass(frozen=True)
class Fitted:
    """A name as it fits its segment: the text (a line break where it wraps), its size in points and the
    radius (data units) its middle stands at."""

    text: str
    size: float
    radius: float


def layouts(name: str) -> list[str]:
    """The name on one line, then on two lines, the most even split first."""
    words = name.split()
    one = " ".join(words)
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    splits.sort(key=lambda pair: max(len(pair[0]), len(pair[1])))
    return [one] + [f"{first}\n{second}" for first, second in splits]


def radius_for(sector: Sector, width: float, height: float, pad: float, *, move: bool = True) -> float | None:
    """The radius at which a box `width` × `height` (data units), turned to the tangent and centred on the
    segment's middle, lies `pad` inside the sector: the ring's middle radius when the box fits there, else
    (if it may `move`) the least radius farther out at which it clears the segment's edges; None when it
    fits nowhere.

    In the box's own axes the centre of the ring lies straight below its middle, so the side facing the
    centre comes nearest at its midpoint; the outer corners lie farthest out; the inner corners come nearest
    to the segment's edges (rays from the centre): a box moved outwards clears them more easily.
    """
    half_w, half_h = width / 2, height / 2
    half_span = math.radians(min(sector.span, 180.0) / 2)
    if half_span <= 0:
        return None
    clear_edges = half_h + (pad + half_w * math.cos(half_span)) / math.sin(half_span)
    middle = (sector.inner + sector.outer) / 2
    radius = max(middle, clear_edges) if move else middle
    if radius < clear_edges:
        return None
    if radius - half_h < sector.inner + pad or math.hypot(half_w, radius + half_h) > sector.outer - pad:
        return None
    return radius


def fit(measure: L.Measure, name: str, sector: Sector, *, size: float, unit: float, bold: bool) -> Fitted | None:
    """The largest size (from `size` down to MIN_SIZE) and the layout at which `name` fits its segment,
    centred on the ring if it can be; None when it fits at none. `unit` is points per data unit.

    A layout is measured at `size` when first tried (about a millisecond each); at a smaller size only when
    the text scaled down to it would fit, so a name costs a few measurements however many sizes are tried.
    """
    if not name.strip() or unit <= 0:
        return None
    weight = "bold" if bold else "normal"
    pad = PAD / unit
    options = layouts(name)
    measured: dict[str, tuple[float, float]] = {}  # each layout at `size`, measured when first tried

    def at_size(text: str) -> tuple[float, float]:
        if text not in measured:
            measured[text] = measure.text(text, size, weight=weight, linespacing=LINE_SPACING)
        return measured[text]

    sizes = [size]
    while sizes[-1] - STEP >= MIN_SIZE - 1e-9:
        sizes.append(round(sizes[-1] - STEP, 2))
    if sizes[-1] > MIN_SIZE:
        sizes.append(MIN_SIZE)
    for tried in sizes:
        for move, text in [(False, text) for text in options] + [(True, text) for text in options]:
            width, height = at_size(text)
            scale = tried / size
            radius = radius_for(sector, width * scale / unit, height * scale / unit, pad, move=move)
            if radius is not None and tried != size:
                width, height = measure.text(text, tried, weight=weight, linespacing=LINE_SPACING)
                radius = radius_for(sector, width / unit, height / unit, pad, move=move)
            if radius is not None:
                return Fitted(text, tried, radius)
    return None
