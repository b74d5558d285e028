"""Chart builders: every chart renders for typical, empty and extreme data, in light and dark, without pyplot."""

from __future__ import annotations

import ast
import warnings
from pathlib import Path
from typing import Any

import matplotlib
import pytest
from matplotlib.backend_bases import MouseEvent
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from tests.helpers.catalogs import FAMILIES, FAMILY_IDS
from tests.helpers.chart_cases import BANDS, EMPTY, EXTREME, LONG_NAMES, TYPICAL, grid
from workbench.charts import palette, render_figure, render_png
from workbench.charts.cost_matrix import CostMatrixData, build_cost_matrix, format_cost
from workbench.charts.findings import FindingsData, build_findings_by_dimension, build_findings_by_severity
from workbench.charts.gauge import GaugeData, build_gauge
from workbench.charts.heatmap import (
    HeatmapData,
    build_heatmap,
    heatmap_axes,
    heatmap_cell_from_event,
    heatmap_cell_from_mouse_event,
    zone_for,
)
from workbench.charts.progress import ProgressData, delta_text
from workbench.charts.radar import CROWDED_SPOKES, RadarData, build_radar, spoke_codes
from workbench.charts.timeline import parse_date

CHARTS_DIR = Path(__file__).resolve().parents[2] / "workbench" / "charts"
PNG = b"\x89PNG\r\n\x1a\n"

def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("name", sorted(TYPICAL))
def test_typical_data_renders(name: str, dark: bool) -> None:
    builder, data = TYPICAL[name]
    png = render_png(builder, data, 6, 4.5, dpi=80, dark=dark)
    assert png.startswith(PNG) and len(png) > 5_000


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("name", sorted(EMPTY))
def test_empty_data_shows_a_message(name: str, dark: bool) -> None:
    builder, data, message = EMPTY[name]
    fig = render_figure(builder, data, 5, 3.5, dpi=80, dark=dark)
    assert any(message in text for text in _texts(fig)), _texts(fig)
    assert render_png(builder, data, 5, 3.5, dpi=80, dark=dark).startswith(PNG)


