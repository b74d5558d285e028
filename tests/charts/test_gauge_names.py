"""Band names on the score gauge: each one lies inside its own segment of the ring, clear of the others, or
stands in the key under the gauge; none is lost."""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from matplotlib.text import Text

from workbench.charts import render_figure
from workbench.charts.gauge import BAND_NAME_GID, INNER, OUTER, GaugeData, build_gauge

MM = 1 / 25.4  # inches
NAME_40 = "Model governance, accountability & audit"
assert len(NAME_40) == 40
HRB = (("No ML capabilities", 0, 29), ("Ad-hoc ML experiments", 30, 49), ("Functional ML", 50, 69),
       ("Mature ML operations", 70, 89), ("Production ML platform", 90, 100))  # the credit-scoring sample's
FORTY = tuple((f"{NAME_40[:-1]}{i}", i * 20, i * 20 + 20) for i in range(5))
TWO = (("Not ready for production", 0, 60), ("Ready for production", 60, 100))
EIGHT = (("Initial", 0, 30), ("Emerging", 30, 40), ("Developing practice", 40, 45), ("Defined", 45, 55),
         ("Managed", 55, 60), ("Measured and quantified", 60, 75), ("Optimizing", 75, 95), ("Leading", 95, 100))
BANDS = {"hrb": (HRB, 70.0, "Mature ML operations"), "forty": (FORTY, 50.0, None), "two": (TWO, 70.0, None),
         "eight": (EIGHT, 42.0, None)}
# the full report's gauge, the executive summary's, and the app's overview panel (which shows the readout)
SIZES = {"report": (78 * MM, 78 * 0.68 * MM, 150, False), "executive": (70 * MM, 70 * 0.68 * MM, 150, False),
         "app": (4.2, 2.6, 100, True)}
PAD = 1.0  # points: a name may come this close to its segment's edges, no closer


def _words(text: str) -> str:
    return " ".join(text.split())


def _segments(bands: tuple[tuple[str, float, float], ...]) -> dict[str, tuple[float, float]]:
    """Each band's (start, end) angle on the ring in degrees: 180 at the lowest value, 0 at the highest; a band
    runs from the previous band's top."""
    low, high = bands[0][1], bands[-1][2]

    def angle(value: float) -> float:
        return 180.0 - 180.0 * (value - low) / (high - low)

    tops = [low] + [hi for _n, _lo, hi in bands]
    return {name: (angle(hi), angle(start)) for (name, _lo, hi), start in zip(bands, tops, strict=False)}


