"""Chart data shared by the chart tests: typical cases and extreme ones (long names, huge counts, odd values)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbench.charts.cost_matrix import CostMatrixData, build_cost_matrix
from workbench.charts.findings import FindingsData, build_findings_by_dimension, build_findings_by_severity
from workbench.charts.gauge import GaugeData, build_gauge
from workbench.charts.heatmap import HeatmapData, build_heatmap
from workbench.charts.progress import ProgressData, build_progress
from workbench.charts.radar import RadarData, build_radar
from workbench.charts.timeline import TimelineData, build_timeline

DIMENSIONS = ("Data pipelines", "Model training", "Model registry", "Serving & deployment",
              "Monitoring & observability", "Governance", "CI/CD for ML", "Feature store")
LONG_NAMES = tuple(f"Dimension {i} " + ("an eighty character name that keeps on going and going " * 2)[:68]
                   for i in range(12))
assert all(len(name) >= 78 for name in LONG_NAMES)
BANDS = (("Ad-hoc", 0, 20), ("Managed", 21, 40), ("Standardized", 41, 60), ("Quantified", 61, 80),
         ("Optimized", 81, 100))


def grid(**cells: int) -> tuple[tuple[int, ...], ...]:
    grid = [[0] * 5 for _ in range(5)]
    for key, count in cells.items():  # key "c<L><I>"
        grid[int(key[1]) - 1][int(key[2]) - 1] = count
    return tuple(tuple(row) for row in grid)


TYPICAL: dict[str, tuple[Callable[..., None], Any]] = {
    "radar": (build_radar, RadarData(DIMENSIONS, (2, 3, 2, None, 1, 2.5, 3, 4), (4, 4, 3, 4, 4, 3, 4, 5))),
    "gauge": (build_gauge, GaugeData(52.5, "Standardized", "Conditional Go", BANDS)),
    "findings_severity": (build_findings_by_severity, FindingsData({"Critical": 2, "High": 5, "low": 1}, {})),
    "findings_dimension": (build_findings_by_dimension, FindingsData(
        {}, {"Data pipelines": {"Critical": 1, "High": 2}, "Governance": {"Medium": 3, "Info": 1},
             "Model registry": {}})),
    "heatmap": (build_heatmap, HeatmapData(grid(c11=1, c23=3, c34=2, c55=1, c52=4))),
    "cost_matrix": (build_cost_matrix, CostMatrixData((
        ("Automate model deployment pipeline", "high", "medium", 120_000.0),
        ("Add drift monitoring", "High", "low", 15_000.0), ("Tag cloud resources", "low", "low", None),
        ("Feature store adoption", "high", "high", 300_000.0), ("Rewrite ingestion", "low", "high", 90_000.0)))),
    "timeline": (build_timeline, TimelineData((
        ("Phase 1", "Add drift monitoring", "2026-02-01", "2026-03-15"),
        ("Phase 1", "Model cards", None, None),
        ("Phase 2", "CI/CD for training", "2026-03-01", "2026-06-30"),
        ("Phase 2", "Go-live review", "2026-07-01", None)))),
    "progress": (build_progress, ProgressData(DIMENSIONS, (2, 2, 1, 3, 1, None, 2, 4), (3, 2, 3, None, 2, 2, 1, 4))),
}

EMPTY: dict[str, tuple[Callable[..., None], Any, str]] = {
    "radar": (build_radar, RadarData((), (), ()), "No dimensions"),
    "radar_unassessed": (build_radar, RadarData(("A", "B", "C"), (None,) * 3, (None,) * 3), "No dimension assessed"),
    "gauge": (build_gauge, GaugeData(None, None, None, BANDS), "Not scored"),
    "gauge_no_bands": (build_gauge, GaugeData(None, None, None, ()), "Not scored"),
    "findings_severity": (build_findings_by_severity, FindingsData(), "No findings"),
    "findings_severity_zeros": (build_findings_by_severity, FindingsData({"High": 0}, {}), "No findings"),
    "findings_dimension": (build_findings_by_dimension, FindingsData({}, {"Governance": {}}), "No findings"),
    "heatmap": (build_heatmap, HeatmapData(), "No risks recorded yet"),
    "heatmap_zeros": (build_heatmap, HeatmapData(grid()), "No risks recorded yet"),
    "cost_matrix": (build_cost_matrix, CostMatrixData(), "No cost items"),
    "timeline": (build_timeline, TimelineData(), "No roadmap items"),
    "timeline_undated": (build_timeline, TimelineData((("P", "A", None, None),)), "No roadmap dates"),
    "progress": (build_progress, ProgressData(), "No dimensions"),
    "progress_no_previous": (build_progress, ProgressData(("A",), (None,), (3,)), "No earlier assessment"),
}

EXTREME: dict[str, tuple[Callable[..., None], Any]] = {
    "radar_12_long_names": (build_radar, RadarData(
        LONG_NAMES, tuple(None if i % 4 == 0 else float(i % 6) for i in range(12)), (5.0,) * 11 + (None,))),
    "radar_out_of_range": (build_radar, RadarData(("A", "B", "C"), (-3, 99, float("nan")), (7, None, 0))),
    "radar_two_axes": (build_radar, RadarData(("A", "B"), (1, 2), (3, 4))),
    "gauge_zero": (build_gauge, GaugeData(0, "Ad-hoc", "No-Go", BANDS)),
    "gauge_full": (build_gauge, GaugeData(100, "Optimized", "Go", BANDS)),
    "gauge_beyond_and_custom_bands": (build_gauge, GaugeData(
        140, None, "Something else", tuple((f"Band {i} with a long name", i * 10, i * 10 + 9) for i in range(10)),
        no_go_below=-5, go_at_or_above=500)),
    "findings_severity_500": (build_findings_by_severity, FindingsData({"CRITICAL": 500, "Unknown": 3}, {})),
    "findings_dimension_12_long": (build_findings_by_dimension, FindingsData(
        {}, {name: {"Critical": i * 40, "Info": 500 - i * 30, "Low": 3, "odd": 1}
             for i, name in enumerate(LONG_NAMES)})),
    "heatmap_500_in_one_cell": (build_heatmap, HeatmapData(grid(c55=500))),
    "heatmap_huge_counts": (build_heatmap, HeatmapData(tuple(tuple(99_999 for _ in range(5)) for _ in range(5)))),
    "cost_100_items": (build_cost_matrix, CostMatrixData(tuple(
        (f"Cost item {i} " + "with a long descriptive name" * 3, "high" if i < 60 else ("low", "medium", "high")[i % 3],
         "low" if i < 60 else ("low", "medium", "high")[(i // 3) % 3], None if i % 7 == 0 else i * 1000.0)
        for i in range(100)) + (("no rating", "", "huge", 5.0),))),
    "cost_all_unrated": (build_cost_matrix, CostMatrixData((("x", "?", "?", 1.0),))),
    "cost_zero_and_negative": (build_cost_matrix, CostMatrixData((("a", "low", "low", 0.0), ("b", "low", "low", -5.0),
                                                                  ("c", "high", "high", float("inf"))))),
    "timeline_100_items": (build_timeline, TimelineData(tuple(
        (f"Phase {i // 20} " + "p" * 80, f"Activity {i} " + "a" * 80,
         None if i % 9 == 0 else f"2026-{1 + i % 12:02d}-01",
         None if i % 9 == 0 else ("2027-01-15" if i % 2 else "not a date")) for i in range(100)))),
    "timeline_one_day_and_reversed": (build_timeline, TimelineData((("", "One day", "2026-01-01", "2026-01-01"),
                                                                    ("P", "Reversed", "2026-05-01", "2026-02-01")))),
    "progress_12_long": (build_progress, ProgressData(
        LONG_NAMES, tuple((i % 5) + 1 for i in range(12)),
        tuple(None if i % 4 == 0 else 5 - i % 5 for i in range(12)))),
    "progress_scores": (build_progress, ProgressData(("A", "B"), (20, 80), (60, 40), max_level=5)),
}