@pytest.mark.parametrize("name", sorted(EXTREME))
def test_extreme_data_renders(name: str) -> None:
    builder, data = EXTREME[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for dark in (False, True):
            assert render_png(builder, data, 6.5, 5, dpi=72, dark=dark).startswith(PNG)
        assert render_png(builder, data, 3, 2.2, dpi=72).startswith(PNG)  # a small GUI panel


@pytest.mark.parametrize("name", sorted(TYPICAL) + ["radar_12_long_names", "findings_dimension_12_long",
                                                     "progress_12_long", "cost_100_items"])
def test_no_text_falls_outside_the_figure(name: str) -> None:
    builder, data = TYPICAL[name] if name in TYPICAL else EXTREME[name]
    for width, height in ((6.5, 5), (4, 3)):
        fig = render_figure(builder, data, width, height, dpi=72)
        fig.canvas.draw()
        drawn = fig.get_tightbbox(fig.canvas.get_renderer())  # type: ignore[attr-defined]  # inches
        slack = 0.03
        assert drawn.x0 >= -slack and drawn.y0 >= -slack, (width, drawn)
        assert drawn.x1 <= width + slack and drawn.y1 <= height + slack, (width, drawn)


def test_builders_reuse_a_figure_and_switch_theme() -> None:
    fig = Figure(figsize=(5, 4), dpi=72)
    FigureCanvasAgg(fig)
    for name, (builder, data) in TYPICAL.items():
        builder(fig, data, dark=True)
        fig.canvas.draw()
        assert fig.get_facecolor()[3] == 0, name  # transparent in dark mode
        builder(fig, data)
        fig.canvas.draw()
        assert fig.get_facecolor() == (1.0, 1.0, 1.0, 1.0), name
        assert fig.get_layout_engine() is None, name  # fixed margins (charts.layout), no layout engine
    assert len(fig.axes) == 1


def test_builders_leave_global_settings_alone() -> None:
    before = dict(matplotlib.rcParams)
    for builder, data in TYPICAL.values():
        render_png(builder, data, 4, 3, dpi=50, dark=True)
    assert dict(matplotlib.rcParams) == before


def test_every_text_uses_dejavu_sans() -> None:
    for builder, data in TYPICAL.values():
        fig = render_figure(builder, data, 5, 4, dpi=50)
        families = {t.get_fontfamily()[0] for t in fig.findobj(Text) if t.get_text()}
        assert families == {palette.FONT}, builder.__name__


# radar


def test_radar_marks_unassessed_dimensions() -> None:
    fig = render_figure(build_radar, RadarData(("Data", "Model", "Serving"), (2, None, 3), (4, 4, None)), 5, 4)
    texts = _texts(fig)
    assert "Model\n(not assessed)" in texts
    assert "Data" in texts and "Serving" in texts
    assert all(label in texts for label in ("1", "2", "3", "4", "5"))  # level rings are labelled
    current = fig.axes[0].lines[0].get_ydata()
    assert list(current) == [2, 0, 3, 2]  # None drawn as 0, polygon closed


def test_an_unset_target_is_a_gap_not_a_spike_to_the_centre() -> None:
    fig = render_figure(build_radar, RadarData(("Data", "Model", "Serving", "Ops"), (2, 3, 3, 1), (4, None, 4, 4)),
                        5, 4)
    target = next(line for line in fig.axes[0].lines if line.get_label() == "Target level")
    values = list(target.get_ydata())
    assert values[0] == 4 and values[2] == 4 and values[1] != values[1]  # NaN: no point, the line breaks
    assert 0 not in values


def test_radar_wraps_long_labels() -> None:
    fig = render_figure(build_radar, RadarData(LONG_NAMES, (3,) * 12, (4,) * 12), 6.5, 5.5)
    labels = [t for t in _texts(fig) if t.startswith("Dimension")]
    assert len(labels) == 12
    assert all(max(len(line) for line in label.splitlines()) <= 20 for label in labels)
    assert all(" ".join(label.split()) in LONG_NAMES for label in labels)  # whole: no "…"


def test_radar_rejects_mismatched_lengths() -> None:
    with pytest.raises(ValueError):
        RadarData(("A", "B"), (1,), (1, 2))
    with pytest.raises(ValueError):
        RadarData(("A", "B"), (1, 2), (1, 2), codes=("A",))


def _label_boxes(fig: Figure) -> list[Any]:
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    ring_labels = {str(level) for level in range(1, 6)}
    return [t.get_window_extent(renderer) for t in fig.axes[0].texts if t.get_text() not in ring_labels]


def test_a_crowded_radar_labels_its_spokes_with_codes_that_do_not_overlap() -> None:
    """SP 800-53's twenty families: their names overlapped around the radar; the codes do not."""
    levels = (3,) * 19 + (None,)
    data = RadarData(FAMILIES, levels, (None,) * 20, codes=spoke_codes(FAMILY_IDS))
    assert data.uses_codes
    fig = render_figure(build_radar, data, 6.5, 4.5, dpi=72)
    assert [t.get_text() for t in fig.axes[0].texts] == [i.upper() for i in FAMILY_IDS]
    assert fig.axes[0].texts[-1].get_style() == "italic"  # the one not assessed is greyed
    boxes = _label_boxes(fig)
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]


def test_a_radar_with_few_spokes_keeps_the_names_even_with_codes() -> None:
    data = RadarData(FAMILIES[:CROWDED_SPOKES], (3,) * CROWDED_SPOKES, (4,) * CROWDED_SPOKES,
                     codes=spoke_codes(FAMILY_IDS[:CROWDED_SPOKES]))
    assert not data.uses_codes
    texts = _texts(render_figure(build_radar, data, 6.5, 5, dpi=72))
    assert "Access Control" in texts and "AC" not in texts


@pytest.mark.parametrize("ids, codes", [
    (("ac", "at", "au"), ("AC", "AT", "AU")),
    (("4", "5", "a.2"), ("4", "5", "A.2")),  # ISO 42001 clauses and annex
    (("data-management", "ac"), ("1", "2")),  # one id too long to be a code: numbers for all
    (("ac", "AC"), ("1", "2")),  # the same code twice
    (("", "ac"), ("1", "2")),
])
def test_spoke_codes_are_short_ids_or_numbers(ids: tuple[str, ...], codes: tuple[str, ...]) -> None:
    assert spoke_codes(ids) == codes


# gauge


def test_gauge_shows_number_band_and_verdict() -> None:
    fig = render_figure(build_gauge, GaugeData(63.25, "Quantified", "Go", BANDS), 5, 3.5)
    texts = _texts(fig)
    assert {"63.2", "Quantified", "Go"} <= set(texts) or {"63.3", "Quantified", "Go"} <= set(texts)
    assert "No-Go < 40" in texts and "Go ≥ 75" in texts


def test_gauge_without_score_says_not_scored() -> None:
    texts = _texts(render_figure(build_gauge, GaugeData(None, None, None, BANDS), 5, 3.5))
    assert "Not scored" in texts


# findings


def test_findings_by_severity_keeps_severity_order_and_counts() -> None:
    fig = render_figure(build_findings_by_severity, FindingsData({"low": 4, "Critical": 1, "Made up": 2}, {}), 5, 3)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Critical", "High", "Medium", "Low", "Info", "Made up"]
    assert [t.get_text() for t in ax.texts] == ["1", "0", "0", "4", "0", "2"]


