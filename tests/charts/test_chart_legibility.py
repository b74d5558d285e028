"""Charts as a reader sees them: labels whole (never cut with "…"), one readout beside the gauge, bands that
stay apart in greyscale, and a needle that covers no band name."""

from __future__ import annotations

import itertools
import math

import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import Polygon, Wedge
from matplotlib.text import Text

from workbench.charts import palette, render_figure
from workbench.charts.cost_matrix import CostMatrixData, build_cost_matrix
from workbench.charts.gauge import INNER, GaugeData, build_gauge
from workbench.charts.timeline import TimelineData, build_timeline, timeline_height

BANDS = (("Ad-hoc", 0, 20), ("Managed", 21, 40), ("Standardized", 41, 60), ("Quantified", 61, 80),
         ("Optimized", 81, 100))
# the DriftGuardAI sample's cost items and roadmap, whose names used to end in "…"
COSTS = CostMatrixData((
    ("Caching of dashboard aggregates", "medium", "low", 300.0),
    ("Auto-scaling API replicas", "high", "medium", 3500.0),
    ("Spot instances for drift recomputation", "medium", "low", 600.0),
    ("Managed Kubernetes & PostgreSQL (12 months)", "high", "medium", 14400.0),
    ("Observability tooling (Sentry, Grafana Cloud) — 12 months", "high", "low", 4200.0),
    ("Senior backend engineer — hardening sprint", "high", "high", 13500.0),
    ("Junior engineer — testing & documentation", "medium", "medium", 7200.0),
    ("Pre-production remediation (findings F-001…F-017)", "high", "medium", 10500.0),
    ("External penetration test", "high", "low", 8000.0)))
ROADMAP = TimelineData((
    ("Week 1 — Security hardening", "CORS allow-list and rate limiting (Mon-Tue); structured logging and request "
     "middleware (Wed); authentication refinements (Thu); connection pooling and timeouts (Fri).",
     "2026-03-02", "2026-03-06"),
    ("Week 2 — Observability", "Prometheus metrics and Grafana board; Sentry integration; deployment history "
     "table; pagination of model lists.", "2026-03-09", "2026-03-13"),
    ("Rollout 1 — Internal staging", "Deploy to the internal Kubernetes cluster for internal users, limited to "
     "50 models, with daily security review.", "2026-03-30", "2026-04-10"),
    ("Rollout 3 — Gradual rollout", "Increase traffic 25 % → 50 % → 100 % with SLA checks at each step; "
     "experiment tracking automation and feature versioning follow.", "2026-04-27", "2026-05-22")))


def _texts(fig: object) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]  # type: ignore[attr-defined]


def _words(texts: list[str]) -> str:
    return " ".join(" ".join(texts).split())


def test_cost_matrix_names_are_whole_or_numbered_never_cut() -> None:
    for width, height in ((6.7, 4.4), (5.3, 3.1), (3, 2.2)):
        fig = render_figure(build_cost_matrix, COSTS, width, height, dpi=72)
        fig.canvas.draw()
        texts = _texts(fig)
        assert not any("…" in t and "F-001…F-017" not in t for t in texts), texts
        shown = _words(texts)
        for number, (name, *_rest) in enumerate(COSTS.items, start=1):
            assert " ".join(name.split()) in shown or str(number) in texts, (width, name)


def test_cost_matrix_in_the_report_size_names_every_item() -> None:
    fig = render_figure(build_cost_matrix, COSTS, 6.7, 4.4, dpi=72)
    shown = _words(_texts(fig))
    assert all(" ".join(name.split()) in shown for name, *_ in COSTS.items)


def test_timeline_labels_are_whole() -> None:
    height = timeline_height(ROADMAP, 481, smallest=140, largest=530)
    fig = render_figure(build_timeline, ROADMAP, 481 / 72, height / 72, dpi=72)
    fig.canvas.draw()
    shown = _words(_texts(fig))
    assert "…" not in shown
    for phase, activity, *_ in ROADMAP.items:
        assert phase in shown and " ".join(activity.split()) in shown


def test_timeline_names_an_endless_activity_by_its_row() -> None:
    data = TimelineData((("P", "word " * 400, "2026-01-01", "2026-02-01"), ("P", "Short", "2026-02-01", None)))
    texts = _texts(render_figure(build_timeline, data, 6.7, 3, dpi=72))
    assert "Activity 1 (see the table)" in texts and "Short" in texts


def test_long_labels_wrap_instead_of_ending_in_an_ellipsis() -> None:
    text = "Observability tooling (Sentry, Grafana Cloud) with a long tail of words"
    wrapped = palette.wrap(text, 12, max_lines=2)
    assert "…" not in wrapped and " ".join(wrapped.split()) == text and wrapped.count("\n") <= 1


def test_band_colours_stay_apart_in_greyscale() -> None:
    lightness = [palette.color_lightness(c) for c in palette.BAND_COLOURS]
    assert lightness == sorted(lightness, reverse=True)
    assert min(abs(a - b) for a, b in itertools.combinations(lightness, 2)) >= 12, lightness


def test_gauge_segments_are_drawn_unfaded_in_the_band_colours() -> None:
    fig = render_figure(build_gauge, GaugeData(65, "Quantified", "Conditional Go", BANDS), 4, 2.7, dpi=72)
    wedges = [w for w in fig.findobj(Wedge) if w.get_fill()]
    greys = sorted(palette.color_lightness(to_hex(w.get_facecolor())) for w in wedges)
    assert all(w.get_alpha() in (None, 1.0) for w in wedges)
    assert min(b - a for a, b in itertools.pairwise(greys)) >= 12, greys


def test_report_gauge_leaves_score_band_and_verdict_to_the_text_beside_it() -> None:
    texts = _texts(render_figure(build_gauge, GaugeData(65, "Quantified", "Conditional Go", BANDS, readout=False),
                                 4, 2.7, dpi=72))
    assert "65" not in texts and "Conditional Go" not in texts
    assert texts.count("Quantified") == 1  # only its name on the ring
    gui = _texts(render_figure(build_gauge, GaugeData(65, "Quantified", "Conditional Go", BANDS), 4, 2.7, dpi=72))
    assert "65" in gui and "Conditional Go" in gui


@pytest.mark.parametrize("score", [5, 30, 50, 65, 70, 90, 100])
@pytest.mark.parametrize("readout", [True, False])
def test_gauge_needle_stays_inside_the_ring(score: float, readout: bool) -> None:
    fig = render_figure(build_gauge, GaugeData(score, None, None, BANDS, readout=readout), 4, 2.7, dpi=72)
    needles = [p for p in fig.findobj(Polygon) if not isinstance(p, Wedge)]
    assert needles
    for needle in needles:
        assert max(math.hypot(x, y) for x, y in needle.get_xy()) <= INNER
