"""Fixed chart margins: no layout engine, and every text inside the figure however long the names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from tests.helpers.chart_cases import EXTREME, TYPICAL
from workbench.charts import render_figure
from workbench.charts.cost_matrix import CostMatrixData, build_cost_matrix
from workbench.charts.findings import FindingsData, build_findings_by_dimension, build_findings_by_severity
from workbench.charts.gauge import GaugeData, build_gauge
from workbench.charts.heatmap import HeatmapData, build_heatmap
from workbench.charts.progress import ProgressData, build_progress
from workbench.charts.radar import RadarData, build_radar
from workbench.charts.timeline import TimelineData, build_timeline
from workbench.charts.trend import TrendData, build_trend

NAME = "Model governance, accountability & audit"  # 40 characters
assert len(NAME) == 40
NAMES = tuple(f"{NAME} {i}" for i in range(7))
LONG: dict[str, tuple[Callable[..., None], Any]] = {
    "radar": (build_radar, RadarData(NAMES, (1, 2, None, 4, 5, 3, 2), (3, 3, 4, 4, 5, 4, None))),
    "findings_by_severity": (build_findings_by_severity, FindingsData({"Critical": 12_345, "High": 3, NAME: 7}, {})),
    "findings_by_dimension": (build_findings_by_dimension, FindingsData(
        {}, {name: {"High": i + 1, "Low": 2, "Critical": 1, "Info": 30} for i, name in enumerate(NAMES)})),
    "heatmap": (build_heatmap, HeatmapData(tuple(tuple(99_999 for _ in range(5)) for _ in range(5)))),
    "cost_matrix": (build_cost_matrix, CostMatrixData(
        ((NAME, "high", "high", 9.9e9), ("Small", "low", "low", 10.0), (NAME, "medium", "low", None),
         ("Unrated", "", "high", 5.0)))),
    "timeline": (build_timeline, TimelineData(tuple(
        (f"{NAME} phase {p}", f"{NAME} activity {i}", f"2026-0{p + 1}-0{i + 1}", f"2026-0{p + 2}-1{i}")
        for p in range(3) for i in range(3)) + (("Later", "Undated", None, None),))),
    "progress": (build_progress, ProgressData(NAMES, (1, 2, None, 4, 5, 3, 2), (2, 2, 3, 3, 5, None, 4))),
    "gauge": (build_gauge, GaugeData(63.0, NAME, "Conditional Go", tuple((f"{NAME[:12]} {i}", i * 20, i * 20 + 19)
                                                                           for i in range(5)), readout=False)),
    "trend": (build_trend, TrendData((NAME, f"{NAME} re-audit", "ACME-2026-01"), (40.0, 55.5, 71.0))),
}
# the report's sizes (points) and a GUI panel's: the gauge and severity bars stand beside text (222 wide);
# the cost matrix, timeline and dimension bars always take the page's width
SIZES = ((482, 318), (366, 251), (6.5 * 72, 5 * 72))
NARROW = (222, 150)
WIDE_ONLY = {"cost_matrix", "timeline", "findings_by_dimension", "progress"}


def _outside(fig: Figure, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts drawn whose extent leaves the figure (by more than a pixel)."""
    drawn: list[Text] = []
    draw = Text.draw

    def record(self: Text, renderer: Any) -> None:
        if self.get_visible() and self.get_text():
            drawn.append(self)
        draw(self, renderer)

    with monkeypatch.context() as patch:
        patch.setattr(Text, "draw", record)
        fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    width, height = fig.bbox.width, fig.bbox.height
    outside = []
    assert drawn
    for text in drawn:
        box = text.get_window_extent(renderer)
        if box.x0 < -1 or box.y0 < -1 or box.x1 > width + 1 or box.y1 > height + 1:
            outside.append(f"{text.get_text()!r} at {box.bounds}")
    return outside


@pytest.mark.parametrize("name", sorted(LONG))
def test_every_text_lies_inside_the_figure(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    builder, data = LONG[name]
    for width, height in SIZES if name in WIDE_ONLY else (*SIZES, NARROW):
        fig = render_figure(builder, data, width / 72, height / 72, dpi=100)
        assert _outside(fig, monkeypatch) == [], (name, width, height)


@pytest.mark.parametrize("name", sorted(TYPICAL) + sorted(EXTREME))
def test_no_chart_uses_a_layout_engine(name: str) -> None:
    """Constrained layout measured every artist twice on each draw (a quarter of the drawing time)."""
    builder, data = TYPICAL[name] if name in TYPICAL else EXTREME[name]
    fig = Figure(figsize=(5, 4), dpi=50)
    builder(fig, data)
    assert fig.get_layout_engine() is None
    assert fig.get_constrained_layout() is False and fig.get_tight_layout() is False


def test_axes_stay_within_the_figure_on_a_small_panel() -> None:
    for name, (builder, data) in LONG.items():
        fig = render_figure(builder, data, 3, 2.2, dpi=72)
        for ax in fig.axes:
            x0, y0, x1, y1 = ax.get_position().extents
            assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1, name