def test_findings_by_dimension_stacks_by_severity_with_legend() -> None:
    data = FindingsData({}, {"Data": {"Critical": 1, "High": 2}, "Governance": {"medium": 3}})
    fig = render_figure(build_findings_by_dimension, data, 6, 4)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["Critical", "High", "Medium"]
    assert {"3"} <= set(_texts(fig))  # totals at the bar ends


# heatmap


def test_heatmap_cell_from_event() -> None:
    assert heatmap_cell_from_event(1.0, 1.0) == (1, 1)
    assert heatmap_cell_from_event(4.2, 2.4) == (2, 4)  # x = impact, y = likelihood
    assert heatmap_cell_from_event(0.5, 5.49) == (5, 1)
    assert heatmap_cell_from_event(5.49, 0.51) == (1, 5)
    assert heatmap_cell_from_event(3.5, 3.0) == (3, 4)  # a border belongs to the higher cell
    for x, y in ((0.49, 3), (5.5, 3), (3, 0.4), (3, 5.6), (None, 2), (2, None), (float("nan"), 2)):
        assert heatmap_cell_from_event(x, y) is None


def test_heatmap_maps_a_real_click_to_its_cell() -> None:
    fig = render_figure(build_heatmap, HeatmapData(grid(c24=3)), 5, 4.5, dpi=100)
    fig.canvas.draw()
    ax = heatmap_axes(fig)
    assert ax is fig.axes[0]
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            x, y = ax.transData.transform((impact + 0.3, likelihood - 0.3))
            event = MouseEvent("button_press_event", fig.canvas, x, y, button=1)
            assert heatmap_cell_from_mouse_event(fig, event) == (likelihood, impact)
            assert heatmap_cell_from_event(event.xdata, event.ydata) == (likelihood, impact)
    outside = MouseEvent("button_press_event", fig.canvas, 1, 1, button=1)
    assert heatmap_cell_from_mouse_event(fig, outside) is None


def test_heatmap_counts_and_zones() -> None:
    fig = render_figure(build_heatmap, HeatmapData(grid(c55=500, c11=2)), 5, 4.5)
    assert "500" in _texts(fig) and "2" in _texts(fig)
    assert zone_for(1, 4)[0] == "Low" and zone_for(1, 5)[0] == "Medium" and zone_for(3, 3)[0] == "Medium"
    assert zone_for(2, 5)[0] == "High" and zone_for(3, 5)[0] == "Critical" and zone_for(5, 5)[0] == "Critical"
    assert zone_for(2, 2)[0] == "Low" and zone_for(4, 3)[0] == "High" and zone_for(4, 4)[0] == "Critical"


@pytest.mark.parametrize("dark", [False, True])
def test_heatmap_numbers_read_on_the_cell_they_sit_on(dark: bool) -> None:
    """Each number is black or white against the colour its cell really shows (an empty cell is paler)."""
    from matplotlib.patches import Rectangle

    fig = render_figure(build_heatmap, HeatmapData(grid(c55=3, c11=2)), 5, 4.5, dark=dark)
    ax = heatmap_axes(fig)
    cells = {(round(p.get_x() + 0.5), round(p.get_y() + 0.5)): p for p in ax.patches if isinstance(p, Rectangle)
             and p.get_width() == 1}
    numbers = [t for t in ax.texts if t.get_text().isdigit()]
    assert len(numbers) >= 25
    for text in numbers:
        x, y = text.get_position()
        cell = cells[(round(x - 0.42) if text.get_ha() == "right" else round(x), round(y + 0.42)
                      if text.get_va() == "bottom" else round(y))]
        fill = matplotlib.colors.to_hex(cell.get_facecolor()[:3])
        ink = matplotlib.colors.to_hex(text.get_color())
        assert cell.get_facecolor()[3] == 1 and text.get_alpha() in (None, 1)
        assert palette.contrast_ratio(fill, ink) >= 4.5, (text.get_text(), fill, ink)


def test_empty_heatmap_has_no_grid_to_click() -> None:
    fig = render_figure(build_heatmap, HeatmapData(), 5, 4)
    assert heatmap_axes(fig) is None
    x, y = fig.axes[0].transAxes.transform((0.5, 0.5))
    assert heatmap_cell_from_mouse_event(fig, MouseEvent("button_press_event", fig.canvas, x, y)) is None


def _outlined_cells(fig: Figure) -> list[tuple[float, float]]:
    """(likelihood, impact) of every cell drawn with an outline only: the selection mark."""
    return [(round(p.get_y() + p.get_height() / 2), round(p.get_x() + p.get_width() / 2))
            for p in fig.axes[0].patches if isinstance(p, Rectangle) and not p.get_fill()]