def _corners(fig: Figure, text: Text) -> list[tuple[float, float]]:
    """The text's box turned with it, in display units (pixels): laid out unturned, then turned about its anchor."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    rotation = text.get_rotation()
    text.set_rotation(0)
    box = text.get_window_extent(renderer)
    text.set_rotation(rotation)
    ax, ay = text.get_transform().transform(text.get_position())
    turn = math.radians(rotation)
    points = [(box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1)]
    return [(ax + (x - ax) * math.cos(turn) - (y - ay) * math.sin(turn),
             ay + (x - ax) * math.sin(turn) + (y - ay) * math.cos(turn)) for x, y in points]


def _segment_distance(point: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    (px, py), (ax, ay), (bx, by) = point, a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def _overlap(first: list[tuple[float, float]], second: list[tuple[float, float]]) -> bool:
    """Whether two convex quadrilaterals overlap (no edge of either separates them)."""
    for polygon in (first, second):
        for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
            nx, ny = y0 - y1, x1 - x0
            a = [nx * x + ny * y for x, y in first]
            b = [nx * x + ny * y for x, y in second]
            if max(a) <= min(b) or max(b) <= min(a):
                return False
    return True


def _check_inside(corners: list[tuple[float, float]], segment: tuple[float, float], unit: float) -> list[str]:
    """What takes a name's box (corners in points about the gauge's centre) outside its segment."""
    pad = PAD / unit
    points = [(x / unit, y / unit) for x, y in corners]
    problems = []
    if max(math.hypot(x, y) for x, y in points) > OUTER - pad:
        problems.append("beyond the ring's outer edge")
    nearest = min(_segment_distance((0.0, 0.0), a, b) for a, b in zip(points, points[1:] + points[:1], strict=True))
    if nearest < INNER + pad:
        problems.append("into the hole")
    end, start = segment
    for x, y in points:  # signed distances to the segment's two edges (rays from the centre)
        to_end = x * -math.sin(math.radians(end)) + y * math.cos(math.radians(end))
        to_start = -(x * -math.sin(math.radians(start)) + y * math.cos(math.radians(start)))
        if min(to_end, to_start) < pad:
            problems.append("across the segment's edge")
            break
    return problems


def _names(fig: Figure, bands: tuple[tuple[str, float, float], ...]) -> tuple[dict[str, Text], list[str]]:
    """The band names written on the ring (by name), and the texts of the key under the gauge."""
    ax = next(a for a in fig.axes if a.get_gid() == "gauge")
    ring = {_words(t.get_text()): t for t in ax.texts if t.get_gid() == BAND_NAME_GID}
    assert len(ring) == len([t for t in ax.texts if t.get_gid() == BAND_NAME_GID]), "a name twice on the ring"
    key = [_words(t.get_text()) for legend in fig.legends for t in legend.get_texts()]
    return ring, key


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("case", BANDS)
def test_band_names_fit_their_segments_or_stand_in_the_key(case: str, size: str) -> None:
    _assert_every_name_placed(*BANDS[case], size)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(st.lists(st.text(st.characters(codec="latin-1", categories=("L", "N", "P", "S")), min_size=1,
                                       max_size=18), min_size=1, max_size=5).map(" ".join),
                      min_size=2, max_size=8, unique=True),
       widths=st.lists(st.integers(1, 40), min_size=8, max_size=8), score=st.floats(0, 100),
       size=st.sampled_from(sorted(SIZES)))
def test_any_band_names_fit_their_segments_or_stand_in_the_key(names: list[str], widths: list[int], score: float,
                                                                size: str) -> None:
    """A framework of one's own may name its bands anything: each name still lies whole inside its segment, or
    stands in the key."""
    tops = list(itertools.accumulate(widths[:len(names)]))
    bands = tuple((name, top - width, top) for name, width, top in zip(names, widths, tops, strict=False))
    _assert_every_name_placed(bands, score, None, size)


def _assert_every_name_placed(bands: tuple[tuple[str, float, float], ...], score: float, band: str | None,
                              size: str) -> None:
    width, height, dpi, readout = SIZES[size]
    fig = render_figure(build_gauge, GaugeData(score, band, "Conditional Go", bands, readout=readout), width,
                        height, dpi)
    fig.canvas.draw()
    ax = next(a for a in fig.axes if a.get_gid() == "gauge")
    ring, key = _names(fig, bands)
    centre = ax.transData.transform((0.0, 0.0))
    unit = (ax.transData.transform((1.0, 0.0))[0] - centre[0]) * 72 / dpi  # points per data unit
    segments = _segments(bands)
    boxes: dict[str, list[tuple[float, float]]] = {}
    for name, text in ring.items():
        corners = [((x - centre[0]) * 72 / dpi, (y - centre[1]) * 72 / dpi) for x, y in _corners(fig, text)]
        assert not _check_inside(corners, segments[name], unit), (name, _check_inside(corners, segments[name], unit))
        assert text.get_fontsize() >= 5.5, name
        boxes[name] = corners
    for first, second in ((a, b) for a in boxes for b in boxes if a < b):
        assert not _overlap(boxes[first], boxes[second]), (first, second)
    for name, *_ in bands:  # every name somewhere: on the ring, or in the key with its range
        # in the key, a word longer than its narrowest lines may be broken across two: read it without spaces
        whole = "".join(name.split()) + "("
        assert name in ring or any("".join(entry.split()).startswith(whole) for entry in key), (name, list(ring), key)
    figure_box = fig.bbox
    for legend in fig.legends:
        box = legend.get_window_extent(fig.canvas.get_renderer())  # type: ignore[attr-defined]
        assert figure_box.x0 <= box.x0 and box.x1 <= figure_box.x1 and figure_box.y0 <= box.y0, bands
        assert box.y1 < centre[1] - 0.07 * unit * dpi / 72, "the key reaches the gauge"


def test_the_credit_scoring_bands_keep_the_names_that_fit_on_the_ring_at_report_size() -> None:
    """Only the narrowest band's name needs the key in the full report; the band in force is on the ring, bold."""
    width, height, dpi, _readout = SIZES["report"]
    fig = render_figure(build_gauge, GaugeData(70, "Mature ML operations", "Conditional Go", HRB, readout=False),
                        width, height, dpi)
    ring, key = _names(fig, HRB)
    assert set(ring) >= {"No ML capabilities", "Functional ML", "Mature ML operations"}
    assert ring["Mature ML operations"].get_fontweight() == "bold"
    assert key == ["Production ML platform (90–100)"]
    assert "Production ML platform" not in ring


def test_short_band_names_stay_on_the_ring_without_a_key() -> None:
    bands = (("Ad-hoc", 0, 20), ("Managed", 21, 40), ("Standardized", 41, 60), ("Quantified", 61, 80),
             ("Optimized", 81, 100))
    fig = render_figure(build_gauge, GaugeData(65, "Quantified", "Go", bands), 5, 3.5, 100)
    ring, key = _names(fig, bands)
    assert set(ring) == {name for name, *_ in bands} and not key and not fig.legends


def test_the_band_in_force_is_bold_and_outlined_in_the_key() -> None:
    fig = render_figure(build_gauge, GaugeData(50, None, None, FORTY, readout=False), 78 * MM, 53 * MM, 150)
    (legend,) = fig.legends
    entries: list[Any] = list(zip(legend.get_texts(), legend.legend_handles, strict=True))
    bold = [_words(t.get_text()) for t, handle in entries if t.get_fontweight() == "bold"]
    outlined = [_words(t.get_text()) for t, handle in entries if handle.get_edgecolor()[3] > 0]
    assert bold == outlined == [f"{_words(FORTY[2][0])} (40–60)"]


def test_a_band_name_with_dollar_signs_is_shown_as_written() -> None:
    """matplotlib reads text between two "$" as mathtext (and fails on "$ $"): a band's name is plain text."""
    bands = (("Under $1M $ budget", 0, 50), ("$ $", 50, 100))
    fig = render_figure(build_gauge, GaugeData(60, None, None, bands, readout=False), 78 * MM, 53 * MM, 150)
    fig.canvas.draw()
    ring, key = _names(fig, bands)
    assert all(name in ring or f"{name} (" in " ".join(key) for name, *_ in bands), (list(ring), key)
