"""The gauge's scale numbers (its band edges, outside the ring) never overlap each other or a threshold's label,
however many narrow bands a framework has; the scale's two ends are always numbered."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from workbench.charts import render_figure
from workbench.charts.gauge import OUTER, GaugeData, build_gauge

MM = 1 / 25.4  # inches
EDGES = (0, 10, 20, 25, 30, 40, 60, 80, 100)  # eight maturity bands, three of them five points wide
# (width in, height in, dpi, readout): the full report's gauge, the executive summary's, the app's overview
# panel and a small one (the panel's least height)
SIZES = {"report": (78 * MM, 78 * 0.68 * MM, 150, False), "executive": (70 * MM, 70 * 0.68 * MM, 150, False),
         "app": (4.2, 2.6, 100, True), "small": (3.0, 2.0, 100, True)}


def bands_at(edges: tuple[float, ...]) -> tuple[tuple[str, float, float], ...]:
    return tuple((f"Level {i + 1}", low, high) for i, (low, high) in enumerate(zip(edges, edges[1:], strict=False)))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def drawn(edges: tuple[float, ...], size: str) -> tuple[dict[str, Bbox], list[Bbox]]:
    """The scale numbers drawn (text → box) and the threshold labels' boxes, in pixels."""
    width, height, dpi, readout = SIZES[size]
    fig: Figure = render_figure(build_gauge, GaugeData(55, None, None, bands_at(edges), readout=readout), width,
                                height, dpi)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    texts: list[Text] = [t for t in fig.axes[0].texts if t.get_visible()]
    numbers = [t for t in texts if _is_number(t.get_text()) and math.hypot(*t.get_position()) > OUTER]  # not the
    # score in the hole
    assert len({t.get_text() for t in numbers}) == len(numbers)
    marks = [t.get_window_extent(renderer) for t in texts if t.get_text().startswith(("No-Go", "Go"))]
    return {t.get_text(): t.get_window_extent(renderer) for t in numbers}, marks


def assert_apart(numbers: dict[str, Bbox], marks: list[Bbox]) -> None:
    boxes = list(numbers.items())
    for index, (name, box) in enumerate(boxes):
        for other, other_box in boxes[index + 1:]:
            assert not box.overlaps(other_box), (name, other, box, other_box)
        assert not any(box.overlaps(mark) for mark in marks), (name, box, marks)


def test_eight_bands_keep_every_number_that_fits_and_no_two_overlap() -> None:
    for size in SIZES:
        numbers, marks = drawn(EDGES, size)
        assert_apart(numbers, marks)
        assert {"0", "100", "10", "60", "80"} <= set(numbers), (size, list(numbers))  # 40 is the No-Go mark's
    assert set(drawn(EDGES, "report")[0]) == {"0", "10", "20", "25", "30", "60", "80", "100"}  # room for all


edge_lists = st.lists(st.integers(1, 99), max_size=14, unique=True).map(lambda inner: (0, *sorted(inner), 100))


@settings(max_examples=30, deadline=None)
@given(edges=edge_lists, size=st.sampled_from(sorted(SIZES)))
def test_scale_numbers_never_overlap(edges: tuple[float, ...], size: str) -> None:
    numbers, marks = drawn(edges, size)
    assert_apart(numbers, marks)
    assert {"0", "100"} <= set(numbers), list(numbers)