def test_heatmap_selected_cell_and_shape_check() -> None:
    fig = Figure(figsize=(5, 4))
    FigureCanvasAgg(fig)
    build_heatmap(fig, HeatmapData(grid(c33=1, c52=2)), selected=(5, 2))
    fig.canvas.draw()
    assert _outlined_cells(fig) == [(5, 2)]  # likelihood 5, impact 2: the cell the auditor picked, only it
    plain = render_figure(build_heatmap, HeatmapData(grid(c33=1)), 5, 4)
    assert _outlined_cells(plain) == []
    with pytest.raises(ValueError):
        HeatmapData(((1, 2, 3),))
    assert HeatmapData.from_risks([(1, 1), (1, 1), (5, 4), (9, 9)]).counts[0][0] == 2


# cost matrix, timeline, progress


def test_cost_matrix_labels_and_quadrants() -> None:
    data = CostMatrixData((("A very long cost item name that needs truncating", "high", "low", 10.0),))
    texts = _texts(render_figure(build_cost_matrix, data, 6.5, 5))
    assert {"Quick wins", "Major projects", "Fill-ins", "Thankless tasks"} <= set(texts)
    names = [t for t in texts if t.startswith("A very")]
    assert names == ["A very long cost item name\nthat needs truncating"]  # wrapped whole, never cut with "…"
    assert format_cost(1_500_000) == "€1.5M" and format_cost(120_000, "USD") == "$120k" and format_cost(950) == "€950"


def test_crowded_cost_matrix_numbers_points_without_overlap() -> None:
    builder, data = EXTREME["cost_100_items"]
    fig = render_figure(builder, data, 6.5, 5, dpi=100)
    fig.canvas.draw()
    ax = fig.axes[0]
    centres = [tuple(point) for c in ax.collections for point in c.get_offsets()]
    assert len(centres) == 100 and len(set(centres)) == 100
    assert render_png(builder, data, 6.5, 5) == render_png(builder, data, 6.5, 5)  # deterministic


def test_timeline_dates_and_undated_note() -> None:
    assert parse_date("2026-03-01") == parse_date("2026-03-01T10:00:00")
    assert parse_date("bad") is None and parse_date(None) is None
    texts = _texts(render_figure(*TYPICAL["timeline"], 7, 4))
    assert "not scheduled" in texts and "1 activity not scheduled yet" in texts
    assert "Phase 1" in texts and "Phase 2" in texts


def test_progress_deltas() -> None:
    assert delta_text(2, 4) == "+2" and delta_text(3, 1) == "−2" and delta_text(2, 2) == "±0"
    assert delta_text(None, 3) == "new" and delta_text(3, None) == "not assessed"
    texts = _texts(render_figure(*TYPICAL["progress"], 6.5, 4))
    assert {"+1", "+2", "−1", "±0", "new", "not assessed"} <= set(texts)
    with pytest.raises(ValueError):
        ProgressData(("A",), (1, 2), (1,))


# palette and architecture


def test_severity_colours_are_distinct_and_print_in_order() -> None:
    assert tuple(palette.SEVERITY_HEX) == palette.SEVERITY_ORDER
    colours = list(palette.SEVERITY_HEX.values())
    assert len(set(colours)) == 5 and all(len(c) == 7 and c.startswith("#") for c in colours)

    def grey(hex_colour: str) -> float:
        r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
        return 0.299 * r + 0.587 * g + 0.114 * b

    levels = [grey(c) for c in colours]
    assert all(b - a > 20 for a, b in zip(levels, levels[1:], strict=False))  # Critical darkest ... Info lightest
    assert palette.severity_colour("critical") == palette.SEVERITY_HEX["Critical"]
    assert palette.ink_on(palette.SEVERITY_HEX["Critical"]) == "#FFFFFF"
    assert palette.ink_on(palette.SEVERITY_HEX["Info"]) == "#000000"


def test_apply_style_is_usable_on_its_own() -> None:
    fig = Figure()
    ax = fig.add_subplot()
    palette.apply_style(fig, ax, True)
    assert ax.xaxis.label.get_color() == palette.DARK_TEXT


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("path", sorted(CHARTS_DIR.glob("*.py")), ids=lambda p: p.name)
def test_no_chart_module_imports_pyplot_or_qt(path: Path) -> None:
    names = _imported_modules(path)
    assert not [n for n in names if "pyplot" in n or n == "pylab"], path.name
    assert not [n for n in names if n.startswith(("PySide6", "PyQt", "matplotlib.backends.backend_qt"))], path.name
